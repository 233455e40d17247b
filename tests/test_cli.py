"""The command line end to end: real papermill runs with a real kernel, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pytest
import yaml

from jcmwb.cli import main
from jcmwb.engine.period import period_files
from jcmwb.run.runner import sha256

ROOT = Path(__file__).resolve().parent.parent
JCMWB = [sys.executable, "-m", "jcmwb.cli"]

SMALL = {
    "methodology": "TH_AM001",
    "project": {"id": "CLI-TEST", "title": "CLI test"},
    "period": {"start": "2021-01-01", "end": "2021-01-31"},
    "fixed": {"EF_RE": {"option": "grid"}},
    "monitored": {"EG_i_p": {"option": "C", "unit": "kWh", "data": "energy.csv", "points": {"PV-1": "block 1"}}},
}


def _small_case(folder: Path) -> Path:
    # Four 15-minute intervals of 10.5 kWh each on 2021-01-05: 42 kWh = 0.042 MWh in the period,
    # one row outside the period (excluded). RE_p = 0.042 x 0.4 = 0.0168 tCO2; ER_p = floor -> 0.
    rows = ["timestamp,point,value"]
    rows += [f"2021-01-05T12:{m:02d}:00,PV-1,10.5" for m in (0, 15, 30, 45)]
    rows += ["2021-02-01T12:00:00,PV-1,99"]
    (folder / "energy.csv").write_text("\n".join(rows) + "\n")
    path = folder / "period.yaml"
    path.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    return path


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*JCMWB, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_run_writes_four_outputs_and_a_true_receipt(tmp_path):
    period = _small_case(tmp_path)
    out = tmp_path / "out"
    done = _cli("run", str(period), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("ER_p = 0 tCO2/p")
    assert sorted(p.name for p in out.iterdir()) == [".jcmwb-output", "MRS.xlsx", "notebook.ipynb", "receipt.json", "report.html"]
    receipt = json.loads((out / "receipt.json").read_text())
    assert receipt["methodology"] == {
        "id": "TH_AM001",
        "version": "01.0",
        "spec": "methodologies/TH_AM001/methodology.yaml",
        "spec_sha256": sha256(ROOT / "methodologies/TH_AM001/methodology.yaml"),
    }
    # Paths relative to the receipt's folder (jcmwb.run.receipts): out/ is beside the inputs.
    assert {i["path"]: i["sha256"] for i in receipt["inputs"]} == {"../period.yaml": sha256(period), "../energy.csv": sha256(tmp_path / "energy.csv")}
    for name, digest in receipt["outputs"].items():
        assert sha256(out / name) == digest, name
    assert receipt["result"]["values"]["RE_p"] == pytest.approx(0.0168, rel=1e-12)
    # The executed notebook ran the methodology and shows its result; the HTML has no code.
    book = nbformat.read(out / "notebook.ipynb", as_version=4)
    texts = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for c in book.cells if c.cell_type == "code" for o in c.outputs)
    assert "ER_p = 0 tCO2/p" in texts
    html = (out / "report.html").read_text()
    assert "ER_p = 0 tCO2/p" in html and "jcmwb.calculate(period_file)" not in html
    sheet = openpyxl.load_workbook(out / "MRS.xlsx", data_only=True)["MRS(input)"]
    assert sheet["A2"].value == "Reference Number: CLI-TEST"

    # A second run into another folder gives byte-identical outputs.
    again = tmp_path / "again"
    assert _cli("run", str(period), "--out", str(again)).returncode == 0
    for name in ("MRS.xlsx", "notebook.ipynb", "report.html"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["period"].update(end="2020-12-31"), "period.end: the period ends before it starts; expected a date on or after 2021-01-01, found 2020-12-31"),
        (lambda m: m["monitored"]["EG_i_p"].update(option="A"), "monitored.EG_i_p.option: monitoring option not allowed for this parameter; expected one of B, C, found 'A'"),
        (lambda m: m.update(methodology="XX_AM999"), "methodology: unknown methodology"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_leaves_nothing(tmp_path, change, message):
    period = _small_case(tmp_path)
    raw = yaml.safe_load(period.read_text())
    change(raw)
    period.write_text(yaml.safe_dump(raw, sort_keys=False))
    before = period.read_bytes()
    out = tmp_path / "out"
    done = _cli("run", str(period), "--out", str(out))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert message in lines[0] and str(period) in lines[0]
    assert not out.exists() and not any(p.name.startswith(".out") for p in tmp_path.iterdir())
    assert period.read_bytes() == before  # inputs are never modified


def test_bad_data_row_named(tmp_path, capsys):
    period = _small_case(tmp_path)
    csv = tmp_path / "energy.csv"
    csv.write_text(csv.read_text().replace("2021-01-05T12:30:00,PV-1,10.5", "2021-01-05T12:30:00,PV-1,ten"))
    assert main(["run", str(period), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "energy.csv: row 4, column value: not a number; expected a number, found 'ten'" in err
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path):
    period = _small_case(tmp_path)
    raw = yaml.safe_load(period.read_text())
    raw["period"]["end"] = "2020-01-01"
    period.write_text(yaml.safe_dump(raw))
    done = _cli("--debug", "run", str(period))
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_list_shows_catalogue(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "TH_AM001" in out and "ID_AM002" in out and "Installation of Solar PV System" in out


def test_check_reports_spec_problems(tmp_path, capsys):
    bad = tmp_path / "methodology.yaml"
    text = (ROOT / "methodologies/TH_AM001/methodology.yaml").read_text().replace("formula: RE_p - PE_p", "formula: RE_p - PE_q")
    bad.write_text(text)
    assert main(["check", "TH_AM001", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "ok  TH_AM001" in out
    assert "ERROR" in out and "PE_q" in out and str(bad) in out


def test_batch_finds_period_files(tmp_path):
    _small_case(tmp_path)
    (tmp_path / "other.yaml").write_text("name: not a period\n")
    assert period_files(tmp_path) == [tmp_path / "period.yaml"]
