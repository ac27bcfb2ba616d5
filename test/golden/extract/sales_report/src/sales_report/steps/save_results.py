"""Step 3 of the sales_report pipeline: Per-region figures."""

from __future__ import annotations

import logging

import pandas as pd

logger = logging.getLogger(__name__)


def region_figures(frame, region):
    """Region figures."""
    global regions_seen
    regions_seen += 1
    part = frame[frame["region"] == region]
    return {"region": region, "orders": len(part), "revenue": part["revenue"].sum()}


def save_results(orders: pd.DataFrame, sales_by_region_path: str) -> None:
    """Per-region figures.

    Args:
        orders: `orders` as returned by `clean_data`.
        sales_by_region_path: Parameter `sales_by_region_path` in params.yaml (a path under `outputs_dir`). Notebook value: "sales_by_region.csv".
    """
    global regions_seen
    regions_seen = 0

    rows = []
    for region in sorted(orders["region"].unique()):
        rows.append(region_figures(orders, region))

    rows.append({"region": "ALL", "orders": len(orders), "revenue": orders["revenue"].sum()})
    report = pd.DataFrame(rows)
    logger.info(f"{regions_seen} regions")

    report.to_csv(sales_by_region_path, index=False)
