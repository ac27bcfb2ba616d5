/**
 * Reading notebooks: nbformat 4.0–4.5 as is (newer 4.x minors with a warning), nbformat 2 and 3 upgraded to 4
 * in memory. Forgiving like Jupyter: a missing optional field is repaired with a warning; only a file that is
 * not a notebook at all (not JSON, not an object, no cell list, unknown nbformat) is an error.
 */
import { FledgeError } from "../errors.js";
import { JsonSyntaxError, lineColumn, numberValue, parseJson } from "./json.js";
import { notebookMemos, sourceMemos, verbatimObjects } from "./memo.js";
import type { Cell, Notebook, ReadWarning } from "./types.js";
import { upgradeToV4 } from "./upgrade.js";
import { isSplitMime, splitLines } from "./write.js";

/** The newest nbformat 4 minor version this reader knows. */
export const KNOWN_MINOR = 5;

export interface NotebookOrigin {
  /** The format version the file had (before any upgrade). */
  nbformat: number;
  nbformat_minor: number;
}

export interface ParsedNotebook {
  notebook: Notebook;
  warnings: ReadWarning[];
  origin: NotebookOrigin;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Number) return "a number";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

const TRUNCATED_HINT =
  "The file was probably cut off while being saved (a crash or a full disk): restore it from git or a backup.";
const CONFLICT_MARKER = /(^|\n)<{7} /;
const NOT_A_NOTEBOOK_HINT =
  "Is this a Jupyter notebook (.ipynb)? Open it in Jupyter to check, or restore it from git.";

/** Parse notebook file text. Throws FledgeError E_INPUT (with file, line/column or JSON path) for broken files. */
export function parseNotebook(text: string, file?: string): ParsedNotebook {
  const warnings: ReadWarning[] = [];
  const bad = (
    message: string,
    jsonPath?: string,
    extra: { line?: number; column?: number } = {},
    hint: string = NOT_A_NOTEBOOK_HINT,
  ): never => {
    throw new FledgeError("E_INPUT", message, {
      location: { ...(file === undefined ? {} : { file }), ...extra, ...(jsonPath ? { jsonPath } : {}) },
      hint,
    });
  };

  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    warnings.push({ message: "the file starts with a UTF-8 byte order mark; it will not be written back" });
  }
  if (text.trim() === "") {
    bad(
      "the file is empty: expected a notebook (a JSON object with a 'cells' list)",
      undefined,
      {},
      TRUNCATED_HINT,
    );
  }

  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const at = { line: err.line, column: err.column };
      const conflict = CONFLICT_MARKER.exec(text);
      if (conflict) {
        bad(
          "the file contains git merge conflict markers, so it is not valid JSON",
          undefined,
          lineColumn(text, conflict.index + conflict[1]!.length),
          "Resolve the conflict first, e.g. take one side with `git checkout --ours <file>` (or --theirs); `fledge diff` compares the two versions cell by cell.",
        );
      }
      if (err.atEnd)
        bad(`the file ends too early: it looks truncated (${err.message})`, undefined, at, TRUNCATED_HINT);
      bad(`not valid JSON: ${err.message}`, undefined, at);
    }
    throw err;
  }
  if (!isObj(raw)) {
    bad(`expected a JSON object (a notebook) at the top level, found ${kind(raw)}`, "$");
  }
  const nb = raw as Obj;

  // Which format?
  let major = numberValue(nb.nbformat);
  if (nb.nbformat === undefined) {
    if (Array.isArray(nb.cells)) {
      warnings.push({ message: "no 'nbformat' field: assuming nbformat 4", jsonPath: "nbformat" });
      major = 4;
      nb.nbformat = 4;
    } else if (Array.isArray(nb.worksheets)) {
      warnings.push({ message: "no 'nbformat' field: assuming nbformat 3", jsonPath: "nbformat" });
      major = 3;
    } else {
      bad("not a notebook: no 'nbformat' field and no 'cells' list", "nbformat");
    }
  }
  if (major === undefined || !Number.isInteger(major)) {
    bad(`'nbformat' must be an integer, found ${kind(nb.nbformat)}`, "nbformat");
  }
  const minorValue = numberValue(nb.nbformat_minor);
  const origin: NotebookOrigin = { nbformat: major!, nbformat_minor: minorValue ?? 0 };

  if (major! >= 5) {
    bad(
      `nbformat ${major} is not supported: fledge reads nbformat 4 (and upgrades 2 and 3)`,
      "nbformat",
      {},
      "Save the notebook as nbformat 4 (e.g. with `jupyter nbconvert --to notebook --nbformat 4`), or use a newer fledge.",
    );
  }
  if (major! < 2) bad(`nbformat ${major} is too old: fledge reads nbformat 2, 3 and 4`, "nbformat");

  let v4: Obj = nb;
  let remember = true;
  if (major === 2 || major === 3) {
    if (nb.worksheets !== undefined && !Array.isArray(nb.worksheets)) {
      bad(`'worksheets' must be a list, found ${kind(nb.worksheets)}`, "worksheets");
    }
    v4 = upgradeToV4(nb, major, warnings);
    warnings.push({ message: `upgraded from nbformat ${major} to 4 in memory; writing it saves nbformat 4` });
    remember = false;
  } else {
    if (nb.cells === undefined) bad("no cell list: the notebook has no 'cells' field", "cells");
    if (!Array.isArray(nb.cells)) bad(`'cells' must be a list, found ${kind(nb.cells)}`, "cells");
    if (minorValue === undefined) {
      const guess = (nb.cells as unknown[]).some((c) => isObj(c) && typeof c.id === "string") ? 5 : 4;
      warnings.push({
        message: `no 'nbformat_minor' field: assuming 4.${guess}`,
        jsonPath: "nbformat_minor",
      });
      nb.nbformat_minor = guess;
    } else if (!Number.isInteger(minorValue) || minorValue < 0) {
      bad(
        `'nbformat_minor' must be a non-negative integer, found ${String(nb.nbformat_minor)}`,
        "nbformat_minor",
      );
    } else if (minorValue > KNOWN_MINOR) {
      warnings.push({
        message: `nbformat 4.${minorValue} is newer than 4.${KNOWN_MINOR}, the newest fledge knows; unknown fields are kept as they are`,
        jsonPath: "nbformat_minor",
      });
    }
  }

  if (!isObj(v4.metadata)) {
    if (v4.metadata !== undefined) {
      warnings.push({
        message: `notebook metadata is ${kind(v4.metadata)}, not an object; replaced by {}`,
        jsonPath: "metadata",
      });
    } else if (remember) {
      warnings.push({ message: "notebook has no metadata; using {}", jsonPath: "metadata" });
    }
    v4.metadata = {};
  }

  const cells = v4.cells as unknown[];
  const minor = numberValue(v4.nbformat_minor) ?? 0;
  const seenIds = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    const at = `cells[${i}]`;
    if (!isObj(cell)) bad(`a cell must be an object, found ${kind(cell)}`, at);
    normalizeCell(cell as Obj, at, remember, warnings, bad);
    const id = (cell as Obj).id;
    if (typeof id === "string") {
      const first = seenIds.get(id);
      if (first !== undefined) {
        warnings.push({
          message: `cell id '${id}' is also used by cells[${first}]; ids must be unique`,
          jsonPath: `${at}.id`,
        });
      } else seenIds.set(id, i);
    } else if (id === undefined && major === 4 && minor >= 5) {
      warnings.push({ message: "cell has no id (required from nbformat 4.5)", jsonPath: `${at}.id` });
    }
  }

  const notebook = v4 as unknown as Notebook;
  if (remember) {
    const firstNewline = text.indexOf("\n");
    const crlf = firstNewline > 0 && text.charCodeAt(firstNewline - 1) === 13;
    const noFinalNewline = !text.endsWith("\n");
    if (crlf || noFinalNewline) {
      notebookMemos.set(notebook, {
        eol: crlf ? "\r\n" : "\n",
        ...(noFinalNewline ? { noFinalNewline } : {}),
      });
    }
  }
  return { notebook, warnings, origin };
}

function sameLines(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function markVerbatimBundle(bundle: unknown): void {
  if (!isObj(bundle)) return;
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" && isSplitMime(mime)) {
      verbatimObjects.add(bundle);
      return;
    }
  }
}

function normalizeCell(
  cell: Obj,
  at: string,
  remember: boolean,
  warnings: ReadWarning[],
  bad: (message: string, jsonPath?: string) => never,
): void {
  if (cell.cell_type === undefined) {
    const guess = "outputs" in cell || "execution_count" in cell ? "code" : "raw";
    warnings.push({ message: `cell has no cell_type; treated as ${guess}`, jsonPath: `${at}.cell_type` });
    cell.cell_type = guess;
  } else if (cell.cell_type !== "code" && cell.cell_type !== "markdown" && cell.cell_type !== "raw") {
    warnings.push({
      message: `unknown cell_type ${JSON.stringify(cell.cell_type)}; kept (expected code, markdown or raw)`,
      jsonPath: `${at}.cell_type`,
    });
  }

  const source = cell.source;
  if (typeof source === "string") {
    if (remember) sourceMemos.set(cell, { text: source, raw: source });
  } else if (Array.isArray(source)) {
    if (!source.every((s) => typeof s === "string")) {
      bad("cell source must be a string or a list of strings", `${at}.source`);
    }
    const text = (source as string[]).join("");
    cell.source = text;
    if (remember && !sameLines(source as string[], splitLines(text))) {
      sourceMemos.set(cell, { text, raw: source as string[] });
    }
  } else if (source === undefined) {
    warnings.push({ message: "cell has no source; using an empty one", jsonPath: `${at}.source` });
    cell.source = "";
  } else {
    bad(`cell source must be a string or a list of strings, found ${kind(source)}`, `${at}.source`);
  }

  if (!isObj(cell.metadata)) {
    warnings.push({
      message:
        cell.metadata === undefined
          ? "cell has no metadata; using {}"
          : `cell metadata is ${kind(cell.metadata)}, not an object; replaced by {}`,
      jsonPath: `${at}.metadata`,
    });
    cell.metadata = {};
  }

  if (cell.cell_type === "code") {
    if (cell.outputs === undefined) {
      warnings.push({ message: "code cell has no outputs list; using []", jsonPath: `${at}.outputs` });
      cell.outputs = [];
    } else if (!Array.isArray(cell.outputs)) {
      bad(`code cell outputs must be a list, found ${kind(cell.outputs)}`, `${at}.outputs`);
    }
    if (cell.execution_count === undefined) {
      warnings.push({
        message: "code cell has no execution_count; using null",
        jsonPath: `${at}.execution_count`,
      });
      cell.execution_count = null;
    }
    for (const output of remember ? (cell.outputs as unknown[]) : []) {
      if (!isObj(output)) continue;
      if (output.output_type === "stream" && typeof output.text === "string") verbatimObjects.add(output);
      else if (output.output_type === "execute_result" || output.output_type === "display_data") {
        markVerbatimBundle(output.data);
      }
    }
  }
  if (remember && isObj(cell.attachments)) {
    for (const bundle of Object.values(cell.attachments)) markVerbatimBundle(bundle);
  }
}

/** Narrowing helper for stages that only handle the three known cell types. */
export function isKnownCell(cell: Cell): boolean {
  return cell.cell_type === "code" || cell.cell_type === "markdown" || cell.cell_type === "raw";
}
