"""Step 2 of the energy_out_of_order pipeline: Train model."""

from __future__ import annotations

from typing import Any

from sklearn.linear_model import LinearRegression


def train_model(clean) -> tuple[Any, LinearRegression]:
    """Train model.

    Args:
        clean: `clean` as returned by `load_temperature`.

    Returns:
        A tuple (slope, fit):
            slope: used by `save_results`.
            fit: used by `save_results`.
    """
    fit = LinearRegression().fit(clean[["outdoor_temp"]], clean["kwh"])
    slope = fit.coef_[0]
    return slope, fit
