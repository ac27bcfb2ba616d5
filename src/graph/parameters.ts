/**
 * Parameters: literals in a step's code worth configuring (issue 5, "Segmentation"): file paths, seeds, test
 * sizes, hyperparameters and column lists. Each keeps the literal as written, its JSON value, and where it stands
 * (cell + span), so `extract` can replace it by a parameter and write params.yaml.
 *
 * Found in three shapes:
 * - a constant assigned at top level: `DATA_PATH = "data/x.csv"`, `SEED = 42`, `FEATURES = ["a", "b"]`;
 * - a keyword argument of a call: `train_test_split(…, test_size=0.2, random_state=42)`,
 *   `RandomForestClassifier(n_estimators=200)`, `get_dummies(…, columns=["a"])`;
 * - a path literal passed to a reading or writing call: `pd.read_csv("data/train.csv")`, `np.random.seed(0)`.
 */

import type { ExpressionShape } from "../python/shape.js";
import { toIdentifier } from "./naming.js";
import { isWriteCall, lineStarts, type StatementInfo, spanOf } from "./statements.js";
import type { StepParameter } from "./types.js";

type Value = StepParameter["value"];

const PATH_EXT =
  /\.(?:csv|tsv|txt|json|jsonl|parquet|pkl|pickle|joblib|xlsx?|h5|hdf5?|feather|npy|npz|png|jpe?g|svg|pdf|zip|gz|bz2|xz|tar|db|sqlite3?|ya?ml|model|bin|pt|pth|onnx|arrow|orc|avro|data|dat|xml|html?)$/i;
const SEED_NAME = /^(?:random_state|seed|random_seed|rng_seed|SEED|RANDOM_STATE|RANDOM_SEED)$/i;
const SIZE_NAME =
  /(?:^|_)(?:test_size|train_size|val_size|valid_size|validation_size|validation_split|test_ratio|split|ratio|frac|fraction)$/i;
const HYPER_NAME =
  /^(?:n_estimators|max_depth|min_samples_split|min_samples_leaf|max_features|learning_rate|lr|eta|epochs|n_epochs|batch_size|c|alpha|l1_ratio|gamma|kernel|degree|n_neighbors|n_clusters|n_components|max_iter|tol|penalty|solver|subsample|colsample_bytree|num_leaves|reg_alpha|reg_lambda|min_child_weight|hidden_layer_sizes|activation|dropout|threshold|k|cv|n_splits|n_iter|max_leaf_nodes|criterion|loss|momentum|weight_decay|iterations|depth|l2_leaf_reg|num_boost_round|early_stopping_rounds|n_folds|max_samples|bootstrap|class_weight|fit_intercept|shuffle|stratify)$/i;
// Keywords that are plumbing, not configuration.
const PLUMBING =
  /^(?:verbose|n_jobs|index|axis|inplace|ascending|errors|how|figsize|kind|title|dtype|sep|delimiter|header|encoding|ignore_index|copy|on|left_on|right_on|suffixes|label|color|colors|alpha_plot|bins|ax|xlabel|ylabel|rot|fontsize|normalize|exist_ok|mode|return_counts|keepdims|sort|level|drop_first|sparse|handle_unknown|sparse_output|usecols|names|parse_dates|index_col|na_values|skiprows|nrows|low_memory|engine|compression|orient|lines|protocol|file|end|flush|format|fmt|dpi|bbox_inches|transparent|x|y|hue|data|row|col|palette|size|s|c_plot|marker|linestyle|linewidth|lw|cmap|annot|square|legend|grid|subset|keep|method|limit|downcast|value|columns_plot|frac_plot|rtol|atol|output_dict|digits|target_names|labels|average|pos_label|zero_division|metric|scoring|refit|return_train_score|param_grid|param_distributions|estimator)$/i;

export interface ParameterOptions {
  /** Names bound by imports or used as data elsewhere are never parameters. */
  isConstantTarget?: (name: string) => boolean;
}

function isPath(v: Value): v is string {
  return (
    typeof v === "string" &&
    v.length > 2 &&
    v.length < 300 &&
    !/\s{2,}|\n/.test(v) &&
    (PATH_EXT.test(v) || /^(?:https?|s3|gs|ftp):\/\//.test(v) || /^(?:\.{0,2}\/|~\/)[\w.-]/.test(v))
  );
}

function pathName(v: string): string {
  const last =
    v
      .replace(/[?#].*$/, "")
      .split(/[\\/]/)
      .filter(Boolean)
      .pop() ?? "data";
  const stem = last.replace(/\.(?:gz|bz2|xz|zip)$/i, "").replace(/\.[^.]+$/, "");
  const base = stem.replace(/_?path$/i, "") || "data";
  return toIdentifier(`${base}_path`);
}

function kindOf(name: string, value: Value): StepParameter["kind"] {
  if (isPath(value)) return "path";
  if (SEED_NAME.test(name)) return "seed";
  if (SIZE_NAME.test(name)) return "size";
  if (Array.isArray(value) && value.every((x) => typeof x === "string")) return "columns";
  if (HYPER_NAME.test(name)) return "hyperparameter";
  return "other";
}

/** A parameter found in a statement, with a second name to use when the first is taken by another literal. */
export type FoundParameter = StepParameter & { altName?: string };

/** The parameters of one statement. */
export function statementParameters(
  s: StatementInfo,
  cellSource: string,
  starts: number[] = lineStarts(cellSource),
): FoundParameter[] {
  const out: FoundParameter[] = [];
  /** Start offsets of the literals already taken. */
  const used = new Set<number>();
  const add = (name: string, e: ExpressionShape, value: Value, kind?: StepParameter["kind"]) => {
    const a = e.start;
    const b = e.end;
    used.add(a);
    out.push({
      name: toIdentifier(name),
      literal: cellSource.slice(a, b),
      value,
      kind: kind ?? kindOf(name, value),
      cell: s.ref.cell,
      span: spanOf(starts, a, b),
    });
  };
  // 1. NAME = literal at top level.
  const assigned = s.record.type === "expression_statement" ? s.shape.assignment : undefined;
  if (assigned?.value.literal) {
    const target = assigned.target;
    const value = assigned.value.literal.value;
    const isConst = /^[A-Z][A-Z0-9_]*$/.test(target);
    const k = kindOf(target, value);
    if (k === "path" || k === "seed" || k === "size" || k === "columns" || isConst || HYPER_NAME.test(target))
      add(target, assigned.value, value, k === "other" && isConst ? "hyperparameter" : k);
  }
  // 2. keyword arguments, 3. path literals and seeds in calls.
  for (const call of s.calls) {
    const ctor = /^[A-Z]/.test(call.name);
    const modelCall =
      ctor || ["fit", "compile", "train", "train_test_split", "cross_val_score"].includes(call.name);
    for (const arg of call.keywords) {
      const kw = arg.name;
      if (!arg.literal || used.has(arg.start)) continue;
      const value = arg.literal.value;
      const kind = kindOf(kw, value);
      const listOfCols = kw === "columns" || kw === "subset" || kw === "features" || kw === "cols";
      const wanted =
        kind === "seed" ||
        kind === "size" ||
        kind === "path" ||
        (listOfCols && kind === "columns") ||
        (modelCall &&
          !PLUMBING.test(kw) &&
          (kind === "hyperparameter" || (ctor && typeof value !== "string")));
      if (wanted) {
        const name = kw.length === 1 && ctor ? `${call.name}_${kw}` : listOfCols ? `${call.name}_${kw}` : kw;
        add(
          name,
          arg,
          value,
          listOfCols && kind === "columns" ? "columns" : kind === "other" ? "hyperparameter" : kind,
        );
      }
    }
    const positional = call.positional;
    if (/^(?:seed|manual_seed|set_seed|set_random_seed)$/.test(call.name) && positional.length === 1) {
      const p = positional[0]!;
      if (p.literal && !used.has(p.start)) add("seed", p, p.literal.value, "seed");
    }
    for (const p of positional) {
      if (!p.token || !p.literal || !isPath(p.literal.value) || used.has(p.start)) continue;
      const name = pathName(p.literal.value);
      add(name, p, p.literal.value, "path");
      // "data/returns.csv" read and "out/returns.csv" written: returns_path and returns_output_path.
      out[out.length - 1]!.altName = name.replace(
        /_path$/,
        isWriteCall(call, s) ? "_output_path" : "_input_path",
      );
    }
  }
  return out;
}

/** Unique parameter names across a list (same name and literal: kept once; same name, other literal: suffixed). */
export function dedupeParameters(params: StepParameter[], taken: Set<string>): StepParameter[] {
  const out: StepParameter[] = [];
  for (const p of params) {
    const same = out.find((q) => q.name === p.name && q.literal === p.literal);
    if (same) continue;
    let name = p.name;
    let k = 2;
    while (taken.has(name)) name = `${p.name}_${k++}`;
    taken.add(name);
    out.push({ ...p, name });
  }
  return out;
}
