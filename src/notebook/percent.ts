/**
 * The percent format: a notebook as a Python script with `# %%` cell markers, compatible with Jupytext's
 * `py:percent` (format version 1.3). Line-level rules (magics, escaping, blank lines) are in percent-syntax.ts,
 * cell markers in percent-marker.ts, the header YAML in percent-yaml.ts.
 *
 * What the .py holds: cell types, sources and the cell metadata a person edits (tags, …) in the markers, and a
 * YAML header with the kernelspec, Jupytext's pairing information and fledge's own sync state (`fledge:`).
 * Volatile metadata (collapsed, scrolled, ExecuteTime, …), cell ids, attachments and outputs stay in the .ipynb.
 *
 * Exactness: read(write(nb)) gives back every cell's type, visible metadata and source, except that a code
 * cell whose source ends with exactly one newline after a non-blank line loses that newline (the format cannot
 * tell it from the blank line that separates cells; Jupytext has the same limit). {@link percentSource} says
 * what a cell's source becomes, so that comparisons can ignore that difference.
 */
import { createHash } from "node:crypto";
import { fnv1a } from "./fnv.js";
import { markerLine, parseMarkerOptions } from "./percent-marker.js";
import {
  decodeCodeLines,
  decodeCommentedLines,
  encodeCodeLines,
  encodeCommentedLines,
  fencedLines,
  isBlank,
  isLanguageMagic,
  isMarkerLine,
  pep8BlankLines,
  QuoteTracker,
  separatorCount,
  uncommentText,
} from "./percent-syntax.js";
import { dumpYaml, parseHeaderYaml } from "./percent-yaml.js";
import type { Cell, CellType, Notebook, NotebookMetadata, ReadWarning } from "./types.js";

/** fledge's record of the last sync, kept in the .py header under `jupyter: fledge:`. */
export interface SyncState {
  /** Format of this record. */
  version: number;
  /** Hash of the pair's shared content (cell types, sources, visible metadata, kernelspec) at the last sync. */
  inputs: string;
  /** One short hash per cell, in order, as of the last sync. */
  cells: string[];
}

/** What the header says about the pairing. */
export interface PairingHeader {
  /** Jupytext's `formats`, e.g. `ipynb,py:percent`. */
  formats?: string;
  /** fledge's sync record, when fledge wrote the file. */
  state?: SyncState;
}

export interface PercentReadResult {
  notebook: Notebook;
  warnings: ReadWarning[];
  pairing?: PairingHeader;
  origin: { nbformat: number; nbformat_minor: number };
}

export interface PercentWriteOptions {
  /** The sync record to store in the header. */
  state?: SyncState;
  /** Line ending (default "\n"). */
  eol?: "\n" | "\r\n";
}

/** The Jupytext release whose percent format (1.3) this module is tested against. */
export const JUPYTEXT_VERSION = "1.19.6";
const FORMAT_VERSION = "1.3";

// ---- Which cell metadata goes into the markers ----

/** Kept in the .ipynb only, as Jupytext does (volatile UI state and Jupytext's own layout hints). */
const HIDDEN_KEYS = new Set([
  "autoscroll",
  "collapsed",
  "scrolled",
  "trusted",
  "execution",
  "ExecuteTime",
  "skipline",
  "noskipline",
  "cell_marker",
  "lines_to_next_cell",
  "lines_to_end_of_cell_marker",
  // words with a meaning in the marker itself
  "cell_type",
  "region_name",
  "language",
  "magic_args",
  "incorrectly_encoded_metadata",
]);
const KEY_RE = /^[a-zA-Z0-9_.@/-]+$/;

/** The cell metadata the .py shows (and that a .py edit may change). */
export function visibleMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value === undefined || HIDDEN_KEYS.has(key) || !KEY_RE.test(key)) continue;
    out[key] = value;
  }
  return out;
}

/** Metadata the .py cannot show: what a sync must keep from the .ipynb. */
export function hiddenMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const visible = visibleMetadata(metadata);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) if (!(key in visible)) out[key] = value;
  return out;
}

/** Is a cell active in the .py (Jupytext's `active` metadata, `active-…` tags, frozen cells)? */
function isActive(metadata: Record<string, unknown>, ext: "py" | "ipynb"): boolean {
  const rc = metadata.run_control as { frozen?: unknown } | undefined;
  if (rc && typeof rc === "object" && rc.frozen === true) return ext === "ipynb";
  const tags = Array.isArray(metadata.tags) ? metadata.tags : [];
  for (const tag of tags) {
    if (typeof tag === "string" && tag.startsWith("active-")) return tag.split("-").includes(ext);
  }
  if (!("active" in metadata)) return true;
  return String(metadata.active).split(/[.,]/).includes(ext);
}

// ---- Cells to lines ----

interface CellText {
  marker: string;
  body: string[];
}

const CELL_MAGIC_RE = /^%%(\S+)(?: (.*))?$/;

/** The marker and body lines of one cell; `exact` is false when the source loses its final newline. */
function cellText(cell: Cell): CellText & { source: string } {
  const source = typeof cell.source === "string" ? cell.source : "";
  const metadata = visibleMetadata(cell.metadata ?? {});
  if (cell.cell_type !== "code") {
    return {
      marker: markerLine(cell.cell_type, metadata),
      body: encodeCommentedLines(source.split("\n"), true),
      source,
    };
  }
  if (!isActive(metadata, "py")) {
    return {
      marker: markerLine("code", metadata),
      body: encodeCommentedLines(source.split("\n"), false),
      source,
    };
  }
  const nl = source.indexOf("\n");
  const magic = nl > 0 ? CELL_MAGIC_RE.exec(source.slice(0, nl)) : null;
  if (magic && isLanguageMagic(magic[1]!) && magic[2] !== "") {
    const md: Record<string, unknown> = { ...metadata, language: magic[1]! };
    if (magic[2] !== undefined) md.magic_args = magic[2];
    return {
      marker: markerLine("code", md),
      body: encodeCommentedLines(source.slice(nl + 1).split("\n"), false),
      source,
    };
  }
  let body = encodeCodeLines(source === "" ? [] : source.split("\n"));
  let kept = source;
  // A final newline right after a non-blank line cannot be told apart from the cell separator: dropped.
  if (body.length >= 2 && body[body.length - 1] === "" && !isBlank(body[body.length - 2]!)) {
    body = body.slice(0, -1);
    kept = source.slice(0, -1);
  }
  return { marker: markerLine("code", metadata), body, source: kept };
}

/** The source a cell has after a trip through the percent format (see the module note). */
export function percentSource(cell: Cell): string {
  const source = typeof cell.source === "string" ? cell.source : "";
  // Only a code cell ending with a newline can change.
  if (cell.cell_type !== "code" || !source.endsWith("\n")) return source;
  return cellText(cell).source;
}

/** Blank lines to put after a cell so that a reader drops exactly those (prefer PEP 8's count). */
function blankLinesAfter(text: string[], preferred: number): number {
  for (const b of [preferred, 1, 2, 0, 3]) {
    if (separatorCount(text, b) === b) return b;
  }
  return preferred;
}

// ---- Header ----

function headerMetadata(nb: Notebook, state: SyncState | undefined): Record<string, unknown> {
  const md = nb.metadata ?? {};
  const jupytext: Record<string, unknown> = {};
  const old = md.jupytext;
  if (old && typeof old === "object" && !Array.isArray(old)) Object.assign(jupytext, old);
  delete jupytext.text_representation;
  const formats = typeof jupytext.formats === "string" ? jupytext.formats : "";
  if (!formats.split(",").some((f) => f.trim() === "py:percent")) jupytext.formats = "ipynb,py:percent";
  const executable = jupytext.executable;
  const encoding = jupytext.encoding;
  delete jupytext.executable;
  delete jupytext.encoding;
  jupytext.text_representation = {
    extension: ".py",
    format_name: "percent",
    format_version: FORMAT_VERSION,
    jupytext_version: JUPYTEXT_VERSION,
  };
  const out: Record<string, unknown> = { jupytext };
  if (md.kernelspec !== undefined) out.kernelspec = md.kernelspec;
  if (md.kernel_info !== undefined) out.kernel_info = md.kernel_info;
  if (state) out.fledge = { cells: state.cells, inputs: state.inputs, version: state.version };
  return { jupyter: out, executable, encoding };
}

function toYamlValue(value: unknown): unknown {
  if (value instanceof Number) return value.valueOf();
  if (Array.isArray(value)) return value.map(toYamlValue);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toYamlValue(v);
    return out;
  }
  return value;
}

function headerLines(nb: Notebook, state: SyncState | undefined): string[] {
  const { jupyter, executable, encoding } = headerMetadata(nb, state);
  // The per-cell hashes on one line, so the header stays short.
  const yaml = dumpYaml({ jupyter: toYamlValue(jupyter) }, new Set(["jupyter.fledge.cells"]));
  const lines: string[] = [];
  if (typeof executable === "string") lines.push(`#!${executable}`);
  if (typeof encoding === "string") lines.push(encoding);
  lines.push("# ---");
  for (const line of yaml) lines.push(line ? `# ${line}` : "#");
  lines.push("# ---");
  return lines;
}

// ---- Writing ----

/** The notebook as a percent-format script (inputs only; outputs stay in the .ipynb). */
export function writePercent(nb: Notebook, options: PercentWriteOptions = {}): string {
  const out = headerLines(nb, options.state);
  const texts = nb.cells.map((cell) => {
    const t = cellText(cell);
    return [t.marker, ...t.body];
  });
  if (texts.length > 0) out.push("");
  texts.forEach((text, i) => {
    out.push(...text);
    const next = texts[i + 1];
    const preferred = next === undefined ? 0 : pep8BlankLines(text, next);
    const blanks = blankLinesAfter(text, preferred);
    for (let k = 0; k < blanks; k++) out.push("");
  });
  const eol = options.eol ?? "\n";
  return `${out.join(eol)}${eol}`;
}

// ---- Reading ----

const HEADER_FENCE = /^---\s*$/;
const CODING_RE = /^[ \t\f]*#.*?coding[:=][ \t]*[-_.a-zA-Z0-9]+/;

interface Header {
  metadata: NotebookMetadata;
  state?: SyncState;
  formats?: string;
  /** A first raw cell made of header keys outside `jupyter:` (as Jupytext reads them). */
  rawCell?: string;
  next: number;
}

function readState(value: unknown, warn: (m: string) => void): SyncState | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const cells = v.cells;
  if (
    typeof v.inputs !== "string" ||
    !Array.isArray(cells) ||
    !cells.every((c) => typeof c === "string" || typeof c === "number") ||
    typeof v.version !== "number"
  ) {
    warn(
      "the header's fledge sync record is damaged; it is ignored (the next sync treats the files as unpaired)",
    );
    return undefined;
  }
  return { version: v.version, inputs: v.inputs, cells: cells.map(String) };
}

function readHeader(lines: string[], warn: (m: string) => void): Header {
  const metadata: NotebookMetadata = {};
  const jupytextExtra: Record<string, unknown> = {};
  let i = 0;
  if (lines[0]?.startsWith("#!")) {
    jupytextExtra.executable = lines[0].slice(2);
    i = 1;
  }
  if (lines[i] !== undefined && CODING_RE.test(lines[i]!)) {
    jupytextExtra.encoding = lines[i];
    i++;
  }
  const extra = (md: NotebookMetadata): NotebookMetadata => {
    if (Object.keys(jupytextExtra).length === 0) return md;
    const j = md.jupytext && typeof md.jupytext === "object" ? (md.jupytext as Record<string, unknown>) : {};
    return { ...md, jupytext: { ...j, ...jupytextExtra } };
  };
  if (lines[i] === undefined || !lines[i]!.startsWith("#") || !HEADER_FENCE.test(uncommentText(lines[i]!))) {
    return { metadata: extra(metadata), next: i };
  }
  const yamlLines: string[] = [];
  let end = -1;
  for (let k = i + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (!line.startsWith("#")) break;
    const text = uncommentText(line);
    if (HEADER_FENCE.test(text)) {
      end = k;
      break;
    }
    yamlLines.push(text);
  }
  if (end < 0) return { metadata: extra(metadata), next: i };
  let doc: unknown;
  try {
    doc = parseHeaderYaml(yamlLines);
  } catch (err) {
    warn(
      `the YAML header (lines ${i + 1}–${end + 1}) cannot be read: ${(err as Error).message.split("\n")[0]}`,
    );
    return { metadata: extra(metadata), next: end + 1 };
  }
  const header: Header = { metadata, next: end + 1 };
  if (doc && typeof doc === "object" && !Array.isArray(doc)) {
    const { jupyter, ...others } = doc as Record<string, unknown>;
    if (jupyter && typeof jupyter === "object" && !Array.isArray(jupyter)) {
      const md = { ...(jupyter as Record<string, unknown>) };
      header.state = readState(md.fledge, warn);
      delete md.fledge;
      const jt = md.jupytext as Record<string, unknown> | undefined;
      if (jt && typeof jt.formats === "string") header.formats = jt.formats;
      header.metadata = md as NotebookMetadata;
    }
    if (Object.keys(others).length > 0) {
      // Keep the lines outside the `jupyter:` section as they were, as Jupytext does.
      const kept: string[] = [];
      let inJupyter = false;
      for (const text of yamlLines) {
        if (/^jupyter\s*:\s*$/.test(text)) inJupyter = true;
        else if (text && !/^\s/.test(text)) inJupyter = false;
        if (!inJupyter) kept.push(text);
      }
      header.rawCell = ["---", ...kept, "---"].join("\n");
    }
  }
  header.metadata = extra(header.metadata);
  if (lines[header.next] !== undefined && isBlank(lines[header.next]!)) header.next++;
  return header;
}

function cellId(index: number, type: string, source: string, used: Set<string>): string {
  let salt = 0;
  for (;;) {
    // Stable for the same cell at the same place; only the start of the source is hashed (cheap).
    const id = fnv1a(`${index}:${salt}:${type}:${source.length}:${source.slice(0, 64)}`);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
    salt++;
  }
}

type BodyKind = "code" | "commented" | "commented-fenced" | "plain";

/** Index of the line that starts the next cell, scanning from `start` (the line after a marker). */
function findCellEnd(lines: string[], start: number, kind: BodyKind): number {
  const tracker = new QuoteTracker();
  let inFence: boolean[] = [];
  let blockStart = -1;
  for (let k = start; k < lines.length; k++) {
    const line = lines[k]!;
    if (kind === "code") {
      const quoted = tracker.quoted();
      tracker.read(line);
      if (!quoted && isMarkerLine(line)) return k;
      continue;
    }
    if (kind === "commented-fenced" && line.startsWith("#")) {
      // A fence counts only when it closes within the same block of commented lines.
      if (blockStart < 0 || k >= blockStart + inFence.length) {
        let e = k;
        while (e < lines.length && lines[e]!.startsWith("#")) e++;
        inFence = fencedLines(lines.slice(k, e).map(uncommentText));
        blockStart = k;
      }
      if (inFence[k - blockStart]) continue;
    }
    if (isMarkerLine(line)) return k;
  }
  return lines.length;
}

/** Read a percent-format script (a Jupytext `py:percent` file or one fledge wrote). Never throws. */
export function parsePercent(text: string, file?: string): PercentReadResult {
  const warnings: ReadWarning[] = [];
  const warn = (message: string, line?: number) =>
    warnings.push({ message: line === undefined ? message : `line ${line}: ${message}` });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A CRLF file (every line ends with CRLF) is read as LF; a lone CR elsewhere is content.
  const crlf = text.includes("\r\n") && !/(^|[^\r])\n/.test(text);
  if (crlf) text = text.replace(/\r\n/g, "\n");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();

  const header = readHeader(lines, (m) => warn(m));
  const cells: Cell[] = [];
  const used = new Set<string>();
  const push = (type: CellType, source: string, metadata: Record<string, unknown>) => {
    const id = cellId(cells.length, type, source, used);
    cells.push(
      type === "code"
        ? { cell_type: "code", id, metadata, source, execution_count: null, outputs: [] }
        : ({ cell_type: type, id, metadata, source } as Cell),
    );
  };
  if (header.rawCell !== undefined) push("raw", header.rawCell, {});

  let k = header.next;
  // Lines before the first marker: a code cell unless they are all blank.
  const first = findCellEnd(lines, k, "code");
  if (lines.slice(k, first).some((l) => !isBlank(l))) {
    const body = lines.slice(k, first);
    body.splice(body.length - separatorCount(body));
    push("code", decodeCodeLines(body).join("\n"), {});
  }
  k = first;
  while (k < lines.length) {
    const markerAt = k;
    const marker = lines[k]!.trimStart();
    const after = /^#\s*%%/.test(marker) ? marker.replace(/^#\s*%%/, "") : "";
    const info = parseMarkerOptions(after, (m) => warn(m, markerAt + 1));
    const md = info.metadata;
    let type: CellType = info.type ?? "code";
    const language = typeof md.language === "string" ? md.language : undefined;
    const magicArgs = md.magic_args;
    if (language !== undefined) delete md.language;
    if (magicArgs !== undefined) delete md.magic_args;
    let kind: BodyKind;
    if (type !== "code") kind = "commented-fenced";
    else if (!isActive(md, "ipynb")) {
      type = "raw";
      kind = isActive(md, "py") ? "plain" : "commented";
    } else if (!isActive(md, "py")) kind = "commented";
    else if (language !== undefined && !/^python[23]?$/.test(language)) kind = "commented";
    else kind = "code";
    const end = findCellEnd(lines, k + 1, kind);
    const cellLines = lines.slice(markerAt, end);
    cellLines.splice(cellLines.length - separatorCount(cellLines));
    const body = cellLines.slice(1);
    let source: string;
    if (kind === "code") source = decodeCodeLines(body).join("\n");
    else if (kind === "plain") source = body.join("\n");
    else source = decodeCommentedLines(body, kind === "commented-fenced").join("\n");
    if (language !== undefined) {
      const args = typeof magicArgs === "string" ? ` ${magicArgs}` : "";
      source = `%%${language}${args}\n${source}`;
    }
    push(type, source, md);
    k = end;
  }

  const notebook: Notebook = { cells, metadata: header.metadata, nbformat: 4, nbformat_minor: 5 };
  const pairing: PairingHeader | undefined =
    header.formats !== undefined || header.state !== undefined
      ? {
          ...(header.formats !== undefined ? { formats: header.formats } : {}),
          ...(header.state ? { state: header.state } : {}),
        }
      : undefined;
  void file;
  return { notebook, warnings, ...(pairing ? { pairing } : {}), origin: { nbformat: 4, nbformat_minor: 5 } };
}

/** sha256 of a string, as 16 hex characters. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * The same script with a new sync record in its header; everything after the header is kept byte for byte
 * (the header itself is written again from its metadata). A header with keys outside `jupyter:` (which the
 * reader turns into a first raw cell) is the one case where the whole script is written again.
 */
export function replaceSyncState(text: string, state: SyncState): string {
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const crlf = text.includes("\r\n") && !/(^|[^\r])\n/.test(text);
  const eol = crlf ? "\r\n" : "\n";
  const lines = (crlf ? text.replace(/\r\n/g, "\n") : text).split("\n");
  const finalNewline = lines[lines.length - 1] === "";
  if (finalNewline) lines.pop();
  const header = readHeader(lines, () => undefined);
  if (header.rawCell !== undefined) return writePercent(parsePercent(text).notebook, { state, eol });
  const nb: Notebook = { cells: [], metadata: header.metadata, nbformat: 4, nbformat_minor: 5 };
  const body = lines.slice(header.next);
  const out = [...headerLines(nb, state), ...(body.length > 0 ? ["", ...body] : [])];
  return (bom ? "\ufeff" : "") + out.join(eol) + (finalNewline || body.length === 0 ? eol : "");
}
