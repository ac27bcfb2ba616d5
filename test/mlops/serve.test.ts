/**
 * Serving (issue 9): serve.py of the churn example under a real uvicorn on a loopback port, called with
 * a real HTTP client (fetch): predictions equal the pipeline's for the same rows; malformed JSON, missing
 * fields, wrong types, unknown fields and a huge body are refused with clear statuses.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileDataFiles } from "../../src/generate/mlops/index.js";
import { sh } from "../generate/project-run.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { type ExtractedExample, extractChurn, freePort, startServer, waitForHttp } from "./project.js";

const TO_JSON = `
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
rows = json.loads(df.to_json(orient="records"))
print(json.dumps({"rows": rows}))
`;

describe("serving with FastAPI under uvicorn (churn example)", () => {
  let ex: ExtractedExample;
  let server: ReturnType<typeof startServer> | undefined;
  let base = "";
  let request: { rows: Record<string, unknown>[] };
  const env = { ...process.env, PYTHONPATH: "" };

  beforeAll(async () => {
    const files = [
      { param: "data_path", file: "data/customers.csv" },
      { param: "new_customers_path", file: "data/new_customers.csv" },
    ];
    const { profiles } = await profileDataFiles(
      venvPython(),
      files.map((f) => ({ ...f, path: join(ROOT, "examples", "churn", f.file) })),
    );
    ex = await extractChurn({ validation: { profiles }, serving: true });
    env.PYTHONPATH = join(ex.project, "src");
    const r = sh(venvPython(), ["-m", "churn"], ex.project, env);
    if (r.status !== 0) throw new Error(r.output);
    writeFileSync(join(ex.root, "to_json.py"), TO_JSON);
    const j = sh(
      venvPython(),
      [join(ex.root, "to_json.py"), join(ex.root, "nb", "data", "new_customers.csv")],
      ex.root,
      env,
    );
    request = JSON.parse(j.output.split("\n")[1]!);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServer(
      venvPython(),
      [
        "-m",
        "uvicorn",
        "churn.serve:app",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--timeout-keep-alive",
        "120",
      ],
      ex.project,
      env,
    );
    const up = await waitForHttp(`${base}/health`, 120_000);
    if (!up) throw new Error(server.log());
  }, 600_000);

  afterAll(() => {
    server?.stop();
    if (ex) rmSync(ex.root, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${base}/predict`, { method: "POST", body, headers });

  it("generates serve.py, artifacts.py and a serve extra; the Dockerfile installs them", () => {
    const paths = ex.extraction.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["src/churn/serve.py", "src/churn/artifacts.py"]));
    expect(readFileSync(join(ex.project, "pyproject.toml"), "utf8")).toMatch(/^serve = \["fastapi>=/m);
    expect(readFileSync(join(ex.project, "Dockerfile"), "utf8")).toMatch(
      /RUN pip install --no-cache-dir "fastapi/,
    );
    const lint = sh(venvPython(), ["-m", "ruff", "check", "src"], ex.project, env);
    expect(lint.status, lint.output).toBe(0);
  });

  it("answers /health", async () => {
    const r = await fetch(`${base}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok", artifacts: ["X", "model", "scaler"] });
  });

  it("predicts like the pipeline for the same rows", async () => {
    const r = await post(JSON.stringify(request));
    expect(r.status).toBe(200);
    const got = ((await r.json()) as { predictions: { customer_id: string; churn_probability: number }[] })
      .predictions;
    // predictions_path: under outputs_dir (or data_dir, depending on how the extraction classified it).
    const where = sh(
      venvPython(),
      [
        "-c",
        "import os; from churn.pipeline import load_params as l; p = l('params.yaml'); c = [p[k] + '/' + p['predictions_path'] for k in ('outputs_dir', 'data_dir')]; print(next(x for x in c if os.path.exists(x)))",
      ],
      ex.project,
      env,
    );
    const csv = readFileSync(join(ex.project, where.output.split("\n")[1]!.trim()), "utf8")
      .trim()
      .split("\n");
    const expected = csv.slice(1).map((l) => l.split(","));
    expect(got).toHaveLength(expected.length);
    got.forEach((p, i) => {
      expect(p.customer_id).toBe(expected[i]![0]);
      expect(p.churn_probability).toBeCloseTo(Number(expected[i]![1]), 12);
    });
  });

  it("refuses malformed JSON with 422", async () => {
    const r = await post('{"rows": [{"customer_id": ');
    expect(r.status).toBe(422);
    expect(JSON.stringify(await r.json())).toContain("json_invalid");
  });

  it("refuses a missing field, naming it", async () => {
    const row = { ...request.rows[0]! };
    delete row.monthly_charges;
    const r = await post(JSON.stringify({ rows: [row] }));
    expect(r.status).toBe(422);
    const detail = ((await r.json()) as { detail: { type: string; loc: unknown[] }[] }).detail;
    expect(detail).toEqual([
      expect.objectContaining({ type: "missing", loc: ["body", "rows", 0, "monthly_charges"] }),
    ]);
  });

  it("refuses wrong types and unknown fields", async () => {
    const row = { ...request.rows[0]!, tenure_months: "twelve", surprise: 1 };
    const r = await post(JSON.stringify({ rows: [row] }));
    expect(r.status).toBe(422);
    const detail = ((await r.json()) as { detail: { type: string; loc: unknown[] }[] }).detail;
    const types = detail.map((d) => `${d.loc.at(-1)}:${d.type}`).sort();
    expect(types).toEqual(["surprise:extra_forbidden", "tenure_months:int_parsing"]);
  });

  it("refuses an empty request and a huge body", async () => {
    expect((await post(JSON.stringify({ rows: [] }))).status).toBe(422);
    const huge = JSON.stringify({ rows: Array.from({ length: 20_000 }, () => request.rows[0]) });
    expect(huge.length).toBeGreaterThan(1_000_000);
    const r = await post(huge);
    expect(r.status).toBe(413);
    // The server is still fine afterwards.
    expect((await post(JSON.stringify({ rows: [request.rows[0]] }))).status).toBe(200);
  });
});
