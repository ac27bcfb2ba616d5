"""Step 3 of the survey_models pipeline: Better model."""

from __future__ import annotations

import logging
from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)


def train_model_2(
    df,
    y,
    test_size: float = 0.3,
    random_state: int = 0,
    logistic_regression_c: float = 0.5,
    max_iter: int = 500,
) -> tuple[LogisticRegression, Any, float]:
    """Better model.

    Add online hours and the region's figures.

    Args:
        df: `df` as returned by `load_data`.
        y: `y` as returned by `train_model`.
        test_size: Parameter `test_size` in params.yaml. Notebook value: 0.3.
        random_state: Parameter `random_state` in params.yaml. Notebook value: 0.
        logistic_regression_c: Parameter `logistic_regression_c` in params.yaml. Notebook value: 0.5.
        max_iter: Parameter `max_iter` in params.yaml. Notebook value: 500.

    Returns:
        A tuple (model, X, auc):
            model: used by `save_results`.
            X: used by `save_results`.
            auc.
    """
    X = df[["age", "income", "hours_online", "urban_share", "median_rent"]]
    X = (X - X.mean()) / X.std()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state
    )
    model = LogisticRegression(C=logistic_regression_c, max_iter=max_iter)
    model.fit(X_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    logger.info("AUC %s", auc)
    return model, X, auc
