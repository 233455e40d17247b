"""Tests written to kill mutants that survived `make mutate` (docs/mutation.md).

Each test names the function and the mutation it catches; the expected values are derived by
hand in its docstring or comments, not read from the engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write_csv

import jcmwb
from jcmwb.engine.errors import DataError, InputError


def _battery(tmp_path: Path, charge_readings: list[tuple[str, float]], discharge: float) -> dict:
    """ID_AM017 in 2021 with PV 100 MWh, a charge register read on the given days (so its first
    days are a span without readings), and a typed discharge."""
    write_csv(tmp_path / "charge.csv", ["timestamp", "point", "reading", "unit"], [[t, "BAT-1", r, "MWh"] for t, r in charge_readings])
    return {
        "methodology": "ID_AM017",
        "project": {"id": "MUTANT-ID17"},
        "period": {"start": "2021-01-01", "end": "2021-12-31"},
        "alternatives": {"EL_BT_p": "net_losses"},
        "fixed": {"EF_RE": {"option": "grid"}},
        "monitored": {
            "EG_PV_i_p": {"option": "C", "unit": "MWh", "values": {"PV-1": 100}},
            "EC_BT_j_p": {"option": "C", "data": "charge.csv", "format": "register", "multipliers": {"BAT-1": 1}},
            "ED_BT_j_p": {"option": "C", "unit": "MWh", "values": {"BAT-1": discharge}},
        },
    }


def test_register_span_probes_start_at_one_unit_for_a_small_total(tmp_path):
    """corrections._more_lowers_er: ``scale = max(|total|, 1.0)`` (mutant: 2.0).

    The charge register covers 2021-01-15 to 2022-01-01: EC = 1000.5 - 1000 = 0.5 MWh, and the
    span 1-15 January has no reading. More charge lowers ER_p only once EC exceeds the discharge,
    150 MWh (EL = max(EC - 150, 0)). The probes add 0.01 to 100 times max(0.5, 1) = 1 MWh: at most
    EC = 100.5 < 150, so no probe lowers ER_p and the span is left out with a note;
    ER_p = floor(100 x 0.75) = 75. Probing from 2 MWh (up to 200.5 > 150) would stop the run.
    """
    period = _battery(tmp_path, [("2021-01-15T00:00:00", 1000), ("2022-01-01T00:00:00", 1000.5)], discharge=150)
    result = jcmwb.calculate(period, base_dir=tmp_path)
    assert result.values["EC_BT_p"] == pytest.approx(0.5) and result.values["EL_BT_p"] == 0
    assert result.er == 75
    assert any(n.startswith("EC_BT_j_p at BAT-1: 1 missing value(s) left unfilled (no fill is defined") for n in result.notes)


def test_register_span_probes_scale_with_the_total(tmp_path):
    """corrections._more_lowers_er: probes ``total + k * scale`` (mutant: ``k / scale``).

    EC = 1010 - 1000 = 10 MWh with a span in January; discharge 500 MWh. The probes add 0.1, 1,
    10, 100 and 1000 MWh (k x 10): with 1000 added EC = 1010 > 500, EL = 510 and ER_p drops from
    75 to (100 - 510) x 0.75 < 75, so leaving the span out is not conservative: the run stops
    asking for the missing readings. (k / 10 would add at most 10 MWh: EC 20 < 500, no drop.)
    """
    period = _battery(tmp_path, [("2021-01-15T00:00:00", 1000), ("2022-01-01T00:00:00", 1010)], discharge=500)
    with pytest.raises(DataError, match="EC_BT_j_p at BAT-1 has missing data and more EC_BT_j_p lowers ER_p"):
        jcmwb.calculate(period, base_dir=tmp_path)


# KH_AM002, 27 February to 2 March 2021 (grid, diesel, grid, diesel), two meters, 12-hour kWh.
# PV-1 has no value on 27 February (two intervals in a row), PV-2 none at 1 March 00:00.
CATEGORY_DAYS = [["2021-02-27", "grid"], ["2021-02-28", "diesel"], ["2021-03-01", "grid"], ["2021-03-02", "diesel"]]
CATEGORY_ROWS = [  # file rows 2-14
    ["2021-02-27T00:00:00", "PV-2", 50], ["2021-02-27T12:00:00", "PV-2", 150],
    ["2021-02-28T00:00:00", "PV-1", 150], ["2021-02-28T12:00:00", "PV-1", 250],
    ["2021-02-28T00:00:00", "PV-2", 60], ["2021-02-28T12:00:00", "PV-2", 140],
    ["2021-03-01T00:00:00", "PV-1", 120], ["2021-03-01T12:00:00", "PV-1", 180],
    ["2021-03-01T12:00:00", "PV-2", 90],
    ["2021-03-02T00:00:00", "PV-1", 50], ["2021-03-02T12:00:00", "PV-1", 350],
    ["2021-03-02T00:00:00", "PV-2", 40], ["2021-03-02T12:00:00", "PV-2", 160],
]  # fmt: skip


def _kh_period(tmp_path: Path, days: list[list[str]], period: tuple[str, str], energy: dict) -> dict:
    """KH_AM002 with D_k_p from days.csv (written from ``days``) and EG_k_p as ``energy``."""
    write_csv(tmp_path / "days.csv", ["date", "category"], days)
    return {
        "methodology": "KH_AM002",
        "project": {"id": "MUTANT-KH"},
        "period": {"start": period[0], "end": period[1]},
        "monitored": {
            "D_k_p": {"option": "C", "data": "days.csv", "format": "daily"},
            "EG_k_p": energy,
        },
    }


def _category_period(tmp_path: Path, **energy) -> dict:
    """KH_AM002 from 27 Feb to 2 Mar 2021: D_k_p from CATEGORY_DAYS, EG_k_p [kWh] 12-hourly from CATEGORY_ROWS."""
    write_csv(tmp_path / "pv.csv", ["timestamp", "point", "value"], CATEGORY_ROWS)
    interval = {"option": "C", "data": "pv.csv", "format": "interval", "interval": "12h", "unit": "kWh"}
    return _kh_period(tmp_path, CATEGORY_DAYS, ("2021-02-27", "2021-03-02"), {**interval, **energy})


def test_category_totals_keep_their_months_rows_gaps_and_largest_value(tmp_path):
    """monitoring._by_category and _daily: what each day category carries besides its total.

    Mutants killed: the monthly keys (strftime(None), "XX%Y-%mXX", "%y-%m", "%Y-%M"), the monthly
    sum (``-``, ``get(None)``, ``get(month, 1.0)``, dropped), the largest value (``None``,
    ``largest or 1.0``, dropped), the gaps of the meters (``=`` for ``+=``, _ranges without the
    step), the rows (file name ``None``, rows never concatenated), the point and description, and
    the daily file's name in its rows.

    By hand (kWh; grid days 27 Feb and 1 Mar, diesel days 28 Feb and 2 Mar):
      grid   2021-02: PV-2 50 + 150 = 200 ; 2021-03: PV-1 120 + 180, PV-2 90 = 390 -> 0.2, 0.39 MWh
      diesel 2021-02: 150 + 250 + 60 + 140 = 600 ; 2021-03: 50 + 350 + 40 + 160 = 600 -> 0.6, 0.6 MWh
      rows: grid 2, 3, 8, 9, 10 -> "pv.csv rows 2-10" ; diesel 4-7, 11-14 -> "pv.csv rows 4-14"
      largest grid value 180 kWh = 0.18 MWh ; grid gaps: PV-1 2 (27 Feb 00:00 and 12:00), PV-2 1
      RE_p = 0.59 x 0.6 + 1.2 x 0.8 = 0.354 + 0.96 = 1.314 ; with 3 x 0.18 = 0.54 MWh filled in
      the grid total: 1.314 + 0.54 x 0.6 = 1.638, higher: the gaps are left out.
    """
    result = jcmwb.calculate(_category_period(tmp_path), base_dir=tmp_path)
    points = result.monitored["EG_k_p"].points
    grid, diesel = points["grid"], points["diesel"]
    assert grid.monthly == pytest.approx({"2021-02": 0.2, "2021-03": 0.39})
    assert diesel.monthly == pytest.approx({"2021-02": 0.6, "2021-03": 0.6})
    assert result.values["EG_k_p"] == pytest.approx({"grid": 0.59, "diesel": 1.2})
    assert (grid.rows, diesel.rows) == ("pv.csv rows 2-10", "pv.csv rows 4-14")
    assert grid.max_value == pytest.approx(0.18) and diesel.max_value == pytest.approx(0.35)
    assert [g.describe() for g in grid.gaps] == [
        "PV-1: 2 missing 12-hour values from 2021-02-27 00:00 to 2021-02-27 12:00",
        "PV-2: 1 missing 12-hour values from 2021-03-01 00:00 to 2021-03-01 00:00",
    ]
    assert diesel.gaps == []
    assert (grid.point, diesel.point) == ("grid", "diesel")
    assert grid.description.startswith("National-grid day") and diesel.description.startswith("Off-grid diesel day")
    assert "EG_k_p at grid: 3 missing value(s) left unfilled (ER_p 1.314 without them, 1.638 with the largest observed value 0.18 filled in: the lower is kept)" in result.notes
    days = result.monitored["D_k_p"].points
    assert (days["grid"].rows, days["diesel"].rows) == ("days.csv rows 2-4", "days.csv rows 3-5")
    assert (days["grid"].point, days["diesel"].point) == ("grid", "diesel")


def _daily_period(tmp_path: Path, rows: list[list[str]]) -> dict:
    return _kh_period(tmp_path, rows, ("2021-03-01", "2021-03-02"), {"option": "C", "unit": "MWh", "values": {"grid": 1, "diesel": 1}})


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        # the date format is YYYY-MM-DD, nothing guessed (mutant: no format, so pandas guesses)
        ([["2021/03/01", "grid"], ["2021-03-02", "grid"]], "row 2, column date: not a date; expected YYYY-MM-DD, found '2021/03/01'"),
        ([["2021-03-01", "grid"], ["2021-03-02", "grid"], ["2021-03-01", "diesel"]], "row 4: duplicate day; expected one category per day, found 2021-03-01 again (first at row 2)"),
        ([["2021-03-01", "grid"], ["2021-03-02", "island"]], "row 3, column category: unknown day category; expected one of grid, diesel, found 'island'"),
        ([["2021-03-01", "grid"], ["2021-03-03", "grid"]], "column date: day without a category; expected one row per day from 2021-03-01 to 2021-03-02, found 1 day(s) missing, the first 2021-03-02"),
    ],
    ids=["slash_date", "duplicate_day", "unknown_category", "missing_day"],
)
def test_daily_file_errors_name_file_row_expected_and_found(tmp_path, rows, line):
    """monitoring._daily: its four refusals, each one line naming the file and row, what was
    expected and what was found (mutants: the file, where, expected or found dropped or changed,
    the date format left to pandas). No bad-input fixture had daily data before."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_daily_period(tmp_path, rows), base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'days.csv'}: {line}"


def test_a_day_category_without_days_has_no_day_list(tmp_path):
    """monitoring._daily: the MRS comment listing a category's days is empty for a category
    without a day (mutant: ``if len(mine) or True``, which writes "diesel days: ")."""
    result = jcmwb.calculate(_daily_period(tmp_path, [["2021-03-01", "grid"], ["2021-03-02", "grid"]]), base_dir=tmp_path)
    days = result.monitored["D_k_p"].points
    assert (days["grid"].detail, days["diesel"].detail) == ("grid days: 2021-03-01 to 2021-03-02", "")
    assert result.values["D_k_p"] == {"grid": 2, "diesel": 0}


def _register_period(tmp_path: Path, rows: list[list], unit: str | None = None) -> dict:
    write_csv(tmp_path / "register.csv", ["timestamp", "point", "reading", "unit"], rows)
    item = {"option": "C", "data": "register.csv", "format": "register", "multipliers": {"MAIN": 1}}
    if unit:
        item["unit"] = unit
    return {"methodology": "TH_AM001", "project": {"id": "MUTANT-TH"}, "period": {"start": "2021-06-01", "end": "2021-06-30"}, "monitored": {"EG_i_p": item}}


@pytest.mark.parametrize(
    ("rows", "unit", "line"),
    [
        ([["2021-06-01T00:00:00", "MAIN", 1, "MWh"], ["first of July", "MAIN", 2, "MWh"]], None, "row 3, column timestamp: not a timestamp; expected YYYY-MM-DD HH:MM (local time), found 'first of July'"),
        (
            [["2021-06-01T00:00:00", "MAIN", 1, "MWh"], ["2021-07-01T00:00:00", "MAIN", 2, "MWh"], ["2021-06-01T00:00:00", "MAIN", 1, "MWh"]],
            None,
            "row 4: duplicate value; expected one value per point and time, found timestamp 2021-06-01 00:00:00, point MAIN again (first at row 2)",
        ),
        ([["2021-06-01T00:00:00", "MAIN", 1, "MWh"], ["2021-07-01T00:00:00", "MAIN", 2, "MWh"]], "kWh", "row 2, column unit: unit in the file differs from the unit in the monitoring-period file; expected kWh, found 'MWh'"),
        # the first decrease is named, not an earlier equal reading (mutant: ``<= 0`` in its search)
        (
            [["2021-06-01T00:00:00", "MAIN", 100, "MWh"], ["2021-06-10T00:00:00", "MAIN", 100, "MWh"], ["2021-06-20T00:00:00", "MAIN", 90, "MWh"]],
            None,
            "row 4, column reading: register reading decreases (meter replaced or rolled over?); expected readings that never decrease, found 90, below 100 at row 3",
        ),
    ],
    ids=["not_a_timestamp", "duplicate_reading", "unit_differs", "first_decrease"],
)
def test_register_file_errors_name_file_row_expected_and_found(tmp_path, rows, unit, line):
    """monitoring._register: refusals of register data, each one line naming the file and row
    (mutants: the file dropped from the timestamp, duplicate and unit checks, the duplicate
    check given no keys). The bad-input fixtures had these for interval data only."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_register_period(tmp_path, rows, unit), base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'register.csv'}: {line}"


def test_register_rows_and_day_category_interval_label():
    """The source rows a register total names (mutant: the file name None), and the "day" label
    of daily category data the MRS shows as its frequency (mutants: None, dropped, changed).
    tests/cases/TH_AM001/boundary_register_exact.yaml: the readings inside are file rows 4-6."""
    from test_cases import CASES, run

    _, result = run(CASES / "TH_AM001" / "boundary_register_exact.yaml")
    main = result.monitored["EG_i_p"].points["MAIN"]
    assert main.rows == "boundary-register-exact.csv rows 4-6"
    # readings outside: 2 before (rows 2, 3) and 2 after (rows 7, 8), shown in the MRS comments
    # (mutants: None, ``|`` for ``&``, ``!=`` for ``==``, ``inside`` for ``~inside``)
    assert main.excluded == 4
    assert (main.point, main.description) == ("MAIN", "MAIN")  # no points declared: the id describes it
    # the straddling register's uncovered spans, each named with its point (mutants: point None)
    _, result = run(CASES / "TH_AM001" / "boundary_register_straddle.yaml")
    assert [g.describe() for g in result.monitored["EG_i_p"].gaps] == [
        "MAIN: 1 missing register span values from 2021-06-01 00:00 to 2021-06-03 00:00",
        "MAIN: 1 missing register span values from 2021-06-28 00:00 to 2021-07-01 00:00",
    ]
    _, result = run(CASES / "KH_AM002" / "boundary_daily.yaml")
    assert result.monitored["D_k_p"].interval == "day"


def test_register_steps_of_zero_or_below_one_unit_are_not_decreases(tmp_path):
    """monitoring._register: only a reading lower than the previous one is refused (mutants:
    ``steps <= 0``, ``steps < 1``). An idle meter repeats its reading; a small load moves it by
    less than one unit. Readings 100, 100, 100.5, 150 MWh: EG = 150 - 100 = 50 MWh,
    RE_p = 50 x 0.4 = 20 tCO2."""
    rows = [["2021-06-01T00:00:00", "MAIN", 100, "MWh"], ["2021-06-10T00:00:00", "MAIN", 100, "MWh"], ["2021-06-20T00:00:00", "MAIN", 100.5, "MWh"], ["2021-07-01T00:00:00", "MAIN", 150, "MWh"]]
    result = jcmwb.calculate(_register_period(tmp_path, rows), base_dir=tmp_path)
    assert result.values["EG_i_p"] == {"MAIN": 50} and result.values["RE_p"] == pytest.approx(20)


def test_register_plausibility_bound_applies_after_the_multiplier(tmp_path):
    """monitoring._register: a reading is checked for plausibility times its multiplier
    (mutant: divided by it). 2,000,000 MWh x 1000 = 2e9 MWh is above the 1e9 MWh bound."""
    period = _register_period(tmp_path, [["2021-06-01T00:00:00", "MAIN", 1000, "MWh"], ["2021-07-01T00:00:00", "MAIN", 2000000, "MWh"]])
    period["monitored"]["EG_i_p"]["multipliers"] = {"MAIN": 1000}
    with pytest.raises(DataError, match="row 3, column reading: implausibly large value"):
        jcmwb.calculate(period, base_dir=tmp_path)


def test_a_declared_register_point_without_readings_is_refused(tmp_path):
    """monitoring._register: the points declared in the period file are read, not only those in
    the file (mutant: ``item.points and False``), and the refusal says what was expected."""
    period = _register_period(tmp_path, [["2021-06-01T00:00:00", "MAIN", 1000, "MWh"], ["2021-07-01T00:00:00", "MAIN", 1100, "MWh"]])
    period["monitored"]["EG_i_p"].update(points={"MAIN": "main meter", "SPARE": "spare meter"}, multipliers={"MAIN": 1, "SPARE": 1})
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == (
        f"{tmp_path / 'register.csv'}: point SPARE: fewer than two register readings inside the period; "
        "expected a reading at or near the start and the end of the period, found 0 reading(s)"
    )


def _consumption_register(tmp_path: Path, closing: str) -> dict:
    """ID_AM002, January to March 2021: chiller C1 (COP 5.2, below the reference 5.69, so more
    consumption lowers ER_p) with a consumption register read 100 MWh on 15 January and 400 MWh
    at ``closing``."""
    write_csv(tmp_path / "ec.csv", ["timestamp", "point", "reading", "unit"], [["2021-01-15T00:00:00", "C1", 100, "MWh"], [closing, "C1", 400, "MWh"]])
    return {
        "methodology": "ID_AM002",
        "project": {"id": "MUTANT-ID"},
        "period": {"start": "2021-01-01", "end": "2021-03-31"},
        "fixed": {"COP_PJ_i": {"values": {"C1": 5.2}, "source": "sheet"}, "Cap_PJ_i": {"values": {"C1": 450}, "unit": "USRt", "source": "sheet"}},
        "monitored": {"EC_PJ_i_p": {"option": "C", "data": "ec.csv", "format": "register", "multipliers": {"C1": 1}}},
    }


def test_a_consumption_register_span_asks_for_the_missing_readings(tmp_path):
    """corrections on register data (mutants of monitoring._register: the format or the file of
    the data dropped): a consumption register whose first reading is after the start cannot be
    left out conservatively when more consumption lowers ER_p (a COP of 5.2, below the reference
    5.69: RE_p grows by EC x 5.2 / 5.69 x 0.8, PE_p by EC x 0.8), and the error names the file and
    what is needed."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_consumption_register(tmp_path, "2021-04-01T00:00:00"), base_dir=tmp_path)
    line = info.value.line()
    assert line.startswith(f"{tmp_path / 'ec.csv'}: point C1: EC_PJ_i_p at C1 has missing data and more EC_PJ_i_p lowers ER_p")
    assert "; expected readings covering the whole period (a reading at its start and at its end), found " in line


@pytest.mark.parametrize(
    ("credits", "raw", "parts"),
    [
        # 101 x 50 % = 50.5: nearest gives 51 (mutants: the "nearest" test negated or misspelt)
        (101, {"JP": "50%", "TH": "50%", "rounding": {"JP": "nearest"}}, {"JP": 51, "TH": 50}),
        # 10 x 95 % = 9.5 up = 10: the remainder gets exactly 0, which is allowed (mutants: < 1, <= 0)
        (10, {"JP": "95%", "TH": "5%", "rounding": {"JP": "up"}}, {"JP": 10, "TH": 0}),
        # the remainder listed first: the parties after it are still rounded (mutant: break)
        (101, {"TH": "50%", "JP": "50%", "rounding": {"JP": "up"}}, {"TH": 50, "JP": 51}),
    ],
    ids=["nearest_half", "remainder_zero", "remainder_first"],
)
def test_allocation_edges(credits, raw, parts):
    """issuance.allocate at its edges; parts by hand in the comments."""
    from jcmwb.engine.issuance import allocate, parse_allocation

    assert allocate(credits, parse_allocation(raw)) == parts


def test_allocation_rounded_beyond_the_credits_is_one_clear_error():
    """3 credits, JP 50 % up = 2, KR 50 % up = 2, TH 0 % takes the rest: 3 - 4 = -1 (mutants:
    the message, where or found dropped)."""
    from jcmwb.engine.errors import InputError
    from jcmwb.engine.issuance import allocate, parse_allocation

    with pytest.raises(InputError) as info:
        allocate(3, parse_allocation({"JP": "50%", "KR": "50%", "TH": "0%", "rounding": {"JP": "up", "KR": "up"}}))
    assert info.value.line() == "allocation: the rounded shares exceed the credits, found {'JP': 2, 'KR': 2, 'TH': -1}"


def _monthly_period(tmp_path: Path, start: str, end: str, months: list[str]) -> dict:
    write_csv(tmp_path / "m.csv", ["month", "point", "value", "unit"], [[m, "PV-1", 100 + 10 * n, "MWh"] for n, m in enumerate(months)])
    return {
        "methodology": "TH_AM001",
        "project": {"id": "MUTANT-TH"},
        "period": {"start": start, "end": end},
        "monitored": {"EG_i_p": {"option": "B", "data": "m.csv", "format": "monthly"}},
    }


@pytest.mark.parametrize(
    ("start", "end", "months", "line"),
    [
        # March ends on the period's first day: partly inside (mutant: month_end > start drops it silently)
        ("2021-03-31", "2021-05-31", ["2021-03", "2021-04", "2021-05"], "row 2, column month: month only partly inside the monitoring period; expected whole months between 2021-03-31 and 2021-05-31 (or interval data), found 2021-03"),
        # June starts on the period's last day: partly inside (mutant: m < end drops it silently)
        ("2021-04-01", "2021-06-01", ["2021-04", "2021-05", "2021-06"], "row 4, column month: month only partly inside the monitoring period; expected whole months between 2021-04-01 and 2021-06-01 (or interval data), found 2021-06"),
    ],
    ids=["month_ending_on_the_start", "month_starting_on_the_end"],
)
def test_a_month_touching_the_period_by_one_day_is_refused(tmp_path, start, end, months, line):
    """monitoring._monthly: a month that shares only one day with the period is partly inside."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_monthly_period(tmp_path, start, end, months), base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'm.csv'}: {line}"


def test_a_missing_month_is_a_gap_of_that_month(tmp_path):
    """monitoring._monthly: April and June of April-June given (100, 110 MWh): May is one gap
    from 1 to 31 May; the total is 210 MWh, the largest month 110 MWh, rows 2-3 (mutants: the
    gap's point, count or end, the point's rows, description or largest value)."""
    result = jcmwb.calculate(_monthly_period(tmp_path, "2021-04-01", "2021-06-30", ["2021-04", "2021-06"]), base_dir=tmp_path)
    pv = result.monitored["EG_i_p"].points["PV-1"]
    assert [g.describe() for g in pv.gaps] == ["PV-1: 1 missing month values from 2021-05-01 00:00 to 2021-05-31 00:00"]
    assert (pv.total, pv.max_value, pv.rows, pv.point, pv.description) == (210, 110, "m.csv rows 2-3", "PV-1", "PV-1")
    assert pv.monthly == {"2021-04": 100, "2021-06": 110}


_MAPPING = 'expected a mapping of party -> share, e.g. {JP: "50%", TH: "50%", rounding: {JP: up}}'


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        # a list is not a mapping, though not empty (mutant: ``not isinstance(raw, dict) and not raw``
        # lets it through to raw.get, an AttributeError); found is repr(['JP']) = "['JP']"
        (["JP"], f"period.yaml: allocation: {_MAPPING}, found ['JP']"),
        # an empty mapping (the same mutant lets it through to "the shares do not add up")
        ({}, f"period.yaml: allocation: {_MAPPING}, found {{}}"),
        # rounding must map parties to rules: "up" alone is a string; found is repr("up") = "'up'"
        ({"JP": "50%", "TH": "50%", "rounding": "up"}, "period.yaml: allocation.rounding: expected a mapping of party -> up | down | nearest, found 'up'"),
    ],
    ids=["not_a_mapping", "empty", "rounding_not_a_mapping"],
)
def test_allocation_that_is_no_mapping_is_one_complete_error_line(raw, line):
    """issuance.parse_allocation: the refusal names the file, the key, the expected form and what
    was found, each exactly (mutants: the message, file, where or found None, dropped, in capitals
    or wrapped in XX; the rounding refusal's message None)."""
    from jcmwb.engine.errors import InputError
    from jcmwb.engine.issuance import parse_allocation

    with pytest.raises(InputError) as info:
        parse_allocation(raw, file="period.yaml")
    assert info.value.line() == line
    assert info.value.expected is None  # the expectation is the message itself


# The run of issue 14, continued: the survivors of monitoring._monthly, _register and _daily that
# the first tests left, through jcmwb.calculate only (monitoring.py is being reshaped).

_MWH_BOUND = "at most 1e+09 MWh (1,000 TWh, about the electricity Japan generates in a year); if it is right, raise the bound with plausible_max in the monitoring-period file"  # units.PLAUSIBLE_MAX, row MWh


def _th_file_period(tmp_path: Path, name: str, header: list[str], rows: list[list], period: tuple[str, str], monitored: dict) -> dict:
    """TH_AM001 with EG_i_p [MWh] read from ``name`` (written with ``header`` and ``rows``)."""
    write_csv(tmp_path / name, header, rows)
    return {
        "methodology": "TH_AM001",
        "project": {"id": "MUTANT-TH"},
        "period": {"start": period[0], "end": period[1]},
        "monitored": {"EG_i_p": {"data": name, **monitored}},
    }


def _monthly_rows(tmp_path: Path, rows: list[list], start: str = "2021-04-01", end: str = "2021-05-31", **item) -> dict:
    return _th_file_period(tmp_path, "m.csv", ["month", "point", "value", "unit"], rows, (start, end), {"option": "B", "format": "monthly", **item})


@pytest.mark.parametrize(
    ("rows", "item", "line"),
    [
        # a date is not a month: the format is YYYY-MM, nothing guessed (mutant: no format)
        ([["2021-04-15", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]], {}, "row 2, column month: not a month; expected YYYY-MM, found '2021-04-15'"),
        # the same month and point twice (mutant: the file dropped from the refusal)
        ([["2021-04", "PV-1", 100, "MWh"], ["2021-04", "PV-1", 110, "MWh"]], {}, "row 3: duplicate value; expected one value per point and time, found month 2021-04, point PV-1 again (first at row 2)"),
        # mutants: the message None, "XXnegative valueXX", "NEGATIVE VALUE"
        ([["2021-04", "PV-1", -5, "MWh"], ["2021-05", "PV-1", 110, "MWh"]], {}, "row 2, column value: negative value; expected a value >= 0, found -5"),
        # unit: kWh declared, MWh in the file (mutant: the file dropped from the unit check)
        ([["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]], {"unit": "kWh"}, "row 2, column unit: unit in the file differs from the unit in the monitoring-period file; expected kWh, found 'MWh'"),
        # 2,000,000,000 MWh > 1e9 MWh, the bound (mutants of the plausibility call: the frame,
        # the column, the item or the file None, the column "XXvalueXX" or "VALUE")
        ([["2021-04", "PV-1", 2000000000, "MWh"], ["2021-05", "PV-1", 110, "MWh"]], {}, f"row 2, column value: implausibly large value; expected {_MWH_BOUND}, found 2000000000 MWh"),
        # each month 600,000,000 MWh passes, their total 1.2e9 MWh does not (mutant: the data's file None)
        ([["2021-04", "PV-1", 600000000, "MWh"], ["2021-05", "PV-1", 600000000, "MWh"]], {}, f"point PV-1: implausibly large total; expected {_MWH_BOUND}, found 1.2e+09 MWh"),
        # an empty unit cell and no unit: in the period file (monitoring._unit_factor's mutants:
        # the message, file or expected None, dropped or changed). The distinct unit texts are
        # MWh (1st) and "" (2nd), the empty one in the 3rd row, 4 in the file: the row is found
        # from the texts through each row's code (mutant: codes None, which names the 2nd row)
        ([["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"], ["2021-06", "PV-1", 120, ""]], {}, "row 4, column unit: no unit for this value; expected a unit convertible to MWh"),
        # kWh declared: kWh, kWh, MWh; the differing text MWh is the 2nd distinct one, the 3rd row (row 4)
        (
            [["2021-04", "PV-1", 100000, "kWh"], ["2021-05", "PV-1", 110000, "kWh"], ["2021-06", "PV-1", 120, "MWh"]],
            {"unit": "kWh"},
            "row 4, column unit: unit in the file differs from the unit in the monitoring-period file; expected kWh, found 'MWh'",
        ),
    ],
    ids=["date_not_month", "duplicate_month", "negative", "unit_differs", "implausible_value", "implausible_total", "no_unit", "unit_differs_later"],
)
def test_monthly_file_errors_name_file_row_expected_and_found(tmp_path, rows, item, line):
    """monitoring._monthly: each refusal of monthly data is one line naming the file and row,
    what was expected and what was found. No bad-input fixture had monthly data."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_monthly_rows(tmp_path, rows, **item), base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'm.csv'}: {line}"


def test_a_declared_monthly_point_without_rows_is_all_gaps(tmp_path):
    """monitoring._monthly: the points declared in the period file are read, not only those in
    the file (mutant: ``item.points and False``, which loses PV-2), and a point without a month
    has no largest value (mutant: ``len(kept) or True``, the max of nothing, NaN).

    By hand: PV-1 April 100 + May 110 = 210 MWh; PV-2 nothing: 0 MWh, a gap for each month
    (1-30 April, 1-31 May), no rows; RE_p = 210 x 0.4 = 84 tCO2 (TH_AM001's EF_RE 0.4).
    """
    rows = [["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]]
    result = jcmwb.calculate(_monthly_rows(tmp_path, rows, points={"PV-1": "roof", "PV-2": "carport"}), base_dir=tmp_path)
    points = result.monitored["EG_i_p"].points
    assert list(points) == ["PV-1", "PV-2"]
    pv2 = points["PV-2"]
    assert (pv2.total, pv2.count, pv2.max_value, pv2.rows, pv2.description) == (0, 0, None, "m.csv: no rows", "carport")
    assert [g.describe() for g in pv2.gaps] == [
        "PV-2: 1 missing month values from 2021-04-01 00:00 to 2021-04-30 00:00",
        "PV-2: 1 missing month values from 2021-05-01 00:00 to 2021-05-31 00:00",
    ]
    assert result.values["EG_i_p"] == {"PV-1": 210, "PV-2": 0} and result.values["RE_p"] == pytest.approx(84)
    assert "no data inside the period for PV-2" in result.monitored["EG_i_p"].notes


def test_the_days_before_the_first_whole_month_are_not_dropped_silently(tmp_path):
    """monitoring._monthly: a period from 15 March with monthly data for April and May. March
    is only partly inside, so it cannot be given (a March row is refused); its 17 days (15-31
    March) are in the period but no month covers them. They must be a gap (or the run refused),
    not dropped without a word: for a parameter of which more lowers ER_p, dropping them raises
    ER_p. Today the result is RE_p = (100 + 110) x 0.4 = 84 with no gap and no note.

    (mutant ``... >= start or ... <= end`` in the expected months makes March a gap, so this
    test passes with it, and, strict, fails the run: the mutant is killed.)"""
    rows = [["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]]
    # Refused (methodologies/README.md 4.3: monthly data needs a period of whole months), naming
    # the 17 days 15-31 March.
    with pytest.raises(DataError) as refused:
        jcmwb.calculate(_monthly_rows(tmp_path, rows, start="2021-03-15"), base_dir=tmp_path)
    assert refused.value.where == "monitoring period"
    assert refused.value.found == "2021-03-15 to 2021-05-31: 17 day(s) in no whole month (2021-03-15..2021-03-31)"


def test_a_register_difference_belongs_to_the_month_one_second_before_its_reading(tmp_path):
    """monitoring._register: a difference is counted in the month of the instant one second
    before its closing reading (mutant: two seconds). Readings 100 at 1 May 00:00, 150 at
    1 June 00:00:01, 200 at 1 July 00:00 (period May-June): the first difference, 50, closes
    at 1 June 00:00:01, one second before is 1 June 00:00:00, June; the second, 50, closes at
    1 July 00:00, one second before is 30 June 23:59:59, June. So June 100 and no May (two
    seconds before 00:00:01 would be 31 May 23:59:59, May 50 and June 50). Total 100 MWh."""
    rows = [["2021-05-01T00:00:00", "MAIN", 100, "MWh"], ["2021-06-01T00:00:01", "MAIN", 150, "MWh"], ["2021-07-01T00:00:00", "MAIN", 200, "MWh"]]
    period = _register_period(tmp_path, rows)
    period["period"]["start"] = "2021-05-01"
    main = jcmwb.calculate(period, base_dir=tmp_path).monitored["EG_i_p"].points["MAIN"]
    assert main.monthly == {"2021-06": 100} and main.total == 100


def test_a_category_counted_in_hours_is_days_times_24(tmp_path):
    """monitoring._daily: a category parameter may count hours (its unit is a time, spec.py);
    each day is then 24 h (mutants: days / 24 in the total and in the months).

    tests/test_engine_features.py's XX_AM902 with D_k_p in h, days 1 March grid, 2 March
    diesel, 3 March grid: grid 2 days x 24 = 48 h, diesel 1 x 24 = 24 h, all in 2021-03."""
    from test_engine_features import ENERGY, THREE_DAYS, calc, period, spec, write_days, write_energy

    write_days(tmp_path, THREE_DAYS)
    write_energy(tmp_path, ENERGY)
    result = calc(period(tmp_path), tmp_path, spec(lambda raw: raw["parameters"]["D_k_p"].update(unit="h")))
    days = result.monitored["D_k_p"].points
    assert result.values["D_k_p"] == {"grid": 48, "diesel": 24}
    assert (days["grid"].monthly, days["diesel"].monthly) == ({"2021-03": 48}, {"2021-03": 24})


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        # "half" is no number: found is repr("half") = "'half'"
        ({"JP": "half", "TH": "50%"}, "period.yaml: allocation.JP: share is not a percentage; expected a percentage such as \"50%\", found 'half'"),
        # 101 > 100: found is the text as written, "101%" (mutant: ``<= 101``)
        ({"JP": "101%", "TH": "-1%"}, "period.yaml: allocation.JP: share outside 0-100 %; expected 0% to 100%, found 101%"),
        # -1 < 0 (TH is checked after JP, which passes: 101 % in all, but the range comes first)
        ({"JP": "100%", "TH": "-1%"}, "period.yaml: allocation.TH: share outside 0-100 %; expected 0% to 100%, found -1%"),
        # 50 + 40 = 90: found f"{90.0:g}%" = "90%"
        ({"JP": "50%", "TH": "40%"}, "period.yaml: allocation: the shares do not add up to 100 %; expected 100%, found 90%"),
        # 50 + 49.5 = 99.5, half a percent short (mutant: a tolerance of 1.000000001)
        ({"JP": "50%", "TH": "49.5%"}, "period.yaml: allocation: the shares do not add up to 100 %; expected 100%, found 99.5%"),
        # KR has no share: expected lists the parties with one, in order
        ({"JP": "50%", "TH": "50%", "rounding": {"KR": "up"}}, "period.yaml: allocation.rounding.KR: rounding rule for a party without a share; expected one of JP, TH, found 'KR'"),
        ({"JP": "50%", "TH": "50%", "rounding": {"JP": "ceil"}}, "period.yaml: allocation.rounding.JP: unknown rounding rule; expected up | down | nearest, found 'ceil'"),
        ({"JP": "50%", "TH": "50%", "rounding": {"JP": "up", "TH": "down"}}, "period.yaml: allocation.rounding: every party has a rounding rule, so the parts may not add up; expected one party without a rule, to receive the remainder"),
    ],
    ids=["not_a_percentage", "above_100", "below_0", "not_100_in_all", "half_a_percent_short", "rule_without_share", "unknown_rule", "every_party_ruled"],
)
def test_each_allocation_refusal_is_one_complete_line(raw, line):
    """issuance.parse_allocation: every refusal names the file, the key, what was expected and
    what was found, exactly (mutants: each of them None, dropped, in capitals or wrapped in XX;
    the range or the sum checked loosely)."""
    from jcmwb.engine.errors import InputError
    from jcmwb.engine.issuance import parse_allocation

    with pytest.raises(InputError) as info:
        parse_allocation(raw, file="period.yaml")
    assert info.value.line() == line


def test_allocation_shares_edges_and_the_last_free_party_takes_the_remainder():
    """issuance.parse_allocation: " 0 % " and 100 are shares (the range includes its ends; the
    text is stripped before and after the %), the rounding mapping may be empty, and the party
    that receives the remainder is the last one without a rule.

    11 credits, A 30 %, B 30 %, C 40 %, no rules: A 3.3 -> 3, B 3.3 -> 3 (down), C, the last
    free party, 11 - 6 = 5 (were A the remainder: B 3, C 4.4 -> 4, A 4)."""
    from jcmwb.engine.issuance import allocate, parse_allocation

    edges = parse_allocation({"JP": " 0 % ", "TH": 100, "rounding": None})
    assert (edges.shares, edges.rounding, edges.remainder) == ({"JP": 0.0, "TH": 100.0}, {}, "TH")
    split = parse_allocation({"A": "30%", "B": "30%", "C": "40%"})
    assert split.remainder == "C"
    assert allocate(11, split) == {"A": 3, "B": 3, "C": 5}
    ruled = parse_allocation({"A": "30%", "B": "30%", "C": "40%", "rounding": {"C": "up", "A": "nearest"}})
    # C 4.4 up = 5, A 3.3 nearest = 3, B (the only free party) 11 - 8 = 3
    assert (ruled.rounding, ruled.remainder) == ({"C": "up", "A": "nearest"}, "B")
    assert allocate(11, ruled) == {"A": 3, "B": 3, "C": 5}
    # the rounding rules listed first: the shares after them are still read (mutant: ``break``)
    first = parse_allocation({"rounding": {"JP": "up"}, "JP": "50%", "TH": "50%"})
    assert (first.shares, first.remainder) == ({"JP": 50.0, "TH": 50.0}, "TH")


def test_allocation_rounds_a_share_that_is_whole_but_for_floating_point_noise_as_whole():
    """issuance.allocate passes ALLOCATION_SLACK to round_whole (mutant: dropped). 3000 x 33.3 %
    is 999 exactly, but 3000 * 33.3 / 100 = 998.9999999999999 in floating point, and 3000 x 1.1 %
    is 33, computed 33.00000000000001. With the slack: A 33 (up), B 999 (down), C the remainder
    3000 - 33 - 999 = 1968; without it A would be 34 and B 998."""
    from jcmwb.engine.issuance import allocate, parse_allocation

    assert 3000 * 33.3 / 100 < 999 and 3000 * 1.1 / 100 > 33  # the noise this test is about
    split = parse_allocation({"A": "1.1%", "B": "33.3%", "C": "65.6%", "rounding": {"A": "up"}})
    assert allocate(3000, split) == {"A": 33, "B": 999, "C": 1968}


def _typed_period(values: dict, **item) -> dict:
    return {"methodology": "TH_AM001", "project": {"id": "MUTANT-TH"}, "period": {"start": "2021-06-01", "end": "2021-06-30"}, "monitored": {"EG_i_p": {"option": "B", "values": values, **item}}}


def test_a_typed_value_is_its_point_with_one_value():
    """monitoring._typed: a value typed in the period file is a point named and described by its
    id when no points are declared (mutants: the point None, the description None or dropped).
    Exactly at the bound, 1e9 MWh, is accepted (mutant: ``< limit``): RE_p = 1e9 x 0.4 = 4e8 tCO2."""
    result = jcmwb.calculate(_typed_period({"PV-1": 100}, unit="MWh"))
    pv = result.monitored["EG_i_p"].points["PV-1"]
    assert (pv.point, pv.description, pv.total) == ("PV-1", "PV-1", 100)
    result = jcmwb.calculate(_typed_period({"PV-1": 1e9}, unit="MWh"))
    assert result.values["EG_i_p"] == {"PV-1": 1e9} and result.values["RE_p"] == pytest.approx(4e8)


@pytest.mark.parametrize(
    ("values", "item", "line"),
    [
        # C is not among the declared points A, B (mutant: "XX, XX" between them)
        ({"C": 1}, {"points": {"A": "a", "B": "b"}, "unit": "MWh"}, "monitored.EG_i_p.values.C: unknown monitoring point; expected one of A, B, found 'C'"),
        # 2e12 kWh x 0.001 = 2e9 MWh > 1e9 MWh: the bound applies after the conversion
        ({"PV-1": 2e12}, {"unit": "kWh"}, f"monitored.EG_i_p.values.PV-1: implausibly large value; expected {_MWH_BOUND}, found 2e+12 kWh"),
    ],
    ids=["unknown_point", "implausible_in_kwh"],
)
def test_typed_value_errors_are_one_complete_line(values, item, line):
    """monitoring._typed: a period given as a mapping has no file: its errors name
    "<monitoring period>"."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_typed_period(values, **item))
    assert info.value.line() == f"<monitoring period>: {line}"


def test_an_unknown_typed_day_category_names_the_period():
    """monitoring._typed: the typed data carry the period's name, which the category check
    names (mutant: the file None). KH_AM002's categories are grid and diesel; "island" is none."""
    period = {
        "methodology": "KH_AM002",
        "project": {"id": "MUTANT-KH"},
        "period": {"start": "2021-03-01", "end": "2021-03-02"},
        "monitored": {"D_k_p": {"option": "C", "unit": "day", "values": {"grid": 1, "island": 1}}, "EG_k_p": {"option": "C", "unit": "MWh", "values": {"grid": 1}}},
    }
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period)
    assert info.value.line() == "<monitoring period>: monitored.D_k_p.values.island: unknown day category; expected one of grid, diesel, found 'island'"


@pytest.mark.parametrize(
    ("item", "line"),
    [
        # no unit column and no unit: (mutants: the file, where or expected None, dropped or changed)
        ({}, "unit: no unit for EG_i_p; expected a unit column in the file or unit: in the monitoring-period file (e.g. MWh)"),
        # kW is a power, EG_i_p an energy in MWh (mutants: where or file dropped from the conversion)
        ({"unit": "kW"}, "monitored.EG_i_p.unit: unit of the wrong dimension; expected a unit convertible to MWh, found 'kW'"),
    ],
    ids=["no_unit_anywhere", "declared_unit_wrong_dimension"],
)
def test_a_data_file_without_a_unit_column_takes_the_declared_unit_or_is_refused(tmp_path, item, line):
    """monitoring._unit_factor without a unit column: the unit: of the period file, checked."""
    write_csv(tmp_path / "n.csv", ["month", "point", "value"], [["2021-04", "PV-1", 100], ["2021-05", "PV-1", 110]])
    period = _monthly_rows(tmp_path, [], **item)
    period["monitored"]["EG_i_p"]["data"] = "n.csv"
    with pytest.raises(InputError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'n.csv'}: {line}"


def test_a_calibration_tie_lowers_the_value():
    """corrections.calibration_decision: when lowering and raising the value give the same ER_p,
    lower than now, the value is lowered (mutant: ``down < up``, which raises it on a tie).

    ER_p = -|X - 10| at X = 10: now 0; a 5 % error of 100 is 100 x 5 / 100 = 5; X - 5 gives
    -|5 - 10| = -5, X + 5 gives -|15 - 10| = -5: a tie, so (-1, 0, -5)."""
    from jcmwb.engine.corrections import calibration_decision

    assert calibration_decision({"X": {"p": 10.0}}, lambda t: -abs(t["X"]["p"] - 10), "X", "p", 100, 5) == (-1, 0, -5)


def test_the_fill_of_a_meter_adds_up_all_its_gaps():
    """corrections._filled_by_meter: a meter with two gaps (2 and 1 missing values) of a point
    whose largest value is 0.18 was filled with 0.18 x (2 + 1) = 0.54; another meter's gap of
    1 with 0.18 (mutant: ``out.get(None, 0.0)``, which keeps only the meter's last gap, 0.18)."""
    from jcmwb.engine.corrections import _filled_by_meter
    from jcmwb.engine.monitoring import Gap, PointData

    day = dt.datetime(2021, 3, 1)
    gaps = [Gap("PV-1", day, day, 2, "12-hour"), Gap("PV-2", day, day, 1, "12-hour"), Gap("PV-1", day, day, 1, "12-hour")]
    filled = _filled_by_meter(PointData("grid", "grid day", 1.0, rows="pv.csv rows 2-9", gaps=gaps, max_value=0.18))
    assert filled == pytest.approx({"PV-1": 0.54, "PV-2": 0.18})


def test_the_corrections_noise_tolerance_includes_its_edge_and_is_relative():
    """corrections._same and _assert_not_raised: two ER_p values within 1e-9 of the larger (at
    least of 1) are the same, the edge included (mutants: ``<`` for ``<=``, ``>=`` for ``>``), and
    the tolerance grows with the values (mutant: divided by them).

    |0 - 1e-9| = 1e-9 = 1e-9 x max(0, 1e-9, 1): the same; 2e-9 is not. |1e6 - (1e6 + 1e-4)| =
    1e-4 <= 1e-9 x 1e6 = 1e-3: the same (1e-9 / 1e6 = 1e-15 would not be). A correction taking
    ER_p from 0 to 1e-9 = 0 + 1e-9 x 1 does not raise it; to 2e-9 it does."""
    from jcmwb.engine.corrections import _assert_not_raised, _same
    from jcmwb.engine.errors import ConservativenessError

    assert _same(0.0, 1e-9) and not _same(0.0, 2e-9)
    assert _same(1e6, 1e6 + 1e-4)
    _assert_not_raised(0.0, 1e-9, "a gap fill")
    with pytest.raises(ConservativenessError):
        _assert_not_raised(0.0, 2e-9, "a gap fill")


def test_the_sheet_rounding_of_a_share_carries_the_slack_and_unknown_rules_are_named():
    """numbers.excel_rounding and round_whole (mutants: the slack dropped from INT or written in
    lower case, ``nearest`` to 1 decimal by default, the refusal's text None or changed).

    The slack 1e-9 is written as repr(1e-9) = "1e-09" in capitals, "1E-09", as spreadsheets
    write it: down is INT(x+1E-09), up -INT(-(x)+1E-09); without a slack, INT(x) and -INT(-(x));
    nearest without digits is ROUND(x,0)."""
    from jcmwb.engine.numbers import excel_rounding, round_whole

    assert excel_rounding("B2*50/100", "down", slack=1e-9) == "INT(B2*50/100+1E-09)"
    assert excel_rounding("B2*50/100", "up", slack=1e-9) == "-INT(-(B2*50/100)+1E-09)"
    assert (excel_rounding("B2", "down"), excel_rounding("B2", "up"), excel_rounding("B2", "nearest")) == ("INT(B2)", "-INT(-(B2))", "ROUND(B2,0)")
    for rounding in (excel_rounding, round_whole):
        with pytest.raises(ValueError) as info:
            rounding("B2" if rounding is excel_rounding else 2.5, "sideways")
        assert str(info.value) == "unknown rounding rule 'sideways'; expected one of down, up, nearest, none"


def test_a_consumption_register_missing_both_ends_names_both_spans(tmp_path):
    """corrections.apply_corrections (mutant: the gaps joined by "XX; XX"): the refusal lists
    every missing span, joined by "; ". Register readings 100 on 15 January and 400 on 15 March,
    period 1 January to 31 March: the register covers neither the start (1 Jan 00:00) nor the end
    (the period ends at 1 April 00:00, the instant after 31 March), so two spans are missing:
    1 Jan 00:00 to 15 Jan 00:00 and 15 Mar 00:00 to 1 Apr 00:00. Consumption with a COP of 5.2,
    below the reference 5.69, lowers ER_p, so they cannot be left out."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_consumption_register(tmp_path, "2021-03-15T00:00:00"), base_dir=tmp_path)
    assert info.value.found == (
        "C1: 1 missing register span values from 2021-01-01 00:00 to 2021-01-15 00:00; C1: 1 missing register span values from 2021-03-15 00:00 to 2021-04-01 00:00"
    )
    assert info.value.expected == "readings covering the whole period (a reading at its start and at its end)"


def test_a_consumption_point_without_any_value_asks_for_one(tmp_path):
    """corrections.apply_corrections (mutants of the expected text for data other than a
    register: "XX...XX", upper case, or the register's text for every format): a monthly
    consumption point declared but without a month in the file has no largest value to fill its
    gap with, and more consumption lowers ER_p (COP 5.2 below the reference 5.69), so the run is
    refused asking for at least one value. C1 has April 100 and May 110 MWh; C2 nothing: two
    month gaps, 1-30 April and 1-31 May."""
    write_csv(tmp_path / "ec.csv", ["month", "point", "value", "unit"], [["2021-04", "C1", 100, "MWh"], ["2021-05", "C1", 110, "MWh"]])
    period = {
        "methodology": "ID_AM002",
        "project": {"id": "MUTANT-ID"},
        "period": {"start": "2021-04-01", "end": "2021-05-31"},
        "fixed": {"COP_PJ_i": {"values": {"C1": 5.2, "C2": 5.2}, "source": "sheet"}, "Cap_PJ_i": {"values": {"C1": 450, "C2": 450}, "unit": "USRt", "source": "sheet"}},
        "monitored": {"EC_PJ_i_p": {"option": "C", "data": "ec.csv", "format": "monthly", "points": {"C1": "chiller 1", "C2": "chiller 2"}}},
    }
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == (
        f"{tmp_path / 'ec.csv'}: point C2: EC_PJ_i_p at C2 has missing data and more EC_PJ_i_p lowers ER_p, so the gap must be filled conservatively, "
        "which needs the missing readings; expected at least one value to fill from, found "
        "C2: 1 missing month values from 2021-04-01 00:00 to 2021-04-30 00:00; C2: 1 missing month values from 2021-05-01 00:00 to 2021-05-31 00:00"
    )


def test_a_register_series_is_never_filled_with_a_largest_value():
    """corrections.apply_corrections (mutants of ``series.format == "register"``: "XXregisterXX",
    "REGISTER"): a register's gap is a span between readings, not a count of missing values, so
    it is never filled with a largest value times the count, even if the series carried one
    (the register reader gives none today). Called directly with such a series: consumption
    that lowers ER_p (ER = 100 - total) is refused, asking for the readings."""
    from jcmwb.engine.corrections import apply_corrections
    from jcmwb.engine.monitoring import Gap, MonitoredData, PointData

    gap = Gap("C1", dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 15), 1, "register span")
    point = PointData("C1", "chiller", 300.0, rows="ec.csv: rows 2-3", gaps=[gap], max_value=50.0)
    series = MonitoredData("EC", "MWh/p", "C", "register", "ec.csv", {"C1": point})

    class Period:  # what apply_corrections reads of a period: no calibration, no permissible error
        spec = type("Spec", (), {"permissible_error_percent": None})()
        monitored: dict = {}

    with pytest.raises(DataError) as info:
        apply_corrections(Period(), {"EC": series}, {"EC": {"C1": 300.0}}, lambda totals: 100 - totals["EC"]["C1"])
    assert info.value.expected == "readings covering the whole period (a reading at its start and at its end)"
    assert info.value.found == "C1: 1 missing register span values from 2021-01-01 00:00 to 2021-01-15 00:00"


@pytest.mark.parametrize(("after", "raised"), [(1e6 + 1e-4, False), (1e6 + 1e-2, True)])
def test_the_no_raise_check_allows_rounding_noise_relative_to_er(after, raised):
    """corrections._assert_not_raised (mutant: the tolerance ``_EPS / max(...)`` for ``*``): ER_p
    may come out higher by floating-point noise, 1e-9 of ER_p (at least 1e-9 t). ER_p 1,000,000 t:
    1e-4 t more is 1e-10 of it, noise, accepted; 1e-2 t more is 1e-8 of it, refused."""
    from jcmwb.engine.corrections import ConservativenessError, _assert_not_raised

    if raised:
        with pytest.raises(ConservativenessError, match="gap fill would raise ER_p from 1000000.0 to 1000000.01"):
            _assert_not_raised(1e6, after, "gap fill")
    else:
        _assert_not_raised(1e6, after, "gap fill")


class _NoCalibration:
    """What apply_corrections reads of a period: no calibration records, no permissible error."""

    spec = type("Spec", (), {"permissible_error_percent": None})()
    monitored: dict = {}


def _interval_series(points: dict[str, tuple[float, int, float | None]]) -> dict:
    """One interval series 'EC' [MWh/p]: point -> (total, missing hours at the start of 2021, largest value)."""
    from jcmwb.engine.monitoring import Gap, MonitoredData, PointData

    made = {}
    for name, (total, missing, largest) in points.items():
        gaps = [Gap(name, dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 1, missing - 1), missing, "hour")] if missing else []
        made[name] = PointData(name, name, total, rows="ec.csv: rows 2-9", gaps=gaps, max_value=largest)
    return {"EC": MonitoredData("EC", "MWh/p", "C", "interval", "ec.csv", made)}


def test_every_point_of_a_series_gets_its_gap_decision():
    """corrections.apply_corrections (mutant: ``break`` for ``continue`` after a point left
    unfilled for want of a fill): the points after it are still decided. ER = 100 + EC (more EC
    raises ER, so no gap is filled). P1: 2 missing hours, no value at all: left out, no fill
    defined. P2: total 5, 1 missing hour, largest 4: ER = 100 + 0 + 5 = 105 without the fill,
    100 + 0 + (5 + 4) = 109 with it: the lower, 105, is kept."""
    from jcmwb.engine.corrections import apply_corrections

    data = _interval_series({"P1": (0.0, 2, None), "P2": (5.0, 1, 4.0)})
    totals, log, notes = apply_corrections(_NoCalibration(), data, {"EC": {"P1": 0.0, "P2": 5.0}}, lambda t: 100 + sum(t["EC"].values()))
    assert log == [] and totals == {"EC": {"P1": 0.0, "P2": 5.0}}
    assert notes == [
        "EC at P1: 2 missing value(s) left unfilled (no fill is defined for them, and more EC would not lower ER_p, so leaving them out is conservative)",
        "EC at P2: 1 missing value(s) left unfilled (ER_p 105 without them, 109 with the largest observed value 4 filled in: the lower is kept)",
    ]


def test_a_fill_that_changes_nothing_shows_er_to_six_decimals():
    """corrections.apply_corrections (mutants: 7 decimals, or format_number's default, for the
    6 of the ER_p shown): ER_p 58.1234567 whatever EC is, so the fill changes nothing; shown to 6
    decimals, 58.123457 (the 7th, 7, rounds the 6th up)."""
    from jcmwb.engine.corrections import apply_corrections

    data = _interval_series({"P1": (5.0, 1, 4.0)})
    _, log, notes = apply_corrections(_NoCalibration(), data, {"EC": {"P1": 5.0}}, lambda t: 58.1234567)
    assert log == []
    assert notes == ["EC at P1: 1 missing value(s) left unfilled (filled with the largest observed value 4 they would not change ER_p (58.123457), so nothing is invented)"]


def test_a_fill_that_raises_er_after_all_is_refused_naming_it():
    """corrections.apply_corrections (mutant: the assertion's subject None): the fill is chosen
    because ER_p is lower with it, and the trial is then evaluated again; an evaluation that
    disagrees with itself (here: 100, 100, 90 with the fill, then 110) is refused, naming the
    fill, instead of raising ER_p."""
    from jcmwb.engine.corrections import ConservativenessError, apply_corrections

    answers = iter([100.0, 100.0, 90.0, 110.0])
    data = _interval_series({"P1": (5.0, 1, 4.0)})
    with pytest.raises(ConservativenessError) as info:
        apply_corrections(_NoCalibration(), data, {"EC": {"P1": 5.0}}, lambda t: next(answers))
    assert str(info.value).startswith("gap fill of EC at P1 would raise ER_p from 100.0 to 110.0; refused")


def _calibrated(point: str, error_percent: float) -> object:
    """A period stub with one calibration record of meter ``point`` for 'EC' (permissible error 0)."""
    from types import SimpleNamespace

    record = SimpleNamespace(point=point, date=dt.date(2021, 6, 1), error_percent=error_percent)
    return SimpleNamespace(spec=SimpleNamespace(permissible_error_percent=None), monitored={"EC": SimpleNamespace(calibration=[record])})


def _category_series(members: dict[str, tuple[dict[str, float], dict[str, int], float | None]]) -> dict:
    """'EC' [MWh/p] split by day category: member -> (each meter's share, each meter's missing hours, largest value)."""
    from jcmwb.engine.monitoring import Gap, MonitoredData, PointData

    made = {}
    for member, (parts, missing, largest) in members.items():
        gaps = [Gap(meter, dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 1, n - 1), n, "hour") for meter, n in missing.items()]
        made[member] = PointData(member, member, sum(parts.values()), rows="ec.csv: rows 2-9", gaps=gaps, max_value=largest, parts=dict(parts))
    return {"EC": MonitoredData("EC", "MWh/p", "C", "interval", "ec.csv", made)}


def test_a_meters_calibration_in_a_category_includes_only_its_own_fill():
    """corrections.apply_corrections (mutants: the fill of every meter of the category, not the
    calibrated meter's own): ER = 100 - grid (more EC lowers ER). Category grid: meters M1 10 and
    M2 20 MWh, each 1 hour missing, largest value 5: the gap fill adds 5 + 5, grid 30 -> 40.
    M1 is calibrated with an error of +10 %: its share is its 10 metered plus its own 5 filled
    = 15, raised by 10 % (raising lowers ER): grid 40 + 1.5 = 41.5 (with M2's fill too it would
    be 40 + 2 = 42)."""
    from jcmwb.engine.corrections import apply_corrections

    data = _category_series({"grid": ({"M1": 10.0, "M2": 20.0}, {"M1": 1, "M2": 1}, 5.0)})
    totals, log, notes = apply_corrections(_calibrated("M1", 10.0), data, {"EC": {"grid": 30.0}}, lambda t: 100 - t["EC"]["grid"])
    assert totals["EC"]["grid"] == pytest.approx(41.5)
    assert [c.kind for c in log] == ["gap fill", "calibration"]
    assert log[1].reason == (
        "calibration of M1 on 2021-06-01 found an error of +10% (permissible 0%): increased by 10% on the 15 MWh/p metered by M1, "
        "the conservative direction (including the 5 MWh/p filled in for its missing values)"
    )
    assert notes == []


def test_a_meter_that_metered_nothing_in_one_category_is_still_corrected_in_the_next():
    """corrections.apply_corrections (mutant: ``break`` for ``continue`` when the meter's share of
    a category is 0): meter M1 metered 0 on grid days and 10 on diesel days; ER = 100 - grid -
    diesel. Calibrated +10 %: nothing to correct on grid, diesel 10 + 1 = 11."""
    from jcmwb.engine.corrections import apply_corrections

    data = _category_series({"grid": ({"M1": 0.0, "M2": 20.0}, {}, 20.0), "diesel": ({"M1": 10.0}, {}, 10.0)})
    totals, log, notes = apply_corrections(_calibrated("M1", 10.0), data, {"EC": {"grid": 20.0, "diesel": 10.0}}, lambda t: 100 - t["EC"]["grid"] - t["EC"]["diesel"])
    assert totals["EC"] == {"grid": 20.0, "diesel": pytest.approx(11.0)}
    assert [(c.point, c.kind) for c in log] == [("diesel", "calibration")]
    assert notes == []


def test_a_category_where_the_correction_changes_nothing_is_noted_and_the_next_is_corrected():
    """corrections.apply_corrections (mutants: the note None, and ``break`` after it): ER = 100 -
    diesel, so grid does not move ER. Meter M1, 10 MWh on each, calibrated +10 %: on grid neither
    direction changes ER_p (noted), on diesel 10 + 1 = 11."""
    from jcmwb.engine.corrections import apply_corrections

    data = _category_series({"grid": ({"M1": 10.0}, {}, 10.0), "diesel": ({"M1": 10.0}, {}, 10.0)})
    totals, log, notes = apply_corrections(_calibrated("M1", 10.0), data, {"EC": {"grid": 10.0, "diesel": 10.0}}, lambda t: 100 - t["EC"]["diesel"])
    assert totals["EC"] == {"grid": 10.0, "diesel": pytest.approx(11.0)}
    assert [(c.point, c.kind) for c in log] == [("diesel", "calibration")]
    assert notes == ["calibration of M1 on 2021-06-01 (+10%) not applied to EC at grid: neither direction changes ER_p"]


def test_corrections_that_raise_er_together_are_refused_naming_them():
    """corrections.apply_corrections (mutants of the last check's subject: None, "XX...XX", upper
    case): each correction is checked, and then all of them together against ER_p before any.
    An evaluation that disagrees with itself (100 at the start; the calibration's 100 now, 90
    reduced, 110 increased, so it reduces; then 120 for the corrected totals) is refused at that
    last check, naming it."""
    from jcmwb.engine.corrections import ConservativenessError, apply_corrections

    answers = iter([100.0, 100.0, 90.0, 110.0, 120.0])
    data = _interval_series({"M1": (10.0, 0, 10.0)})
    with pytest.raises(ConservativenessError) as info:
        apply_corrections(_calibrated("M1", 10.0), data, {"EC": {"M1": 10.0}}, lambda t: next(answers))
    assert str(info.value).startswith("the corrections together would raise ER_p from 100.0 to 120.0; refused")


def test_a_period_of_no_whole_months_is_refused_in_one_complete_line(tmp_path):
    """monitoring._monthly (mutants of the refusal: its message, file or expected None, dropped,
    "XX...XX" or upper case; the runs joined by "XX, XX"): a period from 15 March to 10 June
    with monthly data. 15-31 March (17 days) and 1-10 June (10 days) are in no whole month of
    the period: 27 days in two runs, joined by ", "."""
    rows = [["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]]
    with pytest.raises(DataError) as refused:
        jcmwb.calculate(_monthly_rows(tmp_path, rows, start="2021-03-15", end="2021-06-10"), base_dir=tmp_path)
    assert refused.value.line() == (
        f"{tmp_path / 'm.csv'}: monitoring period: monthly totals cannot cover a monitoring period that is not made of whole months; "
        "expected a period from the 1st of a month to the last day of a month for monthly data (or interval or daily data), "
        "found 2021-03-15 to 2021-06-10: 27 day(s) in no whole month (2021-03-15..2021-03-31, 2021-06-01..2021-06-10)"
    )


def test_monthly_and_register_data_keep_their_option_format_count_and_descriptions(tmp_path):
    """monitoring._monthly and _register (mutants: the option or the format of the data None, the
    register's reading count None or left out, its point description looked up under None):
    what the sheets and the notebook show of the data is what the period file says. Monthly:
    option B, format monthly, PV-1 "roof" with 2 months. Register: option C, format register,
    MAIN "main meter" with 3 readings."""
    rows = [["2021-04", "PV-1", 100, "MWh"], ["2021-05", "PV-1", 110, "MWh"]]
    monthly = jcmwb.calculate(_monthly_rows(tmp_path, rows, points={"PV-1": "roof"}), base_dir=tmp_path).monitored["EG_i_p"]
    assert (monthly.option, monthly.format, monthly.points["PV-1"].count, monthly.points["PV-1"].description) == ("B", "monthly", 2, "roof")
    readings = [["2021-06-01T00:00:00", "MAIN", 100, "MWh"], ["2021-06-15T00:00:00", "MAIN", 150, "MWh"], ["2021-07-01T00:00:00", "MAIN", 200, "MWh"]]
    period = _register_period(tmp_path, readings)
    period["monitored"]["EG_i_p"]["points"] = {"MAIN": "main meter"}
    register = jcmwb.calculate(period, base_dir=tmp_path).monitored["EG_i_p"]
    assert (register.option, register.format, register.points["MAIN"].count, register.points["MAIN"].description) == ("C", "register", 3, "main meter")
    assert register.points["MAIN"].total == 100


def test_a_register_reading_that_is_no_number_names_the_file(tmp_path):
    """monitoring._register (mutant: the file None in the number check of the readings)."""
    period = _register_period(tmp_path, [["2021-06-01T00:00:00", "MAIN", 100, "MWh"], ["2021-07-01T00:00:00", "MAIN", "ten", "MWh"]])
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == f"{tmp_path / 'register.csv'}: row 3, column reading: not a number; expected a number, found 'ten'"


def test_a_register_without_multipliers_names_the_period_file(tmp_path):
    """monitoring._register (mutants of the file given to require_multipliers: None, str(None),
    or the path's test dropped either way): the refusal names the monitoring-period file when
    there is one, and no file for a period given as a mapping."""
    from jcmwb.engine.period import load_period, parse_period

    period = _register_period(tmp_path, [["2021-06-01T00:00:00", "MAIN", 100, "MWh"], ["2021-07-01T00:00:00", "MAIN", 200, "MWh"]])
    del period["monitored"]["EG_i_p"]["multipliers"]
    tail = "monitored.EG_i_p.multipliers: every point of register data needs its meter multiplier (none is assumed); "
    tail += "expected multipliers: {MAIN: N}, N the CT/PT ratio or register factor (1 if the register shows the quantity itself), found no multipliers; none for MAIN"
    with pytest.raises(InputError) as info:
        jcmwb.calculate(parse_period(period, base_dir=tmp_path), base_dir=tmp_path)
    assert info.value.file is None and info.value.line() == tail
    path = tmp_path / "period.yaml"
    import yaml

    path.write_text(yaml.safe_dump(period), encoding="utf-8")
    with pytest.raises(InputError) as info:
        jcmwb.calculate(load_period(path))
    assert info.value.line() == f"{path}: {tail}"


def _whr_period(tmp_path: Path, days: dict) -> dict:
    """data/examples/MM_AM005 (2022, 365 days) with D_p [day] replaced by ``days``, in tmp_path."""
    import shutil

    import yaml

    example = Path(__file__).resolve().parent.parent / "data" / "examples" / "MM_AM005"
    shutil.copy(example / "whr-supply-2022-monthly.csv", tmp_path)
    period = yaml.safe_load((example / "EXAMPLE-MM001_2022.yaml").read_text(encoding="utf-8"))
    period["monitored"]["D_p"] = {"option": "A", "unit": "day", "source": "test", **days}
    return period


@pytest.mark.parametrize(("days", "refused"), [(366, True), (365 * (1 + 1e-9), False)], ids=["one_day_too_many", "within_the_tolerance"])
def test_a_time_given_in_the_period_file_longer_than_the_period_is_refused(tmp_path, days, refused):
    """monitoring._within_period (mutants of the file named for values typed in the period file:
    str(None), "XX<monitoring period>XX", upper case; and ``>=`` for ``>``): 2022 has 365 days.
    D_p = 366 is refused, naming the period (given as a mapping: "<monitoring period>"); the
    float 365 x (1 + 1e-9), the bound itself (floating-point tolerance), is accepted."""
    period = _whr_period(tmp_path, {"values": {"period": days}})
    if not refused:
        assert jcmwb.calculate(period, base_dir=tmp_path).values["D_p"] == pytest.approx(365)
        return
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == (
        "<monitoring period>: monitored.D_p.values.period: D_p at period is longer than the monitoring period; "
        "expected at most 365 day (365 day(s) from 2022-01-01 to 2022-12-31), found 366 day"
    )


@pytest.mark.parametrize(("january", "refused"), [(32, True), (31 * (1 + 1e-9), False)], ids=["32_days_in_january", "within_the_tolerance"])
def test_a_month_of_a_time_longer_than_its_days_is_refused_naming_the_data_file(tmp_path, january, refused):
    """monitoring._within_period (mutants: the data file replaced by the period's, the file or the
    expected text None or dropped, one day more allowed per month, ``>=`` for ``>``): D_p as
    monthly data, 31 days for each month of 2022 but January given as 32: refused, naming the
    data file and January's 31 days; the float 31 x (1 + 1e-9), January's bound, is accepted.
    December is given 30 days when January has 32, so that the year's total stays 365 and only
    the month is too long (February to November have their own days)."""
    lengths = {1: january, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 30 if january == 32 else 31}
    write_csv(tmp_path / "days.csv", ["month", "point", "value", "unit"], [[f"2022-{m:02d}", "period", v, "day"] for m, v in lengths.items()])
    period = _whr_period(tmp_path, {"data": "days.csv", "format": "monthly"})
    if not refused:
        assert jcmwb.calculate(period, base_dir=tmp_path).values["D_p"] == pytest.approx(365)
        return
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == (
        f"{tmp_path / 'days.csv'}: point period, month 2022-01: D_p at period is longer than the days of 2022-01 in the period; "
        "expected at most 31 day (31 day(s) from 2022-01-01 to 2022-01-31), found 32 day"
    )


def _refused_line(period: dict, base_dir: Path) -> str:
    """The one error line jcmwb.calculate refuses ``period`` with."""
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=base_dir)
    return info.value.line()


def test_a_month_of_hours_longer_than_its_days_names_the_hours(tmp_path):
    """monitoring._within_period (mutant: ``days / per_day`` for ``days * per_day`` in the text):
    a time in hours, ID_AM007's H_p [h], monthly. data/examples/ID_AM007 (2016) with January
    given 745 h: January has 31 days, 31 x 24 = 744 h, so it is refused, naming 744 h (the
    mutant would print 31 / 24 = 1.29167 h). The year, 8,536 + 25 = 8,561 h, is below
    366 x 24 = 8,784 h, so only the month is too long."""
    import shutil

    import yaml

    example = Path(__file__).resolve().parent.parent / "data" / "examples" / "ID_AM007"
    for csv_file in example.glob("*.csv"):
        shutil.copy(csv_file, tmp_path)
    hours = tmp_path / "hours-2016-monthly.csv"
    hours.write_text(hours.read_text(encoding="utf-8").replace("2016-01,BOILER-HOUSE,720,h", "2016-01,BOILER-HOUSE,745,h"), encoding="utf-8")
    period = yaml.safe_load((example / "EXAMPLE-ID007_2016.yaml").read_text(encoding="utf-8"))
    assert _refused_line(period, tmp_path) == (
        f"{hours}: point BOILER-HOUSE, month 2016-01: H_p at BOILER-HOUSE is longer than the days of 2016-01 in the period; "
        "expected at most 744 h (31 day(s) from 2016-01-01 to 2016-01-31), found 745 h"
    )


def _interval_period(tmp_path: Path, rows: list[list], start: str = "2021-03-31", end: str = "2021-05-01", **item) -> dict:
    """TH_AM001 with EG_i_p [MWh] as interval data in pv.csv (timestamp, point, value, unit)."""
    return _th_file_period(tmp_path, "pv.csv", ["timestamp", "point", "value", "unit"], rows, (start, end), {"option": "C", "format": "interval", **item})


@pytest.mark.parametrize("interval", ["fifteen minutes", "nan"], ids=["unreadable", "no_duration"])
def test_a_bad_interval_is_one_line_naming_the_period_file(tmp_path, interval):
    """monitoring._interval (mutants of both ``bad interval`` refusals: the message, the file,
    where, expected or found None, dropped or changed): an interval pandas cannot read, and
    'nan', which it reads as no duration at all, are refused naming the key of the period file,
    "<monitoring period>" for a period given as a mapping (it said "None" before)."""
    import yaml

    period = _interval_period(tmp_path, [["2021-04-01T00:00:00", "PV-1", 1, "MWh"]], interval=interval)
    tail = f"monitored.EG_i_p.interval: bad interval; expected like 15min or 1h, found {interval!r}"
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
    assert info.value.line() == f"<monitoring period>: {tail}"
    path = tmp_path / "period.yaml"
    path.write_text(yaml.safe_dump(period), encoding="utf-8")
    with pytest.raises(DataError) as info:
        jcmwb.calculate(path)
    assert info.value.line() == f"{path}: {tail}"


def test_an_inferred_interval_too_short_for_the_period_names_the_data_file(tmp_path):
    """monitoring._interval (mutant: no file given to _check_intervals): two values one second
    apart, no interval: in the period file, so the step is inferred (1 s) and the data file and
    its timestamp column are named. 2021 has 365 x 86,400 = 31,536,000 one-second intervals,
    over max(1,000,000, 2 x 2 rows) = 1,000,000; 31,536,000 / 1,000,000 = 31.5, so 32 s or longer."""
    rows = [["2021-01-01T00:00:00", "PV-1", 1, "MWh"], ["2021-01-01T00:00:01", "PV-1", 1, "MWh"]]
    assert _refused_line(_interval_period(tmp_path, rows, start="2021-01-01", end="2021-12-31"), tmp_path) == (
        f"{tmp_path / 'pv.csv'}: column timestamp: too many intervals in the period for the data given; "
        "expected at most 1,000,000 intervals per point from 2021-01-01 to 2021-12-31, i.e. an interval of 32 s or longer, "
        "found 31,536,000 intervals of 1-second (the most common step between timestamps)"
    )


# Daily values of three points from 31 March to 1 May 2021 (32 days: 1 in March, 30 in April,
# 1 in May), points interleaved; file rows 2-12. C has no value inside the period.
THREE_POINTS = [
    ["2021-03-30T00:00:00", "A", 5, "MWh"],   # row 2, A, before the period
    ["2021-03-31T00:00:00", "B", 1, "MWh"],   # row 3
    ["2021-03-31T00:00:00", "A", 10, "MWh"],  # row 4
    ["2021-04-01T00:00:00", "A", 20, "MWh"],  # row 5
    ["2021-04-10T00:00:00", "B", 3, "MWh"],   # row 6
    ["2021-04-15T00:00:00", "A", 30, "MWh"],  # row 7
    ["2021-05-05T00:00:00", "C", 9, "MWh"],   # row 8, C, after the period
    ["2021-05-01T00:00:00", "B", 2, "MWh"],   # row 9
    ["2021-05-01T00:00:00", "A", 40, "MWh"],  # row 10
    ["2021-05-02T00:00:00", "B", 7, "MWh"],   # row 11, B, after
    ["2021-05-03T00:00:00", "B", 8, "MWh"],   # row 12, B, after
]  # fmt: skip


def test_interval_points_keep_their_own_months_counts_and_exclusions(tmp_path):
    """monitoring._interval, several points over months not starting in January (mutants of the
    monthly totals' keys: the first month from the second interval, the month count from the
    second or last-but-one interval, ``-`` or ``/`` in the key, ``/`` for ``//`` back; a point's
    count and exclusions as ``hi + lo``; the bincount of the kept rows without its length; the
    point, its description and its monthly totals looked up under None).

    By hand, 1-day intervals from 2021-03-31 (the period's first interval is the last of March,
    its last the first of May; every month number relative to March):
      A: 10 (03-31) | 20 + 30 (04) | 40 (05-01): total 100, monthly 03: 10, 04: 50, 05: 40;
         4 rows inside (4, 5, 7, 10), row 2 before the period: excluded 1; gaps 2-14 April (13)
         and 16-30 April (15)
      B: 1 | 3 | 2: total 6, monthly 03: 1, 04: 3, 05: 2; 3 rows (3, 6, 9), rows 11 and 12
         after: excluded 2
      C: nothing inside: total 0, no months, count 0, excluded 1, the whole 32 days a gap
    No points: are declared, so each point's description is its name.
    """
    result = jcmwb.calculate(_interval_period(tmp_path, THREE_POINTS, interval="1D"), base_dir=tmp_path)
    points = result.monitored["EG_i_p"].points
    a, b, c = points["A"], points["B"], points["C"]
    assert (a.monthly, b.monthly, c.monthly) == ({"2021-03": 10, "2021-04": 50, "2021-05": 40}, {"2021-03": 1, "2021-04": 3, "2021-05": 2}, {})
    assert (a.total, b.total, c.total) == (100, 6, 0)
    assert (a.count, b.count, c.count) == (4, 3, 0)
    assert (a.excluded, b.excluded, c.excluded) == (1, 2, 1)
    assert (a.expected, b.expected, c.expected) == (32, 32, 32)
    assert (a.rows, b.rows, c.rows) == ("pv.csv rows 4-10", "pv.csv rows 3-9", "pv.csv: no rows")
    assert [(p.point, p.description) for p in points.values()] == [("A", "A"), ("B", "B"), ("C", "C")]
    assert [g.describe() for g in a.gaps] == [
        "A: 13 missing 1-day values from 2021-04-02 00:00 to 2021-04-14 00:00",
        "A: 15 missing 1-day values from 2021-04-16 00:00 to 2021-04-30 00:00",
    ]
    assert [g.describe() for g in c.gaps] == ["C: 32 missing 1-day values from 2021-03-31 00:00 to 2021-05-01 00:00"]
    assert result.values["EG_i_p"] == {"A": 100, "B": 6, "C": 0}


def test_a_declared_interval_point_missing_from_the_file_excludes_nothing(tmp_path):
    """monitoring._interval (mutant: ``else 1`` for the exclusions of a point the file does not
    have): points A "roof array" and D "carport" declared, the file has A only (rows 2-3, one
    before the period): A counts 1 row and excludes 1; D has no row at all, so it excludes 0,
    counts 0 and keeps its declared description."""
    rows = [["2021-03-30T00:00:00", "A", 5, "MWh"], ["2021-04-01T00:00:00", "A", 20, "MWh"]]
    period = _interval_period(tmp_path, rows, interval="1D", points={"A": "roof array", "D": "carport"})
    result = jcmwb.calculate(period, base_dir=tmp_path)
    a, d = result.monitored["EG_i_p"].points["A"], result.monitored["EG_i_p"].points["D"]
    assert (a.count, a.excluded, a.description, d.count, d.excluded, d.description) == (1, 1, "roof array", 0, 0, "carport")


def test_day_category_counts_and_points_without_data_are_named(tmp_path):
    """monitoring._by_category and _interval (mutants: a category's count from 1, ``=`` or
    ``-=`` for ``+=``, None or left out; the note of points without data: not computed, for a
    count of 1, None, ``-``, changed text, None or "XX, XX" joined; _daily's count, expected
    days, format and file None or changed).

    CATEGORY_DAYS and CATEGORY_ROWS above, with PV-1 to PV-4 declared and the file holding PV-1
    and PV-2 only. Rows by category: grid 27 Feb PV-2 2 + 1 Mar PV-1 2 + PV-2 1 = 5; diesel
    28 Feb 2 + 2 and 2 Mar 2 + 2 = 8. The days: 2 grid and 2 diesel of the 4 in the period.
    """
    points = {"PV-1": "east roof", "PV-2": "west roof", "PV-3": "carport", "PV-4": "warehouse"}
    result = jcmwb.calculate(_category_period(tmp_path, points=points), base_dir=tmp_path)
    energy = result.monitored["EG_k_p"]
    assert (energy.points["grid"].count, energy.points["diesel"].count) == (5, 8)
    assert "no data inside the period for PV-3, PV-4" in energy.notes
    days = result.monitored["D_k_p"]
    assert (days.format, days.file) == ("daily", str(tmp_path / "days.csv"))
    assert [(p.count, p.expected) for p in days.points.values()] == [(2, 4), (2, 4)]


def test_a_points_total_is_the_same_float_with_or_without_other_points(tmp_path):
    """monitoring._interval (mutants: the rows ordered by point with numpy's default quicksort,
    ``kind=None`` or no kind, instead of a stable sort): each point's values are added in file
    order, so a point's total is the same float, to the last bit, whether other points' rows
    are interleaved with it or not (a TPE splitting a file gets the same numbers). Quicksort
    reorders the 200 rows of A among B's, and the sum of 200 values around 1e5 with three
    decimals then differs in its last bits.

    A's values are k x 104729 mod 99991 + k / 1000 MWh for k = 0..199 (hourly from 1 June 2021),
    B's k x 7919 mod 99989 + 0.5; A's total is, to within rounding, their exact sum (math.fsum)."""
    import math

    a = [(k * 104729) % 99991 + k / 1000 for k in range(200)]
    b = [(k * 7919) % 99989 + 0.5 for k in range(200)]
    stamps = [(dt.datetime(2021, 6, 1) + dt.timedelta(hours=k)).isoformat() for k in range(200)]
    mixed = [row for k in range(200) for row in ([stamps[k], "B", b[k], "MWh"], [stamps[k], "A", a[k], "MWh"])]
    alone = [[stamps[k], "A", a[k], "MWh"] for k in range(200)]
    totals = []
    for rows in (mixed, alone):
        period = _interval_period(tmp_path, rows, start="2021-06-01", end="2021-06-09", interval="1h")
        totals.append(jcmwb.calculate(period, base_dir=tmp_path).monitored["EG_i_p"].points["A"].total)
    assert totals[0] == totals[1]
    assert totals[0] == pytest.approx(math.fsum(a), rel=1e-12)
