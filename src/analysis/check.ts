/**
 * checkNotebook: every rule over one notebook, from the saved file only (nothing is run).
 */
import { compareText } from "../compare.js";
import { buildDataflow } from "../graph/dataflow.js";
import type { DataflowGraph } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import { analyzeNotebook } from "../python/index.js";
import type { Confidence, NotebookAnalysis } from "../python/types.js";
import { type CheckContext, type CheckEnvironment, createContext } from "./context.js";
import { checkOrder } from "./rules/order.js";
import {
  checkBuiltinShadowing,
  checkExplorationCells,
  checkImportsAtTop,
  checkUnusedDefinitions,
} from "./rules/quality.js";
import { checkInstalls, checkMetadata, checkPaths, checkRandomness } from "./rules/repro.js";
import { checkSecrets } from "./rules/secrets.js";
import { isSuppressed, selectFindings } from "./suppress.js";
import type { Finding } from "./types.js";

export interface CheckOptions {
  /** Rule selectors to report (codes, prefixes like "FL1", names, categories, "ALL"); default all. */
  select?: string[];
  /** Rule selectors to leave out. */
  ignore?: string[];
  /** Facts about the notebook's folder (requirement files, local modules); see loadEnvironment. */
  environment?: CheckEnvironment;
  /** A precomputed analysis (otherwise analyzeNotebook runs; it needs `await initPython()` first). */
  analysis?: NotebookAnalysis;
  graph?: DataflowGraph;
  /** Modifications below this confidence make weak dataflow edges (default "likely"). */
  weakBelow?: Confidence;
}

type Rule = (ctx: CheckContext) => void;

const RULE_FUNCTIONS: Rule[] = [
  diagnostics,
  checkOrder,
  checkRandomness,
  checkPaths,
  checkInstalls,
  checkMetadata,
  checkImportsAtTop,
  checkUnusedDefinitions,
  checkBuiltinShadowing,
  checkExplorationCells,
  checkSecrets,
];

function diagnostics(ctx: CheckContext): void {
  for (const c of ctx.code) {
    for (const d of c.analysis?.diagnostics ?? []) {
      ctx.report("FL001", { cell: c.index, span: d.span }, `${d.message} (${d.code})`, {
        severity: d.severity,
      });
    }
  }
}

/** Everything the checks computed for one notebook, for callers that need more than the findings (--fix, --stats). */
export interface CheckResult {
  findings: Finding[];
  context: CheckContext;
}

export function runChecks(nb: Notebook, options: CheckOptions = {}): CheckResult {
  const analysis = options.analysis ?? analyzeNotebook(nb);
  const graph =
    options.graph ?? buildDataflow(analysis, options.weakBelow ? { weakBelow: options.weakBelow } : {});
  const ctx = createContext(nb, analysis, graph, options.environment ?? {});
  for (const rule of RULE_FUNCTIONS) rule(ctx);
  const selected = selectFindings(ctx.findings, { select: options.select, ignore: options.ignore });
  const findings = selected.filter((f) => !isSuppressed(nb, f)).sort(compareFindings);
  return { findings, context: ctx };
}

/** The library API: the findings for one notebook, sorted by cell and position. */
export function checkNotebook(nb: Notebook, options: CheckOptions = {}): Finding[] {
  return runChecks(nb, options).findings;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.cell ?? -1) - (b.cell ?? -1) ||
    (a.output ?? -1) - (b.output ?? -1) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.code, b.code)
  );
}
