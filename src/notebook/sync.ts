/**
 * `fledge sync`: keep a notebook and its percent-format .py in step. Pure decisions over plain data: the caller
 * reads both files, this module says what to write (or that there is a conflict), the caller writes.
 *
 * The rule: inputs (cell types, sources, the metadata the .py shows) come from the .py, outputs and the rest of
 * the metadata from the .ipynb, matched cell by cell. What "changed since the last sync" means is decided by
 * content hashes recorded in the .py header at every sync (see {@link SyncState}), never by mtimes: a
 * `git checkout` or a copy resets mtimes, hashes do not lie. Both sides changed → conflict, unless `prefer`.
 */

import { notebookMemos, sourceMemos } from "./memo.js";
import { hiddenMetadata, type SyncState } from "./percent.js";
import { alignCells } from "./sync-align.js";
import { type CellView, canonicalJson, cellViews, inputsHash, syncState } from "./sync-hash.js";
import type { Cell, CodeCell, Notebook } from "./types.js";

export { cellViews, inputsHash, syncState };

export interface SyncFile {
  path: string;
  notebook: Notebook;
  /** Modification time, used only in messages. */
  mtimeMs: number;
}

export interface SyncPy extends SyncFile {
  /** The sync record from the .py header, when fledge wrote it. */
  state?: SyncState;
}

export interface SyncInput {
  ipynb?: SyncFile;
  py?: SyncPy;
  ipynbPath: string;
  pyPath: string;
  prefer?: "py" | "ipynb";
}

export type SyncAction =
  | "create-py" // only the notebook exists
  | "create-ipynb" // only the .py exists
  | "update-ipynb" // the .py changed: its inputs go into the notebook
  | "update-py" // the notebook changed: the .py is written again from it
  | "record" // same content on both sides, but the record is missing or stale
  | "none" // up to date
  | "conflict";

export interface SyncDecision {
  action: SyncAction;
  /** One sentence: what happened and why. */
  reason: string;
  /** The notebook to write (create-ipynb, update-ipynb). */
  notebook?: Notebook;
  /** The notebook to write the .py from (create-py, update-py) — the .py gets `state` in its header. */
  pyFrom?: Notebook;
  /** For record/update-ipynb/create-ipynb: the .py keeps its text, only its header's record changes. */
  recordOnly?: boolean;
  /** The record the .py header gets. */
  state?: SyncState;
  /** Cell-level changes applied, for the report (1-based cell numbers). */
  changes: string[];
}

function describeMtimes(input: SyncInput): string {
  const { ipynb, py } = input;
  if (!ipynb || !py || ipynb.mtimeMs === py.mtimeMs) return "";
  const newer = py.mtimeMs > ipynb.mtimeMs ? input.pyPath : input.ipynbPath;
  return ` (${newer} has the newer modification time, which fledge does not trust on its own)`;
}

/** Cells of `side` that differ from the base hashes: "cell 3 edited", "cell 5 added", "cell 2 deleted". */
function changedCells(base: string[], side: CellView[]): string[] {
  const hashes = side.map((v) => v.hash);
  const { pairs, edits } = alignCells(base, hashes, () => true);
  const out: string[] = [];
  const matchedB = new Set([...pairs.map(([, j]) => j), ...edits.map(([, j]) => j)]);
  const matchedA = new Set([...pairs.map(([i]) => i), ...edits.map(([i]) => i)]);
  for (const [, j] of edits) out.push(`cell ${j + 1} edited`);
  hashes.forEach((_, j) => {
    if (!matchedB.has(j)) out.push(`cell ${j + 1} added`);
  });
  base.forEach((_, i) => {
    if (!matchedA.has(i)) out.push(`cell ${i + 1} (as of the last sync) deleted`);
  });
  return out.length > 0 ? out : ["cells reordered or notebook metadata (kernelspec) changed"];
}

/** Cells that differ between the two files, when there is no record to tell who changed what. */
function differingCells(nbViews: CellView[], pyViews: CellView[], input: SyncInput): string[] {
  const { pairs, edits } = alignCells(
    nbViews.map((v) => v.hash),
    pyViews.map((v) => v.hash),
    (i, j) => nbViews[i]!.type === pyViews[j]!.type,
  );
  const out: string[] = [];
  const inA = new Set([...pairs.map(([i]) => i), ...edits.map(([i]) => i)]);
  const inB = new Set([...pairs.map(([, j]) => j), ...edits.map(([, j]) => j)]);
  for (const [i, j] of edits) out.push(`${input.ipynbPath} cell ${i + 1} ≠ ${input.pyPath} cell ${j + 1}`);
  nbViews.forEach((_, i) => {
    if (!inA.has(i)) out.push(`${input.ipynbPath} cell ${i + 1} is not in ${input.pyPath}`);
  });
  pyViews.forEach((_, j) => {
    if (!inB.has(j)) out.push(`${input.pyPath} cell ${j + 1} is not in ${input.ipynbPath}`);
  });
  return out.length > 0 ? out : ["the kernelspec or the cell order differs"];
}

function limit(items: string[], n = 12): string {
  return items.length <= n
    ? items.join("; ")
    : `${items.slice(0, n).join("; ")}; … (${items.length - n} more)`;
}

/** Decide what `fledge sync` does for one pair. */
export function decideSync(input: SyncInput): SyncDecision {
  const { ipynb, py, prefer } = input;
  if (!ipynb && !py) throw new Error("decideSync: neither file exists");
  if (ipynb && !py) {
    return {
      action: "create-py",
      reason: `${input.pyPath} does not exist: written from ${input.ipynbPath}`,
      pyFrom: ipynb.notebook,
      state: syncState(ipynb.notebook),
      changes: [],
    };
  }
  if (py && !ipynb) {
    const notebook = notebookFromPy(py.notebook);
    return {
      action: "create-ipynb",
      reason: `${input.ipynbPath} does not exist: written from ${input.pyPath} (no outputs yet)`,
      notebook,
      recordOnly: true,
      state: syncState(notebook),
      changes: [],
    };
  }
  const nb = ipynb!;
  const p = py!;
  const nbViews = cellViews(nb.notebook);
  const pyViews = cellViews(p.notebook);
  const nbHash = inputsHash(nb.notebook, nbViews);
  const pyHash = inputsHash(p.notebook, pyViews);
  const state = p.state;
  if (nbHash === pyHash) {
    if (state && state.inputs === pyHash) {
      return { action: "none", reason: "already in sync", changes: [] };
    }
    return {
      action: "record",
      reason: state
        ? "both files have the same content again: only the sync record is updated"
        : `the files have the same content: the sync record is added to ${input.pyPath}`,
      recordOnly: true,
      state: syncState(nb.notebook, nbViews),
      changes: [],
    };
  }
  const fromPy = (why: string): SyncDecision => {
    const merged = mergePyIntoNotebook(nb.notebook, p.notebook);
    return {
      action: "update-ipynb",
      reason: why,
      notebook: merged.notebook,
      recordOnly: true,
      state: syncState(merged.notebook),
      changes: merged.changes,
    };
  };
  const fromIpynb = (why: string): SyncDecision => ({
    action: "update-py",
    reason: why,
    pyFrom: nb.notebook,
    state: syncState(nb.notebook, nbViews),
    changes: [],
  });
  if (state) {
    const pyChanged = pyHash !== state.inputs;
    const nbChanged = nbHash !== state.inputs;
    if (pyChanged && !nbChanged) return fromPy(`${input.pyPath} changed since the last sync`);
    if (nbChanged && !pyChanged) return fromIpynb(`${input.ipynbPath} changed since the last sync`);
    if (prefer === "py") return fromPy(`both changed since the last sync; --prefer py keeps ${input.pyPath}`);
    if (prefer === "ipynb") {
      return fromIpynb(`both changed since the last sync; --prefer ipynb keeps ${input.ipynbPath}`);
    }
    return {
      action: "conflict",
      reason:
        `both ${input.pyPath} and ${input.ipynbPath} changed since the last sync${describeMtimes(input)}. ` +
        `In ${input.pyPath}: ${limit(changedCells(state.cells, pyViews))}. ` +
        `In ${input.ipynbPath}: ${limit(changedCells(state.cells, nbViews))}.`,
      changes: [],
    };
  }
  if (prefer === "py")
    return fromPy(`the files were not synced by fledge before; --prefer py keeps ${input.pyPath}`);
  if (prefer === "ipynb") {
    return fromIpynb(`the files were not synced by fledge before; --prefer ipynb keeps ${input.ipynbPath}`);
  }
  return {
    action: "conflict",
    reason:
      `${input.pyPath} and ${input.ipynbPath} differ and ${input.pyPath} has no fledge sync record, so fledge ` +
      `cannot tell which one was edited${describeMtimes(input)}: ${limit(differingCells(nbViews, pyViews, input))}.`,
    changes: [],
  };
}

/** A new notebook from a .py: its cells, no outputs; header metadata minus the text-file details. */
export function notebookFromPy(py: Notebook): Notebook {
  const metadata = { ...py.metadata };
  const jt = metadata.jupytext;
  if (jt && typeof jt === "object" && !Array.isArray(jt)) {
    const rest = { ...(jt as Record<string, unknown>) };
    delete rest.text_representation;
    if (Object.keys(rest).length > 0) metadata.jupytext = rest;
    else delete metadata.jupytext;
  }
  return { ...py, metadata, cells: py.cells.map((c) => ({ ...c })) };
}

function randomId(used: Set<string>): string {
  for (;;) {
    const id = Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, "0");
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/**
 * The notebook with the .py's inputs: cells matched by content (in order, then moved ones), edited cells paired
 * with the notebook cell they replace (same type, between the same unchanged neighbours). Unchanged cells keep
 * their outputs, ids and hidden metadata; edited code cells lose their now-stale outputs.
 */
export function mergePyIntoNotebook(nb: Notebook, py: Notebook): { notebook: Notebook; changes: string[] } {
  const a = cellViews(nb);
  const b = cellViews(py);
  const { pairs, moves, edits } = alignCells(
    a.map((v) => v.key),
    b.map((v) => v.key),
    (i, j) => a[i]!.type === b[j]!.type,
  );
  const fromA = new Map<number, { i: number; kind: "same" | "moved" | "edited" }>();
  for (const [i, j] of pairs) fromA.set(j, { i, kind: "same" });
  for (const [i, j] of moves) fromA.set(j, { i, kind: "moved" });
  for (const [i, j] of edits) fromA.set(j, { i, kind: "edited" });
  const usesIds = nb.nbformat_minor >= 5 || nb.cells.some((c) => typeof c.id === "string");
  const used = new Set(nb.cells.map((c) => c.id).filter((id): id is string => typeof id === "string"));
  const changes: string[] = [];
  const cells: Cell[] = py.cells.map((pc, j) => {
    const m = fromA.get(j);
    const view = b[j]!;
    if (!m) {
      changes.push(`cell ${j + 1}: added`);
      const cell: Cell = { ...pc, metadata: { ...pc.metadata } };
      if (usesIds) cell.id = randomId(used);
      else delete cell.id;
      if (cell.cell_type === "code") {
        (cell as CodeCell).outputs = [];
        (cell as CodeCell).execution_count = null;
      }
      return cell;
    }
    const old = nb.cells[m.i]!;
    const sameMetadata = a[m.i]!.metadataJson === view.metadataJson;
    const metadata = sameMetadata ? old.metadata : { ...hiddenMetadata(old.metadata), ...view.metadata };
    if (m.kind === "moved") changes.push(`cell ${j + 1}: moved (was cell ${m.i + 1})`);
    if (m.kind !== "edited") {
      if (!sameMetadata) changes.push(`cell ${j + 1}: metadata updated`);
      if (sameMetadata) return old;
      const copy = { ...old, metadata } as Cell;
      // Same source: keep how the file wrote it (the reader's memo), so the bytes do not change.
      const memo = sourceMemos.get(old);
      if (memo) sourceMemos.set(copy, memo);
      return copy;
    }
    const cell = { ...old, source: pc.source, metadata } as Cell;
    if (cell.cell_type === "code") {
      const hadOutputs = (old as CodeCell).outputs?.length > 0;
      (cell as CodeCell).outputs = [];
      (cell as CodeCell).execution_count = null;
      changes.push(
        `cell ${j + 1}: source edited${hadOutputs ? " (its outputs are cleared: they were stale)" : ""}`,
      );
    } else changes.push(`cell ${j + 1}: source edited`);
    return cell;
  });
  const kept = new Set([...fromA.values()].map((m) => m.i));
  nb.cells.forEach((_, i) => {
    if (!kept.has(i)) changes.push(`cell ${i + 1} of the notebook: deleted`);
  });
  const metadata = { ...nb.metadata };
  const pyKs = py.metadata?.kernelspec;
  if (pyKs !== undefined && canonicalJson(pyKs) !== canonicalJson(nb.metadata?.kernelspec)) {
    metadata.kernelspec = pyKs;
    changes.push("kernelspec updated");
  }
  const notebook: Notebook = { ...nb, metadata, cells };
  // Keep the file's line endings and final newline (the reader's memo of the notebook).
  const memo = notebookMemos.get(nb);
  if (memo) notebookMemos.set(notebook, memo);
  return { notebook, changes };
}
