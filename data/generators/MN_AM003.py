"""Generate the SYNTHETIC example data of JCM_MN_AM003 (solar PV, Mongolia).

Run from the repository root::

    .venv/bin/python data/generators/MN_AM003.py

It (re)writes, byte for byte the same on every run:

``data/examples/MN_AM003/generation-2021-daily.csv``
    daily AC energy [kWh] of the two inverter blocks of a grid-connected PV plant near Darkhan,
    calendar year 2021, ``interval`` format with a 1-day interval (``timestamp`` = the day at
    00:00).

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` at 5-minute sub-steps,
   summed per day, at 49.5 N, 105.9 E, local time UTC+8 (standard meridian 120 E). An
   anticyclone sits over Mongolia in winter: clear, dry and very cold (January means about
   -22 degC); summer is warmer and cloudier (July, the rainy month, the cloudiest). Temperatures
   approximate Darkhan normals with a large diurnal range. Modules face south at 40 degrees, as
   usual at this latitude, which also sheds snow; the cold raises the module efficiency.
2. Blocks: B-1 and B-2 of 5.0 MWp DC / 4.2 MW AC each; B-2's DC derate is 0.94 (one row of
   its array is shaded by a windbreak in the low winter sun).
3. Snow: on seeded snowfall days (November-March, probability 6 % a day) the array is covered
   and produces nothing that day, and 40 % of its output the next day (partial clearing).
4. Dispatch: the national dispatch centre curtailed the plant to 50 % of its output on
   2021-05-01 to 2021-05-03 (low spring demand; recorded as measured).
5. Data gap: B-2's logger lost its link from 2021-10-14 to 2021-10-16 (rows absent, left
   unfilled by the engine because less generation is the conservative direction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, daily_kwh_rows, daily_pv_kwh, rng, weather, write_csv

SEED = 20210003
START, END = "2021-01-01", "2021-12-31"
OUT = EXAMPLES / "MN_AM003"

SITE = Site(
    latitude=49.5,
    longitude=105.9,
    standard_meridian=120.0,  # UTC+8
    kc_mean=[0.84, 0.84, 0.80, 0.75, 0.71, 0.67, 0.62, 0.64, 0.72, 0.78, 0.81, 0.82],
    kc_sd=[0.08, 0.08, 0.10, 0.12, 0.14, 0.15, 0.16, 0.16, 0.13, 0.11, 0.10, 0.09],
    ta_mean=[-22.0, -17.5, -7.5, 2.5, 10.5, 16.5, 18.5, 16.0, 9.0, 0.5, -10.5, -19.5],
    ta_half_range=[6.5, 7.5, 7.5, 7.0, 7.0, 6.5, 6.0, 6.0, 7.0, 7.0, 6.5, 6.0],
    albedo=0.25,
)
SYSTEMS = (
    PVSystem("B-1", dc_kwp=5000.0, ac_kw=4200.0, tilt=40.0, jitter_seed=1),
    PVSystem("B-2", dc_kwp=5000.0, ac_kw=4200.0, tilt=40.0, dc_derate=0.94, jitter_seed=2),
)
SNOW_MONTHS, SNOW_PROBABILITY, NEXT_DAY_FACTOR = (11, 12, 1, 2, 3), 0.06, 0.4
CURTAILED = ("2021-05-01", "2021-05-03", 0.5)
GAP_DAYS = {"B-2": ("2021-10-14", "2021-10-16")}


def snow_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """Share of the day's output left by snow cover: 0 on a snowfall day, 0.4 the day after."""
    snowfall = (rng(SEED, 3).random(len(days)) < SNOW_PROBABILITY) & days.month.isin(SNOW_MONTHS)
    factor = np.ones(len(days))
    factor[1:][snowfall[:-1]] = NEXT_DAY_FACTOR
    factor[snowfall] = 0.0
    return factor


def main() -> None:
    w = weather(SITE, START, END, SEED)
    days = pd.date_range(START, END, freq="D")
    factor = snow_factor(days)
    first, last, share = CURTAILED
    factor[(days >= first) & (days <= last)] *= share
    daily = {s.point: daily_pv_kwh(SITE, w, s, SEED, len(days)) * factor for s in SYSTEMS}
    rows, totals = daily_kwh_rows(days, [s.point for s in SYSTEMS], daily, GAP_DAYS)
    n = write_csv(OUT / "generation-2021-daily.csv", ["timestamp", "point", "value", "unit"], rows)
    print(f"{n} rows; snow days {int((factor == 0).sum())}; annual kWh: " + ", ".join(f"{p} {v:,.1f} ({v / s.dc_kwp:,.0f} kWh/kWp)" for (p, v), s in zip(totals.items(), SYSTEMS)))


if __name__ == "__main__":
    main()
