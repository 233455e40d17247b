"""Output folders (issue 12, items 1, 4 and 6): jcmwb replaces only what it wrote itself.

Each refusal is checked through the command line as a user meets it: exit code 2, one
``error:`` line naming the folder, no traceback, and every file that was there still there
with its bytes. The runs that succeed start a kernel, so they are marked slow.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from jcmwb.engine.errors import InputError, SpecError
from jcmwb.run.output_folder import MARKER, STAGING_MARKER, check_output_folder, clean_leftovers, discard, foreign_entries, publish, staging_folder

EXAMPLE = ROOT / "data" / "examples" / "ID_AM002"
PERIOD = "EXAMPLE-ID001_2021.yaml"


def jcmwb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jcmwb.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (links as their target text) with its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = os.readlink(path).encode()
        elif path.is_file():
            out[key] = path.read_bytes()
    return out


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "proj")
    (tmp_path / "keep.txt").write_text("a user's file\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("not jcmwb's\n")
    (tmp_path / "link").symlink_to(tmp_path / "other", target_is_directory=True)
    return tmp_path


REFUSED = [
    (".", "holds an input of this run"),  # the folder the user stands in, which holds the data
    ("proj", "holds an input of this run"),  # the data folder itself
    ("{tmp}", "holds an input of this run"),  # the data folder's parent, absolute
    ("keep.txt", "the output folder is a file"),
    ("link", "is a symbolic link"),
    ("other", "holds files jcmwb did not write"),
]


@pytest.mark.parametrize(("out", "message"), REFUSED, ids=[o for o, _ in REFUSED])
def test_run_refuses_folders_it_did_not_write(workdir: Path, out: str, message: str) -> None:
    before = snapshot(workdir)
    done = jcmwb("run", f"proj/{PERIOD}", "--out", out.format(tmp=workdir), cwd=workdir)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(workdir) == before


def test_batch_reports_refuses_a_folder_holding_its_inputs(workdir: Path) -> None:
    # The report folder <reports>/<project>/<period> cannot be the data folder, however it is named.
    nested = workdir / "reports" / "EXAMPLE-ID001" / "2021-01-01_2021-12-31"
    shutil.copytree(workdir / "proj", nested)
    before = snapshot(workdir)
    done = jcmwb("batch", str(nested), "--reports", str(workdir / "reports"), cwd=workdir)
    assert done.returncode == 1
    assert "holds an input of this run" in done.stdout
    assert snapshot(workdir) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("project.id", '".."', "not a valid project id"),
        ("project.id", '"../../escape"', "not a valid project id"),
        ("project.id", '"/tmp/x"', "not a valid project id"),
        ("project.id", '"."', "not a valid project id"),
        ("methodology", "../../../../etc/passwd", "not a methodology id"),
        ("methodology", "methodologies/TH_AM001/methodology.yaml", "not a methodology id"),
    ],
)
def test_ids_cannot_name_paths(workdir: Path, field: str, value: str, message: str) -> None:
    period = workdir / "proj" / PERIOD
    text = period.read_text()
    if field == "project.id":
        text = text.replace("id: EXAMPLE-ID001", f"id: {value}")
    else:
        text = text.replace("methodology: ID_AM002", f"methodology: {value}")
    bad = workdir / "proj" / "bad.yaml"
    bad.write_text(text)
    before = snapshot(workdir)
    for verb in ("check", "run"):
        done = jcmwb(verb, "proj/bad.yaml", cwd=workdir)
        assert done.returncode == 2, done.stdout + done.stderr
        assert message in done.stdout + done.stderr
        assert f"{field}:" in done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    assert snapshot(workdir) == before


def test_methodology_link_out_of_the_library_is_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jcmwb.engine import spec as spec_module

    library = tmp_path / "methodologies"
    library.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(ROOT / "methodologies" / "TH_AM001" / "methodology.yaml", outside / "methodology.yaml")
    (library / "TH_AM001").symlink_to(outside, target_is_directory=True)
    monkeypatch.setattr(spec_module, "METHODOLOGIES", library)
    with pytest.raises(SpecError, match="unknown methodology"):
        spec_module.load_spec("TH_AM001")


# -- the folder rules, one by one -----------------------------------------------------------------


def test_absent_and_empty_folders_are_accepted(tmp_path: Path) -> None:
    assert check_output_folder(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert check_output_folder(tmp_path / "empty") == tmp_path / "empty"


def test_a_published_folder_can_be_replaced_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out"
    first = staging_folder(target)
    (first / "MRS.xlsx").write_bytes(b"one")
    publish(first, target)
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "MRS.xlsx"]
    second = staging_folder(target)
    (second / "MRS.xlsx").write_bytes(b"two")
    publish(second, target)
    assert (target / "MRS.xlsx").read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or trash left beside it
    # A file the user added to jcmwb's folder makes it theirs again.
    (target / "my-notes.txt").write_text("mine")
    with pytest.raises(InputError, match="did not write"):
        check_output_folder(target)
    assert foreign_entries(target) == ["my-notes.txt"]


def test_a_forged_or_broken_marker_does_not_make_a_folder_ours(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "data.csv").write_text("x")
    (target / MARKER).write_text('{"written_by": "someone", "files": ["data.csv"]}')
    assert foreign_entries(target) == [MARKER, "data.csv"]
    (target / MARKER).write_text("not json")
    assert foreign_entries(target) == [MARKER, "data.csv"]
    # A marker cannot claim a sub-folder or a link.
    (target / MARKER).write_text('{"written_by": "jcmwb", "files": ["data.csv", "sub"]}')
    (target / "sub").mkdir()
    assert foreign_entries(target) == ["sub"]


def test_a_folder_that_gains_files_during_a_run_is_still_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    staging = staging_folder(target)
    (staging / "MRS.xlsx").write_bytes(b"x")
    target.mkdir()
    (target / "arrived.txt").write_text("meanwhile")
    with pytest.raises(InputError, match="did not write"):
        publish(staging, target)
    assert (target / "arrived.txt").read_text() == "meanwhile"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_staging_of_a_dead_run_is_cleaned_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out"
    dead = _dead_pid()
    stale = tmp_path / f".out.staging-{dead}-abc"
    stale.mkdir()
    (stale / STAGING_MARKER).touch()
    (stale / "notebook.ipynb").write_text("{}")
    empty = tmp_path / f".out.staging-{dead}-def"
    empty.mkdir()
    unmarked = tmp_path / f".out.staging-{dead}-ghi"  # named like ours but holding a user's file
    unmarked.mkdir()
    (unmarked / "precious.txt").write_text("keep")
    live = tmp_path / f".out.staging-{os.getpid()}-jkl"  # a run still going on
    live.mkdir()
    (live / STAGING_MARKER).touch()
    removed = clean_leftovers(target)
    assert sorted(removed) == sorted([stale, empty])
    assert unmarked.exists() and live.exists()


@pytest.mark.slow
def test_kill_9_leaves_nothing_after_the_next_run(workdir: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "jcmwb.cli", "run", f"proj/{PERIOD}", "--out", "out"], cwd=workdir, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(workdir.glob(".out.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(workdir.glob(".out.staging-*")), "the run never started staging"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert list(workdir.glob(".out.staging-*"))  # the leftover the issue saw
    done = jcmwb("run", f"proj/{PERIOD}", "--out", "out", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert not list(workdir.glob(".out*")), list(workdir.iterdir())
    assert sorted(p.name for p in (workdir / "out").iterdir()) == [MARKER, "MRS.xlsx", "notebook.ipynb", "receipt.json", "report.html"]


@pytest.mark.slow
def test_read_only_parent_is_one_clear_error(workdir: Path) -> None:
    if os.geteuid() == 0:
        # root writes anywhere: use a parent that cannot hold folders at all instead
        parent = workdir / "keep.txt"
        out = parent / "out"
    else:
        parent = workdir / "ro"
        parent.mkdir()
        parent.chmod(0o555)
        out = parent / "out"
    done = jcmwb("run", f"proj/{PERIOD}", "--out", str(out), cwd=workdir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "cannot write beside the output folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_failed_run_removes_the_folders_it_created(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "PROJECT" / "2021-01-01_2021-12-31"
    staging = staging_folder(target)
    assert (tmp_path / "reports" / "PROJECT").is_dir()
    discard(staging)
    assert list(tmp_path.iterdir()) == []  # reports/ and reports/PROJECT/ were this run's: gone


def test_a_failed_run_keeps_folders_that_existed_or_filled(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "PROJECT" / "2021-01-01_2021-12-31"
    staging = staging_folder(target)
    (tmp_path / "reports" / "PROJECT" / "other-period").mkdir()  # another run's outputs meanwhile
    discard(staging)
    assert sorted(p.name for p in (tmp_path / "reports" / "PROJECT").iterdir()) == ["other-period"]
