"""fledge's fixture writer: samples of step inputs, and expected outputs of a step called on them.

Injected into the user's kernel as ``sys.modules["_fledge_fixtures"]`` after ``_fledge_record`` and
``_fledge_loader`` (python/fledge_fixture_loader.py, which the generated tests carry as their loader).

Samples: the rows of tables (and the first axis of arrays) that go together are sampled together: values of
the same length share the same positions, so ``X_train`` and ``y_train`` stay aligned. The positions include
the first rows, a row with a missing value for every column that has one, a row for every category (and every
value of a low-cardinality text or boolean column), then evenly spaced rows up to the limit. Values matching a
secret pattern are replaced by "<redacted>" and reported. The synthetic mode writes rows generated from the
recorded schema instead of the real rows (python/fledge_synth.py).
"""

import copy
import importlib
import inspect
import json
import os
import sys

LOW_CARDINALITY = 30
REDACTED = "<redacted>"


def _record():
    return sys.modules["_fledge_record"]


def _loader():
    return sys.modules["_fledge_loader"]


def _pd():
    return sys.modules.get("pandas")


def _np():
    return sys.modules.get("numpy")


def _length(value):
    pd, np = _pd(), _np()
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        return len(value)
    if np is not None and isinstance(value, np.ndarray) and value.ndim >= 1:
        return value.shape[0]
    return None


# ------------------------------------------------------------------------------------------ selection


def select_positions(values, max_rows):
    """Row positions (sorted) covering missing values and every category of the given aligned values."""
    n = _length(values[0])
    if n is None or n <= max_rows:
        return None if n is None else list(range(n))
    pd, np = _pd(), _np()
    wanted = list(range(min(3, n)))
    for value in values:
        columns = []
        if pd is not None and isinstance(value, pd.DataFrame):
            columns = [value.iloc[:, i] for i in range(value.shape[1])]
        elif pd is not None and isinstance(value, pd.Series):
            columns = [value]
        elif (
            np is not None and isinstance(value, np.ndarray) and value.dtype.kind == "f"
        ):
            flat = value.reshape(n, -1)
            missing = np.flatnonzero(np.isnan(flat).any(axis=1))
            if missing.size:
                wanted.append(int(missing[0]))
        elif (
            np is not None
            and isinstance(value, np.ndarray)
            and value.ndim == 1
            and value.dtype.kind in "biuUSO"
        ):
            _, first = np.unique(value.astype(str), return_index=True)
            if first.size <= LOW_CARDINALITY:
                wanted.extend(int(i) for i in first)
        for col in columns:
            isna = col.isna().to_numpy()
            if isna.any():
                wanted.append(int(np.flatnonzero(isna)[0]))
            if (
                isinstance(col.dtype, pd.CategoricalDtype)
                or col.dtype == bool
                or col.dtype.kind in "OUS"
                or str(col.dtype) in ("str", "string")
            ):
                try:
                    codes, uniques = pd.factorize(col, use_na_sentinel=True)
                except TypeError:
                    continue
                if len(uniques) <= LOW_CARDINALITY:
                    _, first = np.unique(codes[codes >= 0], return_index=True)
                    wanted.extend(int(np.flatnonzero(codes >= 0)[i]) for i in first)
    chosen = sorted(set(wanted))[:max_rows]
    spare = max_rows - len(chosen)
    if spare > 0:
        rest = [round(i * (n - 1) / max(1, spare + 1)) for i in range(1, spare + 1)]
        chosen = sorted(set(chosen) | set(rest))
        # Fill up when evenly spaced positions collided with ones already chosen.
        i = 0
        while len(chosen) < max_rows and i < n:
            if i not in chosen:
                chosen.append(i)
            i += 1
        chosen.sort()
    return chosen


def _take(value, positions):
    pd = _pd()
    if positions is None:
        return value
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        return value.iloc[positions]
    return value[positions]


# ------------------------------------------------------------------------------------------- secrets


def _is_secret(text):
    return any(p.search(text) for p in _record()._secret_re)


def redact(value, where, found):
    """A copy of ``value`` with secret-looking strings replaced; ``found`` collects where they were."""
    pd, np = _pd(), _np()
    if isinstance(value, str):
        if _is_secret(value):
            found.append(where)
            return REDACTED
        return value
    if pd is not None and isinstance(value, pd.DataFrame):
        out = value
        for i in range(value.shape[1]):
            col = value.iloc[:, i]
            if col.dtype.kind == "O" or str(col.dtype) in ("str", "string"):
                mask = col.map(lambda v: isinstance(v, str) and _is_secret(v)).to_numpy(
                    dtype=bool
                )
                if mask.any():
                    if out is value:
                        out = value.copy()
                    found.append(
                        f"{where}[{value.columns[i]!r}] ({int(mask.sum())} values)"
                    )
                    out.iloc[mask, i] = REDACTED
        return out
    if pd is not None and isinstance(value, pd.Series):
        return redact(value.to_frame(), where, found).iloc[:, 0].rename(value.name)
    if np is not None and isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        flat = value.ravel()
        mask = np.array(
            [isinstance(v, str) and _is_secret(v) for v in flat.tolist()], dtype=bool
        )
        if mask.any():
            found.append(f"{where} ({int(mask.sum())} values)")
            out = flat.astype(object).copy()
            out[mask] = REDACTED
            return out.reshape(value.shape)
        return value
    if isinstance(value, (list, tuple)):
        items = [redact(v, f"{where}[{i}]", found) for i, v in enumerate(value)]
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: redact(v, f"{where}[{k!r}]", found) for k, v in value.items()}
    return value


# ----------------------------------------------------------------------------------------- synthetic


def synthesize(value, n, seed=0, name="value", notes=None):
    """Rows generated from the recorded schema of ``value`` (python/fledge_synth.py); no real row is copied."""
    return sys.modules["_fledge_synth"].synthesize(
        value, n, seed=seed, name=name, notes=notes
    )


# ------------------------------------------------------------------------------------------- writing


def _json_shape(value, depth=0):
    """How to rebuild ``value`` from JSON, or raise TypeError when JSON cannot hold it exactly."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None
    np = _np()
    if np is not None and isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return None
    if depth > 6:
        raise TypeError("too deep")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = (
            sorted(value, key=repr)
            if isinstance(value, (set, frozenset))
            else list(value)
        )
        kind = (
            "tuple"
            if isinstance(value, tuple)
            else "set"
            if isinstance(value, (set, frozenset))
            else "list"
        )
        return {"kind": kind, "items": [_json_shape(v, depth + 1) for v in items]}
    if isinstance(value, dict):
        keys = {}
        for k in value:
            if not isinstance(k, (str, int, float, bool)) or k is None:
                raise TypeError("dict key")
            keys[str(k)] = None if isinstance(k, str) else k
        if len(keys) != len(value):
            raise TypeError("colliding keys")
        return {
            "kind": "dict",
            "keys": keys,
            "items": {str(k): _json_shape(v, depth + 1) for k, v in value.items()},
        }
    raise TypeError(type(value).__name__)


def _to_json_value(value):
    np = _np()
    if np is not None and isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return [_to_json_value(v) for v in sorted(value, key=repr)]
    if isinstance(value, (list, tuple)):
        return [_to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json_value(v) for k, v in value.items()}
    return value


def write_value(value, folder, stem):
    """Write ``value`` in the safest format that holds it; returns the manifest entry."""
    pd, np = _pd(), _np()
    os.makedirs(folder, exist_ok=True)
    entry = {"type": _record()._qualname(value)}
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame(name="value") if isinstance(value, pd.Series) else value
        if isinstance(value, pd.Series):
            entry.update(series=True, name=_record()._name(value.name))
        if (
            not all(isinstance(c, str) for c in frame.columns)
            and frame.columns.nlevels == 1
        ):
            entry["columns"] = [_record()._name(c) for c in frame.columns]
            frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
        try:
            path = os.path.join(folder, stem + ".parquet")
            frame.to_parquet(path)
            back = pd.read_parquet(path)
            if "columns" in entry:
                back.columns = entry["columns"]
            if isinstance(value, pd.Series):
                back = back.iloc[:, 0].rename(value.name)
            pd.testing.assert_frame_equal(back, value) if isinstance(
                value, pd.DataFrame
            ) else pd.testing.assert_series_equal(back, value)
            entry.update(file=stem + ".parquet", format="parquet")
            return entry
        except Exception as exc:  # noqa: BLE001 - fall back to a format that holds it
            entry["fallback"] = f"parquet does not round-trip it: {type(exc).__name__}"
            for k in ("columns", "series", "name"):
                entry.pop(k, None)
            if os.path.exists(os.path.join(folder, stem + ".parquet")):
                os.remove(os.path.join(folder, stem + ".parquet"))
    elif np is not None and isinstance(value, np.ndarray) and value.dtype.kind != "O":
        np.save(os.path.join(folder, stem + ".npy"), value, allow_pickle=False)
        entry.update(file=stem + ".npy", format="npy")
        return entry
    else:
        try:
            shape = _json_shape(value)
            text = json.dumps(_to_json_value(value), allow_nan=True)
            entry.update(file=stem + ".json", format="json", shape=shape)
            with open(os.path.join(folder, stem + ".json"), "w", encoding="utf-8") as f:
                f.write(text)
            return entry
        except TypeError:
            pass
    import joblib

    joblib.dump(value, os.path.join(folder, stem + ".joblib"))
    entry.update(file=stem + ".joblib", format="joblib")
    return entry


def _folder_size(folder):
    return (
        sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        if os.path.isdir(folder)
        else 0
    )


# ---------------------------------------------------------------------------------------- step inputs


def save_inputs(
    folder,
    names,
    max_rows=40,
    budget=1_000_000,
    synthetic=False,
    values=None,
    append=False,
    seed=0,
):
    """Sample the named values of the user's namespace (or ``values``) into ``folder``.

    Writes manifest.json. With ``append``, the inputs are added to those already saved in the folder
    (values recorded at another point of the run); ``budget`` applies to what this call adds. With
    ``synthetic``, tables, arrays and long lists are generated from their schema (python/fledge_synth.py,
    seeded by ``seed``) instead of sampled; parameters (scalars, small containers) and fitted objects are
    written as they are.
    """
    ns = values if values is not None else _record()._user_ns()
    present = {n: ns[n] for n in names if n in ns}
    missing = [n for n in names if n not in ns]
    previous = {
        "inputs": {},
        "redacted": [],
        "missing": [],
        "rows": max_rows,
        "schema_notes": [],
    }
    manifest_path = os.path.join(folder, "manifest.json")
    if append and os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            previous = json.load(f)
    elif not append:
        _clear(folder)
    start = _folder_size(folder)
    rows = max_rows
    while True:
        entries, redacted, notes = _write_inputs(folder, present, rows, synthetic, seed)
        size = _folder_size(folder) - start
        if size <= budget or rows <= 2:
            break
        for entry in entries.values():
            os.remove(os.path.join(folder, entry["file"]))
        rows = max(2, rows // 2)
    manifest = {
        "inputs": {**previous["inputs"], **entries},
        "outputs": {},
        "rows": min(rows, previous.get("rows", rows)),
        "synthetic": synthetic,
        "seed": seed if synthetic else None,
        "redacted": previous["redacted"] + redacted,
        "schema_notes": previous.get("schema_notes", []) + notes,
        "missing": previous["missing"] + missing,
    }
    _write_manifest(folder, manifest)
    return {"manifest": manifest, "bytes": size, "over_budget": size > budget}


def _write_inputs(folder, present, rows, synthetic, seed=0):
    groups = {}
    for name, value in present.items():
        groups.setdefault(_length(value), []).append(name)
    entries, redacted, notes = {}, [], []
    for length, group in groups.items():
        positions = (
            None
            if length is None
            else select_positions([present[n] for n in group], rows)
        )
        for name in group:
            value = present[name]
            if synthetic:
                size = (
                    len(value)
                    if length is None and hasattr(value, "__len__")
                    else length
                )
                sample = synthesize(
                    value, min(rows, size or 0), seed=seed, name=name, notes=notes
                )
            else:
                sample = _take(value, positions)
            sample = redact(sample, name, redacted)
            entry = write_value(sample, folder, "in_" + name)
            entry["rows_total"] = length
            entry["rows_kept"] = _length(sample)
            if synthetic:
                entry["synthetic"] = sample is not value
            entries[name] = entry
    return entries, redacted, notes


def _clear(folder):
    if os.path.isdir(folder):
        for f in os.listdir(folder):
            if f.startswith(("in_", "out_")) or f == "manifest.json":
                os.remove(os.path.join(folder, f))


def _write_manifest(folder, manifest):
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True, default=str)
        f.write("\n")
    os.replace(tmp, os.path.join(folder, "manifest.json"))


# ---------------------------------------------------------------------------------------- step calls


def bind_arguments(function, inputs, params):
    """Keyword arguments for ``function`` from recorded inputs and parameter values, by parameter name."""
    kwargs, unbound = {}, []
    for p in inspect.signature(function).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in inputs:
            kwargs[p.name] = inputs[p.name]
        elif p.name in params:
            kwargs[p.name] = params[p.name]
        elif p.default is p.empty:
            unbound.append(p.name)
    return kwargs, unbound


def split_result(result, output_names):
    """Map a step's return value onto its output names (single value, tuple, NamedTuple, dataclass, dict)."""
    if len(output_names) == 0:
        return {}
    if len(output_names) == 1:
        return {output_names[0]: result}
    if isinstance(result, dict) and all(n in result for n in output_names):
        return {n: result[n] for n in output_names}
    if hasattr(result, "_asdict"):
        d = result._asdict()
        if all(n in d for n in output_names):
            return {n: d[n] for n in output_names}
    if hasattr(result, "__dataclass_fields__"):
        return {n: getattr(result, n) for n in output_names if hasattr(result, n)}
    if isinstance(result, tuple) and len(result) == len(output_names):
        return dict(zip(output_names, result))
    raise ValueError(
        f"the step returned {type(result).__name__}; expected {len(output_names)} values {output_names}"
    )


def _read_table(path):
    """A table file a step wrote, read as ``fingerprint_file`` reads it (None when it is not a table)."""
    pd = _pd()
    lower = path.lower()
    if pd is None or not os.path.exists(path):
        return None
    if lower.endswith((".csv", ".tsv")):
        return pd.read_csv(path, sep="\t" if lower.endswith(".tsv") else ",")
    if lower.endswith(".parquet"):
        return pd.read_parquet(path)
    return None


def call_step(folder, module, function, params, output_names, src_dir=None, written=()):
    """Call a generated step on its recorded inputs (twice, to detect randomness); save the outputs.

    ``written`` lists ``[name, path]`` of the files the step writes: tables among them are saved too
    (``written/<name>`` in the manifest) so the test can compare what the step writes.
    Returns the manifest's outputs, whether two calls agreed, and the fingerprints of the outputs.
    """
    if src_dir and src_dir not in sys.path:
        sys.path.insert(0, src_dir)
    importlib.invalidate_caches()
    if module in sys.modules:
        importlib.reload(sys.modules[module])  # the package was just (re)generated
    fn = getattr(importlib.import_module(module), function)
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    inputs = {
        n: _loader().load_recorded(
            os.path.basename(folder), "inputs/" + n, root=os.path.dirname(folder)
        )
        for n in manifest["inputs"]
    }
    kwargs, unbound = bind_arguments(fn, inputs, params)
    if unbound:
        raise ValueError(
            f"no recorded value for parameter(s) {', '.join(unbound)} of {function}"
        )
    first = split_result(fn(**copy.deepcopy(kwargs)), output_names)
    tables = {name: _read_table(path) for name, path in written}
    second = split_result(fn(**copy.deepcopy(kwargs)), output_names)
    tables_again = {name: _read_table(path) for name, path in written}
    fp1 = {n: _record().fingerprint(v) for n, v in first.items()}
    fp2 = {n: _record().fingerprint(v) for n, v in second.items()}
    for name, table in tables.items():
        if table is not None:
            fp1["written/" + name] = _record().fingerprint(table)
            fp2["written/" + name] = _record().fingerprint(tables_again[name])
    outputs = {}
    for name, value in first.items():
        found = []
        safe = redact(value, name, found)
        outputs[name] = write_value(safe, folder, "out_" + name)
        if found:
            outputs[name]["redacted"] = found
    manifest["outputs"] = outputs
    saved = {}
    for name, table in tables.items():
        if table is not None:
            found = []
            saved[name] = write_value(
                redact(table, name, found), folder, "written_" + name
            )
            if found:
                saved[name]["redacted"] = found
    manifest["written"] = saved
    manifest["arguments"] = sorted(kwargs)
    manifest["deterministic"] = json.dumps(fp1, sort_keys=True) == json.dumps(
        fp2, sort_keys=True
    )
    _write_manifest(folder, manifest)
    return {
        "outputs": outputs,
        "written": saved,
        "deterministic": manifest["deterministic"],
        "fingerprints": fp1,
        "arguments": sorted(kwargs),
    }
