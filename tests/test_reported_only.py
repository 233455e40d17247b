"""Reported-only monitored parameters (methodologies/README.md 2.2 and 3.3), on ID_AM002's EI_grid_p.

A reported-only parameter is monitored in the official sheets but enters no equation: the spec
refuses an equation that uses it; a period may leave it out (Table 1 then reads "not given" and
a note says so); when given it is read as strictly as any monitored input; ER_p never depends on
it; the MRS shows it in Table 1 and ``jcmwb verify`` reads either row back without a finding.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import ROOT, id_period, write_csv

import jcmwb
from jcmwb.cli import main
from jcmwb.engine.errors import InputError, JcmwbError, SpecError
from jcmwb.engine.spec import load_spec, parse_spec
from jcmwb.engine.strict_yaml import load_yaml
from jcmwb.run import show
from jcmwb.run.notebook import build
from jcmwb.sheets.reader import read_sheet
from jcmwb.sheets.workbook import layout, write_workbook
from jcmwb.verify.sheet import verify_sheet

SPEC = ROOT / "methodologies" / "ID_AM002" / "methodology.yaml"
EXAMPLE = ROOT / "data" / "examples" / "ID_AM002" / "EXAMPLE-ID001_2021.yaml"
NOTE = "EI_grid_p (Electricity imported from the grid to the project site during the period p) not given in the monitoring-period file"


def _spec_text(old: str, new: str) -> str:
    text = SPEC.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _with_grid(mapping: dict, mwh: float = 8692.917, **item: object) -> dict:
    out = copy.deepcopy(mapping)
    out["monitored"]["EI_grid_p"] = {"option": "B", "unit": "MWh", "values": {"PLN-1": mwh}, **item}
    return out


# -- the spec ---------------------------------------------------------------------------------------
def test_the_spec_declares_ei_grid_reported_only():
    spec = load_spec("ID_AM002")
    param = spec.parameters["EI_grid_p"]
    assert (param.kind, param.reported_only, param.options, param.unit) == ("monitored", True, ("B", "C"), "MWh/p")
    assert spec.reported_only() == ["EI_grid_p"]
    assert not any("EI_grid_p" in e.formula.names for e in spec.equations.values())


def test_check_refuses_an_equation_using_a_reported_only_parameter(tmp_path, capsys):
    bad = tmp_path / "methodology.yaml"
    bad.write_text(_spec_text("formula: sum(EC_PJ_i_p, i) * EF_elec", "formula: (sum(EC_PJ_i_p, i) + EI_grid_p) * EF_elec"), encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "equations.PE_p.formula: EI_grid_p is reported only: no equation may use it" in out and str(bad) in out


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("    unit: \"-\"\n    kind: fixed_project\n", "    unit: \"-\"\n    kind: fixed_project\n    reported_only: true\n", "parameters.COP_PJ_i.reported_only", "reported_only applies to monitored parameters only"),
        ("    reported_only: true  #", "    reported_only: yes please  #", "parameters.EI_grid_p.reported_only", "expected true or false"),
    ],
)
def test_spec_refuses_misplaced_reported_only(tmp_path, old, new, where, message):
    bad = tmp_path / "methodology.yaml"
    bad.write_text(_spec_text(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(bad)
    assert f"{where}: {message}" in str(caught.value) and str(bad) in str(caught.value)


def test_a_category_parameter_cannot_be_reported_only():
    raw = load_yaml(ROOT / "tests" / "fixtures" / "specs" / "minimal.yaml")
    raw["parameters"]["K_p"] = {"symbol": "K_p", "description": "day category", "unit": "day", "kind": "monitored", "index": "k", "categories": {"grid": "grid day"}, "reported_only": True}
    with pytest.raises(SpecError, match=r"parameters\.K_p\.reported_only: a category parameter cannot be reported only"):
        parse_spec(raw)


# -- the period -------------------------------------------------------------------------------------
def test_er_is_the_same_with_and_without_it():
    without = jcmwb.calculate(id_period())
    given = jcmwb.calculate(_with_grid(id_period()))
    assert {n: given.values[n] for n in ("ER_p", "RE_p", "PE_p")} == {n: without.values[n] for n in ("ER_p", "RE_p", "PE_p")}
    assert given.values["EI_grid_p"] == 8692.917 and "EI_grid_p" not in without.values
    assert given.warnings == without.warnings  # nothing suggests ER_p changed
    assert [n for n in without.notes if n not in given.notes] == [n for n in without.notes if n.startswith(NOTE)]
    assert len([n for n in without.notes if n.startswith(NOTE)]) == 1


def test_er_does_not_move_with_its_value():
    """Any value, however far off, leaves ER_p as it is: no equation reads it."""
    values = {jcmwb.calculate(_with_grid(id_period(), mwh)).values["ER_p"] for mwh in (0.0, 1.0, 8692.917, 9.9e8)}
    assert len(values) == 1


def test_the_example_gives_146_with_and_without_it():
    raw = load_yaml(EXAMPLE)
    with_it = jcmwb.calculate(EXAMPLE)
    del raw["monitored"]["EI_grid_p"]
    without = jcmwb.calculate(raw, base_dir=EXAMPLE.parent)
    assert with_it.er == without.er == 146
    # 12 invoices of data/examples/ID_AM002/grid-2021-invoices.csv, in kWh, totalled and / 1000
    invoices = [int(line.split(",")[2]) for line in (EXAMPLE.parent / "grid-2021-invoices.csv").read_text().splitlines()[1:]]
    assert len(invoices) == 12 and with_it.values["EI_grid_p"] == pytest.approx(sum(invoices) / 1000, abs=1e-9)


def test_another_monitored_parameter_is_still_required():
    raw = _with_grid(id_period())
    del raw["monitored"]["EC_PJ_i_p"]
    with pytest.raises(InputError, match="monitored: missing monitored parameter EC_PJ_i_p"):
        jcmwb.calculate(raw)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"option": "A"}, "monitored.EI_grid_p.option: monitoring option not allowed for this parameter; expected one of B, C"),
        ({"unit": "tCO2"}, "monitored.EI_grid_p.unit: unit of the wrong dimension; expected a unit convertible to MWh"),
        ({"values": {"PLN-1": 2.0e9}}, "monitored.EI_grid_p.values.PLN-1: implausibly large value"),
        ({"values": {"PLN-1": "lots"}}, "monitored.EI_grid_p.values.PLN-1: expected a number"),
        ({"values": {"PLN-1": 1.0, "PLN-2": 2.0}}, "EI_grid_p is a single value, but the data hold several points"),
    ],
)
def test_given_it_is_validated_strictly(item, message):
    raw = _with_grid(id_period())
    raw["monitored"]["EI_grid_p"].update(item)
    with pytest.raises(JcmwbError) as caught:
        jcmwb.calculate(raw)
    assert message in str(caught.value)


def test_a_bad_row_of_its_data_is_one_error_naming_file_and_row(tmp_path, capsys):
    folder = tmp_path / "p"
    write_csv(folder / "grid.csv", ["month", "point", "value", "unit"], [["2021-01", "PLN-1", 700000, "kWh"], ["2021-02", "PLN-1", "67O368", "kWh"]])
    raw = _with_grid(id_period(start="2021-01-01", end="2021-02-28"))
    raw["monitored"]["EI_grid_p"] = {"option": "B", "data": "grid.csv", "format": "monthly"}
    import yaml

    period = folder / "period.yaml"
    period.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert main(["run", str(period), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "grid.csv: row 3, column value: not a number; expected a number, found '67O368'" in err[0]
    assert not (tmp_path / "out").exists()


# -- the outputs ------------------------------------------------------------------------------------
def _table1(path: Path) -> dict[str, tuple[object, str, str]]:
    return {row.parameter: (row.value.value, str(row.unit.value), row.option) for row in read_sheet(path).table1}


def test_table1_shows_it_given_and_not_given_and_verify_agrees(tmp_path):
    for label, raw in (("given", _with_grid(id_period())), ("not_given", id_period())):
        result = jcmwb.calculate(raw)
        path = write_workbook(result, tmp_path / f"{label}.xlsx")
        rows = _table1(path)
        assert rows["EI_grid,p"] == ((8692.917, "MWh/p", "B") if label == "given" else ("not given", "MWh/p", ""))
        verified = verify_sheet(path)
        assert verified.agrees and not verified.findings, [f.message for f in verified.findings]
        assert verified.er_recomputed == result.er
        check = next(c for c in verified.checks if c.parameter.startswith("EI_grid,p"))
        assert "reported only" in check.what and check.result == "agrees"


def test_not_given_is_read_back_for_a_reported_only_parameter_only(tmp_path):
    """The "not given" text stands for a reported-only parameter; for another it is a value that is no number."""
    import openpyxl

    path = write_workbook(jcmwb.calculate(id_period()), tmp_path / "mrs.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["MRS(input)"]
    row = next(r for r in read_sheet(path).table1 if r.parameter == "EC_PJ,i,p").row
    sheet.cell(row, 5).value = "not given"
    book.save(path)
    from jcmwb.engine.errors import SheetError

    with pytest.raises(SheetError, match="monitored value is not a number"):
        verify_sheet(path)


def test_a_unit_slip_in_it_is_an_inconsistency_not_an_error(tmp_path):
    """A reported-only value enters no equation, so a wrong unit cannot change the credited amount."""
    import openpyxl

    path = write_workbook(jcmwb.calculate(_with_grid(id_period())), tmp_path / "mrs.xlsx")
    book = openpyxl.load_workbook(path)
    row = next(r for r in read_sheet(path).table1 if r.parameter == "EI_grid,p").row
    book["MRS(input)"].cell(row, 6).value = "kWh"
    book.save(path)
    verified = verify_sheet(path)
    # openpyxl saves without the formulas' values: the one other finding is the note saying so.
    assert [(f.severity, f.parameter) for f in verified.findings if f.parameter != "formulas"] == [("inconsistency", "EI_grid,p")]
    assert "unit differs from the methodology's" in verified.findings[0].message


def test_a_spec_without_reported_only_parameters_lays_out_as_before():
    result = jcmwb.calculate(id_period())
    kinds = [c.kind for c in layout(result).cells]
    assert kinds.count("not_given") == 1
    th = load_yaml(ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml")
    assert "not_given" not in {c.kind for c in layout(jcmwb.calculate(th, base_dir=ROOT / "data" / "examples" / "TH_AM001")).cells}


def test_notebook_shows_it():
    result = jcmwb.calculate(id_period())
    assert "EI_grid,p |  | not given | MWh/p |" in repr(show.inputs(result))
    assert repr(show.monthly_table(result, "EI_grid_p")) == "EI_grid_p is not given in this period (reported only, it enters no equation of the methodology)."
    given = jcmwb.calculate(_with_grid(id_period()))
    assert "EI_grid,p | PLN-1 | 8,692.917 | MWh/p | option B |" in repr(show.inputs(given))
    book = build(load_spec("ID_AM002"), EXAMPLE)
    heading = next(c.source for c in book.cells if c.cell_type == "markdown" and "EI_{grid,p}" in c.source)
    assert "Reported only" in heading and "enters no equation" in heading


# -- the app form -----------------------------------------------------------------------------------
def test_the_app_form_does_not_require_it(tmp_path):
    from jcmwb.app.page import MethodologyPage
    from jcmwb.app.server import AppSettings

    form = MethodologyPage(load_spec("ID_AM002"), AppSettings(work=tmp_path / "work"), "en").form
    grid, chillers = form.monitored["EI_grid_p"], form.monitored["EC_PJ_i_p"]
    assert grid.check("en") == [] and grid.entry() is None  # nothing entered: left out of the period
    assert [p.key for p in chillers.check("en")] == ["monitored.EC_PJ_i_p.data"]  # the others stay required
    grid.mode.value = "totals"
    grid.refresh_shape()
    grid.unit.value = "kWh"
    (cell,) = grid.totals.inputs.values()
    cell.value = "lots"
    assert [p.key for p in grid.check("en")] == ["monitored.EI_grid_p.values"]  # typed, it is checked
    cell.value = "8692917"
    assert grid.check("en") == [] and grid.entry() == {"option": "C", "values": {"period": 8692917.0}, "unit": "kWh"}
