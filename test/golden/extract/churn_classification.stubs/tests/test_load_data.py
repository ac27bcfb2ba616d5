"""Tests of the `load_data` step."""

import inspect

from churn_classification.steps.load_data import load_data


def test_load_data_signature() -> None:
    """`load_data` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(load_data).parameters)
    assert params == ["customers_path"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
