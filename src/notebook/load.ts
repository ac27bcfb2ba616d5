/**
 * Loading a notebook from disk: `.ipynb` (JSON) or its percent-format `.py` twin, with clear errors for
 * missing, unreadable or broken files; and the kernel check for commands that analyse Python.
 */
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { FledgeError } from "../errors.js";
import { fileError, readTextFile } from "./fs.js";
import { type NotebookOrigin, parseNotebook } from "./read.js";
import type { Notebook, ReadWarning } from "./types.js";

export interface LoadedNotebook {
  /** The path as given. */
  file: string;
  /** What the file was: a notebook (JSON) or a percent-format Python script. */
  format: "ipynb" | "percent";
  notebook: Notebook;
  warnings: ReadWarning[];
  origin: NotebookOrigin;
}

/** True for paths fledge reads as percent-format Python. */
export function isPercentPath(path: string): boolean {
  return extname(path).toLowerCase() === ".py";
}

/**
 * Read a notebook file (`.ipynb`, or `.py` in percent format). Throws FledgeError E_INPUT with the file (and line,
 * column or JSON path) for missing, unreadable, directory, empty, truncated or malformed files.
 */
export async function readNotebookFile(path: string): Promise<LoadedNotebook> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (err) {
    throw fileError(err, path);
  }
  const text = await readTextFile(path);
  if (isPercentPath(path)) {
    // Loaded on demand: the percent-format reader (and its YAML parser) is only needed for .py inputs.
    const { parsePercent } = await import("./percent.js");
    const r = parsePercent(text, path);
    return { file: path, format: "percent", notebook: r.notebook, warnings: r.warnings, origin: r.origin };
  }
  const parsed = parseNotebook(text, path);
  return { file: path, format: "ipynb", ...parsed };
}

/** The notebook's language as recorded in its metadata (lower case), or undefined when it does not say. */
export function notebookLanguage(nb: Notebook): string | undefined {
  const md = nb.metadata ?? {};
  const li = md.language_info?.name;
  if (typeof li === "string" && li !== "") return li.toLowerCase();
  const lang = md.kernelspec?.language;
  if (typeof lang === "string" && lang !== "") return lang.toLowerCase();
  const name = md.kernelspec?.name;
  if (typeof name === "string" && name !== "") {
    return /python|ipykernel|^py\d*$|conda|venv/i.test(name) ? "python" : name.toLowerCase();
  }
  return undefined;
}

/**
 * Stop with E_NOT_PYTHON when the notebook's kernel is not Python. A notebook that does not say (no kernelspec
 * or language_info, e.g. a stripped or new one) is taken as Python.
 */
export function requirePythonKernel(nb: Notebook, file?: string): void {
  const lang = notebookLanguage(nb);
  if (lang === undefined || lang === "python" || lang === "python3" || lang === "ipython") return;
  const ks = nb.metadata?.kernelspec;
  const kernel = typeof ks?.display_name === "string" ? ` (kernel "${ks.display_name}")` : "";
  throw new FledgeError(
    "E_NOT_PYTHON",
    `this notebook is written in ${lang}${kernel}, not Python: fledge analyses Python notebooks only`,
    {
      location: file === undefined ? {} : { file },
      hint: "Format commands (strip, diff, sync) still work on it.",
    },
  );
}
