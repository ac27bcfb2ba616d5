/**
 * `--fix`: the safe fixes, applied to a copy of the notebook. A fix is applied only when it is proven safe:
 * - reorder: cells are moved into the dataflow's topological order, keeping the largest set of cells in place
 *   (the fewest moves for that order); the new order is re-analysed and must have no use-before-definition and
 *   give every read that worked top to bottom the same writer as before;
 * - imports: moved to the first code cell when nothing above them binds their names or changes the import
 *   environment (see importMoveBlocker);
 * - stale outputs: cleared (outputs and execution count).
 * Everything else is listed as suggestions.
 */
import { randomBytes } from "node:crypto";
import { buildDataflow } from "../graph/dataflow.js";
import { cloneJson } from "../notebook/memo.js";
import type { Cell, CodeCell, Notebook } from "../notebook/types.js";
import type { NotebookAnalysis } from "../python/types.js";
import type { CheckResult } from "./check.js";
import { type CheckContext, cellLabel, listText } from "./context.js";
import { importMoveBlocker } from "./rules/quality.js";

export interface FixResult {
  notebook: Notebook;
  applied: string[];
  suggested: string[];
  changed: boolean;
}

export interface ReorderPlan {
  /** Code cell indices in their new order. */
  order: number[];
  /** The code cells that move. */
  moved: number[];
}

/** Longest increasing subsequence (of values), returned as the set of values kept. */
function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const tailIdx: number[] = [];
  const prev: number[] = new Array(values.length).fill(-1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
    tailIdx[lo] = i;
    prev[i] = lo > 0 ? tailIdx[lo - 1]! : -1;
  });
  const keep = new Set<number>();
  let k = tailIdx[tails.length - 1] ?? -1;
  while (k >= 0) {
    keep.add(values[k]!);
    k = prev[k]!;
  }
  return keep;
}

/** Re-number an analysis as if its code cells stood in `order` (positions 0, 1, 2, …). */
function permutedAnalysis(analysis: NotebookAnalysis, order: number[]): NotebookAnalysis {
  const byIndex = new Map(analysis.cells.map((c) => [c.cellIndex, c]));
  return {
    pythonVersion: analysis.pythonVersion,
    cells: order.map((idx, pos) => ({ ...byIndex.get(idx)!, cellIndex: pos })),
  };
}

/** A reorder that removes every use-before-definition, or the reason there is none. */
export function planReorder(ctx: CheckContext): ReorderPlan | { reason: string } {
  const { graph, analysis } = ctx;
  const fixable = graph.forwardReads.filter((f) => f.definedIn.some((d) => d !== f.cell));
  if (fixable.length === 0) return { reason: "no use-before-definition that moving cells can fix" };
  if (graph.cycles.length > 0) {
    return {
      reason: `cells ${listText(graph.cycles[0]!.map((c) => String(c + 1)))} depend on each other in a cycle`,
    };
  }
  const order = graph.order;
  const after = buildDataflow(permutedAnalysis(analysis, order));
  const back = (pos: number) => order[pos]!;
  const left = after.forwardReads.filter((f) => f.definedIn.some((d) => d !== f.cell));
  if (left.length > 0) {
    const f = left[0]!;
    return {
      reason: `\`${f.name}\` in ${cellLabel(ctx, back(f.cell))} would still be read before it is defined`,
    };
  }
  // Reads that worked top to bottom must keep their writer.
  const edgesAfter = new Set<string>();
  for (const e of after.edges) for (const n of e.names) edgesAfter.add(`${back(e.from)}>${back(e.to)}:${n}`);
  for (const e of graph.edges) {
    if (e.weak) continue;
    for (const n of e.names) {
      if (!edgesAfter.has(`${e.from}>${e.to}:${n}`)) {
        return { reason: `moving cells would change where ${cellLabel(ctx, e.to)} gets \`${n}\` from` };
      }
    }
  }
  const keep = longestIncreasing(order);
  return { order, moved: order.filter((c) => !keep.has(c)) };
}

/** The cell list with code cells in the planned order; markdown and kept cells stay, moved cells follow their predecessor. */
function reorderCells(cells: Cell[], plan: ReorderPlan): Cell[] {
  const moved = new Set(plan.moved);
  const out = cells.filter((_, i) => !moved.has(i));
  for (let k = 0; k < plan.order.length; k++) {
    const idx = plan.order[k]!;
    if (!moved.has(idx)) continue;
    const cell = cells[idx]!;
    if (k === 0) {
      const firstCode = out.findIndex((c) => c.cell_type === "code");
      out.splice(firstCode < 0 ? out.length : firstCode, 0, cell);
    } else {
      const pred = cells[plan.order[k - 1]!]!;
      out.splice(out.indexOf(pred) + 1, 0, cell);
    }
  }
  return out;
}

function newCellId(nb: Notebook): Record<string, string> {
  return nb.nbformat > 4 || (nb.nbformat === 4 && nb.nbformat_minor >= 5)
    ? { id: randomBytes(4).toString("hex") }
    : {};
}

export function applyFixes(nb: Notebook, result: CheckResult): FixResult {
  const { findings, context: ctx } = result;
  const copy = cloneJson(nb);
  const objects = copy.cells;
  const applied: string[] = [];
  const suggested = new Set<string>();
  for (const f of findings) {
    if (f.fix && !f.fix.safe) {
      const at = f.cell === undefined ? "" : `cell ${f.cell + 1}: `;
      suggested.add(`${at}${f.fix.description} [${f.code}]`);
    }
  }

  // 1. Stale outputs.
  const stale = [
    ...new Set(
      findings.filter((f) => f.fix?.kind === "clear-outputs" && f.cell !== undefined).map((f) => f.cell!),
    ),
  ];
  for (const i of stale) {
    const cell = objects[i] as CodeCell;
    cell.outputs = [];
    cell.execution_count = null;
  }
  if (stale.length > 0)
    applied.push(`cleared the stale outputs of ${listText(stale.map((i) => `cell ${i + 1}`))}`);

  // 2. Imports to the top (edits sources of the cell objects; positions do not change yet).
  const importFindings = findings.filter((f) => f.fix?.kind === "move-import" && f.cell !== undefined);
  const moves: { cell: number; line: number; endLine: number; text: string }[] = [];
  for (const f of importFindings) {
    const info = ctx.byIndex.get(f.cell!);
    const imp = info?.analysis?.imports.find((i) => i.span.line === f.line && i.span.column === f.column);
    if (!info || !imp || importMoveBlocker(ctx, info, imp)) continue;
    const lines = info.cell.source.split("\n");
    moves.push({
      cell: f.cell!,
      line: imp.span.line,
      endLine: imp.span.endLine,
      text: lines
        .slice(imp.span.line - 1, imp.span.endLine)
        .join("\n")
        .replace(/\r$/, ""),
    });
  }

  // 3. Reorder.
  const wantsReorder = findings.some((f) => f.fix?.kind === "reorder");
  let cells = objects;
  if (wantsReorder) {
    const plan = planReorder(ctx);
    if ("reason" in plan)
      suggested.add(`reorder the cells by hand: not automatic because ${plan.reason} [FL104]`);
    else if (plan.moved.length > 0) {
      cells = reorderCells(objects, plan);
      applied.push(
        `moved ${listText(plan.moved.map((i) => `cell ${i + 1}`))} so that every name is defined before it is read ` +
          `(${plan.moved.length} of ${plan.order.length} code cells moved)`,
      );
    }
  }

  if (moves.length > 0) {
    // Cut the import lines (bottom up within each cell), then put them in the first code cell.
    const byCell = new Map<number, typeof moves>();
    for (const m of moves) byCell.set(m.cell, [...(byCell.get(m.cell) ?? []), m]);
    for (const [i, list] of byCell) {
      const cell = objects[i]!;
      const lines = cell.source.split("\n");
      for (const m of [...list].sort((a, b) => b.line - a.line))
        lines.splice(m.line - 1, m.endLine - m.line + 1);
      cell.source = lines
        .join("\n")
        .replace(/^\s*\n/, "")
        .replace(/\n\s*$/, "");
    }
    const firstCode = cells.find((c) => c.cell_type === "code");
    const firstInfo = firstCode ? ctx.byIndex.get(objects.indexOf(firstCode)) : undefined;
    const importsOnly =
      firstInfo?.analysis?.statements.every((s) => /import/.test(s.type) || s.magic !== undefined) ?? false;
    const existing = new Set((firstCode?.source ?? "").split("\n").map((l) => l.trim()));
    const texts = [...new Set(moves.map((m) => m.text))].filter((t) => !existing.has(t.trim()));
    if (firstCode && importsOnly && !byCell.has(objects.indexOf(firstCode))) {
      firstCode.source = [firstCode.source.replace(/\s+$/, ""), ...texts].filter((s) => s !== "").join("\n");
    } else if (texts.length > 0) {
      const cell: CodeCell = {
        cell_type: "code",
        ...newCellId(copy),
        metadata: {},
        source: texts.join("\n"),
        execution_count: null,
        outputs: [],
      };
      const at = cells.findIndex((c) => c.cell_type === "code");
      cells = [...cells];
      cells.splice(Math.max(at, 0), 0, cell);
    }
    // A cell left empty by the move (and without outputs) goes.
    cells = cells.filter(
      (c) =>
        !(
          c.cell_type === "code" &&
          c.source.trim() === "" &&
          (c as CodeCell).outputs.length === 0 &&
          byCell.has(objects.indexOf(c))
        ),
    );
    applied.push(
      `moved ${moves.length === 1 ? "1 import" : `${moves.length} imports`} to the first code cell`,
    );
  }
  copy.cells = cells;
  return { notebook: copy, applied, suggested: [...suggested], changed: applied.length > 0 };
}
