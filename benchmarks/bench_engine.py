"""Benchmark: where the time of a monitoring-period run goes, measured side by side.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_engine.py``). Prints, for the
TH_AM001 example (a year of 15-minute data, two points) and a synthetic ten-point plant:

- reading the CSV with pandas alone (the floor any implementation pays),
- ``jcmwb.calculate`` (read, validate, gaps, corrections, equations, trace),
- writing the Monitoring Report Sheet,
- a full ``jcmwb run`` (papermill, kernel, notebook, HTML, receipt),

and the ratios between them. Targets (ours, for a participant on a slow laptop): calculate of
the example year under 1 s, a full run under 30 s on a 2-core machine. The ratio to the bare
pandas read shows the price of validation (per-row checks of numbers, timestamps, offsets,
units and duplicates, each naming the row it rejects).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jcmwb  # noqa: E402
from jcmwb.run.runner import run  # noqa: E402
from jcmwb.sheets.workbook import write_workbook  # noqa: E402

EXAMPLE = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def ten_point_case(folder: Path) -> Path:
    """Ten points: the example's two blocks copied five times (renamed), same period file otherwise."""
    frame = pd.read_csv(EXAMPLE.parent / "generation-2021.csv", dtype=str)
    copies = []
    for n in range(5):
        part = frame.copy()
        part["point"] = part["point"] + f"-{n}"
        copies.append(part)
    pd.concat(copies).to_csv(folder / "generation-2021.csv", index=False)
    raw = yaml.safe_load(EXAMPLE.read_text())
    raw["monitored"]["EG_i_p"].pop("points", None)
    raw["monitored"]["EG_i_p"].pop("calibration", None)
    path = folder / "ten.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="jcmwb-bench-"))
    try:
        ten = ten_point_case(work)
        rows = []
        for label, period in (("TH_AM001 example, 2 points", EXAMPLE), ("synthetic, 10 points", ten)):
            raw = yaml.safe_load(period.read_text())
            csv = period.parent / raw["monitored"]["EG_i_p"]["data"]
            read = best_of(lambda csv=csv: pd.read_csv(csv, dtype=str))
            calc = best_of(lambda period=period: jcmwb.calculate(period))
            result = jcmwb.calculate(period)
            sheet = best_of(lambda result=result: write_workbook(result, work / "MRS.xlsx"))
            rows.append((label, read, calc, sheet))
        full = []
        for n in range(2):
            start = time.perf_counter()
            run(EXAMPLE, work / f"run{n}")
            full.append(time.perf_counter() - start)
        print(f"{'case':30} {'pandas read':>12} {'calculate':>10} {'ratio':>7} {'sheet':>8}")
        for label, read, calc, sheet in rows:
            print(f"{label:30} {read:10.3f} s {calc:8.3f} s {calc / read:6.1f}x {sheet:6.3f} s")
        base = rows[0][2]
        print(f"\nfull `jcmwb run` of the example year: {statistics.median(full):.1f} s (median of {len(full)}), {statistics.median(full) / base:.0f}x calculate alone")
        print(f"10 points vs 2 points: calculate {rows[1][2] / rows[0][2]:.1f}x for 5x the data")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
