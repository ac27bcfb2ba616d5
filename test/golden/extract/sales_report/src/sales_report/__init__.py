"""Monthly sales report: the sales_report pipeline, extracted from sales_report.ipynb."""

from sales_report.pipeline import run

__all__ = ["run"]
