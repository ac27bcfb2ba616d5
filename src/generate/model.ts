/**
 * The project model: everything the emitters need, decided once from the notebook, its analysis and
 * its workflow map. Emitters only render it (one kind of file each), so a decision — which names a
 * step returns, which literals are parameters, which imports a module needs — is made in one place.
 */

/** A problem found while extracting: reported to the user and listed in the generated README. */
export interface ExtractFinding {
  code:
    | "unresolved-name"
    | "run-magic"
    | "star-import"
    | "exec"
    | "shell-command"
    | "non-python-cell"
    | "absolute-path"
    | "secret"
    | "global-statement"
    | "class-reads-globals"
    | "unparsable-statement"
    | "missing-output"
    | "no-kernel"
    | "noqa";
  severity: "error" | "warning" | "info";
  message: string;
  /** 0-based cell index in the notebook. */
  cell?: number;
  /** 1-based line within the cell. */
  line?: number;
  /** Step the finding belongs to. */
  step?: string;
  /** A TODO was left in the generated code for it. */
  todo?: boolean;
}

export type ParamRole = "data" | "output" | "value";

/** A value in params.yaml. */
export interface ParamModel {
  /** Key in params.yaml and the step function's parameter name. */
  name: string;
  value: string | number | boolean | null | (string | number | boolean | null)[];
  /** data: a path read from the data location; output: a path written under the outputs location. */
  role: ParamRole;
  kind: string;
  /** The literal as the notebook wrote it ("3.0"), when it came from one. */
  literal?: string;
  /** Comment for params.yaml (where it came from). */
  comment: string;
}

/** One function parameter of a step. */
export interface ArgModel {
  name: string;
  /** Type annotation text, or undefined when unknown. */
  hint?: string;
  /** Python expression of the default (step parameters only). */
  defaultLiteral?: string;
  /** Where the pipeline gets the value. */
  source: { kind: "input"; from?: string } | { kind: "param"; param: string; role: ParamRole };
}

export interface HelperModel {
  name: string;
  kind: "function" | "class";
  /** Source with extra parameters added for the globals it reads. */
  code: string;
  /** Globals that became keyword-only parameters. */
  addedParams: string[];
}

export interface StepModel {
  name: string;
  /** The step's name in the workflow map. */
  mapName: string;
  /** Module file stem (same as name). */
  module: string;
  role: string;
  title: string;
  /** Markdown of the step, cleaned for a docstring. */
  description: string;
  args: ArgModel[];
  /** Names returned, in order. */
  returns: { name: string; hint?: string; usedBy: string[] }[];
  /** Function body (without docstring and return), dedented, lines of Python. */
  body: string;
  /** Original code of the step's statements, for --stubs and the README. */
  originalCode: string;
  /** import statements this module needs (full lines). */
  imports: string[];
  /** Helpers defined in this module (used by this step only). */
  helpers: HelperModel[];
  /** Shared helpers imported from `<pkg>.helpers`. */
  sharedHelpers: string[];
  /** Names declared `global` inside the step function (helpers writing module globals). */
  globals: string[];
  /** Cells (0-based) the step came from. */
  cells: number[];
  /** Uses `logger`. */
  usesLogging: boolean;
  /** Files the step writes (output params). */
  writes: string[];
}

export interface DependencyModel {
  /** Distribution name (PyPI). */
  name: string;
  /** Requirement specifier, e.g. ">=1.3" or "==2.2.3" ("" when unknown). */
  specifier: string;
  /** Why: the modules imported, or "!pip install". */
  reason: string;
}

export interface ProjectModel {
  /** Distribution / project name (kebab-case). */
  projectName: string;
  /** Import package name (snake_case). */
  packageName: string;
  /** Python version "3.11" from the notebook metadata. */
  pythonVersion: string;
  /** Notebook file name ("churn.ipynb") and path relative to the project. */
  notebookName: string;
  notebookRelPath: string;
  /** The notebook's folder relative to the project (default data location). */
  dataDir: string;
  outputsDir: string;
  title: string;
  description: string;
  steps: StepModel[];
  sharedHelpers: HelperModel[];
  /** imports helpers.py needs. */
  sharedHelperImports: string[];
  params: ParamModel[];
  /** Filled from the rendered modules' imports (see dependencies.ts). */
  dependencies: DependencyModel[];
  /** Requirements from `!pip install` / `%pip install` lines. */
  pipRequirements: string[];
  /** Environment variables the code reads (secrets). */
  envVars: string[];
  /** Data files the notebook read (relative to dataDir), for --copy-data and the README. */
  dataFiles: string[];
  findings: ExtractFinding[];
  stubs: boolean;
  /** Versions pinned from a kernel (false: lower bounds only). */
  pinned: boolean;
  /** requirements.lock lines when a kernel gave the environment. */
  lock?: string[];
  /** Mermaid text of the workflow map for the README. */
  mermaid: string;
}
