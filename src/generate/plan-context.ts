/**
 * The state the project planner shares between its passes (see plan.ts), built once per notebook.
 *
 * The planner's passes (step bodies in plan-steps.ts, parameters and inputs in plan-params.ts, imports and
 * type hints in plan-imports.ts) read the notebook-wide facts here (imports, helpers, constants) and add to
 * the accumulators (findings, params, requirements, env vars, hint state) in pipeline order.
 */
import type { Step } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { CellAnalysis, NotebookAnalysis } from "../python/types.js";
import { type HelperDef, indexHelpers } from "./helpers.js";
import { type HintContext, hintContext } from "./hints.js";
import type { ArgModel, ExtractFinding, ParamModel, StepModel } from "./model.js";
import type { PlanInput, PlanOptions } from "./plan.js";
import { collectImports, type NotebookImports } from "./plan-imports.js";
import { type ConstantParam, findConstants } from "./plan-params.js";
import type { RewriteContext } from "./rewrite.js";

export interface PlanContext {
  notebook: Notebook;
  analysis: NotebookAnalysis;
  options: PlanOptions;
  cellsByIndex: Map<number, CellAnalysis>;
  /** Findings in the order they are met (helpers, steps, non-Python cells, inputs, globals). */
  findings: ExtractFinding[];
  imports: NotebookImports;
  /** Top-level functions and classes, with the parameters each gains (constants renamed). */
  helpers: Map<string, HelperDef>;
  /** Helper name → the keyword arguments every call to it passes. */
  helperArgs: Map<string, string[]>;
  rewriteCtx: RewriteContext;
  /**
   * Notebook constants: `WINDOW = 6`, assigned once, whose literal the map made a parameter, is that
   * parameter wherever it is used (steps and helpers take `window`, not a value handed along by the step
   * that happened to define it). Constant name → its parameter and statement.
   */
  constants: Map<string, ConstantParam>;
  /** Constant name → parameter name. */
  renames: Map<string, string>;
  /** Parameter name → constant name. */
  constantByParam: Map<string, string>;
  /** Constant name → the argument of the step that defines it (filled while steps are built). */
  constArg: Map<string, ArgModel>;
  /** params.yaml entries, de-duplicated across steps. */
  params: ParamModel[];
  /** Type hints known so far, in notebook order (updated statement by statement). */
  hintCtx: HintContext;
  envVars: Set<string>;
  requirements: string[];
}

/** A step being planned: its model plus what the later passes need to wire inputs and returns. */
export interface StepWork {
  step: Step;
  model: StepModel;
  /** Names defined or modified by the kept statements. */
  produces: Set<string>;
  /** Names read from outside the step, in first-read order. */
  needs: string[];
  /** Names of result statements' simple assignments (metrics): returned even when no step reads them. */
  resultNames: string[];
  helpersUsed: Set<string>;
  usesSubprocess: boolean;
  usesOs: boolean;
  usesPartial: boolean;
  /** Type hints known after the step's statements. */
  hints: Map<string, string>;
}

export function createPlanContext(input: PlanInput): PlanContext {
  const { notebook, analysis, map, options } = input;
  const findings: ExtractFinding[] = [];
  const cellsByIndex = new Map<number, CellAnalysis>(analysis.cells.map((c) => [c.cellIndex, c]));
  const imports = collectImports(notebook, analysis);
  const helpers = indexHelpers(analysis, imports.bound, findings);
  const constants = findConstants(notebook, analysis, map, cellsByIndex, helpers);
  const renames = new Map([...constants].map(([name, c]) => [name, c.param.name]));
  const constantByParam = new Map([...constants].map(([name, c]) => [c.param.name, name]));
  for (const h of helpers.values()) h.params = [...new Set(h.params.map((n) => renames.get(n) ?? n))].sort();
  const helperArgs = new Map<string, string[]>([...helpers.values()].map((h) => [h.name, h.params]));
  return {
    notebook,
    analysis,
    options,
    cellsByIndex,
    findings,
    imports,
    helpers,
    helperArgs,
    rewriteCtx: { helperArgs, printToLogging: true },
    constants,
    renames,
    constantByParam,
    constArg: new Map(),
    params: [],
    hintCtx: hintContext(analysis.cells.flatMap((c) => c.imports)),
    envVars: new Set(),
    requirements: [],
  };
}
