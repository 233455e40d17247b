"""The Monitoring Report Sheet: layout, live formulas with values, reproducibility, and the
LibreOffice oracle (forced recalculation must give the engine's numbers)."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import pytest

import jcmwb
from jcmwb.sheets.recalc import cell_values, formula_cells, recalculate, recalculate_many, soffice
from jcmwb.sheets.workbook import CALC_SHEET, INPUT_SHEET, write_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*/*.yaml"))

TH_TYPED = {
    "methodology": "TH_AM001",
    "project": {"id": "WB-TH", "title": "workbook test"},
    "period": {"start": "2021-01-01", "end": "2021-12-31"},
    "fixed": {"EF_RE": {"option": "grid"}},
    "monitored": {"EG_i_p": {"option": "C", "unit": "kWh", "values": {"PV-1": 1_000_000, "PV-2": 2_500_500}}},
}
ID_TYPED = {
    "methodology": "ID_AM002",
    "project": {"id": "WB-ID", "title": "workbook test"},
    "period": {"start": "2021-01-01", "end": "2021-12-31"},
    "fixed": {
        "EF_elec": {"option": "grid"},
        "COP_PJ_i": {"values": {"CH-1": 6.2, "CH-2": 6.4}, "source": "specification sheet"},
        "Cap_PJ_i": {"values": {"CH-1": 500, "CH-2": 800}, "unit": "USRt", "source": "specification sheet"},
    },
    "monitored": {"EC_PJ_i_p": {"option": "C", "unit": "MWh", "values": {"CH-1": 700, "CH-2": 1000}}},
}


def _find(sheet, text: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(text):
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not found in {sheet.title}")


def test_input_sheet_layout(tmp_path):
    result = jcmwb.calculate(TH_TYPED)
    path = write_workbook(result, tmp_path / "MRS.xlsx")
    book = openpyxl.load_workbook(path, data_only=True)
    sheet = book[INPUT_SHEET]
    assert sheet["A1"].value == "Monitoring Spreadsheet: JCM_TH_AM001_ver01.0"
    assert sheet["A2"].value == "Reference Number: WB-TH"
    row, _ = _find(sheet, "(a) Monitoring period")
    headers = [sheet.cell(row, c).value for c in range(1, 12)]
    assert [h.split(")")[0] + ")" for h in headers] == [f"({x})" for x in "abcdefghijk"]
    # One row per point; the values are kWh converted to MWh: 1,000,000 kWh = 1,000 MWh.
    first = [sheet.cell(row + 1, c).value for c in range(1, 12)]
    second = [sheet.cell(row + 2, c).value for c in range(1, 12)]
    assert first[:3] == ["2021-01-01 to 2021-12-31", "PV-1", "EG_i,p"]
    assert (first[4], first[5], first[6]) == (1000.0, "MWh/p", "C")
    assert (second[1], second[4]) == ("PV-2", 2500.5)
    # Table 2 flags the provisional default; Table 3 carries ER_p = floor(3500.5 * 0.4) = 1400.
    t2, _ = _find(sheet, "Table 2")
    assert sheet.cell(t2 + 2, 1).value == "EF_RE" and sheet.cell(t2 + 2, 4).value == 0.4
    assert "PROVISIONAL" in sheet.cell(t2 + 2, 7).value
    t3, _ = _find(sheet, "Table 3")
    assert sheet.cell(t3 + 2, 2).value == 1400
    assert any("PROVISIONAL" in str(c.value) for c in sheet["A"][:6])


def test_calc_process_blocks_are_live_formulas_with_values(tmp_path):
    result = jcmwb.calculate(ID_TYPED)
    path = write_workbook(result, tmp_path / "MRS.xlsx")
    formulas = openpyxl.load_workbook(path)[CALC_SHEET]
    values = openpyxl.load_workbook(path, data_only=True)[CALC_SHEET]
    titles = [c.value for c in formulas["A"] if isinstance(c.value, str) and c.value[:2] in ("1.", "2.", "3.", "4.")]
    assert titles == [
        "1. Calculations for emission reductions",
        "2. Selected default values, etc.",
        "3. Calculations for reference emissions",
        "4. Calculations of the project emissions",
    ]
    by_parameter = {formulas.cell(r, 5).value: r for r in range(1, formulas.max_row + 1) if formulas.cell(r, 5).value}
    # PE_p = (700 + 1000) MWh x 0.8 = 1360; RE_p = (700*6.2/5.85 + 1000*6.4/5.85) * 0.8 = 1468.7179...
    # ER_p = floor(1468.7179 - 1360) = 108.
    expected = {"PE_p": 1360.0, "RE_p": (700 * 6.2 / 5.85 + 1000 * 6.4 / 5.85) * 0.8, "ER_p": 108.0}
    for name, value in expected.items():
        row = by_parameter[name]
        assert str(formulas.cell(row, 3).value).startswith("="), name
        assert values.cell(row, 3).value == pytest.approx(value, rel=1e-12), name
    assert "INT(" in formulas.cell(by_parameter["ER_p"], 3).value and "MAX(" in formulas.cell(by_parameter["ER_p"], 3).value
    assert "'MRS(input)'!" in formulas.cell(by_parameter["RE_p"], 3).value


def test_same_inputs_give_byte_identical_workbook(tmp_path):
    a = write_workbook(jcmwb.calculate(ID_TYPED), tmp_path / "a.xlsx")
    b = write_workbook(jcmwb.calculate(ID_TYPED), tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "2021-12-31T00:00:00Z" in core  # the period end, not the time of writing


def test_write_is_atomic_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "MRS.xlsx"
    target.write_bytes(b"previous")
    result = jcmwb.calculate(TH_TYPED)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("jcmwb.sheets.workbook._write_calc", boom)
    with pytest.raises(RuntimeError):
        write_workbook(result, target)
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (make test installs it when root)")


@needs_soffice
@pytest.mark.slow
def test_oracle_really_recalculates(tmp_path):
    """A cached value that is wrong on purpose must come back corrected: recalculation is forced."""
    import xlsxwriter

    path = tmp_path / "stale.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("x")
    sheet.write_number(0, 0, 2)
    sheet.write_formula(0, 1, "=A1*3", None, 999)
    book.close()
    out = recalculate(path, tmp_path / "lo")
    assert cell_values(out)[("x", "B1")] == 6


def _oracle_compare(produced: Path, recalculated: Path) -> int:
    ours = cell_values(produced)
    theirs = cell_values(recalculated)
    cells = formula_cells(produced)
    assert cells, "no formulas in the workbook"
    for key in cells:
        mine, other = ours.get(key), theirs.get(key)
        assert isinstance(mine, (int, float)), f"{key}: no cached value in our workbook"
        assert isinstance(other, (int, float)), f"{key}: LibreOffice gives {other!r}"
        assert math.isclose(mine, other, rel_tol=1e-12, abs_tol=1e-9), f"{key}: engine {mine!r}, LibreOffice {other!r}"
    return len(cells)


@needs_soffice
@pytest.mark.slow
def test_libreoffice_recalculation_equals_engine(tmp_path):
    """Every formula cell of every produced sheet (typed inputs and every bundled example)."""
    sources: list = [TH_TYPED, ID_TYPED, *EXAMPLES]
    assert EXAMPLES, "no bundled examples in data/examples"
    produced = []
    results = []
    for n, source in enumerate(sources):
        result = jcmwb.calculate(source)
        results.append(result)
        produced.append(write_workbook(result, tmp_path / "ours" / f"mrs{n}.xlsx"))
    recalculated = recalculate_many(produced, tmp_path / "lo")
    for mine, theirs, result in zip(produced, recalculated, results):
        assert _oracle_compare(mine, theirs) >= 3
        row, _ = _find(openpyxl.load_workbook(theirs, data_only=True)[INPUT_SHEET], "Table 3")
        assert openpyxl.load_workbook(theirs, data_only=True)[INPUT_SHEET].cell(row + 2, 2).value == result.er
