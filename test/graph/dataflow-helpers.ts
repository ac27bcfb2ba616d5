/** Hand-built cell analyses for graph tests: only the fields the graph looks at, the rest empty. */
import type {
  CellAnalysis,
  Confidence,
  FunctionRecord,
  NotebookAnalysis,
  Span,
} from "../../src/python/types.js";

export const span = (line = 1, column = 1): Span => ({ line, column, endLine: line, endColumn: column + 1 });

export interface CellSpec {
  /** Cell index in the notebook (defaults to the position in the list). */
  index?: number;
  defines?: string[];
  reads?: string[];
  /** [name, confidence] pairs; confidence defaults to "certain". */
  modifies?: (string | [string, Confidence])[];
  deletes?: string[];
  calls?: string[];
  functions?: { name: string; globalReads?: string[]; globalWrites?: string[]; calls?: string[] }[];
  opaque?: boolean;
  indirectReads?: string[];
}

export function cellOf(spec: CellSpec, position: number): CellAnalysis {
  const functions: FunctionRecord[] = (spec.functions ?? []).map((f) => ({
    name: f.name,
    kind: "function",
    globalReads: f.globalReads ?? [],
    globalWrites: f.globalWrites ?? [],
    calls: f.calls ?? [],
    span: span(),
  }));
  return {
    cellIndex: spec.index ?? position,
    defines: [...(spec.defines ?? []), ...functions.map((f) => f.name)],
    reads: (spec.reads ?? []).map((name, i) => ({ name, span: span(1, 1 + i * 4) })),
    modifies: (spec.modifies ?? []).map((m) => {
      const [name, confidence] = typeof m === "string" ? [m, "certain" as Confidence] : m;
      return { name, confidence, reason: "test", span: span() };
    }),
    deletes: spec.deletes ?? [],
    imports: [],
    functions,
    calls: spec.calls ?? [],
    aliases: {},
    magics: [],
    diagnostics: [],
    opaque: spec.opaque ?? false,
    statements: [],
    indirectReads: (spec.indirectReads ?? []).map((name) => ({ name, span: span(2) })),
  };
}

export function notebookOf(specs: CellSpec[]): NotebookAnalysis {
  return { pythonVersion: "3.11", cells: specs.map(cellOf) };
}
