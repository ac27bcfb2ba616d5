import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReply } from "../../src/verify/helper.js";
import { callExpression, runHelper } from "./py.js";

const tmp = mkdtempSync(join(tmpdir(), "fledge-record-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FRAME = `
import numpy as np, pandas as pd
n = 500
rng = np.random.default_rng(1)
df = pd.DataFrame({
    "id": np.arange(n),
    "income": rng.normal(50_000, 8_000, n),
    "city": pd.Categorical(rng.choice(["Lyon", "Paris", "Nice"], n, p=[0.05, 0.9, 0.05])),
    "plan": rng.choice(["basic", "pro"], n),
    "note": ["ok"] * n,
})
df.loc[437, "income"] = np.nan
df.loc[300, "plan"] = "enterprise"
df.loc[12, "note"] = "token = sk-abcdefghijklmnopqrstuvwx"
target = (df["income"] > 50_000).to_numpy()
X = rng.normal(size=(n, 4))
`;

function fixtures(call: string, setup = FRAME) {
  const { replies, leaked } = runHelper(setup, [call]);
  return { reply: replies[0] as string, leaked };
}

describe("recording helper in a plain interpreter", () => {
  it("leaves no name in the user's namespace and gives the same fingerprint whatever PYTHONHASHSEED", () => {
    const call = callExpression("fingerprint_names", [["df", "X"]]);
    const a = runHelper(FRAME, [call], { env: { PYTHONHASHSEED: "1" } });
    const b = runHelper(FRAME, [call], { env: { PYTHONHASHSEED: "999" } });
    expect(a.leaked).toEqual([]);
    expect(a.replies[0]).toBe(b.replies[0]);
    // Integer columns carry their sum (for readable pipeline checks); category codes do not.
    const data = JSON.parse(a.replies[0] as string).result.df.data;
    expect(data.id.sum).toBe(124_750);
    expect(data.city.sum).toBeUndefined();
  }, 60_000);

  it("samples aligned rows covering missing values and every category, and redacts secrets", () => {
    const folder = join(tmp, "clean_data");
    const { reply } = fixtures(
      callExpression(
        "save_inputs",
        [folder, ["df", "target", "X", "missing_name"]],
        { max_rows: 20 },
        "_fledge_fixtures",
      ),
    );
    const result = parseReply<{ manifest: Record<string, unknown>; bytes: number }>(reply, "save_inputs");
    expect(result.manifest.missing).toEqual(["missing_name"]);
    expect(result.manifest.redacted).toEqual(["df['note'] (1 values)"]);
    expect(readdirSync(folder).sort()).toEqual([
      "in_X.npy",
      "in_df.parquet",
      "in_target.npy",
      "manifest.json",
    ]);
    // Read the sample back with pandas and check what it covers.
    const check = runHelper(
      `import sys; sys.path.insert(0, ${JSON.stringify(join(process.cwd(), "python"))})
import fledge_fixture_loader as L, numpy as np
df = L.load_recorded("clean_data", "inputs/df", root=${JSON.stringify(tmp)})
X = L.load_recorded("clean_data", "inputs/X", root=${JSON.stringify(tmp)})
t = L.load_recorded("clean_data", "inputs/target", root=${JSON.stringify(tmp)})
info = dict(rows=len(df), cities=sorted(df.city.unique().tolist()), plans=sorted(df.plan.unique().tolist()),
  nan=int(df.income.isna().sum()), ids=df.id.tolist(), xr=X.shape[0], tr=len(t),
  aligned=bool((t == (df.income > 50_000).to_numpy()).all()), secret=bool(df.note.str.contains("sk-").any()),
  dtype=str(df.city.dtype))`,
      ["__import__('json').dumps(info)"],
    );
    const info = JSON.parse(check.replies[0] as string);
    expect(info.rows).toBe(20);
    expect(info.cities).toEqual(["Lyon", "Nice", "Paris"]);
    expect(info.plans).toEqual(["basic", "enterprise", "pro"]);
    expect(info.nan).toBe(1);
    expect(info.ids).toContain(437);
    expect(info.ids).toContain(300);
    expect(info.xr).toBe(20);
    expect(info.tr).toBe(20);
    expect(info.aligned).toBe(true);
    expect(info.secret).toBe(false);
    expect(info.dtype).toBe("category");
  }, 60_000);

  it("shrinks samples to the size budget", () => {
    const folder = join(tmp, "budget");
    const { reply } = fixtures(
      callExpression("save_inputs", [folder, ["X"]], { max_rows: 400, budget: 4000 }, "_fledge_fixtures"),
    );
    const r = parseReply<{ manifest: { rows: number }; bytes: number }>(reply, "save_inputs");
    expect(r.bytes).toBeLessThanOrEqual(4000);
    expect(r.manifest.rows).toBeLessThan(400);
  }, 60_000);

  it("writes synthetic rows with the same schema and no real row", () => {
    const folder = join(tmp, "synthetic");
    const { reply } = fixtures(
      callExpression("save_inputs", [folder, ["df"]], { max_rows: 30, synthetic: true }, "_fledge_fixtures"),
    );
    parseReply(reply, "save_inputs");
    const check = runHelper(
      `import sys; sys.path.insert(0, ${JSON.stringify(join(process.cwd(), "python"))})
import fledge_fixture_loader as L
${FRAME}
s = L.load_recorded("synthetic", "inputs/df", root=${JSON.stringify(tmp)})
shared = s.dropna(subset=["income"]).merge(df.dropna(subset=["income"]), on=["income"]).shape[0]
info = dict(rows=len(s), dtypes=[str(t) for t in s.dtypes], real=[str(t) for t in df.dtypes], shared=shared,
  cities=sorted(set(s.city.dropna()) - {"Lyon", "Paris", "Nice"}))`,
      ["__import__('json').dumps(info)"],
    );
    const info = JSON.parse(check.replies[0] as string);
    expect(info.rows).toBe(30);
    expect(info.dtypes).toEqual(info.real);
    expect(info.shared).toBe(0);
    expect(info.cities).toEqual([]);
  }, 60_000);

  it("calls a step on its sample, twice, and saves the outputs it returned", () => {
    const src = join(tmp, "src");
    mkdirSync(join(src, "demo_pkg", "steps"), { recursive: true });
    writeFileSync(join(src, "demo_pkg", "__init__.py"), "");
    writeFileSync(join(src, "demo_pkg", "steps", "__init__.py"), "");
    writeFileSync(
      join(src, "demo_pkg", "steps", "clean.py"),
      [
        "import numpy as np",
        "def clean(df, threshold=0.5, scale=1.0):",
        "    out = df.dropna().assign(income=lambda d: d.income * scale)",
        "    return out, len(out), float(np.random.random()) if threshold > 1 else threshold",
      ].join("\n"),
    );
    const folder = join(tmp, "clean");
    const save = callExpression("save_inputs", [folder, ["df"]], { max_rows: 10 }, "_fledge_fixtures");
    const call = callExpression(
      "call_step",
      [folder, "demo_pkg.steps.clean", "clean", { scale: 2.0, threshold: 0.3 }, ["clean_df", "rows", "t"]],
      { src_dir: src },
      "_fledge_fixtures",
    );
    const random = callExpression(
      "call_step",
      [folder, "demo_pkg.steps.clean", "clean", { threshold: 2 }, ["clean_df", "rows", "t"]],
      { src_dir: src },
      "_fledge_fixtures",
    );
    const { replies, leaked } = runHelper(FRAME, [save, call, random]);
    expect(leaked).toEqual([]);
    const r = parseReply<{
      deterministic: boolean;
      arguments: string[];
      outputs: Record<string, { format: string }>;
    }>(replies[1] as string, "call_step");
    expect(r.deterministic).toBe(true);
    expect(r.arguments).toEqual(["df", "scale", "threshold"]);
    expect(Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.format]))).toEqual({
      clean_df: "parquet",
      rows: "json",
      t: "json",
    });
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
    expect(manifest.outputs.rows.file).toBe("out_rows.json");
    const r2 = parseReply<{ deterministic: boolean }>(replies[2] as string, "call_step");
    expect(r2.deterministic).toBe(false);
  }, 60_000);
});
