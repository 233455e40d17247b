"""TPE verification (``jcmwb verify``): tampered sheets are caught and the right cell is named.

Sheets are tampered at the XML level (``tests/fixtures/verify/tamper.py``): one cell's
stored value, text or formula changes inside the .xlsx and every other cached value stays,
as after a hand edit in a spreadsheet program before recalculation.

The sheet under test is jcmwb's for ``tests/fixtures/verify/TH_AM001/period.yaml``; its
numbers are derived by hand in that file: PV-1 1,200 MWh, PV-2 2,400.9 MWh, sum 3,600.9 MWh,
EF_RE 0.4 tCO2/MWh, RE_p 1,440.36 tCO2, ER_p 1,440 tCO2.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import jcmwb
from jcmwb.cli import main
from jcmwb.sheets.workbook import write_workbook
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE
from jcmwb.verify.sheet import verify_sheet
from jcmwb.verify.tolerance import half_unit, tolerance

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "verify"
sys.path.insert(0, str(FIXTURES))
import make_official_sheet as official  # noqa: E402
from tamper import delete_row, set_formula, set_text, set_value, tamper, typed_number  # noqa: E402

INPUT, CALC = "MRS(input)", "MRS(calc_process)"


@pytest.fixture()
def project(tmp_path) -> Path:
    """A copy of the small TH_AM001 period (period.yaml, energy.csv) in its own folder."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "TH_AM001", folder)
    return folder


@pytest.fixture()
def produced(project, tmp_path) -> Path:
    result = jcmwb.calculate(project / "period.yaml")
    assert result.values["EG_i_p"] == {"PV-1": pytest.approx(1200.0), "PV-2": pytest.approx(2400.9)}
    assert result.values["RE_p"] == pytest.approx(1440.36) and result.er == 1440
    return write_workbook(result, tmp_path / "MRS.xlsx")


def cells(path: Path) -> dict[str, str]:
    """Addresses found by label (not assumed): Table 1 rows, Table 2, Table 3, calc rows."""
    book = openpyxl.load_workbook(path)
    inp, calc = book[INPUT], book[CALC]
    out: dict[str, str] = {}
    for row in inp.iter_rows():
        values = [c.value for c in row]
        if len(values) > 2 and values[1] in ("PV-1", "PV-2") and values[2] == "EG_i,p":
            out[f"row {values[1]}"] = str(row[0].row)
        if values and values[0] == "EF_RE":
            out["EF_RE"] = f"D{row[0].row}"
        if values and isinstance(values[0], str) and values[0].startswith("Table 3"):
            out["ER"], out["ER period"] = f"B{row[0].row + 2}", f"A{row[0].row + 2}"
    for row in calc.iter_rows():
        if len(row) > 4 and row[4].value:
            out[f"calc {row[4].value}"] = f"C{row[0].row}"
    return out


def verify_cli(sheet: Path, tmp_path: Path, capsys, *extra: str) -> tuple[int, str]:
    """``jcmwb verify`` through the CLI: exit code and standard output."""
    out = tmp_path / f"report-{sheet.stem}"
    code = main(["verify", str(sheet), "--out", str(out), *extra])
    return code, capsys.readouterr().out


def at(v, cell: str, severity: str | None = None) -> list:
    return [f for f in v.findings if f.cell.endswith(f"!{cell}") and (severity is None or f.severity == severity)]


# -- a clean sheet ------------------------------------------------------------------------------
def test_clean_sheet_passes_with_the_data(produced, project, tmp_path, capsys):
    code, out = verify_cli(produced, tmp_path, capsys, "--data", str(project), "--tpe", "Example TPE Ltd.")
    assert code == 0, out
    assert "ER_p reported 1,440, recomputed 1,440 tCO2/p (materiality +0.000 %)" in out and "AGREES" in out
    folder = tmp_path / "report-MRS"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["verification-report-draft.html", "verification-report-draft.md", "verification.md", "verification.xlsx"]
    draft = (folder / "verification-report-draft.md").read_text()
    assert "| Third-party entity (TPE) | Example TPE Ltd. |" in draft and "| Title of the project | Verification test plant |" in draft
    assert "[TO BE WRITTEN BY THE TPE]" in draft
    # Both points checked against the data: 1,200 and 2,400.9 MWh.
    assert "| EG_i,p (PV-1) | monitored, against the data | 'MRS(input)'!E" in draft and "| 1,200 | 1,200 | MWh/p |" in draft
    assert "| 2,400.9 | 2,400.9 | MWh/p |" in draft
    assert "| ER_p recomputed from the re-aggregated monitoring data | 1,440 tCO2/p |" in draft
    assert "<td><strong>[TO BE WRITTEN BY THE TPE]</strong>" in (folder / "verification-report-draft.html").read_text()


def test_reports_default_beside_the_sheet_and_list_every_finding(produced, tmp_path, capsys):
    c = cells(produced)
    sheet = tamper(produced, tmp_path / "two-edits.xlsx", {INPUT: [set_value(c["EF_RE"], 0.5)], CALC: [set_value(c["calc sum_i EG_i,p"], 3700.9)]})
    assert main(["verify", str(sheet)]) == 1
    # Their own folder beside the sheet: the sheet's folder holds the user's files.
    assert capsys.readouterr().out.rstrip().endswith(f"({tmp_path / 'two-edits-verification'})")
    v = verify_sheet(sheet)
    report = tmp_path / "two-edits-verification"
    book = openpyxl.load_workbook(report / "verification.xlsx")
    rows = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(v.findings) >= 2
    assert book["Findings"]["A1"].value == "#" and [h.value for h in book["Findings"][1]][1:8] == ["Severity", "Cell", "Parameter", "Expected", "Found", "Difference", "Tolerance"]
    summary = dict(book["Summary"].iter_rows(values_only=True))
    # EF_RE 0.5 is not used: the recomputation takes the spec's 0.4, so ER_p stays 1,440.
    assert summary["ER_p recomputed [tCO2/p]"] == 1440 and summary["ER_p reported [tCO2/p]"] == 1440 and summary["Outcome"] == "discrepancies found"
    text = (report / "verification.md").read_text()
    assert f"| error | 'MRS(input)'!{c['EF_RE']} | EF_RE | 0.4 | 0.5 | 0.1 |" in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_a_sheet_inside_a_run_folder_gets_its_report_beside_that_folder(produced, tmp_path, capsys):
    from jcmwb.run.output_folder import MARKER

    run_folder = tmp_path / "2021-01-01_2021-01-01"
    run_folder.mkdir()
    shutil.copy(produced, run_folder / "MRS.xlsx")
    (run_folder / MARKER).write_text(json.dumps({"written_by": "jcmwb", "files": ["MRS.xlsx"]}))
    assert main(["verify", str(run_folder / "MRS.xlsx")]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in run_folder.iterdir()) == [MARKER, "MRS.xlsx"], "the run's folder must stay the run's"
    assert (tmp_path / "2021-01-01_2021-01-01.MRS-verification" / "verification.md").is_file()


# -- eight tampering scenarios, each through the CLI (exit 1, the cell named) -------------------
def test_monitored_value_changed(produced, project, tmp_path, capsys):
    c = cells(produced)
    cell = f"E{c['row PV-2']}"
    sheet = tamper(produced, tmp_path / "monitored.xlsx", {INPUT: [set_value(cell, 2500.9)]})
    code, out = verify_cli(sheet, tmp_path, capsys, "--data", str(project))
    assert code == 1 and f"ERROR         'MRS(input)'!{cell} EG_i,p: monitored value differs from the re-aggregated data: energy.csv" in out
    v = verify_sheet(sheet, data=project)
    hit = at(v, cell, ERROR)
    assert hit[0].expected == pytest.approx(2400.9) and hit[0].found == 2500.9 and hit[0].difference == pytest.approx(100)
    # From the sheet's 2,500.9: (1,200 + 2,500.9) x 0.4 = 1,480.36 -> 1,480; from the data 1,440, which the
    # calc sheet (not recalculated since the edit) still shows: the credited amount is right, Table 1 is not.
    assert v.er_from_inputs == 1480 and v.er_from_data == v.er_recomputed == 1440 and v.er_reported == 1440
    assert v.materiality_percent == 0
    assert verify_sheet(sheet).materiality_percent == pytest.approx(100 * (1440 - 1480) / 1480)  # without the data


def test_total_that_no_longer_sums(produced, tmp_path, capsys):
    cell = cells(produced)["calc sum_i EG_i,p"]
    sheet = tamper(produced, tmp_path / "total.xlsx", {CALC: [set_value(cell, 3700.9)]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"INCONSISTENCY 'MRS(calc_process)'!{cell} sum_i EG_i,p: reported value differs from the recomputed one" in out
    hit = at(verify_sheet(sheet), cell)
    # The subtotal is shown, but ER_p does not use it: an inconsistency, not an error.
    assert [f.severity for f in hit] == [INCONSISTENCY] and hit[0].expected == pytest.approx(3600.9) and hit[0].found == 3700.9
    assert hit[0].equation == "EG_p = sum(EG_i_p, i)" and hit[0].tolerance == pytest.approx(3600.9e-6)


def test_default_replaced_by_a_non_conservative_value(produced, tmp_path, capsys):
    cell = cells(produced)["EF_RE"]
    sheet = tamper(produced, tmp_path / "default.xlsx", {INPUT: [set_value(cell, 0.9)]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"ERROR         'MRS(input)'!{cell} EF_RE: default value differs from the methodology's for this period" in out
    hit = at(verify_sheet(sheet), cell, ERROR)
    # With 0.9: 3,600.9 x 0.9 = 3,240.81 -> 3,240 tCO2 instead of 1,440.
    assert hit[0].expected == 0.4 and hit[0].found == 0.9
    assert "with it ER_p would be 3,240 instead of 1,440 (raises it: not conservative)" in hit[0].message


def test_default_replaced_by_a_conservative_value_still_changes_er(produced, tmp_path):
    cell = cells(produced)["EF_RE"]
    v = verify_sheet(tamper(produced, tmp_path / "lower.xlsx", {INPUT: [set_value(cell, 0.3)]}))
    # 3,600.9 x 0.3 = 1,080.27 -> 1,080: lower, so conservative, but the credited amount changes.
    assert "ER_p would be 1,080 instead of 1,440 (lowers it)" in at(v, cell, ERROR)[0].message


def test_unit_slip_kwh_text(produced, tmp_path, capsys):
    cell = f"F{cells(produced)['row PV-1']}"
    sheet = tamper(produced, tmp_path / "unit.xlsx", {INPUT: [set_text(cell, "kWh")]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"ERROR         'MRS(input)'!{cell} EG_i,p: unit differs from the methodology's (a kWh/MWh slip?)" in out
    hit = at(verify_sheet(sheet), cell, ERROR)
    assert hit[0].expected == "MWh/p" and hit[0].found == "kWh" and "if it is in kWh it is 1000 x too large" in hit[0].message


def test_unit_slip_value_1000_times(produced, project, tmp_path, capsys):
    cell = f"E{cells(produced)['row PV-1']}"
    sheet = tamper(produced, tmp_path / "kwh.xlsx", {INPUT: [set_value(cell, 1200000.0)]})
    code, out = verify_cli(sheet, tmp_path, capsys, "--data", str(project))
    assert code == 1 and f"'MRS(input)'!{cell} EG_i,p: monitored value differs from the re-aggregated data: energy.csv" in out
    v = verify_sheet(sheet, data=project)
    hit = at(v, cell, ERROR)
    assert hit[0].expected == 1200 and hit[0].found == 1200000 and "(1000 x the expected value: kWh reported as MWh?)" in hit[0].message
    assert v.er_from_inputs == 480960 and v.er_from_data == 1440  # (1,200,000 + 2,400.9) x 0.4 = 480,960.36


def test_rounding_up_instead_of_down(produced, tmp_path, capsys):
    c = cells(produced)
    sheet = tamper(produced, tmp_path / "rounding.xlsx", {CALC: [set_value(c["calc ER_p"], 1441)], INPUT: [set_value(c["ER"], 1441)]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and "ER_p reported 1,441, recomputed 1,440 tCO2/p" in out
    v = verify_sheet(sheet)
    for cell in (c["calc ER_p"], c["ER"]):
        hit = at(v, cell, ERROR)
        assert hit[0].expected == 1440 and hit[0].found == 1441 and hit[0].tolerance == 0, cell
        assert "rounded up from 1,440.360000; the methodology rounds down" in hit[0].message
    assert v.materiality_percent == pytest.approx(100 / 1440)


def test_row_deleted(produced, project, tmp_path, capsys):
    row = cells(produced)["row PV-2"]
    sheet = tamper(produced, tmp_path / "deleted.xlsx", {INPUT: [delete_row(row)]})
    code, out = verify_cli(sheet, tmp_path, capsys, "--data", str(project))
    assert code == 1 and f"ERROR         'MRS(input)'!E{row} RE_p: the formula in 'MRS(calc_process)'!" in out
    v = verify_sheet(sheet, data=project)
    assert "holds no number (row deleted or overwritten?)" in at(v, f"E{row}", ERROR)[0].message
    assert any("monitoring point PV-2 is in the data (energy.csv rows 3-193) but has no row in Table 1 (row deleted?)" in f.message and f.expected == pytest.approx(2400.9) for f in v.findings)
    assert v.er_from_inputs == 480  # PV-1 only: floor(1,200 x 0.4)
    assert v.er_from_data == v.er_recomputed == 1440 == v.er_reported  # the data still hold PV-2


def test_monitoring_option_not_allowed(produced, tmp_path, capsys):
    cell = f"G{cells(produced)['row PV-1']}"
    sheet = tamper(produced, tmp_path / "option.xlsx", {INPUT: [set_text(cell, "A")]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"INCONSISTENCY 'MRS(input)'!{cell} EG_i,p: monitoring option not allowed for this parameter; expected B or C, found A" in out


def test_monitoring_period_changed_in_one_row(produced, tmp_path, capsys):
    cell = f"A{cells(produced)['row PV-2']}"
    sheet = tamper(produced, tmp_path / "period.xlsx", {INPUT: [set_text(cell, "2021-01-01 to 2021-01-31")]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"INCONSISTENCY 'MRS(input)'!{cell} EG_i,p: monitoring period differs from the rest of the sheet" in out
    hit = at(verify_sheet(sheet), cell, INCONSISTENCY)
    assert hit[0].expected == "2021-01-01 to 2021-01-01" and hit[0].found == "2021-01-01 to 2021-01-31"


def test_monitoring_period_changed_everywhere_disagrees_with_the_data(produced, project, tmp_path, capsys):
    c = cells(produced)
    first = f"A{c['row PV-1']}"
    edits = [set_text(f"A{c['row PV-1']}", "2021-01-01 to 2021-01-31"), set_text(f"A{c['row PV-2']}", "2021-01-01 to 2021-01-31"), set_text(c["ER period"], "2021-01-01 to 2021-01-31")]
    sheet = tamper(produced, tmp_path / "period-all.xlsx", {INPUT: edits})
    code, out = verify_cli(sheet, tmp_path, capsys, "--data", str(project))
    assert code == 1 and f"ERROR         'MRS(input)'!{first} period: the monitoring period stated in the sheet differs from the monitoring-period file period.yaml" in out
    hit = at(verify_sheet(sheet, data=project), first, ERROR)
    assert hit[0].expected == "2021-01-01 to 2021-01-01" and hit[0].found == "2021-01-01 to 2021-01-31"


def test_monitoring_period_changed_everywhere_disagrees_with_the_document_properties(produced, tmp_path, capsys):
    c = cells(produced)
    cells_a = [f"A{c['row PV-1']}", f"A{c['row PV-2']}", c["ER period"]]
    sheet = tamper(produced, tmp_path / "period-all.xlsx", {INPUT: [set_text(cell, "2021-02-01 to 2021-02-01") for cell in cells_a]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"INCONSISTENCY 'MRS(input)'!{cells_a[0]} period: monitoring period differs from the one jcmwb wrote into the workbook's document properties" in out
    hit = at(verify_sheet(sheet), cells_a[0], INCONSISTENCY)[0]
    assert hit.expected == "2021-01-01 to 2021-01-01" and hit.found == "2021-02-01 to 2021-02-01"


def test_formula_replaced_by_a_different_typed_number(produced, tmp_path, capsys):
    cell = cells(produced)["calc RE_p"]
    sheet = tamper(produced, tmp_path / "typed.xlsx", {CALC: [typed_number(cell, 1500.0)]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"'MRS(calc_process)'!{cell} RE_p: cell {cell} holds a typed number where the methodology's formula is expected" in out
    hits = at(verify_sheet(sheet), cell, ERROR)
    assert {f.message.split(" (")[0] for f in hits} == {"reported value differs from the recomputed one", f"cell {cell} holds a typed number where the methodology's formula is expected"}
    typed = next(f for f in hits if "typed number" in f.message)
    assert typed.found == 1500 and typed.expected.startswith("=(SUM('MRS(input)'!")


def test_formula_replaced_by_the_same_number_is_a_note(produced, tmp_path, capsys):
    cell = cells(produced)["calc RE_p"]
    sheet = tamper(produced, tmp_path / "same.xlsx", {CALC: [typed_number(cell, 1440.36)]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 0 and f"NOTE          'MRS(calc_process)'!{cell} RE_p: cell {cell} holds a typed number" in out
    assert [f.severity for f in verify_sheet(sheet).findings] == [NOTE]


def test_formula_changed_with_its_old_value_kept(produced, tmp_path, capsys):
    c = cells(produced)
    cell, pv1 = c["calc sum_i EG_i,p"], c["row PV-1"]
    sheet = tamper(produced, tmp_path / "formula.xlsx", {CALC: [set_formula(cell, f"=SUM('MRS(input)'!$E${pv1})")]})
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and f"INCONSISTENCY 'MRS(calc_process)'!{cell} sum_i EG_i,p: formula differs from the one the methodology's equation gives" in out
    hit = at(verify_sheet(sheet), cell, INCONSISTENCY)[0]
    pv2 = c["row PV-2"]
    assert hit.expected == f"=SUM('MRS(input)'!E{pv1},'MRS(input)'!E{pv2})" and hit.found == f"=SUM('MRS(input)'!$E${pv1})"


def test_sheet_saved_without_stored_values(produced, tmp_path, capsys):
    """openpyxl drops every formula's stored value: the formulas are checked instead of the numbers."""
    book = openpyxl.load_workbook(produced)
    book.save(tmp_path / "resaved.xlsx")
    code, out = verify_cli(tmp_path / "resaved.xlsx", tmp_path, capsys)
    assert code == 0 and "ER_p reported n/a, recomputed 1,440" in out
    v = verify_sheet(tmp_path / "resaved.xlsx")
    assert [f.severity for f in v.findings] == [NOTE] and "formula without a stored value" in v.findings[0].message
    book[INPUT][cells(produced)["EF_RE"]] = 0.9
    book.save(tmp_path / "resaved-default.xlsx")
    code, out = verify_cli(tmp_path / "resaved-default.xlsx", tmp_path, capsys)
    assert code == 1 and f"ERROR         'MRS(input)'!{cells(produced)['EF_RE']} EF_RE: default value differs" in out


def test_sheet_recalculated_by_libreoffice_still_agrees(produced, tmp_path, capsys):
    from jcmwb.sheets.recalc import recalculate, soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    recalculated = recalculate(produced, tmp_path / "lo")
    code, out = verify_cli(recalculated, tmp_path, capsys)
    assert code == 0, out


@pytest.mark.parametrize("period_file", sorted((ROOT / "data" / "examples").glob("*/*.yaml")), ids=lambda p: p.parent.name)
def test_every_example_sheet_verifies_against_its_data(period_file, tmp_path):
    sheet = write_workbook(jcmwb.calculate(period_file), tmp_path / "MRS.xlsx")
    v = verify_sheet(sheet, data=period_file.parent)
    assert v.agrees and [f for f in v.findings if f.severity != NOTE] == [], [f.message for f in v.findings]
    assert v.er_reported == v.er_recomputed
    assert any(k.what == "monitored, against the data" for k in v.checks)


def test_credit_allocation_that_does_not_add_up(project, tmp_path, capsys):
    text = (project / "period.yaml").read_text() + 'allocation: {JP: "50%", TH: "50%", rounding: {JP: up}}\n'
    (project / "period.yaml").write_text(text)
    sheet = write_workbook(jcmwb.calculate(project / "period.yaml"), tmp_path / "MRS.xlsx")
    book = openpyxl.load_workbook(sheet)
    party = next(r[0].row for r in book[INPUT].iter_rows() if r[0].value == "TH")
    assert verify_cli(sheet, tmp_path, capsys)[0] == 0
    tampered = tamper(sheet, tmp_path / "allocation.xlsx", {INPUT: [set_value(f"C{party}", 721)]})
    code, out = verify_cli(tampered, tmp_path, capsys)
    # 1,440 x 50 % = 720 to each party; 720 + 721 = 1,441.
    assert code == 1 and f"ERROR         'MRS(input)'!C{party} credits: the parts of the credit allocation do not add up" in out
    assert at(verify_sheet(tampered), f"C{party}", ERROR)[0].found == 1441


# -- a hand-filled official-style sheet ---------------------------------------------------------
def test_official_style_sheet_clean_passes(tmp_path, capsys):
    sheet = official.make(tmp_path / "official.xlsx")
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 0, out
    v = verify_sheet(sheet)
    assert (v.methodology, v.version, v.reference, v.period) == ("TH_AM001", "01.0", "TH999", ("2021-01-01", "2021-12-31"))
    assert v.er_reported == v.er_recomputed == 800 and not v.produced_by_jcmwb and v.findings == []
    by_cell = {k.cell: k for k in v.checks}
    assert by_cell["'MRS(calc_process)'!D10"].recomputed == pytest.approx(800.3)
    assert by_cell["'MRS(calc_process)'!D11"].recomputed == pytest.approx(2000.75)


@pytest.mark.parametrize(
    ("tampering", "cell", "severity", "expected", "found"),
    [
        ({"er": 801}, "'Monitoring Report Sheet'!C18", ERROR, 800, 801),
        ({"re_p": 810.3}, "'MRS(calc_process)'!D10", ERROR, 800.3, 810.3),
        ({"eg_total": 2001.75}, "'MRS(calc_process)'!D11", INCONSISTENCY, 2000.75, 2001.75),
        ({"unit": "kWh"}, "'Monitoring Report Sheet'!G7", ERROR, "MWh/p", "kWh"),
        ({"ef": 0.5}, "'Monitoring Report Sheet'!D13", ERROR, 0.4, 0.5),
    ],
)
def test_official_style_sheet_tampered_fails(tmp_path, capsys, tampering, cell, severity, expected, found):
    sheet = official.make(tmp_path / "official.xlsx", **tampering)
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and cell in out
    hit = [f for f in verify_sheet(sheet).findings if f.cell == cell]
    assert hit and hit[0].severity == severity and hit[0].expected == pytest.approx(expected) if isinstance(expected, float) else hit[0].expected == expected
    assert hit[0].found == found


def test_official_style_sheet_with_a_total_row_in_table_1(tmp_path, capsys):
    # The total row is not a monitoring point: 1,200.5 + 800.25 = 2,000.75 MWh.
    assert verify_cli(official.make(tmp_path / "total.xlsx", total=2000.75), tmp_path, capsys)[0] == 0
    sheet = official.make(tmp_path / "total-wrong.xlsx", total=2100.75)
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 1 and "INCONSISTENCY 'Monitoring Report Sheet'!F9 EG_i,p: the total row of Table 1 is not the sum of its 2 row(s) above" in out
    hit = [f for f in verify_sheet(sheet).findings if f.cell.endswith("!F9")][0]
    assert hit.expected == pytest.approx(2000.75) and hit.found == 2100.75


def test_official_style_sheet_without_the_option_takes_the_choice_its_value_shows(tmp_path, capsys):
    # EF_RE 0.8 is the spec's captive-power value: with no "option: ..." stated, the choice is
    # inferred from the value: 2,000.75 x 0.8 = 1,600.6 -> 1,600 tCO2.
    sheet = official.make(tmp_path / "captive.xlsx", ef=0.8, re_p=1600.6, er=1600, option="")
    code, out = verify_cli(sheet, tmp_path, capsys)
    assert code == 0, out
    v = verify_sheet(sheet)
    assert v.er_recomputed == 1600 and [f.message for f in v.findings] == ["the option of this default is not stated; taken as 'captive', whose value for the period the sheet reports"]


def test_official_style_sheet_against_data_named_in_column_h(tmp_path, capsys):
    # No monitoring-period file in the folder: the file named in (h) is read with its unit column.
    data = tmp_path / "meters"
    data.mkdir()
    (data / "meter-2021.csv").write_text("timestamp,point,value,unit\n2021-03-01T00:00:00,PV-1,600.25,MWh\n2021-03-01T00:15:00,PV-1,600.25,MWh\n2021-03-01T00:00:00,PV-2,800.25,MWh\n")
    sheet = official.make(tmp_path / "official.xlsx", source="meter-2021.csv rows 2-4")
    code, out = verify_cli(sheet, tmp_path, capsys, "--data", str(data))
    assert code == 0, out
    assert {k.cell: k.recomputed for k in verify_sheet(sheet, data=data).checks if k.what.startswith("monitored")} == {"'Monitoring Report Sheet'!F7": 1200.5, "'Monitoring Report Sheet'!F8": 800.25}
    wrong = official.make(tmp_path / "official-wrong.xlsx", points={"PV-1": 1250.5, "PV-2": 800.25}, eg_total=2050.75, re_p=820.3, er=820, source="meter-2021.csv rows 2-4")
    code, out = verify_cli(wrong, tmp_path, capsys, "--data", str(data))
    assert code == 1 and "ERROR         'Monitoring Report Sheet'!F7 EG_i,p: monitored value differs from the re-aggregated data: meter-2021.csv" in out


# -- sheets that cannot be read: exit 2, the sheet and the cell named ---------------------------
def test_unreadable_sheets_exit_2(tmp_path, capsys):
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("hello")
    assert main(["verify", str(not_xlsx)]) == 2
    assert capsys.readouterr().err == f"error: {not_xlsx}: not an .xlsx workbook; expected an Excel .xlsx file (a ZIP container), found a file starting with b'hello'\n"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active["A1"] = "some other workbook"
    book.save(tmp_path / "other.xlsx")
    assert main(["verify", str(tmp_path / "other.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "no header line 'Monitoring Spreadsheet: JCM_<ID>_ver<NN.N>'" in err and "sheet 'Data', cells A1:A10" in err and "found 'some other workbook'" in err


def test_a_text_where_a_monitored_value_belongs_exits_2(tmp_path, capsys):
    sheet = official.make(tmp_path / "official.xlsx", points={"PV-1": "about 1200", "PV-2": 800.25})
    assert main(["verify", str(sheet)]) == 2
    assert f"{sheet}: 'Monitoring Report Sheet'!F7: monitored value is not a number; expected a number, found 'about 1200'" in capsys.readouterr().err


def test_unknown_methodology_version_exits_2(produced, tmp_path, capsys):
    sheet = tamper(produced, tmp_path / "version.xlsx", {INPUT: [set_text("A1", "Monitoring Spreadsheet: JCM_TH_AM001_ver09.0")]})
    assert main(["verify", str(sheet)]) == 2
    assert "'MRS(input)'!A1: unknown version of the methodology in the header line; expected 01.0, found 09.0" in capsys.readouterr().err


def test_tolerance_is_half_a_displayed_unit_or_one_millionth():
    assert half_unit("#,##0.000###") == pytest.approx(5e-7) and half_unit("0.00") == pytest.approx(0.005) and half_unit("#,##0") == 0.5 and half_unit("General") == 0
    from jcmwb.sheets.reader import Cell

    assert tolerance(3600.9) == pytest.approx(3.6009e-3)
    assert tolerance(0.4, Cell("s", "A1", 0.4, number_format="0.00")) == pytest.approx(0.005)
    assert tolerance(1440, exact=True) == 0


# -- the report folder (--out): written in one step, only ever jcmwb's own -------------------------
def test_out_that_is_a_file_is_refused(produced, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("a user's notes\n")
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "verify", str(produced), "--out", str(target)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and done.stderr == f"error: {target}: --out: the output folder is a file; expected a folder (new, empty, or written by jcmwb), found a file\n"
    assert target.read_text() == "a user's notes\n"


def test_out_with_other_content_is_refused_and_left_as_it_was(produced, tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "verification.md").write_text("my own notes\n")
    assert main(["verify", str(produced), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"error: {folder}: --out: the output folder holds files jcmwb did not write; jcmwb replaces only its own folders" in err and "found verification.md" in err
    assert [p.name for p in folder.iterdir()] == ["verification.md"] and (folder / "verification.md").read_text() == "my own notes\n"
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_out_that_holds_the_sheet_is_refused(produced, tmp_path, capsys):
    # The sheet's own folder: writing the reports there would mix them with the user's files.
    assert main(["verify", str(produced), "--out", str(produced.parent)]) == 2
    assert "holds an input of this run" in capsys.readouterr().err


def test_out_written_by_verify_is_replaced_whole(produced, tmp_path, capsys):
    from jcmwb.run.output_folder import MARKER

    folder = tmp_path / "reports-folder"
    assert main(["verify", str(produced), "--out", str(folder)]) == 0
    first = (folder / "verification.md").read_bytes()
    # The marker is what lets jcmwb replace the folder (and nothing else) next time.
    assert json.loads((folder / MARKER).read_text())["files"] == ["verification-report-draft.html", "verification-report-draft.md", "verification.md", "verification.xlsx"]
    assert main(["verify", str(produced), "--out", str(folder)]) == 0
    assert (folder / "verification.md").read_bytes() == first
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["verification-report-draft.html", "verification-report-draft.md", "verification.md", "verification.xlsx"]
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    capsys.readouterr()
