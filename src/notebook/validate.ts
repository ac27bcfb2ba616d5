/**
 * Checks against the nbformat 4 specification (written here from the spec, not a copied schema).
 * Returns problems as data; each names the JSON path and what was expected. Works on the in-memory model,
 * where `source` is one string (the file's list of lines is equivalent).
 */
import { numberValue } from "./json.js";
import type { Notebook } from "./types.js";

export interface ValidationProblem {
  /** JSON path inside the notebook, e.g. `cells[3].outputs[0].output_type`. */
  jsonPath: string;
  /** What is wrong and what was expected. */
  message: string;
}

type Obj = Record<string, unknown>;

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Number);
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Number || typeof v === "number") return `the number ${String(v)}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

class Checker {
  readonly problems: ValidationProblem[] = [];

  add(jsonPath: string, message: string): void {
    this.problems.push({ jsonPath, message });
  }

  expect(ok: boolean, path: string, expected: string, actual: unknown): boolean {
    if (!ok) this.add(path, `expected ${expected}, found ${describe(actual)}`);
    return ok;
  }

  object(v: unknown, path: string): v is Obj {
    return this.expect(isObj(v), path, "an object", v);
  }

  string(v: unknown, path: string): boolean {
    return this.expect(typeof v === "string", path, "a string", v);
  }

  bool(v: unknown, path: string): boolean {
    return this.expect(typeof v === "boolean", path, "true or false", v);
  }

  nonNegInt(v: unknown, path: string, nullable = false): boolean {
    if (nullable && v === null) return true;
    const n = numberValue(v);
    return this.expect(
      n !== undefined && Number.isInteger(n) && n >= 0,
      path,
      nullable ? "a non-negative integer or null" : "a non-negative integer",
      v,
    );
  }

  multiline(v: unknown, path: string): boolean {
    const ok = typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string"));
    return this.expect(ok, path, "a string or a list of strings", v);
  }

  required(obj: Obj, keys: string[], path: string): void {
    for (const k of keys) if (!(k in obj)) this.add(path, `missing required field '${k}'`);
  }

  onlyKeys(obj: Obj, allowed: Set<string>, path: string, what: string): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.has(k))
        this.add(
          path === "$" ? k : `${path}.${k}`,
          `unexpected field '${k}' in ${what} (allowed: ${[...allowed].join(", ")})`,
        );
    }
  }

  tags(v: unknown, path: string): void {
    if (!this.expect(Array.isArray(v), path, "a list of tag strings", v)) return;
    const seen = new Set<string>();
    (v as unknown[]).forEach((t, i) => {
      if (
        !this.expect(
          typeof t === "string" && t.length > 0 && !t.includes(","),
          `${path}[${i}]`,
          "a non-empty tag without commas",
          t,
        )
      )
        return;
      if (seen.has(t as string))
        this.add(`${path}[${i}]`, `duplicate tag ${JSON.stringify(t)}; tags must be unique`);
      seen.add(t as string);
    });
  }

  mimeBundle(v: unknown, path: string): void {
    if (!this.object(v, path)) return;
    for (const [mime, value] of Object.entries(v)) {
      const p = `${path}[${JSON.stringify(mime)}]`;
      if (!mime.includes("/"))
        this.add(p, `expected a MIME type such as 'text/plain' as key, found ${JSON.stringify(mime)}`);
      const isJson = mime === "application/json" || /^application\/(.*\+)?json$/.test(mime);
      if (!isJson) this.multiline(value, p);
    }
  }
}

const NOTEBOOK_KEYS = new Set(["metadata", "nbformat_minor", "nbformat", "cells"]);
const CODE_KEYS = new Set(["id", "cell_type", "metadata", "source", "outputs", "execution_count"]);
const TEXT_KEYS = new Set(["id", "cell_type", "metadata", "source", "attachments"]);
const OUTPUT_KEYS: Record<string, Set<string>> = {
  execute_result: new Set(["output_type", "execution_count", "data", "metadata"]),
  display_data: new Set(["output_type", "data", "metadata"]),
  stream: new Set(["output_type", "name", "text"]),
  error: new Set(["output_type", "ename", "evalue", "traceback"]),
};
const OUTPUT_REQUIRED: Record<string, string[]> = {
  execute_result: ["output_type", "data", "metadata", "execution_count"],
  display_data: ["output_type", "data", "metadata"],
  stream: ["output_type", "name", "text"],
  error: ["output_type", "ename", "evalue", "traceback"],
};

function checkNotebookMetadata(c: Checker, md: unknown): void {
  if (!c.object(md, "metadata")) return;
  if (md.kernelspec !== undefined && c.object(md.kernelspec, "metadata.kernelspec")) {
    const ks = md.kernelspec;
    c.required(ks, ["name", "display_name"], "metadata.kernelspec");
    if (ks.name !== undefined) c.string(ks.name, "metadata.kernelspec.name");
    if (ks.display_name !== undefined) c.string(ks.display_name, "metadata.kernelspec.display_name");
  }
  if (md.language_info !== undefined && c.object(md.language_info, "metadata.language_info")) {
    const li = md.language_info;
    c.required(li, ["name"], "metadata.language_info");
    if (li.name !== undefined) c.string(li.name, "metadata.language_info.name");
    for (const k of ["file_extension", "mimetype", "pygments_lexer", "nbconvert_exporter"]) {
      if (li[k] !== undefined) c.string(li[k], `metadata.language_info.${k}`);
    }
    if (li.codemirror_mode !== undefined) {
      c.expect(
        typeof li.codemirror_mode === "string" || isObj(li.codemirror_mode),
        "metadata.language_info.codemirror_mode",
        "a string or an object",
        li.codemirror_mode,
      );
    }
  }
  if (md.orig_nbformat !== undefined) {
    const n = numberValue(md.orig_nbformat);
    c.expect(
      n !== undefined && Number.isInteger(n) && n >= 1,
      "metadata.orig_nbformat",
      "an integer ≥ 1",
      md.orig_nbformat,
    );
  }
  if (md.title !== undefined) c.string(md.title, "metadata.title");
  if (md.authors !== undefined) c.expect(Array.isArray(md.authors), "metadata.authors", "a list", md.authors);
}

function checkCellMetadata(c: Checker, md: Obj, path: string, code: boolean): void {
  if (md.name !== undefined) c.string(md.name, `${path}.name`);
  if (md.tags !== undefined) c.tags(md.tags, `${path}.tags`);
  if (md.jupyter !== undefined && c.object(md.jupyter, `${path}.jupyter`)) {
    const j = md.jupyter;
    if (j.source_hidden !== undefined) c.bool(j.source_hidden, `${path}.jupyter.source_hidden`);
    if (code && j.outputs_hidden !== undefined) c.bool(j.outputs_hidden, `${path}.jupyter.outputs_hidden`);
  }
  if (!code) {
    if (md.format !== undefined) c.string(md.format, `${path}.format`);
    return;
  }
  if (md.collapsed !== undefined) c.bool(md.collapsed, `${path}.collapsed`);
  if (md.scrolled !== undefined) {
    c.expect(
      typeof md.scrolled === "boolean" || md.scrolled === "auto",
      `${path}.scrolled`,
      'true, false or "auto"',
      md.scrolled,
    );
  }
  if (md.execution !== undefined && c.object(md.execution, `${path}.execution`)) {
    for (const [k, v] of Object.entries(md.execution)) {
      if (k.startsWith("iopub.") || k.startsWith("shell."))
        c.string(v, `${path}.execution[${JSON.stringify(k)}]`);
    }
  }
}

function checkOutput(c: Checker, o: unknown, path: string): void {
  if (!c.object(o, path)) return;
  const type = o.output_type;
  if (typeof type !== "string" || OUTPUT_KEYS[type] === undefined) {
    c.add(
      `${path}.output_type`,
      `expected one of execute_result, display_data, stream, error, found ${describe(type)}`,
    );
    return;
  }
  c.required(o, OUTPUT_REQUIRED[type]!, path);
  c.onlyKeys(o, OUTPUT_KEYS[type]!, path, `a ${type} output`);
  if (type === "execute_result" && "execution_count" in o)
    c.nonNegInt(o.execution_count, `${path}.execution_count`, true);
  if (type === "execute_result" || type === "display_data") {
    if (o.data !== undefined) c.mimeBundle(o.data, `${path}.data`);
    if (o.metadata !== undefined) c.object(o.metadata, `${path}.metadata`);
  } else if (type === "stream") {
    if (o.name !== undefined) c.string(o.name, `${path}.name`);
    if (o.text !== undefined) c.multiline(o.text, `${path}.text`);
  } else {
    if (o.ename !== undefined) c.string(o.ename, `${path}.ename`);
    if (o.evalue !== undefined) c.string(o.evalue, `${path}.evalue`);
    if (
      o.traceback !== undefined &&
      c.expect(Array.isArray(o.traceback), `${path}.traceback`, "a list of strings", o.traceback)
    ) {
      (o.traceback as unknown[]).forEach((line, i) => {
        c.string(line, `${path}.traceback[${i}]`);
      });
    }
  }
}

function checkCell(c: Checker, cell: unknown, path: string, minor: number, ids: Map<string, string>): void {
  if (!c.object(cell, path)) return;
  const type = cell.cell_type;
  if (type !== "code" && type !== "markdown" && type !== "raw") {
    c.add(`${path}.cell_type`, `expected "code", "markdown" or "raw", found ${describe(type)}`);
    return;
  }
  const code = type === "code";
  c.required(
    cell,
    code
      ? ["cell_type", "metadata", "source", "outputs", "execution_count"]
      : ["cell_type", "metadata", "source"],
    path,
  );
  if (minor >= 5 && !("id" in cell))
    c.add(path, "missing required field 'id' (cell ids are required from nbformat 4.5)");
  c.onlyKeys(cell, code ? CODE_KEYS : TEXT_KEYS, path, `a ${type} cell`);
  if (cell.id !== undefined) {
    if (
      c.expect(
        typeof cell.id === "string" && CELL_ID.test(cell.id),
        `${path}.id`,
        "1–64 characters from a-z, A-Z, 0-9, - and _",
        cell.id,
      )
    ) {
      const other = ids.get(cell.id as string);
      if (other !== undefined)
        c.add(
          `${path}.id`,
          `cell id ${JSON.stringify(cell.id)} is already used by ${other}; ids must be unique`,
        );
      else ids.set(cell.id as string, path);
    }
  }
  if (cell.source !== undefined) c.multiline(cell.source, `${path}.source`);
  if (cell.metadata !== undefined && c.object(cell.metadata, `${path}.metadata`)) {
    checkCellMetadata(c, cell.metadata, `${path}.metadata`, code);
  }
  if (code) {
    if ("execution_count" in cell) c.nonNegInt(cell.execution_count, `${path}.execution_count`, true);
    if (
      cell.outputs !== undefined &&
      c.expect(Array.isArray(cell.outputs), `${path}.outputs`, "a list of outputs", cell.outputs)
    ) {
      (cell.outputs as unknown[]).forEach((o, i) => {
        checkOutput(c, o, `${path}.outputs[${i}]`);
      });
    }
  } else if (cell.attachments !== undefined && c.object(cell.attachments, `${path}.attachments`)) {
    for (const [name, bundle] of Object.entries(cell.attachments)) {
      c.mimeBundle(bundle, `${path}.attachments[${JSON.stringify(name)}]`);
    }
  }
}

/** Problems of this notebook against the nbformat 4 specification; `[]` when it is valid. */
export function validateNotebook(nb: Notebook | unknown): ValidationProblem[] {
  const c = new Checker();
  if (!c.object(nb, "$")) return c.problems;
  c.required(nb, ["metadata", "nbformat_minor", "nbformat", "cells"], "$");
  c.expect(numberValue(nb.nbformat) === 4, "nbformat", "4", nb.nbformat);
  const minor = numberValue(nb.nbformat_minor) ?? 0;
  if ("nbformat_minor" in nb) c.nonNegInt(nb.nbformat_minor, "nbformat_minor");
  c.onlyKeys(nb, NOTEBOOK_KEYS, "$", "the notebook");
  if (nb.metadata !== undefined) checkNotebookMetadata(c, nb.metadata);
  if (nb.cells !== undefined && c.expect(Array.isArray(nb.cells), "cells", "a list of cells", nb.cells)) {
    const ids = new Map<string, string>();
    (nb.cells as unknown[]).forEach((cell, i) => {
      checkCell(c, cell, `cells[${i}]`, minor, ids);
    });
  }
  return c.problems;
}
