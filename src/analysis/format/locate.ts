/**
 * Where a cell's source line sits in the .ipynb file itself (a JSON text), so that SARIF results and GitHub
 * annotations point at real file lines. Jupyter writes one source line per JSON string, one per file line; a
 * cell whose source is one string maps every line to that string's line.
 */

/** cell index → the file line (1-based) of each of its source strings, in order. */
export type SourceLineMap = Map<number, number[]>;

export function sourceLineMap(text: string): SourceLineMap {
  const map: SourceLineMap = new Map();
  // Stack of containers; for arrays the next element's index, for objects the pending key.
  const stack: { array: boolean; index: number; key: string | undefined }[] = [];
  const path: (string | number)[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  let expectKey = false;
  while (i < n) {
    const ch = text[i]!;
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === '"') {
      const startLine = line;
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") line++;
        j++;
      }
      const raw = text.slice(i + 1, j);
      i = j + 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && expectKey) {
        top.key = raw;
        expectKey = false;
        continue;
      }
      // A string value: is it cells[c].source[k] or cells[c].source?
      const p = [...path, top?.array ? top.index : (top?.key ?? "")];
      if (p.length >= 3 && p[0] === "cells" && typeof p[1] === "number" && p[2] === "source") {
        const list = map.get(p[1]) ?? [];
        list.push(startLine);
        map.set(p[1], list);
      }
      continue;
    }
    if (ch === "{" || ch === "[") {
      const top = stack[stack.length - 1];
      if (top) path.push(top.array ? top.index : (top.key ?? ""));
      stack.push({ array: ch === "[", index: 0, key: undefined });
      expectKey = ch === "{";
      i++;
      continue;
    }
    if (ch === "}" || ch === "]") {
      stack.pop();
      if (stack.length > 0) path.pop();
      i++;
      continue;
    }
    if (ch === ",") {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectKey = true;
      i++;
      continue;
    }
    i++;
  }
  return map;
}

/** The file line of line `line` (1-based) of a cell, or undefined when the file does not say. */
export function fileLineOf(map: SourceLineMap, cell: number, line: number): number | undefined {
  const lines = map.get(cell);
  if (!lines || lines.length === 0) return undefined;
  return lines[Math.min(line, lines.length) - 1];
}
