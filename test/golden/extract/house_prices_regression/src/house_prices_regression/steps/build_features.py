"""Step 2 of the house_prices_regression pipeline: Build features."""

from __future__ import annotations

import numpy as np
import pandas as pd


def build_features(houses: pd.DataFrame, get_dummies_columns: list[str]) -> pd.DataFrame:
    """Build features.

    Args:
        houses: `houses` as returned by `load_data`.
        get_dummies_columns: Parameter `get_dummies_columns` in params.yaml. Notebook value: ["district"].

    Returns:
        `houses`: used by `train_model`.
    """
    houses["lot_m2"] = houses["lot_m2"].fillna(houses["lot_m2"].median())
    houses["age"] = 2024 - houses["year_built"]
    houses["m2_per_room"] = houses["area_m2"] / houses["rooms"]
    houses["log_price"] = np.log(houses["price"])
    houses = pd.get_dummies(houses, columns=get_dummies_columns, drop_first=True)
    return houses
