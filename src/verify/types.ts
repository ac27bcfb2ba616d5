/**
 * Fingerprints: what fledge records of a Python value (python/fledge_record.py writes them, compare.ts
 * reads them). Plain JSON. Floats that JSON cannot hold travel as the strings "nan", "inf", "-inf".
 */
export type JsonFloat = number | "nan" | "inf" | "-inf";

/** Exact data: equal iff the hashes are equal. */
export interface ExactValues {
  exact: true;
  count: number;
  sha256: string;
  /** For categoricals: hash of the category labels (the codes are hashed in sha256). */
  categories?: string;
  /** Integers and booleans: their sum (not used to compare; a readable check in generated tests). */
  sum?: number;
  /** Small arrays of strings (feature names): the values themselves, for readable checks; the hash decides. */
  values?: string[];
}

/** Float data: summary statistics plus values at fixed positions, compared within a tolerance. */
export interface FloatValues {
  exact: false;
  count: number;
  nan: number;
  posinf: number;
  neginf: number;
  /** Exact hash of where the NaNs are. */
  nan_sha256: string;
  positions: number[];
  sample: JsonFloat[];
  /** Exact hash of the bytes: equal hashes mean equal values; different ones are compared numerically. */
  sha256: string;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
}

export interface ComplexValues {
  exact: false;
  real: FloatValues;
  imag: FloatValues;
}

export type Values = ExactValues | FloatValues | ComplexValues;

export interface IndexFingerprint {
  type: string;
  length: number;
  names: unknown[];
  start?: number;
  stop?: number;
  step?: number;
  dtype?: string;
  data?: Values;
}

interface Base {
  /** Qualified Python type: "pandas.DataFrame", "int", "sklearn.linear_model._logistic.LogisticRegression". */
  type: string;
}

export type Fingerprint =
  | (Base & { kind: "scalar"; value: string | number | boolean | null })
  | (Base & { kind: "float"; value: JsonFloat })
  | (Base & { kind: "text"; length: number; sha256: string })
  | (Base & { kind: "sequence"; length: number; items?: Fingerprint[]; data?: Values })
  | (Base & { kind: "mapping"; length: number; keys: string[]; items: Record<string, Fingerprint> })
  | (Base & {
      kind: "dataframe";
      shape: number[];
      columns: unknown[];
      dtypes: Record<string, string>;
      index: IndexFingerprint;
      data: Record<string, Values>;
    })
  | (Base & {
      kind: "series";
      shape: number[];
      name: unknown;
      dtype: string;
      index: IndexFingerprint;
      data: Values;
    })
  | (Base & { kind: "index"; index: IndexFingerprint })
  | (Base & { kind: "ndarray"; shape: number[]; dtype: string; data: Values })
  | (Base & {
      kind: "estimator";
      params: Record<string, Fingerprint>;
      fitted: Record<string, Fingerprint>;
    })
  | (Base & { kind: "weak"; sha256: string })
  | (Base & { kind: "opaque"; why: string })
  | (Base & { kind: "missing"; why: string });

export type DifferenceKind = "shape" | "dtype" | "columns" | "values" | "type" | "params";

export interface Difference {
  /** Where, in Python-ish notation: `df`, `df["age"]`, `model.coef_`, `results[2]`, `df.index`. */
  path: string;
  kind: DifferenceKind;
  detail: string;
  /** For numeric differences: the largest absolute difference seen in what was compared. */
  maxAbsDiff?: number;
}

export interface Comparison {
  /** True when every comparable part is equal (within tolerance for floats). */
  equal: boolean;
  /** False when nothing decisive could be compared (opaque values, differing pickle hashes). */
  comparable: boolean;
  why?: string;
  firstDifference?: Difference;
  /** Parts that could not be compared (nested opaque or weak values), when the rest was. */
  notCompared?: string[];
}

/** Floats a and b are close when |a − b| ≤ atol + rtol · max(|a|, |b|, scale). */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-7, atol: 1e-12 };
