"""Every bundled example runs through its notebook with papermill (what `make demo` does).

One `jcmwb batch` over data/examples, into a temporary reports folder: each monitoring period
must produce the four outputs, a receipt whose hashes are true, and the engine's ER_p.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import jcmwb
from jcmwb.engine.period import load_period, period_files
from jcmwb.engine.spec import METHODOLOGIES
from jcmwb.run.runner import default_output, sha256

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"


def test_every_methodology_has_an_example_and_a_notebook():
    specs = sorted(p.parent.name for p in METHODOLOGIES.glob("*/methodology.yaml"))
    with_example = {load_period(p).spec.id for p in period_files(EXAMPLES)}
    assert set(specs) <= with_example, f"methodologies without an example: {set(specs) - with_example}"
    missing = [s for s in specs if not (ROOT / "notebooks" / f"{s}.ipynb").exists()]
    assert not missing, f"methodologies without a notebook: {missing}"


@pytest.mark.slow
def test_batch_runs_every_example_through_papermill(tmp_path):
    files = period_files(EXAMPLES)
    assert len(files) >= 2
    done = subprocess.run(
        [sys.executable, "-m", "jcmwb.cli", "batch", str(EXAMPLES), "--reports", str(tmp_path), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(files)} ok, 0 failed" in done.stdout
    for path in files:
        period = load_period(path)
        out = default_output(period, tmp_path)
        assert sorted(p.name for p in out.iterdir()) == [".jcmwb-output", "MRS.xlsx", "notebook.ipynb", "receipt.json", "report.html"], path
        receipt = json.loads((out / "receipt.json").read_text())
        for name, digest in receipt["outputs"].items():
            assert sha256(out / name) == digest, (path, name)
        assert receipt["result"]["value"] == jcmwb.calculate(path).er, path
