"""Generate the SYNTHETIC example data of JCM_MV_AM001 (solar PV on an island grid, Maldives).

Run from the repository root::

    .venv/bin/python data/generators/MV_AM001.py

It (re)writes, byte for byte the same on every run:

``data/examples/MV_AM001/generation-2021-daily.csv``
    daily AC energy [kWh] of three rooftop PV systems on one inhabited island of the Maldives
    (school PV-1, harbour and fish market PV-2, health centre PV-3), calendar year 2021,
    ``interval`` format with a 1-day interval (``timestamp`` = the day at 00:00).

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` at 5-minute
   sub-steps, summed per day. The Maldives lie at about 4 N: a sunny north-east monsoon
   (January-April) and a cloudier, rainier south-west monsoon (May-October); sea-level
   temperatures of 28-30 degC with a small diurnal range. Low roof tilts (5-10 degrees).
2. The island's mini-grid is run by diesel gensets of the utility: the PV output is taken by
   the island grid whenever it is produced (the PV share stays below the grid's hosting limit
   in this example), so no curtailment is modelled.
3. Events: PV-3's inverter tripped on an earth fault on 2021-08-09 and was restarted on
   2021-08-12 (zero output, recorded as 0); PV-2's data logger lost its modem link from
   2021-11-20 to 2021-11-22 (rows absent: a gap, left unfilled by the engine because less
   generation is the conservative direction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, fmt, pv_ac_power, weather, write_csv

SEED = 20210301
START, END = "2021-01-01", "2021-12-31"
OUT = EXAMPLES / "MV_AM001"

SITE = Site(
    latitude=4.2,
    longitude=73.5,
    standard_meridian=75.0,  # UTC+5
    kc_mean=[0.77, 0.79, 0.78, 0.74, 0.64, 0.62, 0.63, 0.64, 0.63, 0.64, 0.66, 0.70],
    kc_sd=[0.09, 0.08, 0.09, 0.11, 0.16, 0.17, 0.16, 0.16, 0.17, 0.16, 0.15, 0.12],
    ta_mean=[28.0, 28.3, 28.9, 29.3, 29.0, 28.6, 28.4, 28.3, 28.2, 28.1, 27.9, 27.9],
    ta_half_range=[1.8, 1.9, 2.0, 2.0, 1.7, 1.5, 1.5, 1.5, 1.5, 1.6, 1.7, 1.8],
    albedo=0.25,  # white coral sand and concrete roofs
)
SYSTEMS = (
    PVSystem("PV-1", dc_kwp=102.0, ac_kw=90.0, tilt=8.0, jitter_seed=1),
    PVSystem("PV-2", dc_kwp=68.0, ac_kw=60.0, tilt=5.0, dc_derate=0.94, jitter_seed=2),  # salt spray near the harbour
    PVSystem("PV-3", dc_kwp=45.0, ac_kw=40.0, tilt=10.0, jitter_seed=3),
)
ZERO_DAYS = {"PV-3": ("2021-08-09", "2021-08-12")}  # inverter earth-fault trip, output 0
GAP_DAYS = {"PV-2": ("2021-11-20", "2021-11-22")}  # modem link lost, rows absent


def main() -> None:
    w = weather(SITE, START, END, SEED)
    days = pd.date_range(START, END, freq="D")
    rows, totals = [], {}
    daily = {}
    for system in SYSTEMS:
        power = pv_ac_power(SITE, w, system, SEED)  # kW at 5-minute sub-steps
        daily[system.point] = power.reshape(len(days), -1).sum(axis=1) * (5.0 / 60.0)  # kWh per day
    for point, (a, b) in ZERO_DAYS.items():
        daily[point][(days >= a) & (days <= b)] = 0.0
    for k, day in enumerate(days):
        for system in SYSTEMS:
            gap = GAP_DAYS.get(system.point)
            if gap and gap[0] <= day.strftime("%Y-%m-%d") <= gap[1]:
                continue
            value = float(np.round(daily[system.point][k], 1))
            totals[system.point] = totals.get(system.point, 0.0) + value
            rows.append([day.strftime("%Y-%m-%dT00:00:00"), system.point, fmt(value, 1), "kWh"])
    n = write_csv(OUT / "generation-2021-daily.csv", ["timestamp", "point", "value", "unit"], rows)
    print(f"{n} rows; annual kWh: " + ", ".join(f"{p} {v:,.1f} ({v / s.dc_kwp:,.0f} kWh/kWp)" for (p, v), s in zip(totals.items(), SYSTEMS)))


if __name__ == "__main__":
    main()
