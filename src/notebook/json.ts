/**
 * A small JSON reader/writer that behaves like Python's `json` module as nbformat uses it.
 *
 * Why not `JSON.parse`/`JSON.stringify`: JavaScript forgets how a number was written (`1.0` becomes `1`,
 * `1e-05` becomes `0.00001`), so a notebook written by Python would not round-trip byte for byte, and
 * `JSON.parse` reports errors without a line and column. This reader keeps every number whose text differs
 * from what {@link formatNumber} would write as a {@link JsonNumber} (a `Number` subclass that remembers its
 * text), and the writer reproduces `json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False)`.
 */

/** A number whose original text must be kept (`1.0`, `1E5`, big integers). Behaves like a number in arithmetic. */
export class JsonNumber extends Number {
  readonly text: string;
  constructor(text: string, value: number = Number(text)) {
    super(value);
    this.text = text;
  }
  override toString(): string {
    return this.text;
  }
  toJSON(): number {
    return this.valueOf();
  }
}

/** The numeric value of a plain number or a {@link JsonNumber}; `undefined` for anything else. */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof Number) return value.valueOf();
  return undefined;
}

/** A JSON syntax error with its position (1-based line and column, 0-based offset). */
export class JsonSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** True when the error is that the text ended too early (a truncated file). */
  readonly atEnd: boolean;
  constructor(message: string, text: string, offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
    const { line, column } = lineColumn(text, offset);
    this.line = line;
    this.column = column;
    this.atEnd = offset >= text.length;
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let i = text.indexOf("\n");
  while (i !== -1 && i < offset) {
    line++;
    lineStart = i + 1;
    i = text.indexOf("\n", lineStart);
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INT_RE = /^-?(?:0|[1-9]\d{0,14})$/;

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function describe(text: string, pos: number): string {
  if (pos >= text.length) return "the end of the file";
  const ch = text[pos]!;
  return /\s/.test(ch) ? `whitespace (U+${ch.charCodeAt(0).toString(16).padStart(4, "0")})` : `'${ch}'`;
}

/**
 * Parse JSON text as Python's `json.loads` does: also accepts `NaN`, `Infinity` and `-Infinity`; the last of
 * duplicate keys wins. Throws {@link JsonSyntaxError} with line and column.
 */
export function parseJson(text: string): unknown {
  let pos = 0;
  const n = text.length;
  let nextBackslash = -2; // unknown yet

  const fail = (message: string, at: number = pos): never => {
    throw new JsonSyntaxError(message, text, at);
  };

  const skipWs = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
  };

  const parseString = (): string => {
    // pos is at the opening quote
    const start = pos + 1;
    let end = text.indexOf('"', start);
    if (end === -1) fail("unterminated string (the file may be truncated)", n);
    // The next backslash in the file is cached: searching afresh for every string would be quadratic in a file
    // with few backslashes.
    if (nextBackslash !== -1 && nextBackslash < start) nextBackslash = text.indexOf("\\", start);
    let bs = nextBackslash;
    if (bs === -1 || bs > end) {
      pos = end + 1;
      return text.slice(start, end);
    }
    // Slow path: unescape.
    let out = "";
    let chunk = start;
    while (bs !== -1 && bs < end) {
      out += text.slice(chunk, bs);
      const e = text[bs + 1];
      if (e === undefined) fail("unterminated string (the file may be truncated)", n);
      if (e === "u") {
        const hex = text.slice(bs + 2, bs + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape in string", bs);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        chunk = bs + 6;
      } else {
        const rep = ESCAPES[e!];
        if (rep === undefined) fail(`invalid escape '\\${e}' in string`, bs);
        out += rep;
        chunk = bs + 2;
      }
      if (chunk > end) {
        // the escaped quote was the one we took for the end
        end = text.indexOf('"', chunk);
        if (end === -1) fail("unterminated string (the file may be truncated)", n);
      }
      bs = text.indexOf("\\", chunk);
    }
    out += text.slice(chunk, end);
    pos = end + 1;
    nextBackslash = bs; // the first backslash after this string (or -1)
    return out;
  };

  const parseNumber = (): number | JsonNumber => {
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (m === null) {
      if (text.startsWith("-Infinity", pos)) {
        pos += 9;
        return Number.NEGATIVE_INFINITY;
      }
      return fail(`unexpected ${describe(text, pos)}: expected a value`);
    }
    const lexeme = m[0];
    pos += lexeme.length;
    const value = Number(lexeme);
    if (INT_RE.test(lexeme)) return lexeme === "-0" ? new JsonNumber(lexeme, value) : value;
    return formatNumber(value) === lexeme ? value : new JsonNumber(lexeme, value);
  };

  const parseLiteral = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    if (word.startsWith(text.slice(pos, pos + word.length)) && pos + word.length > n) {
      return fail("the file ends in the middle of a value (truncated?)", n);
    }
    return fail(`unexpected ${describe(text, pos)}: expected a value`);
  };

  const parseValue = (depth: number): unknown => {
    if (depth > 10_000) fail("nesting too deep");
    skipWs();
    if (pos >= n) fail("the file ends where a value was expected (truncated?)");
    const c = text.charCodeAt(pos);
    if (c === 34) return parseString();
    if (c === 123) {
      pos++;
      const obj: Record<string, unknown> = {};
      skipWs();
      if (text.charCodeAt(pos) === 125) {
        pos++;
        return obj;
      }
      for (;;) {
        skipWs();
        if (text.charCodeAt(pos) !== 34) {
          fail(
            pos >= n
              ? "the file ends inside an object (truncated?)"
              : `unexpected ${describe(text, pos)}: expected a property name in double quotes`,
          );
        }
        const key = parseString();
        skipWs();
        if (text.charCodeAt(pos) !== 58) {
          fail(
            pos >= n
              ? "the file ends inside an object (truncated?)"
              : `unexpected ${describe(text, pos)}: expected ':' after property name`,
          );
        }
        pos++;
        const value = parseValue(depth + 1);
        if (key === "__proto__") {
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        } else {
          obj[key] = value;
        }
        skipWs();
        const d = text.charCodeAt(pos);
        if (d === 44) {
          pos++;
          continue;
        }
        if (d === 125) {
          pos++;
          return obj;
        }
        fail(
          pos >= n
            ? "the file ends inside an object (truncated?)"
            : `unexpected ${describe(text, pos)}: expected ',' or '}' after a property value`,
        );
      }
    }
    if (c === 91) {
      pos++;
      const arr: unknown[] = [];
      skipWs();
      if (text.charCodeAt(pos) === 93) {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipWs();
        const d = text.charCodeAt(pos);
        if (d === 44) {
          pos++;
          continue;
        }
        if (d === 93) {
          pos++;
          return arr;
        }
        fail(
          pos >= n
            ? "the file ends inside a list (truncated?)"
            : `unexpected ${describe(text, pos)}: expected ',' or ']' after a list item`,
        );
      }
    }
    if (c === 116) return parseLiteral("true", true);
    if (c === 102) return parseLiteral("false", false);
    if (c === 110) return parseLiteral("null", null);
    if (c === 78) return parseLiteral("NaN", Number.NaN);
    if (c === 73) return parseLiteral("Infinity", Number.POSITIVE_INFINITY);
    return parseNumber();
  };

  const value = parseValue(0);
  skipWs();
  if (pos < n) fail(`unexpected ${describe(text, pos)} after the end of the JSON value`);
  return value;
}

/**
 * How Python writes a number: integers as digits, other numbers as `repr(float)` (shortest round-trip
 * digits; exponent form below 1e-4 and from 1e16, as `1e-05`, `1.5e+16`).
 */
export function formatNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return pythonFloatRepr(value);
}

/** Python's `repr(float)`. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const exp = Math.abs(value).toExponential(); // shortest round-trip digits, e.g. "1.2345e+2"
  const eAt = exp.indexOf("e");
  const digits = exp.slice(0, eAt).replace(".", "");
  const e10 = Number(exp.slice(eAt + 1));
  const decpt = e10 + 1; // value = 0.d1d2... * 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt < digits.length) return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
    return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const absExp = Math.abs(e10);
  return `${sign}${mantissa}e${e10 < 0 ? "-" : "+"}${absExp < 10 ? "0" : ""}${absExp}`;
}

/** Order keys by Unicode code point, as Python's `sorted()` does on `str` (JS sorts by UTF-16 unit). */
function codePointCompare(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // surrogates (astral code points) sort after U+E000..U+FFFF
      x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
      y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

const HIGH_CHAR = /[\ud800-\uffff]/;

export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj).sort();
  for (const k of keys) {
    if (HIGH_CHAR.test(k)) return keys.sort(codePointCompare);
  }
  return keys;
}

/**
 * Python's string encoding with `ensure_ascii=False`: `"`, `\`, and control characters below U+0020 are
 * escaped (`\n`, `\t`, … or `\u00XX`), everything else is written as is. `JSON.stringify` does exactly this
 * for well-formed strings; lone surrogates (which Python cannot write as UTF-8) are escaped as `\udXXX`.
 */
export function quoteString(s: string): string {
  return JSON.stringify(s);
}

export interface SerializeOptions {
  /** Spaces per level (nbformat: 1). */
  indent?: number;
  /** Line ending between tokens (strings never contain raw newlines). */
  eol?: string;
}

/** `json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)`; `undefined` properties are skipped. */
export function serializeJson(value: unknown, options: SerializeOptions = {}): string {
  const step = " ".repeat(options.indent ?? 1);
  const eol = options.eol ?? "\n";
  const pads: string[] = [eol];
  const pad = (depth: number): string => {
    let p = pads[depth];
    if (p === undefined) {
      p = eol + step.repeat(depth);
      pads[depth] = p;
    }
    return p;
  };

  const write = (v: unknown, depth: number): string => {
    switch (typeof v) {
      case "string":
        return JSON.stringify(v);
      case "number":
        return formatNumber(v);
      case "boolean":
        return v ? "true" : "false";
      case "bigint":
        return v.toString();
      case "object": {
        if (v === null) return "null";
        if (v instanceof JsonNumber) return v.text;
        if (v instanceof Number) return formatNumber(v.valueOf());
        if (v instanceof String) return JSON.stringify(v.valueOf());
        if (v instanceof Boolean) return v.valueOf() ? "true" : "false";
        const inner = pad(depth + 1);
        if (Array.isArray(v)) {
          if (v.length === 0) return "[]";
          let out = "[";
          for (let i = 0; i < v.length; i++) {
            const item = v[i];
            out += `${i === 0 ? "" : ","}${inner}${item === undefined || typeof item === "function" ? "null" : write(item, depth + 1)}`;
          }
          return `${out}${pad(depth)}]`;
        }
        const rec = v as Record<string, unknown>;
        let out = "{";
        let first = true;
        for (const key of sortedKeys(rec)) {
          const item = rec[key];
          if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
          out += `${first ? "" : ","}${inner}${JSON.stringify(key)}: ${write(item, depth + 1)}`;
          first = false;
        }
        return first ? "{}" : `${out}${pad(depth)}}`;
      }
      default:
        return "null";
    }
  };
  return write(value, 0);
}
