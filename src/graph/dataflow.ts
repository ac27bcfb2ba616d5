/**
 * The dataflow graph of a notebook, built from the cell analyses (src/python/) without running anything.
 *
 * Semantics are top-to-bottom: cells run once each, in notebook order.
 * - An edge A → B carries the names B reads (or modifies) whose value A last defined or modified above B.
 *   A modification below the confidence threshold does not hide the writer before it: both get an edge, and an
 *   edge whose names all come from such modifications is `weak`.
 * - A cell's effective reads include the globals read by the notebook functions and classes it calls,
 *   transitively (FunctionRecord.globalReads / calls); `global x` writes of called functions define `x` there.
 * - A read with no writer above is a forward read when some cell below (or the cell itself, later in its body)
 *   defines the name, otherwise an undefined read.
 * - `order` is a topological order of a constraint graph that asks every read to see the value it was meant to
 *   see: flow (writer before reader, the first writer below for forward reads), anti (reader before the next
 *   writer of the name) and output (writers of a name keep their order) dependencies; ties go to the lower cell
 *   index, so a notebook without forward reads keeps its order. Cycles of that graph are reported, not hidden.
 */
import type { CellAnalysis, Confidence, FunctionRecord, NotebookAnalysis, Span } from "../python/types.js";
import type { ChainLink, DataflowEdge, DataflowGraph } from "./types.js";

export interface DataflowOptions {
  /** Modifications with a confidence below this one make weak edges. Default "likely" (so "possible" is weak). */
  weakBelow?: Confidence;
}

const CONFIDENCE_RANK: Record<Confidence, number> = { possible: 0, likely: 1, certain: 2 };

const NO_SPAN: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A name a cell reads, with where (and, for reads through a called function, which function). */
export interface EffectiveRead {
  name: string;
  span: Span;
  /** The notebook function or class whose body reads the name, when the read is not in the cell's own code. */
  via?: string;
}

/** Names a cell binds at module level: assignments, imports, functions, `x = !cmd`, `global x` in called functions. */
export function cellDefines(cell: CellAnalysis, functionsByName?: FunctionIndex): string[] {
  return [...definedNames(cell, functionsByName)];
}

/** `cellDefines` as the set it is built in (for membership tests). */
function definedNames(cell: CellAnalysis, functionsByName?: FunctionIndex): Set<string> {
  const out = new Set<string>(cell.defines);
  for (const imp of cell.imports) for (const b of imp.binds) out.add(b);
  for (const fn of cell.functions) out.add(fn.name);
  for (const m of cell.magics) if (m.assignedTo) out.add(m.assignedTo);
  if (functionsByName && callsNotebookFunction(cell, functionsByName)) {
    for (const fn of calledFunctions(cell, functionsByName)) for (const g of fn.globalWrites) out.add(g);
  }
  return out;
}

/** Whether any name the cell calls is a notebook function (most calls are of imported functions). */
function callsNotebookFunction(cell: CellAnalysis, index: FunctionIndex): boolean {
  if (index.size === 0) return false;
  for (const name of cell.calls) if (index.has(name)) return true;
  return false;
}

/** Every function/class the notebook defines, by name, with the cell that defines it (in notebook order). */
export type FunctionIndex = Map<string, { cell: number; fn: FunctionRecord }[]>;

export function indexFunctions(analysis: NotebookAnalysis): FunctionIndex {
  const byName: FunctionIndex = new Map();
  for (const cell of analysis.cells) {
    for (const fn of cell.functions) {
      const list = byName.get(fn.name) ?? [];
      list.push({ cell: cell.cellIndex, fn });
      byName.set(fn.name, list);
    }
  }
  return byName;
}

/**
 * The definition of a function that a call in `cell` reaches top to bottom: the last one at or above the cell,
 * or (a forward call) the first one below it.
 */
export function resolveFunction(
  index: FunctionIndex,
  name: string,
  cell: number,
): FunctionRecord | undefined {
  const defs = index.get(name);
  if (!defs || defs.length === 0) return undefined;
  let best: { cell: number; fn: FunctionRecord } | undefined;
  for (const d of defs) if (d.cell <= cell) best = d;
  return (best ?? defs[0])?.fn;
}

/** The notebook functions a cell calls, directly or through other notebook functions (each once). */
export function calledFunctions(cell: CellAnalysis, index: FunctionIndex): FunctionRecord[] {
  const seen = new Set<string>();
  const out: FunctionRecord[] = [];
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const fn = resolveFunction(index, name, cell.cellIndex);
    if (!fn) return;
    out.push(fn);
    for (const callee of fn.calls) visit(callee);
  };
  // A cell that defines a function does not run its body; only the names it calls do.
  for (const name of cell.calls) visit(name);
  return out;
}

/**
 * The names a cell reads from module scope when it runs: its own reads, then the globals read by the notebook
 * functions it calls (transitively), minus names the cell itself binds before the call could need them.
 */
export function effectiveReads(cell: CellAnalysis, functionsByName: FunctionIndex): EffectiveRead[] {
  const out: EffectiveRead[] = [];
  const seen = new Set<string>();
  for (const r of cell.reads) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    out.push({ name: r.name, span: r.span });
  }
  /** The cell's own definitions, made when first needed. */
  let ownDefines: Set<string> | undefined;
  // Globals read by lambdas the cell creates are read when the lambdas are called, usually while the cell runs,
  // so after the cell's own assignments: `n = 5; ds.map(lambda w: w.batch(n))` does not read an outside `n`.
  for (const r of cell.indirectReads ?? []) {
    if (seen.has(r.name)) continue;
    ownDefines ??= definedNames(cell);
    if (ownDefines.has(r.name)) continue;
    seen.add(r.name);
    out.push({ name: r.name, span: r.span });
  }
  for (const name of cell.calls) {
    // A name no cell defines as a function reads nothing through the notebook.
    if (!functionsByName.has(name)) continue;
    let span: Span | undefined;
    const visited = new Set<string>();
    const stack = [name];
    while (stack.length > 0) {
      const fnName = stack.pop()!;
      if (visited.has(fnName)) continue;
      visited.add(fnName);
      const fn = resolveFunction(functionsByName, fnName, cell.cellIndex);
      if (!fn) continue;
      for (const g of fn.globalReads) {
        // A global the cell itself defines is usually set before the call (`x = 1; f()`); the cell's own reads
        // already list it when it is read first.
        if (seen.has(g)) continue;
        ownDefines ??= definedNames(cell);
        if (ownDefines.has(g)) continue;
        seen.add(g);
        span ??= callSpan(cell, name);
        out.push({ name: g, span, via: name });
      }
      for (const callee of fn.calls) stack.push(callee);
    }
  }
  return out;
}

function callSpan(cell: CellAnalysis, name: string): Span {
  const read = cell.reads.find((r) => r.name === name);
  if (read) return read.span;
  const stmt = cell.statements.find((s) => s.reads.includes(name));
  return stmt?.span ?? cell.statements[0]?.span ?? NO_SPAN;
}

interface Writer {
  cell: number;
  kind: ChainLink["kind"];
  weak: boolean;
}

/** Build the dataflow graph. Pure; does not look at cell sources, only at the analyses. */
export function buildDataflow(analysis: NotebookAnalysis, options: DataflowOptions = {}): DataflowGraph {
  const weakBelow = CONFIDENCE_RANK[options.weakBelow ?? "likely"];
  const cells = [...analysis.cells].sort((a, b) => a.cellIndex - b.cellIndex);
  const functionsByName = indexFunctions(analysis);

  // Pass 1: each cell's reads and writes, and the definition chains.
  const chains: Record<string, ChainLink[]> = Object.create(null);
  const reads = new Map<number, EffectiveRead[]>();
  const writesByName = new Map<number, Map<string, Writer>>();
  for (const cell of cells) {
    const c = cell.cellIndex;
    reads.set(c, effectiveReads(cell, functionsByName));
    const w = new Map<string, Writer>();
    for (const m of cell.modifies) {
      const weak = CONFIDENCE_RANK[m.confidence] < weakBelow;
      const prev = w.get(m.name);
      if (prev && !prev.weak) continue;
      w.set(m.name, { cell: c, kind: "modify", weak });
      if (!prev) addLink(chains, m.name, { cell: c, kind: "modify", confidence: m.confidence });
      else updateConfidence(chains, m.name, c, m.confidence);
    }
    // Definitions win over modifications in the same cell (`df = load(); df['a'] = 1` defines df).
    for (const name of definedNames(cell, functionsByName)) {
      const prev = w.get(name);
      w.set(name, { cell: c, kind: "define", weak: false });
      if (prev) replaceLink(chains, name, c, { cell: c, kind: "define" });
      else addLink(chains, name, { cell: c, kind: "define" });
    }
    // Deletions are applied last: `for i in …: …` then `del i` leaves `i` undefined.
    for (const name of cell.deletes) {
      w.set(name, { cell: c, kind: "delete", weak: false });
      addLink(chains, name, { cell: c, kind: "delete" });
    }
    writesByName.set(c, w);
  }

  // Pass 2: walk top to bottom, keeping for each name the last strong writer and the weak modifiers after it.
  interface NameState {
    strong: number | null;
    weak: number[];
    deleted: boolean;
  }
  const state = new Map<string, NameState>();
  const edgeMap = new Map<
    number,
    { from: number; to: number; names: Set<string>; strongNames: Set<string> }
  >();
  /** Edge keys are numbers (from · stride + to), unique since every cell index is below the stride. */
  let stride = 1;
  for (const cell of cells) stride = Math.max(stride, cell.cellIndex + 1);
  const addEdge = (from: number, to: number, name: string, weak: boolean) => {
    if (from === to) return;
    const key = from * stride + to;
    let e = edgeMap.get(key);
    if (!e) {
      e = { from, to, names: new Set(), strongNames: new Set() };
      edgeMap.set(key, e);
    }
    e.names.add(name);
    if (!weak) e.strongNames.add(name);
  };
  const forwardReads: DataflowGraph["forwardReads"] = [];
  const undefinedReads: DataflowGraph["undefinedReads"] = [];
  /** Cells with a star import or %run above which an unknown name may come from. */
  const opaqueCells: number[] = [];
  /** Per reader: (name, intended writer) pairs, for the order constraints. */
  const intended: { reader: number; name: string; writer: number; forward: boolean }[] = [];

  for (const cell of cells) {
    const c = cell.cellIndex;
    const w = writesByName.get(c)!;
    const needs = new Map<string, { span: Span; isRead: boolean; via?: string }>();
    for (const r of reads.get(c)!) {
      const need: { span: Span; isRead: boolean; via?: string } = { span: r.span, isRead: true };
      if (r.via) need.via = r.via;
      needs.set(r.name, need);
    }
    for (const m of cell.modifies) if (!needs.has(m.name)) needs.set(m.name, { span: m.span, isRead: false });
    for (const [name, need] of needs) {
      const s = state.get(name);
      if (s && !s.deleted && (s.strong !== null || s.weak.length > 0)) {
        if (s.strong !== null) {
          addEdge(s.strong, c, name, false);
          intended.push({ reader: c, name, writer: s.strong, forward: false });
        }
        for (const wc of s.weak) {
          addEdge(wc, c, name, true);
          intended.push({ reader: c, name, writer: wc, forward: false });
        }
        continue;
      }
      // A modification of a name nobody defined is only reported through the read that usually goes with it.
      if (!need.isRead) continue;
      const links = chains[name] ?? [];
      const definedIn = links
        .filter(
          (l) => l.kind === "define" && (l.cell > c || (l.cell === c && w.get(name)?.kind === "define")),
        )
        .map((l) => l.cell);
      const unique = [...new Set(definedIn)];
      const span = need.span;
      if (unique.length > 0) {
        forwardReads.push({ cell: c, name, span, definedIn: unique, ...(need.via ? { via: need.via } : {}) });
        const writer = unique.find((d) => d > c);
        if (writer !== undefined) intended.push({ reader: c, name, writer, forward: true });
      } else {
        undefinedReads.push({ cell: c, name, span, ...(need.via ? { via: need.via } : {}) });
        const opaque = opaqueCells[opaqueCells.length - 1];
        if (opaque !== undefined) addEdge(opaque, c, name, true);
      }
    }
    for (const [name, wr] of w) {
      let s = state.get(name);
      if (!s) {
        s = { strong: null, weak: [], deleted: false };
        state.set(name, s);
      }
      if (wr.kind === "delete") {
        s.strong = null;
        s.weak = [];
        s.deleted = true;
      } else if (wr.weak) {
        s.weak.push(c);
        s.deleted = false;
      } else {
        s.strong = c;
        s.weak = [];
        s.deleted = false;
      }
    }
    if (cell.opaque) opaqueCells.push(c);
  }

  const nodes = cells.map((c) => c.cellIndex);
  const edges: DataflowEdge[] = [...edgeMap.values()]
    .map((e) => ({
      from: e.from,
      to: e.to,
      names: [...e.names].sort(),
      weak: e.strongNames.size === 0,
    }))
    .sort((a, b) => a.to - b.to || a.from - b.from);

  const constraints = orderConstraints(nodes, chains, intended);
  const { order, cycles } = topologicalOrder(nodes, constraints);
  return { nodes, edges, chains, forwardReads, undefinedReads, order, cycles };
}

function addLink(chains: Record<string, ChainLink[]>, name: string, link: ChainLink): void {
  const list = chains[name] ?? [];
  list.push(link);
  chains[name] = list;
}

function replaceLink(chains: Record<string, ChainLink[]>, name: string, cell: number, link: ChainLink): void {
  const list = chains[name] ?? [];
  const i = list.findIndex((l) => l.cell === cell);
  if (i >= 0) list[i] = link;
  else list.push(link);
  chains[name] = list;
}

function updateConfidence(chains: Record<string, ChainLink[]>, name: string, cell: number, c: Confidence) {
  const link = chains[name]?.find((l) => l.cell === cell && l.kind === "modify");
  if (link?.confidence && CONFIDENCE_RANK[c] > CONFIDENCE_RANK[link.confidence]) link.confidence = c;
}

/**
 * Ordering constraints (from → to: `from` must run before `to`) that make every read see its intended writer:
 * the last writer above it, or for a forward read the first writer below it.
 */
export function orderConstraints(
  nodes: number[],
  chains: Record<string, ChainLink[]>,
  intended: { reader: number; name: string; writer: number; forward: boolean }[],
): Map<number, Set<number>> {
  const succ = new Map<number, Set<number>>();
  for (const n of nodes) succ.set(n, new Set());
  const add = (a: number, b: number) => {
    if (a !== b) succ.get(a)?.add(b);
  };
  // The writer sequence each name should follow: writers that forward-read the name (`x = x + 1` above `x = 0`)
  // move to just after the writer they read from; the others keep their notebook order.
  const forwardWriters = new Map<string, Map<number, number>>();
  for (const i of intended) {
    if (!i.forward) continue;
    const isWriter = chains[i.name]?.some((l) => l.cell === i.reader);
    if (!isWriter) continue;
    const m = forwardWriters.get(i.name) ?? new Map<number, number>();
    m.set(i.reader, i.writer);
    forwardWriters.set(i.name, m);
  }
  const sequences = new Map<string, number[]>();
  for (const name in chains) {
    const links = chains[name]!;
    const cellsInOrder = distinctCells(links);
    // A name written by one cell orders nothing (and its readers find no next writer).
    if (cellsInOrder.length < 2) continue;
    const moved = forwardWriters.get(name);
    let seq = cellsInOrder;
    if (moved) {
      seq = [];
      for (const cell of cellsInOrder) {
        if (moved.has(cell)) continue;
        seq.push(cell);
        for (const [r, target] of moved) if (target === cell) seq.push(r);
      }
    }
    sequences.set(name, seq);
    for (let k = 1; k < seq.length; k++) add(seq[k - 1]!, seq[k]!);
  }
  for (const i of intended) {
    add(i.writer, i.reader);
    const seq = sequences.get(i.name) ?? [];
    const at = seq.indexOf(i.writer);
    if (at < 0) continue;
    // The reader must run before the next writer that would overwrite what it reads: after a forward read, the
    // writer following its definer; otherwise the first writer below the reader (weak modifiers between the
    // definer and the reader are read too, and the reader may itself be the next writer).
    let next: number | undefined;
    for (let k = at + 1; k < seq.length; k++) {
      const w = seq[k]!;
      if (i.forward ? w !== i.reader : w > i.reader) {
        next = w;
        break;
      }
    }
    if (next !== undefined) add(i.reader, next);
  }
  return succ;
}

/** The cells of a chain, each once, in order of their first link (links come in cell order: no set needed). */
function distinctCells(links: ChainLink[]): number[] {
  const out: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const l of links) {
    if (l.cell === last) continue;
    if (l.cell < last) return [...new Set(links.map((x) => x.cell))];
    out.push(l.cell);
    last = l.cell;
  }
  return out;
}

/**
 * Kahn's algorithm taking the lowest ready cell index first (so a notebook that already runs top to bottom keeps
 * its order, and a reorder moves as little as it can). Cells on a cycle are reported; the order then continues by
 * releasing the lowest remaining cell, so it still lists every node exactly once.
 */
export function topologicalOrder(
  nodes: number[],
  succ: Map<number, Set<number>>,
): { order: number[]; cycles: number[][] } {
  const indegree = new Map<number, number>();
  for (const n of nodes) indegree.set(n, 0);
  for (const [, targets] of succ) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const ready = new MinHeap();
  for (const n of nodes) if (indegree.get(n) === 0) ready.push(n);
  const done = new Set<number>();
  const order: number[] = [];
  const remaining = new Set(nodes);
  while (order.length < nodes.length) {
    let next: number;
    if (ready.size > 0) {
      next = ready.pop();
    } else {
      let min = Number.POSITIVE_INFINITY;
      for (const r of remaining) if (r < min) min = r;
      next = min;
    }
    if (done.has(next)) continue;
    done.add(next);
    remaining.delete(next);
    order.push(next);
    for (const t of succ.get(next) ?? []) {
      const d = (indegree.get(t) ?? 0) - 1;
      indegree.set(t, d);
      if (d === 0 && !done.has(t)) ready.push(t);
    }
  }
  return { order, cycles: stronglyConnected(nodes, succ) };
}

/** A binary min-heap of cell indices (the ready cells of the topological sort). */
class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Tarjan's strongly connected components with more than one cell, each sorted, in order of their first cell. */
function stronglyConnected(nodes: number[], succ: Map<number, Set<number>>): number[][] {
  let index = 0;
  const idx = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  // Iterative to stay safe on notebooks with thousands of cells.
  for (const root of nodes) {
    if (idx.has(root)) continue;
    const work: { node: number; it: Iterator<number> }[] = [];
    const enter = (n: number) => {
      idx.set(n, index);
      low.set(n, index);
      index++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, it: (succ.get(n) ?? new Set<number>()).values() });
    };
    enter(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const t = step.value;
        if (!idx.has(t)) enter(t);
        else if (onStack.has(t)) low.set(top.node, Math.min(low.get(top.node)!, idx.get(t)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === idx.get(top.node)) {
        const comp: number[] = [];
        let x: number;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          comp.push(x);
        } while (x !== top.node);
        if (comp.length > 1) out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out.sort((a, b) => a[0]! - b[0]!);
}
