/**
 * Synthetic fixtures (python/fledge_synth.py) in a plain interpreter: rows follow the recorded schema
 * (columns, dtypes, index type, categories, ranges, missing share), are seeded, and never hold a real value of
 * a free-text column.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/env.js";
import { runHelper } from "./py.js";

const hasVenv = existsSync(join(process.env.FLEDGE_VENV ?? join(ROOT, ".venv")));

const DATA = `
import numpy as np, pandas as pd
n = 300
rng = np.random.default_rng(7)
df = pd.DataFrame({
    "customer": [f"Cust-{i:04d} {'Zed' if i % 2 else 'Amy'}" for i in range(n)],
    "plan": rng.choice(["basic", "pro", "team"], n),
    "region": pd.Categorical(rng.choice(["north", "south"], n), categories=["east", "north", "south"]),
    "age": rng.integers(18, 90, n),
    "score": rng.normal(0.5, 0.1, n).round(3),
    "price": rng.uniform(10, 99, n).round(2),
    "active": rng.random(n) < 0.3,
    "signup": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
    "charges": [f"{v:.2f}" for v in rng.uniform(5, 500, n)],
    "when": [f"2024-02-{1 + i % 28:02d} {i % 24:02d}:30" for i in range(n)],
    "note": ["token = sk-abcdefghijklmnopqrstuvwx"] + ["fine"] * (n - 1),
}, index=pd.Index(rng.permutation(1000)[:n], name="row"))
df.loc[df.index[[3, 50, 77]], "score"] = np.nan
df.loc[df.index[[5, 9]], "charges"] = " "
X = df[["age", "price"]]
y = df["active"]
arr = np.column_stack([rng.normal(size=n), rng.integers(0, 3, n)])
`;

/** Runs `code` (which sets `info`) after the helper is installed, with `synth` bound to the module. */
function run(code: string): Record<string, unknown> {
  const body = `synth = __import__("sys").modules["_fledge_synth"]\n${code}`;
  const call = `(exec(${JSON.stringify(body)}, globals()), __import__('json').dumps(info, default=str))[1]`;
  const { replies } = runHelper(DATA, [call]);
  return JSON.parse(replies[0] as string) as Record<string, unknown>;
}

describe.skipIf(!hasVenv)("synthetic rows from the recorded schema", () => {
  it("keeps columns, dtypes and index type; categories, ranges and missing share follow the real data", () => {
    const info = run(`
notes = []
s = synth.synthesize(df, 40, seed=3, name="df", notes=notes)
real_text = set(df["customer"])
info = dict(
  rows=len(s), columns=list(s.columns) == list(df.columns),
  dtypes=[str(t) for t in s.dtypes] == [str(t) for t in df.dtypes],
  index=[type(s.index).__name__, str(s.index.dtype), s.index.name],
  plans=sorted(set(s.plan)), regions=sorted(set(s.region.dropna())), region_cats=list(s.region.cat.categories),
  age=[int(s.age.min()) >= 18, int(s.age.max()) <= 89],
  price=[bool(s.price.between(df.price.min(), df.price.max()).all()), bool((s.price.round(2) == s.price).all())],
  score_nan=int(s.score.isna().sum()),
  active=sorted(set(s.active.tolist())),
  signup=[bool(s.signup.min() >= df.signup.min()), bool(s.signup.max() <= df.signup.max()),
          bool((s.signup == s.signup.dt.normalize()).all())],
  customer_real=sorted(set(s.customer) & real_text),
  customer_shape=bool(s.customer.str.fullmatch(r"[A-Z][a-z]{3}-\\d{4} [A-Z][a-z]{2}").all()),
  charges=[bool(pd.to_numeric(s.charges, errors="coerce").dropna().between(5, 500).all()),
           int((s.charges == " ").sum()), sorted(set(s.charges) & set(df.charges) - {" "})],
  when=bool(pd.to_datetime(s.when, format="%Y-%m-%d %H:%M").between("2024-02-01", "2024-02-28 23:30").all()),
  notes=notes,
  secret=bool(s.note.str.contains("sk-").any()),
)`);
    expect(info.rows).toBe(40);
    expect(info.columns).toBe(true);
    expect(info.dtypes).toBe(true);
    expect(info.index).toEqual(["Index", "int64", "row"]);
    expect(info.plans).toEqual(["basic", "pro", "team"]);
    expect(info.regions).toEqual(["north", "south"]);
    expect(info.region_cats).toEqual(["east", "north", "south"]);
    expect(info.age).toEqual([true, true]);
    expect(info.price).toEqual([true, true]);
    expect(info.score_nan).toBeGreaterThanOrEqual(1);
    expect(info.active).toEqual([false, true]);
    expect(info.signup).toEqual([true, true, true]);
    expect(info.customer_real).toEqual([]);
    expect(info.customer_shape).toBe(true);
    expect(info.charges).toEqual([true, expect.any(Number), []]);
    expect(info.when).toBe(true);
    expect(info.secret).toBe(false);
    expect(String(info.notes)).toContain("dates written as text");
  }, 60_000);

  it("is deterministic for a seed, differs with another seed, and keeps X and y aligned", () => {
    const info = run(`
a = synth.synthesize(df, 30, seed=1, name="df")
b = synth.synthesize(df, 30, seed=1, name="df")
c = synth.synthesize(df, 30, seed=2, name="df")
sx, sy = synth.synthesize(X, 25, seed=1, name="X"), synth.synthesize(y, 25, seed=1, name="y")
info = dict(same=bool(a.equals(b)), other=bool(not a.equals(c)), aligned=bool(sx.index.equals(sy.index)),
  unique=bool(sx.index.is_unique), y=[str(sy.dtype), sy.name])`);
    expect(info).toEqual({ same: true, other: true, aligned: true, unique: true, y: ["bool", "active"] });
  }, 60_000);

  it("refuses a seed that is not a whole number from 0 to 2^32-1 (it would alias another seed's rows)", () => {
    const info = run(`
def refused(seed):
    try:
        synth.synthesize(df, 5, seed=seed, name="df")
    except ValueError as e:
        return str(e)
    return None
info = dict(bad=[refused(s) for s in (-1, 2**32, 1.5, "3", True)], ok=refused(2**32 - 1))`);
    const bad = info.bad as (string | null)[];
    for (const msg of bad) expect(msg).toMatch(/^seed must be a whole number from 0 to 4294967295, got /);
    expect(info.ok).toBeNull();
  }, 60_000);

  it("generates arrays column by column and long lists of text as placeholders; keeps parameters", () => {
    const info = run(`
a = synth.synthesize(arr, 12, seed=0, name="arr")
ids = synth.synthesize(list(df["customer"]), 10, seed=0, name="ids")
info = dict(shape=list(a.shape), dtype=str(a.dtype), col1=sorted(set(a[:, 1].tolist())),
  col0=bool((a[:, 0] >= arr[:, 0].min()).all() and (a[:, 0] <= arr[:, 0].max()).all()),
  ids=[len(ids), type(ids).__name__, sorted(set(ids) & set(df["customer"]))],
  params=[synth.synthesize(["age", "price"], 5) == ["age", "price"], synth.synthesize(0.25, 5) == 0.25])`);
    expect(info).toEqual({
      shape: [12, 2],
      dtype: "float64",
      col1: [0, 1, 2],
      col0: true,
      ids: [10, "list", []],
      params: [true, true],
    });
  }, 60_000);

  it("keeps unusual dtypes (unsigned, float32, nullable, string, time zones, timedeltas, mixed objects)", () => {
    const info = run(`
m = 100
e = pd.DataFrame({
  "u8": np.arange(m).astype("uint8"),
  "f32": np.linspace(0, 1, m).astype("float32"),
  "I64": pd.array([None if i % 10 == 0 else i for i in range(m)], dtype="Int64"),
  "B": pd.array([None if i % 7 == 0 else i % 2 == 0 for i in range(m)], dtype="boolean"),
  "S": pd.array([None if i % 9 == 0 else f"name {i}" for i in range(m)], dtype="string"),
  "tz": pd.date_range("2024-01-01", periods=m, freq="h", tz="Europe/Paris"),
  "td": pd.to_timedelta(np.arange(m) * 7, unit="s"),
  "cat": pd.Categorical([None if i % 5 == 0 else "abc"[i % 3] for i in range(m)]),
  "mixed": [i if i % 2 else f"x{i}" for i in range(m)],
})
notes = []
s = synth.synthesize(e, 30, seed=0, name="e", notes=notes)
empty = synth.synthesize(e.iloc[:0], 0, seed=0, name="empty")
info = dict(
  same=[c for c in e.columns if str(s[c].dtype) != str(e[c].dtype)],
  tz=bool(s.tz.between(e.tz.min(), e.tz.max()).all()),
  td=bool((s.td.dt.total_seconds() % 1 == 0).all()),
  missing=[int(s[c].isna().sum()) > 0 for c in ["I64", "B", "S", "cat"]],
  empty=[list(empty.shape), [c for c in e.columns if str(empty[c].dtype) != str(e[c].dtype)]],
  notes=notes,
)`);
    expect(info.same).toEqual([]);
    expect(info.tz).toBe(true);
    expect(info.td).toBe(true);
    expect(info.missing).toEqual([true, true, true, true]);
    expect(info.empty).toEqual([[0, 9], []]);
    expect(info.notes).toEqual(["e['mixed']: values of type int, str generated from their text (str)"]);
  }, 60_000);
});
