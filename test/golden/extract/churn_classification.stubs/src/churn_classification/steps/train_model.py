"""Step 4 of the churn_classification pipeline: Train."""

from __future__ import annotations

import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def train_model(
    features: pd.DataFrame,
    target: pd.Series,
    test_size: float = 0.25,
    random_state: int = 42,
    n_estimators: int = 50,
    max_depth: int = 5,
) -> tuple[RandomForestClassifier, pd.DataFrame, pd.Series]:
    """Train.

    Args:
        features: `features` as returned by `build_features`.
        target: `target` as returned by `build_features`.
        test_size: Parameter `test_size` in params.yaml. Notebook value: 0.25.
        random_state: Parameter `random_state` in params.yaml. Notebook value: 42.
        n_estimators: Parameter `n_estimators` in params.yaml. Notebook value: 50.
        max_depth: Parameter `max_depth` in params.yaml. Notebook value: 5.

    Returns:
        A tuple (model, X_test, y_test):
            model: used by `evaluate_model`, `save_results`.
            X_test: used by `evaluate_model`, `save_results`.
            y_test: used by `evaluate_model`.
    """
    # The notebook code of this step, to move into the function body:
    # X_train, X_test, y_train, y_test = train_test_split(features, target, test_size=0.25, random_state=42)
    #
    # model = RandomForestClassifier(n_estimators=50, max_depth=5, random_state=42)
    #
    # model.fit(X_train, y_train)
    raise NotImplementedError("train_model: fill in from the notebook code above")
