/**
 * `analyzeCell`: mask IPython syntax, parse, walk (scopes.ts), then replay the ordered events into the plain
 * `CellAnalysis` record.
 *
 * Definitions (the oracle, python/oracle.py, computes the same two from CPython's `ast` + `symtable`):
 * - defines: names bound in the module namespace by code that runs when the cell runs, in first-binding order —
 *   module-level assignments/imports/def/class/for/with/except/match targets, walrus (also inside
 *   comprehensions), names a class body declares `global` and binds. Not: `x: int` without a value,
 *   `del x`, a star import, names a *function* assigns via `global` (recorded on the function).
 * - reads: names evaluated when the cell runs (module level, class bodies, comprehensions, decorators, default
 *   values, annotations unless `from __future__ import annotations`) that resolve to the module namespace and
 *   are not bound by the cell earlier in evaluation order (flow-insensitive: a binding inside an earlier `if`,
 *   loop or `try` counts), minus builtins and IPython names. Bodies of functions and lambdas are not read when
 *   the cell runs: their global reads go to the function records (and, for anonymous lambdas, `indirectReads`).
 */
import { builtinNames, isAmbientName } from "./builtins.js";
import { maskIPython } from "./ipython.js";
import { RECEIVER_RULES } from "./modifications.js";
import type { SNode } from "./parser.js";
import { nodeSpan, parsePython } from "./parser.js";
import { type Event, type Scope, Walker } from "./scopes.js";
import { cellText, shapeOf } from "./shape.js";
import { collectDiagnostics, statementDisplay } from "./statements.js";
import type { CellAnalysis, FunctionRecord, Modification, NameRef, Span, StatementRecord } from "./types.js";

export interface AnalyzeOptions {
  /** "3.11" or "3.11.7"; decides which names are builtins. Default: the newest supported. */
  pythonVersion?: string;
  cellId?: string;
  /** Also give each statement its shape (calls, arguments, literals: shape.ts), for map/extract; check needs none. */
  shapes?: boolean;
}

/** Conventional module aliases: a method call on them is never a modification, even before their import. */
export const MODULE_ALIASES: ReadonlySet<string> = new Set([
  "np",
  "pd",
  "plt",
  "sns",
  "tf",
  "torch",
  "sp",
  "px",
  "go",
]);

/**
 * Python 2 `print x` / `exec code` parse without ERROR nodes in tree-sitter: look for them only when the copy saw
 * one (the fast copy records it) or, for the portable copy, when the words occur.
 */
const PY2_STATEMENT = /\b(?:print|exec)\b/u;

export function spanOf(n: SNode): Span {
  return nodeSpan(n);
}

type Resolution = "module" | "local";

/** Resolve a name used in a deferred (function) scope, with complete binding sets. */
function resolveDeferred(name: string, scope: Scope): Resolution {
  if (scope.globals.has(name)) return "module";
  if (scope.kind === "module") return "module";
  if (scope.locals.has(name) || scope.nonlocals.has(name)) return "local";
  if (name === "__class__" && hasClassAncestor(scope)) return "local";
  for (let p = scope.parent; p; p = p.parent) {
    if (p.kind === "module") return "module";
    if (p.kind === "class") continue;
    if (p.globals.has(name)) return "module";
    if (p.locals.has(name) || p.nonlocals.has(name)) return "local";
  }
  return "module";
}

function hasClassAncestor(scope: Scope): boolean {
  for (let p = scope.parent; p; p = p.parent) if (p.kind === "class") return true;
  return false;
}

/** Where a binding made in `scope` lands, for immediate scopes: the module, or a class/comprehension. */
function bindTarget(name: string, scope: Scope): "module" | "local" {
  if (scope.kind === "module") return "module";
  if (scope.globals.has(name)) return "module";
  return "local";
}

/** What the replay of a cell's immediate events (code that runs when the cell runs) finds. */
interface Replay {
  defines: string[];
  defined: Set<string>;
  reads: NameRef[];
  deletes: string[];
  calls: string[];
  aliases: Record<string, string>;
  /** The same aliases, as the Map they were collected in. */
  aliasMap: Map<string, string>;
  stmtDefines: string[][];
  stmtReads: string[][];
  modifyEvents: Extract<Event, { t: "modify" }>[];
}

export function analyzeCell(source: string, cellIndex: number, options: AnalyzeOptions = {}): CellAnalysis {
  const builtins = builtinNames(options.pythonVersion);
  const masked = maskIPython(source);
  const tree = parsePython(masked.masked);
  const walker = new Walker(masked.masked, spanOf);
  const topLevel = tree.children.filter((c) => c.named && c.type !== "comment");
  topLevel.forEach((stmt, i) => {
    walker.stmt = i;
    walker.statement(stmt, walker.module);
  });

  const replay = replayImmediate(walker, topLevel.length, builtins);
  const { defined } = replay;
  // The value of the cell's last bare expression is displayed, not dropped: no general-rule guess there.
  const lastIndex = topLevel.length - 1;
  const lastDisplay =
    lastIndex >= 0 ? statementDisplay(topLevel[lastIndex]!, tree, true, masked.masked) : undefined;
  const lastDisplays = lastDisplay === "value";
  /** Per statement, the names it modifies (a set only for statements that modify something). */
  const stmtModifies: (Set<string> | undefined)[] = new Array(topLevel.length);
  const modifies = cellModifications(walker, replay, builtins, lastDisplays ? lastIndex : -1, stmtModifies);

  const functions = functionRecords(walker, builtins);
  const indirectReads = lambdaReads(walker, builtins);
  for (const m of masked.magics) {
    for (const name of m.expands ?? []) {
      if (
        !defined.has(name) &&
        !indirectReads.some((r) => r.name === name) &&
        !isAmbientName(name, builtins)
      ) {
        indirectReads.push({ name, span: m.span });
      }
    }
  }

  const statements: StatementRecord[] = topLevel.map((n, i) => {
    const rec: StatementRecord = {
      span: spanOf(n),
      type: n.type,
      defines: replay.stmtDefines[i]!,
      reads: replay.stmtReads[i]!,
      modifies: stmtModifies[i] === undefined ? [] : [...stmtModifies[i]!],
      displays: false,
    };
    const display = i === lastIndex ? lastDisplay : statementDisplay(n, tree, false, masked.masked);
    if (display) {
      rec.displays = true;
      rec.displayKind = display;
    }
    const magic = masked.magicRows.get(n.sr);
    if (magic !== undefined) rec.magic = magic;
    return rec;
  });

  if (options.shapes) {
    const text = cellText(masked.masked, source, masked.magics.length > 0);
    for (let i = 0; i < statements.length; i++) statements[i]!.shape = shapeOf(topLevel[i]!, text);
  }

  const analysis: CellAnalysis = {
    cellIndex,
    defines: replay.defines,
    reads: replay.reads,
    modifies,
    deletes: replay.deletes,
    imports: walker.imports,
    functions,
    calls: replay.calls,
    aliases: replay.aliases,
    magics: masked.magics,
    diagnostics:
      tree.hasError || (tree.hasPy2Statement ?? PY2_STATEMENT.test(masked.masked))
        ? [...masked.diagnostics, ...collectDiagnostics(tree, masked.masked)]
        : masked.diagnostics,
    opaque:
      walker.starImport ||
      walker.dynamic ||
      masked.magics.some((m) => m.kind === "line-magic" && m.name === "run"),
    statements,
    indirectReads,
  };
  if (options.cellId !== undefined) analysis.cellId = options.cellId;
  return analysis;
}

/** Replay the events of code that runs when the cell runs, in evaluation order. */
function replayImmediate(walker: Walker, statementCount: number, builtins: ReadonlySet<string>): Replay {
  const defines: string[] = [];
  const defined = new Set<string>();
  const reads: NameRef[] = [];
  const readSet = new Set<string>();
  const deletes: string[] = [];
  const calls: string[] = [];
  /** Kept in a Map while replaying (bindings end aliases far more often than cells make them). */
  const aliasMap = new Map<string, string>();
  // Per statement (plain loops: Array.from with a mapping function is slow, and most statements bind nothing).
  const stmtDefines: string[][] = [];
  const stmtReads: string[][] = [];
  for (let k = 0; k < statementCount; k++) {
    stmtDefines.push([]);
    stmtReads.push([]);
  }
  /** Names bound so far by each statement, created on its first binding. */
  const stmtBound: (Set<string> | undefined)[] = new Array(statementCount);
  const classBound = new Map<Scope, Set<string>>();
  /** Immediate resolution: which namespace a use in `scope` reads at this point of the replay. */
  const resolveImmediate = (name: string, scope: Scope): Resolution => {
    let s: Scope | null = scope;
    if (s.kind === "class") {
      if (s.globals.has(name)) return "module";
      return classBound.get(s)?.has(name) ? "local" : "module";
    }
    while (s && s.kind !== "module") {
      if (s.kind === "comprehension" || s.kind === "annotation") {
        if (s.locals.has(name)) return "local";
      } else if (s.kind === "class") {
        // Names of a class body are not visible to comprehensions nested in it.
      } else if (s.locals.has(name) || s.nonlocals.has(name)) return "local";
      s = s.parent;
    }
    return "module";
  };

  const moduleBind = (name: string, stmt: number) => {
    if (!defined.has(name)) {
      defined.add(name);
      defines.push(name);
    }
    if (stmt < 0 || stmt >= statementCount) return;
    let sb = stmtBound[stmt];
    if (!sb) {
      sb = new Set<string>();
      stmtBound[stmt] = sb;
    }
    if (!sb.has(name)) {
      sb.add(name);
      stmtDefines[stmt]!.push(name);
    }
  };

  const modifyEvents: Extract<Event, { t: "modify" }>[] = [];
  for (const e of walker.events) {
    if (!e.scope.immediate) continue;
    switch (e.t) {
      case "use": {
        if (resolveImmediate(e.name, e.scope) !== "module") break;
        if (isAmbientName(e.name, builtins)) break;
        if (!defined.has(e.name) && !readSet.has(e.name)) {
          readSet.add(e.name);
          reads.push({ name: e.name, span: spanOf(e.node) });
        }
        if (e.stmt >= 0 && e.stmt < statementCount && !stmtBound[e.stmt]?.has(e.name)) {
          const sr = stmtReads[e.stmt]!;
          if (!sr.includes(e.name)) sr.push(e.name);
        }
        break;
      }
      case "bind":
        if (bindTarget(e.name, e.scope) === "module") {
          moduleBind(e.name, e.stmt);
          aliasMap.delete(e.name);
        } else if (e.scope.kind === "class") {
          const set = classBound.get(e.scope) ?? new Set<string>();
          classBound.set(e.scope, set);
          set.add(e.name);
        }
        break;
      case "del":
        if (bindTarget(e.name, e.scope) === "module" && !deletes.includes(e.name)) deletes.push(e.name);
        break;
      case "call":
        if (
          resolveImmediate(e.name, e.scope) === "module" &&
          !builtins.has(e.name) &&
          !calls.includes(e.name)
        ) {
          calls.push(e.name);
        }
        break;
      case "modify":
        if (resolveImmediate(e.name, e.scope) === "module") modifyEvents.push(e);
        break;
      case "alias":
        if (e.scope.kind === "module") aliasMap.set(e.name, e.target);
        break;
    }
  }

  // The same record as assigning and deleting on it directly: identifiers are never integer-like keys, so the
  // properties keep the Map's insertion order.
  const aliases: Record<string, string> = {};
  for (const [name, target] of aliasMap) aliases[name] = target;
  return { defines, defined, reads, deletes, calls, aliases, aliasMap, stmtDefines, stmtReads, modifyEvents };
}

/** The cell's modifications from the replayed modify events (and through the cell's own aliases). */
function cellModifications(
  walker: Walker,
  replay: Replay,
  builtins: ReadonlySet<string>,
  displayedStatement: number,
  stmtModifies: (Set<string> | undefined)[],
): Modification[] {
  const modified = (stmt: number, name: string) => {
    if (stmt < 0 || stmt >= stmtModifies.length) return;
    let set = stmtModifies[stmt];
    if (set === undefined) {
      set = new Set<string>();
      stmtModifies[stmt] = set;
    }
    set.add(name);
  };
  const modifies: Modification[] = [];
  const { aliasMap } = replay;
  for (const e of replay.modifyEvents) {
    if (e.rule === "general" && e.stmt === displayedStatement) continue;
    if (RECEIVER_RULES.has(e.rule) && (walker.importBound.has(e.name) || MODULE_ALIASES.has(e.name)))
      continue;
    if (isAmbientName(e.name, builtins)) continue;
    const mod: Modification = {
      name: e.name,
      confidence: e.confidence,
      reason: e.reason,
      rule: e.rule,
      span: spanOf(e.node),
    };
    modifies.push(mod);
    modified(e.stmt, e.name);
    // As `Object.hasOwn(aliases, name) ? aliases[name] : undefined` on the record (which cannot hold `__proto__`).
    const target = e.name === "__proto__" ? undefined : aliasMap.get(e.name);
    if (target && target !== e.name) {
      modifies.push({
        ...mod,
        name: target,
        confidence: "possible",
        reason: `${e.reason} (via alias ${e.name})`,
        rule: "alias",
        via: e.name,
      });
      modified(e.stmt, target);
    }
  }
  return modifies;
}

function functionRecords(walker: Walker, builtins: ReadonlySet<string>): FunctionRecord[] {
  const records: FunctionRecord[] = [];
  if (walker.owners.length === 0) return records;
  const byScope = new Map<Scope, (typeof walker.owners)[number]>();
  for (const o of walker.owners) for (const s of o.scopes) byScope.set(s, o);
  const reads = new Map<(typeof walker.owners)[number], Set<string>>();
  const writes = new Map<(typeof walker.owners)[number], Set<string>>();
  const callsOf = new Map<(typeof walker.owners)[number], Set<string>>();
  for (const o of walker.owners) {
    reads.set(o, new Set());
    writes.set(o, new Set());
    callsOf.set(o, new Set());
  }
  for (const e of walker.events) {
    if (e.scope.immediate) continue;
    const owner = byScope.get(e.scope);
    if (!owner) continue;
    if (e.t === "use" && resolveDeferred(e.name, e.scope) === "module" && !isAmbientName(e.name, builtins)) {
      reads.get(owner)!.add(e.name);
    } else if ((e.t === "bind" || e.t === "del") && e.scope.globals.has(e.name)) {
      writes.get(owner)!.add(e.name);
    } else if (e.t === "call" && resolveDeferred(e.name, e.scope) === "module" && !builtins.has(e.name)) {
      callsOf.get(owner)!.add(e.name);
    }
  }
  for (const o of walker.owners) {
    if (o.name === "<lambda>") continue;
    records.push({
      name: o.name,
      kind: o.kind,
      globalReads: [...reads.get(o)!].sort(),
      globalWrites: [...writes.get(o)!].sort(),
      calls: [...callsOf.get(o)!].sort(),
      span: spanOf(o.node),
    });
  }
  return records;
}

/** Global reads of anonymous lambdas created while the cell runs (`df.apply(lambda r: r * k)`). */
function lambdaReads(walker: Walker, builtins: ReadonlySet<string>): NameRef[] {
  const out: NameRef[] = [];
  const seen = new Set<string>();
  for (const e of walker.events) {
    if (e.t !== "use" || e.scope.immediate || e.scope.owner !== null) continue;
    if (resolveDeferred(e.name, e.scope) !== "module" || isAmbientName(e.name, builtins)) continue;
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    out.push({ name: e.name, span: spanOf(e.node) });
  }
  return out;
}
