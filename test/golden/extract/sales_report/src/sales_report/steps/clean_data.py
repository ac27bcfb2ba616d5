"""Step 2 of the sales_report pipeline: Clean in place."""

from __future__ import annotations

import pandas as pd


def clean_data(orders: pd.DataFrame, dropna_subset: list[str]) -> pd.DataFrame:
    """Clean in place.

    Args:
        orders: `orders` as returned by `load_data`.
        dropna_subset: Parameter `dropna_subset` in params.yaml. Notebook value: ["units"].

    Returns:
        `orders`: used by `save_results`.
    """
    orders.dropna(subset=dropna_subset, inplace=True)
    orders["units"] = orders["units"].astype(int)
    orders["revenue"] = orders["units"] * orders["unit_price"]

    orders.sort_values(["month", "order_id"], inplace=True)
    orders.reset_index(drop=True, inplace=True)
    return orders
