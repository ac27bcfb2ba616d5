"""bench:mutations' equivalence oracle: is a mutated step observably identical to the original one?

Reads a JSON request on stdin: the project's src folder, package, steps (``.fledge/steps.json``), parameter
values, data folder, the index of the mutated step and the path of the mutated module's source. Runs the
steps before it with the project's own (unmutated) code on the notebook's data, then calls the original
and the mutated step function on deep copies of the same inputs, each writing its files to its own folder,
and compares, exactly:
  - every returned value: pandas ``.equals`` plus column names, dtypes, index and name; numpy
    ``array_equal`` (NaN equal to NaN) plus dtype and shape; estimators and anything else by type and
    pickled bytes (an estimator fitted on swapped columns differs in ``feature_names_in_`` and coefficients);
    plain values by ``==``;
  - every file the step wrote (bytes);
  - what the step printed and logged (text).
Prints ``{"equivalent": bool, "evidence": [...]}``. Anything unexpected (an exception, a value that cannot
be pickled) counts as "not equivalent": the oracle can only take a mutant out of the score with proof.
"""

import contextlib
import copy
import importlib
import importlib.util
import io
import json
import logging
import math
import os
import pickle
import sys
import tempfile


def _argument(arg, values, params, data_dir, outputs_dir):
    source = arg["source"]
    if source["kind"] == "input":
        return values[arg["name"]]
    value = params.get(source["param"])
    if source.get("role") == "data" and isinstance(value, str):
        return os.path.join(data_dir, value)
    if source.get("role") == "output" and isinstance(value, str):
        path = os.path.join(outputs_dir, value)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return path
    return value


def _split(result, names):
    if len(names) == 0:
        return {}
    if len(names) == 1:
        return {names[0]: result}
    if isinstance(result, dict) and all(n in result for n in names):
        return {n: result[n] for n in names}
    if hasattr(result, "_asdict"):
        return {n: result._asdict()[n] for n in names}
    return dict(zip(names, result))


def _same(a, b):
    """(equal, why-not) for two values, exactly."""
    import numpy as np
    import pandas as pd

    if type(a) is not type(b):
        return False, f"types {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, (pd.DataFrame, pd.Series)):
        if isinstance(a, pd.Series) and a.name != b.name:
            return False, "series names differ"
        if isinstance(a, pd.DataFrame) and list(a.columns) != list(b.columns):
            return False, "column names or their order differ"
        if isinstance(a, pd.DataFrame) and list(a.dtypes) != list(b.dtypes):
            return False, "dtypes differ"
        if not a.index.equals(b.index):
            return False, "index differs"
        return (True, "") if a.equals(b) else (False, "values differ")
    if isinstance(a, np.ndarray):
        if a.shape != b.shape or a.dtype != b.dtype:
            return False, "shape or dtype differ"
        nan_ok = a.dtype.kind in "fc"
        return (
            (True, "")
            if np.array_equal(a, b, equal_nan=nan_ok)
            else (False, "values differ")
        )
    if isinstance(a, float):
        same = (math.isnan(a) and math.isnan(b)) or a == b
        return (True, "") if same else (False, f"{a!r} vs {b!r}")
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return False, "lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            ok, why = _same(x, y)
            if not ok:
                return False, f"[{i}]: {why}"
        return True, ""
    if isinstance(a, dict):
        if list(a) != list(b):
            return False, "keys differ"
        for k in a:
            ok, why = _same(a[k], b[k])
            if not ok:
                return False, f"[{k!r}]: {why}"
        return True, ""
    if isinstance(a, np.generic):
        return _same(a.item(), b.item())
    if isinstance(a, (int, str, bool, bytes, type(None))):
        return (True, "") if a == b else (False, f"{a!r} vs {b!r}")
    # Estimators and other objects: their pickled state, byte for byte.
    pa = pickle.dumps(a, protocol=4)
    pb = pickle.dumps(b, protocol=4)
    return (True, "") if pa == pb else (False, "pickled bytes differ")


def _files(folder):
    out = {}
    for root, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


def _call(fn, kwargs):
    """Call and capture what the call printed and logged."""
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with contextlib.redirect_stdout(text):
            result = fn(**kwargs)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return result, text.getvalue()


def main():
    req = json.load(sys.stdin)
    sys.path.insert(0, req["src_dir"])
    pkg, steps, params = req["package"], req["steps"], req["params"]
    target = req["index"]
    values = {}
    with tempfile.TemporaryDirectory() as tmp:
        base_out = os.path.join(tmp, "before")
        for step in steps[:target]:
            mod = importlib.import_module(f"{pkg}.steps.{step['module']}")
            kwargs = {
                a["name"]: _argument(a, values, params, req["data_dir"], base_out)
                for a in step["args"]
            }
            values.update(
                _split(
                    getattr(mod, step["name"])(**kwargs),
                    [r["name"] for r in step["returns"]],
                )
            )
        step = steps[target]
        names = [r["name"] for r in step["returns"]]
        original = getattr(
            importlib.import_module(f"{pkg}.steps.{step['module']}"), step["name"]
        )
        spec = importlib.util.spec_from_file_location(
            f"{pkg}.steps._mutant_{step['module']}", req["mutated"]
        )
        mutant_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mutant_module)
        mutant = getattr(mutant_module, step["name"])
        outs = {}
        results = {}
        for label, fn in (("original", original), ("mutant", mutant)):
            outs[label] = os.path.join(tmp, label)
            os.makedirs(outs[label])
            kwargs = {
                a["name"]: _argument(a, values, params, req["data_dir"], outs[label])
                for a in step["args"]
            }
            result, printed = _call(fn, copy.deepcopy(kwargs))
            results[label] = (_split(result, names), printed)
        evidence = []
        (ra, pa), (rb, pb) = results["original"], results["mutant"]
        for n in names:
            ok, why = _same(ra[n], rb[n])
            if not ok:
                return {"equivalent": False, "evidence": [f"returned `{n}`: {why}"]}
            evidence.append(f"returned `{n}` identical ({type(ra[n]).__name__})")
        fa, fb = _files(outs["original"]), _files(outs["mutant"])
        if fa != fb:
            differ = sorted(set(fa) ^ set(fb)) or [k for k in fa if fa[k] != fb.get(k)]
            return {
                "equivalent": False,
                "evidence": [f"written files differ: {', '.join(differ)}"],
            }
        evidence.extend(f"wrote `{k}` byte-identical" for k in sorted(fa))
        if pa != pb:
            return {"equivalent": False, "evidence": ["printed/logged text differs"]}
        if pa:
            evidence.append("printed/logged text identical")
        if not evidence:
            evidence.append("the step returns and writes nothing")
        return {"equivalent": True, "evidence": evidence}


if __name__ == "__main__":
    try:
        verdict = main()
    except Exception as exc:  # noqa: BLE001 - no proof of equivalence
        verdict = {
            "equivalent": False,
            "evidence": [f"oracle error: {type(exc).__name__}: {exc}"],
        }
    print(json.dumps(verdict))
