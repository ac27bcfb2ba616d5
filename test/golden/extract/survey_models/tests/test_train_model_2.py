"""Tests of the `train_model_2` step."""

import inspect

from survey_models.steps.train_model_2 import train_model_2


def test_train_model_2_signature() -> None:
    """`train_model_2` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(train_model_2).parameters)
    assert params == ["df", "y", "test_size", "random_state", "logistic_regression_c", "max_iter"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
