"""Generate the SYNTHETIC example data of the Mongolian heat-only-boiler methodology (MN_PM_HOB,
a proposed methodology, not an approved one; see methodologies/MN_PM_HOB/README.md).

Run from the repository root::

    .venv/bin/python data/generators/MN_PM_HOB.py

It (re)writes, byte for byte the same on every run (heating season 2021-10-01 to 2022-04-30,
``monthly`` format, one row per boiler and month):

``data/examples/MN_PM_HOB/heat-2021-2022-monthly.csv``
    heat supplied [GJ] by the three project boilers B-1, B-2, B-3 (heat meters).
``data/examples/MN_PM_HOB/coal-2021-2022-monthly.csv``
    coal burnt [t] by each boiler (belt scale at each boiler's bunker).

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Weather: daily mean air temperature of a soum centre in Tuv aimag (about 48.5 N), monthly
   climatology from about -1.5 degC in October to -22 degC in January, with seeded AR(1)
   anomalies (cold snaps of several days, standard deviation 5 K).
2. Heat demand of the connected buildings (school, dormitory, hospital, soum office,
   apartments) by the degree-day method: UA = 62 kW/K against an indoor temperature of
   18 degC, plus 90 kW of hot water, plus 8 % distribution losses of the district network.
3. Boilers: three 1.4 MW coal-fired hot water HOBs with dust collectors. Just enough boilers run
   to carry the load at no more than 90 % each, sharing it equally; a boiler's efficiency
   falls at part load, eta(x) = 0.82 - 0.16 (1 - x)^2 at load fraction x, less for B-3
   (an older burner grate, -3 points).
4. Coal: lignite from a nearby mine; the net calorific value of each month's deliveries varies
   from 13.9 to 15.1 GJ/t (seeded), coal burnt = heat / (eta x NCV).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, ar1, fmt, rng, write_csv

SEED = 20211001
START, END = "2021-10-01", "2022-04-30"
OUT = EXAMPLES / "MN_PM_HOB"

AIR_T = {10: -1.5, 11: -12.0, 12: -19.5, 1: -22.0, 2: -17.0, 3: -7.5, 4: 2.0}  # degC, monthly mean
ANOMALY_SD, ANOMALY_PHI = 5.0, 0.75
UA_KW_PER_K, INDOOR_T, HOT_WATER_KW, NETWORK_LOSS = 62.0, 18.0, 90.0, 0.08
BOILER_KW = 1400.0
MAX_LOAD = 0.9
BOILERS = {"B-1": 0.0, "B-2": 0.0, "B-3": -0.03}  # efficiency offset
NCV_RANGE = (13.9, 15.1)


def efficiency(x: np.ndarray, offset: float) -> np.ndarray:
    return 0.82 - 0.16 * (1.0 - x) ** 2 + offset


def main() -> None:
    days = pd.date_range(START, END, freq="D")
    base = np.array([AIR_T[m] for m in days.month])
    air = base + ANOMALY_SD * ar1(rng(SEED, 1), len(days), ANOMALY_PHI)
    load_kw = (UA_KW_PER_K * np.clip(INDOOR_T - air, 0.0, None) + HOT_WATER_KW) * (1 + NETWORK_LOSS)
    running = np.minimum(np.ceil(load_kw / (BOILER_KW * MAX_LOAD)), len(BOILERS)).astype(int)
    months = days.strftime("%Y-%m")
    month_list = list(dict.fromkeys(months))
    ncv = dict(zip(month_list, rng(SEED, 2).uniform(*NCV_RANGE, len(month_list))))
    heat_gj = {b: np.zeros(len(days)) for b in BOILERS}
    coal_t = {b: np.zeros(len(days)) for b in BOILERS}
    names = list(BOILERS)
    for k in range(len(days)):
        # The boiler order rotates weekly so that the boilers wear evenly.
        order = names[k // 7 % 3 :] + names[: k // 7 % 3]
        share = load_kw[k] / running[k]
        for b in order[: running[k]]:
            x = min(share / BOILER_KW, 1.0)
            heat = share * 24 * 3.6 / 1000.0  # kWh -> GJ
            heat_gj[b][k] = heat
            coal_t[b][k] = heat / (efficiency(np.array(x), BOILERS[b]) * ncv[months[k]])
    heat_rows, coal_rows = [], []
    for month in month_list:
        mask = months == month
        for b in names:
            heat_rows.append([month, b, fmt(heat_gj[b][mask].sum(), 1), "GJ"])
            coal_rows.append([month, b, fmt(coal_t[b][mask].sum(), 2), "t"])
    write_csv(OUT / "heat-2021-2022-monthly.csv", ["month", "point", "value", "unit"], heat_rows)
    write_csv(OUT / "coal-2021-2022-monthly.csv", ["month", "point", "value", "unit"], coal_rows)
    total_heat = sum(v.sum() for v in heat_gj.values())
    total_coal = sum(v.sum() for v in coal_t.values())
    print(f"heat {total_heat:,.1f} GJ, coal {total_coal:,.2f} t, mean air {air.mean():.1f} degC, peak load {load_kw.max():,.0f} kW")
    for b in names:
        print(f"{b}: heat {heat_gj[b].sum():,.1f} GJ, coal {coal_t[b].sum():,.2f} t")


if __name__ == "__main__":
    main()
