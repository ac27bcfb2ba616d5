/**
 * MLOps for the generated project (issue 9): optional modules added beside the pipeline — tracked runs
 * with MLflow (tracking.py) — and the small edits they need in the other generated files (the command
 * line calls `run_tracked`, pyproject gets a `tracking` extra, .gitignore the local tracking store).
 * project.ts calls these hooks; with no options (the library default) nothing changes.
 */
import type { ProjectModel } from "../model.js";
import { analyseMlops, type MlopsFacts } from "./analyse.js";
import { MLFLOW_REQUIREMENT, renderTracking, wantsTracking } from "./tracking.js";

export { analyseMlops, type MlopsFacts } from "./analyse.js";

export interface MlopsOptions {
  /** Log runs to MLflow when the notebook trains a model or computes metrics (default: false). */
  tracking?: boolean;
}

const factsCache = new WeakMap<ProjectModel, MlopsFacts>();

function factsOf(model: ProjectModel): MlopsFacts {
  let f = factsCache.get(model);
  if (!f) {
    f = analyseMlops(model);
    factsCache.set(model, f);
  }
  return f;
}

function tracking(model: ProjectModel, options: MlopsOptions | undefined): boolean {
  return Boolean(options?.tracking) && wantsTracking(factsOf(model));
}

/** The Python modules to add (rendered, not yet formatted: project.ts runs them through ruff). */
export function mlopsModules(
  model: ProjectModel,
  options: MlopsOptions | undefined,
): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  if (tracking(model, options))
    out.push({
      path: `src/${model.packageName}/tracking.py`,
      content: renderTracking(model, factsOf(model)),
    });
  return out;
}

/** __main__.py: run through `run_tracked` when tracking is generated. */
export function mlopsMain(model: ProjectModel, main: string, options: MlopsOptions | undefined): string {
  if (!tracking(model, options)) return main;
  const pkg = model.packageName;
  const importLine = `from ${pkg}.pipeline import DEFAULT_PARAMS, load_params, run\n`;
  const callLine = "    results = run(params)\n";
  if (!main.includes(importLine) || !main.includes(callLine)) {
    model.findings.push({
      code: "noqa",
      severity: "warning",
      message:
        "tracking.py was generated but __main__.py could not be pointed at run_tracked: call it yourself",
    });
    return main;
  }
  return main
    .replace(
      importLine,
      `from ${pkg}.pipeline import DEFAULT_PARAMS, load_params\nfrom ${pkg}.tracking import run_tracked\n`,
    )
    .replace(callLine, "    results = run_tracked(params)\n");
}

/** pyproject.toml: optional extras for the MLOps modules. */
export function mlopsPyproject(
  model: ProjectModel,
  pyproject: string,
  options: MlopsOptions | undefined,
): string {
  const extras: string[] = [];
  if (tracking(model, options)) extras.push(`tracking = ["${MLFLOW_REQUIREMENT}"]`);
  if (extras.length === 0) return pyproject;
  const anchor = "\n[project.scripts]\n";
  if (!pyproject.includes(anchor)) return pyproject;
  return pyproject.replace(anchor, `${extras.join("\n")}\n${anchor}`);
}

/** .gitignore: the local tracking store. */
export function mlopsGitignore(
  model: ProjectModel,
  gitignore: string,
  options: MlopsOptions | undefined,
): string {
  if (!tracking(model, options)) return gitignore;
  return `${gitignore}# MLflow's local tracking store (see src/${model.packageName}/tracking.py)\nmlruns.db\nmlruns/\nmlartifacts/\n`;
}
