/**
 * `.fledge/steps.json`: how `fledge verify` calls the generated steps — each step's module, function,
 * arguments (and where the pipeline gets each: an earlier step's value, or a parameter with its role) and
 * returned names, plus the parameter values the notebook used. Written at extraction, so verify does not
 * have to re-derive the project from the notebook (whose folder may have changed since: a file the
 * notebook writes exists after a run and would no longer look like an output).
 */

import { defaultParams } from "../generate/emit/pipeline.js";
import type { ArgModel, ProjectModel } from "../generate/model.js";
import type { GeneratedFile } from "../generate/project.js";

export const STEPS_FILE = ".fledge/steps.json";

export interface StepsFile {
  format: 1;
  package: string;
  /** Parameter values as the notebook had them (DEFAULT_PARAMS of pipeline.py). */
  params: Record<string, unknown>;
  /**
   * Parameters the notebook wrote as floats whose value is a whole number (`alpha = 1.0`): JSON has one
   * number type, so verify turns these back into Python floats before calling the steps.
   */
  floats?: string[];
  steps: VerifyStep[];
}

/** What verify needs of a generated step. */
export interface VerifyStep {
  name: string;
  module: string;
  cells: number[];
  args: ArgModel[];
  returns: { name: string }[];
}

export function stepsFileOf(model: ProjectModel): StepsFile {
  return {
    format: 1,
    package: model.packageName,
    params: defaultParams(model),
    floats: floatParams(model),
    steps: model.steps.map((s) => ({
      name: s.name,
      module: s.module,
      cells: s.cells,
      args: s.args.map((a) => ({ name: a.name, source: a.source })),
      returns: s.returns.map((r) => ({ name: r.name })),
    })),
  };
}

/** Names of the parameters whose notebook literal is a float with a whole-number value (`1.0`, `2e3`). */
export function floatParams(model: ProjectModel): string[] {
  return model.params
    .filter(
      (p) =>
        typeof p.value === "number" &&
        Number.isInteger(p.value) &&
        /^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/.test((p.literal ?? "").trim()),
    )
    .map((p) => p.name);
}

export function renderStepsFile(model: ProjectModel): GeneratedFile {
  return { path: STEPS_FILE, content: `${JSON.stringify(stepsFileOf(model), null, 2)}\n` };
}
