/**
 * Serving (issue 9): src/<pkg>/artifacts.py (what the predict step receives from earlier steps — the
 * fitted model and preprocessing — saved by each pipeline run with joblib) and src/<pkg>/serve.py (a
 * FastAPI app whose /predict calls the project's own predict step on the request's rows).
 */
import { pyString } from "../emit/python.js";
import type { ProjectModel, StepModel } from "../model.js";
import { isPythonKeyword } from "../naming.js";
import type { MlopsFacts } from "./analyse.js";
import type { ColumnProfile, DataProfile } from "./profile.js";

export const SERVE_REQUIREMENTS = ["fastapi>=0.110", "uvicorn>=0.29"];

export interface ServePlan {
  step: StepModel;
  /** The data parameter the step reads its rows from, and the output file parameter it writes. */
  inputParam: string;
  outputParam: string;
  /** Values the step receives from earlier steps (saved in artifacts.joblib). */
  artifacts: string[];
  /** Columns of the rows it reads (the request schema). */
  profile: DataProfile;
}

/** Serving is possible when a predict step reads rows from a data file and writes its predictions to a file. */
export function planServing(
  model: ProjectModel,
  facts: MlopsFacts,
  profiles: DataProfile[],
): ServePlan | undefined {
  const step = model.steps.find((s) => s.role === "predict");
  if (!step) return undefined;
  let inputParam: string | undefined;
  let outputParam: string | undefined;
  for (const a of step.args) {
    if (a.source.kind !== "param" || a.source.role === "value") continue;
    if (facts.dataParams.includes(a.source.param)) inputParam ??= a.source.param;
    else outputParam ??= a.source.param;
  }
  const profile = profiles.find((p) => p.param === inputParam);
  // The request's rows are written as CSV for the step to read: only CSV inputs are served.
  if (!inputParam || !outputParam || !profile || !/\.csv$/i.test(profile.file)) return undefined;
  const artifacts = step.args.filter((a) => a.source.kind === "input").map((a) => a.name);
  return { step, inputParam, outputParam, artifacts, profile };
}

export function renderArtifacts(model: ProjectModel, plan: ServePlan): string {
  return `"""What serving needs from a pipeline run, saved with joblib under outputs_dir.

\`python -m ${model.packageName}\` saves the values \`${plan.step.name}\` receives from earlier steps (the
fitted model and fitted preprocessing among them) with the run's parameters; serve.py loads them and
never refits anything on a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib

#: Where the artifacts go, under outputs_dir.
ARTIFACTS_FILE = "serving/artifacts.joblib"
#: What \`${plan.step.name}\` receives from earlier steps.
SERVING_INPUTS: tuple[str, ...] = (${plan.artifacts.map(pyString).join(", ")}${plan.artifacts.length === 1 ? "," : ""})


def artifacts_path(params: dict[str, Any]) -> Path:
    """The artifacts file of a run with these parameters."""
    return Path(params["outputs_dir"]) / ARTIFACTS_FILE


def save_artifacts(results: dict[str, Any], params: dict[str, Any]) -> Path:
    """Save what serving needs from a run's results; returns the file written."""
    path = artifacts_path(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = {name: results[name] for name in SERVING_INPUTS}
    tmp = path.with_suffix(".tmp")
    joblib.dump({"values": saved, "params": params}, tmp)
    tmp.replace(path)
    return path


def load_artifacts(path: str | Path) -> dict[str, Any]:
    """Load a saved artifacts file: {"values": {...}, "params": {...}}."""
    return joblib.load(path)
`;
}

function fieldName(name: string, used: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(id)) id = `f_${id}`;
  if (isPythonKeyword(id) || id.startsWith("model_")) id = `${id}_`;
  while (used.has(id)) id = `${id}_`;
  used.add(id);
  return id;
}

function fieldType(c: ColumnProfile): string {
  const base = c.kind === "int" ? "int" : c.kind === "float" ? "float" : c.kind === "bool" ? "bool" : "str";
  return c.nulls > 0 ? `${base} | None` : base;
}

export function renderServe(model: ProjectModel, plan: ServePlan, facts: MlopsFacts): string {
  const pkg = model.packageName;
  const env = pkg.toUpperCase();
  const used = new Set<string>();
  const fields = plan.profile.columns.map((c) => {
    const id = fieldName(c.name, used);
    const alias = id !== c.name ? `alias=${pyString(c.name)}` : "";
    const type = fieldType(c);
    const dflt = c.nulls > 0 ? "default=None" : "";
    const args = [dflt, alias].filter(Boolean).join(", ");
    return `    ${id}: ${type}${args ? ` = Field(${args})` : ""}`;
  });
  const callArgs = plan.step.args.map((a) => {
    if (a.source.kind === "input") return `${a.name}=values[${pyString(a.name)}]`;
    if (a.source.param === plan.inputParam) return `${a.name}=str(rows_file)`;
    if (a.source.param === plan.outputParam) return `${a.name}=str(predictions_file)`;
    return `${a.name}=params[${pyString(a.source.param)}]`;
  });
  const modelUri = facts.model
    ? `    uri = os.environ.get("${env}_MODEL_URI")
    if uri:
        import mlflow.sklearn

        loaded["values"][${pyString(facts.model.name)}] = mlflow.sklearn.load_model(uri)
`
    : "";
  return `"""Predictions over HTTP with the fitted model and preprocessing of the latest pipeline run.

Run \`python -m ${pkg}\` first (it saves outputs/${"serving/artifacts.joblib"}), then
\`uvicorn ${pkg}.serve:app\`. POST /predict {"rows": [{...}, ...]} with the columns \`${plan.step.name}\`
reads (validated); GET /health. ${env}_ARTIFACTS points at another artifacts file${
    facts.model
      ? `, ${env}_MODEL_URI at
an MLflow model (e.g. runs:/<run id>/model) replacing the saved one`
      : ""
  }. Each request runs the project's
own \`${plan.step.name}\` step: preprocessing is applied with the fitted objects, never refitted.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ${pkg}.artifacts import ARTIFACTS_FILE, load_artifacts
from ${pkg}.pipeline import DEFAULT_PARAMS
from ${pkg}.steps.${plan.step.module} import ${plan.step.name}

#: Largest request body accepted (bytes) and most rows per request.
MAX_BODY_BYTES = int(os.environ.get("${env}_MAX_BODY_BYTES", "1000000"))
MAX_ROWS = 1000


class Row(BaseModel):
    """One input row: the columns of ${plan.profile.file} (types as observed in the notebook's data)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

${fields.join("\n")}


class PredictRequest(BaseModel):
    """The rows to predict."""

    model_config = ConfigDict(extra="forbid")

    rows: list[Row] = Field(min_length=1, max_length=MAX_ROWS)


app = FastAPI(title="${pkg}", description="Predictions of the ${pkg} pipeline")
_cache: dict[str, Any] = {}


def load() -> dict[str, Any]:
    """Load the artifacts of the latest run (${env}_ARTIFACTS overrides the file)."""
    default = Path(DEFAULT_PARAMS["outputs_dir"]) / ARTIFACTS_FILE
    path = Path(os.environ.get("${env}_ARTIFACTS") or default)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run \`python -m ${pkg}\` first")
    loaded = load_artifacts(path)
${modelUri}    return loaded


def artifacts() -> dict[str, Any]:
    """The saved artifacts, loaded once."""
    if "loaded" not in _cache:
        _cache["loaded"] = load()
    return _cache["loaded"]


@app.middleware("http")
async def limit_body(request: Request, call_next: Any) -> Any:
    """Refuse bodies larger than MAX_BODY_BYTES before reading them."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        return JSONResponse(status_code=413, content={"detail": f"body larger than {MAX_BODY_BYTES} bytes"})
    return await call_next(request)


@app.get("/health")
def health() -> dict[str, Any]:
    """Ready when the artifacts load."""
    try:
        values = artifacts()["values"]
    except (OSError, ValueError) as err:
        raise HTTPException(status_code=503, detail=str(err)) from err
    return {"status": "ok", "artifacts": sorted(values)}


@app.post("/predict")
def predict(request: PredictRequest) -> dict[str, Any]:
    """Run \`${plan.step.name}\` on the request's rows and return what it wrote, one record per row."""
    try:
        loaded = artifacts()
    except (OSError, ValueError) as err:
        raise HTTPException(status_code=503, detail=str(err)) from err
    values, params = loaded["values"], loaded["params"]
    frame = pd.DataFrame([row.model_dump(by_alias=True) for row in request.rows])
    with tempfile.TemporaryDirectory() as tmp:
        rows_file = Path(tmp) / "input.csv"
        predictions_file = Path(tmp) / "predictions.csv"
        frame.to_csv(rows_file, index=False)
        ${plan.step.name}(${callArgs.join(", ")})
        result = pd.read_csv(predictions_file)
    return {"predictions": json.loads(result.to_json(orient="records", double_precision=15))}
`;
}
