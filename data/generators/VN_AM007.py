"""Generate the SYNTHETIC example data of JCM_VN_AM007 (solar PV, electricity consumed or sold, Viet Nam).

Run from the repository root::

    .venv/bin/python data/generators/VN_AM007.py

It (re)writes, byte for byte the same on every run:

``data/examples/VN_AM007/consumed-or-sold-2022.csv``
    hourly energy [kWh] at the two monitoring points of a factory in Binh Duong province,
    calendar year 2022, ``interval`` format: ``SELF-1``, the PV electricity consumed by the
    factory, and ``SOLD-1``, the PV electricity sold to the power company.

Nothing here was measured; it is not data of any JCM project.

The methodology monitors the PV electricity consumed at the site or sold to the power company,
not the gross generation; the model therefore produces what each meter sees.

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` at 11.0 N, 106.65 E,
   local time UTC+7 (standard meridian 105 E): a sunny dry season (December-April) and a cloudy
   south-west monsoon (May-November); approximate Ho Chi Minh City temperatures.
2. SELF-1: an 800 kWp DC / 660 kW AC array on the production hall, behind the factory's meter.
   A zero-export controller keeps the PV output at or below 95 % of the factory's load, so that
   nothing flows to the grid: what the PV feeder meter records is consumed by the factory.
   Factory load [kW]: 900 from 06:00 to 22:00 Monday-Saturday (two shifts), 250 at night, 200 all
   day on Sundays, 120 during the Tet closure (2022-01-29 to 2022-02-06) and on the public
   holidays 2022-04-11, 2022-04-30 to 2022-05-03 and 2022-09-01 to 2022-09-02. On low-load days
   the controller curtails the array: that electricity is neither consumed nor sold and does not
   count.
3. SOLD-1: a 400 kWp DC / 330 kW AC array on the warehouse, connected through its own
   transformer and sold in full to the power company under a rooftop-solar power purchase
   agreement. The company's meter (export register, hourly from its meter-reading system) sees
   the output less 1.5 % transformer and cable losses.
4. Data gap: the SELF-1 logger recorded nothing on 2022-07-19 from 10:00 to 16:00 (rows absent;
   left unfilled by the engine because less electricity is the conservative direction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, fmt, hourly_energy, pv_ac_power, weather, write_csv

SEED = 20220007
START, END = "2022-01-01", "2022-12-31"
OUT = EXAMPLES / "VN_AM007"

SITE = Site(
    latitude=11.0,
    longitude=106.65,
    standard_meridian=105.0,  # UTC+7
    kc_mean=[0.74, 0.76, 0.75, 0.71, 0.63, 0.59, 0.58, 0.58, 0.57, 0.59, 0.64, 0.70],
    kc_sd=[0.09, 0.08, 0.09, 0.11, 0.15, 0.16, 0.17, 0.17, 0.17, 0.16, 0.14, 0.11],
    ta_mean=[26.0, 26.8, 28.0, 29.2, 28.9, 28.0, 27.6, 27.5, 27.3, 27.1, 26.8, 26.0],
    ta_half_range=[5.0, 5.3, 5.2, 4.8, 4.2, 3.8, 3.7, 3.7, 3.7, 3.8, 4.0, 4.5],
)
SELF = PVSystem("SELF-1", dc_kwp=800.0, ac_kw=660.0, tilt=10.0, jitter_seed=1)
SOLD = PVSystem("SOLD-1", dc_kwp=400.0, ac_kw=330.0, tilt=8.0, dc_derate=0.945, jitter_seed=2)
SHIFT_KW, NIGHT_KW, SUNDAY_KW, CLOSED_KW = 900.0, 250.0, 200.0, 120.0
ZERO_EXPORT_MARGIN = 0.95
EXPORT_LOSSES = 0.015
CLOSED = [("2022-01-29", "2022-02-06"), ("2022-04-11", "2022-04-11"), ("2022-04-30", "2022-05-03"), ("2022-09-01", "2022-09-02")]
GAP = ("SELF-1", "2022-07-19 10:00", "2022-07-19 16:00")


def factory_load(stamps: pd.DatetimeIndex) -> np.ndarray:
    day = stamps.normalize()
    closed = np.zeros(len(stamps), dtype=bool)
    for first, last in CLOSED:
        closed |= (day >= first) & (day <= last)
    hour = stamps.hour.to_numpy()
    sunday = stamps.day_of_week.to_numpy() == 6
    load = np.where((hour >= 6) & (hour < 22), SHIFT_KW, NIGHT_KW)
    return np.where(closed, CLOSED_KW, np.where(sunday, SUNDAY_KW, load))


def main() -> None:
    w = weather(SITE, START, END, SEED)
    load = factory_load(w.stamps)
    generated = hourly_energy(pv_ac_power(SITE, w, SELF, SEED))
    consumed = np.minimum(generated, ZERO_EXPORT_MARGIN * load)  # kWh in the hour = mean kW
    sold = hourly_energy(pv_ac_power(SITE, w, SOLD, SEED)) * (1.0 - EXPORT_LOSSES)
    missing = set(pd.date_range(GAP[1], GAP[2], freq="h"))
    rows = []
    for k, stamp in enumerate(w.stamps):
        if stamp not in missing:
            rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), "SELF-1", fmt(consumed[k]), "kWh"])
        rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), "SOLD-1", fmt(sold[k]), "kWh"])
    n = write_csv(OUT / "consumed-or-sold-2022.csv", ["timestamp", "point", "value", "unit"], rows)
    print(
        f"{n} rows; SELF-1 generated {generated.sum():,.0f} kWh, consumed {consumed.sum():,.0f} kWh "
        f"(curtailed {generated.sum() - consumed.sum():,.0f}); SOLD-1 sold {sold.sum():,.0f} kWh"
    )


if __name__ == "__main__":
    main()
