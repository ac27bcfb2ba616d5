/**
 * Settings and surroundings read from disk for `fledge check`: `[tool.fledge]` in the nearest pyproject.toml,
 * and the requirement files and local modules beside a notebook. Reads files; never writes or prints.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { FledgeError } from "../errors.js";
import type { CheckEnvironment } from "./context.js";
import { unknownSelectors } from "./registry.js";
import {
  normalizeDistribution,
  parseEnvironmentYml,
  parsePyprojectDependencies,
  parseRequirementsTxt,
  parseToml,
} from "./rules/dependencies.js";
import type { Severity } from "./types.js";

export interface FledgeConfig {
  select?: string[];
  ignore?: string[];
  failOn?: Severity;
  /** Gitignore-style patterns of files to leave out when a folder is checked. */
  exclude?: string[];
  /** Where `fledge check` keeps its analysis cache (absolute; a relative setting is from the pyproject.toml's folder). */
  cacheDir?: string;
  /** The pyproject.toml the settings came from. */
  source?: string;
}

const KEYS = new Set([
  "select",
  "ignore",
  "fail-on",
  "fail_on",
  "exclude",
  "extend-ignore",
  "extend-select",
  "cache-dir",
  "cache_dir",
]);

/** `[tool.fledge]` of the nearest pyproject.toml (searching upwards from `start`) that has one. */
export function loadConfig(start: string): FledgeConfig {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const file = join(dir, "pyproject.toml");
    if (existsSync(file)) {
      const config = readFledgeTable(file);
      if (config) return config;
    }
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function readFledgeTable(file: string): FledgeConfig | undefined {
  let doc: Record<string, unknown>;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  // A pyproject.toml that does not mention fledge is someone else's business (even when it is malformed).
  if (!/tool\.fledge|\[tool\]/.test(text)) return undefined;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new FledgeError("E_USAGE", `cannot read ${file}: ${(err as Error).message.split("\n")[0]}`, {
      location: { file },
      hint: "Fix the TOML syntax, or remove the [tool.fledge] table.",
    });
  }
  const table = (doc.tool as Record<string, unknown> | undefined)?.fledge;
  if (table === undefined) return undefined;
  const bad = (message: string): never => {
    throw new FledgeError("E_USAGE", `[tool.fledge] ${message}`, {
      location: { file },
      hint:
        'Valid keys: select, ignore (lists of codes such as "FL104" or prefixes such as "FL2"), fail-on ' +
        '("error", "warning" or "info"), exclude (a list of gitignore-style patterns), cache-dir (a folder).',
    });
  };
  if (typeof table !== "object" || table === null || Array.isArray(table)) return bad("must be a table");
  const t = table as Record<string, unknown>;
  const strings = (key: string): string[] | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      return bad(`${key} must be a list of strings`);
    return v as string[];
  };
  for (const key of Object.keys(t)) if (!KEYS.has(key)) bad(`unknown key "${key}"`);
  const config: FledgeConfig = { source: file };
  const select = [...(strings("select") ?? []), ...(strings("extend-select") ?? [])];
  const ignore = [...(strings("ignore") ?? []), ...(strings("extend-ignore") ?? [])];
  const unknown = unknownSelectors([...select, ...ignore]);
  if (unknown.length > 0) bad(`unknown rule ${unknown.map((u) => `"${u}"`).join(", ")}`);
  if (t.select !== undefined || t["extend-select"] !== undefined) config.select = select;
  if (ignore.length > 0) config.ignore = ignore;
  const failOn = t["fail-on"] ?? t.fail_on;
  if (failOn !== undefined) {
    if (failOn !== "error" && failOn !== "warning" && failOn !== "info")
      bad('fail-on must be "error", "warning" or "info"');
    config.failOn = failOn as Severity;
  }
  const exclude = strings("exclude");
  if (exclude) config.exclude = exclude;
  const cacheDir = t["cache-dir"] ?? t.cache_dir;
  if (cacheDir !== undefined) {
    if (typeof cacheDir !== "string" || cacheDir === "") bad("cache-dir must be a folder name");
    config.cacheDir = resolve(dirname(file), cacheDir as string);
  }
  return config;
}

const REQUIREMENT_FILES = [
  "requirements.txt",
  "requirements-dev.txt",
  "requirements_dev.txt",
  "pyproject.toml",
  "environment.yml",
  "environment.yaml",
  "setup.py",
];

/**
 * What the folder of a notebook declares: packages in requirements.txt / pyproject.toml / environment.yml
 * beside it, and modules importable from it (`utils.py`, packages). Unreadable or malformed files count as
 * declaring nothing (the check still runs; the finding then says what is missing).
 */
export function loadEnvironment(notebookPath: string, cwd = process.cwd()): CheckEnvironment {
  const dir = dirname(resolve(cwd, notebookPath));
  const declared = new Set<string>();
  const requirementFiles: string[] = [];
  for (const name of REQUIREMENT_FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    try {
      const names =
        name === "pyproject.toml"
          ? parsePyprojectDependencies(text)
          : name.startsWith("environment")
            ? parseEnvironmentYml(text)
            : name === "setup.py"
              ? [...text.matchAll(/["']([A-Za-z0-9][\w.-]*)\s*(?:[<>=!~][^"']*)?["']/g)].map((m) =>
                  normalizeDistribution(m[1]!),
                )
              : parseRequirementsTxt(text);
      for (const n of names) declared.add(n);
      requirementFiles.push(relative(cwd, file) || name);
    } catch {
      // A malformed file declares nothing we can trust.
    }
  }
  const localModules = new Set<string>();
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".py")) localModules.add(entry.name.slice(0, -3));
      else if (entry.isDirectory() && existsSync(join(dir, entry.name, "__init__.py")))
        localModules.add(entry.name);
    }
  } catch {
    // An unreadable folder has no local modules we can see.
  }
  const env: CheckEnvironment = { localModules };
  if (requirementFiles.length > 0) {
    env.declared = declared;
    env.requirementFiles = requirementFiles;
  }
  return env;
}
