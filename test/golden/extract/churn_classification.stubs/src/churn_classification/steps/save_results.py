"""Step 6 of the churn_classification pipeline: Save."""

from __future__ import annotations

import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def save_results(
    model: RandomForestClassifier,
    df: pd.DataFrame,
    X_test: pd.DataFrame,
    predictions,
    churn_model_path: str,
    predictions_path: str,
) -> None:
    """Save.

    Args:
        model: `model` as returned by `train_model`.
        df: `df` as returned by `clean_data`.
        X_test: `X_test` as returned by `train_model`.
        predictions: `predictions` as returned by `evaluate_model`.
        churn_model_path: Parameter `churn_model_path` in params.yaml (a path under `outputs_dir`). Notebook value: "churn_model.joblib".
        predictions_path: Parameter `predictions_path` in params.yaml (a path under `outputs_dir`). Notebook value: "predictions.csv".
    """
    # The notebook code of this step, to move into the function body:
    # joblib.dump(model, "churn_model.joblib")
    #
    # pd.DataFrame({"customer_id": df.loc[X_test.index, "customer_id"], "churn": predictions}).to_csv("predictions.csv", index=False)
    raise NotImplementedError("save_results: fill in from the notebook code above")
