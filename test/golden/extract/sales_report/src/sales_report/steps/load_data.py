"""Step 1 of the sales_report pipeline: Monthly sales report."""

from __future__ import annotations

import pandas as pd


def load_data(orders_path: str) -> pd.DataFrame:
    """Monthly sales report.

    Args:
        orders_path: Parameter `orders_path` in params.yaml (a path under `data_dir`). Notebook value: "data/orders.csv".

    Returns:
        `orders`: used by `clean_data`.
    """
    orders = pd.read_csv(orders_path)
    return orders
