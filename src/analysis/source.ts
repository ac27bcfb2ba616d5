/**
 * A small Python lexer for the text-level rules: it finds string literals and comments and gives a copy of the
 * source with both blanked out (same length, newlines kept), so that regexes over code never match inside a
 * string or a comment and every offset maps back to the user's text. IPython lines (`%…`, `!…`) are blanked
 * in the code view too; the rules that need them read `magicLines`.
 */
import { rowOf } from "../python/parser.js";

export interface StringLiteral {
  /** The literal's content without prefix and quotes (escapes left as written). */
  value: string;
  /** Offset of the opening quote's prefix and one past the closing quote. */
  start: number;
  end: number;
  /** Offset of the content's first character. */
  valueStart: number;
}

export interface Comment {
  text: string;
  start: number;
}

export interface MagicLine {
  text: string;
  start: number;
  line: number;
}

export interface ScannedSource {
  source: string;
  /** The source with strings, comments and IPython lines replaced by spaces. */
  code: string;
  strings: StringLiteral[];
  comments: Comment[];
  magicLines: MagicLine[];
  /** Offsets at which each line starts. */
  lineStarts: number[];
}

const SPECIAL = /["'#\n()[\]{}\\]/g;
const ASSIGNED_MAGIC = /[A-Za-z_][\w, ]*=[ \t]*[!%]/y;

export function scanPython(source: string): ScannedSource {
  const n = source.length;
  const strings: StringLiteral[] = [];
  const comments: Comment[] = [];
  const magicLines: MagicLine[] = [];
  const lineStarts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  // Ranges to blank, in increasing order; the blanked copy is built once at the end (no per-character arrays).
  const blanks: [number, number][] = [];
  const blank = (from: number, to: number) => {
    if (to > from) blanks.push([from, to]);
  };
  let i = 0;
  let atLineStart = true;
  let depth = 0;
  while (i < n) {
    const ch = source[i]!;
    if (atLineStart && depth === 0) {
      // An IPython line: `%magic`, `!cmd`, or `x = !cmd` (the `!` after an assignment).
      let j = i;
      while (j < n && (source[j] === " " || source[j] === "\t")) j++;
      const c = source[j];
      let magic = c === "%" || c === "!";
      if (!magic && c !== undefined && /[A-Za-z_]/.test(c)) {
        ASSIGNED_MAGIC.lastIndex = j;
        magic = ASSIGNED_MAGIC.test(source);
        if (magic) {
          // The match must not cross a line end.
          const nl = source.indexOf("\n", j);
          magic = nl === -1 || ASSIGNED_MAGIC.lastIndex <= nl;
        }
      }
      if (magic) {
        const nl = source.indexOf("\n", j);
        const lineEnd = nl === -1 ? n : nl;
        const text = source.slice(j, lineEnd);
        magicLines.push({ text: text.replace(/\r$/, ""), start: j, line: rowOf(lineStarts, j) + 1 });
        blank(j, lineEnd);
        i = lineEnd;
        continue;
      }
    }
    atLineStart = false;
    if (ch === "\n") {
      atLineStart = true;
      i++;
      continue;
    }
    if (ch === "#") {
      const end = source.indexOf("\n", i) === -1 ? n : source.indexOf("\n", i);
      comments.push({ text: source.slice(i, end).replace(/\r$/, ""), start: i });
      blank(i, end);
      i = end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // Walk back over a prefix (r, b, f, rb, …) that belongs to this literal.
      let p = i;
      while (p > 0 && i - p < 2 && /[rRbBuUfF]/.test(source[p - 1]!)) p--;
      if (p < i && p > 0 && /\w/.test(source[p - 1]!)) p = i;
      const triple = source.startsWith(ch.repeat(3), i);
      const q = triple ? ch.repeat(3) : ch;
      let j = i + q.length;
      while (j < n) {
        // A backslash always protects the next character from closing the literal, raw or not.
        if (source[j] === "\\") {
          j += 2;
          continue;
        }
        if (source.startsWith(q, j)) break;
        if (!triple && source[j] === "\n") break; // unterminated: stop at the line end
        j++;
      }
      const valueStart = i + q.length;
      const valueEnd = Math.min(j, n);
      const end = Math.min(source.startsWith(q, j) ? j + q.length : j, n);
      strings.push({ value: source.slice(valueStart, valueEnd), start: p, end, valueStart });
      blank(p, end);
      i = end;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if ((ch === ")" || ch === "]" || ch === "}") && depth > 0) depth--;
    else if (ch === "\\" && source[i + 1] === "\n") {
      i += 2;
      continue;
    }
    // Jump over ordinary characters to the next one that matters (test, not exec: no match object).
    SPECIAL.lastIndex = i + 1;
    i = SPECIAL.test(source) ? SPECIAL.lastIndex - 1 : n;
  }
  // Joined once: appending piece by piece would leave a deep rope that the first search of `code` flattens.
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of blanks) {
    parts.push(source.slice(at, a), blanked(source.slice(a, b)));
    at = b;
  }
  parts.push(source.slice(at));
  return { source, code: parts.join(""), strings, comments, magicLines, lineStarts };
}

/** Text with every character but line breaks replaced by a space. */
function blanked(text: string): string {
  if (!text.includes("\n") && !text.includes("\r")) return " ".repeat(text.length);
  return text.replace(/[^\r\n]/g, " ");
}

/** 1-based line and column (UTF-16 units) of an offset. */
export function positionOf(
  scanned: Pick<ScannedSource, "lineStarts">,
  offset: number,
): { line: number; column: number } {
  const li = rowOf(scanned.lineStarts, offset);
  return { line: li + 1, column: offset - scanned.lineStarts[li]! + 1 };
}

/** A span from two offsets. */
export function spanOf(
  scanned: Pick<ScannedSource, "lineStarts">,
  start: number,
  end: number,
): { line: number; column: number; endLine: number; endColumn: number } {
  const a = positionOf(scanned, start);
  const b = positionOf(scanned, Math.max(start, end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/**
 * The argument text of a call whose opening parenthesis is at `open` in the blanked code, or undefined when
 * the parenthesis is not closed in this cell.
 */
export function callArguments(code: string, open: number): { text: string; end: number } | undefined {
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    const c = code[k];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return { text: code.slice(open + 1, k), end: k + 1 };
    }
  }
  return undefined;
}

/** Offset of the offset's line start, and the line text (without line break). */
export function lineAt(source: string, line: number): string {
  return source.split(/\r?\n/)[line - 1] ?? "";
}
