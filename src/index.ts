/**
 * fledge's library API. Each stage exports its entry points here (one line per export).
 */

export {
  applyFixes,
  type CheckOptions,
  checkNotebook,
  explainRule,
  type Finding,
  type FindingFix,
  RULES,
  runChecks,
} from "./analysis/index.js";
export { type ErrorCode, type ExitCode, FledgeError } from "./errors.js";
export * from "./graph/index.js";
export {
  type ExecuteOptions,
  type ExecuteResult,
  Kernel,
  type KernelRequest,
  type ResolvedKernel,
  type RunOptions,
  type RunResult,
  resolveKernel,
  runNotebook,
  startKernel,
} from "./kernel/index.js";
export * from "./notebook/index.js";
export type * from "./notebook/types.js";
export * from "./python/index.js";
export type * from "./python/types.js";
export { MAP_FORMATS, type MapFormat, type MapRenderInput, renderMap } from "./render/index.js";
