/**
 * Data validation (issue 9): validation.py inferred from the churn example's data, then run on corrupted
 * copies of customers.csv — a missing column, a wrong dtype, out-of-range values, an unexpected category,
 * all nulls — each reported with its column, rule and bad rows; a file breaking several rules gets every one.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileDataFiles } from "../../src/generate/mlops/index.js";
import { sh } from "../generate/project-run.js";
import { venvPython } from "../helpers/env.js";
import { type ExtractedExample, extractChurn } from "./project.js";

const CORRUPT = `
import json, shutil, sys
from pathlib import Path
import pandas as pd
from churn.pipeline import load_params
from churn.validation import DataValidationError, validate_inputs

data = Path(sys.argv[1])
original = data / "customers.csv"
shutil.copy(original, data / "customers.orig.csv")
clean = pd.read_csv(data / "customers.orig.csv")

def corrupt(df, case):
    df = df.copy()
    if case == "missing_column":
        df = df.drop(columns=["contract"])
    elif case == "wrong_dtype":
        df["tenure_months"] = df["tenure_months"].astype(object)
        df.loc[[3, 7], "tenure_months"] = ["twelve", "n/a months"]
    elif case == "out_of_range":
        df.loc[[5], "monthly_charges"] = 999.0
        df.loc[[9], "support_calls"] = -2
    elif case == "unexpected_category":
        df.loc[[2, 4], "contract"] = "weekly"
    elif case == "all_nulls":
        df["internet_service"] = None
        df["support_calls"] = None
    elif case == "several":
        df = df.drop(columns=["churn"])
        df.loc[[1], "contract"] = "lifetime"
        df.loc[[6], "monthly_charges"] = -1.0
    return df

out = {}
for case in ["clean", "missing_column", "wrong_dtype", "out_of_range", "unexpected_category", "all_nulls", "several"]:
    corrupt(clean, case).to_csv(original, index=False)
    try:
        validate_inputs(load_params("params.yaml"))
        out[case] = {"ok": True}
    except DataValidationError as err:
        out[case] = {
            "ok": False,
            "report": str(err),
            "violations": [{"column": v.column, "rule": v.rule, "examples": v.examples} for v in err.violations],
        }
shutil.copy(data / "customers.orig.csv", original)
print("RESULT " + json.dumps(out))
`;

interface V {
  column: string;
  rule: string;
  examples: string[];
}
type Outcome = { ok: true } | { ok: false; report: string; violations: V[] };

describe("data validation (churn example, corrupted copies)", () => {
  let ex: ExtractedExample;
  let results: Record<string, Outcome>;
  const env = { ...process.env, PYTHONPATH: "" };

  beforeAll(async () => {
    const files = [
      { param: "data_path", file: "data/customers.csv" },
      { param: "new_customers_path", file: "data/new_customers.csv" },
    ];
    // Profile the example's own data (the copy made by extractChurn is identical).
    const { ROOT } = await import("../helpers/env.js");
    const { profiles, problems } = await profileDataFiles(
      venvPython(),
      files.map((f) => ({ ...f, path: join(ROOT, "examples", "churn", f.file) })),
    );
    expect(problems).toEqual([]);
    ex = await extractChurn({ validation: { profiles } });
    env.PYTHONPATH = join(ex.project, "src");
    writeFileSync(join(ex.project, "corrupt.py"), CORRUPT);
    const r = sh(venvPython(), ["corrupt.py", join(ex.root, "nb", "data")], ex.project, env);
    const line = r.output.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(r.output);
    results = JSON.parse(line.slice(7));
    for (const [k, v] of Object.entries(results))
      if (!v.ok) console.log(`validation report (${k}):\n${v.report}`);
  }, 300_000);

  afterAll(() => {
    if (ex) rmSync(ex.root, { recursive: true, force: true });
  });

  const violations = (c: string): V[] => {
    const o = results[c]!;
    if (o.ok) throw new Error(`${c}: no violation reported`);
    return o.violations;
  };

  it("generates readable rules and calls them before the pipeline", () => {
    const code = readFileSync(join(ex.project, "src/churn/validation.py"), "utf8");
    expect(code).toContain(
      'check_allowed(df, "contract", ["month-to-month", "one-year", "two-year"], found)',
    );
    expect(code).toContain('check_numeric(df, "tenure_months", found, integer=True, minimum=0, maximum=71)');
    expect(code).toContain('check_not_all_null(df, "internet_service", found)');
    const main = readFileSync(join(ex.project, "src/churn/__main__.py"), "utf8");
    expect(main.indexOf("validate_inputs(params)")).toBeLessThan(main.indexOf("results = run(params)"));
    const lint = sh(venvPython(), ["-m", "ruff", "check", "src"], ex.project, env);
    expect(lint.status, lint.output).toBe(0);
  });

  it("accepts the data it was inferred from", () => {
    expect(results.clean).toEqual({ ok: true });
  });

  it("reports a missing column", () => {
    expect(violations("missing_column")).toEqual([
      { column: "contract", rule: "missing column", examples: [] },
    ]);
  });

  it("reports a wrong dtype with the bad rows", () => {
    const v = violations("wrong_dtype");
    expect(v).toHaveLength(1);
    expect(v[0]!.column).toBe("tenure_months");
    expect(v[0]!.rule).toMatch(/^wrong type: expected numbers/);
    expect(v[0]!.examples).toEqual(["row 3: 'twelve'", "row 7: 'n/a months'"]);
  });

  it("reports out-of-range values", () => {
    const v = violations("out_of_range");
    expect(v.map((x) => [x.column, x.rule, x.examples])).toEqual([
      ["monthly_charges", "above the maximum 120", ["row 5: 999.0"]],
      ["support_calls", "below the minimum 0", ["row 9: -2"]],
    ]);
  });

  it("reports an unexpected category", () => {
    const v = violations("unexpected_category");
    expect(v).toHaveLength(1);
    expect(v[0]!.column).toBe("contract");
    expect(v[0]!.rule).toContain("unexpected value(s)");
    expect(v[0]!.examples).toEqual(["row 2: 'weekly'", "row 4: 'weekly'"]);
  });

  it("reports all-null columns (nullable or not)", () => {
    const v = violations("all_nulls");
    const rules = v.map((x) => `${x.column}: ${x.rule}`);
    expect(rules).toContain("internet_service: every value is null");
    expect(rules.some((r) => /^support_calls: null in \d+ row\(s\), never null before$/.test(r))).toBe(true);
  });

  it("lists every violated rule, not the first", () => {
    const v = violations("several").map((x) => `${x.column}: ${x.rule}`);
    expect(v).toEqual([
      "churn: missing column",
      "contract: unexpected value(s), allowed: ['month-to-month', 'one-year', 'two-year']",
      "monthly_charges: below the minimum 18",
    ]);
  });

  it("python -m <pkg> stops with exit code 1 and the report on bad data", () => {
    const data = join(ex.root, "nb", "data", "customers.csv");
    const original = readFileSync(data, "utf8");
    const lines = original.split("\n");
    const header = lines[0]!.split(",");
    const i = header.indexOf("contract");
    const row = lines[1]!.split(",");
    row[i] = "weekly";
    lines[1] = row.join(",");
    writeFileSync(data, lines.join("\n"));
    try {
      const r = sh(venvPython(), ["-m", "churn"], ex.project, env);
      expect(r.status, r.output).toBe(1);
      expect(r.output).toContain("the input data broke 1 rule(s):");
      expect(r.output).toContain("data/customers.csv: column 'contract': unexpected value(s)");
      expect(r.output).not.toContain("step 1/");
    } finally {
      writeFileSync(data, original);
    }
  }, 120_000);
});
