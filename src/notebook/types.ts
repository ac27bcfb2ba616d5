/**
 * In-memory notebook model: nbformat 4, as close to the file as possible.
 *
 * Invariants (enforced by `notebook/read.ts` and relied on by every later stage):
 * - Every key the file had is kept (index signatures below), so writing an unchanged notebook gives the same bytes.
 * - `source` is always one string (the file's line list joined); the writer splits it again as nbformat does.
 * - Outputs are kept exactly as read (their multiline strings are not joined), so they round-trip untouched.
 * - Older formats (nbformat 2 and 3) are upgraded to 4 in memory; `origin.nbformat` remembers what the file was.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface KernelSpec {
  name?: string;
  display_name?: string;
  language?: string;
  [key: string]: unknown;
}

export interface LanguageInfo {
  name?: string;
  version?: string;
  [key: string]: unknown;
}

export interface NotebookMetadata {
  kernelspec?: KernelSpec;
  language_info?: LanguageInfo;
  [key: string]: unknown;
}

export type CellType = "code" | "markdown" | "raw";

export interface BaseCell {
  cell_type: CellType;
  /** Only present for nbformat ≥ 4.5 notebooks (or when ids were added on request). */
  id?: string;
  /** Joined source text. */
  source: string;
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CodeCell extends BaseCell {
  cell_type: "code";
  execution_count: number | null;
  outputs: Output[];
}

export interface MarkdownCell extends BaseCell {
  cell_type: "markdown";
  attachments?: Record<string, unknown>;
}

export interface RawCell extends BaseCell {
  cell_type: "raw";
  attachments?: Record<string, unknown>;
}

export type Cell = CodeCell | MarkdownCell | RawCell;

/** An output as stored in the file (nbformat 4 shape). Multiline fields may be a string or a list of lines. */
export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | string;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
  [key: string]: unknown;
}

/** A problem found while reading (repaired or not); never thrown. */
export interface ReadWarning {
  message: string;
  /** JSON path inside the file, e.g. `cells[2].metadata`. */
  jsonPath?: string;
}

export function isCodeCell(cell: Cell): cell is CodeCell {
  return cell.cell_type === "code";
}

/** Join an nbformat multiline string (string or list of lines) into one string. */
export function joinMultiline(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join("");
  return "";
}
