/**
 * MLOps for the generated project (issue 9): optional modules added beside the pipeline — tracked runs
 * with MLflow (tracking.py) — and the small edits they need in the other generated files (the command
 * line calls `run_tracked`, pyproject gets a `tracking` extra, .gitignore the local tracking store).
 * project.ts calls these hooks; with no options (the library default) nothing changes.
 */
import { addDependencies } from "../emit/pyproject.js";
import type { ProjectModel } from "../model.js";
import { analyseMlops, type MlopsFacts } from "./analyse.js";
import type { DataProfile } from "./profile.js";
import { planServing, renderArtifacts, renderServe, SERVE_REQUIREMENTS, type ServePlan } from "./serve.js";
import { MLFLOW_REQUIREMENT, renderTracking, wantsTracking } from "./tracking.js";
import { renderValidation } from "./validation.js";
import { PANDERA_REQUIREMENT, renderPanderaValidation } from "./validation-pandera.js";

export { analyseMlops, type MlopsFacts } from "./analyse.js";
export { type DataProfile, profileDataFiles } from "./profile.js";

export interface MlopsOptions {
  /** Log runs to MLflow when the notebook trains a model or computes metrics (default: false). */
  tracking?: boolean;
  /**
   * Checks of the input data (validation.py), from each data file's profile: plain pandas (the default) or
   * pandera schemas (pandera becomes a dependency of the project).
   */
  validation?: {
    profiles: DataProfile[];
    library?: "plain" | "pandera";
    /** pandera's version where the notebook runs, when installed there: pinned like the other dependencies. */
    panderaVersion?: string;
  };
  /** A FastAPI app (serve.py) when a predict step reads rows from a CSV file (needs validation profiles). */
  serving?: boolean;
}

function serving(model: ProjectModel, options: MlopsOptions | undefined): ServePlan | undefined {
  if (!options?.serving) return undefined;
  return planServing(model, factsOf(model), options.validation?.profiles ?? []);
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
  const profiles = validationProfiles(model, options);
  if (profiles.length > 0)
    out.push({
      path: `src/${model.packageName}/validation.py`,
      content: pandera(model, options)
        ? renderPanderaValidation(model, profiles)
        : renderValidation(model, profiles),
    });
  const serve = serving(model, options);
  if (serve) {
    out.push({ path: `src/${model.packageName}/artifacts.py`, content: renderArtifacts(model, serve) });
    out.push({
      path: `src/${model.packageName}/serve.py`,
      content: renderServe(model, serve, factsOf(model)),
    });
  }
  return out;
}

/** The profiles of data files the pipeline reads (a profile of a file it only writes is dropped). */
function validationProfiles(model: ProjectModel, options: MlopsOptions | undefined): DataProfile[] {
  const inputs = new Set(factsOf(model).dataParams);
  return (options?.validation?.profiles ?? []).filter((p) => inputs.has(p.param) && p.columns.length > 0);
}

/** Whether validation.py is generated with pandera (pandera is then a runtime dependency). */
function pandera(model: ProjectModel, options: MlopsOptions | undefined): boolean {
  return options?.validation?.library === "pandera" && validationProfiles(model, options).length > 0;
}

/** pandera's requirement line: pinned to the notebook environment's version, else a lower bound. */
function panderaRequirement(options: MlopsOptions | undefined): string {
  const version = options?.validation?.panderaVersion;
  return version ? `pandera==${version}` : PANDERA_REQUIREMENT;
}

/** The data files validation.py can check: the data parameters the steps read, with their paths. */
export function inputDataFiles(model: ProjectModel): { param: string; file: string }[] {
  const inputs = factsOf(model).dataParams;
  return model.params
    .filter((p) => inputs.includes(p.name) && typeof p.value === "string")
    .map((p) => ({ param: p.name, file: p.value as string }));
}

/** __main__.py: run through `run_tracked` when tracking is generated. */
export function mlopsMain(model: ProjectModel, main: string, options: MlopsOptions | undefined): string {
  const track = tracking(model, options);
  const validate = validationProfiles(model, options).length > 0;
  const serve = serving(model, options) !== undefined;
  if (!track && !validate && !serve) return main;
  const pkg = model.packageName;
  const importLine = `from ${pkg}.pipeline import DEFAULT_PARAMS, load_params, run\n`;
  const callLine = "    results = run(params)\n";
  if (!main.includes(importLine) || !main.includes(callLine)) {
    model.findings.push({
      code: "noqa",
      severity: "warning",
      message:
        "__main__.py could not be pointed at tracking.py/validation.py: call run_tracked/validate_inputs yourself",
    });
    return main;
  }
  const imports = [`from ${pkg}.pipeline import DEFAULT_PARAMS, load_params${track ? "" : ", run"}`];
  if (track) imports.push(`from ${pkg}.tracking import run_tracked`);
  if (validate) imports.push(`from ${pkg}.validation import DataValidationError, validate_inputs`);
  if (serve) imports.push(`from ${pkg}.artifacts import save_artifacts`);
  let call = "";
  if (validate)
    call +=
      "    try:\n        validate_inputs(params)\n    except DataValidationError as err:\n" +
      '        logger.error("%s", err)\n        return 1\n';
  call += track ? "    results = run_tracked(params)\n" : callLine;
  if (serve) call += '    logger.info("serving artifacts: %s", save_artifacts(results, params))\n';
  return main.replace(importLine, `${imports.join("\n")}\n`).replace(callLine, call);
}

/** pyproject.toml: optional extras for the MLOps modules, and pandera when validation.py uses it. */
export function mlopsPyproject(
  model: ProjectModel,
  rendered: string,
  options: MlopsOptions | undefined,
): string {
  const pyproject = pandera(model, options)
    ? addDependencies(rendered, [panderaRequirement(options)])
    : rendered;
  const extras: string[] = [];
  if (tracking(model, options)) extras.push(`tracking = ["${MLFLOW_REQUIREMENT}"]`);
  if (serving(model, options)) extras.push(`serve = [${SERVE_REQUIREMENTS.map((r) => `"${r}"`).join(", ")}]`);
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

/** Dockerfile: pandera for validation.py; the serving dependencies, so the image can also run \`uvicorn <pkg>.serve:app\`. */
export function mlopsDockerfile(
  model: ProjectModel,
  rendered: string,
  options: MlopsOptions | undefined,
): string {
  const dockerfile = pandera(model, options)
    ? panderaInDockerfile(model, rendered, panderaRequirement(options))
    : rendered;
  if (!serving(model, options)) return dockerfile;
  const anchor = ["\nUSER ", "\nENTRYPOINT "].find((a) => dockerfile.includes(a));
  if (!anchor) return dockerfile;
  const reqs = SERVE_REQUIREMENTS.map((r) => `"${r}"`).join(" ");
  return dockerfile.replace(
    anchor,
    `\n# Serving: docker run -p 8000:8000 --entrypoint uvicorn IMAGE ${model.packageName}.serve:app --host 0.0.0.0\n# (run the pipeline first: it saves ${model.outputsDir}/serving/artifacts.joblib; mount or bake it in)\nRUN pip install --no-cache-dir ${reqs}\n${anchor}`,
  );
}

/** Dockerfile: pandera, which the dependency layer (the lock or the import-derived list) does not hold. */
function panderaInDockerfile(model: ProjectModel, dockerfile: string, requirement: string): string {
  if (model.lock?.some((l) => /^pandera==/i.test(l))) return dockerfile;
  const anchor = "\nCOPY pyproject.toml ";
  if (!dockerfile.includes(anchor)) return dockerfile;
  return dockerfile.replace(
    anchor,
    `\n# Data validation (src/${model.packageName}/validation.py) uses pandera.\nRUN pip install --no-cache-dir "${requirement}"\n${anchor}`,
  );
}
