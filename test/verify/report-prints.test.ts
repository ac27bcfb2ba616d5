/**
 * A reporting print (`print(f"{regions_seen} regions")`, graph/reports.ts) is kept in its step and logged by the
 * generated code, so `fledge verify` compares what it reports with what the notebook printed: a changed count
 * is a difference at that step, not an undetectable change (the sales_report mutant of issue 8). The recorded
 * pipeline test checks the same line: it passes as extracted and fails when the count changes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { venvPython } from "../helpers/env.js";
import { notebookJson } from "../kernel/notebooks.js";
import { type Extracted, extractWithRecording } from "./extract-helper.js";

const scratch = mkdtempSync(join(tmpdir(), "fledge-report-prints-"));
let extracted: Extracted | undefined;

function writeNotebook(): string {
  const dir = join(scratch, "src");
  mkdirSync(dir, { recursive: true });
  const rows = ["order_id,region,amount"];
  for (let i = 0; i < 40; i++) rows.push(`${i},${["north", "south", "east"][i % 3]},${10 + ((i * 7) % 50)}`);
  writeFileSync(join(dir, "orders.csv"), `${rows.join("\n")}\n`);
  const md = (source: string) => ({ type: "markdown" as const, source });
  const json = notebookJson([
    md("# Orders by region"),
    "import pandas as pd",
    md("## Load the orders"),
    'orders = pd.read_csv("orders.csv")\norders.head()',
    md("## Count the regions"),
    'regions_seen = orders["region"].nunique()\nprint(f"{regions_seen} regions")\nprint(orders.head())',
    md("## Save the totals"),
    'totals = orders.groupby("region")["amount"].sum()\ntotals.to_csv("totals.csv")\nprint(totals)',
  ]);
  const path = join(dir, "orders.ipynb");
  writeFileSync(path, json);
  return path;
}

const stepSource = (x: Extracted, step: string) => join(x.project, "src", "orders", "steps", `${step}.py`);

beforeAll(async () => {
  extracted = await extractWithRecording(writeNotebook());
}, 300_000);

afterAll(() => {
  if (extracted) rmSync(extracted.root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe("a reporting print in the pipeline", () => {
  it("is logged by its step; the exploration prints are not", () => {
    const x = extracted!;
    const step = readFileSync(stepSource(x, "compute_regions_seen"), "utf8");
    expect(step).toContain('regions_seen = orders["region"].nunique()');
    expect(step).toContain('logger.info(f"{regions_seen} regions")');
    expect(step).not.toContain("head()");
    const all = ["load_orders", "compute_regions_seen", "save_totals"]
      .map((s) => readFileSync(stepSource(x, s), "utf8"))
      .join("\n");
    expect(all).not.toMatch(/\bprint\(|logger\.info\(totals\)/);
  });

  it("is compared by verify: equal as extracted, a difference at its step when the count changes", async () => {
    const x = extracted!;
    const ok = await runCli(["verify", x.project, "--python", venvPython(), "--json"]);
    expect(ok.code, ok.output).toBe(0);
    const okSteps = JSON.parse(ok.stdout).steps as { step: string; status: string; outputs?: string[] }[];
    const count = okSteps.find((s) => s.step === "compute_regions_seen");
    expect(count?.status).toBe("equal");
    const path = stepSource(x, "compute_regions_seen");
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace(".nunique()", ".nunique() + 1"));
    try {
      const r = await runCli(["verify", x.project, "--python", venvPython(), "--json"]);
      const steps = JSON.parse(r.stdout).steps as {
        step: string;
        status: string;
        difference?: { name: string; detail?: string };
      }[];
      const changed = steps.find((s) => s.step === "compute_regions_seen");
      expect(changed?.status, r.stdout).toBe("different");
      expect(changed?.difference?.name).toBe("printed");
      expect(r.code).toBe(1);
    } finally {
      writeFileSync(path, original);
    }
  }, 300_000);

  it("is checked by the recorded pipeline test: passes as extracted, fails when the count changes", () => {
    const x = extracted!;
    const test = readFileSync(join(x.project, "tests", "test_pipeline.py"), "utf8");
    expect(test).toContain('assert_reported(caplog, "orders.steps.compute_regions_seen", ["3 regions"])');
    const pytest = () =>
      spawnSync(venvPython(), ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_pipeline.py"], {
        cwd: x.project,
        env: { ...process.env, PYTHONPATH: join(x.project, "src") },
        encoding: "utf8",
        timeout: 240_000,
      });
    const ok = pytest();
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const path = stepSource(x, "compute_regions_seen");
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace(".nunique()", ".nunique() + 1"));
    try {
      const r = pytest();
      expect(r.status, r.stdout).toBe(1);
      expect(r.stdout).toContain("logged '4 regions'; the notebook printed '3 regions'");
    } finally {
      writeFileSync(path, original);
    }
  }, 300_000);
});
