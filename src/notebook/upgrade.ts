/**
 * Upgrading nbformat 2 and 3 notebooks (cells inside `worksheets`) to nbformat 4, in memory, following the
 * nbformat 4 specification's description of the v3 → v4 changes:
 * - worksheets are flattened into one `cells` list;
 * - code cells: `input` → `source`, `prompt_number` → `execution_count`, `collapsed` → `metadata.collapsed`,
 *   `language` dropped;
 * - heading cells become markdown `#` headings; html cells become markdown;
 * - outputs: `pyout` → `execute_result`, `pyerr` → `error`, `stream.stream` → `stream.name`, and the short
 *   output keys (`text`, `png`, …) move into a `data` MIME bundle.
 * Cells get no ids (the result is nbformat 4.4), so nothing random enters the file.
 */
import type { ReadWarning } from "./types.js";

type Obj = Record<string, unknown>;

const SHORT_TO_MIME: Record<string, string> = {
  text: "text/plain",
  html: "text/html",
  svg: "image/svg+xml",
  png: "image/png",
  jpeg: "image/jpeg",
  latex: "text/latex",
  json: "application/json",
  javascript: "application/javascript",
};

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Join an nbformat 2/3 multiline value: lists written by `splitlines(True)` keep their line endings and are
 * concatenated; lists written by `splitlines()` (older files) are joined with newlines.
 */
export function joinOldLines(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return value;
  const lines = value as string[];
  if (lines.length > 0 && /[\n\r]$/.test(lines[0]!)) return lines.join("");
  return lines.join("\n");
}

function upgradeOutput(output: unknown, at: string, warnings: ReadWarning[]): unknown {
  if (!isObj(output)) return output;
  const o: Obj = { ...output };
  const type = o.output_type;
  if (type === "pyout" || type === "display_data") {
    const result: Obj = {
      output_type: type === "pyout" ? "execute_result" : "display_data",
      metadata: {},
    };
    if (type === "pyout")
      result.execution_count = typeof o.prompt_number === "number" ? o.prompt_number : null;
    const data: Obj = {};
    for (const [key, value] of Object.entries(o)) {
      if (key === "output_type" || key === "prompt_number" || key === "execution_count") continue;
      if (key === "metadata") {
        if (isObj(value)) {
          const md: Obj = {};
          for (const [k, v] of Object.entries(value)) md[SHORT_TO_MIME[k] ?? k] = v;
          result.metadata = md;
        }
        continue;
      }
      const mime = SHORT_TO_MIME[key] ?? key;
      let v = joinOldLines(value);
      if (mime === "application/json" && typeof v === "string") {
        try {
          v = JSON.parse(v);
        } catch {
          warnings.push({ message: "application/json output is not valid JSON; kept as text", jsonPath: at });
        }
      }
      data[mime] = v;
    }
    result.data = data;
    return result;
  }
  if (type === "pyerr") {
    o.output_type = "error";
    return o;
  }
  if (type === "stream") {
    const name = o.stream ?? o.name ?? "stdout";
    delete o.stream;
    o.name = name;
    o.text = joinOldLines(o.text);
    return o;
  }
  return o;
}

function upgradeCell(cell: unknown, at: string, warnings: ReadWarning[]): unknown {
  if (!isObj(cell)) return cell;
  const c: Obj = { ...cell };
  c.metadata = isObj(c.metadata) ? c.metadata : {};
  if (c.cell_type === "code") {
    const metadata = { ...(c.metadata as Obj) };
    delete c.language;
    if ("collapsed" in c) {
      metadata.collapsed = c.collapsed;
      delete c.collapsed;
    }
    c.metadata = metadata;
    c.source = joinOldLines(c.input ?? "");
    delete c.input;
    c.execution_count = typeof c.prompt_number === "number" ? c.prompt_number : null;
    delete c.prompt_number;
    const outputs = Array.isArray(c.outputs) ? c.outputs : [];
    c.outputs = outputs.map((o, i) => upgradeOutput(o, `${at}.outputs[${i}]`, warnings));
  } else if (c.cell_type === "heading") {
    const level = typeof c.level === "number" ? c.level : 1;
    const text = String(joinOldLines(c.source ?? ""));
    c.cell_type = "markdown";
    c.source = `${"#".repeat(level)} ${text.split(/\r\n|\r|\n/).join(" ")}`;
    delete c.level;
  } else if (c.cell_type === "html") {
    c.cell_type = "markdown";
    c.source = joinOldLines(c.source ?? "");
  } else {
    c.source = joinOldLines(c.source ?? "");
  }
  return c;
}

/** Upgrade a parsed nbformat 2 or 3 notebook to the nbformat 4.4 shape (sources joined into strings). */
export function upgradeToV4(raw: Obj, from: number, warnings: ReadWarning[]): Obj {
  const metadata: Obj = isObj(raw.metadata) ? { ...raw.metadata } : {};
  if (!isObj(raw.metadata))
    warnings.push({ message: "notebook has no metadata; using {}", jsonPath: "metadata" });
  delete metadata.name;
  delete metadata.signature;
  const cells: unknown[] = [];
  const worksheets = raw.worksheets;
  if (worksheets === undefined) {
    warnings.push({
      message: `nbformat ${from} notebook has no worksheets: it has no cells`,
      jsonPath: "worksheets",
    });
  } else if (Array.isArray(worksheets)) {
    worksheets.forEach((ws, w) => {
      if (!isObj(ws) || ws.cells === undefined) {
        warnings.push({ message: "worksheet has no cells", jsonPath: `worksheets[${w}]` });
        return;
      }
      if (!Array.isArray(ws.cells)) {
        warnings.push({
          message: "worksheet cells is not a list; skipped",
          jsonPath: `worksheets[${w}].cells`,
        });
        return;
      }
      ws.cells.forEach((cell, i) => {
        cells.push(upgradeCell(cell, `worksheets[${w}].cells[${i}]`, warnings));
      });
    });
    if (worksheets.length > 1) {
      warnings.push({
        message: `${worksheets.length} worksheets were merged into one cell list`,
        jsonPath: "worksheets",
      });
    }
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== "worksheets" && k !== "orig_nbformat" && k !== "orig_nbformat_minor") out[k] = v;
  }
  out.metadata = metadata;
  out.nbformat = 4;
  out.nbformat_minor = 4;
  out.cells = cells;
  return out;
}
