"""Tests of the `load_temperature` step."""

import inspect

from energy_out_of_order.steps.load_temperature import load_temperature


def test_load_temperature_signature() -> None:
    """`load_temperature` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(load_temperature).parameters)
    assert params == ["consumption_path"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
