/**
 * `fledge export airflow|kubeflow <project>` (issue 9): an orchestrator pipeline whose tasks are the
 * project's steps. Read from the project's .fledge/steps.json (how each step is called); every task
 * imports and calls the project's own step function, passing values through files (joblib) under an
 * artifact location rather than XCom. Pure: returns the files to write.
 */
import { pyLiteral, pyString } from "../generate/emit/python.js";

export interface StepsFileArg {
  name: string;
  source:
    | { kind: "input"; from?: string }
    | { kind: "param"; param: string; role: "data" | "output" | "value" };
}

export interface StepsFile {
  format: number;
  package: string;
  params: Record<string, unknown>;
  steps: { name: string; module: string; args: StepsFileArg[]; returns: { name: string }[] }[];
}

/** Python shared by both exports: load a task's inputs, call the step, save its outputs. */
function runnerCode(spec: StepsFile): string {
  const steps: Record<string, unknown> = {};
  for (const s of spec.steps) {
    steps[s.name] = {
      module: s.module,
      args: s.args.map((a) =>
        a.source.kind === "input" ? [a.name, "input", a.name] : [a.name, a.source.role, a.source.param],
      ),
      returns: s.returns.map((r) => r.name),
    };
  }
  return `STEPS: dict[str, Any] = json.loads(${pyString(JSON.stringify(steps))})


def artifact_path(root: str, run_id: str, name: str) -> str:
    """Where a value passed between tasks is stored (a local folder or an fsspec URL such as s3://…)."""
    return f"{root.rstrip('/')}/{run_id}/{name}.joblib"


def _open(path: str, mode: str) -> Any:
    if "://" in path:
        import fsspec

        return fsspec.open(path, mode).open()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, mode)


def run_step(step: str, root: str, run_id: str, params_file: str | None = None) -> list[str]:
    """Run one step of the ${spec.package} pipeline: read its inputs, call it, save what it returns."""
    import importlib

    import joblib

    from ${spec.package}.pipeline import DEFAULT_PARAMS, load_params

    p = load_params(params_file) if params_file else dict(DEFAULT_PARAMS)
    spec = STEPS[step]
    kwargs: dict[str, Any] = {}
    for name, kind, key in spec["args"]:
        if kind == "input":
            with _open(artifact_path(root, run_id, key), "rb") as f:
                kwargs[name] = joblib.load(f)
        elif kind == "data":
            kwargs[name] = str(Path(p["data_dir"]) / p[key])
        elif kind == "output":
            target = Path(p["outputs_dir"]) / p[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            kwargs[name] = str(target)
        else:
            kwargs[name] = p[key]
    module = importlib.import_module(f"${spec.package}.steps.{spec['module']}")
    result = getattr(module, step)(**kwargs)
    names = spec["returns"]
    values = [result] if len(names) == 1 else list(result or [])
    for name, value in zip(names, values):
        with _open(artifact_path(root, run_id, name), "wb") as f:
            joblib.dump(value, f)
    return names
`;
}

function dependencies(spec: StepsFile): Map<string, string[]> {
  const producer = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const s of spec.steps) {
    const d = new Set<string>();
    for (const a of s.args) {
      if (a.source.kind !== "input") continue;
      const from = a.source.from ?? producer.get(a.name);
      if (from) d.add(from);
    }
    deps.set(s.name, [...d]);
    for (const r of s.returns) producer.set(r.name, s.name);
  }
  return deps;
}

export interface AirflowOptions {
  /** Default artifact location (the FLEDGE_ARTIFACTS environment variable overrides it at run time). */
  artifacts: string;
  /** params.yaml the tasks read (absolute or relative to the DAG's working directory). */
  paramsFile?: string;
}

export function renderAirflowDag(spec: StepsFile, options: AirflowOptions): string {
  const pkg = spec.package;
  const deps = dependencies(spec);
  const tasks = spec.steps.map(
    (s) => `    @task(task_id=${pyString(s.name)})
    def ${s.name}_task() -> list[str]:
        """Step \`${s.name}\` of ${pkg}."""
        ctx = get_current_context()
        return run_step(${pyString(s.name)}, ARTIFACTS, ctx["run_id"].replace(":", "_"), PARAMS_FILE)
`,
  );
  const wiring = spec.steps.map((s) => `    t_${s.name} = ${s.name}_task()`);
  for (const s of spec.steps)
    for (const d of deps.get(s.name) ?? []) wiring.push(`    t_${d} >> t_${s.name}`);
  return `"""Airflow DAG of the ${pkg} pipeline (TaskFlow API), written by \`fledge export airflow\`.

One task per step; each task imports the ${pkg} package (install the project where the workers run)
and calls its own step function. Values pass between tasks as joblib files under FLEDGE_ARTIFACTS
(a local folder, or an fsspec URL such as s3://bucket/prefix with fsspec installed), not through XCom;
XCom only carries the names written.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.decorators import dag, task
from airflow.operators.python import get_current_context

#: Where values passed between tasks are stored.
ARTIFACTS = os.environ.get("FLEDGE_ARTIFACTS", ${pyString(options.artifacts)})
#: The parameters file the tasks read (None: the package's defaults).
PARAMS_FILE: str | None = os.environ.get("FLEDGE_PARAMS", ${options.paramsFile ? pyString(options.paramsFile) : "None"}) or None

${runnerCode(spec)}

@dag(
    dag_id=${pyString(pkg)},
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["fledge"],
)
def ${pkg}_pipeline() -> None:
    """The steps of ${pkg} in dependency order."""
${tasks.join("\n")}
${wiring.join("\n")}


${pkg}_dag = ${pkg}_pipeline()
`;
}

export interface KubeflowOptions {
  image: string;
  artifacts: string;
}

/** A KFP v2 pipeline: one container component per step, all on the project's image. */
export function renderKubeflowPipeline(spec: StepsFile, options: KubeflowOptions): string {
  const pkg = spec.package;
  const deps = dependencies(spec);
  const runner = runnerCode(spec);
  const comps = spec.steps.map(
    (s) => `@dsl.container_component
def ${s.name}_op(run_id: str, artifacts: str):
    """Step \`${s.name}\` of ${pkg} in the project's image."""
    return dsl.ContainerSpec(
        image=IMAGE,
        command=["python", "-c", RUNNER + "\\nimport sys\\nrun_step(sys.argv[1], sys.argv[2], sys.argv[3])"],
        args=[${pyString(s.name)}, artifacts, run_id],
    )
`,
  );
  const calls = spec.steps.map((s) => {
    const after = (deps.get(s.name) ?? []).map((d) => `t_${d}`);
    return `    t_${s.name} = ${s.name}_op(run_id=run_id, artifacts=artifacts)${after.length ? `\n    t_${s.name}.after(${after.join(", ")})` : ""}`;
  });
  return `"""Kubeflow Pipelines (v2) pipeline of ${pkg}, written by \`fledge export kubeflow\`.

One container component per step, each running the project's image (built from its Dockerfile) and
calling the package's own step function; values pass between steps as joblib files under the
\`artifacts\` location (a shared volume path or an fsspec URL such as gs://bucket/prefix).
Compile: \`python ${pkg}_kfp.py\` writes ${pkg}_pipeline.yaml.
"""

# No \`from __future__ import annotations\`: KFP reads the component parameters' annotations as types.
from kfp import compiler, dsl

IMAGE = ${pyString(options.image)}

#: The task runner executed in each container (imports the ${pkg} package of the image).
RUNNER = ${pyLiteral(`import json\nfrom pathlib import Path\nfrom typing import Any\n\n${runner}`)}


${comps.join("\n\n")}

@dsl.pipeline(name=${pyString(pkg.replace(/_/g, "-"))}, description="The ${pkg} pipeline's steps")
def ${pkg}_pipeline(run_id: str = "run", artifacts: str = ${pyString(options.artifacts)}) -> None:
    """The steps of ${pkg} in dependency order."""
${calls.join("\n")}


if __name__ == "__main__":
    compiler.Compiler().compile(${pkg}_pipeline, ${pyString(`${pkg}_pipeline.yaml`)})
`;
}
