"""jcmwb.engine.monitoring: data files -> per-point period totals, gaps, source rows."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import th_period, with_data, write_csv

from jcmwb.engine.errors import DataError, InputError
from jcmwb.engine.monitoring import read_monitored
from jcmwb.engine.period import parse_period

HOURS = [f"2021-01-01 {h:02d}:00" for h in range(24)]


def read(tmp_path, rows, header=("timestamp", "point", "value"), name="gen.csv", **item):
    write_csv(tmp_path / name, list(header), rows)
    start = item.pop("start", "2021-01-01")
    end = item.pop("end", "2021-01-01")
    item.setdefault("unit", "kWh")
    raw = with_data(th_period(start=start, end=end), "EG_i_p", name, **item)
    if item.get("unit") is None:
        raw["monitored"]["EG_i_p"].pop("unit")
    period = parse_period(raw, base_dir=tmp_path)
    return read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)


# -- interval data -----------------------------------------------------------------------------------
def test_interval_totals(tmp_path):
    rows = [[t, "PV-1", 100 * h] for h, t in enumerate(HOURS)]
    data = read(tmp_path, rows)
    point = data.points["PV-1"]
    # 100 x (0 + 1 + ... + 23) = 100 x 276 = 27600 kWh = 27.6 MWh
    assert point.total == pytest.approx(27.6, rel=1e-12)
    assert (point.count, point.expected, point.gaps, point.excluded) == (24, 24, [], 0)
    assert point.max_value == pytest.approx(2.3)  # 2300 kWh
    assert point.rows == "gen.csv rows 2-25"
    assert point.monthly == pytest.approx({"2021-01": 27.6})
    assert data.interval == "1-hour"
    assert (data.unit, data.option, data.format) == ("MWh/p", "C", "interval")
    assert data.notes == []


def test_interval_gap_is_reported_not_invented(tmp_path):
    missing = {10, 11, 15}
    rows = [[t, "PV-1", 1000] for h, t in enumerate(HOURS) if h not in missing]
    data = read(tmp_path, rows)
    point = data.points["PV-1"]
    # 21 present hours x 1000 kWh = 21 MWh: the 3 missing hours are not filled
    assert point.total == pytest.approx(21.0)
    assert point.missing == 3
    assert [(g.start, g.end, g.missing) for g in point.gaps] == [
        (dt.datetime(2021, 1, 1, 10), dt.datetime(2021, 1, 1, 11), 2),
        (dt.datetime(2021, 1, 1, 15), dt.datetime(2021, 1, 1, 15), 1),
    ]
    assert point.gaps[0].describe() == "PV-1: 2 missing 1-hour values from 2021-01-01 10:00 to 2021-01-01 11:00"
    assert data.gaps == point.gaps


def test_interval_rows_outside_the_period_are_excluded_and_counted(tmp_path):
    rows = [["2020-12-31 23:00", "PV-1", 999]] + [[t, "PV-1", 1] for t in HOURS] + [["2021-01-02 00:00", "PV-1", 999]]
    data = read(tmp_path, rows)
    point = data.points["PV-1"]
    assert point.total == pytest.approx(0.024)  # 24 x 1 kWh
    assert point.excluded == 2
    assert point.rows == "gen.csv rows 3-26"
    assert data.notes == ["2 value(s) outside the period 2021-01-01 to 2021-01-01 excluded"]


@pytest.mark.parametrize(
    ("stamps", "label"),
    [
        (["2021-01-01 00:00", "2021-01-01 00:15", "2021-01-01 00:30"], "15-minute"),
        (["2021-01-01 00:00", "2021-01-01 06:00", "2021-01-01 12:00"], "6-hour"),
        (["2021-01-01", "2021-01-02", "2021-01-03"], "1-day"),
    ],
)
def test_interval_is_inferred_from_the_data(tmp_path, stamps, label):
    data = read(tmp_path, [[s, "PV-1", 1] for s in stamps], end="2021-01-03")
    assert data.interval == label


def test_interval_given_overrides_inference(tmp_path):
    # readings every 2 hours, but the meter interval is 1 hour: half the hours are missing
    rows = [[t, "PV-1", 1] for h, t in enumerate(HOURS) if h % 2 == 0]
    data = read(tmp_path, rows, interval="1h")
    assert data.points["PV-1"].missing == 12
    assert data.points["PV-1"].expected == 24


def test_bad_interval(tmp_path):
    with pytest.raises(DataError) as info:
        read(tmp_path, [[t, "PV-1", 1] for t in HOURS], interval="often")
    assert (info.value.where, info.value.found) == ("monitored.EG_i_p.interval", "'often'")


def test_unit_column_per_row(tmp_path):
    rows = [["2021-01-01 00:00", "PV-1", 500, "kWh"], ["2021-01-01 01:00", "PV-1", 1, "MWh"], ["2021-01-01 02:00", "PV-1", 0.5, "MWh/p"]]
    data = read(tmp_path, rows, header=("timestamp", "point", "value", "unit"), unit=None)
    # 500 kWh + 1 MWh + 0.5 MWh = 2 MWh
    assert data.points["PV-1"].total == pytest.approx(2.0)


def test_empty_unit_cell_takes_the_declared_unit(tmp_path):
    rows = [["2021-01-01 00:00", "PV-1", 500, ""], ["2021-01-01 01:00", "PV-1", 700, "kWh"]]
    data = read(tmp_path, rows, header=("timestamp", "point", "value", "unit"), unit="kWh")
    assert data.points["PV-1"].total == pytest.approx(1.2)  # (500 + 700) kWh


def test_no_unit_anywhere(tmp_path):
    with pytest.raises(DataError) as info:
        read(tmp_path, [[t, "PV-1", 1] for t in HOURS], unit=None)
    assert info.value.message == "no unit for EG_i_p"
    rows = [["2021-01-01 00:00", "PV-1", 1, ""], ["2021-01-01 01:00", "PV-1", 1, "kWh"]]
    with pytest.raises(DataError) as info:
        read(tmp_path, rows, header=("timestamp", "point", "value", "unit"), unit=None)
    assert info.value.where == "row 2, column unit"


def test_declared_point_without_data_is_noted(tmp_path):
    data = read(tmp_path, [[t, "PV-1", 1] for t in HOURS], points={"PV-1": "a", "PV-2": "b"})
    assert data.points["PV-2"].total == 0.0
    assert data.points["PV-2"].count == 0
    assert data.points["PV-2"].missing == 24
    assert data.points["PV-2"].rows == "gen.csv: no rows"
    assert "no data inside the period for PV-2" in data.notes
    assert data.points["PV-1"].description == "a"


def test_whitespace_and_header_case(tmp_path):
    path = tmp_path / "gen.csv"
    path.write_text("Timestamp, Point ,VALUE\n2021-01-01 00:00, PV-1 , 5\n2021-01-01 01:00,PV-1,7\n", encoding="utf-8")
    raw = with_data(th_period(start="2021-01-01", end="2021-01-01"), "EG_i_p", "gen.csv", unit="kWh")
    period = parse_period(raw, base_dir=tmp_path)
    data = read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)
    assert data.points["PV-1"].total == pytest.approx(0.012)  # 5 + 7 kWh


def test_xlsx(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["timestamp", "point", "value"])
    for h, t in enumerate(HOURS[:4]):
        sheet.append([t, "PV-1", 250 * h])
    book.save(tmp_path / "gen.xlsx")
    raw = with_data(th_period(start="2021-01-01", end="2021-01-01"), "EG_i_p", "gen.xlsx", unit="kWh")
    period = parse_period(raw, base_dir=tmp_path)
    data = read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)
    assert data.points["PV-1"].total == pytest.approx(1.5)  # 0 + 250 + 500 + 750 kWh
    assert data.points["PV-1"].missing == 20


def test_unsupported_file_type(tmp_path):
    (tmp_path / "gen.json").write_text("{}", encoding="utf-8")
    raw = with_data(th_period(), "EG_i_p", "gen.json", unit="kWh")
    period = parse_period(raw, base_dir=tmp_path)
    with pytest.raises(DataError) as info:
        read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)
    assert (info.value.message, info.value.expected, info.value.found) == ("unsupported data file type", ".csv or .xlsx", "'.json'")


# -- register readings ---------------------------------------------------------------------------------
def test_register_difference_times_multiplier_split_by_month(tmp_path):
    rows = [["2021-01-01 00:00", "M1", 1000], ["2021-02-01 00:00", "M1", 1100], ["2021-03-01 00:00", "M1", 1250.5]]
    data = read(tmp_path, rows, header=("timestamp", "point", "reading"), format="register", multipliers={"M1": 40}, start="2021-01-01", end="2021-02-28")
    point = data.points["M1"]
    # (1250.5 - 1000) x 40 = 10020 kWh = 10.02 MWh ; January (1100-1000) x 40 = 4 MWh, February 150.5 x 40 = 6.02 MWh
    assert point.total == pytest.approx(10.02, rel=1e-12)
    assert point.monthly == pytest.approx({"2021-01": 4.0, "2021-02": 6.02}, rel=1e-12)
    assert point.gaps == []  # first reading at the start, last at the end (1 March 00:00)
    assert data.notes == ["M1: register difference multiplied by 40"]


def test_register_span_shorter_than_the_period_is_a_gap(tmp_path):
    rows = [["2021-01-03 00:00", "M1", 0], ["2021-01-20 00:00", "M1", 50]]
    data = read(tmp_path, rows, header=("timestamp", "point", "reading"), format="register", start="2021-01-01", end="2021-01-31", multipliers={"M1": 1})
    point = data.points["M1"]
    assert point.total == pytest.approx(0.05)  # 50 kWh, nothing extrapolated
    assert [(g.start, g.end, g.interval) for g in point.gaps] == [
        (dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 3), "register span"),
        (dt.datetime(2021, 1, 20), dt.datetime(2021, 2, 1), "register span"),
    ]


def test_register_point_without_multiplier(tmp_path):
    rows = [["2021-01-01 00:00", "M1", 0], ["2021-01-02 00:00", "M1", 5], ["2021-01-01 00:00", "M2", 0], ["2021-01-02 00:00", "M2", 5]]
    with pytest.raises(InputError) as info:
        read(tmp_path, rows, header=("timestamp", "point", "reading"), format="register", multipliers={"M1": 2})
    assert (info.value.where, info.value.found) == ("monitored.EG_i_p.multipliers", "no multiplier for M2")


# -- monthly totals ------------------------------------------------------------------------------------
def test_monthly_totals_missing_month_and_month_outside(tmp_path):
    rows = [["2020-12", "M1", 999], ["2021-01", "M1", 1000], ["2021-03", "M1", 3000.5]]
    data = read(tmp_path, rows, header=("month", "point", "value"), format="monthly", start="2021-01-01", end="2021-03-31")
    point = data.points["M1"]
    # January + March = 4000.5 kWh = 4.0005 MWh; February missing; December 2020 outside the period
    assert point.total == pytest.approx(4.0005, rel=1e-12)
    assert point.monthly == pytest.approx({"2021-01": 1.0, "2021-03": 3.0005})
    assert [(g.start, g.end, g.interval) for g in point.gaps] == [(dt.datetime(2021, 2, 1), dt.datetime(2021, 2, 28), "month")]
    assert (point.count, point.expected, point.excluded) == (2, 3, 1)
    assert data.notes == ["1 month(s) outside the period excluded"]
    assert data.interval == "month"


def test_monthly_duplicate_month(tmp_path):
    rows = [["2021-01", "M1", 1], ["2021-01", "M1", 2]]
    with pytest.raises(DataError) as info:
        read(tmp_path, rows, header=("month", "point", "value"), format="monthly", start="2021-01-01", end="2021-01-31")
    assert info.value.where == "row 3"
    assert "month 2021-01, point M1 again (first at row 2)" in info.value.found


# -- typed values ----------------------------------------------------------------------------------------
def test_typed_values_are_converted():
    period = parse_period(th_period({"PV-1": 2500.0, "PV-2": 0.0}, unit="kWh", points={"PV-1": "roof", "PV-2": "car park"}))
    data = read_monitored(period.monitored["EG_i_p"], period.spec.parameters["EG_i_p"], period)
    assert data.points["PV-1"].total == pytest.approx(2.5)  # 2500 kWh
    assert data.points["PV-2"].total == 0.0
    assert data.points["PV-1"].rows == "monitored.EG_i_p.values.PV-1 in <monitoring period>"
    assert data.points["PV-1"].description == "roof"
    assert data.format == "values"
    assert data.gaps == []
