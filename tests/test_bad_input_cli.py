"""Every bad-input fixture (tests/fixtures/bad/*/*.yaml) through the command line.

tests/test_bad_input.py checks each fixture's error through the Python API. Here each one goes
through ``jcmwb check FILE`` and ``jcmwb run FILE --out TMP``: exit code 2, exactly one error
line (``ERROR ...`` for check, ``error: ...`` on stderr for run) naming the file and saying what
the API says, no traceback, no warning, nothing written (the --out folder absent, nothing beside
it, reports/ untouched) and every input unchanged.

Most run in this process through ``jcmwb.cli.main`` (a process per fixture costs about a second
each); a spread sample of 10 runs as ``python -m jcmwb.cli`` in child processes too. ``run`` of
a fixture whose problem is in its data file starts the notebook's kernel (the data are read
there), so those runs are marked slow.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import BAD, FIXTURES, ROOT
from test_bad_input import DATA_CASES, PERIOD_CASES, SPEC_CASES

from jcmwb.cli import main

REPORTS = ROOT / "reports"
FILES = sorted(BAD.glob("*/*.yaml"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]
SAMPLE = FILES[:: max(1, len(FILES) // 10)][:10]


def _expectations() -> dict[str, tuple[str, list[str]]]:
    """fixture id -> (file named in the message, parts of the message), from the API tests' tables."""
    tables = [("spec", SPEC_CASES), ("period", PERIOD_CASES), ("data", DATA_CASES)]
    try:
        from test_hostile_input import CASES as HOSTILE_CASES
    except ImportError:  # the hostile fixtures' table lives with their own tests
        HOSTILE_CASES = []
    tables.append(("hostile", HOSTILE_CASES))
    return {f"{kind}/{c[0]}": (c[2], list(c[3])) for kind, cases in tables for c in cases}


EXPECTED = _expectations()


def _uses_a_test_spec(path: Path) -> bool:
    """A period of a test methodology (XX_AM9nn) whose spec is a fixture: the command line, which
    resolves ids inside the library only, refuses it as an unknown methodology instead."""
    return "methodology: XX_AM9" in path.read_text(encoding="utf-8", errors="replace")


def _is_spec(path: Path) -> bool:
    first = next((line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip() and not line.startswith("#")), "")
    return not first.startswith("methodology:")


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


# The project ids of the fixtures: a run would write reports/<id>/ (other work on the same
# tree may write other folders of reports/ meanwhile, so only these are watched).
PROJECTS = sorted({m for p in FILES for m in re.findall(r"project: *\{ *id: *\"?([^,}\"]+)", p.read_text(encoding="utf-8", errors="replace"))})


def _listing(folder: Path) -> set[str]:
    """Everything below reports/<project>/ for the fixtures' projects."""
    return {str(p.relative_to(folder)) for project in PROJECTS for p in [folder / project, *(folder / project).rglob("*")] if p.exists()}


def _check_message(line: str, path: Path, command: str) -> None:
    """The one line says what the API says about this fixture (or, where the command line
    cannot read the file as the API test does, names it with the reason it can)."""
    assert "Traceback" not in line
    fixture = f"{path.parent.name}/{path.stem}"
    file_name, parts = EXPECTED.get(fixture, (path.name, []))
    if _uses_a_test_spec(path):
        assert f"{path.name}: methodology: unknown methodology" in line, line
    elif command == "run" and _is_spec(path):
        assert f"{path.name}: " in line, line  # a spec is no monitoring period: named as the file refused
    else:
        assert f"{file_name}: " in line, f"{file_name} not named in {line!r}"
        for part in parts:
            assert part in line, f"{part!r} not in {line!r}"


@pytest.fixture(scope="module")
def untouched():
    """reports/<fixture project>/ and every fixture file are the same after all the runs as before."""
    reports, inputs = _listing(REPORTS), _digest(FIXTURES)
    yield
    assert _digest(FIXTURES) == inputs, "an input was changed"
    assert _listing(REPORTS) == reports, "reports/ was written to"


def test_every_fixture_is_listed_with_its_message():
    """Each fixture's expected message comes from the API tests' tables: none is left out."""
    assert len(FILES) >= 100
    assert {"BAD-TH", "BAD-HOSTILE", "DATA-TH"} <= set(PROJECTS)
    missing = [i for i in IDS if i not in EXPECTED and not i.startswith("hostile/")]
    assert not missing, missing


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_check_exits_2_with_one_error_line(path, capsys, untouched):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would be a second line on stderr
        code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert err == ""
    errors = [line for line in out.splitlines() if line.startswith("ERROR ")]
    assert len(errors) == 1, out
    assert out.splitlines() == [errors[0], "1 problem(s) found"]
    _check_message(errors[0], path, "check")


# `run` reads the period file and its spec before any kernel starts; the monitoring data are
# read in the notebook's kernel (one calculation a run), so a bad data file costs a kernel start:
# those fixtures run with the slow tests.
RUN_PARAMS = [pytest.param(p, marks=pytest.mark.slow) if p.parent.name in ("data", "hostile") else p for p in FILES]


@pytest.mark.parametrize("path", RUN_PARAMS, ids=IDS)
def test_run_exits_2_and_writes_nothing(path, capsys, tmp_path, untouched):
    out_dir = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["run", str(path), "--out", str(out_dir)])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    _check_message(lines[0][len("error: ") :], path, "run")
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == [], "a run on bad input wrote something beside --out"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jcmwb.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.slow
def test_a_sample_in_child_processes(tmp_path, untouched):
    """``python -m jcmwb.cli``: what a user runs, interpreter start and stream encoding included."""
    assert len(SAMPLE) == 10 and len({p.parent.name for p in SAMPLE}) == 4  # spread over every kind
    done = _cli("check", *map(str, SAMPLE))
    assert done.returncode == 2 and done.stderr == ""
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR ")]
    assert len(errors) == len(SAMPLE) and done.stdout.splitlines()[-1] == f"{len(SAMPLE)} problem(s) found"
    for line, path in zip(errors, SAMPLE):
        _check_message(line, path, "check")
    for n, path in enumerate(SAMPLE):
        out_dir = tmp_path / f"out{n}"
        done = _cli("run", str(path), "--out", str(out_dir))
        assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        _check_message(lines[0], path, "run")
        assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == []
