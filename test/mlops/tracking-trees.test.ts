/**
 * Tracking a tree ensemble: MLflow 3 saves scikit-learn models with skops, which refuses a model holding
 * types it does not trust by default (a forest's `sklearn.tree._tree.Tree`). Before the generated tracking
 * named the model's own types as trusted, `python -m <pkg>` failed at the end of every run of such a
 * notebook. This runs the extracted churn_classification fixture (a RandomForest) with tracking on in the
 * project venv and loads the logged model back.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { ROOT, venvPython } from "../helpers/env.js";

const FIXTURE = join(ROOT, "test", "fixtures", "notebooks", "extract", "churn_classification");
const dir = mkdtempSync(join(tmpdir(), "fledge-tracking-trees-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOAD_BACK = `
import sys, mlflow, mlflow.sklearn
mlflow.set_tracking_uri(sys.argv[1])
client = mlflow.tracking.MlflowClient()
exp = client.get_experiment_by_name("churn_classification")
run = client.search_runs([exp.experiment_id])[0]
model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
print("LOADED", type(model).__name__)
`;

describe("tracked run of a tree ensemble", () => {
  it("logs the forest with skops and loads it back", async () => {
    const python = venvPython();
    cpSync(FIXTURE, join(dir, "nb"), { recursive: true });
    const project = join(dir, "proj");
    const extract = await runCli(
      [
        "extract",
        join("nb", "churn_classification.ipynb"),
        "-o",
        project,
        "--no-record",
        "--no-git",
        "--python",
        python,
      ],
      { cwd: dir },
    );
    expect(extract.code, extract.output).toBe(0);
    const uri = `sqlite:///${join(dir, "mlruns.db")}`;
    const env = { ...process.env, PYTHONPATH: join(project, "src"), MLFLOW_TRACKING_URI: uri };
    const run = spawnSync(python, ["-m", "churn_classification"], { cwd: project, env, encoding: "utf8" });
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    expect(run.stderr).toContain("tracked as MLflow run");
    const back = spawnSync(python, ["-c", LOAD_BACK, uri], { cwd: project, env, encoding: "utf8" });
    expect(back.status, back.stderr.slice(-3000)).toBe(0);
    expect(back.stdout).toMatch(/LOADED (RandomForestClassifier|Pipeline)/);
  }, 240_000);
});
