"""`jcmwb new`: a scaffolded methodology checks and runs with no Python written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jcmwb.cli import main

ROOT = Path(__file__).resolve().parent.parent
NEW_ID = "ZZ_AM990"
CREATED = [
    ROOT / "methodologies" / NEW_ID,
    ROOT / "data" / "examples" / NEW_ID,
    ROOT / "tests" / "cases" / NEW_ID,
    ROOT / "notebooks" / f"{NEW_ID}.ipynb",
]


@pytest.fixture()
def scaffolded():
    assert not any(p.exists() for p in CREATED), "left over from an interrupted run: remove " + NEW_ID
    try:
        yield
    finally:
        for path in CREATED:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


@pytest.mark.slow
def test_new_methodology_runs_without_python(scaffolded, tmp_path, capsys):
    assert main(["new", NEW_ID]) == 0
    assert all(p.exists() for p in CREATED)
    assert main(["check", NEW_ID]) == 0
    period = ROOT / "data" / "examples" / NEW_ID / f"EXAMPLE-{NEW_ID}_2021.yaml"
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "run", str(period), "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    # 12 months x (100 + 50) MWh = 1,800 MWh; x 0.5 tCO2/MWh (placeholder) = 900 tCO2.
    assert done.stdout.startswith("ER_p = 900 tCO2/p")
    assert "PROVISIONAL" in done.stdout
    # The scaffold's case file passes the case runner's arithmetic too.
    from test_cases import compare, run

    case, result = run(ROOT / "tests" / "cases" / NEW_ID / "scaffold_typed_values.yaml")
    assert compare(case, result) == []


def test_new_refuses_bad_id_and_existing(capsys):
    assert main(["new", "not-an-id"]) == 2
    assert "not a methodology id; expected CC_AMnnn" in capsys.readouterr().err
    assert main(["new", "TH_AM001"]) == 2
    assert "the methodology already exists; nothing was written" in capsys.readouterr().err
