/**
 * generateProject: the whole generated project as a list of files (path → content), from the plan
 * (plan.ts) through the emitters (emit/*.ts, one kind of file each), every Python file linted and
 * formatted by ruff's WebAssembly build. Pure apart from loading the parsers; writing is writer.ts.
 */

import { compareNames } from "../compare.js";
import { distributionFor, NOTEBOOK_ONLY, normalizeDistribution } from "./distributions.js";
import { renderCompanion } from "./emit/companion.js";
import {
  renderCi,
  renderDockerfile,
  renderDockerignore,
  renderGitignore,
  renderPreCommit,
} from "./emit/infra.js";
import { renderInit, renderMain, renderParamsYaml, renderPipeline } from "./emit/pipeline.js";
import { computeDependencies, renderLock, renderPyproject } from "./emit/pyproject.js";
import { renderReadme } from "./emit/readme.js";
import { renderHelpersModule, renderStepModule } from "./emit/step.js";
import { renderPipelineTest, renderStepTest } from "./emit/tests.js";
import { lockLines, versionTable } from "./lock.js";
// MLOps hooks (issue 9, src/generate/mlops/): no change unless `mlops` options are given.
import {
  type MlopsOptions,
  mlopsDockerfile,
  mlopsGitignore,
  mlopsMain,
  mlopsModules,
  mlopsPyproject,
} from "./mlops/index.js";
import type { ExtractFinding, ProjectModel } from "./model.js";
import { type PlanInput, planProject } from "./plan.js";
import { ruffFile, ruffSettings } from "./ruff.js";
import { initSyntax } from "./syntax.js";

export interface GeneratedFile {
  /** Relative path with / separators. */
  path: string;
  content: string;
}

export interface CopyData {
  /** Relative to the notebook's folder. */
  from: string;
  /** Relative to the project. */
  to: string;
}

export interface GenerateInput extends PlanInput {
  /** Copy the data files into data/ and point data_dir there. */
  copyData?: boolean;
  /** MLOps modules to add (tracking…); none by default. */
  mlops?: MlopsOptions;
}

export interface GeneratedProject {
  model: ProjectModel;
  files: GeneratedFile[];
  copies: CopyData[];
  findings: ExtractFinding[];
}

/** Load the parsers the generator needs (tree-sitter); ruff's WebAssembly loads on first use. */
export async function initGenerate(): Promise<void> {
  await initSyntax();
}

export function generateProject(input: GenerateInput): GeneratedProject {
  const model = planProject(input);
  const copies: CopyData[] = [];
  if (input.copyData && model.dataFiles.length > 0) {
    // Files the notebook read from data/… keep their relative paths (data_dir becomes the project itself);
    // anything else goes under data/.
    const inData = model.dataFiles.every((f) => f.startsWith("data/"));
    for (const f of model.dataFiles)
      copies.push({ from: f, to: inData ? f : `data/${f.replace(/^(\.\.\/)+/, "")}` });
    model.dataDir = inData ? "." : "data";
  }
  const pkg = model.packageName;
  const settings = ruffSettings(pkg, model.pythonVersion);
  const python: GeneratedFile[] = [];
  const py = (path: string, content: string | undefined) => {
    if (content === undefined) return;
    const { code, silenced } = ruffFile(path, content, settings);
    python.push({ path, content: code });
    for (const rule of silenced) {
      model.findings.push({
        code: "noqa",
        severity: "info",
        message: `${path}: ruff rule ${rule} is silenced with \`# noqa\` on code kept as the notebook wrote it`,
      });
    }
  };
  py(`src/${pkg}/__init__.py`, renderInit(model));
  py(`src/${pkg}/__main__.py`, mlopsMain(model, renderMain(model), input.mlops));
  py(`src/${pkg}/pipeline.py`, renderPipeline(model));
  py(
    `src/${pkg}/steps/__init__.py`,
    `"""The steps of the ${pkg} pipeline, one module each, in the order \`pipeline.run\` calls them."""\n`,
  );
  py(`src/${pkg}/helpers.py`, renderHelpersModule(model));
  model.steps.forEach((s, i) => {
    py(`src/${pkg}/steps/${s.module}.py`, renderStepModule(s, i, model));
  });
  for (const s of model.steps) py(`tests/test_${s.module}.py`, renderStepTest(s, model));
  py("tests/test_pipeline.py", renderPipelineTest(model));

  const srcCode = python.filter((f) => f.path.startsWith("src/")).map((f) => f.content);
  const installed = input.options.installed;
  model.dependencies = computeDependencies(srcCode, model, installed ? versionTable(installed) : undefined);
  if (installed)
    model.lock = lockLines(
      model.dependencies.map((d) => d.name),
      installed,
    );
  if (!model.pinned) {
    model.findings.push({
      code: "no-kernel",
      severity: "info",
      message:
        "dependency versions are lower bounds: no kernel was run to read the notebook environment's versions",
    });
  }

  // MLOps modules come after the dependency list: their imports (mlflow…) are optional extras.
  for (const f of mlopsModules(model, input.mlops)) py(f.path, f.content);

  // The companion notebook also needs what only the exploration imported (plotting, profiling…).
  const runtime = new Set(model.dependencies.map((d) => normalizeDistribution(d.name)));
  const notebookExtras = new Set<string>(["ipykernel"]);
  for (const cell of input.analysis.cells) {
    for (const imp of cell.imports) {
      const top = imp.module.split(".")[0]!;
      if (NOTEBOOK_ONLY.has(top)) continue;
      const dist = distributionFor(imp.module, model.pythonVersion);
      if (dist && !runtime.has(normalizeDistribution(dist)) && top !== pkg) notebookExtras.add(dist);
    }
  }

  const files: GeneratedFile[] = [
    ...python,
    {
      path: "pyproject.toml",
      content: mlopsPyproject(
        model,
        renderPyproject(model, settings, [...notebookExtras].sort()),
        input.mlops,
      ),
    },
    { path: "params.yaml", content: renderParamsYaml(model) },
    { path: "README.md", content: renderReadme(model) },
    { path: ".gitignore", content: mlopsGitignore(model, renderGitignore(model), input.mlops) },
    { path: ".pre-commit-config.yaml", content: renderPreCommit() },
    { path: "Dockerfile", content: mlopsDockerfile(model, renderDockerfile(model), input.mlops) },
    { path: ".dockerignore", content: renderDockerignore(model) },
    { path: ".github/workflows/ci.yml", content: renderCi(model) },
    {
      path: `notebooks/${model.notebookName}`,
      content: renderCompanion(model, input.notebook, input.analysis, input.map),
    },
  ];
  const lock = renderLock(model);
  if (lock) files.push({ path: "requirements.lock", content: lock });
  files.sort((a, b) => compareNames(a.path, b.path));
  return { model, files, copies, findings: model.findings };
}
