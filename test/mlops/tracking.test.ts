/**
 * Tracked runs (issue 9): the churn example extracted with tracking, installed in a fresh virtualenv, run
 * without mlflow (one-line notice), then with mlflow from PyPI twice with different parameters; both runs
 * are read back through MLflow's API (parameters, metrics, data hashes, git commit, a model that loads and
 * predicts like the pipeline's). Then once against a real `mlflow server` on a loopback port.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshVenv, type Run, sh, uvPath } from "../generate/project-run.js";
import { type ExtractedExample, extractChurn, freePort, startServer, waitForHttp } from "./project.js";

const CHECK = `
import json, sys
import mlflow, mlflow.pyfunc, mlflow.sklearn, numpy as np, yaml
from mlflow.tracking import MlflowClient
from churn.pipeline import load_params, run

mlflow.set_tracking_uri(sys.argv[1])
client = MlflowClient()
exp = client.get_experiment_by_name("churn")
runs = client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
out = []
for r in runs:
    params = load_params("params.yaml")
    for key in ("max_iter", "logistic_regression_c"):
        params[key] = yaml.safe_load(r.data.params[key])
    res = run(params)
    uri = f"runs:/{r.info.run_id}/model"
    loaded = mlflow.sklearn.load_model(uri)
    X = res["X_test_scaled"]
    same = bool(np.array_equal(loaded.predict(X), res["model"].predict(X))) and bool(
        np.allclose(loaded.predict_proba(X), res["model"].predict_proba(X))
    )
    info = mlflow.models.get_model_info(uri)
    out.append({
        "params": r.data.params,
        "metrics": r.data.metrics,
        "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")},
        "samePredictions": same,
        "pipelineAccuracy": float(res["accuracy"]),
        "signatureInputs": len(info.signature.inputs.inputs) if info.signature else 0,
        "hasInputExample": info.saved_input_example_info is not None,
    })
print("RESULT " + json.dumps(out))
`;

function result(r: Run): Record<string, unknown>[] {
  const line = r.output.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(r.output.slice(-4000));
  return JSON.parse(line.slice(7)) as Record<string, unknown>[];
}

describe.skipIf(!uvPath())("tracked runs with MLflow (churn example)", () => {
  let ex: ExtractedExample;
  let venv: ReturnType<typeof freshVenv>;
  const timings: string[] = [];

  beforeAll(async () => {
    ex = await extractChurn({ tracking: true });
    let t = Date.now();
    venv = freshVenv(ex.root, ex.project);
    timings.push(`install [dev]: ${Date.now() - t} ms`);
    if (venv.install.status !== 0) throw new Error(venv.install.output);
    writeFileSync(join(ex.project, "check_runs.py"), CHECK);
    t = Date.now();
  }, 600_000);

  afterAll(() => {
    console.log(`mlops tracking timings: ${timings.join("; ")}`);
    if (ex) rmSync(ex.root, { recursive: true, force: true });
  });

  it("generates tracking.py, a `tracking` extra and points the command line at run_tracked", () => {
    const paths = ex.extraction.files.map((f) => f.path);
    expect(paths).toContain("src/churn/tracking.py");
    const tracking = readFileSync(join(ex.project, "src/churn/tracking.py"), "utf8");
    expect(tracking).toContain('METRICS: tuple[str, ...] = ("accuracy", "auc")');
    expect(tracking).toContain('DATA_PARAMS: tuple[str, ...] = ("data_path", "new_customers_path")');
    expect(tracking).toContain('MODEL_INPUT: str | None = "X_test_scaled"');
    expect(readFileSync(join(ex.project, "pyproject.toml"), "utf8")).toMatch(
      /^tracking = \["mlflow>=3\.0"\]$/m,
    );
    expect(readFileSync(join(ex.project, "src/churn/__main__.py"), "utf8")).toContain(
      "results = run_tracked(params)",
    );
    // mlflow is an optional extra, never a runtime dependency.
    expect(ex.extraction.model.dependencies.map((d) => d.name)).not.toContain("mlflow");
    const lint = sh(venv.python, ["-m", "ruff", "check", "src"], ex.project, venv.env);
    expect(lint.status, lint.output).toBe(0);
  });

  it("runs untracked with a one-line notice when mlflow is not installed", () => {
    const r = sh(venv.python, ["-m", "churn"], ex.project, venv.env, 600_000);
    expect(r.status, r.output).toBe(0);
    const notices = r.output.split("\n").filter((l) => l.includes("mlflow is not installed"));
    expect(notices).toHaveLength(1);
    expect(r.output).toContain("done; outputs:");
  }, 600_000);

  it("logs two runs with different parameters, read back through MLflow's API", () => {
    let t = Date.now();
    const inst = sh(
      uvPath()!,
      ["pip", "install", "-q", "--python", venv.python, "-e", `${ex.project}[dev,tracking]`],
      ex.root,
      venv.env,
      600_000,
    );
    expect(inst.status, inst.output).toBe(0);
    timings.push(`install [tracking]: ${Date.now() - t} ms`);
    const env = { ...venv.env };
    delete env.MLFLOW_TRACKING_URI;
    for (const c of ["0.1", "10.0"]) {
      t = Date.now();
      const r = sh(
        venv.python,
        ["-m", "churn", "--param", `logistic_regression_c=${c}`, "--param", "max_iter=500"],
        ex.project,
        env,
        600_000,
      );
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(/tracked as MLflow run [0-9a-f]{32} in sqlite:\/\/\/mlruns\.db/);
      timings.push(`tracked run C=${c}: ${Date.now() - t} ms`);
    }
    const check = sh(venv.python, ["check_runs.py", "sqlite:///mlruns.db"], ex.project, env, 600_000);
    expect(check.status, check.output).toBe(0);
    const runs = result(check);
    expect(runs).toHaveLength(2);
    const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
    const head = sh("git", ["rev-parse", "HEAD"], ex.project).output.split("\n")[1]!.trim();
    const cs = runs.map((r) => (r.params as Record<string, string>).logistic_regression_c);
    expect(cs).toEqual(["0.1", "10.0"]);
    for (const r of runs) {
      const params = r.params as Record<string, string>;
      const metrics = r.metrics as Record<string, number>;
      const tags = r.tags as Record<string, string>;
      expect(params.max_iter).toBe("500");
      expect(params.categorical).toBe('["contract", "internet_service"]');
      expect(Object.keys(metrics).sort()).toEqual(["accuracy", "auc"]);
      expect(metrics.accuracy).toBeCloseTo(r.pipelineAccuracy as number, 12);
      expect(metrics.auc).toBeGreaterThan(0.5);
      expect(tags["data.data_path.sha256"]).toBe(sha(join(ex.root, "nb", "data", "customers.csv")));
      expect(tags["data.new_customers_path.sha256"]).toBe(
        sha(join(ex.root, "nb", "data", "new_customers.csv")),
      );
      expect(tags.git_commit).toBe(head);
      expect(r.samePredictions).toBe(true);
      expect(r.signatureInputs).toBeGreaterThan(0);
      expect(r.hasInputExample).toBe(true);
    }
    console.log(
      `mlops tracking runs read back: ${JSON.stringify(runs.map((r) => ({ params: r.params, metrics: r.metrics })))}`,
    );
  }, 1_800_000);

  it("logs to a real `mlflow server` on a loopback port (MLFLOW_TRACKING_URI)", async () => {
    const port = await freePort();
    const mlflowBin = join(venv.bin, process.platform === "win32" ? "mlflow.exe" : "mlflow");
    const server = startServer(
      mlflowBin,
      [
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--workers",
        "1",
        "--backend-store-uri",
        `sqlite:///${join(ex.root, "server.db")}`,
        "--artifacts-destination",
        join(ex.root, "server-artifacts"),
      ],
      ex.root,
      // MLflow 3's server also starts a job runner and seven huey consumer processes for its background
      // jobs (not tracking); without them it is up in about half the time and leaves the cores to the test.
      { ...venv.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false" },
    );
    try {
      let t = Date.now();
      const up = await waitForHttp(`http://127.0.0.1:${port}/health`, 300_000);
      expect(up, server.log().slice(-3000)).toBe(true);
      timings.push(`mlflow server start: ${Date.now() - t} ms`);
      const uri = `http://127.0.0.1:${port}`;
      const env = { ...venv.env, MLFLOW_TRACKING_URI: uri };
      t = Date.now();
      const r = sh(venv.python, ["-m", "churn"], ex.project, env, 600_000);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toContain(`in ${uri}`);
      timings.push(`tracked run against the server: ${Date.now() - t} ms`);
      const check = sh(venv.python, ["check_runs.py", uri], ex.project, env, 600_000);
      expect(check.status, check.output).toBe(0);
      const runs = result(check);
      expect(runs).toHaveLength(1);
      expect(Object.keys(runs[0]!.metrics as object).sort()).toEqual(["accuracy", "auc"]);
      expect(runs[0]!.samePredictions).toBe(true);
    } finally {
      server.stop();
    }
  }, 1_800_000);
});
