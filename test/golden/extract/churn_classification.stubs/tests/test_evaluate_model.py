"""Tests of the `evaluate_model` step."""

import inspect

from churn_classification.steps.evaluate_model import evaluate_model


def test_evaluate_model_signature() -> None:
    """`evaluate_model` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(evaluate_model).parameters)
    assert params == ["model", "X_test", "y_test"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
