"""Generate the SYNTHETIC example data of JCM_CR_AM001 (solar PV, Costa Rica).

Run from the repository root::

    .venv/bin/python data/generators/CR_AM001.py

It (re)writes, byte for byte the same on every run:

``data/examples/CR_AM001/generation-2019-daily.csv``
    daily AC energy [kWh] of two PV systems of a beverage bottling plant in the Central Valley
    (the roof array PV-1 and the car-park canopy PV-2), calendar year 2019, ``interval`` format
    with a 1-day interval (``timestamp`` = the day at 00:00).

Nothing here was measured; it is not data of any JCM project. (JCM_CR_AM001's equations are
inferred from the solar PV family; the data do not depend on that.)

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` at 5-minute sub-steps,
   summed per day, at 9.95 N, 84.15 W, local time UTC-6 (standard meridian 90 W). The Central
   Valley has a sunny dry season (December-April) and a wet season (May-November) with a drier
   spell in July ("veranillo"); temperatures of 20-23 degC at about 1,000 m (approximate normals).
2. Systems: PV-1, 550 kWp DC / 450 kW AC on the bottling hall roof (10 degrees, facing south);
   PV-2, 250 kWp DC / 200 kW AC on the car-park canopy (5 degrees, DC derate 0.94 for the
   shade of the trees along its east side).
3. Events: PV-2's inverter was off from 2019-06-17 to 2019-06-19 after a lightning surge (zero
   output, recorded as 0); PV-1's logger recorded nothing from 2019-10-08 to 2019-10-09 (rows
   absent: a gap, left unfilled by the engine because less generation is the conservative
   direction).
"""

from __future__ import annotations

import pandas as pd
from _common import EXAMPLES, PVSystem, Site, daily_kwh_rows, daily_pv_kwh, weather, write_csv

SEED = 20190001
START, END = "2019-01-01", "2019-12-31"
OUT = EXAMPLES / "CR_AM001"

SITE = Site(
    latitude=9.95,
    longitude=-84.15,
    standard_meridian=-90.0,  # UTC-6
    kc_mean=[0.74, 0.76, 0.76, 0.71, 0.60, 0.57, 0.62, 0.58, 0.54, 0.53, 0.60, 0.70],
    kc_sd=[0.09, 0.08, 0.08, 0.11, 0.16, 0.17, 0.15, 0.17, 0.17, 0.17, 0.15, 0.11],
    ta_mean=[21.2, 21.6, 22.4, 23.0, 22.6, 22.1, 21.8, 21.8, 21.6, 21.3, 21.0, 20.9],
    ta_half_range=[5.5, 6.0, 6.0, 5.5, 4.5, 4.0, 4.3, 4.0, 3.8, 3.8, 4.2, 5.0],
)
SYSTEMS = (
    PVSystem("PV-1", dc_kwp=550.0, ac_kw=450.0, tilt=10.0, jitter_seed=1),
    PVSystem("PV-2", dc_kwp=250.0, ac_kw=200.0, tilt=5.0, dc_derate=0.94, jitter_seed=2),
)
ZERO_DAYS = {"PV-2": ("2019-06-17", "2019-06-19")}
GAP_DAYS = {"PV-1": ("2019-10-08", "2019-10-09")}


def main() -> None:
    w = weather(SITE, START, END, SEED)
    days = pd.date_range(START, END, freq="D")
    daily = {s.point: daily_pv_kwh(SITE, w, s, SEED, len(days)) for s in SYSTEMS}
    for point, (a, b) in ZERO_DAYS.items():
        daily[point][(days >= a) & (days <= b)] = 0.0
    rows, totals = daily_kwh_rows(days, [s.point for s in SYSTEMS], daily, GAP_DAYS)
    n = write_csv(OUT / "generation-2019-daily.csv", ["timestamp", "point", "value", "unit"], rows)
    print(f"{n} rows; annual kWh: " + ", ".join(f"{p} {v:,.1f} ({v / s.dc_kwp:,.0f} kWh/kWp)" for (p, v), s in zip(totals.items(), SYSTEMS)))


if __name__ == "__main__":
    main()
