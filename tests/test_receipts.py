"""Receipts (issue 12, items 3 and 12): a forged receipt fails, a malformed one is one clear error.

The tree under test is laid out as a repository with its reports::

    tree/data/period.yaml, tree/data/energy.csv        (tests/fixtures/verify/TH_AM001)
    tree/reports/VERIFY-1/2021-01-01_2021-01-01/       MRS.xlsx ... receipt.json

so the receipt names its inputs ``../../../data/period.yaml`` and ``../../../data/energy.csv``
(three folders up from the receipt's folder, then down), as the docs define.

Most tests re-run without a kernel: ``fake_run`` stands in for ``jcmwb.run.runner.run`` and
writes outputs whose bytes follow from the input bytes, with the receipt ``make_receipt``
writes, so a forged receipt is caught by the same comparison as with real outputs. The
tests marked slow run the notebook for real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import jcmwb
from jcmwb.cli import main
from jcmwb.engine.period import load_period
from jcmwb.run.runner import make_receipt, sha256

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "verify" / "TH_AM001"
NOTEBOOK = ROOT / "notebooks" / "TH_AM001.ipynb"
LABEL = Path("reports") / "VERIFY-1" / "2021-01-01_2021-01-01"


def fake_outputs(period_file: Path, out: Path) -> dict[str, Any]:
    """What a run writes, without a kernel: outputs derived from the input bytes, and the receipt."""
    period = load_period(period_file)
    result = jcmwb.calculate(period)
    digest = sha256(period_file) + sha256(Path(period.monitored["EG_i_p"].data))
    for name in ("MRS.xlsx", "notebook.ipynb", "report.html"):
        (out / name).write_text(f"{name} from {digest} ER {result.er}\n")
    receipt = make_receipt(result.summary(), period, NOTEBOOK, out)
    (out / "receipt.json").write_text(json.dumps(receipt, indent=2) + "\n")
    return receipt


class FakeRun:
    """Stands in for ``jcmwb.run.runner.run``: records its calls, writes ``fake_outputs``."""

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def __call__(self, period_file: Path, out: Path, **_: Any) -> Any:
        self.calls.append(Path(period_file))
        fake_outputs(Path(period_file), Path(out))

        class Outcome:
            out_dir = Path(out)
            er = jcmwb.calculate(period_file).er

        return Outcome()


@pytest.fixture()
def fake_run(monkeypatch) -> FakeRun:
    runner = FakeRun()
    monkeypatch.setattr("jcmwb.run.runner.run", runner)
    return runner


def make_tree(root: Path) -> Path:
    """``root/data`` and ``root/reports/...`` with fake outputs; returns the receipt."""
    shutil.copytree(FIXTURE, root / "data")
    out = root / LABEL
    out.mkdir(parents=True)
    fake_outputs(root / "data" / "period.yaml", out)
    return out / "receipt.json"


@pytest.fixture()
def receipt(tmp_path) -> Path:
    return make_tree(tmp_path / "tree")


def forge(path: Path, change) -> Path:
    body = json.loads(path.read_text())
    change(body)
    path.write_text(json.dumps(body, indent=2) + "\n")
    return path


def verify(receipt: Path, capsys) -> tuple[int, str]:
    code = main(["verify", "--receipt", str(receipt)])
    return code, capsys.readouterr().out


# -- the format -----------------------------------------------------------------------------------
def test_receipt_paths_are_relative_to_its_folder(receipt):
    body = json.loads(receipt.read_text())
    assert body["receipt"] == 2
    assert [(i["role"], i["path"]) for i in body["inputs"]] == [("monitoring period", "../../../data/period.yaml"), ("data for EG_i_p", "../../../data/energy.csv")]
    assert body["methodology"]["spec"] == "methodologies/TH_AM001/methodology.yaml" and body["notebook"]["path"] == "notebooks/TH_AM001.ipynb"
    assert sorted(body["outputs"]) == ["MRS.xlsx", "notebook.ipynb", "report.html"]
    assert not [p for p in json.dumps(body).split('"') if p.startswith("/")], "an absolute path in the receipt"


def test_a_true_receipt_passes(receipt, capsys, fake_run):
    code, out = verify(receipt, capsys)
    assert code == 0, out
    assert "  output identical MRS.xlsx (beside the receipt: identical)" in out and "  output identical receipt.json" in out
    assert out.rstrip().endswith("receipt re-run: outputs identical byte for byte")
    assert not [p for p in receipt.parent.parent.iterdir() if ".rerun-" in p.name], "the re-run folder was left behind"


# -- forged receipts: exit 1, the entry named ----------------------------------------------------------
FORGED = [
    ("no inputs", lambda b: b.update(inputs=[]), "ERROR         inputs: the receipt names no monitoring-period file: nothing to re-run"),
    ("no outputs", lambda b: b.update(outputs={}), "ERROR         outputs: an output of the run is missing from the receipt: MRS.xlsx"),
    ("result changed", lambda b: b["result"].update(value=1441.0), "ERROR         result.value: re-run ER_p differs from the receipt's; expected 1,441, found 1,440"),
    ("one value changed", lambda b: b["result"]["values"].update(RE_p=1500.0), "ERROR         result.values.RE_p: re-run value differs from the receipt's; expected 1,500, found 1,440.36"),
    ("a value added", lambda b: b["result"]["values"].update(XX=1.0), "ERROR         result.values.XX: not in the re-run's receipt: an entry the run does not have"),
    ("a value dropped", lambda b: b["result"]["values"].pop("PE_p"), "ERROR         result.values.PE_p: missing from the receipt"),
    ("data file dropped", lambda b: b["inputs"].pop(), "ERROR         inputs: an input of the run is missing from the receipt: data for EG_i_p; expected ../../../data/energy.csv"),
    ("output dropped", lambda b: b["outputs"].pop("report.html"), "ERROR         outputs: an output of the run is missing from the receipt: report.html"),
    ("output added", lambda b: b["outputs"].update({"extra.txt": "0" * 64}), 'ERROR         outputs["extra.txt"]: not an output of a run; it is not read'),
    ("own hash", lambda b: b["outputs"].update({"receipt.json": "0" * 64}), 'ERROR         outputs["receipt.json"]: a receipt cannot hold its own hash'),
    ("warnings emptied", lambda b: b.update(warnings=[]), "ERROR         warnings: the receipt differs from the re-run's receipt here; expected []"),
    ("provisional hidden", lambda b: b.update(provisional_defaults=[]), "ERROR         provisional_defaults: the receipt differs from the re-run's receipt here"),
    ("title changed", lambda b: b["project"].update(title="Another plant"), "ERROR         project.title: the receipt differs from the re-run's receipt here; expected Another plant, found Verification test plant"),
    ("spec hash", lambda b: b["methodology"].update(spec_sha256="0" * 64), "the library's methodology spec differs from the one the receipt names"),
    ("unknown methodology", lambda b: b["methodology"].update(id="../../../../etc"), "ERROR         methodology.id: no such methodology in the library"),
    ("two period files", lambda b: b["inputs"].append(dict(b["inputs"][0])), "ERROR         inputs: the receipt names 2 monitoring-period files"),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in FORGED], ids=[c[0] for c in FORGED])
def test_forged_receipt_fails_naming_the_entry(receipt, capsys, fake_run, change, message):
    code, out = verify(forge(receipt, change), capsys)
    assert code == 1, out
    assert message in out, out
    assert "receipt re-run: DIFFERENCES FOUND" in out


def test_an_added_input_outside_the_run_is_never_read(receipt, tmp_path, capsys, fake_run, monkeypatch):
    # A file outside the tree, named the way ../../etc/passwd would be.
    secret = tmp_path / "secret.txt"
    secret.write_text("not jcmwb's\n")
    escape = os.path.relpath(secret, receipt.parent)
    assert escape.startswith("../../../../")
    read: list[Path] = []
    real = sha256
    monkeypatch.setattr("jcmwb.run.runner.sha256", lambda p: read.append(Path(p).resolve()) or real(p))
    forge(receipt, lambda b: b["inputs"].append({"role": "data for EG_i_p", "path": escape, "sha256": sha256(secret)}))
    code, out = verify(receipt, capsys)
    assert code == 1 and f"ERROR         inputs[2]: not an input of this run (the monitoring-period file names no such file); it is not read; expected one of ../../../data/period.yaml, ../../../data/energy.csv, found {escape}" in out
    assert "  input  NOT READ  data for EG_i_p" in out
    assert secret.resolve() not in read and read, "the added file was hashed"


def test_a_period_file_that_is_not_yaml_is_never_read(receipt, tmp_path, capsys, fake_run):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n")
    forge(receipt, lambda b: b["inputs"][0].update(path=os.path.relpath(secret, receipt.parent)))
    code, out = verify(receipt, capsys)
    assert code == 1 and "ERROR         inputs[0].path: not a monitoring-period file; it is not read; expected a .yaml file, found ../../../../passwd" in out
    assert not fake_run.calls


def test_an_output_changed_beside_the_receipt_is_named(receipt, capsys, fake_run):
    (receipt.parent / "MRS.xlsx").write_text("edited by hand\n")
    code, out = verify(receipt, capsys)
    assert code == 1 and f"ERROR         {receipt.parent / 'MRS.xlsx'}: the file beside the receipt differs from the receipt's hash (changed since the run)" in out
    assert "  output identical MRS.xlsx (beside the receipt: CHANGED)" in out


def test_a_changed_input_is_named(receipt, capsys, fake_run):
    data = receipt.parents[3] / "data" / "energy.csv"
    data.write_bytes(data.read_bytes().replace(b"PV-1,12500", b"PV-1,12501", 1))
    code, out = verify(receipt, capsys)
    assert code == 1 and f"  input  CHANGED   data for EG_i_p: {data}" in out and "  input  unchanged monitoring period" in out
    assert f"ERROR         {data}: input file changed since the receipt was written" in out
    assert "INCONSISTENCY MRS.xlsx: re-run output differs byte for byte (an input changed)" in out


def test_another_jcmwb_version_is_a_note(receipt, capsys, fake_run):
    code, out = verify(forge(receipt, lambda b: b.update(jcmwb_version="0.0.1")), capsys)
    assert f"NOTE          jcmwb_version: the receipt was written by jcmwb 0.0.1, this is jcmwb {jcmwb.__version__}" in out
    assert code == 0 and "receipt re-run: agrees; outputs differ only for the reasons in the notes above" in out


# -- where a receipt is copied ------------------------------------------------------------------------
def test_the_whole_tree_copied_to_another_depth_still_verifies(receipt, tmp_path, capsys, fake_run):
    moved = tmp_path / "elsewhere" / "much" / "deeper"
    shutil.copytree(receipt.parents[3], moved)
    shutil.rmtree(receipt.parents[3])
    code, out = verify(moved / LABEL / "receipt.json", capsys)
    assert code == 0, out
    assert f"  input  unchanged data for EG_i_p: {moved / 'data' / 'energy.csv'}" in out


def test_the_receipt_folder_copied_with_its_inputs_at_the_same_relative_positions(receipt, tmp_path, capsys, fake_run):
    other = tmp_path / "other"
    shutil.copytree(receipt.parent, other / "x" / "y" / "z")
    shutil.copytree(receipt.parents[3] / "data", other / "data")
    shutil.rmtree(receipt.parents[3])  # the copy stands alone
    code, out = verify(other / "x" / "y" / "z" / "receipt.json", capsys)
    assert code == 0, out
    assert f"  input  unchanged monitoring period: {other / 'data' / 'period.yaml'}" in out


def test_the_receipt_folder_copied_without_its_inputs_names_them_missing(receipt, tmp_path, capsys, fake_run):
    alone = tmp_path / "alone" / "x" / "r"
    shutil.copytree(receipt.parent, alone)
    code, out = verify(alone / "receipt.json", capsys)
    assert code == 1 and f"ERROR         {tmp_path / 'data' / 'period.yaml'}: input file missing (keep the receipt's folder and its inputs at the same relative positions)" in out
    assert not fake_run.calls


# -- malformed receipts: exit 2, one line naming the key, no traceback --------------------------------
def _set(*keys, value):
    def change(body):
        for key in keys[:-1]:
            body = body[key]
        body[keys[-1]] = value

    return change


MALFORMED = [
    ("a folder", None, "is a folder, not a receipt", "--receipt"),
    ("input without path", lambda b: b["inputs"][0].pop("path"), "inputs[0].path: missing key", "inputs[0].path"),
    ("result a list", _set("result", value=[1440]), "result: not a mapping", "result"),
    ("result a number", _set("result", value=1440), "result: not a mapping", "result"),
    ("inputs a mapping", _set("inputs", value={"period": "x"}), "inputs: not a list", "inputs"),
    ("outputs a list", _set("outputs", value=["MRS.xlsx"]), "outputs: not a mapping", "outputs"),
    ("value a text", _set("result", "value", value="1440"), "result.value: not a number", "result.value"),
    ("output escapes", lambda b: b["outputs"].update({"../../etc/passwd": "0" * 64}), 'outputs["../../etc/passwd"]: not a file name in the receipt\'s folder', "outputs"),
    ("input absolute", _set("inputs", 0, "path", value="/etc/passwd"), "inputs[0].path: not a path relative to the receipt's folder", "inputs[0].path"),
    ("input climbs after a name", _set("inputs", 1, "path", value="data/../../../x.csv"), "inputs[1].path: not a path relative to the receipt's folder", "inputs[1].path"),
    ("hash not hex", _set("inputs", 0, "sha256", value="abc"), "inputs[0].sha256: not a sha256", "inputs[0].sha256"),
    ("key missing", lambda b: b.pop("outputs"), "outputs: missing key", "outputs"),
    ("key unknown", _set("extra", value=1), "extra: unknown key", "extra"),
    ("format 1", _set("receipt", value=1), "receipt: a receipt of format 1", "receipt"),
    ("JSON list", "[1, 2]", "not a jcmwb receipt; expected a JSON object", "JSON object"),
    ("not JSON", "receipt: yes\n", "line 1 column 1: not JSON", "not JSON"),
    ("empty", "", "not JSON", "not JSON"),
    ("not UTF-8", b"\xff\xfe{}", "not UTF-8 text", "UTF-8"),
    ("NaN", "nan", "result.value: not a valid value; expected a finite number, found NaN (not a number)", "result.value"),
    ("infinity", "inf", "result.values.RE_p: not a valid value; expected a finite number, found Infinity (not a number)", "result.values.RE_p"),
    ("1e400", "1e400", "result.value: not a valid value; expected a finite number, found 1e400 (beyond the range of a number)", "result.value"),
    ("400 digits", "digits", "result.value: not a valid value; expected a finite number, found a number of 401 digits", "result.value"),
    ("5000 digits", "digits5000", "result.value: not a valid value; expected a finite number, found a number of 5000 digits", "result.value"),
    ("duplicate key", "duplicate", "result.value: not a valid value; expected each key once, found a key given twice", "result.value"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "not a receipt: nested too deeply", "nested"),
]


def _malformed(receipt: Path, change: Any) -> Path:
    text = receipt.read_text()
    if change is None:
        return receipt.parent
    if callable(change):
        return forge(receipt, change)
    if isinstance(change, bytes):
        receipt.write_bytes(change)
        return receipt
    value = '"value": 1440.0'
    assert text.count(value) == 1
    replaced = {
        "nan": text.replace(value, '"value": NaN'),
        "inf": text.replace('"RE_p": 1440.3600000000001', '"RE_p": Infinity'),
        "1e400": text.replace(value, '"value": 1e400'),
        "digits": text.replace(value, '"value": 1' + "0" * 400),
        "digits5000": text.replace(value, '"value": ' + "9" * 5000),
        "duplicate": text.replace(value, value + ', "value": 1.0'),
    }.get(change, change)
    assert replaced != text
    receipt.write_text(replaced)
    return receipt


@pytest.mark.parametrize(("change", "message", "key"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_receipt_is_one_clear_error(receipt, change, message, key):
    target = _malformed(receipt, change)
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "verify", "--receipt", str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {target}: "), done.stderr
    assert message in lines[0] and key in lines[0], lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_fifo_or_device_is_refused_without_reading(tmp_path):
    fifo = tmp_path / "receipt.json"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "verify", "--receipt", str(target)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stderr == f"error: {target}: --receipt: not a regular file; expected receipt.json written by `jcmwb run`, found a device, pipe or socket\n"


def test_text_from_a_receipt_is_shown_on_one_line(receipt, capsys, fake_run):
    forge(receipt, lambda b: b["project"].update(title="plant\n\x1b[31mRED"))
    code, out = verify(receipt, capsys)
    assert code == 1 and "expected plant\\n\\x1b[31mRED, found Verification test plant" in out
    assert "\x1b" not in out


# -- --out with --receipt -------------------------------------------------------------------------------
def test_receipt_out_keeps_the_rerun_and_refuses_foreign_folders(receipt, tmp_path, capsys, fake_run):
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("mine\n")
    assert main(["verify", "--receipt", str(receipt), "--out", str(a_file)]) == 2
    assert "the output folder is a file" in capsys.readouterr().err and a_file.read_text() == "mine\n"
    assert main(["verify", "--receipt", str(receipt), "--out", str(receipt.parent)]) == 2
    assert "holds an input of this run" in capsys.readouterr().err
    assert not fake_run.calls, "a refused --out must cost no re-run"
    kept = tmp_path / "rerun"
    assert main(["verify", "--receipt", str(receipt), "--out", str(kept)]) == 0
    assert sorted(p.name for p in kept.iterdir() if not p.name.startswith(".")) == ["MRS.xlsx", "notebook.ipynb", "receipt.json", "report.html"]
    assert (kept / "receipt.json").read_bytes() == receipt.read_bytes()
    # jcmwb's own folder is replaced on the next verify; it is not refused.
    assert main(["verify", "--receipt", str(receipt), "--out", str(kept)]) == 0


# -- real runs (kernel) -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_real_runs_give_byte_identical_receipts_and_verify_after_a_copy(tmp_path):
    jcmwb_cli = [sys.executable, "-m", "jcmwb.cli"]
    trees = []
    for name in ("a", "b/at/another/depth"):
        tree = tmp_path / name
        shutil.copytree(FIXTURE, tree / "data")
        done = subprocess.run([*jcmwb_cli, "run", "data/period.yaml", "--out", str(LABEL)], cwd=tree, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        trees.append(tree / LABEL)
    # The same inputs give the same bytes wherever the tree sits, the receipt included.
    for name in ("MRS.xlsx", "notebook.ipynb", "report.html", "receipt.json"):
        assert (trees[0] / name).read_bytes() == (trees[1] / name).read_bytes(), name
    # The first tree, copied to another depth (the original gone), verifies by a real re-run.
    moved = tmp_path / "c" / "d" / "e"
    shutil.copytree(tmp_path / "a", moved)
    shutil.rmtree(tmp_path / "a")
    done = subprocess.run([*jcmwb_cli, "verify", "--receipt", str(moved / LABEL / "receipt.json")], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  output identical receipt.json" in done.stdout and "receipt re-run: outputs identical byte for byte" in done.stdout
    # A forged result in a real receipt fails the real re-run.
    forge(moved / LABEL / "receipt.json", lambda b: b["result"].update(value=1441.0))
    done = subprocess.run([*jcmwb_cli, "verify", "--receipt", str(moved / LABEL / "receipt.json")], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 1 and "ERROR         result.value: re-run ER_p differs from the receipt's; expected 1,441, found 1,440" in done.stdout
