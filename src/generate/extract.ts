/**
 * The extract pipeline in one call, for the CLI, the tests and the benchmark: analysis → dataflow →
 * workflow map → project files. Pure over its inputs (the caller reads the notebook and writes the files).
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { buildDataflow } from "../graph/dataflow.js";
import { buildWorkflowMap } from "../graph/steps.js";
import type { WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import { analyzeNotebook, initPython } from "../python/index.js";
import type { NotebookAnalysis } from "../python/types.js";
import { renderMermaid } from "../render/mermaid.js";
import type { InstalledDistribution } from "./lock.js";
import { type GeneratedProject, generateProject, initGenerate } from "./project.js";

export interface ExtractOptions {
  /** Absolute path of the notebook. */
  notebookPath: string;
  /** Absolute path of the project folder. */
  outDir: string;
  packageName?: string;
  stubs?: boolean;
  copyData?: boolean;
  /** Distributions installed where the notebook runs (read in its kernel). */
  installed?: InstalledDistribution[];
  /** Types recorded in a real run (see verify/), by map step name and value name. */
  recordedHints?: Map<string, Map<string, { text: string; imports: string[] }>>;
  /** MLOps modules (issue 9, see mlops/): tracking… (none by default). */
  mlops?: import("./mlops/index.js").MlopsOptions;
}

export interface Analysed {
  analysis: NotebookAnalysis;
  map: WorkflowMap;
}

/** The analysis and workflow map of a notebook (initExtract() must have completed). */
export function analyseForExtract(nb: Notebook): Analysed {
  const analysis = analyzeNotebook(nb, { shapes: true });
  const graph = buildDataflow(analysis);
  return { analysis, map: buildWorkflowMap(nb, analysis, graph) };
}

export interface Extraction extends GeneratedProject {
  analysis: NotebookAnalysis;
  map: WorkflowMap;
}

let ready: Promise<void> | undefined;

/** Load the Python parser(s) once. */
export function initExtract(): Promise<void> {
  // One after the other: web-tree-sitter's module must not be initialised twice concurrently.
  ready ??= initPython().then(() => initGenerate());
  return ready;
}

/** Project-relative POSIX path from `outDir` to `target`. */
export function projectRelative(outDir: string, target: string): string {
  const rel = relative(outDir, target).split("\\").join("/");
  return rel === "" ? "." : rel;
}

/** Everything `fledge extract` writes, computed (initExtract() must have completed). */
export function extractProject(nb: Notebook, options: ExtractOptions, analysed?: Analysed): Extraction {
  const { analysis, map } = analysed ?? analyseForExtract(nb);
  const nbDir = dirname(options.notebookPath);
  const notebookRelPath = projectRelative(options.outDir, options.notebookPath);
  let mermaid = "";
  try {
    mermaid = renderMermaid({ title: notebookRelPath.split("/").pop()!, nb, analysis, map });
  } catch {
    mermaid = ""; // the diagram is an illustration: a renderer problem must not stop the extraction
  }
  const project = generateProject({
    notebook: nb,
    analysis,
    map,
    notebookRelPath,
    dataDir: projectRelative(options.outDir, nbDir),
    copyData: options.copyData ?? false,
    ...(options.mlops ? { mlops: options.mlops } : {}),
    options: {
      ...(options.packageName ? { packageName: options.packageName } : {}),
      stubs: options.stubs ?? false,
      mermaid,
      fileExists: (p) => existsSync(isAbsolute(p) ? p : resolve(nbDir, p)),
      ...(options.installed ? { installed: options.installed } : {}),
      ...(options.recordedHints ? { recordedHints: options.recordedHints } : {}),
    },
  });
  return { ...project, analysis, map };
}
