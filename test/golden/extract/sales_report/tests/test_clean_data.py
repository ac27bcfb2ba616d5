"""Tests of the `clean_data` step."""

import inspect

from sales_report.steps.clean_data import clean_data


def test_clean_data_signature() -> None:
    """`clean_data` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(clean_data).parameters)
    assert params == ["orders", "dropna_subset"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
