"""Tests of the `save_results` step."""

import inspect

from churn_classification.steps.save_results import save_results


def test_save_results_signature() -> None:
    """`save_results` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(save_results).parameters)
    assert params == [
        "model",
        "df",
        "X_test",
        "predictions",
        "churn_model_path",
        "predictions_path",
    ]


# Recorded tests (characterization tests from a real run of the notebook) go below.
