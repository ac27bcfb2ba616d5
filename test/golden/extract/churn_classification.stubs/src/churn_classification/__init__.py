"""Churn model: the churn_classification pipeline, extracted from churn_classification.ipynb."""

from churn_classification.pipeline import run

__all__ = ["run"]
