"""Each number is computed once per run (issue 10): the notebook's kernel calculates, the CLI does not.

The count is taken from outside the code under test: a ``sitecustomize`` module on
``PYTHONPATH`` wraps ``jcmwb.engine.compute.calculate`` in every Python process of the run
(the command line, papermill, the kernel) and appends the process id to a file per call.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

COUNTER = """
import os
import jcmwb
import jcmwb.engine.compute as compute

_calculate = compute.calculate


def counted(*args, **kwargs):
    with open(os.environ["JCMWB_TEST_CALCULATIONS"], "a") as log:
        log.write(f"{os.getpid()}\\n")
    return _calculate(*args, **kwargs)


compute.calculate = counted
jcmwb.calculate = counted
"""


def run_counted(tmp_path: Path, period: Path, out: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(COUNTER)
    log = tmp_path / "calculations.log"
    log.write_text("")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]), "JCMWB_TEST_CALCULATIONS": str(log)}
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "run", str(period), "--out", str(out)], capture_output=True, text=True, env=env, timeout=600)
    return done, log.read_text().split()


@pytest.mark.slow
def test_jcmwb_run_calculates_once_in_the_kernel(tmp_path: Path) -> None:
    done, calls = run_counted(tmp_path, ROOT / "data" / "examples" / "ID_AM002" / "EXAMPLE-ID001_2021.yaml", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert len(calls) == 1, f"calculate ran {len(calls)} times: {calls}"
    assert "ER_p = 146 tCO2/p" in done.stdout  # what the kernel computed, read back by the CLI


@pytest.mark.slow
def test_a_data_error_found_in_the_kernel_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    source = ROOT / "data" / "examples" / "ID_AM002"
    for item in source.iterdir():
        (data / item.name).write_bytes(item.read_bytes())
    register = data / "chiller-2021-register.csv"
    lines = register.read_text().splitlines()
    lines[3] = ",".join(lines[3].split(",")[:2] + ["ten"] + lines[3].split(",")[3:])
    register.write_text("\n".join(lines) + "\n")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    done, calls = run_counted(tmp_path, data / "EXAMPLE-ID001_2021.yaml", tmp_path / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [f"error: {register}: row 4, column reading: not a number; expected a number, found 'ten'"]
    assert len(calls) == 1
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
