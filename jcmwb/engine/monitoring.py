"""Monitoring data: CSV/XLSX files -> per-point, per-period quantities with their source rows.

Three formats (the ``format`` key of a monitored parameter):

interval
    columns ``timestamp, point, value[, unit]``: energy per interval; the timestamp is
    the interval's start, in local time. Intervals outside the period are excluded and
    counted; missing intervals inside it are reported as gaps, never invented.
register
    columns ``timestamp, point, reading[, unit]``: cumulative meter register readings.
    The quantity is (last reading - first reading) x multiplier, per point.
monthly
    columns ``month, point, value[, unit]`` (month as ``YYYY-MM``): monthly totals,
    e.g. from invoices (option B). Months must lie wholly inside the period.
daily
    columns ``date, category``: the category of each day of the period (e.g. a grid day
    or an off-grid diesel day), for a parameter with ``categories``. Its value per category
    is the number of days; interval data of a parameter ``split_by`` it are totalled per
    category of the day each interval starts in.

Every value is converted explicitly to the parameter's unit; a unit given both in the
file and in the period file must agree.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jcmwb.engine.errors import DataError
from jcmwb.engine.files import MB, check_workbook, decode_utf8, read_input
from jcmwb.engine.numbers import format_significant
from jcmwb.engine.period import MonitoredInput, MonitoringPeriod, require_multipliers
from jcmwb.engine.spec import Parameter
from jcmwb.engine.units import factor, parse_unit, plausible_max, strip_period


@dataclass
class Gap:
    point: str
    start: dt.datetime
    end: dt.datetime
    missing: int
    interval: str

    def describe(self) -> str:
        return f"{self.point}: {self.missing} missing {self.interval} values from {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


@dataclass
class PointData:
    point: str
    description: str
    total: float
    rows: str
    monthly: dict[str, float] = field(default_factory=dict)
    count: int = 0
    expected: int | None = None
    gaps: list[Gap] = field(default_factory=list)
    excluded: int = 0
    max_value: float | None = None
    # For a parameter split by day category: the contribution of each underlying point.
    parts: dict[str, float] = field(default_factory=dict)
    detail: str = ""  # extra text for the MRS comments (e.g. the dates of a day category)

    @property
    def missing(self) -> int:
        return sum(g.missing for g in self.gaps)


@dataclass
class MonitoredData:
    """One monitored parameter's data for the period, in the parameter's unit."""

    name: str
    unit: str
    option: str
    format: str
    file: str
    points: dict[str, PointData]
    interval: str | None = None
    notes: list[str] = field(default_factory=list)
    day_categories: dict[dt.date, str] = field(default_factory=dict)  # format daily: date -> category

    @property
    def gaps(self) -> list[Gap]:
        return [g for p in self.points.values() for g in p.gaps]


# A monitoring data file is at most this large (1-minute data of 10 points for a year is about
# 150 MB as CSV); JCMWB_MAX_DATA_MB overrides it. An .xlsx may unpack to XLSX_UNPACK_FACTOR times it.
MAX_DATA_MB = 256
# Interval data: the shortest interval, and how many intervals per point a period may have
# (1-minute data over a year are 525,600); see _check_intervals.
MIN_INTERVAL = pd.Timedelta(seconds=1)
MAX_INTERVALS = 1_000_000

_COLUMNS = {
    "interval": ("timestamp", "point", "value"),
    "register": ("timestamp", "point", "reading"),
    "monthly": ("month", "point", "value"),
    "daily": ("date", "category"),
}


def max_data_bytes() -> int:
    """The largest data file read, in bytes: MAX_DATA_MB, or the environment's JCMWB_MAX_DATA_MB."""
    text = os.environ.get("JCMWB_MAX_DATA_MB", "").strip()
    try:
        megabytes = float(text) if text else MAX_DATA_MB
    except ValueError:
        megabytes = MAX_DATA_MB
    return int(megabytes * MB) if math.isfinite(megabytes) and megabytes > 0 else int(MAX_DATA_MB * MB)


# The column read as numbers in each format; the others are text.
_NUMERIC = {"interval": "value", "register": "reading", "monthly": "value"}
# A float parsed by the CSV reader is taken as is only below this size: past 2**53 the reader
# and pd.to_numeric (the text path) can round a long integer differently.
_EXACT_INTEGERS = 2.0**53


def _read_table(path: Path, fmt: str, named_by: tuple[str, str] | None = None, *, as_text: bool = False) -> tuple[pd.DataFrame, int]:
    """Read a data file; returns the frame and the file row number of its first data row.

    Only regular files are read, at most JCMWB_MAX_DATA_MB (default MAX_DATA_MB) each: a FIFO or
    ``/dev/zero`` would otherwise hang the run, and a folder or device is refused by name.
    ``named_by`` (file, key) is the setting that names the file, named when the file itself is wrong.

    A CSV is read with its types declared (_read_typed): text columns as categoricals (each
    distinct text stored, stripped and later checked once, not once per row) and the format's
    number column as floats. ``as_text`` (and any file the typed read cannot take as it is)
    reads every column as stripped text, the reference every message quotes: read_monitored
    re-reads a file as text before it reports a problem in it.
    """
    suffix = path.suffix.lower()
    supported = suffix in (".csv", ".txt", ".xlsx", ".xlsm")
    if not supported and path.is_file():
        raise DataError("unsupported data file type", file=str(path), expected=".csv or .xlsx", found=repr(suffix))
    limit = max_data_bytes()
    data = read_input(path, limit=limit, error=DataError, what="data file", named_by=named_by)  # names a folder, FIFO or device as such
    if not supported:
        raise DataError("unsupported data file type", file=str(path), expected=".csv or .xlsx", found=repr(suffix))
    frame = None
    try:
        if suffix in (".csv", ".txt"):
            text = decode_utf8(data, file=str(path), error=DataError)  # refuses a non-UTF-8 file by line
            frame = None if as_text else _read_typed(data, fmt)
            if frame is None:
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        else:
            check_workbook(data, str(path), limit=limit)
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, sheet_name=0, engine="openpyxl")
    except DataError:
        raise
    except Exception as exc:  # pandas raises many parser error types
        raise DataError(f"cannot read the file ({type(exc).__name__}: {exc})", file=str(path)) from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in _COLUMNS[fmt] if c not in frame.columns]
    if missing:
        raise DataError(
            f"missing column {missing[0]!r} for {fmt} data",
            file=str(path),
            where="header (row 1)",
            expected="columns " + ", ".join(_COLUMNS[fmt]) + " (and optionally unit)",
            found=", ".join(frame.columns) or "no columns",
        )
    extra = [c for c in frame.columns if c not in _COLUMNS[fmt] and c != "unit"]
    if extra:
        raise DataError("unknown column", file=str(path), where="header (row 1)", expected="columns " + ", ".join(_COLUMNS[fmt]) + " and optionally unit", found=repr(extra[0]))
    if frame.empty:
        raise DataError("the data file has no rows", file=str(path))
    frame = frame.copy()
    frame["row"] = range(2, len(frame) + 2)
    for column in frame.columns:
        if column != "row" and not isinstance(frame[column].dtype, (pd.CategoricalDtype, np.dtypes.Float64DType)):
            frame[column] = frame[column].astype(str).str.strip()
    return frame, 2


def _read_typed(data: bytes, fmt: str) -> pd.DataFrame | None:
    """The CSV with declared types, or None where only the text read gives the reference result.

    Text columns are read as categoricals with stripped categories; the number column as float64.
    None (read it as text) when the parser refuses the file or a column, when a row is short
    or long, and when a number could differ from what ``pd.to_numeric`` makes of the text: a
    non-finite value, a negative zero ('-0' is 0 as text), an integer past 2**53, or a column
    of only 0 and 1 (the parser reads a column of true/false words as 0/1).
    """
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    options = {"keep_default_na": False, "skipinitialspace": True}
    try:
        header = pd.read_csv(io.BytesIO(body), nrows=0, dtype=str, **options).columns
        number = _NUMERIC.get(fmt)
        dtypes = {name: "float64" if str(name).strip().lower() == number else "category" for name in header}
        frame = pd.read_csv(io.BytesIO(body), dtype=dtypes, **options)
        # The parser turns categories that all look like numbers or true/false into numbers or
        # booleans ('01' -> 1): such a column is read again as plain text.
        numeric = [name for name in frame.columns if isinstance(frame[name].dtype, pd.CategoricalDtype) and not pd.api.types.is_string_dtype(frame[name].cat.categories)]
        if numeric:
            frame = pd.read_csv(io.BytesIO(body), dtype={**dtypes, **dict.fromkeys(numeric, "str")}, **options)
    except Exception:  # the text read reports it (or reads what the typed read refused)
        return None
    if not isinstance(frame.index, pd.RangeIndex) or list(frame.columns) != list(header):
        return None  # a row longer than the header turned a column into the index
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_string_dtype(column.dtype) and not isinstance(column.dtype, pd.CategoricalDtype):
            codes, texts = pd.factorize(column, use_na_sentinel=True)
            column = pd.Series(pd.Categorical.from_codes(codes, categories=texts), index=column.index, name=name)
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy()
            if len(codes) and codes.min() < 0:
                return None
            frame[name] = _stripped(column)
        elif column.dtype == np.float64:
            values = column.to_numpy()
            if len(values) and not (
                np.isfinite(values).all()
                and not ((values == 0) & np.signbit(values)).any()
                and np.abs(values).max() < _EXACT_INTEGERS
                and not ((values == 0) | (values == 1)).all()
            ):
                return None
        else:
            return None
    return frame


def _stripped(column: pd.Series) -> pd.Series:
    """A categorical column with its categories stripped of white space (merged where two become one)."""
    categories = column.cat.categories.to_numpy(dtype=object).tolist()  # not element by element through the Index
    stripped = [text.strip() for text in categories]
    if stripped == categories:
        return column
    remap, merged = pd.factorize(pd.Index(stripped, dtype="str"))
    codes = remap[column.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=merged), index=column.index, name=column.name)


def _read_typed_frame(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` came from _read_typed (a categorical or float column), not from a text read."""
    return any(isinstance(frame[c].dtype, pd.CategoricalDtype) or frame[c].dtype == np.float64 for c in frame.columns if c != "row")


def _text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's text as a code into the distinct texts: ``(codes, texts)``, ``texts[codes]`` the column.

    Checks run on the distinct texts (a year of 5-minute data for 20 points has 2.1M timestamps
    but 105,120 distinct ones), and the first bad row is the first row whose code is bad.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories.to_numpy(dtype=object)
    codes, texts = pd.factorize(column, use_na_sentinel=False)
    return codes, np.asarray(texts, dtype=object)


def _first(bad_texts: np.ndarray, codes: np.ndarray) -> int | None:
    """The position of the first row whose text is bad (``bad_texts``: a mask over the distinct texts)."""
    if not bad_texts.any():
        return None
    return int(np.argmax(bad_texts[codes]))


def _cell_error(message: str, file: str, row: pd.Series, column: str, expected: str | None = None, found: Any = None) -> DataError:
    """The error about one cell of a data file, named by its file row number and column."""
    return DataError(message, file=file, where=f"row {row['row']}, column {column}", expected=expected, found=found)


def _numbers(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    """A column as finite numbers; the first row that is not one is refused by number.

    The one gate for numbers from data files: text that is no number ('n/a'), and numbers
    that are not finite ('nan', 'inf', 'Infinity', '1e400'), which pandas parses gladly.
    """
    if frame[column].dtype == np.float64:
        return frame[column]  # read as numbers: _read_typed let only finite ones through
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    bad = pd.Series(~np.isfinite(values.to_numpy()), index=frame.index)
    if bad.any():
        first = frame.loc[bad].iloc[0]
        if pd.isna(values.loc[bad].iloc[0]) and str(first[column]).strip().lower().lstrip("+-") not in ("nan", "na"):
            raise _cell_error("not a number", file, first, column, expected="a number", found=repr(first[column]))
        raise _cell_error("not a finite number", file, first, column, expected="a finite number", found=repr(first[column]))
    return values


def _unit_factor(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, file: str) -> tuple[pd.Series, str]:
    """Per-row factor to the parameter's unit, and the unit the data were given in.

    Each distinct unit text is checked and converted once; a row's factor is its text's.
    """
    target = strip_period(param.unit)
    declared = item.unit
    if "unit" in frame.columns:
        codes, texts = _text_codes(frame["unit"])
        units = np.array([declared if (t == "" and declared) else t for t in texts], dtype=object)  # an empty cell takes the declared unit
        at = _first(units == "", codes)
        if at is not None:
            raise _cell_error("no unit for this value", file, frame.iloc[at], "unit", expected=f"a unit convertible to {target}")
        if declared:
            at = _first(np.array([strip_period(u) != strip_period(declared) for u in units], dtype=bool), codes)
            if at is not None:
                first = frame.iloc[at]
                raise _cell_error("unit in the file differs from the unit in the monitoring-period file", file, first, "unit", expected=declared, found=repr(first["unit"]))
        # In the order the units first appear in the file: the first unknown one is named.
        appearing = codes[np.sort(np.unique(codes, return_index=True)[1])]  # each code at its first row, in row order
        seen = list(dict.fromkeys(units[appearing]))
        factors = {unit: factor(unit, target, where=f"column unit ({unit!r})", file=file) for unit in seen}
        per_text = np.array([factors.get(u, np.nan) for u in units], dtype=float)
        return pd.Series(per_text[codes], index=frame.index), ", ".join(sorted(factors))
    if not declared:
        raise DataError(f"no unit for {item.name}", file=file, where="unit", expected=f"a unit column in the file or unit: in the monitoring-period file (e.g. {target})")
    return pd.Series(factor(declared, target, where=f"monitored.{item.name}.unit", file=file), index=frame.index), declared


def _check_points(frame: pd.DataFrame, item: MonitoredInput, file: str) -> None:
    codes, texts = _text_codes(frame["point"])
    if item.points:
        at = _first(~np.isin(texts, list(item.points)), codes)
        if at is not None:
            first = frame.iloc[at]
            raise _cell_error("unknown monitoring point", file, first, "point", expected="one of " + ", ".join(item.points), found=repr(first["point"]))
    at = _first(texts == "", codes)
    if at is not None:
        raise _cell_error("no monitoring point", file, frame.iloc[at], "point", expected="a point id")


_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"


_OFFSET_RE = re.compile(_OFFSET)


def _has_offset(text: str) -> bool:
    """``_OFFSET`` found in ``text``; the regex runs only where an offset's Z, + or - (after a time) can be."""
    colon = text.find(":")
    if colon < 0 or ("Z" not in text and "+" not in text and text.find("-", colon) < 0):
        return False
    return _OFFSET_RE.search(text) is not None


def _offsets(texts: np.ndarray) -> np.ndarray:
    """Which texts have a time-zone offset (``_OFFSET``). Most files have none: one look at all the
    texts joined (no Z, no +, no - after a colon on any line) settles that without a loop."""
    joined = "\n".join(texts.tolist())
    one_line_each = joined.count("\n") == len(texts) - 1  # a quoted cell may hold a line break
    if one_line_each and "Z" not in joined and "+" not in joined and re.search(r":[^\n]*-", joined) is None:
        return np.zeros(len(texts), dtype=bool)
    return np.array([_has_offset(text) for text in texts], dtype=bool)


def _timestamps(frame: pd.DataFrame, file: str) -> pd.Series:
    """The timestamp column parsed; each distinct text is checked and parsed once."""
    codes, texts = _text_codes(frame["timestamp"])
    # Checked on the text first: pandas refuses a column mixing offsets and local times with a bare ValueError.
    offset = _offsets(texts)
    at = _first(offset, codes)
    if at is not None:
        first = frame.iloc[at]
        raise _cell_error("timestamps with a time-zone offset are not supported", file, first, "timestamp", expected="local time without offset", found=repr(first["timestamp"]))
    parsed = pd.to_datetime(pd.Series(texts, dtype="str"), errors="coerce", format="ISO8601")
    at = _first(parsed.isna().to_numpy(), codes)
    if at is not None:
        first = frame.iloc[at]
        raise _cell_error("not a timestamp", file, first, "timestamp", expected="YYYY-MM-DD HH:MM (local time)", found=repr(first["timestamp"]))
    if getattr(parsed.dt, "tz", None) is not None:
        raise DataError("timestamps with a time-zone offset are not supported", file=file, where="column timestamp", expected="local time without offset", found=repr(frame["timestamp"].iloc[0]))
    return pd.Series(parsed.to_numpy()[codes], index=frame.index)


def _duplicates(frame: pd.DataFrame, keys: list[str], file: str) -> None:
    key, span = np.zeros(len(frame), dtype=np.int64), 1
    for name in keys:  # one integer per row for the combination of keys
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes, count = column.cat.codes.to_numpy().astype(np.int64), len(column.cat.categories)
        elif column.dtype.kind == "M" and len(column) and span * (int(column.max().value) - int(column.min().value) + 1) < 2**62:
            # Times as the integers they are (in the column's unit), offset to 0: no hashing.
            ticks = column.to_numpy().view(np.int64)
            lowest = int(ticks.min())
            codes, count = ticks - lowest, int(ticks.max()) - lowest + 1
        else:
            codes, uniques = pd.factorize(column, use_na_sentinel=False)
            count = len(uniques)
        key, span = key * count + codes, span * count
    # A file in time order (or in point order) has increasing keys: no duplicate, and no hashing.
    if len(key) < 2 or (key[1:] > key[:-1]).all():
        return
    dup = pd.Series(key).duplicated(keep="first").to_numpy()
    if dup.any():
        at = int(np.argmax(dup))
        row = frame.iloc[at]
        first = frame["row"].iloc[int(np.argmax(key == key[at]))]
        what = ", ".join(f"{'timestamp' if k == 'ts' else k} {row[k]}" for k in keys)
        raise DataError("duplicate value", file=file, where=f"row {row['row']}", expected="one value per point and time", found=f"{what} again (first at row {first})")


def _row_span(rows: pd.Series, name: str) -> str:
    if rows.empty:
        return f"{name}: no rows"
    return f"{name} rows {int(rows.min())}-{int(rows.max())}" if len(rows) > 1 else f"{name} row {int(rows.iloc[0])}"


def _ranges(missing: pd.DatetimeIndex, step: pd.Timedelta) -> list[tuple[pd.Timestamp, pd.Timestamp, int]]:
    """Sorted missing timestamps -> (first, last, count) of each run ``step`` apart."""
    if len(missing) == 0:
        return []
    breaks = np.flatnonzero((missing[1:] - missing[:-1]) != step) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(missing)]]) - 1
    return [(missing[a], missing[b], int(b - a + 1)) for a, b in zip(starts, ends)]


def _in_unit(frame: pd.DataFrame, negative: str, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str) -> pd.DataFrame:
    """``frame`` with column ``v``: the ``value`` column in the parameter's unit.

    A value that is no finite number, a negative one (refused with the message ``negative``)
    and one above the plausibility bound are refused, naming their row.
    """
    values = _numbers(frame, "value", file)
    below = values < 0
    if below.any():
        first = frame.loc[below].iloc[0]
        raise _cell_error(negative, file, first, "value", expected="a value >= 0", found=first["value"])
    factors, _ = _unit_factor(frame, item, param, file)
    frame = frame.assign(v=values * factors)
    _plausible(frame, frame["v"], "value", item, param, period, file)
    return frame


def _interval(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str, categories: dict[dt.date, str] | None = None) -> MonitoredData:
    name = Path(file).name
    stamps = _timestamps(frame, file)
    frame = frame.assign(ts=stamps)
    _duplicates(frame, ["ts", "point"], file)
    frame = _in_unit(frame, "negative energy", item, param, period, file)
    start = pd.Timestamp(period.start)
    end = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    inside = (frame["ts"] >= start) & (frame["ts"] < end)
    if item.interval:
        try:
            step = pd.Timedelta(item.interval)
        except (ValueError, OverflowError) as exc:
            raise DataError("bad interval", file=period.file, where=f"monitored.{item.name}.interval", expected="like 15min or 1h", found=repr(item.interval)) from exc
        if pd.isna(step):  # 'nan' and 'NaT' parse, to no duration at all
            raise DataError("bad interval", file=period.file, where=f"monitored.{item.name}.interval", expected="like 15min or 1h", found=repr(item.interval))
    else:
        step = _inferred_step(frame, item, file)
    _check_intervals(step, frame, item, period, file)
    label = _step_label(step)
    # A value stamped between grid points would count in the total and leave its interval
    # "missing" too (and a conservative fill would then count it twice): refuse it.
    offgrid = _off_grid(frame["ts"], start, step)
    if offgrid.any():
        first = frame.loc[offgrid].iloc[0]
        raise _cell_error("timestamp not at the start of an interval", file, first, "timestamp", expected=f"a timestamp every {label} from {period.start} 00:00", found=repr(first["timestamp"]))
    expected = pd.date_range(start, end, freq=step, inclusive="left")
    codes, texts = _text_codes(frame["point"])
    names = list(item.points) if item.points else sorted(texts)
    kept = inside.to_numpy()
    # One pass over the rows: the rows kept, ordered by point (stably: each point's rows stay in
    # file order, so every sum below adds the same numbers in the same order as one point's rows alone).
    kept_codes = codes[kept]
    order = np.argsort(kept_codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(kept_codes, minlength=len(texts)))])
    rows_of = np.bincount(codes, minlength=len(texts))
    v = frame["v"].to_numpy()[kept][order]
    rows = frame["row"].to_numpy()[kept][order]
    ts = frame["ts"].to_numpy()[kept][order]
    slots = _slots(ts, start, step)  # each kept row's position in `expected`
    month_of_slot = expected.to_numpy().astype("datetime64[M]").astype(np.int64)
    first_month = int(month_of_slot[0]) if len(expected) else 0
    month_count = int(month_of_slot[-1]) - first_month + 1 if len(expected) else 1
    months = month_of_slot[slots]
    # Monthly totals of every point in one groupby (its sum adds each group's rows in row order).
    monthly_sums = pd.Series(v).groupby(kept_codes[order].astype(np.int64) * month_count + (months - first_month)).sum()
    month_labels = pd.DatetimeIndex(np.arange(first_month, first_month + month_count).astype("datetime64[M]")).strftime("%Y-%m")
    monthly_of: dict[int, dict[str, float]] = {}
    for key, total in monthly_sums.items():
        monthly_of.setdefault(int(key) // month_count, {})[month_labels[int(key) % month_count]] = float(total)
    index = {text: code for code, text in enumerate(texts)}
    points: dict[str, PointData] = {}
    per_point: dict[str, tuple[pd.DataFrame, pd.DatetimeIndex]] = {}
    for point in names:
        code = index.get(point)
        lo, hi = (int(bounds[code]), int(bounds[code + 1])) if code is not None else (0, 0)
        mine_v = v[lo:hi].copy()  # a fresh array, as a boolean selection gives: the same sum
        # The gaps are the holes between the point's slots in time order: work in its rows and
        # gaps, not in the length of the period times the points.
        edges = np.concatenate(([-1], np.sort(slots[lo:hi]), [len(expected)]))
        holes = np.flatnonzero(np.diff(edges) > 1)
        gaps = [Gap(point, expected[edges[h] + 1].to_pydatetime(), expected[edges[h + 1] - 1].to_pydatetime(), int(edges[h + 1] - edges[h] - 1), label) for h in holes]
        points[point] = PointData(
            point=point,
            description=item.points.get(point, point),
            total=float(pd.Series(mine_v).sum()),
            rows=_row_span(pd.Series(rows[lo:hi]), name),
            monthly=monthly_of.get(code, {}) if code is not None else {},
            count=hi - lo,
            expected=len(expected),
            gaps=gaps,
            excluded=(int(rows_of[code]) if code is not None else 0) - (hi - lo),
            max_value=float(mine_v.max()) if hi > lo else None,
        )
        if categories is not None:
            present = np.zeros(len(expected), dtype=bool)
            present[slots[lo:hi]] = True
            per_point[point] = (pd.DataFrame({"ts": ts[lo:hi], "v": mine_v, "row": rows[lo:hi]}), expected[~present])
    data = MonitoredData(item.name, param.unit, item.option, item.format, file, points, interval=label)
    outside = int((~inside).sum())
    if outside:
        data.notes.append(f"{outside} value(s) outside the period {period.start} to {period.end} excluded")
    if categories is not None:
        absent = [p for p, d in points.items() if d.count == 0]
        if absent:
            data.notes.append("no data inside the period for " + ", ".join(absent))
        data.points = _by_category(per_point, categories, _category_texts(param, period), step, label, name)
    return data


def _slots(ts: np.ndarray, start: pd.Timestamp, step: pd.Timedelta) -> np.ndarray:
    """(ts - start) // step for on-grid timestamps, in integers of the column's unit where exact."""
    ticks = pd.Timedelta(1, unit=np.datetime_data(ts.dtype)[0]).value
    if step.value % ticks == 0 and start.value % ticks == 0:
        return (ts.view(np.int64) - start.value // ticks) // (step.value // ticks)
    return ((ts - start.to_datetime64()) // step.to_timedelta64()).astype(np.int64)


def _off_grid(ts: pd.Series, start: pd.Timestamp, step: pd.Timedelta) -> pd.Series:
    """Rows whose timestamp is not ``start`` + a whole number of ``step`` (integer arithmetic in the column's unit)."""
    unit = np.datetime_data(ts.dtype)[0]
    ticks = pd.Timedelta(1, unit=unit).value
    if unit in ("s", "ms", "us", "ns") and step.value % ticks == 0 and start.value % ticks == 0:
        since = ts.to_numpy().view(np.int64) - start.value // ticks
        return pd.Series(since % (step.value // ticks) != 0, index=ts.index)
    return ((ts - start) % step) != pd.Timedelta(0)


def _inferred_step(frame: pd.DataFrame, item: MonitoredInput, file: str) -> pd.Timedelta:
    """The most common step between a point's consecutive timestamps (the shortest of equals)."""
    codes, texts = _text_codes(frame["point"])
    rank = np.argsort(np.argsort(texts.astype(str), kind="stable"))  # points in text order, as sort_values orders them
    ts = frame["ts"].to_numpy()
    order = np.lexsort((ts.view(np.int64), rank[codes]))
    same = codes[order][1:] == codes[order][:-1]
    diffs = (ts[order][1:] - ts[order][:-1])[same]
    if len(diffs) == 0:
        raise DataError("cannot tell the interval from one value per point", file=file, expected=f"several values per point, or interval: in monitored.{item.name}")
    distinct, counts = np.unique(diffs, return_counts=True)
    step = pd.Timedelta(distinct[int(np.argmax(counts))])
    if step < MIN_INTERVAL:
        raise _cell_error(
            "timestamps less than 1 second apart",
            file,
            frame.iloc[order[1:][same][int(np.argmax(diffs == step.to_timedelta64()))]],
            "timestamp",
            expected=f"interval data at least {MIN_INTERVAL.total_seconds():g} s apart (or interval: in monitored.{item.name})",
            found=f"{step.total_seconds():g} seconds after the point's previous timestamp",
        )
    return step


def _category_texts(param: Parameter, period: MonitoringPeriod) -> dict[str, str]:
    """The categories (name -> description) of a category parameter or of the one a parameter is split by."""
    owner = param if param.categories else period.spec.parameters[param.split_by]
    return {name: str(text) for name, text in owner.categories.items()}


def _day_category(stamps: np.ndarray, categories: dict[dt.date, str]) -> np.ndarray:
    """The category of the day each timestamp falls on (None for a day without one), looked up once per day."""
    days, inverse = np.unique(stamps.astype("datetime64[D]"), return_inverse=True)
    named = np.array([categories.get(day) for day in days.astype(object)] + [None], dtype=object)[:-1]  # the None keeps it 1-D
    return named[inverse.reshape(-1)]


def _by_category(
    per_point: dict[str, tuple[pd.DataFrame, pd.DatetimeIndex]],
    categories: dict[dt.date, str],
    texts: dict[str, str],
    step: pd.Timedelta,
    label: str,
    file_name: str,
) -> dict[str, PointData]:
    """Interval data per point -> totals per day category (each interval counts on the day it starts)."""
    out: dict[str, PointData] = {}
    tagged = {}
    for point, (kept, missing) in per_point.items():
        tagged[point] = (kept.assign(cat=_day_category(kept["ts"].to_numpy(), categories)), missing, _day_category(missing.to_numpy(), categories))
    for cat, text in texts.items():
        total, parts, monthly, rows, gaps, count, largest = 0.0, {}, {}, [], [], 0, None
        for point, (kept, missing, missing_cats) in tagged.items():
            mine = kept[kept["cat"] == cat]
            parts[point] = float(mine["v"].sum())
            total += parts[point]
            count += len(mine)
            rows.append(mine["row"])
            for month, v in mine.groupby(mine["ts"].dt.strftime("%Y-%m"))["v"].sum().items():
                monthly[month] = monthly.get(month, 0.0) + float(v)
            if len(mine):
                largest = max(largest or 0.0, float(mine["v"].max()))
            gaps += [Gap(point, s.to_pydatetime(), e.to_pydatetime(), n, label) for s, e, n in _ranges(missing[missing_cats == cat], step)]
        out[cat] = PointData(
            point=cat,
            description=text,
            total=total,
            rows=_row_span(pd.concat(rows) if rows else pd.Series(dtype=float), file_name),
            monthly=dict(sorted(monthly.items())),
            count=count,
            gaps=gaps,
            max_value=largest,
            parts=parts,
        )
    return out


def _day_ranges(days: list[dt.date], limit: int = 24) -> str:
    """2019-04-02, 2019-04-03, 2019-04-05 -> '2019-04-02 to 2019-04-03; 2019-04-05'."""
    spans: list[list[dt.date]] = []
    for day in sorted(days):
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1][1] = day
        else:
            spans.append([day, day])
    text = [f"{a} to {b}" if a != b else f"{a}" for a, b in spans]
    if len(text) > limit:
        return "; ".join(text[:limit]) + f"; ... ({len(text)} ranges in all)"
    return "; ".join(text)


def _calendar(frame: pd.DataFrame, column: str, fmt: str, message: str, expected: str, file: str) -> pd.Series:
    """A date or month column parsed with ``fmt`` (each distinct text once); the first unparsable row is refused by number."""
    codes, texts = _text_codes(frame[column])
    parsed = pd.to_datetime(pd.Series(texts, dtype="str"), format=fmt, errors="coerce")
    at = _first(parsed.isna().to_numpy(), codes)
    if at is not None:
        first = frame.iloc[at]
        raise _cell_error(message, file, first, column, expected=expected, found=repr(first[column]))
    return pd.Series(parsed.array.take(codes), index=frame.index)


def _daily(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str) -> MonitoredData:
    """The category of each day -> number of days per category, and the day -> category map."""
    name = Path(file).name
    dates = _calendar(frame, "date", "%Y-%m-%d", "not a date", "YYYY-MM-DD", file)
    frame = frame.assign(d=dates)
    dup = frame.duplicated(["d"], keep="first")
    if dup.any():
        row = frame.loc[dup].iloc[0]
        first_row = frame.loc[frame["d"] == row["d"], "row"].iloc[0]
        raise DataError("duplicate day", file=file, where=f"row {row['row']}", expected="one category per day", found=f"{row['date']} again (first at row {first_row})")
    texts = _category_texts(param, period)
    unknown = ~frame["category"].isin(list(texts))
    if unknown.any():
        first = frame.loc[unknown].iloc[0]
        raise _cell_error("unknown day category", file, first, "category", expected="one of " + ", ".join(texts), found=repr(first["category"]))
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    inside = (frame["d"] >= start) & (frame["d"] <= end)
    days = pd.date_range(start, end, freq="D")
    missing = days.difference(pd.DatetimeIndex(frame.loc[inside, "d"]))
    if len(missing):
        raise DataError(
            "day without a category",
            file=file,
            where="column date",
            expected=f"one row per day from {period.start} to {period.end}",
            found=f"{len(missing)} day(s) missing, the first {missing[0].date()}",
        )
    scale = factor("day", strip_period(param.unit))  # a category parameter's unit is a time (spec.py refuses another)
    kept = frame[inside]
    points: dict[str, PointData] = {}
    for cat, text in texts.items():
        mine = kept[kept["category"] == cat]
        monthly = mine.groupby(mine["d"].dt.strftime("%Y-%m")).size()
        points[cat] = PointData(
            point=cat,
            description=text,
            total=len(mine) * scale,
            rows=_row_span(mine["row"], name),
            monthly={k: float(v) * scale for k, v in monthly.items()},
            count=len(mine),
            expected=len(days),
            detail=(f"{cat} days: " + _day_ranges(list(mine["d"].dt.date))) if len(mine) else "",
        )
    data = MonitoredData(item.name, param.unit, item.option, "daily", file, points, interval="day")
    data.day_categories = dict(zip(kept["d"].dt.date, kept["category"]))
    outside = int((~inside).sum())
    if outside:
        data.notes.append(f"{outside} day(s) outside the period excluded")
    return data


def _check_intervals(step: pd.Timedelta, frame: pd.DataFrame, item: MonitoredInput, period: MonitoringPeriod, file: str) -> None:
    """Refuse an interval below MIN_INTERVAL, or one that cuts the period into more intervals than
    the data can account for: ``interval: 1ns`` over a year asked numpy for 224 PiB of timestamps.

    The period may hold at most MAX_INTERVALS intervals per point, or twice as many as the file
    has rows if that is more: data with most intervals missing stay possible (each gap is
    reported), and the work stays proportional to the file.
    """
    given = bool(item.interval)
    place = (period.file, f"monitored.{item.name}.interval") if given else (file, "column timestamp")
    found = repr(item.interval) if given else f"{_step_label(step)} (the most common step between timestamps)"
    if step < MIN_INTERVAL:
        raise DataError("interval out of range", file=place[0], where=place[1], expected=f"a positive interval of at least {MIN_INTERVAL.total_seconds():g} s (e.g. 15min, 1h)", found=found)
    span = pd.Timestamp(period.end) + pd.Timedelta(days=1) - pd.Timestamp(period.start)
    count = -(-span // step)  # intervals starting inside the period
    allowed = max(MAX_INTERVALS, 2 * len(frame))
    if count > allowed:
        shortest = math.ceil(span.total_seconds() / allowed)
        raise DataError(
            "too many intervals in the period for the data given",
            file=place[0],
            where=place[1],
            expected=f"at most {allowed:,} intervals per point from {period.start} to {period.end}, i.e. an interval of {shortest:,} s or longer",
            found=f"{count:,} intervals of {found}",
        )


def _step_label(step: pd.Timedelta) -> str:
    seconds = step.total_seconds()
    if seconds % 86400 == 0:
        return f"{int(seconds // 86400)}-day"
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)}-hour"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)}-minute"
    return f"{seconds:g}-second"


def _register(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str) -> MonitoredData:
    name = Path(file).name
    frame = frame.assign(ts=_timestamps(frame, file))
    _duplicates(frame, ["ts", "point"], file)
    readings = _numbers(frame, "reading", file)
    factors, _ = _unit_factor(frame, item, param, file)
    names = list(item.points) if item.points else sorted(frame["point"].unique())
    require_multipliers(item, names, str(period.path) if period.path else None)
    multipliers = frame["point"].map(item.multipliers).astype(float)  # every row's point is in names (_check_points)
    _plausible(frame, readings * factors * multipliers, "reading", item, param, period, file)
    units = _row_units(frame, item)
    frame = frame.assign(r=readings, f=factors, u=units)
    start = pd.Timestamp(period.start)
    end = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    inside = (frame["ts"] >= start) & (frame["ts"] <= end)
    points: dict[str, PointData] = {}
    data = MonitoredData(item.name, param.unit, item.option, item.format, file, points)
    for point in names:
        multiplier = item.multipliers[point]
        mine = frame[(frame["point"] == point) & inside].sort_values("ts")
        if len(mine) < 2:
            raise DataError("fewer than two register readings inside the period", file=file, where=f"point {point}", expected="a reading at or near the start and the end of the period", found=f"{len(mine)} reading(s)")
        # Every reading in the unit of the point's first reading before any difference: a file may
        # switch from MWh to kWh. (A ratio of exactly 1 leaves one-unit data as they were.)
        scale = float(mine["f"].iloc[0])
        converted = mine["r"] * (mine["f"] / scale)
        steps = converted.diff().iloc[1:]
        if (steps < 0).any():
            at = int((steps.values < 0).argmax()) + 1  # the first decrease
            row, before = mine.iloc[at], mine.iloc[at - 1]
            shown = f"{row['reading']}" if row["u"] == before["u"] else f"{row['reading']} {row['u']} = {format_significant(converted.iloc[at])} {mine['u'].iloc[0]}"
            raise _cell_error(
                "register reading decreases (meter replaced or rolled over?)",
                file,
                row,
                "reading",
                expected="readings that never decrease",
                found=f"{shown}, below {before['reading']}{'' if row['u'] == before['u'] else ' ' + str(before['u'])} at row {before['row']}",
            )
        scale *= multiplier
        deltas = steps * scale
        # A difference belongs to the month it accrued in: a reading at 1 Feb 00:00 closes January.
        months = (mine["ts"].iloc[1:] - pd.Timedelta(seconds=1)).dt.strftime("%Y-%m")
        monthly = deltas.groupby(months.values).sum()
        gaps = []
        first, last = mine["ts"].iloc[0], mine["ts"].iloc[-1]
        if first > start:
            gaps.append(Gap(point, start.to_pydatetime(), first.to_pydatetime(), 1, "register span"))
        if last < end:
            gaps.append(Gap(point, last.to_pydatetime(), end.to_pydatetime(), 1, "register span"))
        points[point] = PointData(
            point=point,
            description=item.points.get(point, point),
            total=float((converted.iloc[-1] - converted.iloc[0]) * scale),
            rows=_row_span(mine["row"], name),
            monthly={k: float(v) for k, v in monthly.items()},
            count=len(mine),
            gaps=gaps,
            excluded=int(((frame["point"] == point) & ~inside).sum()),
        )
        if multiplier != 1.0:
            data.notes.append(f"{point}: register difference multiplied by {multiplier:g}")
    return data


def _days_in_no_whole_month(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The runs of days of ``start``..``end`` (inclusive) in a month the period holds only in part."""
    runs = []
    first_end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    if start.day != 1 or first_end > end:
        runs.append((start, min(first_end, end)))
    last_start = end.replace(day=1)
    if end != (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date() and last_start > start:
        runs.append((last_start, end))
    return runs


def _monthly(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str) -> MonitoredData:
    name = Path(file).name
    months = _calendar(frame, "month", "%Y-%m", "not a month", "YYYY-MM", file)
    frame = frame.assign(m=months)
    _duplicates(frame, ["month", "point"], file)
    frame = _in_unit(frame, "negative value", item, param, period, file)
    month_end = frame["m"] + pd.offsets.MonthEnd(0)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    overlaps = (month_end >= start) & (frame["m"] <= end)
    partial = overlaps & ((frame["m"] < start) | (month_end > end))
    if partial.any():
        first = frame.loc[partial].iloc[0]
        raise _cell_error("month only partly inside the monitoring period", file, first, "month", expected=f"whole months between {period.start} and {period.end} (or interval data)", found=first["month"])
    outside_months = _days_in_no_whole_month(period.start, period.end)
    if outside_months:
        days = sum((b - a).days + 1 for a, b in outside_months)
        runs = ", ".join(f"{a}..{b}" for a, b in outside_months)
        # Such days could be neither counted nor filled from a month's total without apportioning,
        # and dropping them silently would raise ER_p where more of the parameter lowers it.
        raise DataError(
            "monthly totals cannot cover a monitoring period that is not made of whole months",
            file=file,
            where="monitoring period",
            expected="a period from the 1st of a month to the last day of a month for monthly data (or interval or daily data)",
            found=f"{period.start} to {period.end}: {days} day(s) in no whole month ({runs})",
        )
    # The period is made of whole months (refused above otherwise): each of its months is expected.
    expected_months = pd.period_range(period.start, period.end, freq="M").strftime("%Y-%m").tolist()
    points: dict[str, PointData] = {}
    names = list(item.points) if item.points else sorted(frame["point"].unique())
    for point in names:
        mine = frame[(frame["point"] == point)]
        kept = mine[overlaps.loc[mine.index]]
        have = set(kept["month"])
        gaps = []
        for month in expected_months:
            if month not in have:
                first_day = pd.Timestamp(month + "-01")
                gaps.append(Gap(point, first_day.to_pydatetime(), (first_day + pd.offsets.MonthEnd(0)).to_pydatetime(), 1, "month"))
        points[point] = PointData(
            point=point,
            description=item.points.get(point, point),
            total=float(kept["v"].sum()),
            rows=_row_span(kept["row"], name),
            monthly={k: float(v) for k, v in zip(kept["month"], kept["v"])},
            count=len(kept),
            expected=len(expected_months),
            gaps=gaps,
            excluded=len(mine) - len(kept),
            max_value=float(kept["v"].max()) if len(kept) else None,
        )
    data = MonitoredData(item.name, param.unit, item.option, item.format, file, points, interval="month")
    outside = int((~overlaps).sum())
    if outside:
        data.notes.append(f"{outside} month(s) outside the period excluded")
    return data


def _all_categories(data: MonitoredData, param: Parameter, period: MonitoringPeriod) -> None:
    """The members of a category index are the spec's categories, all of them, in the spec's order."""
    texts = _category_texts(param, period)
    unknown = [p for p in data.points if p not in texts]
    if unknown:
        raise DataError(
            "unknown day category",
            file=str(period.path) if period.path else data.file,
            where=f"monitored.{data.name}.values.{unknown[0]}",
            expected="one of " + ", ".join(texts),
            found=repr(unknown[0]),
        )
    data.points = {c: data.points.get(c) or PointData(c, texts[c], 0.0, rows="no value given: 0") for c in texts}
    for cat, pdata in data.points.items():
        pdata.description = texts[cat]


def _typed(item: MonitoredInput, param: Parameter, period: MonitoringPeriod) -> MonitoredData:
    file = period.file
    scale = factor(item.unit or param.unit, strip_period(param.unit), where=f"monitored.{item.name}.unit", file=file)
    points = {}
    for point, value in item.values.items():
        if value < 0:
            raise DataError("negative value", file=file, where=f"monitored.{item.name}.values.{point}", expected="a value >= 0", found=repr(value))
        if item.points and point not in item.points:
            raise DataError("unknown monitoring point", file=file, where=f"monitored.{item.name}.values.{point}", expected="one of " + ", ".join(item.points), found=repr(point))
        limit, bound = plausible_max(param.unit, period.plausible_max)
        if not value * scale <= limit:
            raise DataError(
                "implausibly large value",
                file=file,
                where=f"monitored.{item.name}.values.{point}",
                expected=f"{bound}; if it is right, raise the bound with plausible_max in the monitoring-period file",
                found=f"{value:g} {item.unit or strip_period(param.unit)}",
            )
        points[point] = PointData(point, item.points.get(point, point), value * scale, rows=f"monitored.{item.name}.values.{point} in {Path(file).name}", count=1)
    return MonitoredData(item.name, param.unit, item.option, "values", file, points)


def _row_units(frame: pd.DataFrame, item: MonitoredInput) -> pd.Series:
    """The unit each row is written in: its unit cell, else the period file's ``unit``."""
    if "unit" in frame.columns:
        return frame["unit"].replace("", item.unit or "")
    return pd.Series(item.unit or "", index=frame.index)


def _plausible(frame: pd.DataFrame, values: pd.Series, column: str, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, file: str) -> None:
    """Values (in the parameter's unit) above the plausibility bound of units.PLAUSIBLE_MAX are
    refused by row: a 1e308 kWh reading is a typo or a corrupt file, not a measurement."""
    limit, bound = plausible_max(param.unit, period.plausible_max)
    over = ~(values.abs() <= limit)
    if over.any():
        first = frame.loc[over].iloc[0]
        unit = _row_units(frame, item).loc[first.name]
        raise _cell_error("implausibly large value", file, first, column, expected=f"{bound}; if it is right, raise the bound with plausible_max in the monitoring-period file", found=f"{first[column]} {unit}".strip())


def _within_period(data: MonitoredData, item: MonitoredInput, param: Parameter, period: MonitoringPeriod) -> None:
    """A time monitored at one point (days open, hours energised, days of the period) cannot
    exceed the period, nor a month's share the days of that month in the period."""
    unit = strip_period(param.unit)
    if parse_unit(unit).dimensionality != parse_unit("day").dimensionality:
        return
    per_day = factor("day", unit)
    typed = item.data is None
    file = data.file  # for values typed in the period file, the period file (_typed)
    for point, pdata in data.points.items():
        where = f"monitored.{item.name}.values.{point}" if typed else f"point {point}"
        length = period.days * per_day
        if pdata.total > length * (1 + 1e-9):
            raise DataError(
                f"{item.name} at {point} is longer than the monitoring period",
                file=file,
                where=where,
                expected=f"at most {length:g} {unit} ({period.days} day(s) from {period.start} to {period.end})",
                found=f"{pdata.total:g} {unit}",
            )
        for month, value in pdata.monthly.items():
            first = max(dt.date.fromisoformat(month + "-01"), period.start)
            last = min((pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date(), period.end)
            days = max((last - first).days + 1, 0)
            if value > days * per_day * (1 + 1e-9):
                raise DataError(
                    f"{item.name} at {point} is longer than the days of {month} in the period",
                    file=file,
                    where=f"{where}, month {month}",
                    expected=f"at most {days * per_day:g} {unit} ({days} day(s) from {first} to {last})",
                    found=f"{value:g} {unit}",
                )


def _check_finite(data: MonitoredData) -> None:
    """Every total, monthly total and part finite: finite values can still add up (or convert,
    kWh -> Wh) to more than the largest float, which would reach the equations as infinity."""
    for point, pdata in data.points.items():
        numbers = [pdata.total, *pdata.monthly.values(), *pdata.parts.values(), *([] if pdata.max_value is None else [pdata.max_value])]
        if not all(math.isfinite(v) for v in numbers):
            raise DataError(
                f"the values of {point} add up to more than the largest number a calculation can hold",
                file=data.file,
                where=f"{data.name}, point {point} ({pdata.rows})",
                expected=f"a total below 1.8e308 {data.unit}",
                found="an overflow to infinity",
            )


def _finite_result(reader: Callable[..., MonitoredData]) -> Callable[..., MonitoredData]:
    """Run ``reader`` with numpy's overflow warnings off, and check what it read is finite
    (_check_finite): an overflow is then one DataError, not a RuntimeWarning and a traceback."""

    @functools.wraps(reader)
    def read(*args: Any, **kwargs: Any) -> MonitoredData:
        with np.errstate(over="ignore", invalid="ignore"):
            data = reader(*args, **kwargs)
        _check_finite(data)
        return data

    return read


def _read_frame(frame: pd.DataFrame, item: MonitoredInput, param: Parameter, period: MonitoringPeriod, categories: dict[dt.date, str] | None) -> MonitoredData:
    """A data file's frame -> the parameter's data, by the format of the file."""
    assert item.data is not None
    if item.format != "daily":
        _check_points(frame, item, str(item.data))
    if item.format == "daily":
        return _daily(frame, item, param, period, str(item.data))
    if param.split_by:
        return _interval(frame, item, param, period, str(item.data), categories)
    reader = {"interval": _interval, "register": _register, "monthly": _monthly}[item.format]
    return reader(frame, item, param, period, str(item.data))


@_finite_result
def read_monitored(item: MonitoredInput, param: Parameter, period: MonitoringPeriod, categories: dict[dt.date, str] | None = None) -> MonitoredData:
    """Read one monitored parameter's data for the period.

    ``categories`` (date -> category) is required for interval data of a parameter ``split_by``
    a category parameter: the data are then totalled per category of each day.
    """
    if param.split_by and item.data is not None and not categories:
        raise DataError(
            f"{item.name} is split by the category of each day, but {param.split_by} gives no day-by-day categories",
            file=period.file,
            where=f"monitored.{param.split_by}",
            expected="data: a daily file (date, category), not typed values",
        )
    if item.data is None:
        data = _typed(item, param, period)
    else:
        if not item.data.exists():  # name the key that points at it, not only the path
            raise DataError(
                "data file not found",
                file=period.file,
                where=f"monitored.{item.name}.data",
                expected="an existing CSV or XLSX file, relative to the monitoring-period file",
                found=str(item.data),
            )
        named_by = (period.file, f"monitored.{item.name}.data")
        frame, _ = _read_table(item.data, item.format, named_by)
        try:
            data = _read_frame(frame, item, param, period, categories)
        except DataError:
            if not _read_typed_frame(frame):
                raise  # already read as text
            # Every message quotes the file's text as written: find the problem again in the text.
            frame, _ = _read_table(item.data, item.format, named_by, as_text=True)
            data = _read_frame(frame, item, param, period, categories)
    if param.categories or param.split_by:
        _all_categories(data, param, period)
    elif item.points:
        absent = [p for p in item.points if data.points[p].count == 0]
        if absent and item.data is not None:
            data.notes.append("no data inside the period for " + ", ".join(absent))
    if not data.points:
        raise DataError("no monitoring points in the data", file=data.file)
    if not param.index and len(data.points) != 1:
        raise DataError(f"{item.name} is a single value, but the data hold several points", file=data.file, expected="one point", found=", ".join(data.points))
    limit, bound = plausible_max(param.unit, period.plausible_max)
    for point, pdata in data.points.items():  # each value may pass, and their sum still not
        if not abs(pdata.total) <= limit:
            raise DataError("implausibly large total", file=data.file, where=f"point {point}", expected=f"{bound}; if it is right, raise the bound with plausible_max in the monitoring-period file", found=f"{pdata.total:g} {strip_period(param.unit)}")
    _within_period(data, item, param, period)
    return data
