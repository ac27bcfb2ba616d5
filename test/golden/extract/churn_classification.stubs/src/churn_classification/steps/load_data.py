"""Step 1 of the churn_classification pipeline: Load the data."""

from __future__ import annotations

import pandas as pd


def load_data(customers_path: str) -> pd.DataFrame:
    """Load the data.

    Args:
        customers_path: Parameter `customers_path` in params.yaml (a path under `data_dir`). Notebook value: "data/customers.csv".

    Returns:
        `df`: used by `clean_data`.
    """
    # The notebook code of this step, to move into the function body:
    # df = pd.read_csv("data/customers.csv")
    raise NotImplementedError("load_data: fill in from the notebook code above")
