/**
 * Scope analysis of one (masked) cell, following Python's rules.
 *
 * One walk over the tree in *evaluation order* (a value before the targets it is assigned to, an iterable
 * before the loop target, decorators/defaults/annotations before the name of the function, the first
 * iterable of a comprehension in the enclosing scope and the element last, …) builds the scope tree and
 * records an ordered list of events (use, bind, delete, call, modify). `resolve.ts` then replays the events:
 * binding sets are complete by then (a name assigned anywhere in a function is local to it), while the order
 * of events gives the cell's "read before defined" semantics.
 */

import { importStatement, matchPattern } from "./bindings.js";
import { type CallInfo, callModifications, targetModification } from "./modifications.js";
import {
  childByField as field,
  childrenByField as fields,
  namedChildren as named,
  type SNode,
} from "./parser.js";
import type { Event, Owner, Scope, ScopeKind } from "./scope-model.js";
import type { ImportRecord } from "./types.js";

export type { Event, Owner, Scope, ScopeKind } from "./scope-model.js";

const COMPREHENSIONS = new Set([
  "list_comprehension",
  "set_comprehension",
  "dictionary_comprehension",
  "generator_expression",
]);
const DYNAMIC_CALLS = new Set(["exec", "eval", "globals", "locals", "vars"]);
/**
 * The `globals`/`nonlocals` of every scope until a `global`/`nonlocal` statement gives it its own set (most scopes
 * never have one): never added to.
 */
const NO_NAMES: Set<string> = new Set();

export class Walker {
  readonly events: Event[] = [];
  readonly owners: Owner[] = [];
  readonly imports: ImportRecord[] = [];
  readonly importBound = new Set<string>();
  starImport = false;
  dynamic = false;
  futureAnnotations = false;
  stmt = -1;
  readonly module: Scope;
  private owner: Owner | null = null;

  constructor(
    private readonly src: string,
    readonly spanOf: (n: SNode) => ImportRecord["span"],
  ) {
    this.module = this.newScope("module", null, "<module>");
  }

  text(n: SNode): string {
    return this.src.slice(n.start, n.end);
  }

  readonly textOf = (n: SNode): string => this.src.slice(n.start, n.end);

  newScope(kind: ScopeKind, parent: Scope | null, name: string): Scope {
    const immediate =
      parent === null ||
      (parent.immediate && (kind === "class" || kind === "comprehension" || kind === "annotation"));
    const scope: Scope = {
      kind,
      parent,
      name,
      immediate,
      locals: new Set(),
      globals: NO_NAMES,
      nonlocals: NO_NAMES,
      owner: immediate ? null : this.owner,
    };
    if (!immediate && this.owner) this.owner.scopes.push(scope);
    return scope;
  }

  use(n: SNode, scope: Scope): void {
    this.events.push({ t: "use", name: this.text(n), scope, node: n, stmt: this.stmt });
  }

  bindName(name: string, n: SNode, scope: Scope): void {
    if (scope.kind === "comprehension") {
      scope.locals.add(name);
    } else if (!scope.globals.has(name) && !scope.nonlocals.has(name)) {
      scope.locals.add(name);
    }
    this.events.push({ t: "bind", name, scope, node: n, stmt: this.stmt });
  }

  bind(n: SNode, scope: Scope): void {
    this.bindName(this.text(n), n, scope);
  }

  // ---- statements -------------------------------------------------------------------------------------

  block(nodes: SNode[], scope: Scope): void {
    for (const n of nodes) if (n.named && n.type !== "comment") this.statement(n, scope);
  }

  statement(n: SNode, scope: Scope): void {
    switch (n.type) {
      case "expression_statement":
        for (const c of named(n)) {
          if (c.type === "assignment") this.assignment(c, scope);
          else if (c.type === "augmented_assignment") this.augmented(c, scope);
          else {
            if (c.type === "call") this.droppedCall = c;
            this.expr(c, scope);
          }
        }
        return;
      case "for_statement":
        for (const r of fields(n, "right")) this.expr(r, scope);
        for (const l of fields(n, "left")) this.target(l, scope);
        this.blockOf(field(n, "body"), scope);
        this.blockOf(field(n, "alternative"), scope);
        return;
      case "while_statement":
        this.exprOf(field(n, "condition"), scope);
        this.blockOf(field(n, "body"), scope);
        this.blockOf(field(n, "alternative"), scope);
        return;
      case "if_statement":
      case "elif_clause":
        this.exprOf(field(n, "condition"), scope);
        this.blockOf(field(n, "consequence"), scope);
        for (const a of fields(n, "alternative")) this.statement(a, scope);
        return;
      case "else_clause":
      case "finally_clause":
      case "block":
        this.block(n.children, scope);
        return;
      case "with_statement":
        for (const c of n.children) {
          if (c.type === "with_clause") {
            for (const item of named(c)) this.withItem(item, scope);
          } else if (c.field === "body") this.blockOf(c, scope);
        }
        return;
      case "try_statement":
        for (const c of named(n)) {
          if (c.type === "except_clause" || c.type === "except_group_clause") this.exceptClause(c, scope);
          else this.statement(c, scope);
        }
        return;
      case "function_definition":
        this.functionDef(n, scope, []);
        return;
      case "class_definition":
        this.classDef(n, scope, []);
        return;
      case "decorated_definition": {
        const decorators = n.children.filter((c) => c.type === "decorator");
        const def = field(n, "definition");
        if (def?.type === "class_definition") this.classDef(def, scope, decorators);
        else if (def) this.functionDef(def, scope, decorators);
        return;
      }
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
        importStatement(this, n, scope);
        return;
      case "global_statement":
        if (scope.globals === NO_NAMES) scope.globals = new Set();
        for (const c of named(n)) scope.globals.add(this.text(c));
        return;
      case "nonlocal_statement":
        if (scope.nonlocals === NO_NAMES) scope.nonlocals = new Set();
        for (const c of named(n)) scope.nonlocals.add(this.text(c));
        return;
      case "delete_statement":
        for (const c of named(n)) this.deleteTarget(c, scope);
        return;
      case "match_statement":
        this.exprOf(field(n, "subject"), scope);
        for (const body of fields(n, "body")) {
          for (const clause of named(body)) {
            if (clause.type !== "case_clause") continue;
            for (const c of named(clause)) {
              if (c.type === "case_pattern") matchPattern(this, c, scope);
              else if (c.field === "guard") this.expr(c, scope);
              else if (c.field === "consequence") this.blockOf(c, scope);
            }
          }
        }
        return;
      case "type_alias_statement": {
        const left = field(n, "left");
        const nameNode = left ? this.firstIdentifier(left) : undefined;
        const lazy = this.newScope("function", scope, "<type alias>");
        if (left) this.typeParams(left, lazy);
        if (nameNode) this.bind(nameNode, scope);
        this.exprOf(field(n, "right"), lazy);
        return;
      }
      case "pass_statement":
      case "break_statement":
      case "continue_statement":
        return;
      default:
        // return/raise/assert/print/exec statements, ERROR nodes and anything else: their expressions.
        for (const c of named(n)) {
          if (c.type.endsWith("_statement") || c.type === "block") this.statement(c, scope);
          else this.expr(c, scope);
        }
    }
  }

  private blockOf(n: SNode | undefined, scope: Scope): void {
    if (n) this.statement(n, scope);
  }

  private exprOf(n: SNode | undefined, scope: Scope): void {
    if (n) this.expr(n, scope);
  }

  private firstIdentifier(n: SNode): SNode | undefined {
    if (n.type === "identifier") return n;
    for (const c of n.children) {
      const found = c.named ? this.firstIdentifier(c) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private assignment(n: SNode, scope: Scope): void {
    // a = b = value: targets [a, b]; the value is evaluated first, then targets left to right.
    const targets: SNode[] = [];
    let cur: SNode | undefined = n;
    let annotation: SNode | undefined;
    while (cur && cur.type === "assignment") {
      const left = field(cur, "left");
      if (left) targets.push(left);
      annotation ??= field(cur, "type");
      cur = field(cur, "right");
    }
    const value = cur;
    const left = targets[0];
    if (
      value?.type === "lambda" &&
      targets.length === 1 &&
      left?.type === "identifier" &&
      scope === this.module
    ) {
      this.lambdaOwnerName = this.text(left);
    }
    if (value) this.expr(value, scope);
    if (value) for (const t of targets) this.target(t, scope);
    else if (scope.kind === "function") for (const t of targets) this.annotatedOnly(t, scope);
    else for (const t of targets) if (t.type !== "identifier") this.targetObject(t, scope);
    if (annotation && scope.kind !== "function" && !this.futureAnnotations) this.expr(annotation, scope);
    if (value?.type === "identifier" && targets.length === 1 && left?.type === "identifier") {
      this.events.push({
        t: "alias",
        name: this.text(left),
        target: this.text(value),
        scope,
        stmt: this.stmt,
      });
    }
  }

  /** `x: int` in a function makes `x` local without binding it. */
  private annotatedOnly(t: SNode, scope: Scope): void {
    if (t.type === "identifier") scope.locals.add(this.text(t));
  }

  private targetObject(t: SNode, scope: Scope): void {
    if (t.type === "attribute") this.exprOf(field(t, "object"), scope);
    else if (t.type === "subscript") {
      this.exprOf(field(t, "value"), scope);
      for (const s of fields(t, "subscript")) this.expr(s, scope);
    }
  }

  private augmented(n: SNode, scope: Scope): void {
    const left = field(n, "left");
    if (!left) return;
    if (left.type === "identifier") {
      this.use(left, scope);
      this.exprOf(field(n, "right"), scope);
      this.bind(left, scope);
      return;
    }
    this.targetObject(left, scope);
    this.exprOf(field(n, "right"), scope);
    this.modifyTarget(left, scope);
  }

  private modifyTarget(t: SNode, scope: Scope): void {
    const m = targetModification(t, this.textOf);
    if (m) this.events.push({ t: "modify", scope, node: t, stmt: this.stmt, ...m });
  }

  /** Bind an assignment target. */
  target(t: SNode, scope: Scope): void {
    switch (t.type) {
      case "identifier":
        this.bind(t, scope);
        return;
      case "attribute":
      case "subscript":
        this.targetObject(t, scope);
        this.modifyTarget(t, scope);
        return;
      case "comment":
        return;
      default:
        for (const c of named(t)) this.target(c, scope);
    }
  }

  private deleteTarget(t: SNode, scope: Scope): void {
    if (t.type === "identifier") {
      const name = this.text(t);
      if (scope.kind !== "module" && !scope.globals.has(name) && !scope.nonlocals.has(name)) {
        scope.locals.add(name);
      }
      this.events.push({ t: "del", name, scope, node: t, stmt: this.stmt });
    } else if (t.type === "attribute" || t.type === "subscript") {
      this.targetObject(t, scope);
      const m = targetModification(t, this.textOf);
      if (m) {
        const reason = t.type === "subscript" ? "del of an item" : "del of an attribute";
        this.events.push({ t: "modify", scope, node: t, stmt: this.stmt, ...m, reason, rule: "del" });
      }
    } else {
      for (const c of named(t)) this.deleteTarget(c, scope);
    }
  }

  private withItem(item: SNode, scope: Scope): void {
    const value = field(item, "value") ?? named(item)[0];
    if (!value) return;
    if (value.type === "as_pattern") {
      const [expr] = named(value);
      if (expr && expr.field !== "alias") this.expr(expr, scope);
      const alias = field(value, "alias");
      if (alias) this.target(alias, scope);
    } else {
      this.expr(value, scope);
    }
  }

  private exceptClause(n: SNode, scope: Scope): void {
    for (const c of named(n)) {
      if (c.type === "block") this.statement(c, scope);
      else if (c.type === "as_pattern") {
        for (const p of named(c)) {
          if (p.field === "alias") this.target(p, scope);
          else this.expr(p, scope);
        }
      } else if (c.field === "alias") this.target(c, scope);
      else this.expr(c, scope);
    }
  }

  lambdaOwnerName: string | null = null;
  /** The call whose value an expression statement drops (`lst.append(x)` on its own line). */
  private droppedCall: SNode | null = null;

  private withOwner(
    name: string,
    kind: "function" | "class",
    node: SNode,
    scope: Scope,
    run: () => void,
  ): void {
    const isRecord = scope === this.module && this.owner === null;
    if (!isRecord) {
      run();
      return;
    }
    const owner: Owner = { name, kind, node, scopes: [] };
    this.owners.push(owner);
    this.owner = owner;
    try {
      run();
    } finally {
      this.owner = null;
    }
  }

  /** Type parameters (3.12): an annotation scope binding the parameter names; bounds are lazy. */
  private typeParams(n: SNode, scope: Scope): void {
    const tp = n.type === "type_parameter" ? n : n.children.find((c) => c.type === "type_parameter");
    if (!tp) return;
    for (const t of named(tp)) {
      const inner = t.type === "type" ? named(t)[0] : t;
      if (!inner) continue;
      const id =
        inner.type === "identifier"
          ? inner
          : inner.type === "constrained_type" || inner.type === "splat_type"
            ? this.firstIdentifier(inner)
            : undefined;
      if (id) this.bind(id, scope);
    }
  }

  private functionDef(n: SNode, scope: Scope, decorators: SNode[]): void {
    for (const d of decorators) for (const c of named(d)) this.expr(c, scope);
    const nameNode = field(n, "name");
    const name = nameNode ? this.text(nameNode) : "<function>";
    const tps = field(n, "type_parameters");
    let annScope = scope;
    if (tps) {
      annScope = this.newScope("annotation", scope, `<generic ${name}>`);
      this.typeParams(tps, annScope);
    }
    const params = field(n, "parameters");
    // Defaults are evaluated in the enclosing scope, annotations in the (type-parameter) annotation scope.
    const paramNodes = params ? named(params) : [];
    for (const p of paramNodes) this.exprOf(field(p, "value"), scope);
    if (!this.futureAnnotations) {
      for (const p of paramNodes) this.exprOf(field(p, "type"), annScope);
      this.exprOf(field(n, "return_type"), annScope);
    }
    this.withOwner(name, "function", n, scope, () => {
      const fn = this.newScope("function", annScope, name);
      for (const p of paramNodes) this.param(p, fn);
      this.blockOf(field(n, "body"), fn);
    });
    if (nameNode) this.bind(nameNode, scope);
  }

  private param(p: SNode, fn: Scope): void {
    if (p.type === "identifier") this.bind(p, fn);
    else if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern") {
      const id = named(p)[0];
      if (id) this.bind(id, fn);
    } else {
      const nm = field(p, "name") ?? named(p).find((c) => c.type === "identifier");
      if (nm) this.param(nm, fn);
    }
  }

  private classDef(n: SNode, scope: Scope, decorators: SNode[]): void {
    for (const d of decorators) for (const c of named(d)) this.expr(c, scope);
    const nameNode = field(n, "name");
    const name = nameNode ? this.text(nameNode) : "<class>";
    const tps = field(n, "type_parameters");
    let outer = scope;
    if (tps) {
      outer = this.newScope("annotation", scope, `<generic ${name}>`);
      this.typeParams(tps, outer);
    }
    this.exprOf(field(n, "superclasses"), outer);
    this.withOwner(name, "class", n, scope, () => {
      const cls = this.newScope("class", outer, name);
      this.blockOf(field(n, "body"), cls);
    });
    if (nameNode) this.bind(nameNode, scope);
  }

  // ---- expressions ------------------------------------------------------------------------------------

  expr(n: SNode, scope: Scope): void {
    switch (n.type) {
      case "identifier":
        this.use(n, scope);
        return;
      case "attribute":
        this.exprOf(field(n, "object"), scope);
        return;
      case "keyword_argument":
        this.exprOf(field(n, "value"), scope);
        return;
      case "call":
        this.call(n, scope);
        return;
      case "lambda":
        this.lambda(n, scope);
        return;
      case "named_expression": {
        this.exprOf(field(n, "value"), scope);
        const nm = field(n, "name");
        if (nm) {
          let s = scope;
          while (s.kind === "comprehension" && s.parent) s = s.parent;
          this.bind(nm, s);
        }
        return;
      }
      case "conditional_expression": {
        const [a, cond, b] = named(n);
        if (cond) this.expr(cond, scope);
        if (a) this.expr(a, scope);
        if (b) this.expr(b, scope);
        return;
      }
      case "string":
        for (const c of n.children) if (c.type === "interpolation") this.interpolation(c, scope);
        return;
      case "type":
        if (this.futureAnnotations && scope.immediate) return;
        for (const c of named(n)) this.typeExpr(c, scope);
        return;
      case "integer":
      case "float":
      case "true":
      case "false":
      case "none":
      case "ellipsis":
      case "comment":
      case "string_content":
      case "escape_sequence":
        return;
      default:
        if (COMPREHENSIONS.has(n.type)) this.comprehension(n, scope);
        else for (const c of named(n)) this.expr(c, scope);
    }
  }

  private typeExpr(n: SNode, scope: Scope): void {
    if (n.type === "member_type") {
      const first = named(n)[0];
      if (first) this.typeExpr(first, scope);
    } else if (n.type === "generic_type" || n.type === "type_parameter" || n.type === "type") {
      for (const c of named(n)) this.typeExpr(c, scope);
    } else this.expr(n, scope);
  }

  private interpolation(n: SNode, scope: Scope): void {
    for (const c of named(n)) {
      if (c.field === "expression") this.expr(c, scope);
      else if (c.type === "format_specifier") {
        for (const f of named(c)) if (f.type === "format_expression") this.interpolation(f, scope);
      }
    }
  }

  private call(n: SNode, scope: Scope): void {
    const fn = field(n, "function");
    const args = field(n, "arguments");
    if (fn) this.expr(fn, scope);
    if (args) this.expr(args, scope);
    if (fn?.type === "identifier") {
      const name = this.text(fn);
      this.events.push({ t: "call", name, scope, node: fn, stmt: this.stmt });
      if (DYNAMIC_CALLS.has(name) && scope.immediate) this.dynamic = true;
    }
    const info: CallInfo = { node: n, fn, args, dropped: this.droppedCall === n, text: this.textOf };
    for (const m of callModifications(info)) {
      this.events.push({ t: "modify", scope, node: n, stmt: this.stmt, ...m });
    }
  }

  private lambda(n: SNode, scope: Scope): void {
    const params = field(n, "parameters");
    const paramNodes = params ? named(params) : [];
    for (const p of paramNodes) this.exprOf(field(p, "value"), scope);
    const ownerName = this.lambdaOwnerName;
    this.lambdaOwnerName = null;
    const run = () => {
      const fn = this.newScope("lambda", scope, ownerName ?? "<lambda>");
      for (const p of paramNodes) this.param(p, fn);
      this.exprOf(field(n, "body"), fn);
    };
    if (ownerName) this.withOwner(ownerName, "function", n, scope, run);
    else run();
  }

  private comprehension(n: SNode, scope: Scope): void {
    const body = field(n, "body");
    const clauses = named(n).filter((c) => c.field !== "body");
    const comp = this.newScope("comprehension", scope, n.type);
    let first = true;
    for (const c of clauses) {
      if (c.type === "for_in_clause") {
        for (const r of fields(c, "right")) this.expr(r, first ? scope : comp);
        for (const l of fields(c, "left")) this.target(l, comp);
        first = false;
      } else {
        for (const e of named(c)) this.expr(e, comp);
      }
    }
    if (body) this.expr(body, comp);
  }
}
