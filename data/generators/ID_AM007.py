"""SYNTHETIC example data for JCM_ID_AM007 (optimisation of boiler operation, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM007.py

Writes into ``data/examples/ID_AM007/``, the same bytes on every run:

- ``historical-2014-2015-monthly.csv`` (``month,steam_t,fuel_GJ,hours_h``): the boiler house's
  24 months before the project, the table the period file fixes ex ante (``fixed:`` of
  ``SG_hist_h``, ``EC_hist_h``, ``H_hist_h``; ``tests/test_spec_extensions.py`` checks that the
  two agree);
- ``steam-2016-daily.csv`` (t) and ``fuel-2016-daily.csv`` (GJ): daily ``interval`` data of each
  boiler in 2016, after the optimisation system was commissioned;
- ``hours-2016-monthly.csv`` (h): hours of steam generation per month, ``monthly`` format.

Nothing in them is a measurement; the project EXAMPLE-ID007 does not exist.

Model (hour by hour)
--------------------
Site: a textile dyeing and finishing plant in West Java with three natural-gas fire-tube boilers
B-1..B-3 of 10 t/h each, saturated steam at 10 bar(g), feedwater at 105 C (example values).

1. Steam demand [t/h] = (4 + 13 x production x orders) x (1 + AR(1) day-to-day variation, sd
   6 %), the production level 1.0 on three shifts Monday to Saturday, 0.35 on Sundays, and the
   month's order book (``ORDERS``: slow after the new year and after Lebaran, full before Lebaran
   and in the fourth quarter); no steam in the Lebaran shutdown (2014-07-26 to 2014-08-03,
   2015-07-15 to 2015-07-22, 2016-07-04 to 2016-07-10) and on 1 January. 2016 production is 4 %
   above 2014-2015.
2. Boilers. Fuel [GJ/h] = steam x 2.40 GJ/t (enthalpy rise of the steam, with blowdown) / the
   combustion efficiency + 0.35 GJ/h of standing (radiation and purge) losses per boiler on line.
   Before the project all three boilers were kept on line, the load shared equally, with 5.5 %
   flue O2: combustion efficiency 0.84 (AR(1) drift, sd 0.4 % between months). With the
   optimisation system the boilers on line are staged (a boiler for each 8 t/h of demand, at
   least one) and the O2 trim holds 2.5 %: combustion efficiency 0.88.
3. Historical records: monthly totals of steam, fuel and hours of steam generation, with 0.5 %
   metering noise. The line the methodology fits through them is then about 2.40/0.84 = 2.86 GJ
   per tonne plus 3 x 0.35 = 1.05 GJ per hour.
4. 2016 data: daily steam and fuel of each boiler; the hours in which the boiler house
   generated steam, per month. Gap: B-2's fuel of 2016-05-18 (flow computer fault, row absent).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from _models import EXAMPLES, ar1, days, rng, write_lines

SEED = 2016_0007
BOILERS = ("B-1", "B-2", "B-3")
ENTHALPY_GJ_PER_T, STANDING_GJ_PER_H = 2.40, 0.35
SHUTDOWNS = set(days(dt.date(2014, 7, 26), dt.date(2014, 8, 3))) | set(days(dt.date(2015, 7, 15), dt.date(2015, 7, 22)))
SHUTDOWNS |= set(days(dt.date(2016, 7, 4), dt.date(2016, 7, 10))) | {dt.date(y, 1, 1) for y in (2014, 2015, 2016)}
GAPS = {("fuel", "B-2", dt.date(2016, 5, 18))}
ORDERS = (0.70, 0.78, 0.92, 1.00, 1.05, 1.08, 0.85, 0.66, 0.82, 0.98, 1.10, 1.06)  # January..December


def demand(day: dt.date, variation: float, growth: float) -> float:
    """Steam demand of a day [t/h] (the same every hour: three shifts)."""
    if day in SHUTDOWNS:
        return 0.0
    production = 0.35 if day.weekday() == 6 else 1.0
    return (4.0 + 13.0 * production * ORDERS[day.month - 1]) * variation * growth


def historical() -> list[tuple[str, float, float, float]]:
    """Monthly (month, steam t, fuel GJ, hours h) of 2014-2015, all boilers on line."""
    calendar = days(dt.date(2014, 1, 1), dt.date(2015, 12, 31))
    variation = 1.0 + 0.06 * ar1(rng(SEED, 1), len(calendar), 0.6)
    efficiency = 0.84 * (1.0 + 0.004 * ar1(rng(SEED, 2), 24, 0.5))
    noise = rng(SEED, 3).standard_normal((24, 3)) * 0.005
    totals = np.zeros((24, 3))
    for k, day in enumerate(calendar):
        m = (day.year - 2014) * 12 + day.month - 1
        steam = demand(day, variation[k], 1.0)
        if steam > 0:
            totals[m] += (24 * steam, 24 * (steam * ENTHALPY_GJ_PER_T / efficiency[m] + 3 * STANDING_GJ_PER_H), 24)
    totals *= 1.0 + noise
    totals[:, 2] = np.round(totals[:, 2] / (1.0 + noise[:, 2]))  # hours are counted, not metered
    return [(f"{2014 + m // 12}-{m % 12 + 1:02d}", *totals[m]) for m in range(24)]


def project() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """2016: daily steam [t] and fuel [GJ] per boiler, hours of steam generation per month."""
    calendar = days(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    variation = 1.0 + 0.06 * ar1(rng(SEED, 4), len(calendar), 0.6)
    steam = {b: np.zeros(len(calendar)) for b in BOILERS}
    fuel = {b: np.zeros(len(calendar)) for b in BOILERS}
    hours = np.zeros(12)
    for k, day in enumerate(calendar):
        rate = demand(day, variation[k], 1.04)
        if rate <= 0:
            continue
        online = BOILERS[: max(1, math.ceil(rate / 8.0))]
        for b in online:
            steam[b][k] = 24 * rate / len(online)
            fuel[b][k] = 24 * (rate / len(online) * ENTHALPY_GJ_PER_T / 0.88 + STANDING_GJ_PER_H)
        hours[day.month - 1] += 24
    return steam, fuel, hours


def main() -> None:
    folder = EXAMPLES / "ID_AM007"
    records = historical()
    write_lines(folder / "historical-2014-2015-monthly.csv", "month,steam_t,fuel_GJ,hours_h", [f"{m},{s:.1f},{f:.1f},{h:.0f}" for m, s, f, h in records])
    steam, fuel, hours = project()
    calendar = days(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    for key, data, unit in (("steam", steam, "t"), ("fuel", fuel, "GJ")):
        rows = [f"{day:%Y-%m-%d}T00:00:00,{b},{data[b][k]:.1f},{unit}" for k, day in enumerate(calendar) for b in BOILERS if (key, b, day) not in GAPS]
        write_lines(folder / f"{key}-2016-daily.csv", "timestamp,point,value,unit", rows)
    write_lines(folder / "hours-2016-monthly.csv", "month,point,value,unit", [f"2016-{m + 1:02d},BOILER-HOUSE,{h:.0f},h" for m, h in enumerate(hours)])
    print(f"ID_AM007 history: {sum(r[1] for r in records):,.0f} t, {sum(r[2] for r in records):,.0f} GJ, {sum(r[3] for r in records):,.0f} h")
    print(f"ID_AM007 2016: {sum(v.sum() for v in steam.values()):,.0f} t, {sum(v.sum() for v in fuel.values()):,.0f} GJ, {hours.sum():,.0f} h")


if __name__ == "__main__":
    main()
