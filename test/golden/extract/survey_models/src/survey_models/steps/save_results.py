"""Step 4 of the survey_models pipeline: Coefficients."""

from __future__ import annotations

import pandas as pd
from sklearn.linear_model import LogisticRegression


def save_results(model: LogisticRegression, X, coefficients_path: str) -> None:
    """Coefficients.

    Args:
        model: `model` as returned by `train_model_2`.
        X: `X` as returned by `train_model_2`.
        coefficients_path: Parameter `coefficients_path` in params.yaml (a path under `outputs_dir`). Notebook value: "coefficients.csv".
    """
    coefficients = pd.Series(model.coef_[0], index=X.columns).sort_values()
    coefficients.to_csv(coefficients_path)
