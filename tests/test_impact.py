"""``jcmwb impact``: what a changed default does to every affected period (issue 11 item 5).

The hand-derived case is the TH_AM001 example with the grid emission factor EF_RE changed from
the spec's provisional 0.4 tCO2/MWh to 0.455 tCO2/MWh (a value chosen so that the new ER_p is
odd and Japan's half is rounded up, as in TH014):

* EG_p, the example's generation: the sum of the 15-minute values of
  ``data/examples/TH_AM001/generation-2021.csv`` (PV-1 4,308.609207 MWh + PV-2 4,287.793408 MWh
  = 8,596.402615 MWh; the calibration errors are 0.0 % and the gaps are left unfilled, so the
  engine corrects nothing; the test sums the file itself to hold this number to the data).
* ER_p = RE_p - PE_p = EG_p x EF_RE - 0, rounded down (``rounding: down`` in the spec).
  Before: 8,596.402615 x 0.4 = 3,438.561046 -> 3,438 tCO2.
  After: 8,596.402615 x 0.455 = 3,911.363190 -> 3,911 tCO2.
  Difference: +473 tCO2 = 473 / 3,438 = +13.7580 %.
* Allocation ``{JP: 50%, TH: 50%, rounding: {JP: up}}`` (the TH014 rule, tests/test_issuance.py):
  Japan gets 50 % rounded up, Thailand the remainder.
  Before: 3,438 / 2 = 1,719 -> JP 1,719, TH 1,719.
  After: 3,911 / 2 = 1,955.5 -> JP 1,956 (up), TH 3,911 - 1,956 = 1,955.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TH_EF_GRID

from jcmwb.cli import main
from jcmwb.engine.errors import InputError
from jcmwb.engine.spec import load_spec
from jcmwb.engine.whatif import AFFECTED, ERROR, NOT_OF_RECORD, SOURCE, UNAFFECTED, WHAT_IF, apply, assess_period, parse_overrides

EXAMPLES = ROOT / "data" / "examples"
TH_EXAMPLE = EXAMPLES / "TH_AM001"
TH101 = EXAMPLES / "projects" / "EXAMPLE-TH101"
NEW_EF = 0.455
SET = f"TH_AM001.EF_RE.grid={NEW_EF}"
OUTPUTS = ["impact-credits.csv", "impact.csv", "impact.md", "impact.png", "impact.xlsx"]


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def example_generation_mwh() -> float:
    """EG_p of the TH_AM001 example straight from its CSV (kWh per 15 minutes), not through jcmwb."""
    with (TH_EXAMPLE / "generation-2021.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["unit"] for r in rows} == {"kWh"}
    return math.fsum(float(r["value"]) for r in rows) / 1000.0


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry below one folder: the TH_AM001 example, the EXAMPLE-TH101 project folder (three
    periods, one across a year end), a period of another methodology, a TH_AM001 period on the
    captive choice (untouched by a change of ``grid``), and a
    period file that is bad (its own error; the others go on)."""
    root = tmp_path_factory.mktemp("registry") / "periods"
    shutil.copytree(TH_EXAMPLE, root / "TH_AM001")
    shutil.copytree(TH101, root / "projects" / "EXAMPLE-TH101")
    shutil.copytree(EXAMPLES / "ID_AM002", root / "ID_AM002")
    typed = "methodology: TH_AM001\nproject: {id: %s}\nperiod: {start: 2021-01-01, end: 2021-12-31}\n%s\nmonitored: {EG_i_p: {option: C, unit: MWh, values: {PV-1: 1000}}}\n"
    (root / "other").mkdir()
    (root / "other" / "captive.yaml").write_text(typed % ("CAPTIVE", "fixed: {EF_RE: {option: captive}}"))
    (root / "other" / "bad.yaml").write_text("methodology: TH_AM001\nproject: {id: BAD}\nperiod: {start: 2021-01-01, end: 2021-12-31}\nmonitored: {EG_i_p: {option: C, values: {PV-1: .nan}}}\n")
    return root


@pytest.fixture(scope="module")
def run(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``jcmwb impact`` through the command line, in a working directory with a report of record."""
    cwd = tmp_path_factory.mktemp("cwd")
    record = cwd / "reports" / "EXAMPLE-TH001" / "2021-01-01_2021-12-31"
    record.mkdir(parents=True)
    (record / "MRS.xlsx").write_bytes(b"the report of record")
    before = {"inputs": tree(folder), "reports": tree(cwd / "reports")}
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "impact", str(folder), "--set", SET, "--jobs", "2"], capture_output=True, text=True, timeout=900, cwd=cwd)
    return {"cwd": cwd, "done": done, "before": before, "out": cwd / "reports" / "impact"}


# -- the override -----------------------------------------------------------------------------------
def test_apply_changes_the_choice_in_memory_only():
    spec = load_spec("TH_AM001")
    changed = apply(spec, parse_overrides([SET]))
    grid = changed.parameters["EF_RE"].choices["grid"].values
    assert [(v.value, v.status, v.source) for v in grid] == [(NEW_EF, WHAT_IF, SOURCE)]
    assert grid[0].start == spec.parameters["EF_RE"].choices["grid"].values[0].start  # in force from the same date
    assert changed.parameters["EF_RE"].choices["captive"] == spec.parameters["EF_RE"].choices["captive"]
    # The spec loaded from the file is untouched, and the changed one claims no file hash.
    assert spec.parameters["EF_RE"].choices["grid"].values[0].value == TH_EF_GRID
    assert load_spec("TH_AM001").parameters["EF_RE"].choices["grid"].values[0].value == TH_EF_GRID
    assert changed.sha256 == "" and spec.sha256
    assert apply(load_spec("ID_AM002"), parse_overrides([SET])).parameters == load_spec("ID_AM002").parameters


def test_hand_derived_th_am001_example():
    """The case of the module docstring, through the engine."""
    generation = example_generation_mwh()
    assert generation == pytest.approx(8596.402615, abs=1e-6)
    impact = assess_period(TH_EXAMPLE / "EXAMPLE-TH001_2021.yaml", parse_overrides([SET]), EXAMPLES)
    assert impact.status == AFFECTED and impact.file == "TH_AM001/EXAMPLE-TH001_2021.yaml"
    assert (impact.er_before, impact.er_after) == (3438, 3911)
    assert impact.difference == 473 and impact.difference_percent == pytest.approx(13.7580, abs=5e-5)
    assert [(c.party, c.before, c.after) for c in impact.credits] == [("JP", 1719, 1956), ("TH", 1719, 1955)]
    assert [(c.target, c.before, c.after) for c in impact.changes] == [("TH_AM001.EF_RE.grid", "0.4 (provisional)", NEW_EF)]


# -- the command line -------------------------------------------------------------------------------
def test_every_affected_period_before_and_after(run: dict, folder: Path):
    done = run["done"]
    assert done.returncode == 1, done.stdout + done.stderr  # the bad period fails; the others are assessed
    assert "Traceback" not in done.stdout + done.stderr
    assert "TH_AM001.EF_RE.grid = 0.455 tCO2/MWh: 4 period(s) affected, 2 unaffected, 1 failed" in done.stdout
    assert f"note: {NOT_OF_RECORD}" in done.stdout
    assert "outputs: reports/impact/ (" + ", ".join(OUTPUTS) + ")" in done.stdout
    assert sorted(p.name for p in run["out"].iterdir() if p.name != ".jcmwb-output") == OUTPUTS

    rows = {r["file"]: r for r in read_csv(run["out"] / "impact.csv")}
    assert all(r["record"] == "WHAT-IF, not the calculation of record" for r in rows.values())
    example = rows["TH_AM001/EXAMPLE-TH001_2021.yaml"]
    assert (example["status"], example["er_before"], example["er_after"], example["difference_t"], example["difference_percent"]) == (AFFECTED, "3438", "3911", "473", "13.7580")
    assert example["change"] == "TH_AM001.EF_RE.grid: 0.4 (provisional) -> 0.455 tCO2/MWh"
    assert rows["ID_AM002/EXAMPLE-ID001_2021.yaml"]["status"] == UNAFFECTED
    assert rows["ID_AM002/EXAMPLE-ID001_2021.yaml"]["note"] == "methodology ID_AM002 is not changed"
    assert rows["other/captive.yaml"]["note"] == "the period uses EF_RE choice 'captive', not 'grid'"
    assert rows["other/bad.yaml"]["status"] == ERROR and "monitored.EG_i_p.values.PV-1" in rows["other/bad.yaml"]["note"]

    # The project's periods: ER_p = EG_p x EF_RE rounded down, EG_p read by the engine from each
    # period's own data (it does not depend on EF_RE); the vintages add up to each ER_p after
    # the change, and Japan's share of each period is half of ER_p rounded up.
    import jcmwb

    credits = read_csv(run["out"] / "impact-credits.csv")
    project = {f: r for f, r in rows.items() if f.startswith("projects/EXAMPLE-TH101/")}
    assert len(project) == 3 and all(r["status"] == AFFECTED and r["project_folder"] == "projects/EXAMPLE-TH101" for r in project.values())
    for file, row in project.items():
        generation = jcmwb.calculate(folder / file).values["EG_p"]
        assert int(row["er_before"]) == math.floor(generation * TH_EF_GRID)
        assert int(row["er_after"]) == math.floor(generation * NEW_EF)
        mine = [c for c in credits if c["file"] == file]
        for side, er in (("credits_before", int(row["er_before"])), ("credits_after", int(row["er_after"]))):
            assert sum(int(c[side]) for c in mine) == er
            assert sum(int(c[side]) for c in mine if c["party"] == "JP") == math.ceil(er / 2)
    across = [c for c in credits if c["file"] == "projects/EXAMPLE-TH101/2022-10_2023-03.yaml"]
    assert sorted({c["year"] for c in across}) == ["2022", "2023"]  # split by calendar year


def test_what_if_is_said_in_every_output(run: dict):
    import openpyxl

    out = run["out"]
    assert NOT_OF_RECORD in (out / "impact.md").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(out / "impact.xlsx")
    assert [book[name]["A2"].value for name in ("Impact", "Credits")] == [NOT_OF_RECORD, NOT_OF_RECORD]
    assert all(r["record"].startswith("WHAT-IF") for r in read_csv(out / "impact-credits.csv"))
    assert (out / "impact.png").read_bytes().startswith(b"\x89PNG")


def test_no_input_and_no_report_of_record_changes(run: dict, folder: Path):
    assert tree(folder) == run["before"]["inputs"]
    after = tree(run["cwd"] / "reports")
    assert {k: v for k, v in after.items() if not k.startswith("impact/")} == run["before"]["reports"]


def test_same_inputs_same_bytes(run: dict, folder: Path, tmp_path: Path):
    # A second run into another folder, one worker: the same bytes, the chart and workbook included.
    assert main(["impact", str(folder), "--set", SET, "--out", str(tmp_path / "again"), "--jobs", "1"]) == 1
    assert tree(tmp_path / "again") == tree(run["out"])


@pytest.mark.slow
def test_libreoffice_recalculates_the_differences(run: dict, tmp_path: Path):
    import openpyxl

    from jcmwb.sheets.recalc import cell_values, recalculate

    path = run["out"] / "impact.xlsx"
    formulas = {(ws.title, c.coordinate) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
    # Per period: difference in t and in % (5 periods with numbers), the totals; per credit row: the difference.
    assert len(formulas) >= 2 * 4 + 3 + 10
    cached = cell_values(path)
    recalculated = cell_values(recalculate(path, tmp_path / "lo"))
    for key in formulas:
        expected, found = cached.get(key), recalculated.get(key)
        if isinstance(expected, (int, float)):
            assert found == pytest.approx(expected, abs=1e-9), key
        else:
            assert found in (None, ""), key


# -- bad --set: one clear error, exit 2, nothing written ------------------------------------------------
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("TH_AM001.EF_RE.grid=abc", "--set: not a number: 'abc'; expected a number in the parameter's unit (tCO2/MWh)"),
        ("TH_AM001.EF_RE.grid=nan", "--set: not a finite number: 'nan'"),
        ("TH_AM001.EF_RE.grid=-inf", "--set: not a finite number: '-inf'"),
        ("TH_AM001.EF_RE.grid=1e400", "--set: not a finite number: '1e400'"),
        ("TH_AM001.EF_RE.grid", "--set: not a default value to change; expected METHODOLOGY.PARAM[.option]=VALUE"),
        ("TH_AM001.EF_RE=0.5", "--set: EF_RE of TH_AM001 has 2 choices: name the one to change; expected TH_AM001.EF_RE.grid=VALUE or TH_AM001.EF_RE.captive=VALUE"),
        ("TH_AM001.EF_RE.diesel=0.5", "--set: EF_RE of TH_AM001 has no choice 'diesel'; expected one of grid, captive"),
        ("XX_AM999.EF_RE=0.5", "--set: unknown methodology: 'XX_AM999'"),
        ("th_am001.EF_RE.grid=0.5", "--set: not a methodology id: 'th_am001'"),
        ("TH_AM001.EF_XX=0.5", "--set: TH_AM001 has no parameter 'EF_XX'; expected one of its default parameters: EF_RE"),
        ("TH_AM001.EG_i_p=5", "--set: EG_i_p of TH_AM001 is a monitored parameter, not a default value; expected one of its default parameters: EF_RE"),
        ("ID_AM002.COP_PJ_i=5", "--set: COP_PJ_i of ID_AM002 is a project-specific parameter (fixed in each period file), not a default value"),
        ("ID_AM002.COP_RE_i=5", "--set: COP_RE_i of ID_AM002 is looked up in a table by Cap_PJ_i; one number cannot replace the table"),
        ("KH_AM002.EF_RE_k=0.5", "--set: EF_RE_k of KH_AM002 has one value per category (grid, diesel); one number cannot set them"),
    ],
)
def test_bad_set_is_one_clear_error(value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    shutil.copytree(TH_EXAMPLE, tmp_path / "in")
    before = tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["impact", "in", "--set", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1, err
    assert tree(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # nothing written, not even reports/


def test_the_same_default_set_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["impact", str(TH_EXAMPLE), "--set", SET, "--set", "TH_AM001.EF_RE.grid=0.5", "--out", str(tmp_path / "out")]) == 2
    assert "--set: TH_AM001.EF_RE.grid is set twice" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_two_methodologies_at_once_and_a_default_without_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    # KE_AM002's EF_RE has a single value (no choices), so --set names no option.
    shutil.copytree(EXAMPLES / "KE_AM002", tmp_path / "in" / "KE_AM002")
    shutil.copytree(TH_EXAMPLE, tmp_path / "in" / "TH_AM001")
    assert main(["impact", str(tmp_path / "in"), "--set", "KE_AM002.EF_RE=0.35", "--set", SET, "--out", str(tmp_path / "out")]) == 0
    assert "KE_AM002.EF_RE = 0.35 tCO2/MWh; TH_AM001.EF_RE.grid = 0.455 tCO2/MWh: 2 period(s) affected" in capsys.readouterr().out
    rows = {r["methodology"]: r for r in read_csv(tmp_path / "out" / "impact.csv")}
    import jcmwb

    generation = jcmwb.calculate(tmp_path / "in" / "KE_AM002" / "EXAMPLE-KE002_2022.yaml").values["EG_p"]
    assert rows["KE_AM002"]["change"] == "KE_AM002.EF_RE: 0.3 (provisional) -> 0.35 tCO2/MWh"
    assert int(rows["KE_AM002"]["er_after"]) == math.floor(generation * 0.35)
    assert rows["TH_AM001"]["er_after"] == "3911"
    with pytest.raises(InputError, match="EF_RE of KE_AM002 has no choice 'grid'; expected one of default"):
        parse_overrides(["KE_AM002.EF_RE.grid=0.35"])


def test_a_bad_set_raises_input_error_in_the_api():
    with pytest.raises(InputError) as info:
        parse_overrides(["TH_AM001.EF_RE.grid=0,5"])
    assert info.value.where == "--set" and info.value.found == "'TH_AM001.EF_RE.grid=0,5'"


def test_the_output_folder_may_not_hold_the_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    shutil.copytree(TH_EXAMPLE, tmp_path / "in")
    before = tree(tmp_path)
    assert main(["impact", str(tmp_path / "in"), "--set", SET, "--out", str(tmp_path)]) == 2
    assert "the output folder holds" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_a_folder_without_periods_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["impact", str(tmp_path), "--set", SET, "--out", str(tmp_path / "out")]) == 2
    assert "no monitoring-period files or project folders found" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unaffected_only_writes_the_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["impact", str(EXAMPLES / "ID_AM002"), "--set", SET, "--out", str(tmp_path / "out")]) == 0
    assert "0 period(s) affected, 1 unaffected, 0 failed" in capsys.readouterr().out
    assert "No period is affected." in (tmp_path / "out" / "impact.md").read_text(encoding="utf-8")


def test_an_input_text_is_escaped_where_it_is_shown(tmp_path: Path):
    period = (TH_EXAMPLE / "EXAMPLE-TH001_2021.yaml").read_text(encoding="utf-8")
    shutil.copytree(TH_EXAMPLE, tmp_path / "in")
    (tmp_path / "in" / "EXAMPLE-TH001_2021.yaml").unlink()
    (tmp_path / "in" / "=1+1 <img src=x>.yaml").write_text(period, encoding="utf-8")
    assert main(["impact", str(tmp_path / "in"), "--set", SET, "--out", str(tmp_path / "out")]) == 0
    assert read_csv(tmp_path / "out" / "impact.csv")[0]["file"] == "'=1+1 <img src=x>.yaml"  # a spreadsheet shows it, never runs it
    text = (tmp_path / "out" / "impact.md").read_text(encoding="utf-8")
    assert "=1+1 &lt;img src=x&gt;.yaml" in text and "<img" not in text
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out" / "impact.xlsx")["Impact"]
    assert sheet["D7"].value == "=1+1 <img src=x>.yaml" and sheet["D7"].data_type == "s"  # a string cell, not a formula


# -- on a Dask cluster ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="jcmwb[cluster] (distributed) is in the test extras")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.mark.slow
def test_on_a_local_cluster_the_same_bytes(cluster: str, run: dict, folder: Path, tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "jcmwb.cli", "impact", str(folder), "--set", SET, "--scheduler", cluster, "--out", str(tmp_path / "cluster")],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=run["cwd"],
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the bad period, as locally
    assert "4 period(s) affected, 2 unaffected, 1 failed" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert tree(tmp_path / "cluster") == tree(run["out"])
    assert tree(folder) == run["before"]["inputs"]


def test_a_period_giving_its_own_value_is_unaffected(tmp_path: Path):
    # ID_AM022's NCV_gas is a default a project may replace by its own measured value.
    shutil.copytree(EXAMPLES / "ID_AM022", tmp_path / "ID_AM022")
    period = tmp_path / "ID_AM022" / "EXAMPLE-ID022_2022.yaml"
    own = tmp_path / "ID_AM022" / "own.yaml"
    text = period.read_text(encoding="utf-8")
    assert "fixed:\n  EF_elec: {option: grid}\n" in text
    own.write_text(text.replace("fixed:\n", "fixed:\n  NCV_gas: {value: 0.038, unit: GJ/Nm3, source: gas supplier's analysis}\n"), encoding="utf-8")
    change = parse_overrides(["ID_AM022.NCV_gas=0.04"])
    mine = assess_period(own, change, tmp_path)
    assert (mine.status, mine.note, mine.er_before) == (UNAFFECTED, "the period gives its own project-specific NCV_gas", None)
    assert assess_period(period, change, tmp_path).status == AFFECTED


def test_records_are_plain_data():
    # What a worker sends back must pickle (a process pool, a Dask cluster).
    import pickle

    impact = assess_period(TH_EXAMPLE / "EXAMPLE-TH001_2021.yaml", parse_overrides(["ID_AM002.EF_elec.grid=0.5"]), EXAMPLES)
    assert impact.status == UNAFFECTED and pickle.loads(pickle.dumps(impact)) == impact
    assert dataclasses.is_dataclass(impact)
