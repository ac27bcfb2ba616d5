"""Step 2 of the flowers_magics pipeline: Train model."""

from __future__ import annotations

import logging

import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

logger = logging.getLogger(__name__)


def train_model(flowers: pd.DataFrame, n_neighbors: int = 5, cv: int = 5):
    """Train model.

    Args:
        flowers: `flowers` as returned by `load_data`.
        n_neighbors: Parameter `n_neighbors` in params.yaml. Notebook value: 5.
        cv: Parameter `cv` in params.yaml. Notebook value: 5.

    Returns:
        `scores`: used by `save_results`.
    """
    X = flowers[["sepal_length", "sepal_width"]]
    y = flowers["species"]

    knn = KNeighborsClassifier(n_neighbors=n_neighbors)
    scores = cross_val_score(knn, X, y, cv=cv)
    logger.info("cv accuracy: %s", scores.mean())

    knn.fit(X, y)
    return scores
