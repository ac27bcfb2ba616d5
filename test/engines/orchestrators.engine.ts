/**
 * `fledge export airflow|kubeflow` against the real engines (npm run test:engines, not npm test):
 * Airflow 2.10 installed with uv in its own virtualenv runs the DAG with `airflow dags test` (standalone
 * SQLite metadata DB) and writes the same predictions as `python -m churn`; kfp compiles the Kubeflow
 * pipeline to YAML with one container per step on the project's image.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAirflowDag, renderKubeflowPipeline, type StepsFile } from "../../src/export/index.js";
import { renderStepsFile } from "../../src/verify/project.js";
import { sh, uvPath } from "../generate/project-run.js";
import { venvPython } from "../helpers/env.js";
import { type ExtractedExample, extractChurn } from "../mlops/project.js";

const AIRFLOW = "apache-airflow==2.10.5";

describe.skipIf(!uvPath())("orchestrators (churn example)", () => {
  let ex: ExtractedExample;
  let spec: StepsFile;
  let localPredictions = "";
  const timings: string[] = [];

  beforeAll(async () => {
    ex = await extractChurn({});
    const steps = renderStepsFile(ex.extraction.model);
    mkdirSync(join(ex.project, ".fledge"), { recursive: true });
    writeFileSync(join(ex.project, steps.path), steps.content);
    spec = JSON.parse(steps.content);
    const env = { ...process.env, PYTHONPATH: join(ex.project, "src") };
    const local = sh(venvPython(), ["-m", "churn"], ex.project, env);
    if (local.status !== 0) throw new Error(local.output);
    localPredictions = readFileSync(join(ex.project, "outputs", "predictions.csv"), "utf8");
    rmSync(join(ex.project, "outputs"), { recursive: true, force: true });
  });

  afterAll(() => {
    console.log(`engine timings: ${timings.join("; ")}`);
    if (ex) rmSync(ex.root, { recursive: true, force: true });
  });

  it("runs the Airflow DAG with `airflow dags test`, producing the local pipeline's outputs", () => {
    const uv = uvPath()!;
    const venv = join(ex.root, "airflow-venv");
    const python = join(venv, "bin", "python");
    let t = Date.now();
    expect(sh(uv, ["venv", "-q", venv, "--python", venvPython()], ex.root).status).toBe(0);
    const inst = sh(
      uv,
      ["pip", "install", "-q", "--python", python, AIRFLOW, "-e", ex.project],
      ex.root,
      process.env,
      900_000,
    );
    expect(inst.status, inst.output).toBe(0);
    timings.push(`airflow install: ${Date.now() - t} ms`);
    const dags = join(ex.project, "orchestration");
    mkdirSync(dags, { recursive: true });
    const artifacts = join(ex.root, "artifacts");
    writeFileSync(
      join(dags, "churn_dag.py"),
      renderAirflowDag(spec, { artifacts, paramsFile: join(ex.project, "params.yaml") }),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AIRFLOW_HOME: join(ex.root, "airflow-home"),
      AIRFLOW__CORE__DAGS_FOLDER: dags,
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      PATH: `${join(venv, "bin")}:${process.env.PATH ?? ""}`,
    };
    delete env.PYTHONPATH;
    t = Date.now();
    const migrate = sh(join(venv, "bin", "airflow"), ["db", "migrate"], ex.root, env, 600_000);
    expect(migrate.status, migrate.output.slice(-3000)).toBe(0);
    const list = sh(join(venv, "bin", "airflow"), ["tasks", "list", "churn"], ex.root, env, 600_000);
    expect(list.status, list.output.slice(-3000)).toBe(0);
    for (const s of spec.steps) expect(list.output).toContain(s.name);
    const run = sh(join(venv, "bin", "airflow"), ["dags", "test", "churn"], ex.root, env, 900_000);
    timings.push(`airflow db migrate + dags test: ${Date.now() - t} ms`);
    expect(run.status, run.output.slice(-4000)).toBe(0);
    expect(run.output).toMatch(/state=success/);
    const produced = join(ex.project, "outputs", "predictions.csv");
    expect(existsSync(produced), run.output.slice(-3000)).toBe(true);
    expect(readFileSync(produced, "utf8")).toBe(localPredictions);
    // Values went through files, one per returned name.
    const runs = readdirSync(artifacts);
    expect(runs).toHaveLength(1);
    const saved = readdirSync(join(artifacts, runs[0]!)).sort();
    expect(saved).toEqual(expect.arrayContaining(["df.joblib", "model.joblib", "scaler.joblib", "X.joblib"]));
  });

  it("compiles the Kubeflow pipeline with kfp", () => {
    const uv = uvPath()!;
    const venv = join(ex.root, "kfp-venv");
    const python = join(venv, "bin", "python");
    const t = Date.now();
    expect(sh(uv, ["venv", "-q", venv, "--python", venvPython()], ex.root).status).toBe(0);
    const inst = sh(uv, ["pip", "install", "-q", "--python", python, "kfp"], ex.root, process.env, 900_000);
    expect(inst.status, inst.output).toBe(0);
    const dir = join(ex.root, "kfp");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "churn_kfp.py"),
      renderKubeflowPipeline(spec, { image: "registry.example/churn:1.0", artifacts: "/mnt/artifacts" }),
    );
    const c = sh(python, ["churn_kfp.py"], dir);
    timings.push(`kfp install + compile: ${Date.now() - t} ms`);
    expect(c.status, c.output).toBe(0);
    const yaml = readFileSync(join(dir, "churn_pipeline.yaml"), "utf8");
    expect(yaml.match(/image: registry\.example\/churn:1\.0/g)).toHaveLength(spec.steps.length);
    for (const s of spec.steps) expect(yaml).toContain(`exec-${s.name.replace(/_/g, "-")}`);
    expect(yaml).toMatch(/dependentTasks:\s*\n\s*- load-data/);
  });
});
