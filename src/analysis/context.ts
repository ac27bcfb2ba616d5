/**
 * What every rule sees: the notebook, its cell analyses, the dataflow graph, each code cell's scanned source,
 * and the environment beside the notebook (requirement files). Rules add findings through `report`.
 */
import type { DataflowGraph } from "../graph/types.js";
import type { CodeCell, Notebook } from "../notebook/types.js";
import type { CellAnalysis, NotebookAnalysis, Span } from "../python/types.js";
import { rule } from "./registry.js";
import { type ScannedSource, scanPython } from "./source.js";
import type { Finding, FindingFix, Severity } from "./types.js";

/** Facts about the notebook's folder that the reproducibility rules need (read by the caller, see config.ts). */
export interface CheckEnvironment {
  /** Normalised distribution names declared in requirements.txt / pyproject.toml / environment.yml beside the notebook. */
  declared?: Set<string>;
  /** Which requirement files were found (for messages). */
  requirementFiles?: string[];
  /** Module names importable from the notebook's folder (`utils.py`, `mypkg/`): not dependencies. */
  localModules?: Set<string>;
}

export interface CodeCellInfo {
  index: number;
  cell: CodeCell;
  analysis: CellAnalysis | undefined;
  scanned: ScannedSource;
  /** The stored execution count, or null. */
  count: number | null;
}

export interface CheckContext {
  nb: Notebook;
  analysis: NotebookAnalysis;
  graph: DataflowGraph;
  code: CodeCellInfo[];
  byIndex: Map<number, CodeCellInfo>;
  env: CheckEnvironment;
  findings: Finding[];
  report(
    code: string,
    where: { cell?: number; span?: Span; output?: number },
    message: string,
    extra?: {
      severity?: Severity;
      fix?: FindingFix;
      related?: Finding["related"];
      excerpt?: string;
      symbol?: string;
    },
  ): void;
}

/** An execution count as a plain number (the reader may keep numbers as Number objects to round-trip them). */
export function executionCount(cell: CodeCell): number | null {
  const v = cell.execution_count as unknown;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (v instanceof Number) return v.valueOf();
  return null;
}

const FIRST_LINE: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function createContext(
  nb: Notebook,
  analysis: NotebookAnalysis,
  graph: DataflowGraph,
  env: CheckEnvironment,
): CheckContext {
  const analyses = new Map(analysis.cells.map((c) => [c.cellIndex, c]));
  const code: CodeCellInfo[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    code.push({
      index,
      cell,
      analysis: analyses.get(index),
      scanned: scanPython(cell.source ?? ""),
      count: executionCount(cell),
    });
  });
  const byIndex = new Map(code.map((c) => [c.index, c]));
  const findings: Finding[] = [];
  const ctx: CheckContext = {
    nb,
    analysis,
    graph,
    code,
    byIndex,
    env,
    findings,
    report(codeId, where, message, extra = {}) {
      const info = rule(codeId);
      const span =
        where.span ?? firstLineSpan(where.cell === undefined ? undefined : byIndex.get(where.cell));
      const f: Finding = {
        code: info.code,
        name: info.name,
        severity: extra.severity ?? info.severity,
        message,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      };
      if (where.cell !== undefined) {
        f.cell = where.cell;
        const id = nb.cells[where.cell]?.id;
        if (typeof id === "string") f.cellId = id;
      }
      if (where.output !== undefined) f.output = where.output;
      if (extra.fix) f.fix = extra.fix;
      if (extra.related && extra.related.length > 0) f.related = extra.related;
      if (extra.excerpt !== undefined) f.excerpt = extra.excerpt;
      if (extra.symbol !== undefined) f.symbol = extra.symbol;
      findings.push(f);
    },
  };
  return ctx;
}

/** The first non-blank line of a cell, whole. */
export function firstLineSpan(info: CodeCellInfo | undefined): Span {
  if (!info) return FIRST_LINE;
  const lines = info.cell.source.split(/\r?\n/);
  const k = Math.max(
    0,
    lines.findIndex((l) => l.trim() !== ""),
  );
  const text = lines[k] ?? "";
  const start = text.length - text.trimStart().length;
  return {
    line: k + 1,
    column: start + 1,
    endLine: k + 1,
    endColumn: Math.max(start + 1, text.trimEnd().length + 1),
  };
}

/** "cell 4 [3]": 1-based cell number as Jupyter users count cells, with the execution count when there is one. */
export function cellLabel(ctx: CheckContext, index: number): string {
  const count = ctx.byIndex.get(index)?.count;
  return count === null || count === undefined ? `cell ${index + 1}` : `cell ${index + 1} [${count}]`;
}

/** Whether a cell has stored outputs. */
export function hasOutputs(cell: CodeCell): boolean {
  return Array.isArray(cell.outputs) && cell.outputs.length > 0;
}

/** Human list: "a, b and c". */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
