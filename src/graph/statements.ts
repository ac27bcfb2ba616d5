/**
 * Statement-level facts the step builder works on: the text of every top-level statement of every code
 * cell, its calls, and what kind of statement it is (import, definition, display, result, …).
 *
 * The analyzer's StatementRecord gives names (defines/reads/modifies) and, when asked, the shape of the code
 * (calls, arguments, literals: python/shape.ts); this file classifies statements from them.
 * Everything here is computed from the saved notebook text; nothing is run.
 */
import type { Cell } from "../notebook/types.js";
import { rowOf } from "../python/parser.js";
import { type CallShape, cellShapes, type ExpressionShape, type StatementShape } from "../python/shape.js";
import type {
  CellAnalysis,
  FunctionRecord,
  NotebookAnalysis,
  Span,
  StatementRecord,
} from "../python/types.js";
import { type CallSite, type Token, tokenize } from "./pytokens.js";
import type { StatementRef } from "./types.js";

export type StatementKind =
  | "import"
  | "definition" // def / class (helpers)
  | "display" // shows something and changes nothing that matters
  | "result" // writes a file, computes or prints a metric, predicts
  | "compute"
  | "magic"; // an IPython line kept with the statements around it (`%%time`, `!pip install`)

export type ResultKind = "write" | "metric" | "predict";

export interface StatementInfo {
  ref: StatementRef;
  /** Position in notebook order over all statements (cell order, then statement order). */
  pos: number;
  record: StatementRecord;
  text: string;
  /** Offset of the statement text in the cell source. */
  offset: number;
  /** Calls, arguments and literals (empty for a definition: its body runs when called). */
  shape: StatementShape;
  /** `shape.calls`. */
  calls: CallShape[];
  /** The statement's tokens, made on first use (for reports.ts; everything else reads `shape`). */
  readonly tokens: Token[];
  kind: StatementKind;
  /** The statement stands for an IPython line (magic, shell, help). */
  magic?: boolean;
  result?: ResultKind;
  /** Names bound: the record's, plus the `global` writes of the notebook functions the statement calls. */
  defines: string[];
  /** Reads plus the global reads of the notebook functions the statement calls (transitively). */
  effectiveReads: string[];
  /** Names modified in place, as confirmed by the notebook-level analysis (CellAnalysis.modifies). */
  modifies: string[];
  /** Modifications the analyzer is at least "likely" about. */
  strongModifies: string[];
  /** The notebook functions/classes the statement calls or references. */
  helpersUsed: string[];
}

/** Offsets of line starts in a source string (\n, \r\n and lone \r all end a line). */
export function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\n") starts.push(i + 1);
    else if (c === "\r" && src[i + 1] !== "\n") starts.push(i + 1);
  }
  return starts;
}

export function offsetOf(starts: number[], line: number, column: number): number {
  return (starts[line - 1] ?? starts[starts.length - 1] ?? 0) + column - 1;
}

/** The span of `[from, to)` offsets of a cell source. */
export function spanOf(starts: number[], from: number, to: number): Span {
  const locate = (off: number) => {
    const row = rowOf(starts, off);
    return { line: row + 1, column: off - starts[row]! + 1 };
  };
  const a = locate(from);
  const b = locate(to);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function within(inner: Span, outer: Span): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return (
    before(outer.line, outer.column, inner.line, inner.column) &&
    before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn)
  );
}

// Calls whose effect is to show something.
const SHOW_CALLS = new Set(["print", "display", "pprint", "show", "imshow", "HTML", "Markdown", "Image"]);
// Plotting/summary modules: any call on them only draws or shows.
const SHOW_MODULES = new Set([
  "plt",
  "sns",
  "px",
  "go",
  "pyplot",
  "seaborn",
  "plotting",
  "ff",
  "alt",
  "msno",
]);
// Methods that only look at data (pandas, numpy, matplotlib axes) or draw it.
export const LOOK_METHODS = new Set([
  "head",
  "tail",
  "describe",
  "info",
  "plot",
  "hist",
  "boxplot",
  "scatter",
  "bar",
  "barh",
  "pie",
  "value_counts",
  "nunique",
  "unique",
  "isnull",
  "isna",
  "notnull",
  "notna",
  "sum",
  "mean",
  "median",
  "std",
  "min",
  "max",
  "count",
  "corr",
  "cov",
  "sample",
  "show",
  "set_title",
  "set_xlabel",
  "set_ylabel",
  "set_xlim",
  "set_ylim",
  "legend",
  "grid",
  "imshow",
  "heatmap",
  "title",
  "xlabel",
  "ylabel",
  "tight_layout",
  "subplots_adjust",
  "axis",
  "text",
  "annotate",
  "colorbar",
  "memory_usage",
  "dtypes",
  "shape",
  "to_string",
  "summary",
  "style",
  "get_params",
  "keys",
  "items",
  "values",
  "round",
  "nlargest",
  "nsmallest",
  "sort_values",
  "sort_index",
  "groupby",
  "agg",
  "aggregate",
  "crosstab",
  "pivot_table",
  "format",
  "figure",
  "subplot",
  "subplots",
  "suptitle",
  "xticks",
  "yticks",
  "savefig",
]);

const WRITE_METHODS = new Set([
  "to_csv",
  "to_parquet",
  "to_pickle",
  "to_excel",
  "to_feather",
  "to_hdf",
  "to_sql",
  "to_stata",
  "to_latex",
  "savefig",
  "savetxt",
  "savez",
  "savez_compressed",
  "imwrite",
  "imsave",
  "write_csv",
  "write_parquet",
  "save_model",
  "export_graphviz",
]);
// `dump`/`save` are writes only on a module/object known to persist (joblib.dump, pickle.dump, np.save, model.save).
const DUMP_METHODS = new Set(["dump", "save", "write", "to_json"]);

const METRIC_CALLS = new Set([
  "classification_report",
  "confusion_matrix",
  "cross_val_score",
  "cross_validate",
  "cross_val_predict",
  "score",
  "evaluate",
  "roc_curve",
  "precision_recall_curve",
  "auc",
  "silhouette_score",
]);
const METRIC_SUFFIX = /(?:_score|_error|_loss|_deviance)$/;
const PREDICT_CALLS = new Set(["predict", "predict_proba", "predict_log_proba", "decision_function"]);

/** `CallSite`: reports.ts still builds call records of the token era. */
export function isMetricCall(c: Pick<CallShape, "name"> | CallSite): boolean {
  return METRIC_CALLS.has(c.name) || METRIC_SUFFIX.test(c.name);
}

export function isPredictCall(c: CallShape): boolean {
  return PREDICT_CALLS.has(c.name) && c.receiver.length > 0;
}

/** `s`: the statement's shape, and its text and offset (for the text of a mode argument). */
export function isWriteCall(c: CallShape, s: Pick<StatementInfo, "shape" | "text" | "offset">): boolean {
  if (WRITE_METHODS.has(c.name) && c.receiver.length > 0) {
    // savefig/to_csv with no argument shows or returns a string instead of writing a file.
    return c.hasArguments;
  }
  if (DUMP_METHODS.has(c.name) && c.receiver.length > 0) {
    if (c.name === "to_json") return c.positional.length > 0;
    return true;
  }
  if (c.name === "open" && c.receiver.length === 0) {
    // open(path, "w"/"a"/"x"/"wb") writes; open(path) reads.
    const writeMode = (a: ExpressionShape) =>
      a.token &&
      /^[rbuRBU]*['"][rbt+]*[wax][bt+]*['"]$/.test(s.text.slice(a.start - s.offset, a.end - s.offset));
    return c.positional.some(writeMode) || c.keywords.some(writeMode);
  }
  if ((c.name === "save" || c.name === "dump") && c.receiver.length === 0) return true;
  return false;
}

// Builtins that only compute a value to look at when they stand alone in a statement.
const LOOK_BUILTINS = new Set([
  "len",
  "type",
  "sorted",
  "list",
  "set",
  "dict",
  "tuple",
  "str",
  "repr",
  "round",
  "sum",
  "min",
  "max",
  "abs",
  "any",
  "all",
  "isinstance",
  "hasattr",
  "id",
  "dir",
  "vars",
  "help",
  "zip",
  "range",
  "enumerate",
]);

function isShowCall(c: CallShape): boolean {
  if (SHOW_CALLS.has(c.name) && c.receiver.length <= 1) return true;
  if (c.receiver.length === 0 && LOOK_BUILTINS.has(c.name)) return true;
  if (c.receiver.length > 0 && SHOW_MODULES.has(c.receiver[0]!)) return c.name !== "savefig";
  return c.receiver.length > 0 && LOOK_METHODS.has(c.name);
}

const STRUCTURAL = /^(?:function_definition|class_definition|decorated_definition)$/;
const IMPORTS = /^(?:import_statement|import_from_statement|future_import_statement)$/;

// Line magics that only configure the interactive session (display, reloading): exploration.
const SESSION_MAGICS = new Set([
  "matplotlib",
  "config",
  "load_ext",
  "reload_ext",
  "autoreload",
  "aimport",
  "pylab",
  "precision",
  "pprint",
  "who",
  "whos",
  "who_ls",
  "pwd",
  "ls",
  "lsmagic",
  "history",
  "timeit",
  "time",
  "xmode",
  "env",
  "pinfo",
  "pinfo2",
  "pdef",
  "pdoc",
  "psource",
  "reset",
  "notebook",
  "qtconsole",
]);

/** The kind of a statement that stands for an IPython line (policy table in docs/product). */
function classifyMagic(ca: CellAnalysis, rec: StatementRecord): StatementKind | undefined {
  if (rec.magic === undefined || rec.type !== "pass_statement") return undefined;
  const m = ca.magics[rec.magic];
  if (!m) return "magic";
  // %%bash, %%writefile, %%sql…: not Python; reported and kept out of the steps (product policy).
  if (m.kind === "cell-magic" && m.bodyIsPython === false) return "display";
  if (m.kind === "help") return "display";
  if (m.kind === "line-magic" && SESSION_MAGICS.has(m.name)) return "display";
  if (m.kind === "shell" && !["pip", "conda", "mamba", "uv", "apt", "apt-get"].includes(m.name))
    return "compute";
  if (m.kind === "line-magic" && (m.name === "run" || m.name === "store" || m.name === "sql"))
    return "compute";
  return "magic";
}

function classify(
  rec: StatementRecord,
  s: Pick<StatementInfo, "shape" | "text" | "offset">,
  strongModifies: string[],
): { kind: StatementKind; result?: ResultKind } {
  const shape = s.shape;
  const calls = shape.calls;
  if (IMPORTS.test(rec.type)) return { kind: "import" };
  if (STRUCTURAL.test(rec.type)) return { kind: "definition" };
  if (calls.some((c) => isWriteCall(c, s))) return { kind: "result", result: "write" };
  // A metric over predictions (`mse = mean_squared_error(y, model.predict(X))`) is an evaluation.
  if (calls.some(isMetricCall)) return { kind: "result", result: "metric" };
  if (calls.some(isPredictCall)) return { kind: "result", result: "predict" };
  const assigns = shape.assigns;
  const simple = rec.type === "expression_statement" || rec.type === "for_statement";
  // Loop targets (`for c in cols: print(c)`) may be defined by a display loop; findExploration checks their users.
  const definesOnlyLoopTargets = rec.defines.length === 0 || rec.type === "for_statement";
  if (simple && !assigns && strongModifies.length === 0 && definesOnlyLoopTargets) {
    // A bare expression (`df`, `df.shape`, `df["a"]`) or calls that all only show or look. A bare call to
    // anything else (`np.random.seed(0)`, `os.makedirs(…)`, `train(model)`) acts, even when Jupyter shows its value.
    const top = outermostCalls(calls);
    if (rec.type === "expression_statement" && calls.length === 0) return { kind: "display" };
    if (top.length > 0 && top.every(isShowCall)) return { kind: "display" };
    if (rec.type === "for_statement" && calls.length > 0 && calls.every((c) => isShowCall(c) || isLook(c)))
      return { kind: "display" };
  }
  return { kind: "compute" };
}

/** The calls not inside another call's parentheses (`calls` are in the order of their `(`). */
function outermostCalls(calls: CallShape[]): CallShape[] {
  const top: CallShape[] = [];
  /** Ends of the argument lists still open at the current call. */
  const open: number[] = [];
  for (const c of calls) {
    while (open.length > 0 && open[open.length - 1]! <= c.args.start) open.pop();
    if (open.length === 0) top.push(c);
    open.push(c.args.end);
  }
  return top;
}

function isLook(c: CallShape): boolean {
  return (
    c.receiver.length === 0 && ["len", "range", "enumerate", "zip", "str", "round", "sorted"].includes(c.name)
  );
}

/** Index functions/classes by name: the definitions in notebook order. */
function functionIndex(analysis: NotebookAnalysis): Map<string, FunctionRecord[]> {
  const byName = new Map<string, FunctionRecord[]>();
  for (const cell of analysis.cells)
    for (const fn of cell.functions) {
      const list = byName.get(fn.name) ?? [];
      list.push(fn);
      byName.set(fn.name, list);
    }
  return byName;
}

/** The notebook functions reachable from `names` through calls (each once), and the globals they read. */
export function helperClosure(
  names: string[],
  fns: Map<string, FunctionRecord[]>,
): { helpers: string[]; globals: string[]; globalWrites: string[] } {
  const helpers: string[] = [];
  const globals = new Set<string>();
  const writes = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const defs = fns.get(name);
    if (!defs) return;
    helpers.push(name);
    for (const fn of defs) {
      for (const g of fn.globalReads) globals.add(g);
      for (const g of fn.globalWrites) writes.add(g);
      for (const c of fn.calls) visit(c);
      // A class's methods read globals through the class body's record; names used as types count too.
      for (const g of fn.globalReads) if (fns.has(g)) visit(g);
    }
  };
  for (const n of names) visit(n);
  return { helpers, globals: [...globals], globalWrites: [...writes] };
}

/**
 * A figure saved to a file needs the drawing before it: plot statements of the same cell above a `savefig`
 * (or a call to a notebook helper that calls savefig) are part of that result, not exploration.
 */
function attachDrawingsToSavedFigures(out: StatementInfo[]): void {
  const savers = new Set<string>();
  for (const s of out)
    if (s.kind === "definition" && /\.savefig\s*\(/.test(s.text)) savers.add(s.record.defines[0]!);
  const savesFigure = (s: StatementInfo) =>
    (s.kind === "result" && s.result === "write" && s.calls.some((c) => c.name === "savefig")) ||
    s.calls.some((c) => c.receiver.length === 0 && savers.has(c.name));
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!;
    if (!savesFigure(s)) continue;
    if (s.kind !== "result") {
      s.kind = "result";
      s.result = "write";
    }
    for (let j = i - 1; j >= 0; j--) {
      const d = out[j]!;
      if (d.ref.cell !== s.ref.cell || savesFigure(d) || d.calls.some((c) => c.name === "show")) break;
      if (d.kind === "display" && d.calls.length > 0) {
        d.kind = "result";
        d.result = "write";
      }
    }
  }
}

/** StatementInfo with its tokens made on first use (a getter per object literal made every statement slow). */
class Statement implements StatementInfo {
  declare result?: ResultKind;
  declare magic?: boolean;
  readonly calls: CallShape[];
  private tokenCache: Token[] | undefined;
  constructor(
    public ref: StatementRef,
    public pos: number,
    public record: StatementRecord,
    public text: string,
    public offset: number,
    public shape: StatementShape,
    public kind: StatementKind,
    public effectiveReads: string[],
    public defines: string[],
    public modifies: string[],
    public strongModifies: string[],
    public helpersUsed: string[],
  ) {
    this.calls = shape.calls;
  }

  get tokens(): Token[] {
    // A helper's body is the helper's business (its reads are in FunctionRecord).
    this.tokenCache ??= STRUCTURAL.test(this.record.type) ? [] : tokenize(this.text);
    return this.tokenCache;
  }
}

const EMPTY_SHAPE: StatementShape = {
  calls: [],
  assigns: false,
  compares: false,
  hasLiteral: false,
};

/** Build the statement list of a notebook, in notebook order. */
export function collectStatements(cells: Cell[], analysis: NotebookAnalysis): StatementInfo[] {
  const fns = functionIndex(analysis);
  const importBound = new Set(analysis.cells.flatMap((c) => c.imports.flatMap((i) => i.binds)));
  const out: StatementInfo[] = [];
  for (const ca of analysis.cells) {
    const cell = cells[ca.cellIndex];
    const source = cell?.source ?? "";
    const starts = lineStarts(source);
    // An analysis made without `shapes` (analyzeNotebook(nb, { shapes: true })): parse the cell once more.
    const parsed = ca.statements.some((r) => r.shape === undefined) ? cellShapes(source) : undefined;
    ca.statements.forEach((rec, i) => {
      const from = offsetOf(starts, rec.span.line, rec.span.column);
      const to = offsetOf(starts, rec.span.endLine, rec.span.endColumn);
      const text = source.slice(from, Math.max(from, to));
      const shape = rec.shape ?? parsed?.[i] ?? EMPTY_SHAPE;
      const { modifies, strongModifies } = confirmedMods(ca, rec);
      const magicKind = classifyMagic(ca, rec);
      const { kind, result } = magicKind
        ? { kind: magicKind }
        : classify(rec, { shape, text, offset: from }, strongModifies);
      const referenced = rec.reads.filter((r) => fns.has(r));
      const { helpers, globals, globalWrites } = helperClosure(referenced, fns);
      const ownDefs = new Set(rec.defines);
      // A function's own body reads are the function's, not the defining statement's.
      const eff = new Set(rec.reads);
      // Lambdas run while the statement runs: their global reads are the statement's (CellAnalysis.indirectReads).
      for (const r of ca.indirectReads ?? []) if (within(r.span, rec.span)) eff.add(r.name);
      if (kind !== "definition") for (const g of globals) if (!ownDefs.has(g)) eff.add(g);
      // A function's body needs its imports where the function is written (not its data globals, which are
      // inputs of the steps that call it).
      if (kind === "definition")
        for (const fn of ca.functions)
          if (within(fn.span, rec.span)) for (const g of fn.globalReads) if (importBound.has(g)) eff.add(g);
      const info = new Statement(
        { cell: ca.cellIndex, statement: i },
        out.length,
        rec,
        text,
        from,
        shape,
        kind,
        [...eff],
        // A call to a function with `global x` binds x where it is called.
        kind === "definition" ? [...rec.defines] : [...new Set([...rec.defines, ...globalWrites])],
        modifies,
        strongModifies,
        helpers,
      );
      if (result) info.result = result;
      if (rec.magic !== undefined && rec.type === "pass_statement") info.magic = true;
      out.push(info);
    });
  }
  attachDrawingsToSavedFigures(out);
  return out;
}

/**
 * The statement's modifications that the notebook-level analysis keeps (it drops `plt.plot(…)`-style "possible"
 * modifications of imported modules), and those it rates "likely" or "certain".
 */
function confirmedMods(
  ca: CellAnalysis,
  rec: StatementRecord,
): { modifies: string[]; strongModifies: string[] } {
  if (rec.modifies.length === 0) return { modifies: [], strongModifies: [] };
  const inStmt = ca.modifies.filter((m) => within(m.span, rec.span));
  const about = (name: string) => inStmt.filter((m) => m.name === name || m.via === name);
  const modifies = rec.modifies.filter((name) => about(name).length > 0);
  const strongModifies = modifies.filter((name) => about(name).some((m) => m.confidence !== "possible"));
  return { modifies, strongModifies };
}
