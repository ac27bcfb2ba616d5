"""Step 3 of the flowers_magics pipeline: Save results."""

from __future__ import annotations

import subprocess

import pandas as pd


def save_results(scores, cv_scores_path: str) -> None:
    """Save results.

    Args:
        scores: `scores` as returned by `train_model`.
        cv_scores_path: Parameter `cv_scores_path` in params.yaml (a path under `outputs_dir`). Notebook value: "cv_scores.csv".
    """
    # From the notebook: !echo "training done"
    subprocess.run(["echo", "training done"], check=True)
    pd.Series(scores).to_csv(cv_scores_path, index=False)
