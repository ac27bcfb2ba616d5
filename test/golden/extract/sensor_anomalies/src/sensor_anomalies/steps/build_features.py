"""Step 2 of the sensor_anomalies pipeline: Detect."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd


def rolling_baseline(series, *, window):
    """Centred rolling mean over WINDOW readings."""
    return series.rolling(window, center=True, min_periods=1).mean()


def flag_anomalies(series, *, threshold, window):
    """Flag anomalies."""
    deviation = (series - rolling_baseline(series, window=window)).abs()
    return deviation > threshold * series.std() / 2


def describe_reading(value, *, unit):
    """Describe reading."""
    return f"{value:.1f} {unit}"


def build_features(
    readings: pd.DataFrame, threshold: float = 3.0, window: int = 6, unit: str = "°C"
) -> tuple[Any, pd.DataFrame]:
    """Detect.

    Args:
        readings: `readings` as returned by `load_anomalies`.
        threshold: Parameter `threshold` in params.yaml. Notebook value: 3.0.
        window: Parameter `window` in params.yaml. Notebook value: 6.
        unit: Parameter `unit` in params.yaml. Notebook value: "°C".

    Returns:
        A tuple (anomalies, readings):
            anomalies: used by `save_results`.
            readings: used by `save_results`.
    """
    readings["anomaly"] = readings.groupby("sensor")["temperature"].transform(
        partial(flag_anomalies, threshold=threshold, window=window)
    )
    anomalies = readings[readings["anomaly"]].copy()
    anomalies["label"] = anomalies["temperature"].apply(partial(describe_reading, unit=unit))
    return anomalies, readings
