/**
 * What the reader remembers about how a file was written, so that an unchanged notebook is written back
 * byte for byte even when the file was not written by Jupyter (a source stored as one string, lines split
 * differently, CRLF line endings, an output stored unsplit). Kept outside the plain data (WeakMaps keyed by
 * the objects), so the model stays plain JSON; a copied object simply falls back to Jupyter's layout.
 */

export interface SourceMemo {
  /** The joined source text as read; the memo applies only while the cell's source is still this text. */
  text: string;
  /** The source value exactly as in the file (a string, or a list of lines split in a non-Jupyter way). */
  raw: string | string[];
}

export interface NotebookMemo {
  eol: "\n" | "\r\n";
  /** The file ended without a final newline. */
  noFinalNewline?: boolean;
}

export const sourceMemos = new WeakMap<object, SourceMemo>();
export const notebookMemos = new WeakMap<object, NotebookMemo>();
/** Objects (outputs, mimebundles) holding strings that Jupyter would have split: written as they are. */
export const verbatimObjects = new WeakSet<object>();

/** Deep copy of plain JSON data; {@link JsonNumber}s are immutable and shared. Memos of copied objects follow. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== "object" || value instanceof Number) return value;
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map(cloneJson);
  else {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "__proto__")
        Object.defineProperty(out, k, {
          value: cloneJson(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = cloneJson(v);
    }
    copy = out;
  }
  const obj = value as object;
  const source = sourceMemos.get(obj);
  if (source) sourceMemos.set(copy as object, source);
  const nb = notebookMemos.get(obj);
  if (nb) notebookMemos.set(copy as object, nb);
  if (verbatimObjects.has(obj)) verbatimObjects.add(copy as object);
  return copy as T;
}
