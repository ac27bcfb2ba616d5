/**
 * Code quality that blocks production: imports in the middle of the notebook, unused definitions, names that
 * shadow builtins, and cells that only show something.
 */
import type { ImportRecord, Span } from "../../python/types.js";
import type { CheckContext, CodeCellInfo } from "../context.js";
import { cellLabel } from "../context.js";
import { spanOf } from "../source.js";

const IMPORT_TYPES = new Set(["import_statement", "import_from_statement", "future_import_statement"]);

/** Builtins whose shadowing breaks later code (the callables and types people actually call). */
export const SHADOWABLE_BUILTINS = new Set(
  (
    "abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict " +
    "dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input " +
    "int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow print " +
    "property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip"
  ).split(" "),
);

/** Patterns above an import that make moving it to the top unsafe (they change what an import finds). */
const IMPORT_ENVIRONMENT_RE = /\bsys\.path\b|\bos\.chdir\b|\bsite\.|\bimportlib\b|\bos\.environ\b/;
const IMPORT_MAGIC_RE =
  /^(?:%cd\b|%run\b|%load_ext\b|[!%]\s*(?:(?:python[\d.]*)\s+-m\s+)?(?:pip3?|conda|mamba)\s)/;

export function offsetOf(info: CodeCellInfo, line: number, column: number): number {
  return (info.scanned.lineStarts[line - 1] ?? info.scanned.source.length) + column - 1;
}

/** The span of the first word-boundary occurrence of `name` in code (not strings/comments) within a span. */
export function nameSpan(info: CodeCellInfo, name: string, within?: Span): Span | undefined {
  const start = within ? offsetOf(info, within.line, within.column) : 0;
  const end = within ? offsetOf(info, within.endLine, within.endColumn) : info.scanned.code.length;
  const re = new RegExp(`(?<![\\w.])${name.replace(/[^\w]/g, "")}(?!\\w)`, "g");
  re.lastIndex = start;
  const m = re.exec(info.scanned.code);
  if (!m || m.index >= Math.max(end, start + 1)) return undefined;
  return spanOf(info.scanned, m.index, m.index + name.length);
}

/** Where a cell binds a name: the first statement that defines it, narrowed to the name when found. */
export function definitionSpan(info: CodeCellInfo, name: string): Span | undefined {
  const stmt = info.analysis?.statements.find((s) => s.defines.includes(name));
  return nameSpan(info, name, stmt?.span) ?? stmt?.span ?? nameSpan(info, name);
}

function isTopLevelImport(info: CodeCellInfo, imp: ImportRecord): boolean {
  const stmts = info.analysis?.statements ?? [];
  const stmt = stmts.find((s) => s.span.line === imp.span.line && s.span.column === imp.span.column);
  return stmt !== undefined && IMPORT_TYPES.has(stmt.type);
}

/**
 * Line `line` (1-based) of the cell's source or of its blanked code (same line breaks), as `text.split("\n")` gives
 * it ("" past the end), without splitting the whole cell.
 */
function lineOf(info: CodeCellInfo, text: string, line: number): string {
  const starts = info.scanned.lineStarts;
  if (!(line >= 1 && line <= starts.length)) return "";
  return text.slice(starts[line - 1], line < starts.length ? starts[line]! - 1 : text.length);
}

/** Whether the import statement has its lines to itself (so it can be cut out whole). */
export function importOwnsLines(info: CodeCellInfo, imp: ImportRecord): boolean {
  const first = lineOf(info, info.cell.source, imp.span.line);
  const last = lineOf(info, info.cell.source, imp.span.endLine);
  const codeLast = lineOf(info, info.scanned.code, imp.span.endLine);
  return (
    first.slice(0, imp.span.column - 1).trim() === "" &&
    codeLast.slice(imp.span.endColumn - 1).trim() === "" &&
    !last.slice(0, imp.span.endColumn - 1).includes(";")
  );
}

function cellIsImportsOnly(info: CodeCellInfo): boolean {
  const stmts = info.analysis?.statements ?? [];
  return stmts.every((s) => IMPORT_TYPES.has(s.type) || s.magic !== undefined);
}

/** Per notebook: for each code cell, why it blocks moving a later import above it (computed once). */
const cellBlockers = new WeakMap<CheckContext, Map<number, string>>();

function blockersOf(ctx: CheckContext): Map<number, string> {
  let map = cellBlockers.get(ctx);
  if (map) return map;
  map = new Map();
  for (const c of ctx.code) {
    if (IMPORT_ENVIRONMENT_RE.test(c.scanned.code))
      map.set(c.index, `${cellLabel(ctx, c.index)} changes the import environment`);
    else if (c.scanned.magicLines.some((m) => IMPORT_MAGIC_RE.test(m.text)))
      map.set(c.index, `${cellLabel(ctx, c.index)} installs or runs code first`);
    else if (c.analysis?.opaque)
      map.set(c.index, `${cellLabel(ctx, c.index)} is opaque (star import, %run or exec)`);
  }
  cellBlockers.set(ctx, map);
  return map;
}

/** Why moving an import to the top is unsafe, or undefined when it is safe. */
export function importMoveBlocker(
  ctx: CheckContext,
  info: CodeCellInfo,
  imp: ImportRecord,
): string | undefined {
  if (!isTopLevelImport(info, imp)) return "it is inside a block";
  if (!importOwnsLines(info, imp)) return "it shares its line with other code";
  if (imp.star) return "a star import above other cells could hide their names";
  // The import's own cell, above the import.
  const before = info.scanned.code.slice(0, offsetOf(info, imp.span.line, imp.span.column));
  if (IMPORT_ENVIRONMENT_RE.test(before))
    return `${cellLabel(ctx, info.index)} changes the import environment first`;
  if (info.scanned.magicLines.some((m) => m.line < imp.span.line && IMPORT_MAGIC_RE.test(m.text))) {
    return `${cellLabel(ctx, info.index)} installs or runs code first`;
  }
  for (const [cell, reason] of blockersOf(ctx)) if (cell < info.index) return reason;
  for (const b of imp.binds) {
    const other = (ctx.graph.chains[b] ?? []).find((l) => l.cell < info.index);
    if (other) return `${cellLabel(ctx, other.cell)} also binds \`${b}\``;
  }
  return undefined;
}

export function checkImportsAtTop(ctx: CheckContext): void {
  let codeSeen = false;
  for (const c of ctx.code) {
    const a = c.analysis;
    if (!a) continue;
    if (codeSeen) {
      for (const imp of a.imports) {
        const blocker = importMoveBlocker(ctx, c, imp);
        const text = imp.names.length > 0 ? `from ${imp.module} import …` : `import ${imp.module}`;
        ctx.report(
          "FL301",
          { cell: c.index, span: imp.span },
          `\`${text}\` in the middle of the notebook: put imports in the first cell`,
          {
            fix: blocker
              ? {
                  kind: "suggestion",
                  safe: false,
                  description: `move it to the first cell by hand (not automatic: ${blocker})`,
                }
              : {
                  kind: "move-import",
                  safe: true,
                  description: "move the import to the notebook's first code cell",
                },
          },
        );
      }
    }
    // Cells of imports, magics and comments only are the notebook's setup; anything else ends it.
    if (!cellIsImportsOnly(c)) codeSeen = true;
  }
}

/**
 * How often each of `names` occurs as a whole word of the code (a token of `[A-Za-z_]\w*`, read left to right) not
 * preceded by a dot. Only the candidates are searched for (one regex for all), instead of listing every word of
 * every cell; names that are not ASCII words never are such a token.
 */
export function countWords(codes: string[], names: string[]): Map<string, number> {
  const words = new Map<string, number>();
  const ascii = names.filter((n) => /^[A-Za-z_]\w*$/.test(n));
  if (ascii.length === 0) return words;
  const re = new RegExp(`(?:${ascii.join("|")})(?!\\w)`, "g");
  for (const code of codes) {
    for (const m of code.matchAll(re)) {
      if (m.index > 0 && !startsWord(code, m.index)) continue;
      words.set(m[0], (words.get(m[0]) ?? 0) + 1);
    }
  }
  return words;
}

/**
 * Whether a word starting with a letter or `_` at `at` (> 0) is a token of its own: not after a dot, and not the
 * tail of a word that began earlier (`ab`), though it may follow digits that start no word (`1ab`).
 */
function startsWord(code: string, at: number): boolean {
  if (code.charCodeAt(at - 1) === 0x2e) return false;
  for (let k = at - 1; k >= 0; k--) {
    const ch = code.charCodeAt(k);
    if (ch >= 0x30 && ch <= 0x39) continue;
    return !((ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f);
  }
  return true;
}

export function checkUnusedDefinitions(ctx: CheckContext): void {
  if (ctx.code.some((c) => /\b(?:exec|eval|globals|locals|vars)\s*\(/.test(c.scanned.code))) return;
  if (ctx.code.some((c) => c.scanned.magicLines.some((m) => /^%(?:run|store)\b/.test(m.text)))) return;
  const used = new Set<string>();
  for (const c of ctx.code) {
    const a = c.analysis;
    if (!a) continue;
    for (const r of a.reads) used.add(r.name);
    for (const m of a.modifies) used.add(m.name);
    for (const n of a.calls) used.add(n);
    for (const s of a.statements) for (const r of s.reads) used.add(r);
    for (const fn of a.functions) {
      for (const r of fn.globalReads) used.add(r);
      for (const n of fn.calls) used.add(n);
    }
    for (const m of a.magics) for (const w of m.args.match(/[A-Za-z_]\w*/g) ?? []) used.add(w);
  }
  // Candidates: names bound somewhere and read nowhere, by the analyses.
  const candidates = new Map<string, CodeCellInfo>();
  for (const c of ctx.code) {
    const a = c.analysis;
    if (!a) continue;
    const consider = (name: string) => {
      if (!used.has(name) && !name.startsWith("_") && !candidates.has(name)) candidates.set(name, c);
    };
    for (const name of a.defines) consider(name);
    for (const i of a.imports) for (const name of i.binds) consider(name);
    for (const f of a.functions) consider(f.name);
  }
  if (candidates.size === 0) return;
  // A candidate written more than once in the code (outside strings, comments and attribute access) is taken as
  // used: reads inside the statement that binds it (`for i, f in …: print(i)`) are not in the read lists.
  const words = countWords(
    ctx.code.map((c) => c.scanned.code),
    [...candidates.keys()],
  );
  for (const [name, c] of candidates) {
    if ((words.get(name) ?? 0) > 1) continue;
    const a = c.analysis!;
    const imp = a.imports.find((i) => i.binds.includes(name));
    const span = imp ? imp.span : definitionSpan(c, name);
    const what = imp ? "imported" : a.functions.some((f) => f.name === name) ? "defined" : "assigned";
    ctx.report(
      "FL302",
      { cell: c.index, ...(span ? { span } : {}) },
      `\`${name}\` is ${what} but never used`,
    );
  }
}

export function checkBuiltinShadowing(ctx: CheckContext): void {
  for (const c of ctx.code) {
    const a = c.analysis;
    if (!a) continue;
    // Each shadowing name once, in the order of its first definition (assignments, then functions and classes).
    const shadowing: string[] = [];
    for (const name of a.defines)
      if (SHADOWABLE_BUILTINS.has(name) && !shadowing.includes(name)) shadowing.push(name);
    for (const f of a.functions) {
      if (SHADOWABLE_BUILTINS.has(f.name) && !shadowing.includes(f.name)) shadowing.push(f.name);
    }
    for (const name of shadowing) {
      const span = definitionSpan(c, name);
      ctx.report(
        "FL303",
        { cell: c.index, ...(span ? { span } : {}) },
        `\`${name}\` shadows the builtin \`${name}()\`: later calls to it get this value instead`,
        {
          fix: {
            kind: "suggestion",
            safe: false,
            description: `rename it (e.g. \`${name}_\` or a descriptive name)`,
          },
        },
      );
    }
  }
}

/** Calls that only look at data or draw it (a displayed `df.to_csv(…)` still writes a file: not exploration). */
const SHOW_CALLS = new Set(
  (
    "print display head tail describe info sample value_counts nunique unique isnull isna notnull notna sum mean " +
    "median std var min max count corr cov plot hist boxplot scatter bar barh pie kde line area show imshow " +
    "heatmap pairplot countplot distplot histplot boxplot violinplot lineplot scatterplot barplot catplot " +
    "displot jointplot regplot len type sorted list dict set tuple repr str round abs format shape memory_usage " +
    "dtypes to_string to_frame describe_option groupby agg aggregate size first last nlargest nsmallest " +
    "sort_values sort_index reset_index crosstab pivot_table head quantile mode skew kurt idxmax idxmin " +
    "legend title xlabel ylabel figure subplots tight_layout xticks yticks grid suptitle set_title set_xlabel " +
    "set_ylabel loc iloc at filter query items keys values get"
  ).split(" "),
);

function showsOnly(info: CodeCellInfo, span: Span): boolean {
  const text = info.scanned.code.slice(
    offsetOf(info, span.line, span.column),
    offsetOf(info, span.endLine, span.endColumn),
  );
  for (const m of text.matchAll(/(\w+)\s*\(/g)) if (!SHOW_CALLS.has(m[1]!)) return false;
  return !/\binplace\s*=\s*True/.test(text);
}

export function checkExplorationCells(ctx: CheckContext): void {
  for (const c of ctx.code) {
    const a = c.analysis;
    if (!a || a.opaque || a.statements.length === 0) continue;
    if (a.defines.length > 0 || a.modifies.length > 0 || a.imports.length > 0 || a.deletes.length > 0)
      continue;
    const stmts = a.statements.filter((s) => s.magic === undefined);
    if (stmts.length === 0 || !stmts.every((s) => s.displays && showsOnly(c, s.span))) continue;
    ctx.report(
      "FL304",
      { cell: c.index },
      "this cell only shows something (nothing below uses it): it stays in the companion notebook, not the pipeline",
    );
  }
}
