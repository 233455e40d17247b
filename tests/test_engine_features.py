"""Engine features added for issue 3 (part A), each generic, documented in methodologies/README.md:

- day categories: a monitored category parameter (``categories``, data ``format: daily``), a
  parameter ``split_by`` it (interval data totalled per category of the day), and defaults with
  one dated value per category (``values: {category: [...]}``); rendered in the MRS and the
  notebook (sections 2.8 and 4.5);
- a literal ``0`` fits any unit in the formula language (``max(x, 0)``, ``x > 0``), section 2.5;
- a monitored number of days (or hours) typed in the period file (``values`` with a unit).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import CASES, ROOT, write_csv

import jcmwb
from jcmwb.engine.errors import DataError, FormulaError, InputError, SpecError
from jcmwb.engine.formulas import Formula, Symbol
from jcmwb.engine.period import parse_period
from jcmwb.engine.spec import load_spec, parse_spec
from jcmwb.run import show as report
from jcmwb.sheets.recalc import cell_values, formula_cells, recalculate, soffice
from jcmwb.sheets.workbook import CALC_SHEET, INPUT_SHEET, write_workbook

MINE = ("KH_AM002", "MV_AM001", "ID_AM017", "PH_AM001", "MM_AM005", "MN_AM001", "MN_PM_HOB")

# A minimal methodology with day categories: the number of days per category (D_k_p), the PV
# output split by the category of its day (EG_k_p) and an emission factor per category.
SPEC = {
    "id": "XX_AM902",
    "title": "Test methodology with day categories",
    "family": "renewable_power",
    "sectoral_scope": 1,
    "country": "XX",
    "versions": [{"version": "01.0", "approved": dt.date(2020, 1, 1)}],
    "indices": {"k": "day category"},
    "parameters": {
        "D_k_p": {
            "symbol": "D_{k,p}",
            "description": "Days of category k",
            "unit": "day",
            "kind": "monitored",
            "index": "k",
            "options": ["C"],
            "categories": {"grid": "grid day", "diesel": "off-grid diesel day"},
        },
        "EG_k_p": {
            "symbol": "EG_{k,p}",
            "description": "PV output on days of category k",
            "unit": "MWh/p",
            "kind": "monitored",
            "index": "k",
            "split_by": "D_k_p",
            "options": ["C"],
        },
        "EF_k": {
            "symbol": "EF_k",
            "description": "Emission factor of category k",
            "unit": "tCO2/MWh",
            "kind": "fixed_default",
            "index": "k",
            "values": {
                "grid": [{"from": dt.date(2020, 1, 1), "value": 0.5, "status": "confirmed", "source": "test grid"}],
                "diesel": [{"from": dt.date(2020, 1, 1), "value": 0.8, "status": "provisional", "source": "test diesel"}],
            },
        },
    },
    "equations": {
        "ER_p": {
            "symbol": "ER_p",
            "description": "ER",
            "formula": "RE_p",
            "unit": "tCO2/p",
            "block": "emission_reductions",
            "rounding": "down",
            "floor_at_zero": True,
        },
        "RE_p": {"symbol": "RE_p", "description": "RE", "formula": "sum(EG_k_p * EF_k, k)", "unit": "tCO2/p", "block": "reference"},
    },
    "result": "ER_p",
}


def spec(change=None):
    raw = copy.deepcopy(SPEC)
    if change:
        change(raw)
    return parse_spec(raw, file="test.yaml")


def spec_error(change) -> SpecError:
    with pytest.raises(SpecError) as info:
        spec(change)
    return info.value


def write_days(folder: Path, days: dict[str, str], name: str = "days.csv") -> str:
    write_csv(folder / name, ["date", "category"], [[d, c] for d, c in days.items()])
    return name


def write_energy(folder: Path, rows: list[tuple[str, str, float]], name: str = "energy.csv") -> str:
    write_csv(folder / name, ["timestamp", "point", "value", "unit"], [[t, p, v, "kWh"] for t, p, v in rows])
    return name


def period(folder: Path, *, days: str = "days.csv", energy: str = "energy.csv", start: str = "2021-03-01", end: str = "2021-03-03", **eg) -> dict:
    return {
        "methodology": "XX_AM902",
        "project": {"id": "T"},
        "period": {"start": start, "end": end},
        "monitored": {
            "D_k_p": {"option": "C", "data": days},
            "EG_k_p": {"option": "C", "data": energy, "interval": "12h", **eg},
        },
    }


def calc(raw: dict, folder: Path, the_spec=None) -> jcmwb.Result:
    return jcmwb.calculate(parse_period(raw, spec=the_spec or spec(), base_dir=folder))


THREE_DAYS = {"2021-03-01": "grid", "2021-03-02": "diesel", "2021-03-03": "grid"}
ENERGY = [
    ("2021-03-01T00:00", "PV-1", 0), ("2021-03-01T12:00", "PV-1", 1000),
    ("2021-03-02T00:00", "PV-1", 0), ("2021-03-02T12:00", "PV-1", 800),
    ("2021-03-03T00:00", "PV-1", 0), ("2021-03-03T12:00", "PV-1", 1200),
    ("2021-03-01T00:00", "PV-2", 0), ("2021-03-01T12:00", "PV-2", 500),
    ("2021-03-02T00:00", "PV-2", 0), ("2021-03-02T12:00", "PV-2", 400),
    ("2021-03-03T00:00", "PV-2", 0), ("2021-03-03T12:00", "PV-2", 600),
]  # fmt: skip


@pytest.fixture
def folder(tmp_path) -> Path:
    write_days(tmp_path, THREE_DAYS)
    write_energy(tmp_path, ENERGY)
    return tmp_path


# -- the spec -----------------------------------------------------------------------------------
def test_spec_reads_categories_split_and_values_per_category():
    s = spec()
    assert list(s.parameters["D_k_p"].categories) == ["grid", "diesel"]
    assert s.parameters["D_k_p"].categories["diesel"].en == "off-grid diesel day"
    assert s.parameters["EG_k_p"].split_by == "D_k_p"
    choice = s.parameters["EF_k"].choices["default"]
    assert {m: [v.value for v in vs] for m, vs in choice.members.items()} == {"grid": [0.5], "diesel": [0.8]}
    assert s.provisional_defaults() == ["EF_k"]  # one member is provisional


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda r: r["parameters"]["EG_k_p"].update(split_by="EF_k"), "parameters.EG_k_p.split_by", "must name a monitored parameter with categories"),
        (lambda r: r["parameters"]["EG_k_p"].update(split_by="NOPE"), "parameters.EG_k_p.split_by", "must name a monitored parameter with categories"),
        (lambda r: r["parameters"]["EG_k_p"].update(index="i"), "parameters.EG_k_p.index", "indexed by its categories"),
        (lambda r: r["parameters"]["D_k_p"].pop("index"), "parameters.D_k_p.index", "needs an index"),
        (lambda r: r["parameters"]["D_k_p"].update(unit="MWh"), "parameters.D_k_p.unit", "counts days"),
        (lambda r: r["parameters"]["D_k_p"].update(categories={}), "parameters.D_k_p.categories", "expected a mapping"),
        (lambda r: r["parameters"]["D_k_p"]["categories"].update({"bad name": "x"}), "parameters.D_k_p.categories.bad name", "bad category name"),
        (lambda r: r["parameters"]["EF_k"].update(categories={"a": "b"}), "parameters.EF_k.categories", "monitored parameters only"),
        (lambda r: r["parameters"]["EF_k"].update(split_by="D_k_p"), "parameters.EF_k.split_by", "monitored parameters only"),
        (lambda r: r["parameters"]["EF_k"]["values"].pop("diesel"), "parameters.EF_k.values", "exactly the categories of D_k_p"),
        (lambda r: r["parameters"]["EF_k"].update(index=None), "parameters.EF_k.values", "need an index whose members are categories"),
        (lambda r: r["parameters"].update(D2={**copy.deepcopy(r["parameters"]["D_k_p"])}), "parameters.D2.index", "already has categories"),
    ],
)
def test_spec_errors(change, where, message):
    error = spec_error(change)
    assert error.where == where
    assert message in error.message


def test_shipped_kh_am002_uses_the_feature():
    s = load_spec("KH_AM002")
    assert s.parameters["D_k_p"].categories and s.parameters["EG_k_p"].split_by == "D_k_p"
    assert set(s.parameters["EF_RE_k"].choices["default"].members) == {"grid", "diesel"}


# -- the period file and the daily data ---------------------------------------------------------
def test_split_totals_parts_and_days(folder):
    result = calc(period(folder), folder)
    assert result.values["D_k_p"] == {"grid": 2.0, "diesel": 1.0}
    # grid days 03-01 and 03-03: PV-1 1000 + 1200, PV-2 500 + 600 = 3300 kWh; diesel day: 800 + 400 = 1200 kWh
    assert result.values["EG_k_p"] == {"grid": 3.3, "diesel": 1.2}
    grid = result.monitored["EG_k_p"].points["grid"]
    assert grid.parts == {"PV-1": pytest.approx(2.2), "PV-2": pytest.approx(1.1)}
    assert grid.description == "grid day"
    assert result.monitored["D_k_p"].points["diesel"].detail == "diesel days: 2021-03-02"
    assert result.values["EF_k"] == {"grid": 0.5, "diesel": 0.8}
    assert result.fixed["EF_k"].status == "provisional"  # any provisional member makes the default provisional
    assert result.fixed["EF_k"].source == "grid: test grid; diesel: test diesel"
    # RE = 3.3 x 0.5 + 1.2 x 0.8 = 1.65 + 0.96 = 2.61 -> ER 2
    assert result.values["RE_p"] == pytest.approx(2.61)
    assert result.er == 2
    assert any("PROVISIONAL default value(s) used: EF_k" in w for w in result.warnings)


def test_every_category_is_a_member_even_without_days(tmp_path):
    write_days(tmp_path, {"2021-03-01": "grid", "2021-03-02": "grid", "2021-03-03": "grid"})
    write_energy(tmp_path, ENERGY)
    result = calc(period(tmp_path), tmp_path)
    assert result.values["D_k_p"] == {"grid": 3.0, "diesel": 0.0}
    assert result.values["EG_k_p"] == {"grid": 4.5, "diesel": 0.0}
    assert list(result.indices["k"]) == ["grid", "diesel"]  # the spec's order


def test_an_interval_counts_on_the_day_it_starts(tmp_path):
    # a 12-hour interval starting 2021-03-01 12:00 ends on 03-02 but belongs to 03-01 (a grid day)
    write_days(tmp_path, {"2021-03-01": "grid", "2021-03-02": "diesel"})
    write_energy(
        tmp_path, [("2021-03-01T00:00", "PV-1", 1), ("2021-03-01T12:00", "PV-1", 100), ("2021-03-02T00:00", "PV-1", 10), ("2021-03-02T12:00", "PV-1", 7)]
    )
    result = calc(period(tmp_path, end="2021-03-02"), tmp_path)
    assert result.values["EG_k_p"] == {"grid": 0.101, "diesel": 0.017}


def test_gaps_go_to_the_category_of_their_day(tmp_path):
    write_days(tmp_path, THREE_DAYS)
    write_energy(tmp_path, [r for r in ENERGY if not (r[0] == "2021-03-02T12:00" and r[1] == "PV-2")])
    result = calc(period(tmp_path), tmp_path)
    diesel = result.monitored["EG_k_p"].points["diesel"]
    assert [g.describe() for g in diesel.gaps] == ["PV-2: 1 missing 12-hour values from 2021-03-02 12:00 to 2021-03-02 12:00"]
    assert result.monitored["EG_k_p"].points["grid"].gaps == []
    assert result.values["EG_k_p"]["diesel"] == 0.8  # not filled: more output raises ER
    assert any("EG_k_p at diesel: 1 missing value(s) left unfilled" in n for n in result.notes)


def test_calibration_of_one_meter_corrects_its_share_of_each_category(folder):
    raw = period(folder, calibration=[{"point": "PV-2", "date": "2021-04-01", "error_percent": 3}])
    result = calc(raw, folder)
    # PV-2's shares: grid 1.1 MWh, diesel 0.4 MWh; each reduced by 3 %: grid 3.3 - 0.033, diesel 1.2 - 0.012
    assert result.values["EG_k_p"] == {"grid": pytest.approx(3.267), "diesel": pytest.approx(1.188)}
    assert [c.point for c in result.corrections] == ["grid", "diesel"]
    assert "calibration of PV-2" in result.corrections[0].reason and "1.1 MWh/p metered by PV-2" in result.corrections[0].reason
    assert result.raw_totals["EG_k_p"] == {"grid": 3.3, "diesel": 1.2}


def test_typed_values_per_category(tmp_path):
    raw = {
        "methodology": "XX_AM902",
        "project": {"id": "T"},
        "period": {"start": "2021-01-01", "end": "2021-01-31"},
        "monitored": {
            "D_k_p": {"option": "C", "unit": "day", "values": {"grid": 29, "diesel": 2}},
            "EG_k_p": {"option": "C", "unit": "kWh", "values": {"grid": 3000, "diesel": 500}},
        },
    }
    result = calc(raw, tmp_path)
    assert result.values["EG_k_p"] == {"grid": 3.0, "diesel": 0.5}
    # a category left out is a member with 0
    raw["monitored"]["EG_k_p"]["values"] = {"grid": 3000}
    assert calc(raw, tmp_path).values["EG_k_p"] == {"grid": 3.0, "diesel": 0.0}
    raw["monitored"]["EG_k_p"]["values"] = {"grid": 3000, "solar": 1}
    with pytest.raises(DataError) as info:
        calc(raw, tmp_path)
    assert info.value.where == "monitored.EG_k_p.values.solar" and "unknown day category" in info.value.message


def test_split_data_needs_day_by_day_categories(tmp_path):
    write_energy(tmp_path, ENERGY)
    raw = period(tmp_path)
    raw["monitored"]["D_k_p"] = {"option": "C", "unit": "day", "values": {"grid": 2, "diesel": 1}}
    with pytest.raises(DataError) as info:
        calc(raw, tmp_path)
    assert info.value.where == "monitored.D_k_p"
    assert "daily file" in info.value.expected


@pytest.mark.parametrize(
    ("days", "where", "message"),
    [
        ({"2021-03-01": "grid", "2021-03-03": "grid"}, "column date", "day without a category"),
        ({"2021-03-01": "grid", "2021-03-02": "solar", "2021-03-03": "grid"}, "row 3, column category", "unknown day category"),
        ({"2021-03-01": "grid", "2021-03-02": "grid", "2021-03-03": "grid", "2021-13-01": "grid"}, "row 5, column date", "not a date"),
    ],
)
def test_daily_file_errors(tmp_path, days, where, message):
    write_days(tmp_path, days)
    write_energy(tmp_path, ENERGY)
    with pytest.raises(DataError) as info:
        calc(period(tmp_path), tmp_path)
    assert info.value.where == where
    assert message in info.value.message


def test_duplicate_day_and_days_outside_the_period(tmp_path):
    write_csv(tmp_path / "days.csv", ["date", "category"], [["2021-03-01", "grid"], ["2021-03-01", "diesel"]])
    write_energy(tmp_path, ENERGY)
    with pytest.raises(DataError) as info:
        calc(period(tmp_path, end="2021-03-01"), tmp_path)
    assert info.value.message == "duplicate day" and "first at row 2" in info.value.found
    write_days(tmp_path, {**THREE_DAYS, "2021-03-04": "diesel"})
    result = calc(period(tmp_path), tmp_path)
    assert any("1 day(s) outside the period excluded" in n for n in result.notes)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda r: r["monitored"]["D_k_p"].update(format="interval"), "monitored.D_k_p.format", "is a category parameter"),
        (lambda r: r["monitored"]["EG_k_p"].update(format="monthly"), "monitored.EG_k_p.format", "needs interval data"),
        (lambda r: r["monitored"]["EG_k_p"].update(format="daily"), "monitored.EG_k_p.format", "is not a category parameter"),
    ],
)
def test_period_format_errors(folder, change, where, message):
    raw = period(folder)
    change(raw)
    with pytest.raises(InputError) as info:
        parse_period(raw, spec=spec(), base_dir=folder)
    assert info.value.where == where
    assert message in info.value.message


# -- rendering: the MRS and the notebook ---------------------------------------------------------
def test_mrs_rows_per_category_and_live_formulas(folder, tmp_path):
    result = calc(period(folder), folder)
    path = write_workbook(result, tmp_path / "out" / "MRS.xlsx")
    sheet = openpyxl.load_workbook(path)[INPUT_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    table1 = [r for r in rows if r[2] in ("D_k,p", "EG_k,p")]
    assert [(r[1], r[2], r[4], r[5]) for r in table1] == [
        ("grid", "D_k,p", 2, "day"),
        ("diesel", "D_k,p", 1, "day"),
        ("grid", "EG_k,p", 3.3, "MWh/p"),
        ("diesel", "EG_k,p", 1.2, "MWh/p"),
    ]
    assert "diesel days: 2021-03-02" in table1[1][10]
    assert "by point: PV-1 2.200000 MWh/p, PV-2 1.100000 MWh/p" in table1[2][10]
    # Table 2: one row per category of the default, with its value
    table2 = [(r[1], r[3], r[5]) for r in rows if r[0] == "EF_k"]
    assert table2 == [("grid", 0.5, "test grid"), ("diesel", 0.8, "test diesel")]
    assert table1[0][10].startswith("category: grid day")
    # calc_process: RE_p is a live formula over the category cells of Table 1 and Table 2
    calc_sheet = openpyxl.load_workbook(path)[CALC_SHEET]
    formulas = [c.value for row in calc_sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    re_formula = next(f for f in formulas if "SUM(" in f)
    assert re_formula.count("'MRS(input)'!") == 4


needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")


@needs_soffice
@pytest.mark.slow
def test_libreoffice_recalculates_a_category_sheet_and_a_line_out_of_service(folder, tmp_path):
    """Split values and the helper's IF for zero hours recalculate to the engine's numbers."""
    out = tmp_path / "out"
    case = jcmwb.engine.strict_yaml.load_yaml(CASES / "MN_AM001" / "line_out_of_service.yaml")
    results = [calc(period(folder), folder), jcmwb.calculate(case["period"], base_dir=CASES / "MN_AM001")]
    for n, result in enumerate(results):
        mine = write_workbook(result, out / f"mrs{n}.xlsx")
        theirs = recalculate(mine, out / f"lo{n}")
        ours, other = cell_values(mine), cell_values(theirs)
        for key in formula_cells(mine):
            assert other[key] == pytest.approx(ours[key], rel=1e-12, abs=1e-9), key


def test_notebook_report_shows_categories_and_points(folder):
    result = calc(period(folder), folder)
    inputs = report.inputs(result).text
    assert "EG_k,p | grid | 3.300 | MWh/p | option C" in inputs
    assert "by point: PV-1 2.200, PV-2 1.100" in inputs
    table = report.monthly_table(result, "D_k_p").text
    assert "2021-03 | 2.000 | 1.000 | 3.000" in table


# -- a literal 0 fits any unit -----------------------------------------------------------------
def _symbols():
    return {"E": Symbol("E", "MWh", None, "E"), "C": Symbol("C", "MWh", None, "C"), "EF": Symbol("EF", "tCO2/MWh", None, "EF")}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("max(E - C, 0)", {"E": 5.0, "C": 7.0}, 0.0),
        ("max(0, E - C)", {"E": 9.0, "C": 7.0}, 2.0),
        ("min(E, 0)", {"E": 5.0, "C": 0.0}, 0.0),
        ("where(E > 0, E, 0)", {"E": 3.0, "C": 0.0}, 3.0),
        ("where(E > 0, 0, C)", {"E": -1.0, "C": 4.0}, 4.0),
        ("0 - E", {"E": 3.0, "C": 0.0}, -3.0),
        ("E + 0", {"E": 3.0, "C": 0.0}, 3.0),
    ],
)
def test_zero_fits_any_unit(text, values, expected):
    formula = Formula(text)
    formula.check(_symbols(), "kWh")
    # MWh -> kWh: the zero is never scaled, the rest is
    assert formula.evaluate(values, _symbols(), {}, "kWh") == pytest.approx(expected * 1000)


def test_zero_in_the_sheet_and_other_numbers_still_refused():
    text = Formula("max(E - C, 0)").to_excel(lambda n, b: n, _symbols(), {}, "MWh")
    assert text == "MAX((E-C),0)"
    for bad in ("max(E, 1)", "E > 1000", "E + 1"):
        with pytest.raises(FormulaError):
            Formula(bad).check(_symbols(), "MWh")


# -- a monitored number of days (or hours) typed in the period file -------------------------------
def test_monitored_days_typed_with_a_unit():
    case = jcmwb.engine.strict_yaml.load_yaml(CASES / "MM_AM005" / "days_cap_binding.yaml")
    raw = copy.deepcopy(case["period"])
    assert jcmwb.calculate(raw).values["D_p"] == 365
    # the same period given in hours is converted to days: 8760 h = 365 days
    raw["monitored"]["D_p"] = {"option": "A", "unit": "h", "values": {"period": 8760}}
    result = jcmwb.calculate(raw)
    assert result.values["D_p"] == 365 and result.values["EG_max_i_p"] == {"WHR-1": 35040}
    raw["monitored"]["D_p"] = {"option": "A", "unit": "MWh", "values": {"period": 1}}
    with pytest.raises(Exception) as info:
        jcmwb.calculate(raw)
    assert "monitored.D_p.unit" in str(info.value)


# -- the methodologies of issue 3 part A: cases, example, notebook, README -------------------------
@pytest.mark.parametrize("methodology", MINE)
def test_methodology_is_complete(methodology):
    assert len(list((CASES / methodology).glob("*.yaml"))) >= 3
    assert list((ROOT / "data" / "examples" / methodology).glob("*.yaml"))
    assert (ROOT / "notebooks" / f"{methodology}.ipynb").exists()
    assert (ROOT / "methodologies" / methodology / "README.md").exists()
    assert (ROOT / "data" / "generators" / f"{methodology}.py").exists()
    for path in (ROOT / "methodologies" / methodology).glob("methodology.yaml"):
        s = load_spec(path)
        # no default value is presented as confirmed: the official documents could not be checked
        for p in s.parameters.values():
            for choice in p.choices.values():
                assert all(v.status == "provisional" for v in choice.values), p.name


def test_required_edge_cases_are_covered():
    """The issue's edge cases, each in a hand-derived case file."""
    texts = {p.relative_to(CASES).as_posix(): p.read_text(encoding="utf-8") for m in MINE for p in (CASES / m).glob("*.yaml")}
    assert "MN_AM001/negative_er_credited_zero.yaml" in texts and "credited as zero" in texts["MN_AM001/negative_er_credited_zero.yaml"]
    assert "ID_AM017/charge_greater_than_discharge.yaml" in texts
    assert "KH_AM002/day_category_switch.yaml" in texts
    assert "MV_AM001/three_units_mixed_kwh_mwh.yaml" in texts
    assert "PH_AM001/net_export_zero_output.yaml" in texts


def test_unapproved_hob_methodology_says_so():
    s = load_spec("MN_PM_HOB")
    assert "NOT an approved JCM methodology" in s.title.en
    assert s.versions[0].status == "provisional"
    assert "NOT APPROVED" in (ROOT / "methodologies" / "MN_PM_HOB" / "README.md").read_text(encoding="utf-8")
