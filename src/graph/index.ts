/** graph/: the dataflow graph of a notebook (and, beside it, the workflow steps built on it). */
export {
  buildDataflow,
  calledFunctions,
  cellDefines,
  type DataflowOptions,
  type EffectiveRead,
  effectiveReads,
  type FunctionIndex,
  indexFunctions,
  orderConstraints,
  resolveFunction,
  topologicalOrder,
} from "./dataflow.js";
export {
  buildWorkflowMap,
  checkWorkflowMap,
  parseStepsFile,
  type UserSteps,
  type WorkflowMapOptions,
} from "./steps.js";
export type * from "./types.js";
