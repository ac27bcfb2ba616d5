import { beforeAll, describe, expect, it } from "vitest";
import { compareFingerprints, comparePrinted, floatDiff } from "../../src/verify/compare.js";
import { parseReply } from "../../src/verify/helper.js";
import type { Fingerprint, FloatValues } from "../../src/verify/types.js";
import { callExpression, runHelper } from "./py.js";

// Fingerprints of real values, made by the Python helper in one interpreter; pairs are then compared here.
const SETUP = `
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
rng = np.random.default_rng(0)
base = pd.DataFrame({"age": [22, 35, 58, 41], "fare": [7.25, np.nan, 80.0, 13.5],
                     "sex": pd.Categorical(["m", "f", "f", "m"]), "alive": [True, False, True, True]})
same = base.copy()
nudged = base.copy(); nudged["fare"] = nudged["fare"] * (1 + 1e-12)
scaled = base.copy(); scaled["fare"] = scaled["fare"] * 1.01
dropped = base.dropna()
swapped = base[["fare", "age", "sex", "alive"]]
retyped = base.assign(age=base["age"].astype("float64"))
nan_moved = base.assign(fare=[np.nan, 7.25, 80.0, 13.5])
relabelled = base.assign(age=[22, 35, 58, 42])
X = rng.normal(size=(40, 3)); y = (X[:, 0] > 0).astype(int)
m1 = LogisticRegression(C=1.0).fit(X, y)
m2 = LogisticRegression(C=1.0).fit(X, y)
m3 = LogisticRegression(C=0.5).fit(X, y)
m4 = LogisticRegression(C=1.0).fit(X[:30], y[:30])
from sklearn.neighbors import KNeighborsClassifier
F = pd.DataFrame(X[:, :2], columns=["width", "length"])
k1 = KNeighborsClassifier().fit(F[["width", "length"]], y)
k2 = KNeighborsClassifier().fit(F[["length", "width"]], y)
arr = np.linspace(0, 1, 1000); arr2 = arr.copy(); arr2[500] += 1e-3
f1, f2, f3 = 0.8523, 0.8523 + 1e-12, 0.86
fn = print
class Thing:
    def __init__(self, v): self.v = v
t1, t2 = Thing(1), Thing(2)
`;
const NAMES = [
  "base",
  "same",
  "nudged",
  "scaled",
  "dropped",
  "swapped",
  "retyped",
  "nan_moved",
  "relabelled",
  "m1",
  "m2",
  "m3",
  "m4",
  "k1",
  "k2",
  "arr",
  "arr2",
  "f1",
  "f2",
  "f3",
  "fn",
  "t1",
  "t2",
];
let fp: Record<string, Fingerprint>;

beforeAll(() => {
  const { replies } = runHelper(SETUP, [callExpression("fingerprint_names", [NAMES])]);
  fp = parseReply<Record<string, Fingerprint>>(replies[0] as string, "fingerprint_names");
}, 60_000);

const cmp = (a: string, b: string) =>
  compareFingerprints(fp[a] as Fingerprint, fp[b] as Fingerprint, undefined, a);

describe("compareFingerprints on real values", () => {
  it("finds equal copies equal", () => {
    expect(cmp("base", "same")).toEqual({ equal: true, comparable: true });
    expect(cmp("m1", "m2")).toEqual({ equal: true, comparable: true });
    expect(cmp("arr", "arr")).toMatchObject({ equal: true });
  });

  it("accepts float noise within the tolerance but not a 1% change", () => {
    expect(cmp("base", "nudged").equal).toBe(true);
    expect(cmp("f1", "f2").equal).toBe(true);
    const r = cmp("base", "scaled");
    expect(r.equal).toBe(false);
    expect(r.firstDifference).toMatchObject({ path: 'base["fare"]', kind: "values" });
    expect(r.firstDifference?.maxAbsDiff).toBeGreaterThan(0.07);
    expect(cmp("f1", "f3").firstDifference).toMatchObject({ kind: "values", maxAbsDiff: expect.any(Number) });
  });

  it("names the kind of the first difference", () => {
    expect(cmp("base", "dropped").firstDifference).toMatchObject({ kind: "shape", detail: "4 x 4 vs 3 x 4" });
    expect(cmp("base", "swapped").firstDifference?.kind).toBe("columns");
    expect(cmp("base", "swapped").firstDifference?.detail).toContain("different order");
    expect(cmp("base", "retyped").firstDifference).toMatchObject({ path: 'base["age"]', kind: "dtype" });
    expect(cmp("base", "nan_moved").firstDifference?.detail).toContain("different positions");
    expect(cmp("base", "relabelled").firstDifference).toMatchObject({ path: 'base["age"]', kind: "values" });
    expect(cmp("m1", "m3").firstDifference).toMatchObject({ path: "m1.C", kind: "params" });
    expect(cmp("m1", "m4").firstDifference?.path).toMatch(/^m1\.(coef_|intercept_|n_iter_)/);
    // Fitted on swapped columns: same predictions (distances do not depend on column order), different model.
    expect(cmp("k1", "k2").firstDifference).toMatchObject({ path: "k1.feature_names_in_", kind: "values" });
    const names = (fp.k1 as Fingerprint & { kind: "estimator" }).fitted.feature_names_in_;
    expect(names).toMatchObject({ kind: "ndarray", data: { exact: true, values: ["width", "length"] } });
    expect(cmp("base", "m1").firstDifference?.kind).toBe("type");
  });

  it("finds a change at a position outside the sample through the statistics", () => {
    const r = cmp("arr", "arr2");
    expect(r.equal).toBe(false);
    expect(r.firstDifference?.detail).toMatch(/^(mean|std)/);
  });

  it("reports opaque values and differing pickle hashes as not comparable", () => {
    expect(cmp("fn", "fn")).toMatchObject({ comparable: false, equal: false });
    expect(cmp("t1", "t1")).toMatchObject({ equal: true, comparable: true });
    const weak = cmp("t1", "t2");
    expect(weak.comparable).toBe(false);
    expect(weak.why).toContain("pickled");
  });
});

describe("floatDiff", () => {
  const tol = { rtol: 1e-7, atol: 1e-12 };
  it("treats NaN as equal to NaN only", () => {
    expect(floatDiff("nan", "nan", 0, tol).close).toBe(true);
    expect(floatDiff("nan", 1, 0, tol).close).toBe(false);
    expect(floatDiff(null, 1, 0, tol).close).toBe(false);
  });
  it("compares infinities exactly", () => {
    expect(floatDiff("inf", "inf", 0, tol).close).toBe(true);
    expect(floatDiff("inf", "-inf", 0, tol).close).toBe(false);
    expect(floatDiff("inf", 1e308, 0, tol).close).toBe(false);
  });
  it("sits exactly on the tolerance edge", () => {
    expect(floatDiff(1, 1 + 1e-7, 0, tol).close).toBe(true);
    expect(floatDiff(1, 1 + 1.1e-7, 0, tol).close).toBe(false);
    expect(floatDiff(0, 1e-12, 0, tol).close).toBe(true);
    expect(floatDiff(0, 1e-11, 0, tol).close).toBe(false);
    // The scale lets a mean near zero of large values differ by rounding error.
    expect(floatDiff(1e-10, 3e-10, 1e6, tol).close).toBe(true);
  });
});

describe("compareFingerprints on hand-made fingerprints", () => {
  const floats = (over: Partial<FloatValues>): Fingerprint => ({
    type: "numpy.ndarray",
    kind: "ndarray",
    shape: [3],
    dtype: "float64",
    data: {
      exact: false,
      count: 3,
      nan: 1,
      posinf: 0,
      neginf: 0,
      nan_sha256: "n1",
      positions: [0, 1, 2],
      sample: [1, "nan", 3],
      sha256: "h1",
      min: 1,
      max: 3,
      mean: 2,
      std: 1,
      ...over,
    },
  });
  it("compares NaN-aware samples with different byte hashes numerically", () => {
    expect(
      compareFingerprints(floats({}), floats({ sha256: "h2", sample: [1, "nan", 3 + 1e-9] })).equal,
    ).toBe(true);
    const r = compareFingerprints(floats({}), floats({ sha256: "h2", nan: 0, sample: [1, 2, 3] }));
    expect(r.firstDifference?.detail).toBe("1 vs 0 missing values (NaN)");
  });
  it("reports a name missing at the recording point as not comparable", () => {
    const r = compareFingerprints({ type: "?", kind: "missing", why: "`df` is not defined" }, floats({}));
    expect(r).toEqual({ equal: false, comparable: false, why: "`df` is not defined" });
  });
  it("lists nested parts it could not compare", () => {
    const opaque: Fingerprint = { type: "function", kind: "opaque", why: "functions are not compared" };
    const a: Fingerprint = {
      type: "dict",
      kind: "mapping",
      length: 2,
      keys: ["str:'f'", "str:'x'"],
      items: {},
    };
    (a.items as Record<string, Fingerprint>)["str:'f'"] = opaque;
    (a.items as Record<string, Fingerprint>)["str:'x'"] = { type: "int", kind: "scalar", value: 1 };
    expect(compareFingerprints(a, a, undefined, "d")).toEqual({
      equal: true,
      comparable: true,
      notCompared: ['d["f"]'],
    });
  });
});

describe("numbers of different Python types", () => {
  const int = (v: number): Fingerprint => ({ type: "int", kind: "scalar", value: v });
  const float = (v: number): Fingerprint => ({ type: "float", kind: "float", value: v });
  it("compares 1 and 1.0 as the same number, and 1 and 1.5 as different", () => {
    expect(compareFingerprints(int(1), float(1)).equal).toBe(true);
    expect(compareFingerprints({ type: "numpy.int64", kind: "scalar", value: 3 }, int(3)).equal).toBe(true);
    expect(compareFingerprints(int(1), float(1.5)).firstDifference).toMatchObject({
      kind: "values",
      maxAbsDiff: 0.5,
    });
    expect(
      compareFingerprints({ type: "bool", kind: "scalar", value: true }, int(1)).firstDifference?.kind,
    ).toBe("type");
  });
});

describe("comparePrinted", () => {
  const notebook = "CPU times: user 12 ms, sys: 3 ms\nbaseline AUC 0.5\nAUC 0.8123456789\n3 regions\n";

  it("compares the numbers of the lines both sides printed, within the tolerance", () => {
    const same = comparePrinted(notebook, "baseline AUC 0.5\nAUC 0.81234567890001\n");
    expect(same).toEqual({ compared: 2 });
  });

  it("reports the first matched line whose numbers differ", () => {
    const r = comparePrinted(notebook, "AUC 0.8123456789\n4 regions\n");
    expect(r.compared).toBe(2);
    expect(r.difference?.path).toBe("printed");
    expect(r.difference?.detail).toBe('"3 regions" vs "4 regions"');
  });

  it("leaves lines without a counterpart (timings, library logs) uncompared", () => {
    expect(comparePrinted(notebook, "fitted in 0.25 s\nCPU-free line\n")).toEqual({ compared: 0 });
    expect(comparePrinted("", "AUC 0.8")).toEqual({ compared: 0 });
  });
});
