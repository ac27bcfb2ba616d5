"""Step 3 of the sensor_anomalies pipeline: Summary."""

from __future__ import annotations

import pandas as pd


def save_results(anomalies, readings: pd.DataFrame, anomaly_summary_path: str) -> None:
    """Summary.

    Args:
        anomalies: `anomalies` as returned by `build_features`.
        readings: `readings` as returned by `build_features`.
        anomaly_summary_path: Parameter `anomaly_summary_path` in params.yaml (a path under `outputs_dir`). Notebook value: "anomaly_summary.csv".
    """
    summary = anomalies.groupby("sensor").size().rename("anomalies").reset_index()
    summary["share"] = summary["anomalies"] / readings.groupby("sensor").size().values
    summary.to_csv(anomaly_summary_path, index=False)
