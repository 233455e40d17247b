"""TPE verification: tampered sheets are caught and the right cell is named.

Sheets are tampered at the XML level (the stored value of one cell inside the .xlsx), which
keeps every other cached value intact, as a hand edit in a spreadsheet program would
before recalculation.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

import jcmwb
from jcmwb.cli import main
from jcmwb.verify import ERROR, INCONSISTENCY, verify_sheet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "verify"))
from make_official_sheet import make as make_official  # noqa: E402

SHEETS = {"MRS(input)": "xl/worksheets/sheet1.xml", "MRS(calc_process)": "xl/worksheets/sheet2.xml"}


def _period(folder: Path) -> Path:
    # PV-1: 96 intervals x 1.25 kWh = 120 kWh = 0.12 MWh; PV-2: 96 x 2.5 kWh = 240 kWh = 0.24 MWh.
    # RE_p = 0.36 MWh x 0.4 tCO2/MWh = 0.144 tCO2 -> too small to tell rounding; scale by 10,000 kWh:
    # PV-1 96 x 12,500 kWh = 1,200 MWh; PV-2 96 x 25,000 kWh = 2,400 MWh; RE_p = 3,600 x 0.4 = 1,440.
    # Add 0.9 MWh on PV-2 (one interval 25,900 kWh): PV-2 = 2,400.9 MWh, RE_p = 1,440.36, ER_p = 1,440.
    rows = ["timestamp,point,value"]
    for n in range(96):
        stamp = f"2021-01-01T{n // 4:02d}:{(n % 4) * 15:02d}:00"
        rows.append(f"{stamp},PV-1,12500")
        rows.append(f"{stamp},PV-2,{25900 if n == 50 else 25000}")
    (folder / "energy.csv").write_text("\n".join(rows) + "\n")
    raw = {
        "methodology": "TH_AM001",
        "project": {"id": "VERIFY-1", "title": "verification test"},
        "period": {"start": "2021-01-01", "end": "2021-01-01"},
        "fixed": {"EF_RE": {"option": "grid"}},
        "monitored": {"EG_i_p": {"option": "C", "unit": "kWh", "data": "energy.csv", "points": {"PV-1": "block 1", "PV-2": "block 2"}}},
    }
    path = folder / "period.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.fixture()
def produced(tmp_path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    period = _period(data)
    result = jcmwb.calculate(period)
    assert result.values["RE_p"] == pytest.approx(1440.36) and result.er == 1440
    return result.to_workbook(tmp_path / "MRS.xlsx"), data


def _cells(path: Path) -> dict[str, dict[str, str]]:
    """Where things are, found by label: value cells of Table 1/2/3 and calc rows by parameter."""
    book = openpyxl.load_workbook(path)
    inp, calc = book["MRS(input)"], book["MRS(calc_process)"]
    out: dict[str, dict[str, str]] = {"t1": {}, "t2": {}, "calc": {}}
    for row in inp.iter_rows():
        if row[1].value in ("PV-1", "PV-2") and row[2].value == "EG_i,p":
            out["t1"][row[1].value] = str(row[0].row)
        if row[0].value == "EF_RE":
            out["t2"]["EF_RE"] = f"D{row[0].row}"
        if isinstance(row[0].value, str) and row[0].value.startswith("Table 3"):
            out["t3"] = {"ER": f"B{row[0].row + 2}"}
    for row in calc.iter_rows():
        if row[4].value:
            out["calc"][row[4].value] = f"C{row[0].row}"
    return out


def _tamper(path: Path, sheet: str, edit) -> Path:
    """Rewrite one worksheet's XML inside the .xlsx with ``edit(xml) -> xml``."""
    target = path.with_name("tampered.xlsx")
    member = SHEETS[sheet]
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == member:
                new = edit(data.decode())
                assert new != data.decode(), "tamper did not change anything"
                data = new.encode()
            dst.writestr(item, data)
    return target


def set_value(cell: str, value: float):
    return lambda xml: re.sub(rf'(<c r="{cell}"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)', rf"\g<1>{value}\g<2>", xml)


def set_text(cell: str, text: str):
    return lambda xml: re.sub(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>', xml, count=1)


def typed_number(cell: str, value: float):
    return lambda xml: re.sub(rf'<c r="{cell}"([^>]*)><f>[^<]*</f><v>[^<]*</v></c>', rf'<c r="{cell}"\g<1>><v>{value}</v></c>', xml)


def delete_row(row: str):
    return lambda xml: re.sub(rf'<row r="{row}"[^>]*>.*?</row>', "", xml, count=1)


def _findings_at(v, cell_suffix: str, severity: str | None = None):
    return [f for f in v.findings if f.cell.endswith(cell_suffix) and (severity is None or f.severity == severity)]


def test_clean_sheet_passes(produced, tmp_path, capsys):
    sheet, data = produced
    assert main(["verify", str(sheet), "--data", str(data), "--out", str(tmp_path / "v")]) == 0
    out = capsys.readouterr().out
    assert "ER_p reported 1,440, recomputed 1,440" in out and "AGREES" in out
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == ["verification-report-draft.html", "verification-report-draft.md", "verification.md", "verification.xlsx"]


def test_monitored_value_changed_is_named_with_the_data(produced):
    sheet, data = produced
    row = _cells(sheet)["t1"]["PV-2"]
    v = verify_sheet(_tamper(sheet, "MRS(input)", set_value(f"E{row}", 2500.9)), data=data)
    hit = _findings_at(v, f"!E{row}", ERROR)
    assert hit and hit[0].expected == pytest.approx(2400.9) and hit[0].found == 2500.9
    assert "differs from the total of energy.csv" in hit[0].message
    assert not v.agrees


def test_total_that_no_longer_sums(produced):
    sheet, _ = produced
    cell = _cells(sheet)["calc"]["sum_i EG_i,p"]
    v = verify_sheet(_tamper(sheet, "MRS(calc_process)", set_value(cell, 3700.9)))
    hit = _findings_at(v, f"!{cell}")
    # The subtotal EG_p is shown, but ER_p does not use it: an inconsistency, not an error.
    assert hit and hit[0].severity == INCONSISTENCY and hit[0].expected == pytest.approx(3600.9) and hit[0].found == 3700.9
    assert not v.agrees and v.er_reported == v.er_recomputed == 1440


def test_default_replaced_by_non_conservative_value(produced):
    sheet, _ = produced
    cell = _cells(sheet)["t2"]["EF_RE"]
    v = verify_sheet(_tamper(sheet, "MRS(input)", set_value(cell, 0.9)))
    hit = _findings_at(v, f"!{cell}", ERROR)
    # With 0.9: RE_p = 3,600.9 x 0.9 = 3,240.81 -> ER_p 3,240 instead of 1,440.
    assert hit and hit[0].expected == 0.4 and hit[0].found == 0.9
    assert "ER_p would be 3,240 instead of 1,440 (raises it, not conservative)" in hit[0].message


def test_unit_slip_kwh_for_mwh(produced):
    sheet, _ = produced
    row = _cells(sheet)["t1"]["PV-1"]
    v = verify_sheet(_tamper(sheet, "MRS(input)", set_text(f"F{row}", "kWh")))
    hit = _findings_at(v, f"!F{row}", ERROR)
    assert hit and hit[0].expected == "MWh/p" and hit[0].found == "kWh"


def test_rounding_up_instead_of_down(produced):
    sheet, _ = produced
    cells = _cells(sheet)
    er_calc, er_table3 = cells["calc"]["ER_p"], cells["t3"]["ER"]
    tampered = _tamper(sheet, "MRS(calc_process)", set_value(er_calc, 1441))
    tampered = _tamper(shutil.copy(tampered, tampered.with_name("step.xlsx")) and tampered.with_name("step.xlsx"), "MRS(input)", set_value(er_table3, 1441))
    v = verify_sheet(tampered)
    for cell in (er_calc, er_table3):
        hit = _findings_at(v, f"!{cell}", ERROR)
        assert hit and hit[0].expected == 1440 and hit[0].found == 1441, cell
        assert "rounded up from 1,440.360000; the methodology rounds down" in hit[0].message
    assert v.materiality_percent == pytest.approx(100 / 1440)


def test_row_deleted(produced):
    sheet, data = produced
    row = _cells(sheet)["t1"]["PV-2"]
    v = verify_sheet(_tamper(sheet, "MRS(input)", delete_row(row)), data=data)
    holes = _findings_at(v, f"!E{row}", ERROR)
    assert holes and "holds no number (row deleted or overwritten?)" in holes[0].message
    assert any("PV-2 is in the data (energy.csv) but has no row in Table 1" in f.message for f in v.findings)
    assert v.er_recomputed == 480  # PV-1 only: floor(1,200 x 0.4)


def test_monitoring_period_changed(produced):
    sheet, _ = produced
    row = _cells(sheet)["t1"]["PV-2"]
    v = verify_sheet(_tamper(sheet, "MRS(input)", set_text(f"A{row}", "2021-01-01 to 2021-01-31")))
    hit = _findings_at(v, f"!A{row}", INCONSISTENCY)
    assert hit and hit[0].expected == "2021-01-01 to 2021-01-01" and hit[0].found == "2021-01-01 to 2021-01-31"


def test_formula_replaced_by_a_different_typed_number(produced):
    sheet, _ = produced
    cell = _cells(sheet)["calc"]["RE_p"]
    v = verify_sheet(_tamper(sheet, "MRS(calc_process)", typed_number(cell, 1500)))
    hits = _findings_at(v, f"!{cell}", ERROR)
    messages = " | ".join(f.message for f in hits)
    assert "a typed number where the methodology's formula is expected" in messages
    assert "reported value differs from the recomputed one" in messages


def test_formula_replaced_by_the_same_number_is_a_note(produced):
    sheet, _ = produced
    cell = _cells(sheet)["calc"]["RE_p"]
    v = verify_sheet(_tamper(sheet, "MRS(calc_process)", typed_number(cell, 1440.36)))
    assert [f.severity for f in _findings_at(v, f"!{cell}")] == ["note"]
    assert v.agrees


def test_official_style_sheet_read_and_verified(tmp_path):
    clean = make_official(tmp_path / "official.xlsx")
    v = verify_sheet(clean)
    assert (v.methodology, v.version, v.reference) == ("TH_AM001", "01.0", "TH999")
    assert v.er_reported == v.er_recomputed == 800 and v.agrees
    wrong = make_official(tmp_path / "official-wrong.xlsx", er=801)
    v = verify_sheet(wrong)
    # Table 1 rows 7-8; Table 2 caption 11, header 12, row 13; Table 3 caption 16, header 17, value C18.
    assert not v.agrees and _findings_at(v, "!C18", ERROR)


def test_unreadable_sheet_exits_2(tmp_path, capsys):
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("hello")
    assert main(["verify", str(not_xlsx)]) == 2
    assert "not a readable .xlsx workbook" in capsys.readouterr().err
    book = openpyxl.Workbook()
    book.active["A1"] = "some other workbook"
    book.save(tmp_path / "other.xlsx")
    assert main(["verify", str(tmp_path / "other.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "no header line 'Monitoring Spreadsheet: JCM_<ID>_ver<NN.N>'" in err and "sheet 'Sheet', cells A1:A10" in err


@pytest.mark.slow
def test_receipt_rerun_passes_and_names_a_changed_input(tmp_path):
    period = _period(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(period), "--out", str(out)]) == 0
    receipt = out / "receipt.json"
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "verify", "--receipt", str(receipt)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "outputs identical byte for byte" in done.stdout
    data = tmp_path / "energy.csv"
    raw = bytearray(data.read_bytes())
    raw[-3] = ord("1") if raw[-3] != ord("1") else ord("2")  # one byte of one value
    data.write_bytes(bytes(raw))
    assert main(["verify", "--receipt", str(receipt)]) == 1
    recorded = json.loads(receipt.read_text())
    assert any(i["path"] == str(data) for i in recorded["inputs"])


def test_receipt_changed_input_named(tmp_path, capsys, monkeypatch):
    """Without re-running a kernel: a changed input is named (the re-run itself is stubbed out)."""
    period = _period(tmp_path)
    data = tmp_path / "energy.csv"
    from jcmwb.runner import sha256

    receipt = tmp_path / "receipt.json"
    receipt.write_text(
        json.dumps(
            {
                "jcmwb_version": jcmwb.__version__,
                "methodology": {"id": "TH_AM001", "version": "01.0", "spec": "methodologies/TH_AM001/methodology.yaml", "spec_sha256": sha256(ROOT / "methodologies/TH_AM001/methodology.yaml")},
                "inputs": [{"role": "monitoring period", "path": str(period), "sha256": sha256(period)}, {"role": "data for EG_i_p", "path": str(data), "sha256": "0" * 64}],
                "outputs": {},
                "result": {"value": 1440.0},
            }
        )
    )

    class Outcome:
        out_dir = tmp_path
        er = 1440.0

    monkeypatch.setattr("jcmwb.runner.run", lambda *a, **k: Outcome())
    assert main(["verify", "--receipt", str(receipt)]) == 1
    out = capsys.readouterr().out
    assert f"{data}: input file changed since the receipt was written" in out
