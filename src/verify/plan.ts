/**
 * The recording plan: how to run a notebook so that each step's inputs and outputs can be fingerprinted
 * at the point where the notebook's own execution produced them.
 *
 * Choice: the notebook runs in its own order (cell by cell, top to bottom), never reordered. A cell whose
 * statements belong to more than one step is split into chunks at the line where the next step's first
 * statement starts, so a step's outputs can be recorded after its last statement even when the same cell
 * goes on with the next step. Exploration statements stay in the chunk they are in. Recording points:
 * - an input `n` of step S is fingerprinted just before the first chunk of S whose statements read or
 *   modify `n` (so an in-place change made by S itself is not seen, and a value that a step interleaved
 *   with S produces late is still there);
 * - the outputs of S (and every other name S defines, so a final step's metrics are recorded too) are
 *   fingerprinted just after the last chunk holding a statement of S.
 * Limits: a cell that starts with a cell magic (`%%time`) is never split (its steps are recorded together
 * after the cell); two statements on one line (`a = 1; b = 2`) stay together; if a later step changes an
 * output in place within the chunk that ends S, the recorded value already includes that change.
 */

import type { WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { CellAnalysis, NotebookAnalysis } from "../python/types.js";

export interface Chunk {
  /** Cell index in the notebook. */
  cell: number;
  /** 1-based first line in the cell. */
  startLine: number;
  code: string;
  /** Steps owning statements of this chunk (indices into map.steps). */
  steps: number[];
  /** Names to fingerprint before running the chunk, by step index. */
  before: { step: number; names: string[] }[];
  /** Names to fingerprint after running the chunk, by step index. */
  after: { step: number; names: string[] }[];
}

export interface RecordingPlan {
  chunks: Chunk[];
  /** Inputs of a step that no chunk of that step reads (recorded before its first chunk). */
  notes: string[];
}

/** Names a step's own statements define (besides its outputs): candidates to record, not functions or imports. */
function stepDefines(step: WorkflowMap["steps"][number], cells: Map<number, CellAnalysis>): string[] {
  const out = new Set<string>();
  for (const ref of step.statements) {
    const cell = cells.get(ref.cell);
    const st = cell?.statements[ref.statement];
    if (!cell || !st) continue;
    if (
      /^(import_statement|import_from_statement|function_definition|class_definition|decorated_definition)$/.test(
        st.type,
      )
    )
      continue;
    for (const d of st.defines) out.add(d);
  }
  return [...out];
}

export function buildRecordingPlan(
  nb: Notebook,
  analysis: NotebookAnalysis,
  map: WorkflowMap,
): RecordingPlan {
  const cells = new Map(analysis.cells.map((c) => [c.cellIndex, c]));
  const owner = new Map<string, number>();
  map.steps.forEach((s, i) => {
    for (const ref of s.statements) owner.set(`${ref.cell}:${ref.statement}`, i);
  });
  const chunks: Chunk[] = [];
  const chunkOf = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const lines = cell.source.split(/\r?\n/);
    const ca = cells.get(index);
    const cellMagic = /^\s*%%/.test(cell.source);
    const cuts: { line: number; step: number | undefined }[] = [{ line: 1, step: undefined }];
    (ca?.statements ?? []).forEach((st, i) => {
      const s = owner.get(`${index}:${i}`);
      if (s === undefined) return;
      const current = cuts[cuts.length - 1] as { line: number; step: number | undefined };
      if (current.step === undefined) current.step = s;
      else if (current.step !== s && !cellMagic && st.span.line > current.line)
        cuts.push({ line: st.span.line, step: s });
    });
    cuts.forEach((cut, k) => {
      const end = k + 1 < cuts.length ? (cuts[k + 1] as { line: number }).line - 1 : lines.length;
      chunks.push({
        cell: index,
        startLine: cut.line,
        code: lines.slice(cut.line - 1, end).join("\n"),
        steps: [],
        before: [],
        after: [],
      });
    });
    (ca?.statements ?? []).forEach((st, i) => {
      // The chunk holding statement i is the last one starting at or before its first line.
      let c = chunks.length - cuts.length;
      for (let k = chunks.length - cuts.length; k < chunks.length; k++) {
        if ((chunks[k] as Chunk).startLine <= st.span.line) c = k;
      }
      chunkOf.set(`${index}:${i}`, c);
      const s = owner.get(`${index}:${i}`);
      const chunk = chunks[c] as Chunk;
      if (s !== undefined && !chunk.steps.includes(s)) chunk.steps.push(s);
    });
  });

  const notes: string[] = [];
  map.steps.forEach((step, si) => {
    const refs = step.statements.filter((r) => chunkOf.has(`${r.cell}:${r.statement}`));
    if (refs.length === 0) return;
    const chunkIdx = refs.map((r) => chunkOf.get(`${r.cell}:${r.statement}`) as number);
    const first = Math.min(...chunkIdx);
    const last = Math.max(...chunkIdx);
    const byChunk = new Map<number, string[]>();
    for (const name of step.inputs) {
      let at: number | undefined;
      for (const r of refs) {
        const st = cells.get(r.cell)?.statements[r.statement];
        if (st && (st.reads.includes(name) || st.modifies.includes(name))) {
          const c = chunkOf.get(`${r.cell}:${r.statement}`) as number;
          at = at === undefined ? c : Math.min(at, c);
        }
      }
      if (at === undefined) {
        notes.push(
          `${step.name}: input \`${name}\` is read through a helper; recorded before the step starts`,
        );
        at = first;
      }
      byChunk.set(at, [...(byChunk.get(at) ?? []), name]);
    }
    for (const [c, names] of byChunk) (chunks[c] as Chunk).before.push({ step: si, names });
    const names = [...new Set([...step.outputs, ...stepDefines(step, cells)])];
    (chunks[last] as Chunk).after.push({ step: si, names });
  });
  return { chunks, notes };
}
