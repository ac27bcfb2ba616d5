"""Step 1 of the sensor_anomalies pipeline: Sensor anomalies."""

from __future__ import annotations

import pandas as pd


def load_anomalies(readings_path: str) -> pd.DataFrame:
    """Sensor anomalies.

    Flag temperature readings far from their rolling mean.

    Args:
        readings_path: Parameter `readings_path` in params.yaml (a path under `data_dir`). Notebook value: "data/readings.csv".

    Returns:
        `readings`: used by `build_features`.
    """
    readings = pd.read_csv(readings_path, parse_dates=["timestamp"])
    readings = readings.sort_values("timestamp").reset_index(drop=True)
    return readings
