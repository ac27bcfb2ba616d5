"""Tests of the `clean_place` step."""

import inspect

from sales_report.steps.clean_place import clean_place


def test_clean_place_signature() -> None:
    """`clean_place` takes what the pipeline passes it, in this order."""
    params = list(inspect.signature(clean_place).parameters)
    assert params == ["orders", "dropna_subset"]


# Recorded tests (characterization tests from a real run of the notebook) go below.
