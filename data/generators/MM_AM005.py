"""Generate the SYNTHETIC example data of JCM_MM_AM005 (waste heat recovery power, cement, Myanmar).

Run from the repository root::

    .venv/bin/python data/generators/MM_AM005.py

It (re)writes, byte for byte the same on every run:

``data/examples/MM_AM005/whr-supply-2022-monthly.csv``
    the monthly net electricity [MWh] supplied by the WHR system WHR-1 to the cement plant's main
    switchgear, calendar year 2022, ``monthly`` format (``month,point,value,unit``).

The number of days of the period (365) is typed in the period file.
Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Kiln: a 4,000 t/day clinker line in the dry zone of central Myanmar. Hour by hour the kiln
   runs at 96 % of its rated output (+-2 %, a seeded AR(1) of the feed rate), except during the annual refractory shutdown
   (2022-05-09 to 2022-05-29, before the monsoon), and during kiln trips, drawn as a seeded
   Poisson process (about one a month) lasting 8 to 48 hours, after which the output ramps
   back over 12 hours.
2. Waste heat: the preheater (PH) and clinker-cooler (AQC) boilers give about 30 kWh of gross
   electricity per tonne of clinker at full kiln output, the order reported for WHR in dry-
   process cement plants with 5-stage preheaters; the steam turbine's output falls with the
   cooling-water temperature (wet-bulb driven): -0.5 % per K above 24 degC of the monthly mean
   wet-bulb temperature (hot season March-May).
3. Net supply = gross output less the WHR system's own auxiliaries (boiler feed pumps, cooling
   tower fans, 7.5 % of gross plus 120 kW while running). The WHR turbine was overhauled from
   2022-10-17 to 2022-10-23 (no supply).
4. Rated net output of WHR-1 in the period file: 4,800 kW (specification sheet of the example:
   5.2 MW gross turbine-generator less auxiliaries).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, ar1, fmt, rng, write_csv

SEED = 20220101
START, END = "2022-01-01", "2022-12-31"
OUT = EXAMPLES / "MM_AM005"

CLINKER_T_PER_DAY = 4000.0
KILN_LOAD = 0.96
KWH_PER_T = 30.0  # gross WHR electricity per tonne of clinker at full kiln output
WET_BULB = np.array([17.5, 18.5, 21.5, 24.5, 26.0, 25.5, 25.0, 25.0, 25.0, 24.5, 22.0, 18.5])  # degC, monthly mean
TURBINE_COEFF = 0.005  # output loss per K of wet-bulb above 24 degC
AUX_SHARE, AUX_KW = 0.075, 120.0
SHUTDOWN = ("2022-05-09", "2022-05-29")
WHR_OVERHAUL = ("2022-10-17", "2022-10-23 23:00")
TRIPS_PER_HOUR = 1.0 / (30 * 24)
RAMP_HOURS = 12
FEED_SD = 0.02


def kiln_share(stamps: pd.DatetimeIndex) -> np.ndarray:
    """Kiln output as a share of its rating, hour by hour."""
    # Kiln feed varies with raw meal quality and coal: +-2 % (hourly AR(1), a day's memory).
    share = KILN_LOAD * (1.0 + FEED_SD * ar1(rng(SEED, 3), len(stamps), np.exp(-1.0 / 24.0)))
    share[(stamps >= SHUTDOWN[0]) & (stamps < pd.Timestamp(SHUTDOWN[1]) + pd.Timedelta(days=1))] = 0.0
    starts = np.flatnonzero(rng(SEED, 1).random(len(stamps)) < TRIPS_PER_HOUR)
    lengths = rng(SEED, 2).integers(8, 49, len(starts))
    for s, n in zip(starts, lengths):
        share[s : s + n] = 0.0
        ramp = np.linspace(0.3, KILN_LOAD, RAMP_HOURS)
        share[s + n : s + n + RAMP_HOURS] = np.minimum(share[s + n : s + n + RAMP_HOURS], ramp[: len(share[s + n : s + n + RAMP_HOURS])])
    return share


def main() -> None:
    stamps = pd.date_range(START, pd.Timestamp(END) + pd.Timedelta(hours=23), freq="h")
    share = kiln_share(stamps)
    month = stamps.month.to_numpy() - 1
    derate = 1.0 - TURBINE_COEFF * np.clip(WET_BULB[month] - 24.0, 0.0, None)
    gross_kw = CLINKER_T_PER_DAY / 24.0 * KWH_PER_T * np.clip(share, 0.0, 1.0) * derate
    running = gross_kw > 0
    net_kw = np.where(running, gross_kw * (1 - AUX_SHARE) - AUX_KW, 0.0)
    net_kw[(stamps >= WHR_OVERHAUL[0]) & (stamps <= WHR_OVERHAUL[1])] = 0.0
    monthly = pd.Series(np.clip(net_kw, 0.0, None), index=stamps).groupby(stamps.strftime("%Y-%m")).sum() / 1000.0
    rows = [[m, "WHR-1", fmt(v, 3), "MWh"] for m, v in monthly.items()]
    write_csv(OUT / "whr-supply-2022-monthly.csv", ["month", "point", "value", "unit"], rows)
    print(f"net supply {monthly.sum():,.3f} MWh; kiln running {np.mean(share > 0):.1%} of hours; peak net {net_kw.max():,.0f} kW")


if __name__ == "__main__":
    main()
