"""fledge verify, pipeline side: run a generated project's steps one by one and fingerprint what each returns.

Injected as ``sys.modules["_fledge_pipeline"]`` (after ``_fledge_record`` and ``_fledge_fixtures``). The
values flow between steps in a private dict, never in the user's namespace. Before each call the step's
inputs are deep-copied, so a step whose result differs from the notebook's can be called again on exactly
the same inputs: if the two calls disagree, the step is random (not comparable), not wrong.
"""

import contextlib
import copy
import importlib
import io
import logging
import os
import sys

_state = {"values": {}, "copies": {}, "params": {}, "printed": {}}


def _capture(fn, kwargs):
    """Call ``fn`` and return its result and what it printed or logged at INFO and above (messages only).

    The generated steps log what the notebook printed (``logger.info``), so both count as printed output;
    the loggers keep their own handlers too.
    """
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.INFO) if level else logging.INFO)
    try:
        with contextlib.redirect_stdout(text):
            result = fn(**kwargs)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return result, text.getvalue()


def printed(index, again=False):
    """What the step printed or logged in its first call (or in its second, ``again``)."""
    return _state["printed"].get((index, again), "")


def _fixtures():
    return sys.modules["_fledge_fixtures"]


def _record():
    return sys.modules["_fledge_record"]


def start(src_dir, params, data_dir, outputs_dir, floats=()):
    """Prepare a run: the package's folder on sys.path, parameter values, data and outputs folders.

    ``floats`` names parameters the notebook wrote as floats (``1.0``) that JSON carried as integers.
    """
    params = {
        k: float(v)
        if k in floats and isinstance(v, int) and not isinstance(v, bool)
        else v
        for k, v in params.items()
    }
    if src_dir not in sys.path:
        sys.path.insert(0, src_dir)
    importlib.invalidate_caches()
    os.makedirs(outputs_dir, exist_ok=True)
    _state.update(
        values={},
        copies={},
        printed={},
        params=dict(params),
        data_dir=data_dir,
        outputs_dir=outputs_dir,
    )
    return {"python": sys.version.split()[0]}


def _argument(arg):
    source = arg["source"]
    if source["kind"] == "input":
        if arg["name"] not in _state["values"]:
            raise KeyError(f"no earlier step returned `{arg['name']}`")
        return _state["values"][arg["name"]]
    value = _state["params"].get(source["param"])
    if source.get("role") == "data" and isinstance(value, str):
        return os.path.join(_state["data_dir"], value)
    if source.get("role") == "output" and isinstance(value, str):
        path = os.path.join(_state["outputs_dir"], value)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return path
    return value


def run_step(index, module, function, args, returns, files=()):
    """Call one step with the values earlier steps returned; fingerprints of what it returned and wrote.

    ``files`` lists ``[label, path relative to the outputs folder]`` of the files the step writes.
    """
    fn = getattr(importlib.import_module(module), function)
    kwargs = {a["name"]: _argument(a) for a in args}
    _state["copies"][index] = copy.deepcopy(kwargs)
    result, text = _capture(fn, kwargs)
    _state["printed"][(index, False)] = text
    values = _fixtures().split_result(result, returns)
    _state["values"].update(values)
    out = {name: _record().fingerprint(v) for name, v in values.items()}
    for label, rel in files:
        out[label] = _record().fingerprint_file(
            os.path.join(_state["outputs_dir"], rel)
        )
    return out


def rerun_step(index, module, function, returns, files=()):
    """Call a step again on deep copies of the inputs of its first call (the run's values are untouched)."""
    fn = getattr(importlib.import_module(module), function)
    kwargs = copy.deepcopy(_state["copies"][index])
    result, text = _capture(fn, kwargs)
    _state["printed"][(index, True)] = text
    values = _fixtures().split_result(result, returns)
    out = {name: _record().fingerprint(v) for name, v in values.items()}
    for label, rel in files:
        out[label] = _record().fingerprint_file(
            os.path.join(_state["outputs_dir"], rel)
        )
    return out
