/**
 * Type hints from the code (no kernel): what the right-hand side of the assignment that produced a
 * name says about its type. Only confident answers; an unknown type gets no annotation rather than a
 * wrong one. (Recorded values from a kernel run will refine these: see issue 8.)
 */
import type { ImportRecord } from "../python/types.js";

export interface HintContext {
  /** Local alias → module for `import pandas as pd` ("pd" → "pandas"). */
  moduleAliases: Map<string, string>;
  /** Imported name → module for `from sklearn.ensemble import RandomForestClassifier`. */
  importedFrom: Map<string, string>;
  /** Hints already known for other names (for `X = df.drop(...)`). */
  known: Map<string, string>;
}

export function hintContext(imports: ImportRecord[]): HintContext {
  const moduleAliases = new Map<string, string>();
  const importedFrom = new Map<string, string>();
  for (const imp of imports) {
    if (imp.star) continue;
    if (imp.names.length === 0) {
      const local = imp.alias ?? imp.module.split(".")[0]!;
      moduleAliases.set(local, imp.alias ? imp.module : local);
    } else {
      for (const n of imp.names) importedFrom.set(n.alias ?? n.name, `${imp.module}.${n.name}`);
    }
  }
  return { moduleAliases, importedFrom, known: new Map() };
}

const FRAME_READERS =
  /^(read_csv|read_parquet|read_excel|read_json|read_table|read_feather|read_pickle|read_sql|read_sql_query|read_fwf|DataFrame|concat|merge|get_dummies|pivot_table|crosstab)$/;
const FRAME_METHODS =
  /^(drop|dropna|fillna|assign|copy|merge|join|rename|reset_index|set_index|sort_values|query|astype|replace|drop_duplicates|pivot_table|groupby\(.*\)\.agg|apply|select_dtypes|filter|sample|head|tail|iloc|loc)$/;
const METRIC_FUNCS =
  /^(accuracy_score|f1_score|precision_score|recall_score|roc_auc_score|mean_squared_error|mean_absolute_error|r2_score|log_loss|balanced_accuracy_score|mean_absolute_percentage_error|root_mean_squared_error|explained_variance_score|matthews_corrcoef|average_precision_score)$/;
const ARRAY_FUNCS =
  /^(array|zeros|ones|arange|linspace|empty|full|asarray|concatenate|stack|vstack|hstack|where)$/;

/** The module a dotted callee comes from: `pd.read_csv` → ["pandas", "read_csv"]. */
function resolveCallee(callee: string, ctx: HintContext): [string, string] | undefined {
  const parts = callee.split(".");
  if (parts.length === 1) {
    const from = ctx.importedFrom.get(parts[0]!);
    if (!from) return undefined;
    const i = from.lastIndexOf(".");
    return [from.slice(0, i), from.slice(i + 1)];
  }
  const mod = ctx.moduleAliases.get(parts[0]!);
  if (!mod) return undefined;
  return [[mod, ...parts.slice(1, -1)].join("."), parts[parts.length - 1]!];
}

/** Type of the expression `rhs` (source text), or undefined. `modules` reports the alias a hint uses. */
export function hintFor(rhs: string, ctx: HintContext): string | undefined {
  const e = rhs.trim();
  if (/^-?\d+$/.test(e)) return "int";
  if (/^-?(\d+\.\d*|\.\d+|\d+e-?\d+)$/i.test(e)) return "float";
  if (/^(True|False)$/.test(e)) return "bool";
  if (/^[rRbBfFuU]?("|')/.test(e) && !/^[bB]/.test(e)) return "str";
  if (/^\[/.test(e) && /\]$/.test(e)) return "list";
  if (/^\{/.test(e) && /\}$/.test(e)) return e.includes(":") || e === "{}" ? "dict" : "set";
  const call = e.match(/^([A-Za-z_][\w.]*)\s*\(/);
  if (call) {
    const callee = call[1]!;
    const resolved = resolveCallee(callee, ctx);
    const pandasAlias = [...ctx.moduleAliases].find(([, m]) => m === "pandas")?.[0];
    const numpyAlias = [...ctx.moduleAliases].find(([, m]) => m === "numpy")?.[0];
    if (resolved) {
      const [mod, fn] = resolved;
      if (mod === "pandas" && FRAME_READERS.test(fn) && pandasAlias) return `${pandasAlias}.DataFrame`;
      if (mod === "numpy" && ARRAY_FUNCS.test(fn) && numpyAlias) return `${numpyAlias}.ndarray`;
      if (mod.startsWith("sklearn.metrics") && METRIC_FUNCS.test(fn)) return "float";
      if (mod.startsWith("sklearn") && /^[A-Z]/.test(fn) && !callee.includes(".")) {
        // An estimator constructor, maybe chained with .fit(...)
        const rest = e.slice(e.indexOf("("));
        if (/^\([^()]*(\([^()]*\)[^()]*)*\)(\.fit\(.*\))?$/s.test(rest)) return fn;
      }
    }
    const recv = callee.split(".");
    if (recv.length === 2 && ctx.known.get(recv[0]!)?.endsWith("DataFrame") && FRAME_METHODS.test(recv[1]!))
      return ctx.known.get(recv[0]!);
    if (callee === "len" || callee === "int" || (callee === "round" && !e.includes(","))) return "int";
    if (callee === "float") return "float";
    if (callee === "str") return "str";
    if (callee === "dict") return "dict";
    if (callee === "list" || callee === "sorted") return "list";
    if (/\.predict(_proba)?$/.test(callee) && numpyAlias) return `${numpyAlias}.ndarray`;
  }
  // df[["a", "b"]] → DataFrame; df["a"] → Series
  const sub = e.match(/^([A-Za-z_]\w*)\[(.*)\]$/s);
  if (sub && ctx.known.get(sub[1]!)?.endsWith("DataFrame")) {
    const pandasAlias = ctx.known.get(sub[1]!)!.split(".")[0];
    if (/^\[.*\]$/s.test(sub[2]!.trim())) return `${pandasAlias}.DataFrame`;
    if (/^("|')[^"']*("|')$/.test(sub[2]!.trim())) return `${pandasAlias}.Series`;
  }
  return undefined;
}

/** Hint for a parameter from its value in params.yaml. */
export function hintForValue(value: unknown): string | undefined {
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) {
    const kinds = new Set(value.map((v) => hintForValue(v)));
    return kinds.size === 1 && !kinds.has(undefined) ? `list[${[...kinds][0]}]` : "list";
  }
  return undefined;
}
