"""Tests of the `train_model` step."""

import inspect

from churn_classification.steps.train_model import train_model


def test_train_model_signature() -> None:
    """`train_model` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(train_model).parameters)
    assert params == [
        "features",
        "target",
        "test_size",
        "random_state",
        "n_estimators",
        "max_depth",
    ]


# Recorded tests (characterization tests from a real run of the notebook) go below.
