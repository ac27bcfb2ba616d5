/**
 * Cell-level comparison of two notebooks, as data (rendering lives in diff-render.ts).
 * Cells are matched by id when both have one, then by identical content, then by similar source (same cell
 * type, most lines in common); matched cells out of their relative order are reported as moved.
 * Outputs are compared as summaries (type, MIME types, sizes, a short text preview), never as base64.
 */
import { diffArrays, type StructuredPatchHunk, structuredPatch } from "diff";
import { serializeJson } from "./json.js";
import type { Cell, CodeCell, Notebook, Output } from "./types.js";

export interface KeyChange {
  /** Dotted path, e.g. `metadata.kernelspec.display_name` or `tags`. */
  path: string;
  /** Short JSON of the old value (absent when added). */
  before?: string;
  /** Short JSON of the new value (absent when removed). */
  after?: string;
}

/** One line of an outputs comparison: an output kept, removed, added, or changed in place. */
export interface OutputChange {
  op: "same" | "removed" | "added" | "changed";
  /** One-line summary of the output (the new one for "changed"). */
  summary: string;
  /** For "changed": the old output's summary. */
  before?: string;
}

export interface CellDiff {
  status: "unchanged" | "modified" | "added" | "removed";
  /** Index in the old notebook (absent for added cells). */
  a?: number;
  /** Index in the new notebook (absent for removed cells). */
  b?: number;
  /** Matched but out of the old relative order. */
  moved: boolean;
  matchedBy?: "id" | "content" | "similarity";
  cellType: string;
  oldCellType?: string;
  id?: string;
  /** Unified-diff hunks of the source (modified cells whose source changed). */
  hunks?: StructuredPatchHunk[];
  /** Set when the sources differ only invisibly (line endings, trailing whitespace). */
  sourceNote?: string;
  /** The whole source, for added and removed cells. */
  source?: string;
  metadata: KeyChange[];
  /** The outputs compared in order, when they differ. */
  outputs?: OutputChange[];
  /** Execution count before and after, when it changed. */
  executionCount?: [number | null, number | null];
}

export interface NotebookDiff {
  /** Cells in display order: the new notebook's order, removed cells near their old position. */
  cells: CellDiff[];
  /** Notebook-level metadata and format changes. */
  notebook: KeyChange[];
  counts: { modified: number; added: number; removed: number; moved: number; unchanged: number };
  /** Cells whose only difference is the execution count. */
  countOnly: number;
  identical: boolean;
}

export interface DiffOptions {
  /** Lines of context around source changes (default 3). */
  context?: number;
  /** Minimum similarity (0–1) for two different sources to be the same cell (default 0.5). */
  similarity?: number;
}

const MAX_VALUE = 80;

function short(value: unknown): string {
  const text = serializeJson(value, { indent: 0 }).replace(/\n/g, "");
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return serializeJson(a) === serializeJson(b);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Number);
}

/** Leaf-level differences between two JSON values (objects are descended, other values compared whole). */
export function keyChanges(a: unknown, b: unknown, prefix: string, depth = 0): KeyChange[] {
  if (same(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b) && depth < 4) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => keyChanges(a[k], b[k], prefix ? `${prefix}.${k}` : k, depth + 1));
  }
  const change: KeyChange = { path: prefix };
  if (a !== undefined) change.before = short(a);
  if (b !== undefined) change.after = short(b);
  return [change];
}

// ---------- output summaries ----------

function text(value: unknown): string {
  return typeof value === "string" ? value : Array.isArray(value) ? value.join("") : "";
}

function preview(s: string): string {
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const first = (lines[0] ?? "").trim();
  const shown = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  return `${JSON.stringify(shown)}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ""}`;
}

function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** One line describing an output, never its binary content. */
export function summarizeOutput(output: Output): string {
  const o = output as Record<string, unknown>;
  switch (o.output_type) {
    case "stream":
      return `${typeof o.name === "string" ? o.name : "stream"}: ${preview(text(o.text))}`;
    case "error":
      return `error ${String(o.ename ?? "")}: ${preview(String(o.evalue ?? ""))}`;
    case "execute_result":
    case "display_data": {
      const data = isPlainObject(o.data) ? o.data : {};
      const parts = Object.keys(data)
        .sort()
        .map((mime) => {
          const value = data[mime];
          if (mime === "text/plain") return `text/plain ${preview(text(value))}`;
          if (mime.startsWith("image/") && mime !== "image/svg+xml") {
            const b64 = text(value).replace(/\s/g, "");
            const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
            return `${mime} (${size(Math.floor((b64.length * 3) / 4) - padding)})`;
          }
          if (typeof value === "string" || Array.isArray(value))
            return `${mime} (${size(text(value).length)})`;
          return `${mime} (${size(serializeJson(value).length)})`;
        });
      const label = o.output_type === "execute_result" ? "result" : "display";
      return `${label}: ${parts.join(", ") || "(no data)"}`;
    }
    default:
      return `${String(o.output_type)} output`;
  }
}

// ---------- matching ----------

function lineCounts(source: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient over non-blank trimmed lines (1 = same lines, 0 = nothing in common). */
export function sourceSimilarity(a: string, b: string): number {
  const ca = lineCounts(a);
  const cb = lineCounts(b);
  let common = 0;
  let na = 0;
  let nb = 0;
  for (const [line, n] of ca) {
    na += n;
    common += Math.min(n, cb.get(line) ?? 0);
  }
  for (const n of cb.values()) nb += n;
  if (na + nb === 0) return a.trim() === b.trim() ? 1 : 0;
  return (2 * common) / (na + nb);
}

/**
 * Cells that may be the same cell edited: same type, and not two cells with different ids — unless the two
 * notebooks share no id at all (e.g. a notebook against a .py whose reader made up ids), where ids say nothing.
 */
function pairable(a: Cell, b: Cell, idsMeaningful: boolean): boolean {
  if (a.cell_type !== b.cell_type) return false;
  return !(idsMeaningful && typeof a.id === "string" && typeof b.id === "string");
}

/** Source text for matching: trailing whitespace and line endings do not make two cells different. */
function matchKey(cell: Cell): string {
  return `${cell.cell_type}\u0000${cell.source.replace(/\r\n?/g, "\n").trimEnd()}`;
}

type Match = { a: number; b: number; by: "id" | "content" | "similarity" };

function matchCells(aCells: Cell[], bCells: Cell[], threshold: number): Match[] {
  const matches: Match[] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const take = (a: number, b: number, by: Match["by"]) => {
    matches.push({ a, b, by });
    usedA.add(a);
    usedB.add(b);
  };
  // 1. ids
  const byId = new Map<string, number>();
  bCells.forEach((c, i) => {
    if (typeof c.id === "string" && !byId.has(c.id)) byId.set(c.id, i);
  });
  aCells.forEach((c, i) => {
    const j = typeof c.id === "string" ? byId.get(c.id) : undefined;
    if (j !== undefined && !usedB.has(j)) take(i, j, "id");
  });
  const idsMeaningful = matches.length > 0;
  // 2. identical type and source (nearest first)
  const byContent = new Map<string, number[]>();
  bCells.forEach((c, j) => {
    if (usedB.has(j)) return;
    const key = matchKey(c);
    const list = byContent.get(key);
    if (list) list.push(j);
    else byContent.set(key, [j]);
  });
  aCells.forEach((c, i) => {
    if (usedA.has(i)) return;
    const list = byContent.get(matchKey(c));
    const j = list?.find((k) => !usedB.has(k));
    if (j !== undefined) take(i, j, "content");
  });
  // 3. similar sources of the same cell type, best pairs first
  const restA = aCells.map((_, i) => i).filter((i) => !usedA.has(i));
  const restB = bCells.map((_, j) => j).filter((j) => !usedB.has(j));
  if (restA.length > 0 && restB.length > 0 && restA.length * restB.length <= 250_000) {
    const pairs: { a: number; b: number; sim: number }[] = [];
    for (const i of restA) {
      for (const j of restB) {
        if (!pairable(aCells[i]!, bCells[j]!, idsMeaningful)) continue;
        const sim = sourceSimilarity(aCells[i]!.source, bCells[j]!.source);
        if (sim >= threshold) pairs.push({ a: i, b: j, sim });
      }
    }
    pairs.sort((x, y) => y.sim - x.sim || Math.abs(x.a - x.b) - Math.abs(y.a - y.b));
    for (const p of pairs) if (!usedA.has(p.a) && !usedB.has(p.b)) take(p.a, p.b, "similarity");
  }
  // 4. between two cells kept in order, leftover cells of the same type pair up in order: edits, not add+remove
  matches.sort((x, y) => x.b - y.b);
  const keep = longestIncreasing(matches.map((m) => m.a));
  const anchors = [
    { a: -1, b: -1 },
    ...matches.filter((_, k) => keep.has(k)),
    { a: aCells.length, b: bCells.length },
  ];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const lo = anchors[k]!;
    const hi = anchors[k + 1]!;
    const gapB: number[] = [];
    for (let j = lo.b + 1; j < hi.b; j++) if (!usedB.has(j)) gapB.push(j);
    for (let i = lo.a + 1; i < hi.a && gapB.length > 0; i++) {
      if (usedA.has(i)) continue;
      const at = gapB.findIndex((j) => pairable(aCells[i]!, bCells[j]!, idsMeaningful));
      if (at === -1) continue;
      take(i, gapB[at]!, "similarity");
      gapB.splice(0, at + 1);
    }
  }
  return matches.sort((x, y) => x.b - y.b);
}

/** Indices (into `seq`) of a longest increasing subsequence. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let k = tails.length > 0 ? tails[tails.length - 1]! : -1; k !== -1; k = prev[k]!) keep.add(k);
  return keep;
}

// ---------- comparison ----------

/** Outputs in order: a sequence diff on their full content; a removed output followed by an added one is a change. */
export function compareOutputs(before: Output[], after: Output[]): OutputChange[] {
  const keyA = before.map((o) => serializeJson(o));
  const keyB = after.map((o) => serializeJson(o));
  const result: OutputChange[] = [];
  let i = 0;
  let j = 0;
  const parts = diffArrays(keyA, keyB);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const n = part.value.length;
    if (part.removed && parts[p + 1]?.added) {
      const added = parts[p + 1]!.value.length;
      for (let k = 0; k < Math.max(n, added); k++) {
        if (k < n && k < added) {
          result.push({
            op: "changed",
            before: summarizeOutput(before[i + k]!),
            summary: summarizeOutput(after[j + k]!),
          });
        } else if (k < n) result.push({ op: "removed", summary: summarizeOutput(before[i + k]!) });
        else result.push({ op: "added", summary: summarizeOutput(after[j + k]!) });
      }
      i += n;
      j += added;
      p++;
    } else if (part.removed) {
      for (let k = 0; k < n; k++) result.push({ op: "removed", summary: summarizeOutput(before[i + k]!) });
      i += n;
    } else if (part.added) {
      for (let k = 0; k < n; k++) result.push({ op: "added", summary: summarizeOutput(after[j + k]!) });
      j += n;
    } else {
      for (let k = 0; k < n; k++) result.push({ op: "same", summary: summarizeOutput(after[j + k]!) });
      i += n;
      j += n;
    }
  }
  return result;
}

function cellMetadataChanges(a: Cell, b: Cell): KeyChange[] {
  const changes = keyChanges(a.metadata ?? {}, b.metadata ?? {}, "");
  // other cell fields (attachments, unknown keys)
  const skip = new Set(["cell_type", "id", "source", "metadata", "outputs", "execution_count"]);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.has(k)).sort();
  for (const k of keys) changes.push(...keyChanges(a[k], b[k], k));
  return changes;
}

function compareCells(a: Cell, b: Cell, ai: number, bi: number, context: number): CellDiff {
  const diff: CellDiff = {
    status: "unchanged",
    a: ai,
    b: bi,
    moved: false,
    cellType: b.cell_type,
    metadata: [],
  };
  if (typeof b.id === "string") diff.id = b.id;
  if (a.cell_type !== b.cell_type) diff.oldCellType = a.cell_type;
  if (a.source !== b.source) {
    const norm = (t: string) => t.replace(/\r\n?/g, "\n").trimEnd();
    if (norm(a.source) === norm(b.source)) {
      diff.sourceNote = "only line endings or trailing whitespace differ";
    } else {
      // compare as if both ended with a newline (cells rarely do), so the last line is not reported for that
      const withEol = (t: string) => (t === "" || t.endsWith("\n") ? t : `${t}\n`);
      diff.hunks = structuredPatch("a", "b", withEol(a.source), withEol(b.source), "", "", { context }).hunks;
    }
  }
  diff.metadata = cellMetadataChanges(a, b);
  const ao = a.cell_type === "code" ? ((a as CodeCell).outputs ?? []) : [];
  const bo = b.cell_type === "code" ? ((b as CodeCell).outputs ?? []) : [];
  if (!same(ao, bo)) diff.outputs = compareOutputs(ao, bo);
  const ac = (a as CodeCell).execution_count ?? null;
  const bc = (b as CodeCell).execution_count ?? null;
  if (a.cell_type === "code" && b.cell_type === "code" && !same(ac, bc)) diff.executionCount = [ac, bc];
  if (diff.hunks || diff.sourceNote || diff.oldCellType || diff.metadata.length > 0 || diff.outputs)
    diff.status = "modified";
  return diff;
}

/** Compare two notebooks cell by cell. */
export function diffNotebooks(a: Notebook, b: Notebook, options: DiffOptions = {}): NotebookDiff {
  const context = options.context ?? 3;
  const matches = matchCells(a.cells, b.cells, options.similarity ?? 0.5);
  const inOrder = longestIncreasing(matches.map((m) => m.a));
  const matchedA = new Set(matches.map((m) => m.a));
  const removed = a.cells.map((_, i) => i).filter((i) => !matchedA.has(i));
  const matchByB = new Map(matches.map((m, k) => [m.b, { ...m, inOrder: inOrder.has(k) }]));

  const cells: CellDiff[] = [];
  let r = 0;
  const emitRemovedBefore = (limit: number) => {
    while (r < removed.length && removed[r]! < limit) {
      const i = removed[r++]!;
      const cell = a.cells[i]!;
      const d: CellDiff = {
        status: "removed",
        a: i,
        moved: false,
        cellType: cell.cell_type,
        source: cell.source,
        metadata: [],
      };
      if (typeof cell.id === "string") d.id = cell.id;
      cells.push(d);
    }
  };
  // for each position, the old index of the next cell kept in order: removed cells before it come first
  const nextAnchor: number[] = new Array(b.cells.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let j = b.cells.length - 1; j >= 0; j--) {
    const m = matchByB.get(j);
    nextAnchor[j] = m?.inOrder ? m.a : nextAnchor[j + 1]!;
  }
  for (let j = 0; j < b.cells.length; j++) {
    const m = matchByB.get(j);
    const cell = b.cells[j]!;
    if (!m) {
      emitRemovedBefore(nextAnchor[j]!);
      const d: CellDiff = {
        status: "added",
        b: j,
        moved: false,
        cellType: cell.cell_type,
        source: cell.source,
        metadata: [],
      };
      if (typeof cell.id === "string") d.id = cell.id;
      cells.push(d);
      continue;
    }
    if (m.inOrder) emitRemovedBefore(m.a);
    const d = compareCells(a.cells[m.a]!, cell, m.a, j, context);
    d.matchedBy = m.by;
    d.moved = !m.inOrder;
    cells.push(d);
  }
  emitRemovedBefore(Number.POSITIVE_INFINITY);

  const notebook: KeyChange[] = [
    ...keyChanges(a.metadata ?? {}, b.metadata ?? {}, "metadata"),
    ...keyChanges(`${a.nbformat}.${a.nbformat_minor}`, `${b.nbformat}.${b.nbformat_minor}`, "nbformat"),
  ];
  const skip = new Set(["metadata", "cells", "nbformat", "nbformat_minor"]);
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((x) => !skip.has(x)).sort()) {
    notebook.push(...keyChanges(a[k], b[k], k));
  }

  const counts = { modified: 0, added: 0, removed: 0, moved: 0, unchanged: 0 };
  let countOnly = 0;
  for (const c of cells) {
    counts[c.status]++;
    if (c.moved) counts.moved++;
    if (c.status === "unchanged" && c.executionCount) countOnly++;
  }
  const identical =
    notebook.length === 0 &&
    counts.modified + counts.added + counts.removed + counts.moved === 0 &&
    countOnly === 0;
  return { cells, notebook, counts, countOnly, identical };
}
