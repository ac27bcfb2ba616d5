"""Step 1 of the survey_models pipeline: Data."""

from __future__ import annotations

import pandas as pd


def load_data(responses_path: str, regions_path: str):
    """Data.

    Args:
        responses_path: Parameter `responses_path` in params.yaml (a path under `data_dir`). Notebook value: "data/responses.csv".
        regions_path: Parameter `regions_path` in params.yaml (a path under `data_dir`). Notebook value: "data/regions.csv".

    Returns:
        `df`: used by `train_model`, `train_model_2`.
    """
    df = pd.read_csv(responses_path)
    df = df[df["age"] > 0]
    regions = pd.read_csv(regions_path)
    df = df.merge(regions, on="region", how="left")
    return df
