"""Generate the SYNTHETIC monitoring data of the two example project folders (jcmwb project).

Run from the repository root::

    .venv/bin/python data/generators/projects.py

It (re)writes, byte for byte the same on every run:

``data/examples/projects/EXAMPLE-TH101/generation-2022-2023.csv``
    hourly energy per inverter block (PV-1, PV-2) from 2022-01-01 to 2023-03-31, for the
    second and third monitoring periods of the TH_AM001 project (the first period uses the
    15-minute data of ``data/examples/TH_AM001/generation-2021.csv`` itself). Model: the 2021
    series of that example summed per hour and laid on the same month, day and hour of 2022
    and 2023, times 0.995 per year since 2021 (module degradation of 0.5 %/year). An hour with
    no 15-minute value in 2021 has no row (a gap, left unfilled); an hour with some of its
    quarters missing sums the quarters present (less energy: conservative).
``data/examples/projects/EXAMPLE-ID117/{pv,battery-charge,battery-discharge}-2021-2022.csv``
    hourly values from 2021-12-02 to 2022-10-31 (a period across a year end, like MV002's
    2021-12-02 to 2022-10-31) for the ID_AM017 project: the 2020 series of
    ``data/examples/ID_AM017/`` laid on the same month, day and hour (29 February is not used).

Nothing here was measured; it is not data of any JCM project.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from _common import EXAMPLES, fmt, write_csv

PROJECTS = EXAMPLES / "projects"
DEGRADATION = 0.995  # per year since the source year


def _read(path: Path) -> list[tuple[dt.datetime, str, float, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(dt.datetime.fromisoformat(r["timestamp"]), r["point"], float(r["value"]), r["unit"]) for r in csv.DictReader(handle)]


def _shifted(rows: list[tuple[dt.datetime, str, float, str]], start: dt.date, end: dt.date, factor_per_year: float = 1.0) -> list[list[str]]:
    """Rows of the source year laid on every day from ``start`` to ``end`` with the same month, day and hour."""
    by_key: dict[tuple[int, int, int, str], tuple[float, str]] = {}
    hourly: dict[tuple[int, int, int, str], float] = defaultdict(float)
    units: dict[tuple[int, int, int, str], str] = {}
    source_year = rows[0][0].year
    for stamp, point, value, unit in rows:
        key = (stamp.month, stamp.day, stamp.hour, point)
        hourly[key] += value
        units[key] = unit
    for key, value in hourly.items():
        by_key[key] = (value, units[key])
    points = sorted({r[1] for r in rows})
    out: list[list[str]] = []
    day = start
    while day <= end:
        years = day.year - source_year
        for hour in range(24):
            for point in points:
                found = by_key.get((day.month, day.day, hour, point))
                if found is None:
                    continue
                value, unit = found
                stamp = dt.datetime(day.year, day.month, day.day, hour)
                out.append([stamp.isoformat(), point, fmt(value * factor_per_year**years), unit])
        day += dt.timedelta(days=1)
    return out


def main() -> None:
    th = _read(EXAMPLES / "TH_AM001" / "generation-2021.csv")
    rows = _shifted(th, dt.date(2022, 1, 1), dt.date(2023, 3, 31), DEGRADATION)
    write_csv(PROJECTS / "EXAMPLE-TH101" / "generation-2022-2023.csv", ["timestamp", "point", "value", "unit"], rows)
    for name in ("pv", "battery-charge", "battery-discharge"):
        source = _read(EXAMPLES / "ID_AM017" / f"{name}-2020.csv")
        rows = _shifted(source, dt.date(2021, 12, 2), dt.date(2022, 10, 31))
        write_csv(PROJECTS / "EXAMPLE-ID117" / f"{name}-2021-2022.csv", ["timestamp", "point", "value", "unit"], rows)


if __name__ == "__main__":
    main()
