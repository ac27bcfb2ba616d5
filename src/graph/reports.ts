/**
 * Reporting prints: which `print(…)` statements report a result (kept in the step, logged by the generated
 * code) and which only look at data (exploration).
 *
 * The policy, decided from the print's own text and the statements that bound the names it prints:
 *
 * - A print is a **report** when every value it prints is a scalar (a number, a string, a bool), at least one
 *   of them is a name the notebook bound to a scalar (`regions_seen`, `acc`, `n_before`), and it writes to
 *   stdout (no `file=`). Values may be formatted: f-string fields (`{acc:.3f}`, `{n_before - len(df)}`),
 *   `round(x, 3)`, `int(x)`, arithmetic. Labels (string literals) are free.
 * - Everything else stays exploration: `print(df)`, `print(df.head())`, `print(df.describe())`,
 *   `print(df.shape)`, and prints of values computed only inside the print (`print(len(df))`,
 *   `print(df["a"].mean())`): those look at the data rather than report a named result.
 *
 * A name is bound to a scalar when the assignment that last bound it (`n = …`, looking past `n += …` and past
 * calls of helpers that update it through `global n`) has a scalar right-hand side: a literal, an f-string,
 * `len`/`int`/`float`/`bool`/`sum`/`min`/`max`/`round`/`abs`/`str` of scalars, a metric (`accuracy_score`,
 * `.score`), a reduction of one column (`df["region"].nunique()`, `df["revenue"].sum()`), of a reduction
 * (`df.isnull().sum().sum()`) or of a comparison (`(pred == y).mean()`), `.item()`, `.shape[0]`, `.size`,
 * `np.mean(…)`, or arithmetic over these. A name modified in place is a collection, never a scalar. When
 * fledge cannot tell (a tuple unpacking, a loop target, `df.a.sum()`), the print stays exploration: the policy
 * only keeps what it is sure is a scalar.
 */
import { KEYWORDS, matchBracket, type Token, tokenize } from "./pytokens.js";
import { isMetricCall, type StatementInfo } from "./statements.js";

/** How many bindings deep a scalar is followed (`a = len(df)`, `b = a / 2`, `c = round(b)` …). */
const MAX_DEPTH = 6;

const ALWAYS_SCALAR_BUILTINS = new Set(["len", "int", "float", "bool", "sum", "min", "max", "format"]);
const SCALAR_OF_SCALAR_BUILTINS = new Set(["round", "abs", "str", "repr"]);
const NUMERIC_MODULES = new Set(["np", "numpy", "math", "statistics"]);
const MODULE_REDUCERS = new Set([
  "mean",
  "median",
  "std",
  "var",
  "sum",
  "min",
  "max",
  "amin",
  "amax",
  "prod",
  "average",
  "count_nonzero",
  "ptp",
  "nanmean",
  "nanmedian",
  "nanstd",
  "nansum",
  "nanmin",
  "nanmax",
  "fsum",
  "stdev",
  "pstdev",
  "variance",
]);
const MODULE_ELEMENTWISE = new Set([
  "sqrt",
  "log",
  "log10",
  "log2",
  "log1p",
  "exp",
  "expm1",
  "floor",
  "ceil",
]);
/** Methods reducing a one-dimensional value (a column, an array) to a scalar. */
const REDUCERS = new Set([
  "sum",
  "mean",
  "median",
  "std",
  "var",
  "min",
  "max",
  "count",
  "nunique",
  "prod",
  "sem",
  "skew",
  "kurt",
  "kurtosis",
  "idxmax",
  "idxmin",
  "any",
  "all",
  "quantile",
]);
/** Calls in a receiver chain that make the value a table of groups, not one column. */
const GROUPING = new Set([
  "groupby",
  "resample",
  "rolling",
  "expanding",
  "ewm",
  "pivot_table",
  "crosstab",
  "apply",
  "agg",
  "aggregate",
  "describe",
  "value_counts",
]);
const BINARY_OPS = new Set([
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "**",
  "@",
  "<",
  ">",
  "<=",
  ">=",
  "==",
  "!=",
  "&",
  "|",
  "^",
  "<<",
  ">>",
]);
const WORD_OPS = new Set(["and", "or", "not", "in", "is", "if", "else"]);
const CONSTANTS = new Set(["True", "False", "None"]);

interface Scope {
  stmts: StatementInfo[];
  depth: number;
  /** `name@pos` → whether it is bound to a scalar there (shared by every depth of one print). */
  memo: Map<string, boolean>;
}

/**
 * True when the statement is a `print(…)` that reports a result under the policy above. `stmts` is the
 * notebook's statement list in order; the names the print reads are resolved at its position.
 */
export function isReportPrint(s: StatementInfo, stmts: StatementInfo[]): boolean {
  if (s.record.type !== "expression_statement" || s.magic) return false;
  const t = s.tokens;
  const end = t[t.length - 1]?.text === ";" ? t.length - 1 : t.length;
  if (t[0]?.text !== "print" || t[1]?.text !== "(" || matchBracket(t, 1) !== end - 1) return false;
  const scope: Scope = { stmts, depth: 0, memo: new Map() };
  let named = 0;
  for (const [a, b] of splitTop(t, 2, end - 1, ",")) {
    if (a === b) continue; // trailing comma
    if (t[a]!.kind === "name" && t[a + 1]?.text === "=") {
      if (t[a]!.text === "file") return false; // written somewhere else: not a line of the step's output
      continue; // sep=, end=, flush=
    }
    if (t[a]!.text === "*" || t[a]!.text === "**") return false;
    const n = scalarNames(t, a, b, s.pos, scope);
    if (n === undefined) return false;
    named += n;
  }
  return named > 0;
}

/**
 * When tokens[a, b) is a scalar expression (resolving names before statement `pos`): how many of its operands
 * are names bound to scalars. Undefined when it is not (or may not be) a scalar.
 */
function scalarNames(t: Token[], a: number, b: number, pos: number, scope: Scope): number | undefined {
  if (a >= b || scope.depth > MAX_DEPTH) return undefined;
  let named = 0;
  for (const [x, y] of operands(t, a, b)) {
    const n = operandNames(t, x, y, pos, scope);
    if (n === undefined) return undefined;
    named += n;
  }
  return named;
}

function operandNames(t: Token[], a: number, b: number, pos: number, scope: Scope): number | undefined {
  while (a < b && (t[a]!.text === "-" || t[a]!.text === "+" || t[a]!.text === "~" || t[a]!.text === "not"))
    a++;
  if (a >= b) return undefined;
  const first = t[a]!;
  if (first.kind === "number" || CONSTANTS.has(first.text)) return b - a === 1 ? 0 : undefined;
  if (first.kind === "string") {
    // Adjacent literals concatenate; an f-string's fields are values shown too.
    let named = 0;
    for (let k = a; k < b; k++) {
      const tok = t[k]!;
      if (tok.kind !== "string") return undefined;
      for (const field of fstringFields(tok.text)) {
        const ft = tokenize(field);
        const n = scalarNames(ft, 0, ft.length, pos, scope);
        if (n === undefined) return undefined;
        named += n;
      }
    }
    return named;
  }
  if (first.text === "(" && matchBracket(t, a) === b - 1) {
    if (splitTop(t, a + 1, b - 1, ",").length > 1) return undefined; // a tuple
    return scalarNames(t, a + 1, b - 1, pos, scope);
  }
  if (first.kind !== "name" || KEYWORDS.has(first.text))
    return scalarChain(t, a, b, pos, scope) ? 0 : undefined;
  if (b - a === 1) return scalarName(first.text, pos, scope) ? 1 : undefined;
  // A builtin wrapping one value: round(acc, 3), str(n), int(x).
  if (t[a + 1]?.text === "(" && matchBracket(t, a + 1) === b - 1) {
    const args = splitTop(t, a + 2, b - 1, ",");
    if (SCALAR_OF_SCALAR_BUILTINS.has(first.text) && args.length > 0) {
      const [x, y] = args[0]!;
      const n = scalarNames(t, x, y, pos, scope);
      if (n === undefined) return undefined;
      return args.slice(1).every(([p, q]) => isLiteral(t, p, q)) ? n : undefined;
    }
    if (first.text === "int" || first.text === "float" || first.text === "bool") {
      if (args.length !== 1) return undefined;
      const n = scalarNames(t, args[0]![0], args[0]![1], pos, scope);
      if (n !== undefined) return n;
    }
  }
  return scalarChain(t, a, b, pos, scope) ? 0 : undefined;
}

/** A primary expression with trailers (`len(df)`, `df["a"].nunique()`, `X.shape[0]`) whose value is a scalar. */
function scalarChain(t: Token[], a: number, b: number, pos: number, scope: Scope): boolean {
  const parts = trailers(t, a, b);
  if (!parts) return false;
  const head = t[a]!;
  const last = parts[parts.length - 1];
  if (!last) return false;
  // Builtins: len(x), sum(…), max(…).
  if (head.kind === "name" && parts.length === 1 && last.kind === "call") {
    if (ALWAYS_SCALAR_BUILTINS.has(head.text)) return true;
    if (isMetricCall({ name: head.text, receiver: [], open: 0, close: 0 })) return true;
  }
  if (last.kind === "call") {
    const callee = parts[parts.length - 2];
    const name = callee?.kind === "attr" ? callee.name : parts.length === 1 ? head.text : undefined;
    if (name === undefined) return false;
    if (isMetricCall({ name, receiver: ["?"], open: 0, close: 0 })) return true;
    if (name === "item") return true;
    // A reduction along an axis, or at several quantiles, gives an array: `np.mean(X, axis=0)`, `.quantile([…])`.
    const args = splitTop(t, last.from + 1, last.to - 1, ",");
    if (args.some(([x]) => t[x]?.text === "[" || (t[x]?.text === "axis" && t[x + 1]?.text === "=")))
      return false;
    // np.mean(x), math.sqrt(x)
    if (parts.length === 2 && head.kind === "name" && NUMERIC_MODULES.has(head.text)) {
      if (MODULE_REDUCERS.has(name)) return true;
      if (MODULE_ELEMENTWISE.has(name)) {
        return args.length === 1 && scalarNames(t, args[0]![0], args[0]![1], pos, scope) !== undefined;
      }
      return false;
    }
    if (REDUCERS.has(name) && callee?.kind === "attr") {
      return oneDimensional(t, a, parts.slice(0, -2));
    }
    return false;
  }
  // X.shape[0], df.size, df.ndim, df.at[…]
  if (last.kind === "attr") return last.name === "size" || last.name === "ndim";
  const before = parts[parts.length - 2];
  return (
    before?.kind === "attr" && (before.name === "shape" || before.name === "at" || before.name === "iat")
  );
}

type Part =
  | { kind: "attr"; name: string; from: number; to: number }
  | { kind: "call" | "index"; from: number; to: number };

/** The trailers after the head token of a primary expression, or undefined when it is not one. */
function trailers(t: Token[], a: number, b: number): Part[] | undefined {
  let k = a;
  if (t[k]!.text === "(") k = matchBracket(t, k) + 1;
  else if (t[k]!.kind === "name") k++;
  else return undefined;
  const parts: Part[] = [];
  while (k < b) {
    const tok = t[k]!;
    if (tok.text === "." && t[k + 1]?.kind === "name") {
      parts.push({ kind: "attr", name: t[k + 1]!.text, from: k, to: k + 2 });
      k += 2;
    } else if (tok.text === "(" || tok.text === "[") {
      const close = matchBracket(t, k);
      if (close >= b) return undefined;
      parts.push({ kind: tok.text === "(" ? "call" : "index", from: k, to: close + 1 });
      k = close + 1;
    } else return undefined;
  }
  return parts;
}

/**
 * The receiver of a reduction is one-dimensional: it selects one column (`df["a"]`, then column methods),
 * is itself reduced (`df.isnull().sum()`), or is a comparison in parentheses (`(pred == y)`). A grouping
 * anywhere in the chain makes it a table of groups.
 */
function oneDimensional(t: Token[], a: number, parts: Part[]): boolean {
  if (parts.some((p) => p.kind === "attr" && GROUPING.has(p.name))) return false;
  if (parts.length === 0) {
    if (t[a]!.text !== "(") return false;
    const close = matchBracket(t, a);
    return t.slice(a + 1, close).some((x) => x.kind === "op" && /^(?:==|!=|<|>|<=|>=)$/.test(x.text));
  }
  const reduced = (i: number) =>
    parts[i]?.kind === "call" &&
    parts[i - 1]?.kind === "attr" &&
    REDUCERS.has((parts[i - 1] as { name: string }).name);
  if (reduced(parts.length - 1)) return true;
  return parts.some((p) => p.kind === "index" && p.to - p.from === 3 && t[p.from + 1]!.kind === "string");
}

function isLiteral(t: Token[], a: number, b: number): boolean {
  if (t[a]?.text === "-") a++;
  return (
    b - a === 1 &&
    (t[a]!.kind === "number" || (t[a]!.kind === "string" && !/^[a-zA-Z]*[fF]/.test(t[a]!.text)))
  );
}

/**
 * Whether `name`, read by statement `pos`, is bound to a scalar: the assignment that last bound it has a scalar
 * right-hand side. Augmented assignments with a scalar operand and helper calls that rebind it through
 * `global` are looked past; an in-place modification makes it a collection.
 */
function scalarName(name: string, pos: number, scope: Scope): boolean {
  const key = `${name}@${pos}`;
  let known = scope.memo.get(key);
  if (known === undefined) {
    known = scope.depth < MAX_DEPTH && boundToScalar(name, pos, { ...scope, depth: scope.depth + 1 });
    scope.memo.set(key, known);
  }
  return known;
}

function boundToScalar(name: string, pos: number, inner: Scope): boolean {
  for (let j = pos - 1; j >= 0; j--) {
    const s = inner.stmts[j]!;
    const direct = s.record.defines.includes(name);
    if (!direct) {
      if (s.modifies.includes(name)) return false;
      continue; // not about `name`, or a helper that rebinds it through `global`
    }
    if (s.record.type !== "expression_statement") return false;
    const t = s.tokens;
    const end = t[t.length - 1]?.text === ";" ? t.length - 1 : t.length;
    if (t[0]?.text !== name) return false;
    let rhs = 1;
    if (t[1]?.text === ":") {
      // `n: int = 0`
      rhs = t.findIndex((x, k) => k > 1 && x.text === "=");
      if (rhs < 0) return false;
    }
    const op = t[rhs]?.text ?? "";
    if (op === "=") {
      if (splitTop(t, rhs + 1, end, "=").length > 1) return false; // a = b = … (keyword arguments are deeper)
      return scalarNames(t, rhs + 1, end, j, inner) !== undefined;
    }
    if (/^(?:[-+*/%&|^@]|\*\*|\/\/|>>|<<)=$/.test(op)) {
      if (scalarNames(t, rhs + 1, end, j, inner) === undefined) return false;
      continue; // `n += 1` keeps a scalar a scalar: look at what it started as
    }
    return false;
  }
  return false;
}

/** Token ranges of tokens[a, b) split at depth-0 occurrences of `sep`. */
function splitTop(t: Token[], a: number, b: number, sep: string): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = a;
  for (let k = a; k < b; k++) {
    const x = t[k]!;
    if (x.kind === "op" && "([{".includes(x.text)) depth++;
    else if (x.kind === "op" && ")]}".includes(x.text)) depth--;
    else if (depth === 0 && x.text === sep) {
      out.push([start, k]);
      start = k + 1;
    }
  }
  if (start < b || out.length > 0) out.push([start, b]);
  return out;
}

/** Operands of tokens[a, b) split at depth-0 binary (and boolean, conditional) operators. */
function operands(t: Token[], a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = a;
  for (let k = a; k < b; k++) {
    const x = t[k]!;
    if (x.kind === "op" && "([{".includes(x.text)) depth++;
    else if (x.kind === "op" && ")]}".includes(x.text)) depth--;
    else if (depth !== 0) continue;
    else if (
      (x.kind === "op" && BINARY_OPS.has(x.text)) ||
      (x.kind === "name" && WORD_OPS.has(x.text) && x.text !== "not")
    ) {
      // A sign right after another operator (or at the start) is unary: part of the next operand.
      if (k === start && (x.text === "-" || x.text === "+" || x.text === "~")) continue;
      if (k > start) out.push([start, k]);
      start = k + 1;
    } else if (x.kind === "op" && (x.text === "," || x.text === ":" || x.text === "=" || x.text === ":=")) {
      return [[a, a]]; // a tuple, a slice or an assignment: not one scalar
    }
  }
  out.push([start, b]);
  return out;
}

/**
 * The expressions of an f-string's replacement fields (`f"{n} rows, {acc:.2%}"` → ["n", "acc"]); none for
 * other strings. Conversions (`!r`), format specs and the `=` of self-documenting fields are left out.
 */
export function fstringFields(tok: string): string[] {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(tok);
  if (!m || !/[fF]/.test(m[1]!)) return [];
  const q = m[2]!;
  const body = tok.slice(m[0].length, tok.endsWith(q) ? tok.length - q.length : tok.length);
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === "{" && body[i + 1] === "{") i += 2;
    else if (c === "{") {
      let depth = 0;
      let j = i + 1;
      let quote = "";
      for (; j < body.length; j++) {
        const d = body[j]!;
        if (quote) {
          if (d === quote) quote = "";
          continue;
        }
        if (d === "'" || d === '"') quote = d;
        else if ("([{".includes(d)) depth++;
        else if (")]}".includes(d)) {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (d === ":" || (d === "!" && body[j + 1] !== "="))) break;
        else if (depth === 0 && d === "=" && !"=!<>".includes(body[j - 1]!) && body[j + 1] !== "=") break;
      }
      out.push(body.slice(i + 1, j));
      // Skip the rest of the field (conversion, format spec with its own nested fields) to its closing brace.
      let nest = 0;
      for (; j < body.length; j++) {
        if (body[j] === "{") nest++;
        else if (body[j] === "}") {
          if (nest === 0) break;
          nest--;
        }
      }
      i = j + 1;
    } else i++;
  }
  return out;
}
