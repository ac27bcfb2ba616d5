"""End-to-end test: the pipeline runs on the notebook's own data and returns every step output."""

from pathlib import Path

import pytest

from sensor_anomalies.pipeline import load_params, run

PROJECT = Path(__file__).resolve().parents[1]


def test_pipeline_runs_on_the_notebook_data(tmp_path: Path) -> None:
    """Run every step on the data the notebook used, writing outputs to a temporary folder."""
    params = load_params(PROJECT / "params.yaml")
    data_dir = Path(params["data_dir"])
    missing = [params[key] for key in ("readings_path",) if not (data_dir / params[key]).exists()]
    if missing:
        pytest.skip(f"the notebook's data is not under {data_dir}: {', '.join(missing)}")
    results = run({**params, "outputs_dir": str(tmp_path)})
    assert set(results) == {"readings", "anomalies"}
    assert all(value is not None for value in results.values())
    assert (tmp_path / params["anomaly_summary_path"]).exists()
