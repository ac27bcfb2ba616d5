"""Tests of the `train_model` step."""

import inspect

from energy_out_of_order.steps.train_model import train_model


def test_train_model_signature() -> None:
    """`train_model` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(train_model).parameters)
    assert params == ["clean"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
