"""Step 3 of the churn_classification pipeline: Features."""

from __future__ import annotations

import pandas as pd


def build_features(
    df: pd.DataFrame, get_dummies_columns: list[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """Features.

    Args:
        df: `df` as returned by `clean_data`.
        get_dummies_columns: Parameter `get_dummies_columns` in params.yaml. Notebook value: ["contract"].

    Returns:
        A tuple (features, target):
            features: used by `train_model`.
            target: used by `train_model`.
    """
    # The notebook code of this step, to move into the function body:
    # features = pd.get_dummies(df[["tenure", "monthly_charges", "total_charges", "senior", "contract"]], columns=["contract"])
    #
    # target = df["churn"]
    raise NotImplementedError("build_features: fill in from the notebook code above")
