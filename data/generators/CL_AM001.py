"""Generate the SYNTHETIC example data of JCM_CL_AM001 (solar PV, Chile).

Run from the repository root::

    .venv/bin/python data/generators/CL_AM001.py

It (re)writes, byte for byte the same on every run:

``data/examples/CL_AM001/generation-2020-daily.csv``
    daily AC energy [kWh] of the two inverter blocks of a ground-mounted PV plant at a winery in
    the Maipo valley south of Santiago, calendar year 2020, ``interval`` format with a 1-day
    interval (``timestamp`` = the day at 00:00, local standard time).

Nothing here was measured; it is not data of any JCM project. (JCM_CL_AM001's equations are
inferred from the solar PV family; the data do not depend on that.)

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` at 5-minute sub-steps,
   summed per day, at 33.65 S, 70.70 W, local standard time UTC-4 (standard meridian 60 W; the
   logger ignores daylight saving). Mediterranean climate: clear, dry summers (December-March)
   and cloudier, rainy winters (June-August); temperatures approximate Santiago normals. Arrays
   face north at 25 degrees.
2. Soiling: dust from the dry summer accumulates on the modules, 0.25 % of output lost per dry
   day, up to 8 %; the modules are washed on the first working day of every month, and a rainy
   day (clear-sky index below 0.35 in May-September) washes them too.
3. Blocks: B-1, 1,500 kWp DC / 1,250 kW AC; B-2, 1,000 kWp DC / 850 kW AC.
4. Events: B-2 was switched off for the grid company's work on the feeder on 2020-09-29 (zero
   output, recorded as 0); B-1's data from 2020-03-21 to 2020-03-23 are missing (the logger's
   memory card failed; rows absent: a gap, left unfilled by the engine because less generation
   is the conservative direction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, daily_kwh_rows, daily_pv_kwh, weather, write_csv

SEED = 20200001
START, END = "2020-01-01", "2020-12-31"
OUT = EXAMPLES / "CL_AM001"

SITE = Site(
    latitude=-33.65,
    longitude=-70.70,
    standard_meridian=-60.0,  # UTC-4
    kc_mean=[0.91, 0.90, 0.87, 0.79, 0.68, 0.62, 0.63, 0.69, 0.77, 0.85, 0.89, 0.91],
    kc_sd=[0.05, 0.06, 0.08, 0.13, 0.18, 0.20, 0.20, 0.18, 0.14, 0.10, 0.07, 0.05],
    ta_mean=[21.0, 20.3, 18.2, 14.8, 11.5, 8.9, 8.5, 9.8, 11.9, 14.6, 17.5, 20.0],
    ta_half_range=[8.5, 8.5, 8.0, 7.5, 6.0, 5.0, 5.0, 5.5, 6.5, 7.5, 8.0, 8.5],
)
SYSTEMS = (
    PVSystem("B-1", dc_kwp=1500.0, ac_kw=1250.0, tilt=25.0, jitter_seed=1),
    PVSystem("B-2", dc_kwp=1000.0, ac_kw=850.0, tilt=25.0, jitter_seed=2),
)
SOILING_PER_DAY, SOILING_MAX, RAIN_KC, RAIN_MONTHS = 0.0025, 0.08, 0.35, (5, 6, 7, 8, 9)
ZERO_DAYS = {"B-2": ("2020-09-29", "2020-09-29")}
GAP_DAYS = {"B-1": ("2020-03-21", "2020-03-23")}


def soiling_factor(days: pd.DatetimeIndex, kc_day: np.ndarray) -> np.ndarray:
    """Share of output left after soiling, day by day (washing monthly and by rain)."""
    out, loss, washed_month = np.ones(len(days)), 0.0, None
    for k, day in enumerate(days):
        if day.month != washed_month and day.day_of_week < 5:
            loss, washed_month = 0.0, day.month
        if day.month in RAIN_MONTHS and kc_day[k] < RAIN_KC:
            loss = 0.0
        out[k] = 1.0 - loss
        loss = min(loss + SOILING_PER_DAY, SOILING_MAX)
    return out


def main() -> None:
    w = weather(SITE, START, END, SEED)
    days = pd.date_range(START, END, freq="D")
    kc_day = w.kc_day.reshape(len(days), -1)[:, 0]
    soiling = soiling_factor(days, kc_day)
    daily = {s.point: daily_pv_kwh(SITE, w, s, SEED, len(days)) * soiling for s in SYSTEMS}
    for point, (a, b) in ZERO_DAYS.items():
        daily[point][(days >= a) & (days <= b)] = 0.0
    rows, totals = daily_kwh_rows(days, [s.point for s in SYSTEMS], daily, GAP_DAYS)
    n = write_csv(OUT / "generation-2020-daily.csv", ["timestamp", "point", "value", "unit"], rows)
    print(f"{n} rows; mean soiling loss {100 * (1 - soiling.mean()):.2f} %; annual kWh: " + ", ".join(f"{p} {v:,.1f} ({v / s.dc_kwp:,.0f} kWh/kWp)" for (p, v), s in zip(totals.items(), SYSTEMS)))


if __name__ == "__main__":
    main()
