"""Generate the benchmark inputs: years of interval data for many points, from a fixed seed.

Run with ``.venv/bin/python benchmarks/make_inputs.py [--out DIR] [NAME ...]`` (``make bench``
runs it first). Writes, into ``benchmarks/inputs/`` (git-ignored by its own ``.gitignore``),
one folder per input, each holding a TH_AM001 monitoring-period file and its CSV:

``year5min-20p``
    1 year (2021) x 5-minute data x 20 points: 2,102,400 rows (the issue's 2.1M-row year).
``year5min-50p``
    the same for 50 points: 5,256,000 rows (growth: 2.5x the rows).
``year10min-19p``
    1 year x 10-minute data x 19 points: 998,640 rows, under the 1,048,576 rows of a
    spreadsheet (the LibreOffice SUMIF comparison reads the same rows from an .xlsx).

The CSV is laid out like the examples' (``timestamp,point,value,unit``, rows ordered by time
then point, ISO timestamps, kWh with three decimals). Values follow a clear-sky day shape
with seeded day-to-day weather; each point loses a few seeded blocks of intervals (a logger
outage), so the gap code runs as it does on real data. The same seed gives the same bytes:
an input is regenerated only when its file is missing or ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "inputs"
SEED = 20210101
YEAR_START = np.datetime64("2021-01-01T00:00")
YEAR_DAYS = 365


@dataclass(frozen=True)
class Input:
    name: str
    minutes: int
    points: int

    @property
    def rows_per_point(self) -> int:
        return YEAR_DAYS * 24 * 60 // self.minutes

    def rows(self) -> int:
        """Rows in the file (every interval of every point, less the seeded outages)."""
        return self.points * self.rows_per_point - sum(len(_outage(self, p)) for p in range(self.points))


INPUTS = {i.name: i for i in (Input("year5min-20p", 5, 20), Input("year5min-50p", 5, 50), Input("year10min-19p", 10, 19))}


def _outage(spec: Input, point: int) -> np.ndarray:
    """Indices (of the point's intervals) lost to two seeded logger outages of up to a day."""
    rng = np.random.default_rng([SEED, spec.minutes, point])
    per_day = 24 * 60 // spec.minutes
    lost = []
    for _ in range(2):
        start = int(rng.integers(0, spec.rows_per_point - per_day))
        lost.append(np.arange(start, start + int(rng.integers(1, per_day))))
    return np.unique(np.concatenate(lost))


def _values(spec: Input, point: int) -> np.ndarray:
    """kWh per interval of one point: a half-sine day from 06:00 to 18:00 times seeded weather."""
    rng = np.random.default_rng([SEED, spec.minutes, point, 1])
    per_day = 24 * 60 // spec.minutes
    hours = (np.arange(per_day) + 0.5) * spec.minutes / 60
    shape = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None)
    weather = rng.uniform(0.3, 1.0, YEAR_DAYS)[:, None] * rng.uniform(0.85, 1.0, (YEAR_DAYS, per_day))
    peak_kw = 2500 * (0.8 + 0.4 * point / max(spec.points - 1, 1))
    return (peak_kw * spec.minutes / 60 * shape[None, :] * weather).ravel()


def write_input(spec: Input, folder: Path) -> Path:
    """Write ``folder/period.yaml`` and ``folder/data.csv`` for ``spec``; returns the period file."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"P{p + 1:02d}" for p in range(spec.points)]
    steps = np.arange(spec.rows_per_point)
    stamps = (YEAR_START + steps * np.timedelta64(spec.minutes, "m")).astype("datetime64[s]").astype(str)
    # Rows in time order, the points of one timestamp together, as a logger exports them.
    keep = np.ones((spec.rows_per_point, spec.points), dtype=bool)
    values = np.empty((spec.rows_per_point, spec.points))
    for p in range(spec.points):
        keep[_outage(spec, p), p] = False
        values[:, p] = _values(spec, p)
    t_index, p_index = np.nonzero(keep)
    csv = folder / "data.csv"
    tmp = csv.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write("timestamp,point,value,unit\n")
        chunk = 200_000
        for lo in range(0, len(t_index), chunk):
            t, p = t_index[lo : lo + chunk], p_index[lo : lo + chunk]
            text = np.char.add(np.char.add(stamps[t], ","), np.array(names)[p])
            numbers = np.char.mod("%.3f", values[t, p])
            lines = np.char.add(np.char.add(np.char.add(text, ","), numbers), ",kWh\n")
            out.write("".join(lines.tolist()))
    tmp.replace(csv)
    period = folder / "period.yaml"
    points = "\n".join(f'      {n}: "synthetic block {n}"' for n in names)
    period.write_text(
        f"""# Benchmark input {spec.name} (benchmarks/make_inputs.py, seed {SEED}): SYNTHETIC data.
methodology: TH_AM001
project:
  id: BENCH-{spec.name}
  title: "benchmark: 1 year x {spec.minutes}-minute data x {spec.points} points (synthetic)"
  partner_country: TH
period:
  start: "2021-01-01"
  end: "2021-12-31"
fixed:
  EF_RE: {{option: grid}}
monitored:
  EG_i_p:
    option: C
    data: data.csv
    format: interval
    interval: {spec.minutes}min
    unit: kWh
    points:
{points}
eligibility: {{"1": yes, "2": yes, "3": yes}}
allocation: {{JP: "50%", TH: "50%", rounding: {{JP: up}}}}
""",
        encoding="utf-8",
    )
    return period


def ensure(names: list[str] | None = None, out: Path = DEFAULT_OUT, force: bool = False) -> dict[str, Path]:
    """The period file of each named input (all when ``names`` is None), generated when missing."""
    out.mkdir(parents=True, exist_ok=True)
    ignore = out / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# generated by benchmarks/make_inputs.py\n*\n", encoding="utf-8")
    paths = {}
    for name in list(INPUTS) if names is None else names:
        folder = out / name
        if force or not (folder / "data.csv").exists() or not (folder / "period.yaml").exists():
            print(f"generating {name} ({INPUTS[name].rows():,} rows) in {folder}", file=sys.stderr)
            write_input(INPUTS[name], folder)
        paths[name] = folder / "period.yaml"
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="inputs to generate: " + ", ".join(INPUTS) + " (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="regenerate even when the files exist")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in INPUTS]
    if unknown:
        parser.error(f"unknown input {unknown[0]!r}; choose from " + ", ".join(INPUTS))
    for name, path in ensure(args.names or None, args.out, args.force).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
