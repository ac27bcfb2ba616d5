"""Step 1 of the flowers_magics pipeline: Load data."""

from __future__ import annotations

import pandas as pd


def load_data(flowers_path: str) -> pd.DataFrame:
    """Load data.

    Args:
        flowers_path: Parameter `flowers_path` in params.yaml (a path under `data_dir`). Notebook value: "data/flowers.csv".

    Returns:
        `flowers`: used by `train_model`.
    """
    flowers = pd.read_csv(flowers_path)
    return flowers
