/**
 * A small Python tokenizer, left for the scalar analysis of reporting prints (reports.ts) only.
 *
 * Everything else in graph/ reads a statement's calls, arguments and literals from the tree-sitter tree
 * (python/shape.ts, `StatementInfo.shape`). reports.ts still walks token ranges of a print's arguments and of
 * the assignments that bound the names it prints; porting it to the tree would let this file go.
 */
import { PYTHON_KEYWORDS } from "../python/shape.js";

export type TokenKind = "name" | "number" | "string" | "op";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the statement text. */
  start: number;
  end: number;
}

const STRING_START = /(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?:'''|"""|'|")/y;
const NUMBER = /(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const OP3 = new Set(["**=", "//=", ">>=", "<<=", "..."]);
const OP2 = new Set([
  "->",
  ":=",
  "**",
  "//",
  "==",
  "!=",
  "<=",
  ">=",
  "<<",
  ">>",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "@=",
]);

/** Tokenize Python source. Never throws: unknown characters become single-character operators. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    // space, tab, newlines, form feed, backslash continuation
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92) {
      i++;
      continue;
    }
    if (c === 35) {
      // # comment
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? n : nl;
      continue;
    }
    STRING_START.lastIndex = i;
    const sp = STRING_START.exec(src);
    if (sp) {
      const head = sp[0];
      const quote = head.endsWith("'''") || head.endsWith('"""') ? head.slice(-3) : head.slice(-1);
      let j = i + head.length;
      while (j < n) {
        const ch = src[j];
        if (ch === "\\") {
          j += 2;
          continue;
        }
        if (ch === quote[0] && src.startsWith(quote, j)) {
          j += quote.length;
          break;
        }
        if (quote.length === 1 && ch === "\n") break;
        j++;
      }
      const end = Math.min(j, n);
      out.push({ kind: "string", text: src.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 46 && /[0-9]/.test(src[i + 1] ?? ""))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      const len = m ? m[0].length : 1;
      out.push({ kind: "number", text: src.slice(i, i + len), start: i, end: i + len });
      i += len;
      continue;
    }
    NAME.lastIndex = i;
    const nm = NAME.exec(src);
    if (nm) {
      out.push({ kind: "name", text: nm[0], start: i, end: i + nm[0].length });
      i += nm[0].length;
      continue;
    }
    const three = src.slice(i, i + 3);
    const op = OP3.has(three) ? three : OP2.has(three.slice(0, 2)) ? three.slice(0, 2) : src[i]!;
    out.push({ kind: "op", text: op, start: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

/** Index of the token closing the bracket opened at `open` (or tokens.length when unbalanced). */
export function matchBracket(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "op") continue;
    if (t.text === "(" || t.text === "[" || t.text === "{") depth++;
    else if (t.text === ")" || t.text === "]" || t.text === "}") {
      depth--;
      if (depth === 0) return k;
    }
  }
  return tokens.length;
}

/** A call record of the token era (reports.ts builds them for `isMetricCall`): callee "c" of `a.b.c(...)`. */
export interface CallSite {
  /** The called name (last part of a dotted callee). */
  name: string;
  /** Dotted parts before the name; empty for a bare call. */
  receiver: string[];
  /** Token index of the "(". */
  open: number;
  /** Token index of the matching ")". */
  close: number;
}

/** Python's hard keywords, and Python 2's `print` statement: never a call's receiver or a value's name. */
export const KEYWORDS: ReadonlySet<string> = new Set([...PYTHON_KEYWORDS, "print"]);
