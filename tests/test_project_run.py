"""``jcmwb project`` and ``jcmwb plan`` end to end: outputs, the LibreOffice oracle, replacing, bytes.

The kernel runs are slow (one notebook per period); the workbooks' oracle runs on outputs
written in-process from the same issuances (``write_project_outputs``), which is what the
runner writes after the kernels.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES, ROOT

from jcmwb.run.project import PROJECT_OUTPUTS, all_warnings, prepare, write_project_outputs
from jcmwb.sheets.recalc import cell_values, formula_cells, recalculate_many, soffice

TH014 = CASES / "projects" / "TH014"
TH101 = ROOT / "data" / "examples" / "projects" / "EXAMPLE-TH101"
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (make test installs it when root)")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _outputs(tmp_path: Path, name: str = "out") -> tuple[Path, list]:
    project, issuances, plan = prepare(TH101)
    folder = tmp_path / name
    folder.mkdir()
    write_project_outputs(project, issuances, plan, all_warnings(project, issuances), folder)
    return folder, issuances


def test_project_outputs_are_the_listed_ones_and_reproducible(tmp_path):
    first, issuances = _outputs(tmp_path, "a")
    second, _ = _outputs(tmp_path, "b")
    assert _digests(first) == _digests(second)  # same inputs, same bytes (xlsx, png, md, json, csv)
    labels = [i.label for i in issuances]
    expected = sorted(o.name.format(label=label) for o in PROJECT_OUTPUTS for label in (labels if o.per_period else [None]))
    assert sorted(_digests(first)) == expected
    with (first / "ledger.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["period_start", "period_end", "year", "vintage_start", "vintage_end", "party", "credits"]
    assert len(rows) == (1 + 1 + 2) * 2  # periods x calendar years x parties
    summary = json.loads((first / "project.json").read_text(encoding="utf-8"))
    assert summary["totals"]["credits"] == sum(int(r["credits"]) for r in rows)
    third = summary["periods"][2]
    assert [v["year"] for v in third["vintages"]] == [2022, 2023]
    # Every output about the third period shows its unanswered SD item.
    for name in ("issuance-request", "sd-report", "authorization"):
        text = (first / f"{name}_{third['start']}_{third['end']}.md").read_text(encoding="utf-8")
        assert "item(s) 16 not answered" in text, name
    assert "**NOT ANSWERED**" in (first / f"sd-report_{third['start']}_{third['end']}.md").read_text(encoding="utf-8")


def test_documents_escape_input_text(tmp_path):
    project, issuances, _ = prepare(TH101)
    project.info.title = "<script>alert(1)</script> *bold* | pipe"
    folder = tmp_path / "x"
    folder.mkdir()
    write_project_outputs(project, issuances, None, [], folder)
    text = (folder / f"issuance-request_{issuances[0].label}.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\*bold\\*" in text and "\\| pipe" in text


@needs_soffice
def test_libreoffice_recalculation_agrees_with_ledger_and_mps(tmp_path):
    folder, _ = _outputs(tmp_path)
    books = [folder / "ledger.xlsx", folder / "MPS.xlsx"]
    recalculated = recalculate_many(books, tmp_path / "lo")
    for book, redone in zip(books, recalculated):
        cached, fresh = cell_values(book), cell_values(redone)
        formulas = formula_cells(book)
        assert len(formulas) > 10, book
        for cell in formulas:
            assert isinstance(cached[cell], (int, float)), (book.name, cell, cached[cell])
            assert fresh[cell] == pytest.approx(cached[cell], rel=1e-9, abs=1e-6), (book.name, cell)
    ledger = cell_values(folder / "ledger.xlsx")
    # The by-period check column is 0 for every period (its rows add up to the issued ER_p).
    checks = [v for (sheet, cell), v in ledger.items() if sheet == "Totals" and cell.startswith("E") and isinstance(v, (int, float))]
    assert checks == [0, 0, 0]


@pytest.mark.slow
def test_jcmwb_project_end_to_end(tmp_path):
    def project(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jcmwb.cli", "project", str(TH014), "--out", str(tmp_path), *args], capture_output=True, text=True, timeout=900)

    done = project()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2021-01-01_2021-12-31  ER_p = 2,017 tCO2/p  (JP 1,009, TH 1,008; by year 2021: 2,017)" in done.stdout
    assert "authorization JCM-TH014-001: 1,009 tCO2eq to JP, vintage 01/Jan/2021 \u2013 31/Dec/2021, Authorized" in done.stdout
    out = tmp_path / "TH014"
    period = out / "2021-01-01_2021-12-31"
    assert sorted(p.name for p in period.iterdir()) == [".jcmwb-output", "MRS.xlsx", "notebook.ipynb", "receipt.json", "report.html"]
    receipt = json.loads((period / "receipt.json").read_text(encoding="utf-8"))
    assert [i["role"] for i in receipt["inputs"]] == ["monitoring period", "project"]
    assert (out / "ledger.csv").read_text(encoding="utf-8") == (
        "period_start,period_end,year,vintage_start,vintage_end,party,credits\n"
        "2021-01-01,2021-12-31,2021,2021-01-01,2021-12-31,JP,1009\n"
        "2021-01-01,2021-12-31,2021,2021-01-01,2021-12-31,TH,1008\n"
    )
    record = (out / "authorization_2021-01-01_2021-12-31.md").read_text(encoding="utf-8")
    assert "| The quantity of ITMOs authorized | 1,009 tCO2eq |" in record and "| Vintage | 01/Jan/2021 \u2013 31/Dec/2021 |" in record
    before = _digests(out)
    # Run again: the folder is jcmwb's (its period folder too), so it is replaced, with the same bytes.
    again = project()
    assert again.returncode == 0, again.stderr
    assert _digests(out) == before
    # A file jcmwb did not write makes the folder foreign: refused, exit 2, nothing touched.
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = project()
    assert refused.returncode == 2 and "jcmwb replaces only its own folders" in refused.stderr and "notes.txt" in refused.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine" and (out / "ledger.csv").exists()
    # The period file alone runs too (it inherits from project.yaml) and verify --receipt proves it.
    check = subprocess.run([sys.executable, "-m", "jcmwb.cli", "verify", "--receipt", str(period / "receipt.json")], capture_output=True, text=True, timeout=900)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_jcmwb_plan_writes_the_mps(tmp_path):
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "plan", str(TH101), "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    # 2 x 3,915 MWh a year x 0.4 = 3,132 t in every (whole) year of the crediting period 2021-2030.
    assert "  2021  2021-01-01 to 2021-12-31  3,132 tCO2" in done.stdout and "  total 31,320 tCO2" in done.stdout
    assert sorted(p.name for p in (tmp_path / "EXAMPLE-TH101-plan").iterdir()) == [".jcmwb-output", "MPS.xlsx"]


def test_a_project_folder_with_period_folders_is_jcmws(tmp_path):
    """A published folder whose subfolders are themselves jcmwb's may be replaced; one foreign file anywhere makes it foreign."""
    from jcmwb.run.output_folder import check_output_folder, foreign_entries, publish, staging_folder

    target = tmp_path / "P"
    staging = staging_folder(target)
    inner = staging_folder(staging / "2021")
    (inner / "MRS.xlsx").write_text("x", encoding="utf-8")
    publish(inner, staging / "2021")
    (staging / "ledger.csv").write_text("y", encoding="utf-8")
    publish(staging, target)
    assert foreign_entries(target) == []
    assert (target / "2021").stat().st_mode & 0o100  # a published folder can be entered
    assert check_output_folder(target) == target
    (target / "2021" / "extra.txt").write_text("z", encoding="utf-8")
    assert foreign_entries(target) == ["2021"]
    with pytest.raises(Exception, match="jcmwb replaces only its own folders"):
        check_output_folder(target)


def test_earlier_single_runs_in_the_output_folder_are_named(tmp_path, capsys):
    """reports/<id>/ holding `jcmwb run` outputs (each marked, the folder itself not): refused with what to do."""
    from jcmwb.cli import main
    from jcmwb.run.output_folder import publish, staging_folder

    period = tmp_path / "TH014" / "2021-01-01_2021-12-31"
    staging = staging_folder(period)
    (staging / "MRS.xlsx").write_text("x", encoding="utf-8")
    publish(staging, period)
    assert main(["project", str(TH014), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'TH014'}: --out: the output folder holds outputs of single runs (jcmwb run) but was not written by jcmwb project")
    assert err.rstrip().endswith("found 2021-01-01_2021-12-31")
    assert sorted(p.name for p in period.iterdir()) == [".jcmwb-output", "MRS.xlsx"]  # untouched
