/**
 * `fledge check --stats`: how many notebooks of a folder show each problem. The execution-count measures use the
 * same definitions as a direct count from the files: out of order = some count is not above the previous count
 * in cell order; skipped = the first count is not 1 or a number is missing.
 */
import type { Notebook } from "../notebook/types.js";
import type { CheckResult } from "./check.js";
import { executionCount } from "./context.js";
import { countGaps, outOfOrderCells } from "./rules/order.js";

export const STAT_LABELS: [key: string, label: string][] = [
  ["withCounts", "have execution counts"],
  ["outOfOrder", "execution counts out of order"],
  ["skippedCounts", "execution counts skip numbers"],
  ["neverRun", "a cell never run while later cells ran"],
  ["failTopToBottom", "predicted to fail top to bottom (use before definition, undefined name)"],
  ["useBeforeDefinition", "use before definition"],
  ["undefinedName", "undefined name"],
  ["staleOutput", "stale outputs or outputs from another definition"],
  ["unseeded", "randomness without a seed"],
  ["machinePaths", "absolute, home-directory or outside-folder paths"],
  ["unpinned", "unpinned !pip/%pip install"],
  ["secrets", "secrets in code or outputs"],
  ["syntax", "cells the analyser could not read"],
];

export type NotebookStats = Record<string, boolean>;

export function notebookStats(result: CheckResult): NotebookStats {
  const { findings, context } = result;
  const has = (...codes: string[]) => findings.some((f) => codes.includes(f.code));
  return {
    withCounts: context.code.some((c) => c.count !== null),
    outOfOrder: outOfOrderCells(context.code).length > 0,
    skippedCounts: countGaps(context.code).gapped,
    neverRun: has("FL103"),
    failTopToBottom:
      has("FL104", "FL108") || findings.some((f) => f.code === "FL105" && f.severity === "error"),
    useBeforeDefinition: has("FL104"),
    undefinedName: has("FL105"),
    staleOutput: has("FL106", "FL107"),
    unseeded: has("FL201"),
    machinePaths: has("FL202", "FL203", "FL204"),
    unpinned: has("FL206"),
    secrets: has("FL401", "FL402"),
    syntax: findings.some((f) => f.code === "FL001" && f.severity === "error"),
  };
}

/** The execution-count measures alone, for notebooks fledge does not analyse (another language). */
export function countStats(nb: Notebook): NotebookStats {
  const code = nb.cells.flatMap((c) => (c.cell_type === "code" ? [{ count: executionCount(c) }] : []));
  const stats: NotebookStats = Object.fromEntries(STAT_LABELS.map(([key]) => [key, false]));
  stats.withCounts = code.some((c) => c.count !== null);
  stats.outOfOrder = outOfOrderCells(code).length > 0;
  stats.skippedCounts = countGaps(code).gapped;
  return stats;
}

export interface CorpusStats {
  notebooks: number;
  unreadable: number;
  /** Notebooks in another language: only their execution counts are counted. */
  countsOnly: number;
  counts: Record<string, number>;
}

export function aggregateStats(
  perNotebook: NotebookStats[],
  unreadable: number,
  countsOnly = 0,
): CorpusStats {
  const counts: Record<string, number> = {};
  for (const [key] of STAT_LABELS) counts[key] = perNotebook.filter((s) => s[key]).length;
  return { notebooks: perNotebook.length + unreadable, unreadable, countsOnly, counts };
}

export function formatStats(stats: CorpusStats): string {
  const n = stats.notebooks;
  const pct = (k: number) => (n === 0 ? "0%" : `${Math.round((100 * k) / n)}%`);
  const w = Math.max(...STAT_LABELS.map(([, l]) => l.length));
  const lines = [
    `${n} notebooks${stats.unreadable > 0 ? ` (${stats.unreadable} could not be read)` : ""}` +
      (stats.countsOnly > 0 ? `; ${stats.countsOnly} not Python (execution counts only)` : ""),
    "",
  ];
  for (const [key, label] of STAT_LABELS) {
    const k = stats.counts[key] ?? 0;
    lines.push(`  ${label.padEnd(w)}  ${String(k).padStart(5)} of ${n}  ${pct(k).padStart(4)}`);
  }
  return `${lines.join("\n")}\n`;
}
