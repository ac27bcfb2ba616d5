/**
 * What every renderer of the map receives, and small helpers they share (cell numbering, label text).
 *
 * Cells are shown 1-based, as `fledge check` and error messages number them (`cell 5` is index 4).
 */
import type { WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { NotebookAnalysis, Span } from "../python/types.js";

/** A finding from `fledge check` attached to a cell (the check stage's shape, reduced to what the map shows). */
export interface CellFinding {
  code: string;
  severity: string;
  message: string;
  cell: number;
  line?: number;
  column?: number;
}

export interface MapRenderInput {
  /** Shown as the title: usually the notebook's file name. */
  title: string;
  nb: Notebook;
  analysis: NotebookAnalysis;
  map: WorkflowMap;
  /** Draw steps (default) or the cell graph. */
  level?: "steps" | "cells";
  /** `check` findings of the notebook, shown with the steps in HTML. */
  findings?: CellFinding[];
}

/** 1-based cell numbers compressed into ranges: [4, 5, 6, 9] → "5-7, 10". */
export function cellRanges(cells: number[]): string {
  const sorted = [...new Set(cells)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]! + 1}` : `${sorted[i]! + 1}-${sorted[j]! + 1}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** Cells for a diagram label: the ranges when short, else "first-last (N cells)" so nodes stay narrow. */
export function cellSpan(cells: number[]): string {
  const ranges = cellRanges(cells);
  if (ranges.split(", ").length <= 3) return `cells ${ranges}`;
  const sorted = [...new Set(cells)].sort((a, b) => a - b);
  return `cells ${sorted[0]! + 1}-${sorted[sorted.length - 1]! + 1} (${sorted.length})`;
}

/** At most `max` names, then "+N". */
export function nameList(names: string[], max = 4): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} +${names.length - max}`;
}

export function strategyText(map: WorkflowMap): string {
  switch (map.strategy.kind) {
    case "headings":
      return `from level-${map.strategy.level} headings`;
    case "dataflow":
      return "from dataflow cuts";
    case "user":
      return "from the steps file";
  }
}

/** Source text of a span of a cell. */
export function sliceSpan(source: string, span: Span): string {
  const lines = source.split(/\r\n|\r|\n/);
  const out = lines.slice(span.line - 1, span.endLine);
  if (out.length === 0) return "";
  if (out.length === 1) return out[0]!.slice(span.column - 1, span.endColumn - 1);
  out[0] = out[0]!.slice(span.column - 1);
  out[out.length - 1] = out[out.length - 1]!.slice(0, span.endColumn - 1);
  return out.join("\n");
}

/** Code cells that hold exploration statements only. */
export function explorationOnlyCells(input: MapRenderInput): Set<number> {
  const inSteps = new Set(input.map.steps.flatMap((s) => s.cells));
  const out = new Set<number>();
  for (const r of input.map.exploration) if (!inSteps.has(r.cell)) out.add(r.cell);
  return out;
}

/** The first line of a code cell, trimmed, for cell-level labels. */
export function firstLine(source: string, max = 40): string {
  const line =
    source
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith("#") && !l.startsWith("%")) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
