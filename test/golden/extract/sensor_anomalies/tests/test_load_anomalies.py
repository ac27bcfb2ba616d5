"""Tests of the `load_anomalies` step."""

import inspect

from sensor_anomalies.steps.load_anomalies import load_anomalies


def test_load_anomalies_signature() -> None:
    """`load_anomalies` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(load_anomalies).parameters)
    assert params == ["readings_path"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
