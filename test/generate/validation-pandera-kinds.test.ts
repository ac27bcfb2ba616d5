/**
 * `--validation pandera` on the column kinds the churn example lacks: dates, booleans, a float column with
 * nulls and a column that was already empty, read from a parquet file (so the dtypes survive the file). The
 * schema is rendered from the file's real profile and run in the project's venv on a clean and a broken copy.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileDataFiles } from "../../src/generate/mlops/index.js";
import { renderPanderaValidation } from "../../src/generate/mlops/validation-pandera.js";
import type { ProjectModel } from "../../src/generate/model.js";
import { venvPython } from "../helpers/env.js";
import { sh } from "./project-run.js";

const MAKE_DATA = `
import sys
import numpy as np
import pandas as pd

n = 40
df = pd.DataFrame({
    "when": pd.date_range("2024-01-01", periods=n, freq="D"),
    "flag": [i % 3 == 0 for i in range(n)],
    "score": [np.nan if i % 7 == 0 else i / 4 for i in range(n)],
    "empty": [np.nan] * n,
    "count": list(range(n)),
    "label": ["ab"[i % 2] for i in range(n)],
})
df.to_parquet(sys.argv[1])
`;

const RUN = `
import json, sys
import numpy as np
import pandas as pd
from pandera.errors import SchemaErrors
sys.path.insert(0, sys.argv[1])
from validation import SCHEMAS, DataValidationError, validate_inputs, violations

data = sys.argv[2]
out = {}
try:  # the file as it was profiled, through validate_inputs
    validate_inputs({"data_dir": data, "events_path": "events.parquet"})
    out["clean"] = []
except DataValidationError as err:
    out["clean"] = [str(v) for v in err.violations]

# A broken copy in memory (parquet cannot hold a column of mixed types).
df = pd.read_parquet(f"{data}/events.parquet")
df["when"] = df["when"].astype(object)
df.loc[[4], "when"] = "not a date"
df["flag"] = df["flag"].astype(object)
df.loc[[2], "flag"] = "maybe"
df["score"] = np.nan
df["count"] = df["count"].astype(float)
df.loc[[8], "count"] = 2.5
df.loc[[3], "label"] = "c"
schema = SCHEMAS["events_path"]
try:
    schema.validate(df, lazy=True)
    out["broken"] = []
except SchemaErrors as err:
    out["broken"] = [f"{v.column}: {v.rule}: {'; '.join(v.examples)}" for v in violations(err, df, schema)]
print("RESULT " + json.dumps(out))
`;

describe("pandera validation of dates, booleans, nulls and an empty column (parquet)", () => {
  let root: string;
  let code: string;
  let results: Record<string, string[]>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "fledge-pandera-kinds-"));
    const data = join(root, "data");
    mkdirSync(data);
    writeFileSync(join(root, "make.py"), MAKE_DATA);
    const made = sh(venvPython(), [join(root, "make.py"), join(data, "events.parquet")], root);
    if (made.status !== 0) throw new Error(made.output);
    const { profiles, problems } = await profileDataFiles(venvPython(), [
      { param: "events_path", file: "events.parquet", path: join(data, "events.parquet") },
    ]);
    expect(problems).toEqual([]);
    const model = { packageName: "demo", notebookName: "demo.ipynb" } as ProjectModel;
    code = renderPanderaValidation(model, profiles);
    writeFileSync(join(root, "validation.py"), code);
    writeFileSync(join(root, "run.py"), RUN);
    const r = sh(venvPython(), [join(root, "run.py"), root, data], root);
    const line = r.output.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(r.output);
    results = JSON.parse(line.slice(7));
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("writes a dtype per kind, nullability from the data, and no not-all-null rule for an empty column", () => {
    expect(code).toMatch(/"when": pa\.Column\("datetime64\[\w+\]", nullable=False, coerce=True\)/);
    expect(code).toContain('"flag": pa.Column("boolean", nullable=False, coerce=True)');
    expect(code).toContain(
      '"score": pa.Column(float, checks=[not_all_null(), pa.Check.in_range(0.25, 9.75)], nullable=True, coerce=True)',
    );
    expect(code).toContain("# score: float64, 6 of 40 null (15.0%)");
    expect(code).toContain('"empty": pa.Column(float, nullable=True, coerce=True)');
    expect(code).toContain(
      '"count": pa.Column("Int64", checks=pa.Check.in_range(0, 39), nullable=False, coerce=True)',
    );
    expect(code).toContain('"label": pa.Column(str, checks=pa.Check.isin(["a", "b"]), nullable=False)');
  });

  it("accepts the data it was inferred from, empty column included", () => {
    expect(results.clean).toEqual([]);
  });

  it("reports every broken rule of each kind with its rows", () => {
    expect(results.broken).toEqual([
      "when: wrong type: expected datetime64[ns], got object: row 4: 'not a date'",
      "flag: wrong type: expected boolean, got object: row 2: 'maybe'",
      "score: every value is null: ",
      "count: wrong type: expected Int64, got float64: row 8: 2.5",
      "label: unexpected value(s), allowed: ['a', 'b']: row 3: 'c'",
    ]);
  });
});
