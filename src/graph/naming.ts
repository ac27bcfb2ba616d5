/**
 * Step roles and names (issue 5, "Naming").
 *
 * A step's role comes from what its code does (read_csv → load, dropna → clean, get_dummies → features,
 * train_test_split → split, .fit → train, metrics → evaluate, .predict → predict, to_csv/dump → save).
 * Its name is a short verb_object identifier: condensed from the section heading when the heading's verb agrees
 * with the code (`## Explore and clean the data` → clean_data, `## Try out some models` → train_models),
 * otherwise taken from the role.
 */

import { PYTHON_KEYWORDS } from "../python/shape.js";
import { isLoad } from "./exploration.js";
import { isPredictCall, type StatementInfo } from "./statements.js";
import type { StepRole } from "./types.js";

// ---------------------------------------------------------------------------------------------- headings

export interface Heading {
  level: number;
  text: string;
}

/** The headings of a markdown cell (ATX `## x`, setext, and `<h2>x</h2>`), outside code fences, in order. */
export function markdownHeadings(source: string): Heading[] {
  const out: Heading[] = [];
  const lines = source.split(/\r\n|\r|\n/);
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s{0,3}(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) {
      const text = cleanHeading(atx[2]!);
      if (text) out.push({ level: atx[1]!.length, text });
      continue;
    }
    const next = lines[i + 1];
    if (
      next !== undefined &&
      line.trim() !== "" &&
      /^\s{0,3}(=+|-+)\s*$/.test(next) &&
      !/^\s*[-*+]\s/.test(line)
    ) {
      const text = cleanHeading(line);
      if (text) out.push({ level: next.trim().startsWith("=") ? 1 : 2, text });
      i++;
      continue;
    }
    for (const m of line.matchAll(/<h([1-6])[^>]*>(.*?)<\/h\1>/gi)) {
      const text = cleanHeading(m[2]!);
      if (text) out.push({ level: Number(m[1]), text });
    }
  }
  return out;
}

function cleanHeading(raw: string): string {
  return raw
    .replace(/<[^>]+>/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*_~]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

// ---------------------------------------------------------------------------------------------- roles

const CLEAN_CALLS = new Set([
  "dropna",
  "fillna",
  "drop_duplicates",
  "astype",
  "rename",
  "replace",
  "drop",
  "to_numeric",
  "to_datetime",
  "clip",
  "interpolate",
  "query",
  "reset_index",
  "set_index",
  "merge",
  "concat",
  "melt",
  "pivot",
]);
const FEATURE_CALLS =
  /^(?:get_dummies|fit_transform|transform|cut|qcut|\w*(?:Encoder|Scaler|Imputer|Vectorizer|Transformer|Features|Binarizer|Discretizer|PCA|Normalizer)|make_column_transformer|ColumnTransformer|SelectKBest|log1p)$/;
const SPLIT_CALLS = /^(?:train_test_split|\w*KFold|\w*ShuffleSplit|TimeSeriesSplit|random_split|split)$/;
const TRANSFORMER_NAME = /scal|encod|imput|vectori|pca|transform|normaliz|binariz|select|poly/i;

/** The role a single statement plays, or undefined when it plays none in particular. */
export function statementRole(s: StatementInfo): StepRole | undefined {
  if (s.kind === "definition" || s.kind === "import" || s.magic) return undefined;
  if (s.kind === "result" && s.result === "write") return "save";
  if (s.kind === "result" && s.result === "predict") return "predict";
  if (s.kind === "result" && s.result === "metric") return "evaluate";
  if (s.calls.some((c) => SPLIT_CALLS.test(c.name) && (c.name !== "split" || c.receiver.length === 0)))
    return "split";
  if (s.calls.some((c) => c.name === "train_test_split")) return "split";
  const fit = s.calls.find((c) => ["fit", "partial_fit", "train", "fit_generator"].includes(c.name));
  if (fit) {
    const recv = fit.receiver.join(".");
    return TRANSFORMER_NAME.test(recv) ? "features" : "train";
  }
  if (isLoad(s)) return "load";
  if (s.calls.some((c) => FEATURE_CALLS.test(c.name))) return "features";
  if (s.calls.some((c) => CLEAN_CALLS.has(c.name) && c.receiver.length > 0) || isFilter(s)) return "clean";
  return undefined;
}

/** `df = df[df["a"] > 0]`: a row filter. */
function isFilter(s: StatementInfo): boolean {
  return s.shape.assignment?.indexes === true && s.shape.compares;
}

const ROLE_WEIGHT: Record<StepRole, number> = {
  load: 3,
  clean: 1,
  features: 2,
  split: 3,
  train: 10,
  evaluate: 3,
  predict: 3,
  save: 2,
  other: 0,
};

/**
 * The step's role: the heading's when the code plays it, else the dominant role of the statements (weighted
 * votes, ties to the later stage of the workflow).
 */
export function stepRole(stmts: StatementInfo[], heading?: string): StepRole {
  const hinted = heading ? nameFromHeading(heading) : undefined;
  if (hinted && stmts.some((s) => statementRole(s) === hinted.role)) return hinted.role;
  const votes = new Map<StepRole, number>();
  for (const s of stmts) {
    const r = statementRole(s);
    if (r) votes.set(r, (votes.get(r) ?? 0) + ROLE_WEIGHT[r]);
  }
  // Predictions scored by metrics in the same step are an evaluation, not predictions on new data.
  if (votes.has("predict") && votes.has("evaluate")) {
    votes.set("evaluate", votes.get("evaluate")! + votes.get("predict")!);
    votes.delete("predict");
  }
  // A step that fits a model and then scores it trains the model (the scores are its results).
  if (votes.has("train") && votes.has("evaluate")) votes.delete("evaluate");
  const order: StepRole[] = ["load", "clean", "features", "split", "train", "evaluate", "predict", "save"];
  let best: StepRole = "other";
  let bestVotes = 0;
  for (const r of order) {
    const v = votes.get(r) ?? 0;
    if (v > 0 && v >= bestVotes) {
      best = r;
      bestVotes = v;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------- names

const ROLE_NAME: Record<StepRole, string> = {
  load: "load_data",
  clean: "clean_data",
  features: "build_features",
  split: "split_data",
  train: "train_model",
  evaluate: "evaluate_model",
  predict: "predict",
  save: "save_results",
  other: "process_data",
};

// Heading words → [verb written in the name, role]. Exploration verbs map to no role: they are skipped.
const VERBS: Record<string, [string, StepRole] | null> = {
  load: ["load", "load"],
  loading: ["load", "load"],
  read: ["load", "load"],
  reading: ["load", "load"],
  import: ["load", "load"],
  importing: ["load", "load"],
  get: ["load", "load"],
  getting: ["load", "load"],
  fetch: ["load", "load"],
  download: ["load", "load"],
  ingest: ["load", "load"],
  acquire: ["load", "load"],
  acquisition: ["load", "load"],
  clean: ["clean", "clean"],
  cleaning: ["clean", "clean"],
  cleanup: ["clean", "clean"],
  cleanse: ["clean", "clean"],
  wrangle: ["clean", "clean"],
  wrangling: ["clean", "clean"],
  tidy: ["clean", "clean"],
  impute: ["clean", "clean"],
  handle: ["clean", "clean"],
  handling: ["clean", "clean"],
  fix: ["clean", "clean"],
  filter: ["filter", "clean"],
  filtering: ["filter", "clean"],
  remove: ["clean", "clean"],
  preprocess: ["preprocess", "clean"],
  preprocessing: ["preprocess", "clean"],
  prepare: ["prepare", "clean"],
  preparation: ["prepare", "clean"],
  prep: ["prepare", "clean"],
  merge: ["merge", "clean"],
  merging: ["merge", "clean"],
  combine: ["merge", "clean"],
  combining: ["merge", "clean"],
  join: ["merge", "clean"],
  joining: ["merge", "clean"],
  transform: ["transform", "features"],
  enrich: ["enrich", "features"],
  enriching: ["enrich", "features"],
  transforming: ["transform", "features"],
  encode: ["encode", "features"],
  encoding: ["encode", "features"],
  scale: ["scale", "features"],
  scaling: ["scale", "features"],
  normalize: ["normalize", "features"],
  normalise: ["normalize", "features"],
  engineer: ["build", "features"],
  engineering: ["build", "features"],
  create: ["build", "features"],
  add: ["build", "features"],
  build: ["build", "features"],
  building: ["build", "features"],
  select: ["select", "features"],
  selection: ["select", "features"],
  split: ["split", "split"],
  splitting: ["split", "split"],
  partition: ["split", "split"],
  train: ["train", "train"],
  training: ["train", "train"],
  fit: ["train", "train"],
  fitting: ["train", "train"],
  try: ["train", "train"],
  model: ["train", "train"],
  modeling: ["train", "train"],
  modelling: ["train", "train"],
  tune: ["tune", "train"],
  tuning: ["tune", "train"],
  learn: ["train", "train"],
  learning: ["train", "train"],
  evaluate: ["evaluate", "evaluate"],
  evaluation: ["evaluate", "evaluate"],
  evaluating: ["evaluate", "evaluate"],
  assess: ["evaluate", "evaluate"],
  validate: ["validate", "evaluate"],
  validation: ["validate", "evaluate"],
  score: ["score", "evaluate"],
  scoring: ["score", "evaluate"],
  compare: ["compare", "evaluate"],
  comparison: ["compare", "evaluate"],
  metrics: ["evaluate", "evaluate"],
  performance: ["evaluate", "evaluate"],
  predict: ["predict", "predict"],
  predicting: ["predict", "predict"],
  prediction: ["predict", "predict"],
  predictions: ["predict", "predict"],
  inference: ["predict", "predict"],
  forecast: ["forecast", "predict"],
  forecasting: ["forecast", "predict"],
  submission: ["save", "save"],
  save: ["save", "save"],
  saving: ["save", "save"],
  export: ["export", "save"],
  exporting: ["export", "save"],
  write: ["save", "save"],
  persist: ["save", "save"],
  store: ["save", "save"],
  explore: null,
  exploring: null,
  exploration: null,
  eda: null,
  visualize: null,
  visualise: null,
  visualization: null,
  visualisation: null,
  plot: null,
  plotting: null,
  look: null,
  inspect: null,
  analyze: null,
  analyse: null,
  analysis: null,
  check: null,
  show: null,
  understand: null,
  overview: null,
  summary: null,
  summarize: null,
};

// Noun-only headings that name a step object ("Feature engineering" → build_features).
const NOUN_OBJECT: Record<string, string> = { features: "features", feature: "features" };

const STOP = new Set(
  "a an the and or of for to in on with from into our my your their its this that these those some out up over our we us let lets let's using use by at as is are be it all new first next then finally step part section data's how what why when where which can will more better improve via about without within during make do does done get i you vs versus"
    .split(" ")
    .filter(Boolean),
);

const DEFAULT_OBJECT: Record<StepRole, string> = {
  load: "data",
  clean: "data",
  features: "data",
  split: "data",
  train: "model",
  evaluate: "model",
  predict: "",
  save: "results",
  other: "data",
};

const COMPATIBLE: Record<StepRole, StepRole[]> = {
  load: ["load", "clean"],
  clean: ["clean", "features", "load"],
  features: ["features", "clean", "split"],
  split: ["split", "features", "clean"],
  train: ["train", "split", "evaluate", "features"],
  evaluate: ["evaluate", "predict", "train"],
  predict: ["predict", "evaluate", "save"],
  save: ["save", "predict", "evaluate"],
  other: [],
};

const PREPOSITIONS = new Set([
  "for",
  "to",
  "in",
  "on",
  "with",
  "from",
  "into",
  "by",
  "using",
  "via",
  "per",
  "at",
  "as",
]);

const WEAK_VERBS = new Set([
  "model",
  "modeling",
  "modelling",
  "learning",
  "score",
  "scoring",
  "metrics",
  "performance",
  "prediction",
  "predictions",
  "training",
  "validation",
]);

const SETUP_WORDS = new Set(["setup", "imports", "configuration", "config", "environment", "preliminaries"]);

const MODEL_NOUN =
  /^(?:regression|forest|classifier|regressor|network|tree|trees|boosting|machine|bayes|means)$/;

export interface HeadingName {
  name: string;
  role: StepRole;
}

/** Condense a heading into verb_object, or undefined when it holds no workflow verb. */
export function nameFromHeading(heading: string): HeadingName | undefined {
  const words = heading
    .toLowerCase()
    .replace(/'s\b/g, "")
    .replace(/[^a-z0-9\s/-]/g, " ")
    .split(/[\s/-]+/)
    .filter((w) => w && !/^\d+$/.test(w) && !/^(?:step|part|section)\d*$/.test(w));
  let verbAt = -1;
  let verb: [string, StepRole] | undefined;
  // The last workflow verb wins ("Explore and clean the data": explore is not a pipeline verb, clean is); words
  // that are nouns as often as verbs ("model", "score") count only when no other verb is there.
  for (const weak of [false, true]) {
    for (let i = 0; i < words.length; i++) {
      const v = VERBS[words[i]!];
      if (v && WEAK_VERBS.has(words[i]!) === weak) {
        verb = v;
        verbAt = i;
      }
    }
    if (verb) break;
  }
  if (!verb) {
    if (words.length <= 2 && words.some((w) => SETUP_WORDS.has(w))) return { name: "setup", role: "other" };
    const noun = words.find((w) => NOUN_OBJECT[w]);
    if (noun) return { name: "build_features", role: "features" };
    return undefined;
  }
  // Objects are nouns after the verb: "Predict this month's customers" → customers. Participles and function
  // words are not objects; without one, the role's usual object ("Model evaluation" → evaluate_model).
  // The object phrase ends at a preposition: "Prepare the data for machine learning" → data.
  const rest = words.slice(verbAt + 1);
  const cut = rest.findIndex((w) => PREPOSITIONS.has(w));
  const after = (cut >= 0 ? rest.slice(0, cut) : rest).filter(
    (w) => !STOP.has(w) && (VERBS[w] === undefined || WEAK_VERBS.has(w)) && !/(?:ing|ed)$/.test(w),
  );
  let object = after[after.length - 1] ?? DEFAULT_OBJECT[verb[1]];
  // A model's name keeps its qualifier: "Train a random forest" → train_random_forest.
  const penultimate = after[after.length - 2];
  if (penultimate && MODEL_NOUN.test(object)) object = `${penultimate}_${object}`;
  if (verb[0] === "build" && !after.length) object = "features";
  // "Build the model" is training, "Build features" is feature engineering.
  if (verb[0] === "build" && /^models?$/.test(object)) verb = ["train", "train"];
  if (verb[1] === "train" && (object === "model" || object === "models") && verb[0] === "train")
    return { name: `train_${object}`, role: "train" };
  if (object === verb[0]) object = DEFAULT_OBJECT[verb[1]];
  const name = object ? `${verb[0]}_${object}` : verb[0];
  return { name: toIdentifier(name), role: verb[1] };
}

const GENERIC = new Set(
  "setup set introduction intro imports libraries packages overview conclusion conclusions summary results notes appendix misc todo references environment config configuration title data dataset table part step section code main helpers functions utils".split(
    " ",
  ),
);

/** A heading of one or two content words that names a thing ("Returns", "Customer orders"), else undefined. */
function headingObject(heading: string): string | undefined {
  const words = heading
    .toLowerCase()
    .replace(/'s\b/g, "")
    .replace(/[^a-z\s]/g, " ")
    .split(/\s+/)
    .filter((w) => w && !STOP.has(w));
  if (
    words.length === 0 ||
    words.length > 2 ||
    words.some((w) => w in VERBS || GENERIC.has(w) || /(?:ing|ed|ion)$/.test(w))
  )
    return undefined;
  return words[words.length - 1];
}

/** The name the code suggests for a role. */
export function nameFromRole(role: StepRole, stmts: StatementInfo[]): string {
  if (role === "train") {
    const fitted = new Set<string>();
    for (const s of stmts)
      for (const c of s.calls)
        if (c.name === "fit" && c.receiver.length > 0 && !TRANSFORMER_NAME.test(c.receiver.join(".")))
          fitted.add(c.receiver.join("."));
    return fitted.size > 1 ? "train_models" : "train_model";
  }
  if (role === "evaluate") {
    const scored = new Set<string>();
    for (const s of stmts) for (const c of s.calls) if (isPredictCall(c)) scored.add(c.receiver.join("."));
    return scored.size > 1 ? "evaluate_models" : "evaluate_model";
  }
  if (role === "save") {
    const dumpsModel = stmts.some((s) =>
      s.calls.some(
        (c) => (c.name === "dump" || c.name === "save") && /model|clf|estimator|pipe/i.test(s.text),
      ),
    );
    if (dumpsModel) return "save_model";
    if (stmts.some((s) => s.calls.some((c) => /^save_?fig/i.test(c.name)))) return "save_figures";
    return "save_results";
  }
  return ROLE_NAME[role];
}

/**
 * The step's name: the heading's when its verb agrees with the code's role (or the code has no clear role),
 * else the role's.
 */
export function chooseName(heading: string | undefined, role: StepRole, stmts: StatementInfo[]): string {
  const fromHeading = heading ? nameFromHeading(heading) : undefined;
  if (fromHeading && (role === "other" || COMPATIBLE[role].includes(fromHeading.role)))
    return fromHeading.name;
  // The heading's verb still wins when the step does that too (a "Train the model" section that also scales).
  if (fromHeading && stmts.some((s) => statementRole(s) === fromHeading.role)) return fromHeading.name;
  if (role !== "other") {
    const name = nameFromRole(role, stmts);
    // A heading without a verb may still name the object: "## Returns" over read_csv → load_returns.
    const object = heading ? headingObject(heading) : undefined;
    if (object && /_data$/.test(name)) return toIdentifier(name.replace(/_data$/, `_${object}`));
    return name;
  }
  const defined = stmts
    .filter((s) => s.kind !== "import" && s.kind !== "definition")
    .flatMap((s) => s.record.defines)
    .find((d) => d.length > 1 && !/^_/.test(d));
  return defined ? toIdentifier(`compute_${defined}`) : "process_data";
}

/** A valid snake_case Python identifier from any text. */
export function toIdentifier(text: string): string {
  let id = text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  if (!id) id = "step";
  if (/^\d/.test(id)) id = `step_${id}`;
  if (PYTHON_KEYWORDS.has(id)) id = `${id}_step`;
  return id;
}

/** Make names unique in order: the second `clean_data` becomes `clean_data_2`. */
export function uniqueNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let candidate = n;
    let k = 2;
    while (used.has(candidate)) candidate = `${n}_${k++}`;
    used.add(candidate);
    return candidate;
  });
}
