"""Tests of the `build_features` step."""

import inspect

from churn_classification.steps.build_features import build_features


def test_build_features_signature() -> None:
    """`build_features` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(build_features).parameters)
    assert params == ["df", "get_dummies_columns"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
