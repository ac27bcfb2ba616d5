/**
 * tests/test_<step>.py and tests/test_pipeline.py. Each step file starts with the import-and-signature
 * test; recorded characterization tests (issue 8) are appended to the same file after the marker line.
 */
import type { ProjectModel, StepModel } from "../model.js";
import { pyString } from "./python.js";

/** Marker after which recorded tests are appended. */
export const RECORDED_MARKER =
  "# Recorded tests (characterization tests from a real run of the notebook) go below.";

export function renderStepTest(step: StepModel, model: ProjectModel, recorded: string[] = []): string {
  const names = step.args.map((a) => pyString(a.name)).join(", ");
  const lines = [
    `"""Tests of the \`${step.name}\` step."""`,
    "",
    "import inspect",
    "",
    `from ${model.packageName}.steps.${step.module} import ${step.name}`,
    "",
    "",
    `def test_${step.name}_signature() -> None:`,
    `    """\`${step.name}\` takes what the pipeline passes it, in this order."""`,
    `    params = list(inspect.signature(${step.name}).parameters)`,
    `    assert params == [${names}]`,
    "",
    "",
    RECORDED_MARKER,
    ...recorded,
  ];
  return `${lines.join("\n")}\n`;
}

export function renderPipelineTest(model: ProjectModel): string {
  const names: string[] = [];
  for (const s of model.steps) for (const r of s.returns) if (!names.includes(r.name)) names.push(r.name);
  const outputs = model.params.filter((p) => p.role === "output").map((p) => p.name);
  const data = model.params.filter((p) => p.role === "data").map((p) => p.name);
  const unresolved = model.params.filter((p) => p.kind === "unresolved").map((p) => p.name);
  const lines = [
    `"""End-to-end test: the pipeline runs on the notebook's own data and returns every step output."""`,
    "",
    "from pathlib import Path",
    "",
    "import pytest",
    "",
    `from ${model.packageName}.pipeline import load_params, run`,
    "",
    "PROJECT = Path(__file__).resolve().parents[1]",
    "",
  ];
  if (model.stubs) {
    lines.push(
      'pytestmark = pytest.mark.skip(reason="stubs: fill in the step functions, then remove this mark")',
      "",
    );
  }
  lines.push(
    "",
    "def test_pipeline_runs_on_the_notebook_data(tmp_path: Path) -> None:",
    '    """Run every step on the data the notebook used, writing outputs to a temporary folder."""',
    '    params = load_params(PROJECT / "params.yaml")',
  );
  if (unresolved.length > 0) {
    lines.push(
      `    unset = [name for name in (${unresolved.map(pyString).join(", ")},) if params[name] is None]`,
      "    if unset:",
      `        pytest.skip(f"parameters to set in params.yaml first: {', '.join(unset)}")`,
    );
  }
  if (data.length > 0) {
    lines.push(
      '    data_dir = Path(params["data_dir"])',
      `    missing = [params[key] for key in (${data.map(pyString).join(", ")},) if not (data_dir / params[key]).exists()]`,
      "    if missing:",
      `        pytest.skip(f"the notebook's data is not under {data_dir}: {', '.join(missing)}")`,
    );
  }
  lines.push('    results = run({**params, "outputs_dir": str(tmp_path)})');
  lines.push(`    assert set(results) == {${names.map(pyString).join(", ")}}`);
  if (names.length > 0) lines.push("    assert all(value is not None for value in results.values())");
  for (const o of outputs) lines.push(`    assert (tmp_path / params[${pyString(o)}]).exists()`);
  return `${lines.join("\n")}\n`;
}
