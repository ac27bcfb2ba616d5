/**
 * python/: what each code cell defines, reads, modifies, deletes and imports.
 *
 *   await initPython();                       // once: loads web-tree-sitter and the Python grammar
 *   const analysis = analyzeNotebook(nb);     // sync, pure
 */
import type { Notebook } from "../notebook/types.js";
import { type AnalyzeOptions, analyzeCell } from "./analyze.js";
import { NEWEST_PYTHON_VERSION, normalizePythonVersion } from "./builtins.js";
import { RECEIVER_RULES } from "./modifications.js";
import type { CellAnalysis, Modification, NotebookAnalysis } from "./types.js";

export { type AnalyzeOptions, analyzeCell } from "./analyze.js";
export {
  builtinNames,
  isAmbientName,
  NEWEST_PYTHON_VERSION,
  normalizePythonVersion,
  SUPPORTED_PYTHON_VERSIONS,
} from "./builtins.js";
export { type MaskedCell, maskIPython } from "./ipython.js";
export { initPython, isPythonReady, parserLanguage, pythonWasmFiles } from "./parser.js";

/** The notebook's Python version ("3.11") from `language_info.version`, else the newest supported. */
export function notebookPythonVersion(nb: Notebook): string {
  const v = nb.metadata?.language_info?.version;
  return typeof v === "string" ? normalizePythonVersion(v) : NEWEST_PYTHON_VERSION;
}

/**
 * Analyse every code cell. Pure: no I/O. Requires `await initPython()` first. `shapes`: also each statement's
 * shape (python/shape.ts), for map/extract.
 *
 * On top of the per-cell analysis it applies what needs the whole notebook:
 * - general-rule modifications (`obj.method()` with its result dropped) of names that some cell binds by an
 *   import are dropped (`plt.plot(…)` does not modify `plt`);
 * - aliases made in earlier cells (`X = df` in cell 1) turn a modification of `X` in a later cell into a
 *   possible modification of `df`.
 */
export function analyzeNotebook(nb: Notebook, request: { shapes?: boolean } = {}): NotebookAnalysis {
  const pythonVersion = notebookPythonVersion(nb);
  const cells: CellAnalysis[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const options: AnalyzeOptions = { pythonVersion };
    if (request.shapes) options.shapes = true;
    if (typeof cell.id === "string") options.cellId = cell.id;
    cells.push(analyzeCell(cell.source, index, options));
  });
  return finishNotebookAnalysis(pythonVersion, cells);
}

/**
 * The notebook-level part of `analyzeNotebook` over per-cell results made by `analyzeCell` (fresh, or restored from
 * a cache such as analysis/cache.ts): drops general-rule modifications of imported names and adds modifications
 * through aliases made in earlier cells. Mutates the cells' `modifies` (so a caller that stores cell results
 * must serialise them first) and returns the notebook's analysis.
 */
export function finishNotebookAnalysis(pythonVersion: string, cells: CellAnalysis[]): NotebookAnalysis {
  const imported = new Set<string>();
  for (const c of cells) for (const imp of c.imports) for (const b of imp.binds) imported.add(b);
  const aliases = new Map<string, string>();
  for (const c of cells) {
    c.modifies = c.modifies.filter((m) => !(m.rule && RECEIVER_RULES.has(m.rule) && imported.has(m.name)));
    const extra: Modification[] = [];
    for (const m of c.modifies) {
      const target = aliases.get(m.name);
      if (!target || m.via || Object.hasOwn(c.aliases, m.name)) continue;
      if (c.modifies.some((o) => o.name === target && o.via === m.name)) continue;
      extra.push({
        ...m,
        name: target,
        confidence: "possible",
        reason: `${m.reason} (via alias ${m.name})`,
        rule: "alias",
        via: m.name,
      });
    }
    c.modifies.push(...extra);
    // Rebinding a name ends its alias; `X = df` starts one.
    for (const d of c.defines) aliases.delete(d);
    for (const [name, target] of Object.entries(c.aliases)) aliases.set(name, target);
  }
  return { pythonVersion, cells };
}
