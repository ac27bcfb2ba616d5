"""Step 5 of the churn_classification pipeline: Evaluate."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def evaluate_model(
    model: RandomForestClassifier, X_test: pd.DataFrame, y_test: pd.Series
) -> tuple[Any, float, float]:
    """Evaluate.

    Args:
        model: `model` as returned by `train_model`.
        X_test: `X_test` as returned by `train_model`.
        y_test: `y_test` as returned by `train_model`.

    Returns:
        A tuple (predictions, accuracy, f1):
            predictions: used by `save_results`.
            accuracy.
            f1.
    """
    # The notebook code of this step, to move into the function body:
    # predictions = model.predict(X_test)
    #
    # accuracy = accuracy_score(y_test, predictions)
    #
    # f1 = f1_score(y_test, predictions)
    #
    # print(f"accuracy: {accuracy:.3f}")
    #
    # print("f1:", round(f1, 3))
    raise NotImplementedError("evaluate_model: fill in from the notebook code above")
