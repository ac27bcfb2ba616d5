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
export type * from "./types.js";
