"""Step 2 of the survey_models pipeline: Baseline."""

from __future__ import annotations

import logging
from typing import Any

from sklearn.dummy import DummyClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)


def train_model(df, test_size: float = 0.3, random_state: int = 0) -> tuple[Any, float]:
    """Baseline.

    Args:
        df: `df` as returned by `load_data`.
        test_size: Parameter `test_size` in params.yaml. Notebook value: 0.3.
        random_state: Parameter `random_state` in params.yaml. Notebook value: 0.

    Returns:
        A tuple (y, baseline_auc):
            y: used by `train_model_2`.
            baseline_auc.
    """
    X = df[["age", "income"]]
    y = df["subscribed"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state
    )
    model = DummyClassifier(strategy="prior").fit(X_train, y_train)
    baseline_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    logger.info("baseline AUC %s", baseline_auc)
    return y, baseline_auc
