"""Ingest at scale: no Python work per row, and the fast paths give exactly what the reference gives.

``jcmwb.engine.monitoring`` reads a CSV with its types declared (text columns as categoricals,
the number column as floats), checks each distinct text once and totals every point in one
pass. These tests hold it to that:

- the number of Python calls does not grow with the rows (a per-row lambda, regex or ``map``
  would make it; the timing itself is for ``make bench``, never a test);
- the typed read gives, bit for bit, what the all-text read gives, on files built to trip it
  (white space, numbers as point ids, true/false words, '-0', long integers, BOM, CRLF,
  quoted fields, rows in any order);
- the one-pass totals, monthly sums, gaps and row spans equal a per-point reference (the
  reader as it was before, one mask per point), bit for bit, on seeded random data;
- a bad cell deep in a large file is still named by its row, with the text as written.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import th_period, with_data

from jcmwb.engine import monitoring
from jcmwb.engine.errors import DataError
from jcmwb.engine.monitoring import read_monitored
from jcmwb.engine.period import parse_period
from jcmwb.engine.units import factor


def _read(tmp_path: Path, text: str | bytes, *, name: str = "gen.csv", start: str = "2021-01-01", end: str = "2021-01-31", **item):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    item.setdefault("unit", "kWh")
    raw = with_data(th_period(start=start, end=end), "EG_i_p", name, **item)
    if item.get("unit") is None:
        raw["monitored"]["EG_i_p"].pop("unit")
    period = parse_period(raw, base_dir=tmp_path)
    return read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)


def _as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every CSV go through the all-text read (the reference the typed read must equal)."""
    monkeypatch.setattr(monitoring, "_read_typed", lambda data, fmt: None)


def _fields(data) -> list:
    """Every field of every point, floats as their exact bits, for an exact comparison."""

    def exact(value):
        if isinstance(value, float):
            return float.hex(value)
        if isinstance(value, dict):
            return [(k, exact(v)) for k, v in value.items()]
        if isinstance(value, list):
            return [exact(v) for v in value]
        return repr(value)

    return [(name, [(f, exact(getattr(p, f))) for f in ("total", "rows", "monthly", "count", "expected", "gaps", "excluded", "max_value", "parts")]) for name, p in data.points.items()] + [
        exact(data.notes),
        data.interval,
    ]


def _csv(rows: list[tuple], header: str = "timestamp,point,value,unit", newline: str = "\n") -> str:
    return newline.join([header, *(",".join(map(str, r)) for r in rows)]) + newline


def _year(points: int, step_minutes: int, days: int, seed: int) -> list[tuple]:
    """Seeded interval rows: gaps, rows outside the period, kWh and MWh, rows in shuffled order."""
    rng = random.Random(seed)
    rows = []
    start = pd.Timestamp("2021-01-01")
    for p in range(points):
        for k in range(days * 24 * 60 // step_minutes):
            if rng.random() < 0.02:
                continue  # a gap
            stamp = start + pd.Timedelta(minutes=step_minutes * k)
            unit = "MWh" if rng.random() < 0.1 else "kWh"
            value = round(rng.uniform(0, 50), 3) / (1000 if unit == "MWh" else 1)
            rows.append((stamp.strftime("%Y-%m-%dT%H:%M:%S"), f"PV-{p + 1}", repr(value), unit))
        rows.append(("2020-12-31T23:00:00", f"PV-{p + 1}", "7.5", "kWh"))  # before the period
    rng.shuffle(rows)
    return rows


# -- no Python work per row ----------------------------------------------------------------------------
def _read_counting_calls(period) -> tuple:
    """EG_i_p of ``period`` read, and the Python calls (and C calls from Python) it took."""
    item, param = period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"]
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        data = read_monitored(item, param, period)
    finally:
        sys.setprofile(None)
    return data, calls


def _python_calls(tmp_path: Path, points: int) -> int:
    rows = [(f"2021-01-0{1 + m // 1440} {m // 60 % 24:02d}:{m % 60:02d}", f"P{p:02d}", f"{(m * 7 + p) % 50}.5", "kWh") for m in range(4 * 1440) for p in range(points)]
    path = tmp_path / f"p{points}.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    raw = with_data(th_period(start="2021-01-01", end="2021-01-04"), "EG_i_p", path.name, unit="kWh", interval="1min")
    _, calls = _read_counting_calls(parse_period(raw, base_dir=tmp_path))
    return calls


def test_python_calls_do_not_grow_with_the_rows(tmp_path):
    """35 more points of 5,760 one-minute rows each (201,600 more rows, the same timestamps):
    the Python calls may grow with the points (a PointData, its gaps), not with their rows.
    Before, every row cost several calls (a regex, a strip per column, ``math.isfinite``)."""
    few, many = _python_calls(tmp_path, 5), _python_calls(tmp_path, 40)
    added_rows = 35 * 4 * 1440
    assert (many - few) / added_rows < 0.25, f"{(many - few) / added_rows:.2f} Python calls per added row ({few} -> {many})"


def _calls_for_period(tmp_path: Path, end: str) -> int:
    """Python calls to read 3 points of one 1-minute value each, over a period ending ``end``."""
    path = tmp_path / "sparse.csv"
    path.write_text(_csv([(f"2021-01-01 00:0{p}", f"M{p}", "1.5", "kWh") for p in range(3)]), encoding="utf-8")
    raw = with_data(th_period(start="2021-01-01", end=end), "EG_i_p", path.name, unit="kWh", interval="1min")
    data, calls = _read_counting_calls(parse_period(raw, base_dir=tmp_path))
    minutes = ((pd.Timestamp(end) - pd.Timestamp("2021-01-01")).days + 1) * 1440
    assert [p.missing for p in data.points.values()] == [minutes - 1] * 3  # all but the one value
    return calls


def test_python_calls_do_not_grow_with_the_missing_intervals(tmp_path):
    """Sparse data: a month instead of a day adds 43,200 missing minutes to each point. The gaps
    are found from the slots the rows fill; before, every missing interval of every point was
    a step of a Python loop (50 points with one value each over a 1-minute year took a minute)."""
    day, month = _calls_for_period(tmp_path, "2021-01-01"), _calls_for_period(tmp_path, "2021-01-31")
    assert month - day < 5_000, f"{month - day} more Python calls for 129,600 more missing intervals"


# -- the typed read equals the text read -----------------------------------------------------------------
TRICKY = {
    "white space around cells": "timestamp , point , value , unit\n2021-01-01 00:00 , PV-1 ,  5.5 , kWh \n2021-01-01 01:00,PV-1 ,7,kWh\n",
    "numbers as point ids": "timestamp,point,value\n2021-01-01 00:00,01,5\n2021-01-01 00:00,2,6\n2021-01-01 01:00,01,7\n2021-01-01 01:00,2,8\n",
    "true/false as point ids": "timestamp,point,value\n2021-01-01 00:00,True,5\n2021-01-01 00:00,False,6\n2021-01-01 01:00,True,7\n",
    "values all 0 and 1": "timestamp,point,value\n2021-01-01 00:00,PV-1,1\n2021-01-01 01:00,PV-1,0\n2021-01-01 02:00,PV-1,1\n",
    "negative zero": "timestamp,point,value\n2021-01-01 00:00,PV-1,-0\n2021-01-01 01:00,PV-1,2\n",
    "long integers": "timestamp,point,value\n2021-01-01 00:00,PV-1,+490019210032805851173643\n2021-01-01 01:00,PV-1,2\n",
    "byte-order mark and CRLF": "\ufefftimestamp,point,value\r\n2021-01-01 00:00,PV-1,5\r\n2021-01-01 01:00,PV-1,6\r\n",
    "quoted cells": 'timestamp,point,value,unit\n"2021-01-01 00:00","PV 1","5","kWh"\n"2021-01-01 01:00","PV 1"," 6 ","MWh"\n',
    "exponents and signs": "timestamp,point,value\n2021-01-01 00:00,PV-1,1.5e3\n2021-01-01 01:00,PV-1,+.25\n2021-01-01 02:00,PV-1,7.\n",
    "empty unit cells": "timestamp,point,value,unit\n2021-01-01 00:00,PV-1,5,\n2021-01-01 01:00,PV-1,6,MWh\n",
    "point-major order": "timestamp,point,value\n2021-01-01 00:00,A,1\n2021-01-01 01:00,A,2\n2021-01-01 00:00,B,3\n2021-01-01 01:00,B,4\n",
    "mixed timestamp spellings": "timestamp,point,value\n2021-01-01T00:00:00,PV-1,1\n2021-01-01 01:00,PV-1,2\n2021-01-01 02:00:00,PV-1,3\n",
}


def _outcome(tmp_path: Path, text: str):
    try:
        return _fields(_read(tmp_path, text, end="2021-01-01"))
    except DataError as exc:
        return str(exc)


@pytest.mark.parametrize("case", list(TRICKY))
def test_typed_read_equals_the_text_read(tmp_path, monkeypatch, case):
    typed = _outcome(tmp_path, TRICKY[case])
    _as_text(monkeypatch)
    assert typed == _outcome(tmp_path, TRICKY[case])


@pytest.mark.parametrize("case", ["negative zero", "long integers", "values all 0 and 1", "numbers as point ids"])
def test_guarded_inputs_take_the_text_read(case):
    """The typed read declines what it could read differently from the text: '-0' is 0 as text,
    an integer past 2**53 may round differently, a column of true/false words reads as 0/1,
    and '01' would become the number 1."""
    frame = monitoring._read_typed(TRICKY[case].encode(), "interval")
    if case == "numbers as point ids":
        assert list(frame["point"].cat.categories) == ["01", "2"]
    else:
        assert frame is None


# -- one pass over the rows equals one mask per point ---------------------------------------------------------
def _reference(frame: pd.DataFrame, names: list[str], start: pd.Timestamp, end: pd.Timestamp, step: pd.Timedelta) -> dict:
    """The per-point reader as it was: one boolean mask of the whole frame per point."""
    inside = (frame["ts"] >= start) & (frame["ts"] < end)
    expected = pd.date_range(start, end, freq=step, inclusive="left")
    out = {}
    for point in names:
        mine = frame[frame["point"] == point]
        kept = mine[inside.loc[mine.index]]
        missing = expected.difference(pd.DatetimeIndex(kept["ts"]))
        monthly = kept.groupby(kept["ts"].dt.strftime("%Y-%m"))["v"].sum()
        runs, begin = [], 0
        for k in range(1, len(missing) + 1):
            if k == len(missing) or missing[k] - missing[k - 1] != step:
                runs.append((missing[begin].to_pydatetime(), missing[k - 1].to_pydatetime(), k - begin))
                begin = k
        out[point] = (
            float.hex(float(kept["v"].sum())),
            [(m, float.hex(float(v))) for m, v in monthly.items()],
            len(kept),
            len(mine) - len(kept),
            runs,
            (int(kept["row"].min()), int(kept["row"].max())) if len(kept) else None,
            float.hex(float(kept["v"].max())) if len(kept) else None,
        )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_pass_equals_one_mask_per_point(tmp_path, seed):
    rows = _year(points=4, step_minutes=60, days=62, seed=seed)
    data = _read(tmp_path, _csv(rows), start="2021-01-01", end="2021-03-03", interval="1h", unit=None)
    frame = pd.DataFrame(rows, columns=["timestamp", "point", "value", "unit"])
    frame["row"] = range(2, len(frame) + 2)
    frame["ts"] = pd.to_datetime(frame["timestamp"])
    frame["v"] = frame["value"].astype(float) * frame["unit"].map({unit: factor(unit, "MWh") for unit in ("kWh", "MWh")})
    reference = _reference(frame, sorted(frame["point"].unique()), pd.Timestamp("2021-01-01"), pd.Timestamp("2021-03-04"), pd.Timedelta("1h"))
    for point, pdata in data.points.items():
        total, monthly, count, excluded, runs, span, largest = reference[point]
        assert float.hex(pdata.total) == total
        assert [(m, float.hex(v)) for m, v in pdata.monthly.items()] == monthly
        assert (pdata.count, pdata.excluded) == (count, excluded)
        assert [(g.start, g.end, g.missing) for g in pdata.gaps] == runs
        assert pdata.rows == f"gen.csv rows {span[0]}-{span[1]}"
        assert float.hex(pdata.max_value) == largest
    assert data.notes == ["4 value(s) outside the period 2021-01-01 to 2021-03-03 excluded"]


def test_shuffled_rows_in_two_units_typed_equals_text(tmp_path, monkeypatch):
    rows = _year(points=3, step_minutes=30, days=10, seed=7)
    typed = _fields(_read(tmp_path, _csv(rows), end="2021-01-10", interval="30min", unit=None))
    _as_text(monkeypatch)
    assert typed == _fields(_read(tmp_path, _csv(rows), end="2021-01-10", interval="30min", unit=None))


# -- a bad cell deep in a large file is named by its row, as written ----------------------------------------------
@pytest.mark.parametrize(
    ("cell", "message", "found"),
    [
        ("n/a", "not a number", "'n/a'"),
        ("-3.50", "negative energy", "-3.50"),
        ("1e400", "not a finite number", "'1e400'"),
        (" TRUE ", "not a number", "'TRUE'"),
    ],
)
def test_a_bad_value_deep_in_a_large_file_names_its_row(tmp_path, cell, message, found):
    rows = [(f"2021-01-{1 + m // 1440:02d} {m // 60 % 24:02d}:{m % 60:02d}", f"P{p}", "1.25", "kWh") for m in range(10 * 1440) for p in range(4)]
    bad = 41_234
    rows[bad - 2] = (*rows[bad - 2][:2], cell, "kWh")
    with pytest.raises(DataError) as info:
        _read(tmp_path, _csv(rows), end="2021-01-10", interval="1min")
    assert (info.value.message, info.value.where, info.value.found) == (message, f"row {bad}, column value", found)


def test_a_duplicate_deep_in_a_large_file_names_both_rows(tmp_path):
    rows = [(f"2021-01-{1 + m // 1440:02d} {m // 60 % 24:02d}:{m % 60:02d}", f"P{p}", "1.25", "kWh") for m in range(10 * 1440) for p in range(4)]
    rows[30_000] = rows[20_000]
    with pytest.raises(DataError) as info:
        _read(tmp_path, _csv(rows), end="2021-01-10", interval="1min")
    assert (info.value.where, info.value.found) == ("row 30002", f"timestamp {pd.Timestamp(rows[20_000][0])}, point {rows[20_000][1]} again (first at row 20002)")


def test_offset_timestamp_among_many_is_named(tmp_path):
    rows = [(f"2021-01-01 {m // 60:02d}:{m % 60:02d}", "PV-1", "1", "kWh") for m in range(1440)]
    rows[1000] = ("2021-01-01T16:40+07:00", "PV-1", "1", "kWh")
    with pytest.raises(DataError) as info:
        _read(tmp_path, _csv(rows), end="2021-01-01", interval="1min")
    assert (info.value.message, info.value.where, info.value.found) == ("timestamps with a time-zone offset are not supported", "row 1002, column timestamp", "'2021-01-01T16:40+07:00'")
