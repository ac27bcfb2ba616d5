"""House prices regression: the house_prices_regression pipeline, extracted from house_prices_regression.ipynb."""

from house_prices_regression.pipeline import run

__all__ = ["run"]
