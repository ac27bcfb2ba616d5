/**
 * Rewrites inside a statement that moves from a notebook cell into a function body:
 * `print` → `logging`, calls of helpers that read globals gain those globals as keyword arguments,
 * secrets become environment reads, and statements that only displayed something are dropped.
 */
import type { Node } from "web-tree-sitter";
import type { StatementRecord } from "../python/types.js";
import { humanize } from "./naming.js";
import { applyEdits, descendants, type Edit, parsePython } from "./syntax.js";

export interface RewriteContext {
  /** Helper name → globals it now takes as keyword-only parameters. */
  helperArgs: Map<string, string[]>;
  /** Turn print() into logger.info(). */
  printToLogging: boolean;
  /** Helper names that are local variables here (the step assigned them): not the helper. */
  shadowed?: Set<string>;
}

export interface RewriteResult {
  code: string;
  /** The statement only displayed something: leave it out of the step. */
  dropped: boolean;
  usesLogging: boolean;
  usesOs: boolean;
  usesPartial: boolean;
  /** Environment variables introduced for secrets. */
  envVars: string[];
  /** Problems needing a TODO: "exec", "syntax". */
  problems: { kind: "exec" | "syntax" | "secret"; detail: string }[];
}

/** Methods whose call at the end of a cell only shows data. */
const DISPLAY_METHODS = new Set([
  "head",
  "tail",
  "describe",
  "info",
  "sample",
  "value_counts",
  "nunique",
  "unique",
  "isnull",
  "isna",
  "notnull",
  "corr",
  "show",
  "display",
  "memory_usage",
  "dtypes",
  "to_string",
  "style",
]);

const DISPLAY_FUNCTIONS = new Set(["display", "print_full", "pprint"]);

const SECRET_NAME =
  /(api_?key|secret|token|passw(or)?d|pwd|access_?key|private_?key|auth_?key|client_?secret)/i;
const SECRET_VALUE =
  /^(AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,}|ghp_[A-Za-z0-9]{30,}|gh[ousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|hf_[A-Za-z0-9]{30,})$/;

/** The last dotted method name of a call expression's function (`df.groupby(x).head` → "head"). */
function calledName(call: Node): string | undefined {
  const fn = call.childForFieldName("function");
  if (!fn) return undefined;
  if (fn.type === "identifier") return fn.text;
  if (fn.type === "attribute") return fn.childForFieldName("attribute")?.text;
  return undefined;
}

function isDisplayOnly(stmt: Node, record: StatementRecord | undefined): boolean {
  if (stmt.type !== "expression_statement") return false;
  const expr = stmt.namedChildren[0];
  if (!expr || stmt.namedChildren.length !== 1) return false;
  if (expr.type === "call") {
    const fnNode = expr.childForFieldName("function");
    const fnText = fnNode?.text ?? "";
    if (fnText === "plt.show" || fnText === "display" || DISPLAY_FUNCTIONS.has(fnText)) return true;
    const name = calledName(expr);
    return (
      (record?.displays ?? true) &&
      name !== undefined &&
      DISPLAY_METHODS.has(name) &&
      fnNode?.type === "attribute"
    );
  }
  if (
    [
      "identifier",
      "attribute",
      "subscript",
      "comparison_operator",
      "string",
      "integer",
      "float",
      "tuple",
      "list",
    ].includes(expr.type)
  )
    return record?.displays ?? true;
  return false;
}

function plainStringContent(node: Node): string | undefined {
  if (node.type !== "string") return undefined;
  const text = node.text;
  const q = text[0];
  if (q !== '"' && q !== "'") return undefined;
  if (text.startsWith('"""') || text.startsWith("'''")) return undefined;
  let body = text.slice(1, -1);
  if (q === "'") body = body.replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"');
  return body;
}

function printEdit(call: Node): Edit | "remove" | undefined {
  const args = call.childForFieldName("arguments");
  if (args?.type !== "argument_list") return undefined;
  const positional: Node[] = [];
  for (const a of args.namedChildren) {
    if (!a) continue;
    if (a.type === "keyword_argument") {
      const key = a.childForFieldName("name")?.text;
      if (key === "flush") continue;
      return undefined; // sep=, end=, file=: keep the print as written
    }
    if (a.type === "list_splat" || a.type === "dictionary_splat" || a.type === "comment") return undefined;
    positional.push(a);
  }
  if (positional.length === 0) return "remove";
  const fn = call.childForFieldName("function")!;
  if (positional.length === 1) {
    const only = positional[0]!;
    if (only.type === "string" || only.type === "concatenated_string") {
      return { from: fn.startIndex, to: args.endIndex, text: `logger.info(${only.text})` };
    }
  }
  const parts: string[] = [];
  const values: string[] = [];
  for (const a of positional) {
    const plain = plainStringContent(a);
    if (plain !== undefined) parts.push(plain.replace(/%/g, "%%"));
    else {
      parts.push("%s");
      values.push(a.text);
    }
  }
  const fmt = `"${parts.join(" ")}"`;
  return { from: fn.startIndex, to: args.endIndex, text: `logger.info(${[fmt, ...values].join(", ")})` };
}

function envName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

const TARGET_FIELDS: Record<string, string> = {
  assignment: "left",
  augmented_assignment: "left",
  for_statement: "left",
  for_in_clause: "left",
  named_expression: "name",
};

/** Identifiers bound by assignments, loops, parameters, `as` clauses and nested defs in the code. */
function boundNames(root: Node): string[] {
  const out: string[] = [];
  for (const n of descendants(
    root,
    new Set([
      ...Object.keys(TARGET_FIELDS),
      "parameters",
      "lambda_parameters",
      "as_pattern_target",
      "function_definition",
      "class_definition",
    ]),
  )) {
    if (n.type === "function_definition" || n.type === "class_definition") {
      // The helper's own name is not shadowed by defining it; its body's bindings are handled by the walk.
      continue;
    }
    const field = TARGET_FIELDS[n.type];
    const target = field ? n.childForFieldName(field) : n;
    if (!target) continue;
    if (target.type === "identifier") out.push(target.text);
    for (const id of descendants(target, new Set(["identifier"]))) {
      const p = id.parent;
      if (
        p?.type === "attribute" ||
        p?.type === "subscript" ||
        p?.type === "keyword_argument" ||
        (p?.type === "default_parameter" && p.childForFieldName("value")?.id === id.id)
      )
        continue;
      out.push(id.text);
    }
  }
  return out;
}

/**
 * Most statements need no rewrite: skip the parse unless the text mentions something a rewrite acts on
 * (print, exec/eval, a helper taking globals, a secret-looking literal, a top-level `global`) or the
 * statement may be display-only.
 */
function needsTree(code: string, record: StatementRecord | undefined, ctx: RewriteContext): boolean {
  if (record === undefined || record.displays || record.type !== "expression_statement") return true;
  if (/\b(print|exec|eval|display|global)\b|plt\.show/.test(code)) return true;
  if (SECRET_NAME.test(code) || /["'](AKIA|sk-|ghp_|gh[ousr]_|xox|AIza|hf_)/.test(code)) return true;
  for (const [name, extra] of ctx.helperArgs) if (extra.length > 0 && code.includes(name)) return true;
  return false;
}

/** Rewrite one statement's code. Never throws on user code: unparsable text is reported. */
export function rewriteStatement(
  code: string,
  record: StatementRecord | undefined,
  context: RewriteContext,
): RewriteResult {
  let ctx = context;
  const result: RewriteResult = {
    code,
    dropped: false,
    usesLogging: false,
    usesOs: false,
    usesPartial: false,
    envVars: [],
    problems: [],
  };
  if (code.trim() === "") {
    result.dropped = true;
    return result;
  }
  if (!needsTree(code, record, ctx)) return result;
  const parsed = parsePython(code);
  try {
    if (parsed.hasError) {
      result.problems.push({ kind: "syntax", detail: "the statement does not parse as Python" });
      return result;
    }
    if (descendants(parsed.root, new Set(["print_statement", "exec_statement"])).length > 0) {
      result.problems.push({ kind: "syntax", detail: "the statement is Python 2 (print/exec statement)" });
      return result;
    }
    const top = parsed.root.namedChildren.filter((n): n is Node => n !== null && n.type !== "comment");
    if (top.length > 0 && top.every((n) => isDisplayOnly(n, record))) {
      result.dropped = true;
      return result;
    }
    if (top.length === 1 && top[0]!.type === "global_statement") {
      result.dropped = true; // `global x` at a cell's top level is a no-op in the notebook
      return result;
    }
    // Names this code binds itself (assignment and loop targets, parameters) are locals, not helpers.
    const shadowed = new Set([...(ctx.shadowed ?? []), ...boundNames(parsed.root)]);
    ctx = { ...ctx, shadowed };
    const edits: Edit[] = [];
    for (const call of descendants(parsed.root, new Set(["call"]))) {
      const fn = call.childForFieldName("function");
      if (!fn) continue;
      if (fn.type === "identifier" && fn.text === "print" && ctx.printToLogging) {
        const e = printEdit(call);
        if (e === "remove") {
          const stmt = call.parent;
          if (stmt?.type === "expression_statement") {
            const block = stmt.parent;
            const siblings = block?.namedChildren.filter((n) => n && n.type !== "comment").length ?? 0;
            edits.push({
              from: stmt.startIndex,
              to: stmt.endIndex,
              text: siblings > 1 || block?.type === "module" ? "" : "pass",
            });
          }
        } else if (e) {
          edits.push(e);
          result.usesLogging = true;
        }
        continue;
      }
      if (fn.type === "identifier" && (fn.text === "exec" || fn.text === "eval")) {
        result.problems.push({ kind: "exec", detail: `${fn.text}() runs code fledge cannot analyse` });
      }
      if (fn.type === "identifier" && ctx.helperArgs.has(fn.text) && !ctx.shadowed?.has(fn.text)) {
        const extra = ctx.helperArgs.get(fn.text)!;
        const args = call.childForFieldName("arguments");
        if (args && args.type === "argument_list" && extra.length > 0) {
          const kw = extra.map((g) => `${g}=${g}`).join(", ");
          const named = args.namedChildren.filter((n) => n && n.type !== "comment");
          const lastChild = args.children[args.children.length - 2];
          const sep = named.length === 0 || lastChild?.type === "," ? "" : ", ";
          edits.push({ from: args.endIndex - 1, to: args.endIndex - 1, text: `${sep}${kw}` });
        }
      }
    }
    // A helper passed as a value (df.apply(f)) gets its globals bound with functools.partial.
    if (ctx.helperArgs.size > 0) {
      for (const id of descendants(parsed.root, new Set(["identifier"]))) {
        const extra = ctx.helperArgs.get(id.text);
        if (!extra || extra.length === 0 || ctx.shadowed?.has(id.text)) continue;
        const parent = id.parent;
        if (!parent) continue;
        if (parent.type === "call" && parent.childForFieldName("function")?.id === id.id) continue;
        if (parent.type === "attribute" && parent.childForFieldName("attribute")?.id === id.id) continue;
        if (parent.type === "keyword_argument" && parent.childForFieldName("name")?.id === id.id) continue;
        if (
          ["function_definition", "class_definition", "dotted_name", "aliased_import"].includes(parent.type)
        )
          continue;
        edits.push({
          from: id.startIndex,
          to: id.endIndex,
          text: `partial(${id.text}, ${extra.map((g) => `${g}=${g}`).join(", ")})`,
        });
        result.usesPartial = true;
      }
    }
    // Secrets: a literal assigned to a secret-looking name, or a literal shaped like a known token.
    for (const assign of descendants(parsed.root, new Set(["assignment"]))) {
      const left = assign.childForFieldName("left");
      const right = assign.childForFieldName("right");
      if (!left || !right || right.type !== "string") continue;
      const content = plainStringContent(right);
      if (content === undefined || content.length < 6) continue;
      const byName = left.type === "identifier" && SECRET_NAME.test(left.text);
      if (byName || SECRET_VALUE.test(content)) {
        const env = envName(left.type === "identifier" ? left.text : "SECRET");
        edits.push({
          from: right.startIndex,
          to: right.endIndex,
          text: `os.environ[${JSON.stringify(env)}]`,
        });
        result.envVars.push(env);
        result.usesOs = true;
        result.problems.push({ kind: "secret", detail: env });
      }
    }
    result.code = applyEdits(code, edits);
    return result;
  } finally {
    parsed.dispose();
  }
}

/**
 * Add keyword-only parameters to a function definition (`def f(a):` → `def f(a, *, rate):`) for
 * the globals it read, and the same keyword arguments to the calls of other helpers inside it.
 */
/** The edit adding `"""Add features."""` to a function whose body does not start with a string (none if it does). */
function missingDocstring(code: string, def: Node): Edit | undefined {
  const body = def.childForFieldName("body");
  const first = body?.namedChildren.find((n): n is Node => n !== null && n.type !== "comment");
  if (!body || !first || first.startPosition.row === def.startPosition.row) return undefined;
  if (first.type === "expression_statement" && first.namedChildren[0]?.type === "string") return undefined;
  const lineStart = code.lastIndexOf("\n", first.startIndex - 1) + 1;
  const indentText = code.slice(lineStart, first.startIndex);
  if (!/^[ \t]+$/.test(indentText)) return undefined;
  const name = def.childForFieldName("name")?.text ?? "function";
  return { from: lineStart, to: lineStart, text: `${indentText}"""${humanize(name)}."""\n` };
}

export function rewriteHelper(
  code: string,
  added: string[],
  ctx: RewriteContext,
): { code: string; usesPartial: boolean } {
  const parsed = parsePython(code);
  try {
    const edits: Edit[] = [];
    let def: Node | null | undefined = parsed.root.namedChildren.find(
      (n) => n?.type === "function_definition" || n?.type === "decorated_definition",
    );
    if (def?.type === "decorated_definition") def = def.childForFieldName("definition");
    if (def && def.type === "function_definition" && added.length > 0) {
      const params = def.childForFieldName("parameters");
      if (params) {
        const named = params.namedChildren.filter((n): n is Node => n !== null && n.type !== "comment");
        const hasStar = named.some(
          (n) => n.type === "list_splat_pattern" || n.type === "keyword_separator" || n.text === "*",
        );
        const kwargs = named.find((n) => n.type === "dictionary_splat_pattern");
        const insert = added.join(", ");
        if (kwargs) {
          edits.push({
            from: kwargs.startIndex,
            to: kwargs.startIndex,
            text: `${hasStar ? "" : "*, "}${insert}, `,
          });
        } else {
          const lastChild = params.children[params.children.length - 2];
          const sep = named.length === 0 || lastChild?.type === "," ? "" : ", ";
          edits.push({
            from: params.endIndex - 1,
            to: params.endIndex - 1,
            text: `${sep}${hasStar ? "" : "*, "}${insert}`,
          });
        }
      }
    }
    // Docstrings everywhere: a function without one gets a short one from its name.
    if (def && def.type === "function_definition") {
      const doc = missingDocstring(code, def);
      if (doc) edits.push(doc);
    }
    // `global x` for a global that is now the parameter `x` (it was only read or mutated): drop it.
    if (def && added.length > 0) {
      for (const g of descendants(def, new Set(["global_statement"]))) {
        const names = g.namedChildren.filter((n): n is Node => n?.type === "identifier").map((n) => n.text);
        const keep = names.filter((n) => !added.includes(n));
        if (keep.length === names.length) continue;
        if (keep.length > 0)
          edits.push({ from: g.startIndex, to: g.endIndex, text: `global ${keep.join(", ")}` });
        else {
          // Remove the whole line (the body has other statements: the global was declared for them).
          const from = code.lastIndexOf("\n", g.startIndex - 1) + 1;
          const nl = code.indexOf("\n", g.endIndex);
          edits.push({ from, to: nl < 0 ? code.length : nl + 1, text: "" });
        }
      }
    }
    const withSig = applyEdits(code, edits);
    // Calls to other helpers inside the body.
    const inner = rewriteStatement(withSig, undefined, { ...ctx, printToLogging: false });
    return { code: inner.dropped ? withSig : inner.code, usesPartial: inner.usesPartial };
  } finally {
    parsed.dispose();
  }
}

/** Rename variables (`WINDOW` → `window`), leaving attributes (`obj.WINDOW`), keyword names and strings alone. */
export function renameIdentifiers(code: string, renames: Map<string, string>): string {
  if (renames.size === 0) return code;
  if (![...renames.keys()].some((k) => code.includes(k))) return code;
  const parsed = parsePython(code);
  try {
    const edits: Edit[] = [];
    for (const id of descendants(parsed.root, new Set(["identifier"]))) {
      const to = renames.get(id.text);
      if (!to) continue;
      const parent = id.parent;
      if (parent?.type === "attribute" && parent.childForFieldName("attribute")?.id === id.id) continue;
      if (parent?.type === "keyword_argument" && parent.childForFieldName("name")?.id === id.id) continue;
      edits.push({ from: id.startIndex, to: id.endIndex, text: to });
    }
    return applyEdits(code, edits);
  } finally {
    parsed.dispose();
  }
}
