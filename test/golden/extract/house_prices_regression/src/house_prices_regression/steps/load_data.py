"""Step 1 of the house_prices_regression pipeline: Load data."""

from __future__ import annotations

import pandas as pd


def load_data(houses_path: str) -> pd.DataFrame:
    """Load data.

    Args:
        houses_path: Parameter `houses_path` in params.yaml (a path under `data_dir`). Notebook value: "data/houses.csv".

    Returns:
        `houses`: used by `build_features`.
    """
    houses = pd.read_csv(houses_path)
    return houses
