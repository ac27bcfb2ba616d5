"""Step 3 of the house_prices_regression pipeline: Train model."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

logger = logging.getLogger(__name__)


def train_model(
    houses: pd.DataFrame,
    test_predictions_path: str,
    test_size: float = 0.2,
    random_state: int = 7,
    alpha: float = 1.0,
) -> tuple[np.ndarray, Any, float]:
    """Train model.

    Args:
        houses: `houses` as returned by `build_features`.
        test_predictions_path: Parameter `test_predictions_path` in params.yaml (a path under `outputs_dir`). Notebook value: "test_predictions.csv".
        test_size: Parameter `test_size` in params.yaml. Notebook value: 0.2.
        random_state: Parameter `random_state` in params.yaml. Notebook value: 7.
        alpha: Parameter `alpha` in params.yaml. Notebook value: 1.0.

    Returns:
        A tuple (pred, rmse, r2):
            pred.
            rmse.
            r2.
    """
    feature_cols = [c for c in houses.columns if c not in ("price", "log_price", "year_built")]
    X = houses[feature_cols]
    y = houses["log_price"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state
    )

    scaler = StandardScaler()
    X_train_scaled = scaler.fit_transform(X_train)
    X_test_scaled = scaler.transform(X_test)
    reg = Ridge(alpha=alpha)
    reg.fit(X_train_scaled, y_train)

    pred = reg.predict(X_test_scaled)
    rmse = np.sqrt(mean_squared_error(np.exp(y_test), np.exp(pred)))
    r2 = r2_score(y_test, pred)
    logger.info("RMSE: %s", round(rmse))
    logger.info("R2: %s", round(r2, 3))

    pd.DataFrame({"actual": np.exp(y_test), "predicted": np.exp(pred)}).to_csv(
        test_predictions_path, index=False
    )
    return pred, rmse, r2
