/**
 * The cell analysis model: what each code cell defines, reads, modifies, deletes and imports.
 * Plain data, serialisable to JSON. Produced by `analyzeNotebook` / `analyzeCell` (src/python/),
 * consumed by analysis/, graph/ and generate/.
 *
 * Positions: `line` is 1-based within the cell source, `column` is 1-based in UTF-16 code units
 * (JavaScript string indices + 1), always pointing at the user's real text (magics are masked
 * without shifting positions). `endLine`/`endColumn` point just after the last character (exclusive end), so a
 * one-character name at column 5 has endColumn 6.
 */
import type { StatementShape } from "./shape.js";

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type MagicKind =
  | "line-magic" // %matplotlib inline, %time x = f()
  | "cell-magic" // %%time, %%bash …
  | "shell" // !ls, files = !ls
  | "help"; // obj?, ??obj

export interface Magic {
  kind: MagicKind;
  /** Magic name without % or %%: "matplotlib", "time", "pip", "bash"; for shell lines the command word ("pip", "ls"). */
  name: string;
  /** Everything after the name on the line (or the whole shell command for `!`). */
  args: string;
  /** Name bound by an assignment form (`files = !ls`, `x = %env`), if any. */
  assignedTo?: string;
  span: Span;
  /** For cell magics: whether the body is Python that was analysed (%%time, %%capture) or not (%%bash …). */
  bodyIsPython?: boolean;
  /**
   * Python names IPython interpolates into a shell command or line magic with `{name}` / `{name.attr}` /
   * `{name[…]}` (`!pip install {pkg}`). Also listed in the cell's `indirectReads`. `$name` is not tracked
   * (indistinguishable from shell variables such as `$HOME`).
   */
  expands?: string[];
}

export type DiagnosticSeverity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable code, e.g. "syntax-error". */
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  span: Span;
}

export type Confidence = "certain" | "likely" | "possible";

/**
 * Which heuristic found a modification: "assignment" (`x[k] = …`, `x.a = …`, `x[k] += …`), "del" (`del x[k]`),
 * "inplace" (`x.m(inplace=True)`), "mutating-method" (`x.append(…)`), "fit" (`x.fit(…)`), "writes-argument"
 * (`np.random.shuffle(x)`), "out-argument" (`np.add(a, b, out=x)`), "general" (`x.m(…)` with its result
 * dropped), "alias" (a modification of an alias `X = x`).
 */
export type ModificationRule =
  | "assignment"
  | "del"
  | "inplace"
  | "mutating-method"
  | "fit"
  | "writes-argument"
  | "out-argument"
  | "general"
  | "alias";

export interface Modification {
  name: string;
  confidence: Confidence;
  /** Why we think it is modified: "subscript assignment", "inplace=True", ".fit() fits the estimator", … */
  reason: string;
  /** The heuristic that found it (see ModificationRule). */
  rule?: ModificationRule;
  span: Span;
  /** Set when the modification is through an alias: `X = df; X['a'] = 1` modifies `df` via `X`. */
  via?: string;
}

export interface ImportRecord {
  /** Module as written: "pandas", "sklearn.model_selection", ".local" for relative imports. */
  module: string;
  /** For `from m import a as b`: [{name: "a", alias: "b"}]; empty for `import m`. */
  names: { name: string; alias?: string }[];
  /** For `import m as alias`. */
  alias?: string;
  star: boolean;
  /** Top-level names this import binds. */
  binds: string[];
  span: Span;
}

export interface FunctionRecord {
  name: string;
  kind: "function" | "class";
  /** Global names the body reads when called (free variables resolved to module scope), sorted. */
  globalReads: string[];
  /** Globals the body assigns via `global x`. */
  globalWrites: string[];
  /** Notebook-level functions this function calls (for transitive reads). */
  calls: string[];
  span: Span;
}

/** A name read by the cell, with where it is first read. */
export interface NameRef {
  name: string;
  span: Span;
}

export interface CellAnalysis {
  /** Index of the cell in the notebook's cell list (all cells, not only code cells). */
  cellIndex: number;
  /** The cell id when the notebook has ids. */
  cellId?: string;
  /** Module-level names bound by the cell, in first-binding order. */
  defines: string[];
  /** Names read before (or without) being defined by the cell itself; excludes builtins and IPython names. */
  reads: NameRef[];
  modifies: Modification[];
  deletes: string[];
  imports: ImportRecord[];
  functions: FunctionRecord[];
  /** Names of notebook-defined functions the cell calls (resolution of which are notebook-defined is the graph's job: this lists every called bare name that is not a builtin). */
  calls: string[];
  /** Direct aliases created by the cell: `X = df` gives { X: "df" }. */
  aliases: Record<string, string>;
  magics: Magic[];
  diagnostics: Diagnostic[];
  /** True when the cell has a star import, `%run`, `exec`/`eval` or similar: its reads and defines are not fully knowable. */
  opaque: boolean;
  /** One record per top-level statement (for statement-level splitting in map/extract). */
  statements: StatementRecord[];
  /**
   * Global names read by anonymous lambdas the cell creates (`df.apply(lambda r: r * k)` reads `k`). Python only
   * reads them when the lambda is called — usually while the cell runs — so they are not in `reads` (which is
   * exact), but a consumer building dependencies should treat them as reads. Lambdas bound to a name
   * (`f = lambda: k`) get a FunctionRecord instead. Also the names a shell command or line magic interpolates
   * (`!pip install {pkg}`, see Magic.expands).
   */
  indirectReads: NameRef[];
}

/** "value": Jupyter displays the value of the cell's last bare expression; "call": a display-only call. */
export type DisplayKind = "value" | "call";

export interface StatementRecord {
  span: Span;
  /** Tree-sitter node type of the top-level statement: "expression_statement", "function_definition", … */
  type: string;
  defines: string[];
  reads: string[];
  modifies: string[];
  /**
   * The statement shows something to the person: the cell's last top-level statement when it is a bare expression
   * not followed by `;` (displayKind "value"), or a bare display-only call anywhere — `display(…)`, `print(…)`,
   * `pprint(…)`, `plt.show()`/`fig.show()`, `IPython.display.display(…)` (displayKind "call").
   */
  displays: boolean;
  displayKind?: DisplayKind;
  /**
   * Index into CellAnalysis.magics when the statement comes from IPython syntax: the `pass` a magic/shell/help
   * line was masked to, `files = !ls` (an assignment whose value is the magic), or the statement `%time` runs.
   */
  magic?: number;
  /** Calls, arguments and literals (python/shape.ts); only when asked for (`AnalyzeOptions.shapes`). */
  shape?: StatementShape;
}

export interface NotebookAnalysis {
  /** Python version used for builtins ("3.11"), from language_info or the newest supported. */
  pythonVersion: string;
  /** One record per code cell, in notebook order. */
  cells: CellAnalysis[];
}
