/**
 * Writing notebooks exactly as nbformat/Jupyter do: `json.dumps(nb, sort_keys=True, indent=1,
 * ensure_ascii=False)` plus a final newline, with cell sources (and the text fields of outputs and
 * attachments) split into lists of lines by Python's `str.splitlines(keepends=True)`.
 * An unchanged notebook read by `parseNotebook` is written back byte for byte (see memo.ts).
 */
import { serializeJson } from "./json.js";
import { notebookMemos, sourceMemos, verbatimObjects } from "./memo.js";
import type { Notebook } from "./types.js";

// Python's str.splitlines() line boundaries.
const SPECIAL_BREAKS = /[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const ANY_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's `text.splitlines(True)`: lines with their line endings; `""` gives `[]`. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  if (!SPECIAL_BREAKS.test(text)) {
    let start = 0;
    let i = text.indexOf("\n");
    while (i !== -1) {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
      i = text.indexOf("\n", start);
    }
    if (start < text.length) lines.push(text.slice(start));
    return lines;
  }
  let start = 0;
  ANY_BREAK.lastIndex = 0;
  for (let m = ANY_BREAK.exec(text); m !== null; m = ANY_BREAK.exec(text)) {
    const end = m.index + m[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** MIME types nbformat splits into lines besides `text/*`. */
const SPLIT_MIMES = new Set(["application/javascript", "image/svg+xml"]);

export function isSplitMime(mime: string): boolean {
  return mime.startsWith("text/") || SPLIT_MIMES.has(mime);
}

function bundleForFile(bundle: unknown): unknown {
  if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle) || verbatimObjects.has(bundle)) {
    return bundle;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" && isSplitMime(mime)) {
      copy ??= { ...(bundle as Record<string, unknown>) };
      copy[mime] = splitLines(value);
    }
  }
  return copy ?? bundle;
}

function outputForFile(output: unknown): unknown {
  if (output === null || typeof output !== "object" || verbatimObjects.has(output)) return output;
  const o = output as Record<string, unknown>;
  if (o.output_type === "stream" && typeof o.text === "string") return { ...o, text: splitLines(o.text) };
  if ((o.output_type === "execute_result" || o.output_type === "display_data") && o.data !== undefined) {
    const data = bundleForFile(o.data);
    return data === o.data ? o : { ...o, data };
  }
  return o;
}

function cellForFile(cell: unknown): unknown {
  if (cell === null || typeof cell !== "object") return cell;
  const c = cell as Record<string, unknown>;
  const out: Record<string, unknown> = { ...c };
  if (typeof c.source === "string") {
    const memo = sourceMemos.get(c);
    out.source = memo !== undefined && memo.text === c.source ? memo.raw : splitLines(c.source);
  }
  if (c.cell_type === "code" && Array.isArray(c.outputs)) out.outputs = c.outputs.map(outputForFile);
  if (c.attachments !== null && typeof c.attachments === "object" && !Array.isArray(c.attachments)) {
    const att: Record<string, unknown> = {};
    for (const [name, bundle] of Object.entries(c.attachments)) att[name] = bundleForFile(bundle);
    out.attachments = att;
  }
  return out;
}

export interface WriteOptions {
  /** Line ending; default: the one the notebook was read with, else "\n". */
  eol?: "\n" | "\r\n";
}

/** The file text Jupyter would write for this notebook (ends with a newline). */
export function serializeNotebook(nb: Notebook, options: WriteOptions = {}): string {
  const memo = notebookMemos.get(nb);
  const eol = options.eol ?? memo?.eol ?? "\n";
  const fileView: Record<string, unknown> = { ...nb };
  if (Array.isArray(nb.cells)) fileView.cells = nb.cells.map(cellForFile);
  const text = serializeJson(fileView, { indent: 1, eol });
  return memo?.noFinalNewline && options.eol === undefined ? text : text + eol;
}
