/**
 * Segmentation of the pipeline statements into steps (issue 5, "Segmentation").
 *
 * Segments are contiguous runs of statements in notebook order, so every value a step reads was produced by
 * the step itself or an earlier one (top-to-bottom semantics) and the step order is a topological order.
 *
 * 1. Headings, when they give sensible steps: the coarsest level L (any of 1–6) such that cutting at every
 *    heading of level ≤ L gives 3–12 sections holding pipeline code.
 * 2. Otherwise dataflow cuts: a dynamic programme over cut points between cells (and between statements of a
 *    giant cell) minimising the names crossing each cut, rewarding cuts where the code's role changes
 *    (load → clean → split → train …), keeping steps at roughly 5–15 code cells and 3–8 steps.
 * Then a step made of one short statement is merged into a neighbour.
 */
import type { Cell } from "../notebook/types.js";
import type { UseAnalysis } from "./exploration.js";
import { type Heading, markdownHeadings, statementRole } from "./naming.js";
import type { StatementInfo } from "./statements.js";

export interface Segment {
  /** Anchored statements (not imports or helper definitions, which are placed afterwards), in order. */
  stmts: StatementInfo[];
  heading?: string;
  /** Markdown text of the section (heading cell and markdown cells inside the step). */
  markdown: string[];
}

/** Markdown headings of every markdown cell, by cell index. */
export function headingsByCell(cells: Cell[]): Map<number, Heading[]> {
  const out = new Map<number, Heading[]>();
  cells.forEach((c, i) => {
    if (c.cell_type !== "markdown") return;
    const hs = markdownHeadings(c.source);
    if (hs.length > 0) out.set(i, hs);
  });
  return out;
}

/** Sections at heading level ≤ `level`; only sections holding anchored statements are kept. */
export function headingSections(
  cells: Cell[],
  headings: Map<number, Heading[]>,
  anchored: StatementInfo[],
  level: number,
): Segment[] {
  const byCell = new Map<number, StatementInfo[]>();
  for (const s of anchored) {
    const list = byCell.get(s.ref.cell) ?? [];
    list.push(s);
    byCell.set(s.ref.cell, list);
  }
  const sections: Segment[] = [{ stmts: [], markdown: [] }];
  cells.forEach((c, i) => {
    if (c.cell_type === "markdown") {
      const hs = (headings.get(i) ?? []).filter((h) => h.level <= level);
      if (hs.length > 0) sections.push({ stmts: [], heading: hs[hs.length - 1]!.text, markdown: [] });
      sections[sections.length - 1]!.markdown.push(c.source.trim());
      return;
    }
    const ss = byCell.get(i);
    if (ss) sections[sections.length - 1]!.stmts.push(...ss);
  });
  const kept = sections.filter((s) => s.stmts.length > 0);
  // Code before the first heading (imports, a title cell's setup) joins the first real section.
  if (kept.length > 1 && kept[0]!.heading === undefined) {
    const pre = kept.shift()!;
    kept[0]!.stmts.unshift(...pre.stmts);
    kept[0]!.markdown.unshift(...pre.markdown);
  }
  return kept;
}

/** The heading level giving 3–12 sections, coarsest first; undefined when no level does. */
export function chooseHeadingLevel(
  cells: Cell[],
  headings: Map<number, Heading[]>,
  anchored: StatementInfo[],
  range: [number, number] = [3, 12],
): { level: number; sections: Segment[] } | undefined {
  let previous = -1;
  for (let level = 1; level <= 6; level++) {
    if (![...headings.values()].some((hs) => hs.some((h) => h.level === level))) continue;
    const sections = headingSections(cells, headings, anchored, level);
    if (sections.length === previous) continue;
    previous = sections.length;
    if (sections.length >= range[0] && sections.length <= range[1]) return { level, sections };
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------- dataflow

const GIANT_CELL = 12;

interface Block {
  stmts: StatementInfo[];
  weight: number;
  /** Starts inside a cell (statement-level cut before it). */
  midCell: boolean;
}

function blocksOf(anchored: StatementInfo[]): Block[] {
  const byCell: StatementInfo[][] = [];
  for (const s of anchored) {
    const last = byCell[byCell.length - 1];
    if (last && last[0]!.ref.cell === s.ref.cell) last.push(s);
    else byCell.push([s]);
  }
  const few = byCell.length < 3;
  const blocks: Block[] = [];
  for (const group of byCell) {
    if (group.length >= GIANT_CELL || (few && group.length >= 6)) {
      // A giant cell is cut at statement level; each statement counts as half a cell.
      group.forEach((s, i) => {
        blocks.push({ stmts: [s], weight: 1 / 2, midCell: i > 0 });
      });
    } else blocks.push({ stmts: group, weight: 1, midCell: false });
  }
  return blocks;
}

/** `obj.method(…)` as a whole statement that modifies obj (not `inplace=True`): the name, else undefined. */
function builderTarget(s: StatementInfo): string | undefined {
  if (s.record.type !== "expression_statement") return undefined;
  // The statement starts with `name.method(`: the call whose `(` comes first starts where the statement does.
  const head = s.calls[0];
  if (!head || head.start !== s.offset || head.receiver.length !== 1) return undefined;
  const name = head.receiver[0]!;
  if (name === "?" || !s.strongModifies.includes(name)) return undefined;
  return s.calls.some((c) => c.keywords.some((k) => k.name === "inplace")) ? undefined : name;
}

/** Resource-like values (open files, connections, figures) cannot be passed between steps: never cut them. */
function isResource(s: StatementInfo): boolean {
  return s.calls.some((c) => ["open", "connect", "cursor", "subplots", "figure", "Session"].includes(c.name));
}

export function dataflowSegments(
  anchored: StatementInfo[],
  stmts: StatementInfo[],
  uses: UseAnalysis,
): Segment[] {
  const blocks = blocksOf(anchored);
  const B = blocks.length;
  if (B === 0) return [];
  const blockOf = new Map<number, number>();
  blocks.forEach((b, i) => {
    for (const s of b.stmts) blockOf.set(s.pos, i);
  });
  // crossing[c]: distinct names crossing the cut after block c; forbidden[c]: a resource crosses it.
  const crossing = new Array<number>(B).fill(0);
  const forbidden = new Array<boolean>(B).fill(false);
  const intervals = new Map<string, [number, number][]>();
  for (const s of anchored) {
    const u = blockOf.get(s.pos)!;
    for (const [name, ws] of uses.writersOf[s.pos]!) {
      for (const w of ws) {
        const bw = blockOf.get(w);
        const writer = stmts[w]!;
        if (bw === undefined || bw >= u || writer.kind === "import" || writer.kind === "definition") continue;
        const list = intervals.get(name) ?? [];
        list.push([bw, u]);
        intervals.set(name, list);
        if (isResource(writer)) for (let c = bw; c < u; c++) forbidden[c] = true;
      }
    }
  }
  for (const list of intervals.values()) {
    const covered = new Set<number>();
    for (const [a, b] of list) for (let c = a; c < b; c++) covered.add(c);
    for (const c of covered) crossing[c]! += 1;
  }
  const roles = blocks.map((b) => {
    for (const s of b.stmts) {
      const r = statementRole(s);
      if (r) return r;
    }
    return undefined;
  });
  // Role change at cut c: the last role at or before c differs from the first role after c.
  const roleBefore: (string | undefined)[] = [];
  let cur: string | undefined;
  for (let i = 0; i < B; i++) {
    cur = roles[i] ?? cur;
    roleBefore.push(cur);
  }
  const roleAfter: (string | undefined)[] = new Array(B).fill(undefined);
  cur = undefined;
  for (let i = B - 1; i >= 0; i--) {
    cur = roles[i] ?? cur;
    roleAfter[i] = cur;
  }
  // An object built up in place across neighbouring cells (`model = Sequential()`, `model.add(…)`,
  // `model.compile(…)`) must stay together: no cut between a write of a name and a block that only calls
  // modifying methods on it.
  const chain = (c: number): number => {
    const next = blocks[c + 1]!.stmts;
    // The block after the cut only calls methods on one object (a builder step), not `inplace=True` pandas.
    if (!next[0]) return 0;
    const target = builderTarget(next[0]!);
    if (!target || !next.every((s) => builderTarget(s) === target)) return 0;
    return blocks[c]!.stmts.some((s) => s.defines.includes(target) || s.strongModifies.includes(target))
      ? 1
      : 0;
  };
  const cutCost = (c: number): number => {
    if (forbidden[c] || chain(c) > 0) return Number.POSITIVE_INFINITY;
    let cost = crossing[c]!;
    const before = roleBefore[c];
    const after = roleAfter[c + 1];
    if (before && after && before !== after) cost -= 3;
    if (blocks[c + 1]!.midCell) cost += 0.5;
    return cost;
  };
  const prefix = [0];
  for (const b of blocks) prefix.push(prefix[prefix.length - 1]! + b.weight);
  const W = prefix[B]!;
  const sizeCost = (from: number, to: number): number => {
    const w = prefix[to]! - prefix[from]!;
    if (w < 2) return 2 - w;
    if (w > 15) return (w - 15) * 0.5;
    return 0;
  };
  const kMax = Math.min(B, Math.max(8, Math.ceil(W / 15)), 15);
  const kCost = (k: number) => (k < 3 ? (3 - k) * 4 : k > 8 ? (k - 8) * 1.5 : 0);
  // dp[k][j]: best cost of cutting the first j blocks into k segments.
  const INF = Number.POSITIVE_INFINITY;
  const dp: number[][] = [];
  const back: number[][] = [];
  dp[1] = [];
  back[1] = [];
  for (let j = 1; j <= B; j++) {
    dp[1]![j] = sizeCost(0, j);
    back[1]![j] = 0;
  }
  for (let k = 2; k <= kMax; k++) {
    dp[k] = new Array(B + 1).fill(INF);
    back[k] = new Array(B + 1).fill(-1);
    for (let j = k; j <= B; j++) {
      let best = INF;
      let arg = -1;
      for (let i = k - 1; i < j; i++) {
        const prev = dp[k - 1]![i]!;
        if (prev === INF) continue;
        const v = prev + cutCost(i - 1) + sizeCost(i, j);
        if (v < best) {
          best = v;
          arg = i;
        }
      }
      dp[k]![j] = best;
      back[k]![j] = arg;
    }
  }
  let bestK = 1;
  let bestCost = INF;
  for (let k = 1; k <= kMax; k++) {
    const v = (dp[k]?.[B] ?? INF) + kCost(k);
    if (v < bestCost) {
      bestCost = v;
      bestK = k;
    }
  }
  const bounds: number[] = [B];
  let j = B;
  for (let k = bestK; k > 1; k--) {
    j = back[k]![j]!;
    bounds.unshift(j);
  }
  bounds.unshift(0);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    segments.push({ stmts: blocks.slice(bounds[i], bounds[i + 1]).flatMap((b) => b.stmts), markdown: [] });
  }
  return segments;
}

/**
 * A segment of one short statement (one line, under 80 characters) that plays no workflow role of its own: a
 * lone `df = pd.read_csv(…)` under "## Load the data" or `df.to_csv(…)` under "## Save" stays a step.
 */
function isShort(seg: Segment, neighbours: Segment[]): boolean {
  if (seg.stmts.length !== 1) return false;
  const s = seg.stmts[0]!;
  if (s.record.span.line !== s.record.span.endLine || s.text.length >= 80) return false;
  const role = statementRole(s);
  if (role === undefined) return true;
  return neighbours.some((n) => n.stmts.some((t) => statementRole(t) === role));
}

/** Merge one-short-statement segments into the neighbour they share names with (the previous by default). */
export function mergeShortSegments(segments: Segment[], uses: UseAnalysis): Segment[] {
  const out = segments.slice();
  for (let i = 0; i < out.length && out.length > 1; ) {
    const seg = out[i]!;
    const neighbours = [out[i - 1], out[i + 1]].filter((n): n is Segment => n !== undefined);
    if (!isShort(seg, neighbours)) {
      i++;
      continue;
    }
    const s = seg.stmts[0]!;
    const next = out[i + 1];
    const feedsNext = next?.stmts.some((t) => uses.users[s.pos]!.includes(t.pos)) ?? false;
    const readsPrev = i > 0 && out[i - 1]!.stmts.some((t) => uses.users[t.pos]!.includes(s.pos));
    const intoNext = i === 0 || (feedsNext && !readsPrev);
    const target = intoNext ? next! : out[i - 1]!;
    if (intoNext) {
      target.stmts.unshift(...seg.stmts);
      target.markdown.unshift(...seg.markdown);
      if (target.heading === undefined && seg.heading !== undefined) target.heading = seg.heading;
    } else {
      target.stmts.push(...seg.stmts);
      target.markdown.push(...seg.markdown);
    }
    out.splice(i, 1);
  }
  return out;
}
