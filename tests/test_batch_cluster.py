"""``jcmwb batch --scheduler``: the examples on a Dask LocalCluster with 2 workers (issue 11 item 4).

Outputs and receipts must be the same bytes whichever way a period ran, and a bad period is
that period's error while the others complete.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from jcmwb.engine.period import period_files

pytestmark = pytest.mark.slow
EXAMPLES = ROOT / "data" / "examples"
SAME_BYTES = ("ID_AM002", "TH_AM016", "MM_AM002")  # also run locally, to compare byte for byte


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="jcmwb[cluster] (distributed) is in the test extras")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


def test_examples_on_a_local_cluster_equal_a_local_run(cluster: str, tmp_path: Path) -> None:
    periods = tmp_path / "periods"
    shutil.copytree(EXAMPLES, periods)
    bad = periods / "bad" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("methodology: TH_AM001\nproject: {id: BAD}\nperiod: {start: 2021-01-01, end: 2021-12-31}\nmonitored: {EG_i_p: {option: C, values: {PV-1: .nan}}}\n")
    files = period_files(periods)
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "batch", str(periods), "--reports", str(tmp_path / "cluster"), "--scheduler", cluster], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert done.returncode == 1, done.stdout + done.stderr  # the bad period fails, the others run
    assert f"{len(files) - 1} ok, 1 failed" in done.stdout
    assert f"ERROR {bad}: {bad}: monitored.EG_i_p.values.PV-1:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr

    local_periods = tmp_path / "local-periods"
    for name in SAME_BYTES:
        shutil.copytree(periods / name, local_periods / name)
    # Same relative layout (periods/<ID>/ beside the reports folder), so the receipts' relative paths agree.
    shutil.rmtree(periods)
    local_periods.rename(periods)
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "batch", str(periods), "--reports", str(tmp_path / "local"), "--jobs", "2"], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    local = tree(tmp_path / "local")
    on_cluster = {name: digest for name, digest in tree(tmp_path / "cluster").items() if name.split("/")[0] in {n.split("/")[0] for n in local}}
    assert local and on_cluster == local


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "ID_AM002", tmp_path / "p")
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "batch", str(tmp_path / "p"), "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("error: --scheduler: cannot reach the Dask scheduler") and done.stderr.count("\n") == 1
