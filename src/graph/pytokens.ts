/**
 * A small Python tokenizer for the step heuristics (exploration, results, roles, parameters).
 *
 * The analyzer (src/python/) already knows names, definitions and reads; what the map needs on top is
 * the *shape* of a statement: which methods it calls, which keyword arguments it passes, which string
 * and number literals it holds and where. Comments and string contents must never look like code
 * (`# df.to_csv(...)` writes nothing), which a regex over the raw text cannot guarantee, so the text
 * is tokenized once, with exact offsets for locating literals.
 */

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

/** The value of a Python string literal token (prefixes and quotes removed, simple escapes decoded). */
export function stringValue(tok: string): string | undefined {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(tok);
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase();
  if (prefix.includes("f") || prefix.includes("b")) return undefined; // f-strings and bytes are not plain values
  const q = m[2]!;
  let body = tok.slice(m[0].length);
  if (body.endsWith(q)) body = body.slice(0, body.length - q.length);
  if (prefix.includes("r")) return body;
  return body.replace(/\\(.)/g, (_, ch: string) =>
    ch === "n" ? "\n" : ch === "t" ? "\t" : ch === "\\" ? "\\" : ch === "'" || ch === '"' ? ch : `\\${ch}`,
  );
}

/** The value of a Python number literal, or undefined for complex/unparseable ones. */
export function numberValue(tok: string): number | undefined {
  const t = tok.replace(/_/g, "");
  if (/[jJ]$/.test(t)) return undefined;
  const v = /^0[xXoObB]/.test(t) ? Number(t.toLowerCase()) : Number(t);
  return Number.isFinite(v) ? v : undefined;
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

/** A call found in a statement: `a.b.c(...)` gives callee "c", receiver chain ["a", "b"]. */
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

/** Every call in the token list, in order (including nested ones). */
export function callSites(tokens: Token[]): CallSite[] {
  const calls: CallSite[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "op" || t.text !== "(") continue;
    const prev = tokens[k - 1]!;
    if (prev.kind !== "name") continue;
    if (KEYWORDS.has(prev.text) && prev.text !== "print") continue;
    const receiver: string[] = [];
    let j = k - 2;
    while (j >= 1 && tokens[j]!.text === ".") {
      const r = tokens[j - 1]!;
      if (r.kind === "name") {
        receiver.unshift(r.text);
        j -= 2;
      } else {
        receiver.unshift("?");
        break;
      }
    }
    calls.push({ name: prev.text, receiver, open: k, close: matchBracket(tokens, k) });
  }
  return calls;
}

/** Keyword arguments `name=value` directly inside a call's parentheses: name → token range of the value. */
export function keywordArgs(tokens: Token[], call: CallSite): { name: string; from: number; to: number }[] {
  const out: { name: string; from: number; to: number }[] = [];
  let depth = 0;
  for (let k = call.open + 1; k < call.close; k++) {
    const t = tokens[k]!;
    if (t.kind === "op" && "([{".includes(t.text)) depth++;
    else if (t.kind === "op" && ")]}".includes(t.text)) depth--;
    else if (depth === 0 && t.kind === "name" && tokens[k + 1]?.text === "=") {
      const prev = tokens[k - 1]!;
      if (prev.text !== "(" && prev.text !== ",") continue;
      let e = k + 2;
      let d = 0;
      while (e < call.close) {
        const u = tokens[e]!;
        if (u.kind === "op" && "([{".includes(u.text)) d++;
        else if (u.kind === "op" && ")]}".includes(u.text)) d--;
        else if (d === 0 && u.text === ",") break;
        e++;
      }
      out.push({ name: t.text, from: k + 2, to: e });
      k = e - 1;
    }
  }
  return out;
}

/** Positional arguments of a call at depth 0: token ranges. */
export function positionalArgs(tokens: Token[], call: CallSite): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let depth = 0;
  let start = call.open + 1;
  const push = (end: number) => {
    if (end > start && !(tokens[start]?.kind === "name" && tokens[start + 1]?.text === "=")) {
      if (tokens[start]?.text !== "*" && tokens[start]?.text !== "**") out.push({ from: start, to: end });
    }
  };
  for (let k = call.open + 1; k < call.close; k++) {
    const t = tokens[k]!;
    if (t.kind === "op" && "([{".includes(t.text)) depth++;
    else if (t.kind === "op" && ")]}".includes(t.text)) depth--;
    else if (depth === 0 && t.text === ",") {
      push(k);
      start = k + 1;
    }
  }
  push(call.close);
  return out;
}

export const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "print",
]);

/** Python keywords (hard keywords only), for identifier validity checks. */
export const PY_KEYWORDS = new Set([...KEYWORDS].filter((k) => k !== "print"));
