"""Step 1 of the energy_out_of_order pipeline: Energy use vs temperature."""

from __future__ import annotations

import numpy as np
import pandas as pd


def load_temperature(consumption_path: str):
    """Energy use vs temperature.

    Args:
        consumption_path: Parameter `consumption_path` in params.yaml (a path under `data_dir`). Notebook value: "data/consumption.csv".

    Returns:
        `clean`: used by `train_model`.
    """
    raw = pd.read_csv(consumption_path)
    clean = raw[raw["kwh"] > 0].copy()
    clean["log_kwh"] = np.log(clean["kwh"])
    return clean
