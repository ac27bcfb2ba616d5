/**
 * In-place modification heuristics. Python cannot tell statically whether a call mutates its receiver, so each
 * rule carries a confidence:
 * - certain: the syntax itself mutates the object (`df['x'] = …`, `obj.attr = …`, `del df['x']`, `x[i] += 1`),
 *   or a pandas-style `inplace=True` call directly on the name;
 * - likely: a well-known mutating method (`append`, `extend`, `update`, `pop`, `sort`, …), fitting an estimator
 *   (`fit`, `partial_fit`, `fit_transform`, `fit_predict`), `np.random.shuffle(a)`/`rng.shuffle(a)`,
 *   `np.copyto(a, …)`-style functions that write their first argument, `out=a`, and chained targets
 *   (`df['a'][0] = 1`, which pandas may apply to a copy);
 * - possible: the general rule — a method call on a name whose result is dropped (`obj.do_something()` on its own
 *   line; not the cell's last expression, whose value Jupyter displays), except well-known read-only/display
 *   methods; names bound by imports (modules) are excluded later.
 * ML state changes (`model.compile(…)`, `model.train()`, `optimizer.step()`, `load_state_dict`) are likely.
 */
import { namedChildren as named, type SNode } from "./parser.js";
import type { Confidence, ModificationRule } from "./types.js";

/** Rules whose modified name is the receiver of a method call: never applied to modules (`np.add(…)`). */
export const RECEIVER_RULES: ReadonlySet<ModificationRule> = new Set([
  "inplace",
  "mutating-method",
  "fit",
  "general",
]);

export interface ModificationGuess {
  name: string;
  confidence: Confidence;
  reason: string;
  rule: ModificationRule;
}

export interface CallInfo {
  node: SNode;
  fn: SNode | undefined;
  args: SNode | undefined;
  /** The call is a whole expression statement: its result is dropped. */
  dropped: boolean;
  text: (n: SNode) => string;
}

/** Methods of list, dict, set, deque, bytearray, numpy arrays and pandas objects that change the receiver. */
export const MUTATING_METHODS = new Set([
  "append",
  "extend",
  "insert",
  "remove",
  "pop",
  "popitem",
  "clear",
  "update",
  "setdefault",
  "sort",
  "reverse",
  "add",
  "discard",
  "difference_update",
  "intersection_update",
  "symmetric_difference_update",
  "appendleft",
  "extendleft",
  "popleft",
  "rotate",
  "fill",
  "resize",
  "put",
  "itemset",
  "setflags",
  "partition",
  "set_axis_inplace",
  "drop_duplicates_inplace",
  "__setitem__",
  "__delitem__",
]);

const FIT_METHODS = new Set(["fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample"]);

/** Methods of ML objects that change their state (Keras, PyTorch, scikit-learn, CatBoost, …). */
const STATEFUL_METHODS = new Set([
  "compile",
  "build",
  "train",
  "eval",
  "step",
  "zero_grad",
  "load_state_dict",
  "load_weights",
  "load_model",
  "set_params",
  "set_weights",
  "reset_states",
  "requires_grad_",
]);

/** Functions (by last attribute) that write into their first positional argument. */
const WRITES_FIRST_ARG = new Set([
  "shuffle",
  "copyto",
  "fill_diagonal",
  "put",
  "place",
  "putmask",
  "put_along_axis",
]);

/**
 * Methods that only read or show their receiver (or return a new object): a dropped call of these is
 * exploration, not a modification.
 */
const READ_ONLY_METHODS = new Set([
  "head",
  "tail",
  "describe",
  "info",
  "sample",
  "show",
  "display",
  "plot",
  "hist",
  "boxplot",
  "scatter",
  "bar",
  "barh",
  "pie",
  "imshow",
  "summary",
  "print",
  "count",
  "value_counts",
  "nunique",
  "unique",
  "mean",
  "median",
  "sum",
  "min",
  "max",
  "std",
  "var",
  "corr",
  "cov",
  "isna",
  "isnull",
  "notna",
  "notnull",
  "any",
  "all",
  "copy",
  "keys",
  "values",
  "items",
  "get",
  "memory_usage",
  "savefig",
  "save",
  "dump",
  "write",
  "predict",
  "predict_proba",
  "score",
  "transform",
  "evaluate",
  "join",
  "format",
  "startswith",
  "endswith",
  "split",
  "strip",
  "lower",
  "upper",
  "replace",
  "groupby",
  "agg",
  "apply",
  "map",
  "merge",
  "pivot",
  "pivot_table",
  "melt",
  "query",
  "filter",
  "select_dtypes",
  "astype",
  "drop",
  "dropna",
  "fillna",
  "rename",
  "reset_index",
  "set_index",
  "sort_values",
  "sort_index",
  "round",
  "style",
  "render",
  "legend",
  "title",
  "xlabel",
  "ylabel",
  "set_title",
  "set_xlabel",
  "set_ylabel",
  "get_params",
  "close",
]);

const READ_ONLY_PREFIXES = [
  "to_",
  "get_",
  "is_",
  "has_",
  "plot",
  "show",
  "print",
  "display",
  "describe",
  "save",
];

function fieldOf(n: SNode, f: string): SNode | undefined {
  return n.children.find((c) => c.field === f);
}

/** Whether the node's text is `word` (the length is compared first: most texts differ in it, and cost no slice). */
function textIs(n: SNode, word: string, text: (n: SNode) => string): boolean {
  return n.end - n.start === word.length && text(n) === word;
}

/** The name at the root of `a.b[c].d`, and how many attribute/subscript steps lead to it. */
export function rootOf(n: SNode, text: (n: SNode) => string): { name: string; steps: SNode[] } | null {
  const steps: SNode[] = [];
  let cur: SNode | undefined = n;
  while (cur) {
    if (cur.type === "identifier") return { name: text(cur), steps: steps.reverse() };
    if (cur.type === "attribute") {
      steps.push(cur);
      cur = fieldOf(cur, "object");
    } else if (cur.type === "subscript") {
      steps.push(cur);
      cur = fieldOf(cur, "value");
    } else if (cur.type === "parenthesized_expression") {
      cur = named(cur)[0];
    } else return null;
  }
  return null;
}

/** Modification made by assigning to (or deleting, or augmenting) an attribute/subscript target. */
export function targetModification(t: SNode, text: (n: SNode) => string): ModificationGuess | null {
  const root = rootOf(t, text);
  if (!root) return null;
  const kind = t.type === "subscript" ? "subscript assignment" : "attribute assignment";
  // `x[...]`, `x.attr`, `x.attr[...]` (df.loc[...], df.iloc[...]) change x itself; longer chains may hit a copy.
  const direct =
    root.steps.length === 1 ||
    (root.steps.length === 2 && root.steps[0]!.type === "attribute" && t.type === "subscript");
  return direct
    ? { name: root.name, confidence: "certain", reason: kind, rule: "assignment" }
    : {
        name: root.name,
        confidence: "likely",
        reason: `${kind} through a chain (may change a copy)`,
        rule: "assignment",
      };
}

function isTrue(n: SNode | undefined): boolean {
  return n?.type === "true";
}

/** Modifications implied by one call. */
export function callModifications(c: CallInfo): ModificationGuess[] {
  const out: ModificationGuess[] = [];
  const { fn, args, text } = c;
  if (fn?.type !== "attribute") {
    if (fn && args) outArgument(args, text, out);
    return out;
  }
  const method = fieldOf(fn, "attribute");
  const methodName = method ? text(method) : "";
  const argNodes = args && args.type === "argument_list" ? named(args) : [];
  let inplace = false;
  for (const a of argNodes) {
    if (
      a.type === "keyword_argument" &&
      textIs(fieldOf(a, "name") ?? a, "inplace", text) &&
      isTrue(fieldOf(a, "value"))
    ) {
      inplace = true;
      break;
    }
  }
  // The receiver's root name is only looked for when a rule below can use it (most calls match none).
  const needsRoot =
    inplace ||
    MUTATING_METHODS.has(methodName) ||
    FIT_METHODS.has(methodName) ||
    STATEFUL_METHODS.has(methodName) ||
    (!WRITES_FIRST_ARG.has(methodName) && c.dropped && !isReadOnly(methodName));
  const receiver = needsRoot ? fieldOf(fn, "object") : undefined;
  const root = receiver ? rootOf(receiver, text) : null;
  const direct = root !== null && root.steps.length === 0;
  if (root && inplace) {
    out.push({
      name: root.name,
      confidence: direct ? "certain" : "likely",
      reason: direct ? `.${methodName}(inplace=True)` : `.${methodName}(inplace=True) on part of the object`,
      rule: "inplace",
    });
  } else if (root && MUTATING_METHODS.has(methodName)) {
    out.push({
      name: root.name,
      confidence: direct ? "likely" : "possible",
      reason: `.${methodName}() mutates its receiver`,
      rule: "mutating-method",
    });
  } else if (root && FIT_METHODS.has(methodName)) {
    out.push({
      name: root.name,
      confidence: "likely",
      reason: `.${methodName}() fits the estimator`,
      rule: "fit",
    });
  } else if (root && STATEFUL_METHODS.has(methodName)) {
    out.push({
      name: root.name,
      confidence: "likely",
      reason: `.${methodName}() changes the model's state`,
      rule: "mutating-method",
    });
  } else if (WRITES_FIRST_ARG.has(methodName)) {
    const first = argNodes[0];
    const target = first && first.type !== "keyword_argument" ? rootOf(first, text) : null;
    if (target) {
      out.push({
        name: target.name,
        confidence: "likely",
        reason: `.${methodName}() writes into its first argument`,
        rule: "writes-argument",
      });
    }
  } else if (root && c.dropped && !isReadOnly(methodName)) {
    out.push({
      name: root.name,
      confidence: "possible",
      reason: `.${methodName}() called and its result dropped`,
      rule: "general",
    });
  }
  if (args) outArgument(args, text, out);
  return out;
}

function isReadOnly(method: string): boolean {
  return READ_ONLY_METHODS.has(method) || READ_ONLY_PREFIXES.some((p) => method.startsWith(p));
}

/** `np.add(a, b, out=a)` writes into `a`. */
function outArgument(args: SNode, text: (n: SNode) => string, out: ModificationGuess[]): void {
  if (args.type !== "argument_list") return;
  for (const a of named(args)) {
    if (a.type !== "keyword_argument") continue;
    const key = fieldOf(a, "name");
    const value = fieldOf(a, "value");
    if (key && value && value.type === "identifier" && textIs(key, "out", text)) {
      out.push({ name: text(value), confidence: "likely", reason: "passed as out=", rule: "out-argument" });
    }
  }
}
