"""Shared pieces of the SYNTHETIC example-data generators in this folder.

Nothing here is a measurement. These are small, documented building blocks (seeded random
streams, an AR(1) weather/load noise, approximate monthly climatologies, a chiller part-load
curve, CSV writers) so that every generator is deterministic: the same script gives the same
bytes on every run (seeded ``numpy`` generators, fixed formatting, ``\\n`` line ends).

Climatologies are rounded monthly means of the order reported by the national meteorological
services for each city (Bangkok: Thai Meteorological Department; Jakarta: BMKG; Yangon: DMH
Myanmar; Jubail/Dammam: NCM Saudi Arabia), written from general knowledge of those climates
for load shaping only. They are indicative, not station data, and must never be cited as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from _common import ar1, rng  # noqa: F401  (one random-stream and AR(1) model for every generator)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Monthly mean dry-bulb and wet-bulb temperatures [deg C], January..December (indicative).
CLIMATE = {
    "bangkok": {
        "dry": np.array([27.0, 28.5, 29.7, 30.6, 30.0, 29.6, 29.1, 28.9, 28.4, 28.1, 27.8, 26.6]),
        "wet": np.array([22.0, 23.5, 25.0, 26.0, 26.3, 26.0, 25.7, 25.7, 25.6, 25.2, 24.0, 21.8]),
    },
    "rayong": {
        "dry": np.array([27.0, 28.0, 29.0, 29.8, 29.6, 29.2, 28.8, 28.7, 28.3, 28.0, 27.8, 26.9]),
        "wet": np.array([22.5, 24.0, 25.3, 26.2, 26.4, 26.0, 25.7, 25.7, 25.6, 25.2, 24.2, 22.4]),
    },
    "jakarta": {
        "dry": np.array([27.0, 27.1, 27.6, 28.1, 28.4, 28.1, 27.9, 28.2, 28.5, 28.6, 28.2, 27.6]),
        "wet": np.array([25.0, 25.1, 25.3, 25.5, 25.6, 25.1, 24.6, 24.5, 24.8, 25.1, 25.3, 25.2]),
    },
    "yangon": {
        "dry": np.array([25.0, 26.9, 29.2, 30.9, 29.3, 27.3, 26.8, 26.6, 27.1, 27.6, 27.0, 25.3]),
        "wet": np.array([19.5, 20.5, 22.8, 24.8, 25.6, 25.4, 25.1, 25.0, 25.1, 25.0, 23.3, 20.5]),
    },
    "jubail": {
        "dry": np.array([17.5, 19.0, 22.5, 27.5, 32.5, 35.0, 36.0, 35.5, 33.5, 29.5, 24.0, 19.5]),
        "wet": np.array([13.0, 14.0, 16.5, 19.5, 22.0, 23.5, 26.0, 27.0, 25.5, 22.5, 18.0, 14.5]),
    },
}

KW_PER_USRT = 3.516853  # 12,000 Btu_IT/h = 3.516853 kW (NIST SP 811)


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def daily_temperature(city: str, day: dt.date, anomaly: float = 0.0) -> tuple[float, float]:
    """Daily mean dry- and wet-bulb temperature [deg C]: monthly means interpolated to the day
    (so that seasons change smoothly), plus a weather anomaly [K]."""
    clim = CLIMATE[city]
    position = day.month - 1 + (day.day - 1) / 30.5 - 0.5  # month centres at mid-month
    lo = int(np.floor(position)) % 12
    hi = (lo + 1) % 12
    w = position - np.floor(position)
    dry = (1 - w) * clim["dry"][lo] + w * clim["dry"][hi] + anomaly
    wet = (1 - w) * clim["wet"][lo] + w * clim["wet"][hi] + 0.6 * anomaly
    return float(dry), float(wet)


def eir_part_load(plr: np.ndarray | float, a: float = 0.20, b: float = 0.35, c: float = 0.45) -> np.ndarray:
    """Electric input ratio at part load, DOE-2 quadratic form ``a + b PLR + c PLR^2`` (= 1 at
    full load), for constant-speed centrifugal chillers with inlet guide vanes. Indicative
    coefficients, not a manufacturer's curve."""
    plr = np.asarray(plr, dtype=float)
    return a + b * plr + c * plr**2


def write_lines(path: Path, header: str, rows: Iterable[str]) -> None:
    """A CSV file with ``\\n`` line ends and UTF-8, byte for byte the same on every run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8", newline="\n")
