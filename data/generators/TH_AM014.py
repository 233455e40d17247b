"""SYNTHETIC example data for JCM_TH_AM014 (inverter-controlled separate type fridge showcases, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM014.py

Writes one ``monthly`` file (``month,point,value,unit``) for calendar year 2022 into
``data/examples/TH_AM014/``, the same bytes on every run: ``showcases-2022-monthly.csv`` (kWh of
the showcase system of each store). Nothing in it is a measurement; the project EXAMPLE-TH014 and
its stores do not exist.

Model (hour by hour)
--------------------
Four 24-hour convenience stores in Bangkok (climate: ``_models.CLIMATE['bangkok']``), each with a
line of open multi-deck fridge showcases on one inverter condensing unit behind the store
(example values): S-1 and S-3 with 7.5 m of showcases on a 12 kW unit, S-2 with 5 m on an 8 kW
unit, S-4 with 10 m on a 16 kW unit; rated COP 2.6 (2.4 for the 8 kW unit) at 32 C outdoors.

1. Refrigeration load [kW] = 0.62 kW per metre of showcase (air-curtain infiltration and
   radiation from the air-conditioned sales floor) x (1 + 0.10 x customer traffic) + restocking:
   warm products after the deliveries at 07:00, 14:00 and 21:00 add 0.35 kW per metre for two
   hours. Customer traffic: 0.3 at night, 1.0 from 06:00 to 23:00, 1.3 at 07:00-09:00 and
   17:00-20:00. Day-to-day AR(1) variation, sd 4 %.
2. Condensing unit: COP = rated x (1 - 0.03 (T_out - 32 C)) x (1 + 0.10 (1 - PLR)) (an
   inverter compressor is at its best at part load); the outdoor temperature is the day's mean
   with a diurnal cosine (half-range 4 K, warmest at 15:00).
3. The rest of the metered system: evaporator fans and showcase LED lighting 0.045 kW per metre,
   always on; electric defrost, four 20-minute cycles a day at 0.25 kW per metre.
4. S-4 is refurbished from 2022-07-04 to 2022-07-17: its showcases are emptied and off.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2022_0014
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
STORES = {"S-1": (7.5, 12.0, 2.6), "S-2": (5.0, 8.0, 2.4), "S-3": (7.5, 12.0, 2.6), "S-4": (10.0, 16.0, 2.6)}  # metres, kW, rated COP
CLOSED = {"S-4": set(days(dt.date(2022, 7, 4), dt.date(2022, 7, 17)))}
DELIVERIES = (7, 8, 14, 15, 21, 22)  # the two hours after each delivery


def traffic(hour: int) -> float:
    if 7 <= hour < 9 or 17 <= hour < 20:
        return 1.3
    return 1.0 if 6 <= hour < 23 else 0.3


def simulate() -> dict[str, np.ndarray]:
    """Monthly kWh of each store's showcase system."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    out = {s: np.zeros(12) for s in STORES}
    for n, (store, (metres, capacity, cop_rated)) in enumerate(STORES.items()):
        variation = 1.0 + 0.04 * ar1(rng(SEED, 10 + n), len(calendar), 0.6)
        for k, day in enumerate(calendar):
            if day in CLOSED.get(store, set()):
                continue
            dry_mean, _ = daily_temperature("bangkok", day, weather[k])
            for hour in range(24):
                t_out = dry_mean + 4.0 * np.cos(2 * np.pi * (hour + 0.5 - 15.0) / 24)
                load = metres * (0.62 * (1.0 + 0.10 * traffic(hour)) + (0.35 if hour in DELIVERIES else 0.0)) * variation[k]
                plr = min(load / capacity, 1.0)
                cop = cop_rated * (1.0 - 0.03 * (t_out - 32.0)) * (1.0 + 0.10 * (1.0 - plr))
                out[store][day.month - 1] += load / cop + metres * 0.045 + metres * 0.25 * (4 * 20 / 60) / 24
    return out


def main() -> None:
    data = simulate()
    months = [f"2022-{m + 1:02d}" for m in range(12)]
    write_lines(EXAMPLES / "TH_AM014" / "showcases-2022-monthly.csv", "month,point,value,unit", [f"{mo},{s},{data[s][m]:.0f},kWh" for m, mo in enumerate(months) for s in STORES])
    for s in STORES:
        print(f"TH_AM014 {s}: {data[s].sum():,.0f} kWh in 2022")


if __name__ == "__main__":
    main()
