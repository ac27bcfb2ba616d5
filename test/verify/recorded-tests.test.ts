/**
 * End to end on the bundled example: record the notebook in a real kernel, generate the project, finish the
 * recorded tests inside the kernel, write everything, then run the generated tests with pytest — and check
 * that they catch a changed step.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject, initGenerate } from "../../src/generate/project.js";
import { buildDataflow } from "../../src/graph/dataflow.js";
import { buildWorkflowMap } from "../../src/graph/steps.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { analyzeNotebook, initPython } from "../../src/python/index.js";
import { startRecording } from "../../src/verify/session.js";
import type { StepFixture } from "../../src/verify/tests-emitter.js";
import { ROOT, venvPython } from "../helpers/env.js";

const scratch = mkdtempSync(join(tmpdir(), "fledge-recorded-"));
// The notebook writes outputs/ next to itself: run a copy, so the repository's example stays untouched.
const NOTEBOOK = join(scratch, "churn", "churn.ipynb");
const out = join(scratch, "project");
let steps: StepFixture[] = [];
let failure: unknown;

function pytest(...args: string[]) {
  return spawnSync(venvPython(), ["-m", "pytest", "-q", "-p", "no:cacheprovider", ...args], {
    cwd: out,
    env: { ...process.env, PYTHONPATH: join(out, "src") },
    encoding: "utf8",
    timeout: 240_000,
  });
}

beforeAll(async () => {
  cpSync(join(ROOT, "examples", "churn"), dirname(NOTEBOOK), {
    recursive: true,
    filter: (src) => !src.includes(`${sep}outputs`),
  });
  const nb = (await readNotebookFile(NOTEBOOK)).notebook;
  await initPython();
  await initGenerate();
  const analysis = analyzeNotebook(nb);
  const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis));
  const session = await startRecording({
    notebookPath: NOTEBOOK,
    nb,
    analysis,
    map,
    kernel: { python: venvPython() },
  });
  try {
    failure = session.recording.failure;
    const rel = relative(out, dirname(NOTEBOOK)).split("\\").join("/");
    const gen = generateProject({
      notebook: nb,
      analysis,
      map,
      notebookRelPath: `${rel}/churn.ipynb`,
      dataDir: rel,
      options: {},
    });
    const done = await session.finish(gen.model, gen.files);
    steps = done.steps;
    for (const f of done.files) {
      mkdirSync(dirname(join(out, f.path)), { recursive: true });
      writeFileSync(join(out, f.path), f.content);
    }
    for (const f of done.fixtures) {
      mkdirSync(dirname(join(out, f.path)), { recursive: true });
      copyFileSync(f.source, join(out, f.path));
    }
  } finally {
    await session.close();
  }
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("recorded tests on the example notebook", () => {
  it("records the whole run and writes a sample test for every step that takes values from another", () => {
    expect(failure).toBeUndefined();
    const tested = steps.filter((s) => !s.skipped).map((s) => s.step);
    expect(tested).toEqual(["clean_data", "build_features", "train_model", "evaluate_model"]);
    expect(steps.find((s) => s.step === "load_data")?.skipped).toBe("it reads the notebook's data files");
    const test = readFileSync(join(out, "tests", "test_clean_data.py"), "utf8");
    expect(test).toContain(
      "assert_frame_equal(result, expected_df, check_exact=False, rtol=RTOL, atol=ATOL)",
    );
    const pipeline = readFileSync(join(out, "tests", "test_pipeline.py"), "utf8");
    expect(pipeline).toMatch(/assert results\["accuracy"\] == pytest\.approx\(0\.\d+, rel=1e-7\)/);
    expect(pipeline).toMatch(/assert float\(results\["df"\]\["\w+"\]\.mean\(\)\) == pytest\.approx\(/);
    // The file the notebook wrote is checked against the one the pipeline writes.
    expect(pipeline).toContain(
      'written_predictions_path = pd.read_csv(tmp_path / params["predictions_path"])',
    );
    expect(pipeline).toContain(
      'assert list(written_predictions_path.columns) == ["customer_id", "churn_probability"]',
    );
    // Fitted models: what fit learnt and what they predict on the sample.
    const train = readFileSync(join(out, "tests", "test_train_model.py"), "utf8");
    expect(train).toContain("assert_fitted_equal(result_model, expected_model)");
    expect(pipeline).toMatch(/assert list\(results\["scaler"\]\.feature_names_in_\) == \[\s*"tenure_months"/);
  });

  it("passes pytest on the generated project, and the project is ruff-clean", () => {
    const r = pytest();
    expect(r.stdout).toMatch(/\d+ passed/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const ruff = spawnSync(join(dirname(venvPython()), "ruff"), ["check", "."], {
      cwd: out,
      encoding: "utf8",
    });
    expect(ruff.status, ruff.stdout).toBe(0);
  }, 300_000);

  it("fails the recorded test of a step whose behaviour changed", () => {
    const path = join(out, "src", "churn", "steps", "clean_data.py");
    const original = readFileSync(path, "utf8");
    expect(original).toContain("dropna(");
    try {
      writeFileSync(path, original.replace(/^(\s*)(.*\.dropna\(.*)$/m, "$1pass  # $2"));
      const r = pytest("tests/test_clean_data.py");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("test_clean_data_on_recorded_sample");
    } finally {
      writeFileSync(path, original);
    }
  }, 300_000);

  it("fails the pipeline test when the step writing predictions.csv swaps its columns", () => {
    const path = join(out, "src", "churn", "steps", "predict_customers.py");
    const original = readFileSync(path, "utf8");
    const columns = 'new[["customer_id", "churn_probability"]]';
    expect(original).toContain(columns);
    try {
      writeFileSync(path, original.replace(columns, 'new[["churn_probability", "customer_id"]]'));
      const r = pytest("tests/test_pipeline.py");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("test_pipeline_reproduces_the_notebook");
    } finally {
      writeFileSync(path, original);
    }
  }, 300_000);
});
