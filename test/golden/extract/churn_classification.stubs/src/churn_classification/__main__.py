"""Command line: `python -m churn_classification [--params params.yaml] [--param key=value ...]`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import yaml

from churn_classification.pipeline import DEFAULT_PARAMS, load_params, run

logger = logging.getLogger("churn_classification")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the pipeline and log what it returned."""
    parser = argparse.ArgumentParser(
        prog="python -m churn_classification",
        description="Run the churn_classification pipeline.",
    )
    parser.add_argument(
        "--params",
        type=Path,
        help="YAML file of parameters (default: params.yaml in the current folder, when present)",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set one parameter (the value is read as YAML: 0.2, true, [a, b]); repeatable",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    params_file = args.params or (Path("params.yaml") if Path("params.yaml").exists() else None)
    params = load_params(params_file) if params_file else dict(DEFAULT_PARAMS)
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--param expects KEY=VALUE, got {item!r}")
        if key not in DEFAULT_PARAMS:
            parser.error(f"unknown parameter {key!r}; choose one of: {', '.join(DEFAULT_PARAMS)}")
        params[key] = yaml.safe_load(value)

    results = run(params)
    logger.info("done; outputs: %s", ", ".join(results) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
