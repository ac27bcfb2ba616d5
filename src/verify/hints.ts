/**
 * Type hints from recorded values: the Python type a name had in the notebook's run, as an annotation the
 * generated code can use. Only types whose annotation is unambiguous and importable; anything else gives
 * undefined (no annotation beats a wrong one).
 */
import type { RecordedType, Recording } from "./record.js";

export interface Annotation {
  /** Annotation text: "pd.DataFrame", "np.ndarray", "list[str]", "RandomForestClassifier". */
  text: string;
  /** Import lines the annotation needs ("import pandas as pd"). */
  imports: string[];
}

export interface HintAliases {
  /** Local alias of pandas in the module ("pd"); default "pd". */
  pandas?: string;
  numpy?: string;
}

const BUILTIN = new Set(["int", "float", "str", "bool", "bytes", "complex"]);

function simple(qualified: string, aliases: HintAliases): Annotation | undefined {
  const pd = aliases.pandas ?? "pd";
  const np = aliases.numpy ?? "np";
  if (BUILTIN.has(qualified)) return { text: qualified, imports: [] };
  if (qualified === "NoneType") return { text: "None", imports: [] };
  const pandas = /^pandas(?:\.core\.[\w.]+)?\.(DataFrame|Series|Index|Timestamp|Categorical)$/.exec(
    qualified,
  );
  if (pandas)
    return {
      text: `${pd}.${pandas[1]}`,
      imports: [pd === "pandas" ? "import pandas" : `import pandas as ${pd}`],
    };
  if (qualified === "numpy.ndarray")
    return { text: `${np}.ndarray`, imports: [np === "numpy" ? "import numpy" : `import numpy as ${np}`] };
  const npScalar = /^numpy\.(float64|float32|int64|int32|bool_?)$/.exec(qualified);
  if (npScalar)
    return {
      text: npScalar[1]?.startsWith("float") ? "float" : npScalar[1]?.startsWith("int") ? "int" : "bool",
      imports: [],
    };
  // scikit-learn and friends: the public class, imported from its public module when it is one level up.
  const est = /^(sklearn(?:\.[a-z_]+)?)(?:\._[\w.]+)?\.([A-Z]\w*)$/.exec(qualified);
  if (est) return { text: est[2] as string, imports: [`from ${est[1]} import ${est[2]}`] };
  return undefined;
}

/** The annotation for a recorded type, or undefined when none is certain. */
export function annotationFor(t: RecordedType, aliases: HintAliases = {}): Annotation | undefined {
  const base = simple(t.type, aliases);
  if (base) return base;
  const container = /^(list|set|tuple|dict)$/.exec(t.type)?.[1];
  if (!container) return undefined;
  const one = (types: string[] | undefined) => {
    const only = types?.length === 1 ? types[0] : undefined;
    return only === undefined ? undefined : simple(only, aliases);
  };
  if (container === "dict") {
    const k = one(t.keys);
    const v = one(t.values);
    if (k && v) return { text: `dict[${k.text}, ${v.text}]`, imports: [...k.imports, ...v.imports] };
    return { text: "dict", imports: [] };
  }
  if (container === "tuple") {
    const item = one(t.items);
    if (item && t.length !== undefined && t.length <= 4 && t.length > 0) {
      return { text: `tuple[${Array(t.length).fill(item.text).join(", ")}]`, imports: item.imports };
    }
    return { text: "tuple", imports: [] };
  }
  const item = one(t.items);
  return item
    ? { text: `${container}[${item.text}]`, imports: item.imports }
    : { text: container, imports: [] };
}

/** step name → name → annotation, for every recorded input and output of each step. */
export function recordedHints(
  rec: Recording,
  aliases: HintAliases = {},
): Map<string, Map<string, Annotation>> {
  const out = new Map<string, Map<string, Annotation>>();
  for (const s of rec.steps) {
    const m = new Map<string, Annotation>();
    for (const [name, t] of Object.entries(s.types)) {
      const a = annotationFor(t, aliases);
      if (a) m.set(name, a);
    }
    out.set(s.step, m);
  }
  return out;
}
