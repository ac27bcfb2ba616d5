"""Tests of the `train_model` step."""

import inspect

from survey_models.steps.train_model import train_model


def test_train_model_signature() -> None:
    """`train_model` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(train_model).parameters)
    assert params == ["df", "test_size", "random_state"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
