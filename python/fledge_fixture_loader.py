"""Load the values recorded under tests/fixtures/<step>/ (written by fledge from a real run of the notebook).

Each step folder has a ``manifest.json`` listing its recorded inputs and expected outputs: the file, its
format (parquet for tables, npy for arrays, json for plain values; joblib only for objects no safer format
can hold, such as fitted models) and what is needed to rebuild the exact Python value (series name,
non-string column labels, tuple vs list).
"""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _rebuild(value, shape):
    """Turn JSON lists back into the tuples/sets the step produced."""
    if not isinstance(shape, dict):
        return value
    kind = shape.get("kind")
    if kind in ("tuple", "list", "set") and isinstance(value, list):
        items = [_rebuild(v, s) for v, s in zip(value, shape.get("items", []))] + value[
            len(shape.get("items", [])) :
        ]
        return {"tuple": tuple, "list": list, "set": set}[kind](items)
    if kind == "dict" and isinstance(value, dict):
        keys = shape.get("keys", {})
        return {
            _key(k, keys.get(k)): _rebuild(v, shape.get("items", {}).get(k))
            for k, v in value.items()
        }
    return value


def _key(key, original):
    return original if original is not None else key


def load_recorded(step, name, *, root=None):
    """The recorded value ``name`` ("inputs/df", "outputs/model") of ``step``."""
    folder = Path(root or FIXTURES) / step
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    section, _, key = name.partition("/")
    entry = manifest[section][key]
    path = folder / entry["file"]
    fmt = entry["format"]
    if fmt == "parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        if "columns" in entry:
            frame.columns = entry["columns"]
        if entry.get("series"):
            series = frame.iloc[:, 0]
            series.name = entry.get("name")
            return series
        return frame
    if fmt == "npy":
        import numpy as np

        return np.load(path, allow_pickle=False)
    if fmt == "json":
        return _rebuild(
            json.loads(path.read_text(encoding="utf-8")), entry.get("shape")
        )
    if fmt == "joblib":
        import joblib

        return joblib.load(path)
    raise ValueError(f"unknown fixture format {fmt!r} for {step}/{name}")
