/** pyproject.toml and requirements.lock; the dependency list comes from what the generated modules import. */
import { compareNames } from "../../compare.js";
import {
  distributionFor,
  LOWER_BOUNDS,
  NOTEBOOK_ONLY,
  normalizeDistribution,
  requirementName,
} from "../distributions.js";
import type { DependencyModel, ProjectModel } from "../model.js";
import { RUFF_VERSION, type RuffSettings } from "../ruff.js";

/** Top-level modules imported by Python source (absolute imports only). */
export function importedModules(code: string): string[] {
  const mods = new Set<string>();
  for (const m of code.matchAll(/^[ \t]*import[ \t]+([^\n#]+)/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+/)[0];
      if (name && /^[A-Za-z_][\w.]*$/.test(name)) mods.add(name);
    }
  }
  for (const m of code.matchAll(/^[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b/gm)) mods.add(m[1]!);
  return [...mods].sort();
}

/** The project's runtime dependencies: distributions of the modules its code imports, plus `!pip install` lines. */
export function computeDependencies(
  pythonFiles: string[],
  model: ProjectModel,
  versions: Record<string, string> | undefined,
): DependencyModel[] {
  const byDist = new Map<string, DependencyModel>();
  const add = (dist: string, reason: string, specifier?: string) => {
    const key = normalizeDistribution(dist);
    const existing = byDist.get(key);
    if (existing) {
      if (!existing.reason.includes(reason)) existing.reason += `, ${reason}`;
      if (specifier && !existing.specifier) existing.specifier = specifier;
      return;
    }
    byDist.set(key, { name: dist, specifier: specifier ?? "", reason });
  };
  for (const code of pythonFiles) {
    for (const mod of importedModules(code)) {
      const top = mod.split(".")[0]!;
      if (top === model.packageName || NOTEBOOK_ONLY.has(top) || mod === "__future__") continue;
      const dist = distributionFor(mod, model.pythonVersion);
      if (dist) add(dist, `import ${top}`);
    }
  }
  for (const req of model.pipRequirements) {
    const name = requirementName(req);
    if (!name || NOTEBOOK_ONLY.has(name) || name === "ipykernel") continue;
    const spec = req.slice(name.length).trim();
    if (byDist.has(normalizeDistribution(name)) || spec) add(name, "!pip install", spec || undefined);
  }
  for (const dep of byDist.values()) {
    if (dep.specifier) continue;
    const installed = versionOf(versions, dep.name);
    if (installed) dep.specifier = `==${installed}`;
    else if (LOWER_BOUNDS[dep.name]) dep.specifier = `>=${LOWER_BOUNDS[dep.name]}`;
  }
  return [...byDist.values()].sort((a, b) =>
    compareNames(normalizeDistribution(a.name), normalizeDistribution(b.name)),
  );
}

function versionOf(versions: Record<string, string> | undefined, dist: string): string | undefined {
  if (!versions) return undefined;
  const key = normalizeDistribution(dist);
  for (const [k, v] of Object.entries(versions)) if (normalizeDistribution(k) === key) return v;
  return undefined;
}

function tomlString(s: string): string {
  return JSON.stringify(s);
}

function tomlArray(items: string[], indent = ""): string {
  if (items.length === 0) return "[]";
  return `[\n${items.map((i) => `${indent}    ${tomlString(i)},`).join("\n")}\n${indent}]`;
}

export function renderPyproject(model: ProjectModel, ruff: RuffSettings, notebookExtras: string[]): string {
  const deps = model.dependencies.map((d) => `${d.name}${d.specifier}`);
  const minor = model.pythonVersion.split(".").slice(0, 2).join(".");
  const description = `${model.title} — extracted from ${model.notebookName} by fledge`.replace(/"/g, "'");
  const lines = [
    "[build-system]",
    'requires = ["setuptools>=61"]',
    'build-backend = "setuptools.build_meta"',
    "",
    "[project]",
    `name = ${tomlString(model.projectName)}`,
    'version = "0.1.0"',
    `description = ${tomlString(description)}`,
    'readme = "README.md"',
    `requires-python = ">=${minor}"`,
    `dependencies = ${tomlArray(deps)}`,
    "",
    "[project.optional-dependencies]",
    `dev = ${tomlArray(["pytest>=7", `ruff==${RUFF_VERSION}`])}`,
    `notebook = ${tomlArray(notebookExtras)}`,
    "",
    "[project.scripts]",
    `${model.projectName} = "${model.packageName}.__main__:main"`,
    "",
    "[tool.setuptools.packages.find]",
    'where = ["src"]',
    "",
    "[tool.ruff]",
    `line-length = ${ruff["line-length"]}`,
    `target-version = ${tomlString(ruff["target-version"])}`,
    'src = ["src", "tests"]',
    "# The companion notebook is exploration code: formatted and linted only when you choose to.",
    'extend-exclude = ["notebooks"]',
    "",
    "[tool.ruff.lint]",
    `select = [${ruff.lint.select.map(tomlString).join(", ")}]`,
    `ignore = [${ruff.lint.ignore.map(tomlString).join(", ")}]`,
    "",
    "[tool.ruff.lint.isort]",
    `known-first-party = [${ruff.lint.isort["known-first-party"].map(tomlString).join(", ")}]`,
    "",
    "[tool.pytest.ini_options]",
    'testpaths = ["tests"]',
    'addopts = "-ra"',
    "",
  ];
  return lines.join("\n");
}

/** requirements.lock: every distribution of the notebook's environment the project needs, pinned. */
export function renderLock(model: ProjectModel): string | undefined {
  if (!model.lock || model.lock.length === 0) return undefined;
  return `# Every dependency of ${model.projectName}, transitively, pinned to the versions of the environment\n# ${model.notebookName} ran in (read with importlib.metadata by fledge). Install: pip install -r requirements.lock\n${model.lock.join("\n")}\n`;
}

/** Add requirements to the `dev` extra of a rendered pyproject.toml (recorded tests reading parquet need pyarrow). */
export function addDevRequirements(pyproject: string, requirements: string[]): string {
  const marker = "dev = [\n";
  const at = pyproject.indexOf(marker);
  if (at < 0) return pyproject;
  const end = pyproject.indexOf("]", at);
  const present = pyproject.slice(at, end);
  const missing = requirements.filter((r) => !present.includes(`"${requirementName(r)}`));
  if (missing.length === 0) return pyproject;
  const lines = missing.map((r) => `    ${JSON.stringify(r)},\n`).join("");
  return pyproject.slice(0, at + marker.length) + lines + pyproject.slice(at + marker.length);
}

/** Add requirements to the runtime `dependencies` of a rendered pyproject.toml (pandera for validation.py). */
export function addDependencies(pyproject: string, requirements: string[]): string {
  const empty = "\ndependencies = []\n";
  if (pyproject.includes(empty))
    return pyproject.replace(empty, `\ndependencies = ${tomlArray(requirements)}\n`);
  const marker = "\ndependencies = [\n";
  const at = pyproject.indexOf(marker);
  if (at < 0) return pyproject;
  const end = pyproject.indexOf("\n]", at);
  const present = pyproject.slice(at, end);
  const missing = requirements.filter((r) => !present.includes(`"${requirementName(r)}`));
  if (missing.length === 0) return pyproject;
  return `${pyproject.slice(0, end)}\n${missing.map((r) => `    ${tomlString(r)},`).join("\n")}${pyproject.slice(end)}`;
}
