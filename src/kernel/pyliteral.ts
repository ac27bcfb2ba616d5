/**
 * Python literals without Python: checking that a `-p name=value` value is something
 * `ast.literal_eval` would accept (so it can be written verbatim into the injected parameters cell),
 * and decoding the `repr()` of a Python string (how the kernel returns helper values).
 */

export type LiteralKind =
  | "int"
  | "float"
  | "complex"
  | "str"
  | "bytes"
  | "bool"
  | "None"
  | "Ellipsis"
  | "list"
  | "tuple"
  | "dict"
  | "set";

export type LiteralCheck = { ok: true; kind: LiteralKind } | { ok: false; message: string; offset: number };

type Token =
  | { t: "num"; kind: "int" | "float" | "complex"; at: number }
  | { t: "str"; bytes: boolean; at: number }
  | { t: "name"; v: string; at: number }
  | { t: "op"; v: string; at: number }
  | { t: "end"; at: number };

class LiteralError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXP = `[eE][+-]?${DIGITS}`;
const NUMBER = new RegExp(
  "^(?:" +
    "0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+" + // based ints (no imaginary)
    String.raw`|(?<f>(?:${DIGITS})?\.${DIGITS}(?:${EXP})?|${DIGITS}\.(?:${EXP})?|${DIGITS}${EXP})(?<fj>[jJ])?` +
    `|(?<i>${DIGITS})(?<ij>[jJ])?` +
    ")",
);
const STRING_PREFIX = /^(?:[rRuU]|[bB][rR]?|[rR][bB])?(?='|")/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "#") throw new LiteralError("comments are not allowed in a parameter value", i);
    const prefix = STRING_PREFIX.exec(src.slice(i));
    if (prefix) {
      const p = prefix[0].toLowerCase();
      const start = i;
      i += prefix[0].length;
      i = scanString(src, i, p.includes("r"), p.includes("b"));
      tokens.push({ t: "str", bytes: p.includes("b"), at: start });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = NUMBER.exec(src.slice(i));
      if (!m) throw new LiteralError("malformed number", i);
      const g = m.groups ?? {};
      const kind = g.fj || g.ij ? "complex" : g.f ? "float" : "int";
      if (g.i && !g.ij && /^0\d/.test(g.i.replaceAll("_", "")) && /[1-9]/.test(g.i)) {
        throw new LiteralError("leading zeros are not allowed in a Python integer (write 0o… for octal)", i);
      }
      tokens.push({ t: "num", kind, at: i });
      i += m[0].length;
      if (/[\w.]/.test(src[i] ?? "")) throw new LiteralError("malformed number", i);
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))!;
      tokens.push({ t: "name", v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (src.startsWith("...", i)) {
      tokens.push({ t: "op", v: "...", at: i });
      i += 3;
      continue;
    }
    if ("()[]{},:+-".includes(ch)) {
      tokens.push({ t: "op", v: ch, at: i });
      i++;
      continue;
    }
    throw new LiteralError(`unexpected character '${ch}'`, i);
  }
  tokens.push({ t: "end", at: src.length });
  return tokens;
}

function scanString(src: string, i: number, raw: boolean, bytes: boolean): number {
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  const start = i;
  i += close.length;
  while (i < src.length) {
    if (src.startsWith(close, i)) return i + close.length;
    const c = src[i]!;
    if (bytes && c.charCodeAt(0) > 127) throw new LiteralError("bytes can only contain ASCII characters", i);
    if (c === "\n" && !triple) break;
    if (c === "\\") {
      const next = src[i + 1] ?? "";
      if (!raw) {
        const need = next === "x" ? 2 : !bytes && next === "u" ? 4 : !bytes && next === "U" ? 8 : 0;
        if (need > 0 && !new RegExp(`^[0-9a-fA-F]{${need}}`).test(src.slice(i + 2))) {
          throw new LiteralError(`truncated \\${next} escape`, i);
        }
      }
      i += 2;
      continue;
    }
    i++;
  }
  throw new LiteralError(
    "unterminated string (quote strings for the shell too, e.g. -p name='\"text\"')",
    start,
  );
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new LiteralError(`expected '${v}'`, this.peek().at);
    this.pos++;
  }

  parseAll(): LiteralKind {
    const kind = this.value();
    if (this.peek().t !== "end") {
      throw new LiteralError("unexpected text after the value (a tuple needs parentheses)", this.peek().at);
    }
    return kind;
  }

  /** A value, including `a + bj` complex sums, as ast.literal_eval allows. */
  value(): LiteralKind {
    let kind = this.signed();
    while (this.isOp("+") || this.isOp("-")) {
      const at = this.peek().at;
      this.pos++;
      const right = this.signed();
      const numeric = (k: LiteralKind) => k === "int" || k === "float" || k === "complex";
      if (!numeric(kind) || right !== "complex") {
        throw new LiteralError(
          "only a real and an imaginary number can be added in a literal (e.g. 1+2j)",
          at,
        );
      }
      kind = "complex";
    }
    return kind;
  }

  private signed(): LiteralKind {
    if (this.isOp("+") || this.isOp("-")) {
      this.pos++;
      const t = this.peek();
      if (t.t !== "num") throw new LiteralError("a sign can only precede a number", t.at);
      this.pos++;
      return t.kind;
    }
    return this.atom();
  }

  private atom(): LiteralKind {
    const t = this.peek();
    if (t.t === "num") {
      this.pos++;
      return t.kind;
    }
    if (t.t === "str") {
      let bytes = t.bytes;
      this.pos++;
      for (let n = this.peek(); n.t === "str"; n = this.peek()) {
        if (n.bytes !== bytes) throw new LiteralError("cannot mix bytes and str literals", n.at);
        bytes = n.bytes;
        this.pos++;
      }
      return bytes ? "bytes" : "str";
    }
    if (t.t === "name") {
      this.pos++;
      if (t.v === "True" || t.v === "False") return "bool";
      if (t.v === "None") return "None";
      if (t.v === "set" && this.isOp("(")) {
        this.pos++;
        this.expect(")");
        return "set";
      }
      const hint =
        t.v === "true" || t.v === "false" ? ` (Python writes ${t.v === "true" ? "True" : "False"})` : "";
      throw new LiteralError(`'${t.v}' is a name, not a literal${hint}`, t.at);
    }
    if (t.t === "op" && t.v === "...") {
      this.pos++;
      return "Ellipsis";
    }
    if (t.t === "op" && (t.v === "(" || t.v === "[")) {
      const closer = t.v === "(" ? ")" : "]";
      this.pos++;
      let count = 0;
      let trailingComma = false;
      while (!this.isOp(closer)) {
        this.value();
        count++;
        trailingComma = false;
        if (this.isOp(",")) {
          this.pos++;
          trailingComma = true;
        } else break;
      }
      this.expect(closer);
      if (closer === "]") return "list";
      return count === 1 && !trailingComma ? this.kindOfParenthesised(t.at) : "tuple";
    }
    if (t.t === "op" && t.v === "{") {
      this.pos++;
      let dict: boolean | undefined;
      while (!this.isOp("}")) {
        this.value();
        const isPair = this.isOp(":");
        if (dict !== undefined && dict !== isPair)
          throw new LiteralError("mixed dict and set items", this.peek().at);
        dict = isPair;
        if (isPair) {
          this.pos++;
          this.value();
        }
        if (this.isOp(",")) this.pos++;
        else break;
      }
      this.expect("}");
      return dict === false ? "set" : "dict";
    }
    if (t.t === "end") throw new LiteralError("missing value", t.at);
    throw new LiteralError(`unexpected '${(t as { v?: string }).v ?? "?"}'`, t.at);
  }

  private kindOfParenthesised(at: number): LiteralKind {
    // `(x)` is just x; re-parse the inner value to learn its kind.
    let depth = 0;
    let i = this.pos - 1;
    while (i >= 0) {
      const tok = this.tokens[i]!;
      if (tok.t === "op" && tok.v === ")") depth++;
      if (tok.t === "op" && tok.v === "(") depth--;
      if (depth === 0 && tok.at === at) break;
      i--;
    }
    const inner = new Parser([...this.tokens.slice(i + 1, this.pos - 1), { t: "end", at: 0 }]);
    return inner.parseAll();
  }
}

/** Whether `src` is a Python literal `ast.literal_eval` accepts, and of which kind. */
export function checkPythonLiteral(src: string): LiteralCheck {
  try {
    return { ok: true, kind: new Parser(tokenize(src)).parseAll() };
  } catch (err) {
    if (err instanceof LiteralError) return { ok: false, message: err.message, offset: err.offset };
    throw err;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

/** Decodes the `repr()` of a Python `str` (e.g. `'a\\'b\\n'`) back into the string. */
export function decodePythonStr(repr: string): string {
  const text = repr.trim();
  const q = text[0];
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q || text.length < 2) {
    throw new Error(`not the repr of a Python string: ${text.slice(0, 40)}`);
  }
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[i + 1] ?? "";
    const width = n === "x" ? 2 : n === "u" ? 4 : n === "U" ? 8 : 0;
    if (width > 0) {
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 2, i + 2 + width), 16));
      i += 1 + width;
    } else {
      out += SIMPLE_ESCAPES[n] ?? `\\${n}`;
      i += 1;
    }
  }
  return out;
}
