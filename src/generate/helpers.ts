/**
 * Functions and classes the notebook defined: where each goes (the one step module that uses it, or
 * helpers.py when several steps do), and which globals it read — those become keyword-only parameters,
 * and every call passes them (transitively: a helper calling one that reads `RATE` takes `RATE` too).
 */
import type { FunctionRecord, NotebookAnalysis } from "../python/types.js";
import type { ExtractFinding } from "./model.js";

export interface HelperDef {
  name: string;
  kind: "function" | "class";
  cell: number;
  statement: number;
  record: FunctionRecord | undefined;
  /** Globals that become keyword-only parameters (data, not imports or other helpers). */
  params: string[];
  /** Other notebook helpers it calls or references. */
  uses: string[];
  globalWrites: string[];
}

const DEF_TYPES = new Set(["function_definition", "class_definition", "decorated_definition"]);

export function isDefinition(type: string): boolean {
  return DEF_TYPES.has(type);
}

export function isImport(type: string): boolean {
  return (
    type === "import_statement" || type === "import_from_statement" || type === "future_import_statement"
  );
}

/**
 * Index every top-level def/class (the last definition of a name wins, as in a notebook run top to
 * bottom) and decide the parameters each one gains.
 */
export function indexHelpers(
  analysis: NotebookAnalysis,
  importBound: Set<string>,
  findings: ExtractFinding[],
): Map<string, HelperDef> {
  const helpers = new Map<string, HelperDef>();
  for (const cell of analysis.cells) {
    cell.statements.forEach((st, i) => {
      if (!isDefinition(st.type)) return;
      const name = st.defines[0];
      if (!name) return;
      const record =
        cell.functions.find(
          (f) => f.name === name && f.span.line >= st.span.line && f.span.line <= st.span.endLine,
        ) ?? cell.functions.find((f) => f.name === name);
      helpers.set(name, {
        name,
        kind: record?.kind ?? (st.type === "class_definition" ? "class" : "function"),
        cell: cell.cellIndex,
        statement: i,
        record,
        params: [],
        uses: [],
        globalWrites: record?.globalWrites ?? [],
      });
    });
  }
  const names = new Set(helpers.keys());
  for (const h of helpers.values()) {
    const reads = h.record?.globalReads ?? [];
    h.uses = [...new Set([...(h.record?.calls ?? []), ...reads].filter((n) => names.has(n) && n !== h.name))];
    const data = reads.filter((n) => !importBound.has(n) && !names.has(n) && !h.globalWrites.includes(n));
    if (h.kind === "class") {
      if (data.length > 0) {
        findings.push({
          code: "class-reads-globals",
          severity: "warning",
          message: `class ${h.name} reads notebook globals (${data.join(", ")}); they must exist where the class is used — pass them to its constructor`,
          cell: h.cell,
          todo: true,
        });
      }
      continue;
    }
    h.params = data;
  }
  // Transitive: a helper that calls one needing `x` needs `x` too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const h of helpers.values()) {
      if (h.kind === "class") continue;
      for (const u of h.uses) {
        for (const p of helpers.get(u)?.params ?? []) {
          if (!h.params.includes(p)) {
            h.params.push(p);
            changed = true;
          }
        }
      }
    }
  }
  for (const h of helpers.values()) h.params.sort();
  return helpers;
}

/** The helpers a set of directly used helpers needs, transitively. */
export function helperClosure(direct: Iterable<string>, helpers: Map<string, HelperDef>): Set<string> {
  const out = new Set<string>();
  const stack = [...direct];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (out.has(n) || !helpers.has(n)) continue;
    out.add(n);
    stack.push(...helpers.get(n)!.uses);
  }
  return out;
}
