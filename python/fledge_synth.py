"""fledge's synthetic fixtures: rows generated from the recorded schema of a step's inputs, no real row copied.

Injected into the user's kernel as ``sys.modules["_fledge_synth"]`` (after ``_fledge_record``) and used by
``_fledge_fixtures.save_inputs(..., synthetic=True)`` for data that must not be committed.

For each table (DataFrame, Series) and array, ``synthesize`` builds ``n`` rows that follow the schema of the
real value: the same columns, dtypes, index type and name, and per column

- categories, booleans and low-cardinality values (at most 30 distinct values, each seen twice on average):
  drawn from the values observed, each present at least once (twice when there is room), then by frequency;
- numbers: drawn uniformly within the observed min/max, rounded to the decimals observed;
- datetimes and timedeltas: within the observed range, at the observed resolution (days, hours, …), sorted
  when the real column was;
- text that holds numbers or dates: numbers/dates within the observed range, written the same way;
- free text and identifiers: placeholder strings with the same shape as an observed value (each letter, digit
  replaced by a random one, punctuation and spaces kept), never equal to an observed value;
- the observed share of missing values (at least one missing value when the real column had any).

Every draw comes from ``numpy.random.default_rng`` seeded by the seed given, the value's name and the column's
label, so a run with the same seed writes the same rows. Values that match a secret pattern are never used as
categories or templates. What could not be followed (an unusual dtype) is reported in ``notes``.
"""

import numbers
import re
import sys
import zlib

LOW_CARDINALITY = 30
# Text that stands for "no value" in raw files; kept as such (it is not data).
NA_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "?"}
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
LIST_MIN = 64  # lists/tuples this long are data (shorter ones are parameters, kept as they are)
MAX_SEED = 0xFFFFFFFF  # numpy is seeded with 32 bits of it: a larger seed would repeat a smaller one's rows


def _pd():
    return sys.modules.get("pandas")


def _np():
    return sys.modules.get("numpy")


def _rng(seed, *keys):
    """A generator seeded by ``seed`` and stable keys (names, labels) — no ``hash()``, same in every process."""
    np = _np()
    return np.random.default_rng(
        [int(seed) & MAX_SEED] + [zlib.crc32(repr(k).encode("utf-8")) for k in keys]
    )


def _is_secret(text):
    record = sys.modules.get("_fledge_record")
    patterns = getattr(record, "_secret_re", []) if record else []
    return any(p.search(text) for p in patterns)


# ------------------------------------------------------------------------------------------ entry point


def synthesize(value, n, seed=0, name="value", notes=None):
    """``n`` generated rows following the schema of ``value``; other values are returned unchanged.

    ``seed`` is a whole number from 0 to ``MAX_SEED`` (``fledge extract --seed``); anything else is refused
    rather than silently mapped onto another seed's rows.
    """
    if (
        isinstance(seed, bool)
        or not isinstance(seed, numbers.Integral)
        or not 0 <= seed <= MAX_SEED
    ):
        raise ValueError(
            f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}"
        )
    pd, np = _pd(), _np()
    notes = [] if notes is None else notes
    if pd is not None and isinstance(value, pd.DataFrame):
        index = _synth_index(value.index, n, seed, notes, name)
        data = {}
        for i in range(value.shape[1]):
            label = value.columns[i]
            data[i] = _synth_column(
                value.iloc[:, i],
                n,
                _rng(seed, name, label),
                notes,
                f"{name}[{label!r}]",
            )
        out = pd.DataFrame(data, index=index)
        out.columns = value.columns
        for i in range(value.shape[1]):
            # pandas may infer another dtype (str for an object column of strings): put the real one back.
            if str(out.dtypes.iloc[i]) != str(value.dtypes.iloc[i]):
                try:
                    out.isetitem(i, out.iloc[:, i].astype(value.dtypes.iloc[i]))
                except (TypeError, ValueError):
                    notes.append(
                        f"{name}[{value.columns[i]!r}]: dtype {out.dtypes.iloc[i]} instead of {value.dtypes.iloc[i]}"
                    )
        return out
    if pd is not None and isinstance(value, pd.Series):
        index = _synth_index(value.index, n, seed, notes, name)
        col = _synth_column(value, n, _rng(seed, name), notes, name)
        return pd.Series(col, index=index, name=value.name, dtype=value.dtype)
    if np is not None and isinstance(value, np.ndarray) and value.ndim >= 1:
        return _synth_array(value, n, seed, name, notes)
    if (
        pd is not None
        and isinstance(value, (list, tuple))
        and len(value) >= LIST_MIN
        and all(isinstance(v, (str, int, float)) or v is None for v in value)
    ):
        col = _synth_column(
            pd.Series(list(value), dtype=object), n, _rng(seed, name), notes, name
        )
        items = [None if _missing(v) else v for v in col]
        return type(value)(items)
    return value


def _missing(v):
    pd = _pd()
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------------ index


def _synth_index(index, n, seed, notes, name):
    """An index of the same type; equal real indexes give equal synthetic ones (X and y stay aligned)."""
    pd, np = _pd(), _np()
    rng = _rng(seed, "index", type(index).__name__, n, index.name)
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(
            index.start, index.start + n * index.step, index.step, name=index.name
        )
    if isinstance(index, pd.MultiIndex):
        notes.append(f"{name}: a MultiIndex is replaced by positions 0..{n - 1}")
        return pd.RangeIndex(n)
    if isinstance(index, pd.DatetimeIndex):
        values = _datetimes(index.to_series(index=None), n, rng, unique=True)
        if index.is_monotonic_increasing:
            values = np.sort(values)
        local = _localize(values, getattr(index.dtype, "tz", None))
        return pd.DatetimeIndex(local, name=index.name).astype(index.dtype)
    if len(index) and pd.api.types.is_integer_dtype(index.dtype):
        lo, hi = int(index.min()), int(index.max())
        hi = max(hi, lo + n - 1)
        picked = lo + rng.choice(hi - lo + 1, size=n, replace=False)
        if index.is_monotonic_increasing:
            picked = np.sort(picked)
        return pd.Index(picked, name=index.name).astype(index.dtype)
    if len(index) and pd.api.types.is_float_dtype(index.dtype):
        lo, hi = float(np.nanmin(index)), float(np.nanmax(index))
        picked = rng.uniform(lo, hi, size=n)
        if index.is_monotonic_increasing:
            picked = np.sort(picked)
        return pd.Index(picked, name=index.name).astype(index.dtype)
    if len(index) and (
        index.dtype.kind in "OU" or str(index.dtype) in ("str", "string")
    ):
        strings = [v for v in index.tolist() if isinstance(v, str)]
        if len(strings) == len(index):
            made = _placeholders(strings, n, rng, unique=True)
            return pd.Index(made, name=index.name, dtype=index.dtype)
    notes.append(
        f"{name}: an index of type {type(index).__name__} is replaced by positions 0..{n - 1}"
    )
    return pd.RangeIndex(n)


# ----------------------------------------------------------------------------------------------- columns


def _synth_column(col, n, rng, notes, label):
    """Values for one column (a Series), as a list/array/Categorical that keeps the column's dtype."""
    pd, np = _pd(), _np()
    dtype = col.dtype
    isna = col.isna().to_numpy(dtype=bool)
    share = float(isna.mean()) if len(col) else 0.0
    missing = _missing_mask(share, n, rng)
    non_null = col[~isna]
    if isinstance(dtype, pd.CategoricalDtype):
        codes = non_null.cat.codes.to_numpy()
        observed, counts = np.unique(codes, return_counts=True)
        drawn = (
            _draw_observed(observed, counts, n, rng)
            if observed.size
            else np.full(n, -1)
        )
        drawn = np.where(missing, -1, drawn).astype(
            codes.dtype if codes.size else "int8"
        )
        return pd.Categorical.from_codes(drawn, dtype=dtype)
    if pd.api.types.is_bool_dtype(dtype):
        vals = non_null.to_numpy(dtype=bool)
        observed, counts = np.unique(vals, return_counts=True)
        drawn = (
            _draw_observed(observed, counts, n, rng)
            if observed.size
            else np.zeros(n, bool)
        )
        out = pd.array(drawn.astype(bool), dtype=dtype)
        return _with_missing(out, missing)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(
        dtype
    ):
        vals = non_null.to_numpy(dtype=float)
        made = _numbers(vals, n, rng, integer=pd.api.types.is_integer_dtype(dtype))
        if pd.api.types.is_integer_dtype(dtype) and not missing.any():
            return pd.array(made.astype("int64"), dtype=dtype)
        if pd.api.types.is_integer_dtype(dtype):
            if isinstance(dtype, np.dtype):
                notes.append(f"{label}: integer column with missing values")
                return pd.array(made.astype("int64"), dtype=dtype)
            return _with_missing(pd.array(made.astype("int64"), dtype=dtype), missing)
        made = made.astype(float)
        made[missing] = np.nan
        return pd.array(made, dtype=dtype)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        made = _datetimes(non_null, n, rng)
        if col.is_monotonic_increasing:
            made = np.sort(made)
        out = pd.Series(_localize(made, getattr(dtype, "tz", None))).astype(dtype)
        out[missing] = pd.NaT
        return out.array
    if pd.api.types.is_timedelta64_dtype(dtype):
        ns = non_null.to_numpy(dtype="timedelta64[ns]").astype("int64")
        step = _resolution(ns)
        made = _numbers((ns // step).astype(float), n, rng, integer=True)
        made = made.astype("int64") * step
        out = pd.Series(made.astype("timedelta64[ns]")).astype(dtype)
        out[missing] = pd.NaT
        return out.array
    if dtype.kind in "OSU" or str(dtype) in ("str", "string"):
        made = _objects(non_null.tolist(), n, rng, notes, label)
        out = pd.Series(made, dtype=object)
        out[missing] = np.nan if str(dtype) != "string" else None
        return out.astype(dtype).array
    notes.append(
        f"{label}: dtype {dtype} is not synthesized; the column is all missing"
    )
    return pd.Series([None] * n, dtype=object).astype(dtype, errors="ignore").array


def _with_missing(arr, missing):
    if missing.any():
        try:
            arr[missing] = None
        except (TypeError, ValueError):
            pass
    return arr


def _missing_mask(share, n, rng):
    np = _np()
    mask = rng.random(n) < share
    if share > 0 and n > 1 and not mask.any():
        mask[int(rng.integers(0, n))] = True
    if share < 1 and n > 1 and mask.all():
        mask[int(rng.integers(0, n))] = False
    return mask if share > 0 else np.zeros(n, dtype=bool)


def _few(distinct, count):
    return 0 < distinct <= LOW_CARDINALITY and distinct * 2 <= count


def _draw_observed(observed, counts, n, rng):
    """``n`` draws of the observed values: each at least once (twice when there is room), then by frequency."""
    np = _np()
    k = len(observed)
    if n < k:
        return observed[rng.choice(k, size=n, replace=False, p=counts / counts.sum())]
    reps = 2 if n >= 2 * k else 1
    base = np.repeat(np.arange(k), reps)
    rest = rng.choice(k, size=n - base.size, p=counts / counts.sum())
    picks = np.concatenate([base, rest])
    rng.shuffle(picks)
    return observed[picks]


def _decimals(vals):
    """How many decimals the observed numbers use (0..6)."""
    np = _np()
    sample = vals[:1000]
    for d in range(7):
        scaled = sample * 10**d
        if np.allclose(scaled, np.round(scaled), rtol=1e-12, atol=1e-6):
            return d
    return None


def _numbers(vals, n, rng, integer):
    """Floats (integers when ``integer``) within the observed range, or observed values when they are few."""
    np = _np()
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return np.zeros(n)
    observed, counts = np.unique(vals, return_counts=True)
    if _few(observed.size, vals.size):
        return _draw_observed(observed, counts, n, rng)
    lo, hi = float(vals.min()), float(vals.max())
    if integer:
        return rng.integers(int(lo), int(hi) + 1, size=n).astype(float)
    made = rng.uniform(lo, hi, size=n)
    d = _decimals(vals)
    return np.clip(np.round(made, d), lo, hi) if d is not None else made


RESOLUTIONS = ("D", "h", "min", "s")


def _datetimes(non_null, n, rng, unique=False):
    """datetime64 values within the observed range, at the coarsest resolution every observed value has.

    Time-zone-aware values are generated in UTC and returned naive (``_localize`` puts the zone back).
    """
    pd, np = _pd(), _np()
    series = pd.Series(non_null).dropna()
    if series.empty:
        return np.full(n, np.datetime64("1970-01-01"), dtype="datetime64[ns]")
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = series.to_numpy(dtype="datetime64[ns]").astype("int64")
    lo, hi = int(ns.min()), int(ns.max())
    step = _resolution(ns)
    slots = (hi - lo) // step + 1
    if unique and slots >= n:
        picked = rng.choice(slots, size=n, replace=False)
    else:
        picked = rng.integers(0, slots, size=n)
    return (lo + picked * step).astype("datetime64[ns]")


def _resolution(ns):
    """The coarsest of day, hour, minute, second that divides every observed value (nanoseconds), else 1."""
    pd, np = _pd(), _np()
    for res in RESOLUTIONS:
        unit = int(pd.Timedelta(1, res).value)
        if np.all(ns % unit == 0):
            return unit
    return 1


def _localize(made, tz):
    """Naive UTC datetimes (as ``_datetimes`` returns them) in the column's time zone, if it has one."""
    index = _pd().DatetimeIndex(made)
    return index if tz is None else index.tz_localize("UTC").tz_convert(tz)


# ---------------------------------------------------------------------------------------------- text


def _objects(values, n, rng, notes, label):
    """Values for a text (or object) column: observed labels, numbers/dates as text, or placeholders."""
    np = _np()
    strings = [v for v in values if isinstance(v, str)]
    if len(strings) < len(values):
        numbers = [
            v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
        ]
        if len(numbers) == len(values):
            ints = all(isinstance(v, int) for v in numbers)
            made = _numbers(np.array(numbers, dtype=float), n, rng, integer=ints)
            return [int(v) if ints else float(v) for v in made]
        kinds = ", ".join(sorted({type(v).__name__ for v in values}))
        notes.append(f"{label}: values of type {kinds} generated from their text (str)")
        strings = [str(v) for v in values]
    strings = [s for s in strings if not _is_secret(s)]
    if not strings:
        return [None] * n
    distinct = sorted(set(strings))
    if _few(len(distinct), len(strings)):
        counts = np.array([strings.count(s) for s in distinct], dtype=float)
        return _draw_observed(np.array(distinct, dtype=object), counts, n, rng).tolist()
    tokens = [s for s in strings if s.strip().lower() in NA_TOKENS]
    content = [s for s in strings if s.strip().lower() not in NA_TOKENS]
    token_share = len(tokens) / len(strings)
    made = (
        _text_like(content, n, rng, set(strings), notes, label)
        if content
        else [None] * n
    )
    if tokens:
        token_values = sorted(set(tokens))
        for i in np.flatnonzero(_missing_mask(token_share, n, rng)):
            made[i] = token_values[int(rng.integers(0, len(token_values)))]
    return made


NUMBER_TEXT = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _text_like(content, n, rng, observed, notes, label):
    pd, np = _pd(), _np()
    if all(NUMBER_TEXT.match(s) for s in content):
        decimals = max(
            (len(s.strip().split(".")[1]) if "." in s else 0) for s in content
        )
        vals = np.array([float(s) for s in content])
        made = _numbers(vals, n, rng, integer=decimals == 0)
        out = [f"{v:.{decimals}f}" for v in made]
        return _avoid_observed(
            out, observed, lambda: _numbers(vals, 1, rng, decimals == 0)[0], decimals
        )
    fmt = _date_format(content)
    if fmt is not None:
        parsed = pd.to_datetime(pd.Series(content), format=fmt)
        made = _datetimes(parsed, n, rng)
        if parsed.is_monotonic_increasing:
            made = np.sort(made)
        notes.append(
            f"{label}: dates written as text, generated within the observed range ({fmt})"
        )
        return [pd.Timestamp(v).strftime(fmt) for v in made]
    return _placeholders(content, n, rng, observed=observed)


def _avoid_observed(out, observed, redraw, decimals):
    for i, s in enumerate(out):
        tries = 0
        while s in observed and tries < 20:
            s = f"{redraw():.{decimals}f}"
            tries += 1
        out[i] = s if s not in observed else None
    return out


def _date_format(content):
    pd = _pd()
    try:
        from pandas.tseries.api import guess_datetime_format
    except ImportError:  # pragma: no cover - old pandas
        return None
    fmt = guess_datetime_format(content[0])
    if fmt is None:
        return None
    try:
        pd.to_datetime(pd.Series(content), format=fmt)
    except (ValueError, TypeError):
        return None
    return fmt


def _placeholders(templates, n, rng, observed=None, unique=False):
    """Strings shaped like observed ones (letters and digits replaced at random), never an observed value."""
    observed = set(templates) if observed is None else observed
    made, seen = [], set()
    for _ in range(n):
        template = templates[int(rng.integers(0, len(templates)))]
        for _attempt in range(50):
            s = "".join(_replace_char(c, rng) for c in template)
            if s not in observed and not (unique and s in seen):
                break
        else:
            s = f"{template}~{len(seen)}" if unique else "~"
            s = "".join(_replace_char(c, rng) for c in s)
            while s in observed or (unique and s in seen):
                s += _replace_char("x", rng)
        made.append(s)
        seen.add(s)
    return made


def _replace_char(c, rng):
    if c.isdigit():
        return DIGITS[int(rng.integers(0, 10))]
    if c.isalpha():
        pool = UPPER if c.isupper() else LOWER
        return pool[int(rng.integers(0, 26))]
    return c


# ------------------------------------------------------------------------------------------------ arrays


def _synth_array(value, n, seed, name, notes):
    """An array of ``n`` rows: each column of the (rows, -1) view generated like a table column."""
    pd, np = _pd(), _np()
    shape = (n,) + value.shape[1:]
    flat = value.reshape(value.shape[0], -1) if value.shape[0] else value.reshape(0, -1)
    width = flat.shape[1]
    if width > 2000 or pd is None:
        # Very wide arrays (images, embeddings): one range for all cells.
        rng = _rng(seed, name)
        if value.dtype.kind in "fiub":
            made = _numbers(
                value.ravel().astype(float),
                int(np.prod(shape)),
                rng,
                value.dtype.kind in "iub",
            )
            return made.reshape(shape).astype(value.dtype)
        notes.append(f"{name}: a wide {value.dtype} array is filled with placeholders")
        return np.array(["x"] * int(np.prod(shape)), dtype=object).reshape(shape)
    columns = []
    for j in range(width):
        col = pd.Series(flat[:, j])
        made = _synth_column(col, n, _rng(seed, name, j), notes, f"{name}[:, {j}]")
        columns.append(np.asarray(pd.Series(made).to_numpy()))
    out = np.empty((n, width), dtype=value.dtype if value.dtype.kind != "U" else object)
    for j, c in enumerate(columns):
        out[:, j] = c
    if value.dtype.kind == "U":
        out = out.astype(str)
    return out.reshape(shape)
