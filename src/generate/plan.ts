/**
 * From a notebook, its cell analysis and its workflow map to the project model (see model.ts).
 *
 * Decisions made here, once:
 * - Each step's statements (sliced from the cells by span, magics per the policy) form its function body;
 *   imports and definitions go to module level; display-only statements are dropped.
 * - Inputs are recomputed from the kept statements' reads (plus the globals of the helpers they call), and
 *   each input is traced to the latest earlier step that defined or modified it; that step returns it.
 *   Running the steps in order with the same variable names in `pipeline.run` then gives every step the
 *   version of a name it used in the notebook (a name redefined in several steps, an object mutated in
 *   place and rebound).
 * - Literals the map marked as parameters become function parameters and params.yaml entries.
 *
 * The passes live beside this file and share one PlanContext (plan-context.ts): step bodies
 * (plan-steps.ts), parameters and inputs (plan-params.ts), imports and type hints (plan-imports.ts).
 */
import { isAbsolute } from "node:path";
import type { WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { NotebookAnalysis } from "../python/types.js";
import { type HelperDef, helperClosure } from "./helpers.js";
import type { InstalledDistribution } from "./lock.js";
import type { HelperModel, ProjectModel } from "./model.js";
import { humanize, packageNameFor, projectNameFor, snakeCase } from "./naming.js";
import { createPlanContext, type PlanContext, type StepWork } from "./plan-context.js";
import { assignModuleImports, sharedHelperImportsFor } from "./plan-imports.js";
import { wireInputs } from "./plan-params.js";
import { buildStep } from "./plan-steps.js";
import { firstMarkdown, notebookSource } from "./plan-text.js";
import { renameIdentifiers, rewriteHelper } from "./rewrite.js";
import { nonPythonCellMagic, rewriteMagicLine, sliceStatement } from "./source.js";

export interface PlanInput {
  notebook: Notebook;
  analysis: NotebookAnalysis;
  map: WorkflowMap;
  /** The notebook's path relative to the project folder, with / separators ("../analysis/churn.ipynb"). */
  notebookRelPath: string;
  /** The notebook's folder relative to the project ("../analysis", "." when inside it). */
  dataDir: string;
  options: PlanOptions;
}

export interface PlanOptions {
  packageName?: string;
  stubs?: boolean;
  /** Mermaid text of the map for the README. */
  mermaid?: string;
  /** Does a path (relative to the notebook's folder, or absolute) exist? Decides data vs output paths. */
  fileExists?: (path: string) => boolean;
  /** Distributions installed where the notebook ran (from its kernel); lower bounds are used without. */
  installed?: InstalledDistribution[];
  /** Types recorded in a real run: map step name → value name → annotation (text and the imports it needs). */
  recordedHints?: Map<string, Map<string, { text: string; imports: string[] }>>;
}

export function planProject(input: PlanInput): ProjectModel {
  const { notebook, analysis, map, options } = input;
  const ctx = createPlanContext(input);
  const { findings, params, requirements } = ctx;
  const pythonVersion = analysis.pythonVersion || "3.11";

  const nbStem = input.notebookRelPath
    .split("/")
    .pop()!
    .replace(/\.(ipynb|py)$/i, "");
  const packageName = options.packageName
    ? snakeCase(options.packageName)
    : packageNameFor(nbStem, ctx.imports.tops, pythonVersion);

  const works: StepWork[] = [];
  for (const step of map.steps) {
    const work = buildStep(ctx, step);
    if (work) works.push(work);
  }

  // pip lines anywhere in the notebook are dependencies, whatever step they are in.
  for (const cell of analysis.cells) {
    for (const m of cell.magics) {
      if (
        (m.kind === "shell" && /^pip3?$|^conda$|^uv$/.test(m.name)) ||
        (m.kind === "line-magic" && m.name === "pip")
      ) {
        const r = rewriteMagicLine(m, "", cell.cellIndex, undefined);
        requirements.push(...r.requirements);
      }
    }
    const nonPy = nonPythonCellMagic(cell);
    if (nonPy) {
      findings.push({
        code: "non-python-cell",
        severity: "warning",
        message: `cell magic %%${nonPy.name} is not Python; the cell is not part of the pipeline`,
        cell: cell.cellIndex,
      });
    }
  }

  // --- provenance: each needed name comes from the latest earlier step that produced it
  const { neededLater, consumers } = wireInputs(ctx, works);

  // --- returns
  works.forEach((w, k) => {
    const names = [...neededLater[k]!];
    for (const n of w.resultNames) if (!names.includes(n) && w.produces.has(n)) names.push(n);
    for (const n of w.step.outputs) if (!names.includes(n) && w.produces.has(n)) names.push(n);
    w.model.returns = names.map((name) => {
      const hint = w.hints.get(name);
      return { name, ...(hint ? { hint } : {}), usedBy: consumers.get(`${k}:${name}`) ?? [] };
    });
  });

  const steps = works.map((w) => w.model);
  const sharedModels = placeHelpers(ctx, works, map);

  // --- module imports: what each module's code uses
  assignModuleImports(works, ctx.imports);
  const sharedHelperImports = sharedHelperImportsFor(sharedModels, ctx.imports);

  // Mark data files the notebook read (for --copy-data and the README).
  const dataFiles = new Set<string>();
  for (const p of params)
    if (p.role === "data" && typeof p.value === "string" && !isAbsolute(p.value)) dataFiles.add(p.value);

  const description = firstMarkdown(notebook);
  const title = description.title ?? humanize(packageName);

  const model: ProjectModel = {
    projectName: projectNameFor(packageName),
    packageName,
    pythonVersion,
    notebookName: input.notebookRelPath.split("/").pop()!,
    notebookRelPath: input.notebookRelPath,
    dataDir: input.dataDir,
    outputsDir: "outputs",
    title,
    description: description.text,
    steps,
    sharedHelpers: sharedModels,
    sharedHelperImports,
    params,
    dependencies: [],
    pipRequirements: [...new Set(requirements)],
    envVars: [...ctx.envVars].sort(),
    dataFiles: [...dataFiles].sort(),
    findings,
    stubs: options.stubs ?? false,
    pinned: options.installed !== undefined,
    mermaid: options.mermaid ?? "",
  };
  return model;
}

/**
 * Where each helper goes: helpers.py when several steps use it (or the map says it is shared), else the
 * one step module that uses it; the globals a step's own helpers assign are declared global there.
 * Returns the shared helpers' models.
 */
function placeHelpers(ctx: PlanContext, works: StepWork[], map: WorkflowMap): HelperModel[] {
  const { helpers, findings } = ctx;
  const uses = new Map<string, number>();
  for (const w of works)
    for (const h of helperClosure(w.helpersUsed, helpers)) uses.set(h, (uses.get(h) ?? 0) + 1);
  const shared = helperClosure(
    [...uses]
      .filter(([, n]) => n > 1)
      .map(([h]) => h)
      .concat(map.sharedHelpers.filter((h) => uses.has(h))),
    helpers,
  );
  const sharedModels: HelperModel[] = [];
  for (const name of sortByNotebookOrder([...shared], helpers))
    sharedModels.push(helperModel(ctx, helpers.get(name)!));
  for (const w of works) {
    const mine = helperClosure(w.helpersUsed, helpers);
    w.model.helpers = sortByNotebookOrder(
      [...mine].filter((h) => !shared.has(h)),
      helpers,
    ).map((h) => helperModel(ctx, helpers.get(h)!));
    w.model.sharedHelpers = [...mine].filter((h) => shared.has(h)).sort();
    w.model.globals = [
      ...new Set([...mine].filter((h) => !shared.has(h)).flatMap((h) => helpers.get(h)!.globalWrites)),
    ].filter((g) => !w.model.args.some((a) => a.name === g));
    w.usesPartial ||= w.model.helpers.some((h) => h.code.includes("partial("));
    for (const g of w.model.globals) {
      findings.push({
        code: "global-statement",
        severity: "info",
        message: `a helper assigns the global \`${g}\`; the step function declares it global in its module`,
        step: w.model.name,
      });
    }
  }
  for (const h of sharedModels) {
    const def = helpers.get(h.name)!;
    if (def.globalWrites.length > 0) {
      findings.push({
        code: "global-statement",
        severity: "warning",
        message: `shared helper ${h.name} assigns globals (${def.globalWrites.join(", ")}) of helpers.py, not of the step that calls it; return the value instead`,
        cell: def.cell,
        todo: true,
      });
    }
  }
  return sharedModels;
}

/** A helper's code as it goes into a module: constants renamed, the parameters it gained added. */
function helperModel(ctx: PlanContext, def: HelperDef): HelperModel {
  const cell = ctx.cellsByIndex.get(def.cell)!;
  const { source } = sliceStatement(notebookSource(ctx.notebook, def.cell), cell, def.statement, undefined);
  const code = renameIdentifiers([...source.comments, source.code].join("\n"), ctx.renames);
  const rw = rewriteHelper(code, def.kind === "function" ? def.params : [], ctx.rewriteCtx);
  return { name: def.name, kind: def.kind, code: rw.code, addedParams: def.params };
}

function sortByNotebookOrder(names: string[], helpers: Map<string, HelperDef>): string[] {
  return names.sort((a, b) => {
    const x = helpers.get(a)!;
    const y = helpers.get(b)!;
    return x.cell - y.cell || x.statement - y.statement;
  });
}
