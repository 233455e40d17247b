"""SYNTHETIC example data for JCM_CR_AM003 (electric heat pump water heaters, Costa Rica).

Run from the repository root::

    .venv/bin/python data/generators/CR_AM003.py

Writes two ``monthly`` files (``month,point,value,unit``) for calendar year 2019 into
``data/examples/CR_AM003/``, the same bytes on every run: ``heat-pumps-2019-monthly.csv`` (kWh of
each heat pump water heater) and ``pumps-2019-monthly.csv`` (kWh of the hot-water circulation
pump installed with them). Nothing in them is a measurement; the project EXAMPLE-CR003 does not
exist.

Model (hour by hour)
--------------------
Site: a 180-room beach hotel in Guanacaste whose LPG water heaters were replaced by three
air-to-water heat pump water heaters HP-1..HP-3 (each 40 kW of heat at 65 C, rated COP 3.8 at
25 C air; example values) with a 6 m3 storage tank.

1. Hot water [kW of heat] = rooms occupied x (1.1 kWh per room and hour in the shower peaks
   06:00-10:00 and 18:00-22:00, 0.25 otherwise) + laundry and kitchen 45 kW from 08:00 to 17:00.
   Occupancy by month: the dry season (December to April) 0.85, May to August 0.62, September and
   October (rainy) 0.45, November 0.60; Semana Santa (2019-04-14 to 2019-04-21) 0.97. Day-to-day
   AR(1) variation, sd 6 %.
2. Air temperature: a Guanacaste-like monthly mean (27-30 C, indicative) and a diurnal cosine
   (half-range 5 K, warmest at 14:00). The COP at air temperature T is 3.8 x (1 + 0.025 (T - 25)),
   the usual few per cent per kelvin of a heat pump's lift; the storage tank lets the units run
   at full output, sharing the heat equally; HP-2 is serviced 2019-09-16 to 2019-09-22 (the
   other two carry its share).
3. The circulation pump (2.2 kW) runs all year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, days, rng, write_lines

SEED = 2019_0003
START, END = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
UNITS = ("HP-1", "HP-2", "HP-3")
ROOMS, COP_RATED = 180, 3.8
T_MEAN = np.array([27.5, 28.0, 29.0, 30.0, 29.0, 28.0, 28.0, 28.0, 27.0, 27.0, 27.0, 27.0])  # indicative
OCCUPANCY = np.array([0.85, 0.85, 0.85, 0.85, 0.62, 0.62, 0.62, 0.62, 0.45, 0.45, 0.60, 0.85])
SEMANA_SANTA = set(days(dt.date(2019, 4, 14), dt.date(2019, 4, 21)))
SERVICE = {"HP-2": set(days(dt.date(2019, 9, 16), dt.date(2019, 9, 22)))}


def simulate() -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Monthly kWh of each heat pump, and of the circulation pump."""
    calendar = days(START, END)
    variation = 1.0 + 0.06 * ar1(rng(SEED, 1), len(calendar), 0.6)
    weather = 1.0 * ar1(rng(SEED, 2), len(calendar), 0.7)
    units = {u: np.zeros(12) for u in UNITS}
    pump = np.zeros(12)
    for k, day in enumerate(calendar):
        m = day.month - 1
        occupied = ROOMS * (0.97 if day in SEMANA_SANTA else OCCUPANCY[m])
        for hour in range(24):
            peak = 6 <= hour < 10 or 18 <= hour < 22
            heat = (occupied * (1.1 if peak else 0.25) + (45.0 if 8 <= hour < 17 else 0.0)) * variation[k]
            t_air = T_MEAN[m] + weather[k] + 5.0 * np.cos(2 * np.pi * (hour + 0.5 - 14.0) / 24)
            cop = COP_RATED * (1.0 + 0.025 * (t_air - 25.0))
            running = [u for u in UNITS if day not in SERVICE.get(u, set())]
            for unit in running:
                units[unit][m] += heat / len(running) / cop
            pump[m] += 2.2
    return units, pump


def main() -> None:
    units, pump = simulate()
    folder = EXAMPLES / "CR_AM003"
    months = [f"2019-{m + 1:02d}" for m in range(12)]
    write_lines(folder / "heat-pumps-2019-monthly.csv", "month,point,value,unit", [f"{mo},{u},{units[u][m]:.0f},kWh" for m, mo in enumerate(months) for u in UNITS])
    write_lines(folder / "pumps-2019-monthly.csv", "month,point,value,unit", [f"{mo},CP-1,{pump[m]:.0f},kWh" for m, mo in enumerate(months)])
    for u in UNITS:
        print(f"CR_AM003 {u}: {units[u].sum():,.0f} kWh in 2019")
    print(f"CR_AM003 CP-1: {pump.sum():,.0f} kWh in 2019")


if __name__ == "__main__":
    main()
