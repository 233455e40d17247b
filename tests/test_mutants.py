"""Tests written to kill mutants that survived `make mutate` (docs/mutation.md).

Each test names the function and the mutation it catches; the expected values are derived by
hand in its docstring or comments, not read from the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_csv

import jcmwb
from jcmwb.engine.errors import DataError


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
    write_csv(tmp_path / "days.csv", ["date", "category"], CATEGORY_DAYS)
    write_csv(tmp_path / "pv.csv", ["timestamp", "point", "value"], CATEGORY_ROWS)
    period = {
        "methodology": "KH_AM002",
        "project": {"id": "MUTANT-KH"},
        "period": {"start": "2021-02-27", "end": "2021-03-02"},
        "monitored": {
            "D_k_p": {"option": "C", "data": "days.csv", "format": "daily"},
            "EG_k_p": {"option": "C", "data": "pv.csv", "format": "interval", "interval": "12h", "unit": "kWh"},
        },
    }
    result = jcmwb.calculate(period, base_dir=tmp_path)
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
    write_csv(tmp_path / "days.csv", ["date", "category"], rows)
    return {
        "methodology": "KH_AM002",
        "project": {"id": "MUTANT-KH"},
        "period": {"start": "2021-03-01", "end": "2021-03-02"},
        "monitored": {
            "D_k_p": {"option": "C", "data": "days.csv", "format": "daily"},
            "EG_k_p": {"option": "C", "unit": "MWh", "values": {"grid": 1, "diesel": 1}},
        },
    }


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


def test_a_consumption_register_span_asks_for_the_missing_readings(tmp_path):
    """corrections on register data (mutants of monitoring._register: the format or the file of
    the data dropped): a consumption register whose first reading is after the start cannot be
    left out conservatively when more consumption lowers ER_p (a COP of 5.2, below the reference
    5.69: RE_p grows by EC x 5.2 / 5.69 x 0.8, PE_p by EC x 0.8), and the error names the file and
    what is needed."""
    write_csv(tmp_path / "ec.csv", ["timestamp", "point", "reading", "unit"], [["2021-01-15T00:00:00", "C1", 100, "MWh"], ["2021-04-01T00:00:00", "C1", 400, "MWh"]])
    period = {
        "methodology": "ID_AM002",
        "project": {"id": "MUTANT-ID"},
        "period": {"start": "2021-01-01", "end": "2021-03-31"},
        "fixed": {"COP_PJ_i": {"values": {"C1": 5.2}, "source": "sheet"}, "Cap_PJ_i": {"values": {"C1": 450}, "unit": "USRt", "source": "sheet"}},
        "monitored": {"EC_PJ_i_p": {"option": "C", "data": "ec.csv", "format": "register", "multipliers": {"C1": 1}}},
    }
    with pytest.raises(DataError) as info:
        jcmwb.calculate(period, base_dir=tmp_path)
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
