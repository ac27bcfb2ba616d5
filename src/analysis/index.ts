/** analysis/: `fledge check` — findings about hidden state, reproducibility, quality and secrets, from the file alone. */
export { type CheckOptions, type CheckResult, checkNotebook, compareFindings, runChecks } from "./check.js";
export { type FledgeConfig, loadConfig, loadEnvironment } from "./config.js";
export type { CheckEnvironment } from "./context.js";
export {
  compareWithRun,
  type ExecutionSummary,
  nameErrorSymbol,
  predictedFailures,
  type RunOutcome,
} from "./execute.js";
export { applyFixes, type FixResult, planReorder, type ReorderPlan } from "./fix.js";
export { type SourceLineMap, sourceLineMap } from "./format/locate.js";
export { type PrettyOptions, toPretty } from "./format/pretty.js";
export { type FileReport, type Summary, summarize, toGithub, toJson, toSarif } from "./format/report.js";
export { explainRule, findRule, RULES, selectorMatches, unknownSelectors } from "./registry.js";
export {
  aggregateStats,
  type CorpusStats,
  countStats,
  formatStats,
  type NotebookStats,
  notebookStats,
} from "./stats.js";
export { isSuppressed, selectFindings } from "./suppress.js";
export { type Finding, type FindingFix, type RuleInfo, SEVERITY_RANK, type Severity } from "./types.js";
