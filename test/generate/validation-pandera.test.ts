/**
 * `--validation pandera` (issue 9): validation.py as pandera schemas inferred from the churn example's data,
 * installed from the generated pyproject into a fresh virtualenv (so pandera must be a declared dependency),
 * then run on corrupted copies of customers.csv — a missing column, a wrong dtype, out-of-range values, an
 * unexpected category, all nulls, several at once — each violated rule reported with column, rule and bad rows.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileDataFiles } from "../../src/generate/mlops/index.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { type ExtractedExample, extractChurn } from "../mlops/project.js";
import { freshVenv, type Run, sh } from "./project-run.js";

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
    elif case == "fraction":
        df["tenure_months"] = df["tenure_months"].astype(float)
        df.loc[[5], "tenure_months"] = 3.5
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
cases = ["clean", "missing_column", "wrong_dtype", "fraction", "out_of_range", "unexpected_category", "all_nulls", "several"]
for case in cases:
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

describe("data validation with pandera (churn example, corrupted copies)", () => {
  let ex: ExtractedExample;
  let venv: ReturnType<typeof freshVenv>;
  let results: Record<string, Outcome>;
  const ok = (r: Run) => expect(r.status, r.output).toBe(0);

  beforeAll(async () => {
    const files = [
      { param: "data_path", file: "data/customers.csv" },
      { param: "new_customers_path", file: "data/new_customers.csv" },
    ];
    const { profiles, problems } = await profileDataFiles(
      venvPython(),
      files.map((f) => ({ ...f, path: join(ROOT, "examples", "churn", f.file) })),
    );
    expect(problems).toEqual([]);
    ex = await extractChurn({ validation: { profiles, library: "pandera" } });
    // Only what the generated pyproject declares: pandera must come from its dependencies.
    venv = freshVenv(ex.root, ex.project);
    ok(venv.install);
    writeFileSync(join(ex.root, "corrupt.py"), CORRUPT); // beside the project: not linted with it
    const r = sh(
      venv.python,
      [join(ex.root, "corrupt.py"), join(ex.root, "nb", "data")],
      ex.project,
      venv.env,
    );
    const line = r.output.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(r.output);
    results = JSON.parse(line.slice(7));
    for (const [k, v] of Object.entries(results))
      if (!v.ok) console.log(`pandera validation report (${k}):\n${v.report}`);
  }, 400_000);

  afterAll(() => {
    if (ex) rmSync(ex.root, { recursive: true, force: true });
  });

  const violations = (c: string): V[] => {
    const o = results[c]!;
    if (o.ok) throw new Error(`${c}: no violation reported`);
    return o.violations;
  };

  it("writes a readable pandera schema per data file, called before the pipeline", () => {
    const code = readFileSync(join(ex.project, "src/churn/validation.py"), "utf8");
    expect(code).toContain("import pandera.pandas as pa");
    expect(code).toContain("CUSTOMERS_SCHEMA = pa.DataFrameSchema(");
    expect(code).toContain("NEW_CUSTOMERS_SCHEMA = pa.DataFrameSchema(");
    expect(code).toContain('"data_path": CUSTOMERS_SCHEMA,');
    expect(code).toContain('pa.Check.isin(["month-to-month", "one-year", "two-year"])');
    expect(code).toMatch(
      /"tenure_months": pa\.Column\(\s*"Int64", checks=pa\.Check\.in_range\(0, 71\), nullable=False, coerce=True\s*\)/,
    );
    // The observed null rate is a comment; a column seen with nulls is nullable but not all-null.
    expect(code).toMatch(/# internet_service: \S+, 26 of 608 null \(4\.3%\)/);
    expect(code).toMatch(
      /"internet_service": pa\.Column\(\s*str, checks=\[not_all_null\(\), pa\.Check\.isin/,
    );
    expect(code).toContain("schema.validate(df, lazy=True)");
    expect(code).not.toContain("check_numeric("); // no plain checks mixed in
    const main = readFileSync(join(ex.project, "src/churn/__main__.py"), "utf8");
    expect(main.indexOf("validate_inputs(params)")).toBeLessThan(main.indexOf("results = run(params)"));
  });

  it("declares pandera as a dependency (pyproject and the Docker image)", () => {
    const pyproject = readFileSync(join(ex.project, "pyproject.toml"), "utf8");
    const deps = pyproject.slice(pyproject.indexOf("dependencies = ["), pyproject.indexOf("\n]\n"));
    expect(deps).toContain('"pandera>=0.24",');
    const docker = readFileSync(join(ex.project, "Dockerfile"), "utf8");
    expect(docker).toContain('RUN pip install --no-cache-dir "pandera>=0.24"');
    expect(docker.indexOf("pandera")).toBeLessThan(docker.indexOf("COPY src/ src/"));
  });

  it("is ruff-clean and its tests pass in a fresh virtualenv", () => {
    ok(sh(venv.python, ["-m", "ruff", "check", "."], ex.project, venv.env));
    ok(sh(venv.python, ["-m", "ruff", "format", "--check", "."], ex.project, venv.env));
    ok(sh(venv.python, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], ex.project, venv.env));
  }, 240_000);

  it("accepts the data it was inferred from", () => {
    expect(results.clean).toEqual({ ok: true });
  });

  it("reports a missing column", () => {
    expect(violations("missing_column")).toEqual([
      { column: "contract", rule: "missing column", examples: [] },
    ]);
  });

  it("reports a wrong dtype with the bad rows (and not the range check that could not run)", () => {
    const v = violations("wrong_dtype");
    expect(v).toHaveLength(1);
    expect(v[0]!.column).toBe("tenure_months");
    expect(v[0]!.rule).toMatch(/^wrong type: expected Int64, got (object|str)$/);
    expect(v[0]!.examples).toEqual(["row 3: 'twelve'", "row 7: 'n/a months'"]);
  });

  it("reports a fraction in a whole-number column with its row (pandera names only the column)", () => {
    expect(violations("fraction")).toEqual([
      { column: "tenure_months", rule: "wrong type: expected Int64, got float64", examples: ["row 5: 3.5"] },
    ]);
  });

  it("reports out-of-range values", () => {
    const v = violations("out_of_range");
    expect(v.map((x) => [x.column, x.rule, x.examples])).toEqual([
      ["monthly_charges", "out of range: expected 18 to 120", ["row 5: 999.0"]],
      ["support_calls", "out of range: expected 0 to 6", ["row 9: -2"]],
    ]);
  });

  it("reports an unexpected category", () => {
    expect(violations("unexpected_category")).toEqual([
      {
        column: "contract",
        rule: "unexpected value(s), allowed: ['month-to-month', 'one-year', 'two-year']",
        examples: ["row 2: 'weekly'", "row 4: 'weekly'"],
      },
    ]);
  });

  it("reports all-null columns (nullable or not), without a spurious type error", () => {
    const v = violations("all_nulls");
    expect(v.map((x) => `${x.column}: ${x.rule}`)).toEqual([
      "internet_service: every value is null",
      "support_calls: null in 608 row(s), never null before",
    ]);
    expect(v[1]!.examples.slice(0, 2)).toEqual(["row 0: nan", "row 1: nan"]);
    expect(v[1]!.examples).toHaveLength(5);
  });

  it("lists every violated rule in one report, not the first", () => {
    expect(violations("several").map((x) => `${x.column}: ${x.rule}: ${x.examples.join("; ")}`)).toEqual([
      "churn: missing column: ",
      "contract: unexpected value(s), allowed: ['month-to-month', 'one-year', 'two-year']: row 1: 'lifetime'",
      "monthly_charges: out of range: expected 18 to 120: row 6: -1.0",
    ]);
  });

  it("python -m <pkg> stops with exit code 1 and the report on bad data", () => {
    const data = join(ex.root, "nb", "data", "customers.csv");
    const original = readFileSync(data, "utf8");
    const lines = original.split("\n");
    const i = lines[0]!.split(",").indexOf("contract");
    const row = lines[1]!.split(",");
    row[i] = "weekly";
    lines[1] = row.join(",");
    writeFileSync(data, lines.join("\n"));
    try {
      const r = sh(venv.python, ["-m", "churn"], ex.project, venv.env);
      expect(r.status, r.output).toBe(1);
      expect(r.output).toContain("the input data broke 1 rule(s):");
      expect(r.output).toContain(
        "data/customers.csv: column 'contract': unexpected value(s), allowed: ['month-to-month', 'one-year', 'two-year'] (e.g. row 0: 'weekly')",
      );
      expect(r.output).not.toContain("Traceback");
      expect(r.output).not.toContain("step 1/");
    } finally {
      writeFileSync(data, original);
    }
    ok(sh(venv.python, ["-m", "churn"], ex.project, venv.env));
  }, 180_000);
});
