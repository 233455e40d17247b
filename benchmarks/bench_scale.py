"""Runs per second of `jcmwb batch` over the bundled examples: local pool vs a Dask LocalCluster.

    .venv/bin/python benchmarks/bench_scale.py [--workers 1 2 4] [--repeat 1]

For each worker count it runs every monitoring period of data/examples/ once through a local
process pool and once on a Dask LocalCluster (one process per worker, one thread each), in
turn, and prints the runs/s of each and their ratio. Outputs go to a temporary folder. The
numbers depend on the machine (cores, other load): read them side by side, not alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jcmwb.engine.period import period_files  # noqa: E402
from jcmwb.run.batch import run_all  # noqa: E402


def timed(files: list[Path], **how) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="jcmwb-bench-scale-") as reports:
        started = time.perf_counter()
        failed = sum(not o.ok for o in run_all(files, reports=reports, **how))
        return time.perf_counter() - started, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration (median reported)")
    args = parser.parse_args()
    from distributed import LocalCluster

    files = period_files(ROOT / "data" / "examples")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {len(files)} monitoring periods")
    print(f"{'workers':>7}  {'local runs/s':>12}  {'dask runs/s':>11}  {'dask/local':>10}")
    for workers in args.workers:
        local, dask = [], []
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            for _ in range(args.repeat):
                seconds, failed = timed(files, jobs=workers)
                assert failed == 0, f"{failed} local runs failed"
                local.append(len(files) / seconds)
                seconds, failed = timed(files, scheduler=cluster.scheduler_address)
                assert failed == 0, f"{failed} cluster runs failed"
                dask.append(len(files) / seconds)
        a, b = statistics.median(local), statistics.median(dask)
        print(f"{workers:>7}  {a:>12.2f}  {b:>11.2f}  {b / a:>10.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
