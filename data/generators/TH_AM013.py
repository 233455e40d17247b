"""SYNTHETIC example data for JCM_TH_AM013 (high efficiency screw chillers for freezing and refrigeration, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM013.py

Writes one daily ``interval`` file (``timestamp,point,value,unit``, interval ``1D``) for calendar
year 2023 into ``data/examples/TH_AM013/``, the same bytes on every run:
``screw-chillers-2023-daily.csv`` (kWh of each chiller). Nothing in it is a measurement; the
project EXAMPLE-TH013 does not exist.

Model (hour by hour)
--------------------
Site: a shrimp processing plant in Samut Sakhon (Bangkok climate, ``_models.CLIMATE['bangkok']``)
whose brine system (-12 C) feeds plate freezers and the cold-store coolers. Two high efficiency
screw chillers with evaporative condensers (example values): SC-1, 350 kW of refrigeration at
rated COP 3.0, and SC-2, 180 kW at rated COP 2.8 (both at -12 C brine and 35 C condensing).

1. Refrigeration load [kW] = cold stores 95 + 2.5 kW/K x (T_out - 25 C) + plate freezers 260 x
   production x landings. Production: 06:00-22:00 Monday to Saturday (1.0), 0.2 at night and on
   Sundays; none on Songkran (2023-04-13 to 2023-04-16) and on 2023-12-31. Landings (the shrimp
   season) by month: 0.7 in January-February, 1.0 in March-May, 0.85 in June-September, 1.1 in
   October-December. Day-to-day AR(1) variation of the freezing load, sd 8 %.
2. Staging: SC-1 alone up to 350 kW, both above (each at the same share of its capacity); a
   chiller runs only above 20 % load (below, the brine tank's thermal mass carries the hour).
3. COP = rated x (1 - 0.25 (1 - PLR)^2) (slide-valve unloading of a screw compressor) x
   (1 - 0.025 x (T_wb - 24 C)) (condensing temperature follows the wet bulb at an evaporative
   condenser).
4. Data gap (row absent): SC-2 on 2023-08-09 (power meter replaced).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2023_0013
START, END = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
CHILLERS = {"SC-1": (350.0, 3.0), "SC-2": (180.0, 2.8)}  # refrigerating capacity [kW], rated COP
MIN_PLR = 0.2
LANDINGS = (0.7, 0.7, 1.0, 1.0, 1.0, 0.85, 0.85, 0.85, 0.85, 1.1, 1.1, 1.1)
CLOSED = set(days(dt.date(2023, 4, 13), dt.date(2023, 4, 16))) | {dt.date(2023, 12, 31)}
GAPS = {("SC-2", dt.date(2023, 8, 9))}


def production(day: dt.date, hour: int) -> float:
    if day in CLOSED:
        return 0.0
    if day.weekday() == 6 or not 6 <= hour < 22:
        return 0.2
    return 1.0


def simulate() -> dict[str, np.ndarray]:
    """Per chiller: electricity of each day [kWh]."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.08 * ar1(rng(SEED, 2), len(calendar), 0.5)
    out = {c: np.zeros(len(calendar)) for c in CHILLERS}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = daily_temperature("bangkok", day, weather[k])
        for hour in range(24):
            swing = np.cos(2 * np.pi * (hour + 0.5 - 15.0) / 24)
            t_out, t_wb = dry_mean + 4.0 * swing, wet_mean + 1.5 * swing
            load = 95.0 + 2.5 * (t_out - 25.0) + 260.0 * production(day, hour) * LANDINGS[day.month - 1] * variation[k]
            running = ["SC-1"] if load <= CHILLERS["SC-1"][0] else list(CHILLERS)
            capacity = sum(CHILLERS[c][0] for c in running)
            plr = min(load / capacity, 1.0)
            if plr < MIN_PLR:
                continue
            for chiller in running:
                rated_kw, cop_rated = CHILLERS[chiller]
                cop = cop_rated * (1.0 - 0.25 * (1.0 - plr) ** 2) * (1.0 - 0.025 * (t_wb - 24.0))
                out[chiller][k] += rated_kw * plr / cop
    return out


def main() -> None:
    data = simulate()
    calendar = days(START, END)
    rows = [f"{day:%Y-%m-%d}T00:00:00,{c},{data[c][k]:.1f},kWh" for k, day in enumerate(calendar) for c in CHILLERS if (c, day) not in GAPS]
    write_lines(EXAMPLES / "TH_AM013" / "screw-chillers-2023-daily.csv", "timestamp,point,value,unit", rows)
    for c in CHILLERS:
        print(f"TH_AM013 {c}: {data[c].sum() / 1000:,.1f} MWh in 2023")


if __name__ == "__main__":
    main()
