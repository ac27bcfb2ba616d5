/**
 * The shape of a top-level statement, for the map and extract heuristics (graph/): which functions and methods
 * it calls (name, receiver chain, positional and keyword arguments), the literal values of those arguments, and
 * a few syntactic facts (an assignment, a comparison, a string literal) — read from the tree-sitter tree, so
 * comments and string contents never look like code.
 *
 * `fledge check` does not need shapes: `analyzeCell` computes them only when asked (`AnalyzeOptions.shapes`),
 * from the tree it already has. `cellShapes` parses a cell on its own, for a caller whose analysis has none.
 *
 * Positions are offsets into the cell's source as the user wrote it (UTF-16 code units, end exclusive: what
 * `source.slice(start, end)` takes), not into the masked text. A definition (`def`, `class`, decorated) has an
 * empty shape: its body runs when it is called, not when the cell runs.
 */
import { maskIPython } from "./ipython.js";
import { namedChildren, parsePython, rowOf, type SNode } from "./parser.js";

export type LiteralScalar = string | number | boolean | null;
export type LiteralValue = LiteralScalar | LiteralScalar[];

/** A range of the cell source: `source.slice(start, end)`. */
export interface SourceRange {
  start: number;
  end: number;
}

/** An expression: an argument, a keyword argument's value, an assigned value. */
export interface ExpressionShape extends SourceRange {
  /**
   * Set when the expression is a literal: a string (not f-string or bytes), a number, `True`/`False`/`None`,
   * `-number`, a parenthesised scalar, or a list/tuple of plain scalars (`["a", "b"]`, `(64, 32)`).
   */
  literal?: { value: LiteralValue };
  /** The expression is one literal token (a string, number, `True`/`False`/`None`), not a compound. */
  token: boolean;
}

export interface KeywordShape extends ExpressionShape {
  name: string;
}

/**
 * A call `a.b.c(…)`: name "c", receiver ["a", "b"]. Only calls of a name or an attribute are listed.
 * `start`/`end`: the whole call, callee included.
 */
export interface CallShape extends SourceRange {
  name: string;
  /** The dotted names before the called name; "?" stands for a link that is not a name (`df[0].m()`, `f().m()`). */
  receiver: string[];
  /** The argument list, parentheses included. */
  args: SourceRange;
  /** Positional arguments (not `*a`, `**k` or keywords); the generator of `f(x for x in xs)` is one. */
  positional: ExpressionShape[];
  keywords: KeywordShape[];
  /** Any argument at all, `*a` and `**k` included. */
  hasArguments: boolean;
}

export interface StatementShape {
  /** Every call, nested ones included (also inside lambdas, comprehensions and f-strings), ordered by their `(`. */
  calls: CallShape[];
  /** An assignment (`x = …`, `x += …`, `x: T = …`) anywhere outside brackets (a loop body's counts too). */
  assigns: boolean;
  /** The statement is `name = value`. `indexes`: the value starts with `x[…]` (`df = df[df.a > 0]`). */
  assignment?: { target: string; value: ExpressionShape; indexes: boolean };
  /** A comparison `<`, `>`, `<=`, `>=`, `==`, `!=` or a `~` anywhere. */
  compares: boolean;
  /** A string, number or `True`/`False` literal anywhere. */
  hasLiteral: boolean;
}

const DEFINITIONS = new Set(["function_definition", "class_definition", "decorated_definition"]);
/** Node types that are one token of literal. */
const TOKEN_LITERALS = new Set(["string", "integer", "float", "true", "false", "none"]);
/** Nodes holding a single token that starts an expression (for `x[…]` at the start of a value). */
const LEAVES = new Set(["identifier", "string", "integer", "float", "true", "false", "none", "ellipsis"]);

/**
 * What the shape walk of a cell needs: the parsed (masked) text and, when masking moved offsets (CRLF line
 * ends, a masked line longer than the user's) or changed text, the way back to the user's text.
 */
export interface CellText {
  masked: string;
  /** Set when a masked offset is not the user's: line starts of both texts (rows and columns are the same). */
  map?: { masked: number[]; source: number[] };
  /** The user's source, when IPython masking changed some of it (a masked `0` is not a literal). */
  source?: string;
}

/** The shape of every top-level statement of a cell, parsing it on its own (the statements `analyzeCell` lists). */
export function cellShapes(source: string): StatementShape[] {
  const masked = maskIPython(source);
  const tree = parsePython(masked.masked);
  const text = cellText(masked.masked, source, masked.magics.length > 0);
  return tree.children.filter((c) => c.named && c.type !== "comment").map((n) => shapeOf(n, text));
}

/** The text context for `shapeOf`, once per cell. */
export function cellText(masked: string, source: string, hasMagics: boolean): CellText {
  const text: CellText = { masked };
  // Masking keeps rows and columns; lines only grow at their end and line ends become \n.
  if (masked.length !== source.length || source.includes("\r")) {
    const m = [0];
    for (let i = masked.indexOf("\n"); i !== -1; i = masked.indexOf("\n", i + 1)) m.push(i + 1);
    const u = [0];
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) u.push(i + 1);
    }
    text.map = { masked: m, source: u };
  }
  if (hasMagics) text.source = source;
  return text;
}

/** The user's offset of a masked offset. */
function at(text: CellText, offset: number): number {
  const map = text.map;
  if (!map) return offset;
  const row = rowOf(map.masked, offset);
  return (map.source[row] ?? 0) + offset - map.masked[row]!;
}

/** The shape of one top-level statement of the tree of `text.masked`. */
export function shapeOf(stmt: SNode, text: CellText): StatementShape {
  const shape: StatementShape = {
    calls: [],
    assigns: false,
    compares: false,
    hasLiteral: false,
  };
  if (DEFINITIONS.has(stmt.type)) return shape;
  const src = text.masked;
  /** Offset of each call's `(`, to order the calls as they are written. */
  const opens: number[] = [];
  const stack: SNode[] = [stmt];
  // Order does not matter: the calls are sorted by their `(` at the end.
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case "call":
        addCall(n, text, shape.calls, opens);
        break;
      case "string": // an f-string (plain strings are leaves, below)
        literal(n, text, shape);
        break;
      case "assignment":
        if (!shape.assigns && n.children.some((c) => c.field === "right")) shape.assigns = true;
        break;
      case "augmented_assignment":
        shape.assigns = true;
        break;
      case "unary_operator":
        if (src.charCodeAt(n.start) === 0x7e) shape.compares = true; // ~
        break;
      case "comparison_operator":
        if (!shape.compares && comparesOrder(n, src)) shape.compares = true;
        break;
    }
    const kids = n.children;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (!k.named) continue;
      // Leaves (most nodes: identifiers, numbers, plain strings) are looked at here, not pushed.
      if (k.children.length === 0) {
        if (k.type !== "identifier") literal(k, text, shape);
      } else stack.push(k);
    }
  }
  if (opens.length > 1) {
    // Pre-order visits `a(x).b(y)` as b then a; written order is a then b.
    const order = opens.map((_, i) => i).sort((i, j) => opens[i]! - opens[j]!);
    const calls = shape.calls;
    shape.calls = order.map((i) => calls[i]!);
  }
  const assignment = stmt.type === "expression_statement" ? simpleAssignment(stmt, text) : undefined;
  if (assignment) shape.assignment = assignment;
  return shape;
}

/** A literal node: the statement holds a literal. */
function literal(n: SNode, text: CellText, shape: StatementShape): void {
  switch (n.type) {
    case "string":
    case "integer":
    case "float":
    case "true":
    case "false":
      if (!shape.hasLiteral && realText(n, text)) shape.hasLiteral = true;
      break;
  }
}

/** Add the call's shape to `calls` and the offset of its `(` to `opens`, if it calls a name or an attribute. */
function addCall(n: SNode, text: CellText, calls: CallShape[], opens: number[]): void {
  const src = text.masked;
  let fn: SNode | undefined;
  let args: SNode | undefined;
  for (const c of n.children) {
    if (c.field === "function") fn = c;
    else if (c.field === "arguments") args = c;
  }
  if (!fn || !args) return;
  let name: string;
  const receiver: string[] = [];
  if (fn.type === "identifier") name = src.slice(fn.start, fn.end);
  else if (fn.type === "attribute") {
    const attr = field(fn, "attribute");
    if (!attr) return;
    name = src.slice(attr.start, attr.end);
    // `a.b.c`: collected from the end, then reversed.
    for (let obj = field(fn, "object"); obj; obj = field(obj, "object")) {
      if (obj.type === "identifier") {
        receiver.push(src.slice(obj.start, obj.end));
        break;
      }
      const a = obj.type === "attribute" ? field(obj, "attribute") : undefined;
      if (!a) {
        receiver.push("?");
        break;
      }
      receiver.push(src.slice(a.start, a.end));
    }
    receiver.reverse();
  } else return;
  const positional: ExpressionShape[] = [];
  const keywords: KeywordShape[] = [];
  let hasArguments = false;
  if (args.type === "generator_expression") {
    hasArguments = true;
    positional.push(expressionShape(args, text));
  } else {
    for (const a of namedChildren(args)) {
      hasArguments = true;
      if (a.type === "keyword_argument") {
        const k = field(a, "name");
        const v = field(a, "value");
        if (k && v) {
          const kw = expressionShape(v, text) as KeywordShape;
          kw.name = src.slice(k.start, k.end);
          keywords.push(kw);
        }
      } else if (a.type !== "list_splat" && a.type !== "dictionary_splat") {
        positional.push(expressionShape(a, text));
      }
    }
  }
  calls.push({
    name,
    receiver,
    start: at(text, n.start),
    end: at(text, n.end),
    args: { start: at(text, args.start), end: at(text, args.end) },
    positional,
    keywords,
    hasArguments,
  });
  opens.push(args.start);
}

function field(n: SNode, name: string): SNode | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if (kids[i]!.field === name) return kids[i];
  return undefined;
}

function expressionShape(n: SNode, text: CellText): ExpressionShape {
  const out: ExpressionShape = {
    start: at(text, n.start),
    end: at(text, n.end),
    token: TOKEN_LITERALS.has(n.type),
  };
  const value = literalValue(n, text);
  if (value !== undefined) out.literal = { value };
  return out;
}

/** The value of a literal expression (see ExpressionShape.literal), or undefined. */
function literalValue(n: SNode, text: CellText): LiteralValue | undefined {
  if (!realText(n, text)) return undefined;
  const scalar = scalarValue(n, text.masked);
  if (scalar !== undefined) return scalar;
  const src = text.masked;
  if (n.type === "unary_operator" && src.charCodeAt(n.start) === 0x2d) {
    // -number
    const kids = namedChildren(n);
    const arg = kids.length === 1 ? kids[0]! : undefined;
    if (arg && (arg.type === "integer" || arg.type === "float")) {
      const v = numberValue(src.slice(arg.start, arg.end));
      return v === undefined ? undefined : -v;
    }
    return undefined;
  }
  if (n.type === "parenthesized_expression") {
    const kids = namedChildren(n);
    return kids.length === 1 ? scalarValue(kids[0]!, src) : undefined;
  }
  if (n.type === "list" || n.type === "tuple") {
    const kids = namedChildren(n);
    if (kids.length === 0) return undefined;
    const items: LiteralScalar[] = [];
    for (const k of kids) {
      const v = scalarValue(k, src);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return items;
  }
  return undefined;
}

function scalarValue(n: SNode, src: string): LiteralScalar | undefined {
  switch (n.type) {
    case "string":
      return stringValue(src.slice(n.start, n.end));
    case "integer":
    case "float":
      return numberValue(src.slice(n.start, n.end));
    case "true":
      return true;
    case "false":
      return false;
    case "none":
      return null;
    default:
      return undefined;
  }
}

/** `name = value` as the whole statement (no annotation, one target). */
function simpleAssignment(stmt: SNode, text: CellText): StatementShape["assignment"] {
  const kids = namedChildren(stmt);
  const a = kids.length === 1 ? kids[0]! : undefined;
  if (a?.type !== "assignment") return undefined;
  let left: SNode | undefined;
  let right: SNode | undefined;
  for (const c of a.children) {
    if (c.field === "left") left = c;
    else if (c.field === "right") right = c;
    else if (c.field === "type") return undefined;
  }
  if (left?.type !== "identifier" || !right) return undefined;
  return {
    target: text.masked.slice(left.start, left.end),
    value: expressionShape(right, text),
    indexes: startsWithIndexing(right),
  };
}

/** The expression starts with `x[` where x is one token (`df[…]`, `df[…].copy()`, `df[…] > 0`). */
function startsWithIndexing(n: SNode): boolean {
  for (let node: SNode | undefined = n; node; ) {
    const first: SNode | undefined = namedChildren(node)[0];
    if (!first || first.start !== node.start) return false;
    if (node.type === "subscript" && first.field === "value" && LEAVES.has(first.type)) return true;
    node = first;
  }
  return false;
}

/** A comparison with an order or equality operator (not only `in`, `not in`, `is`, `is not`). */
function comparesOrder(n: SNode, src: string): boolean {
  const kids = namedChildren(n);
  for (let i = 1; i < kids.length; i++) {
    const gap = src.slice(kids[i - 1]!.end, kids[i]!.start).replace(/#[^\n]*/g, "");
    if (/[<>]|==|!=/.test(gap)) return true;
  }
  return false;
}

/** The node's text is the user's (not a `0` or `pass` IPython masking put there). */
function realText(n: SNode, text: CellText): boolean {
  if (text.source === undefined) return true;
  const start = at(text, n.start);
  return text.source.slice(start, start + n.end - n.start) === text.masked.slice(n.start, n.end);
}

/** The value of a Python string literal (prefixes and quotes removed, simple escapes decoded). */
export function stringValue(tok: string): string | undefined {
  const q0 = tok.charCodeAt(0);
  if ((q0 === 0x22 || q0 === 0x27) && tok.length >= 2 && tok.indexOf("\\") === -1) {
    // The common case: no prefix, no escape.
    const q = tok.startsWith('"""') || tok.startsWith("'''") ? tok.slice(0, 3) : tok[0]!;
    const body = tok.slice(q.length);
    return body.endsWith(q) ? body.slice(0, body.length - q.length) : body;
  }
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
  if (/^\d+$/.test(tok)) return Number(tok);
  const t = tok.replace(/_/g, "");
  if (/[jJ]$/.test(t)) return undefined;
  const v = /^0[xXoObB]/.test(t) ? Number(t.toLowerCase()) : Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Python's hard keywords: not usable as identifiers. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
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
]);
