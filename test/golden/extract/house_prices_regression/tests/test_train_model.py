"""Tests of the `train_model` step."""

import inspect

from house_prices_regression.steps.train_model import train_model


def test_train_model_signature() -> None:
    """`train_model` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(train_model).parameters)
    assert params == ["houses", "test_predictions_path", "test_size", "random_state", "alpha"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
