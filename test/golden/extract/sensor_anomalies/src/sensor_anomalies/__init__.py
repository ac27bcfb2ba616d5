"""Sensor anomalies: the sensor_anomalies pipeline, extracted from sensor_anomalies.ipynb."""

from sensor_anomalies.pipeline import run

__all__ = ["run"]
