"""Step 3 of the energy_out_of_order pipeline: Save results."""

from __future__ import annotations

import pandas as pd
from sklearn.linear_model import LinearRegression


def save_results(slope, fit: LinearRegression, fit_path: str) -> None:
    """Save results.

    Args:
        slope: `slope` as returned by `train_model`.
        fit: `fit` as returned by `train_model`.
        fit_path: Parameter `fit_path` in params.yaml (a path under `outputs_dir`). Notebook value: "fit.csv".
    """
    pd.DataFrame({"slope": [slope], "intercept": [fit.intercept_]}).to_csv(fit_path, index=False)
