/** Names for the generated project: package, project, modules. */
import { isStdlib } from "./distributions.js";

const KEYWORDS = new Set(
  `False None True and as assert async await break class continue def del elif else except finally for from global
if import in is lambda nonlocal not or pass raise return try while with yield match case type`.split(/\s+/),
);

export function isPythonKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}

/** A valid snake_case Python identifier from any text ("Churn Analysis (v2)" → "churn_analysis_v2"). */
export function snakeCase(text: string): string {
  let s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") s = "pipeline";
  if (/^[0-9]/.test(s)) s = `nb_${s}`;
  if (KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/**
 * The import package for a notebook: from --name or the notebook's file name, never shadowing the
 * standard library or a module the notebook imports (a `pandas.ipynb` gives `pandas_pipeline`).
 */
export function packageNameFor(
  stemOrName: string,
  importedTopLevels: Set<string>,
  pythonVersion: string,
): string {
  const base = snakeCase(stemOrName);
  if (isStdlib(base, pythonVersion) || importedTopLevels.has(base) || ["test", "tests", "src"].includes(base))
    return `${base}_pipeline`;
  return base;
}

export function projectNameFor(packageName: string): string {
  return packageName.replace(/_/g, "-");
}

/** "clean_data" → "Clean data". */
export function humanize(name: string): string {
  const s = name.replace(/_/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
