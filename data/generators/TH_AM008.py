"""SYNTHETIC example data for JCM_TH_AM008 (heat recovery heat pumps, food factory, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM008.py

Writes two daily ``interval`` files (``timestamp,point,value,unit``, interval ``1D``) for calendar
year 2022 into ``data/examples/TH_AM008/``, the same bytes on every run:
``heat-pumps-2022-daily.csv`` (kWh of each heat pump) and ``auxiliaries-2022-daily.csv`` (kWh of
the two circulation pumps installed with them). Nothing in them is a measurement; the project
EXAMPLE-TH008 does not exist.

Model (hour by hour)
--------------------
Site: a ready-meal factory in Samut Prakan (Bangkok climate, ``_models.CLIMATE['bangkok']``) with
two ammonia heat recovery heat pumps, HP-1 and HP-2, each rated 110 kW(e), 396 kW of hot water at
65 C (COP_H 3.6) and 286 kW of chilled water at 7 C (COP_C 2.6) at the same time (example values;
COP_H - COP_C = 1: the compressor work leaves with the hot water).

1. Demand. Process hot water (washing, blanching, cleaning in place) [kW] = 150 + 700 x production
   + 250 in the sanitation hours (22:00-24:00 on production days, 08:00-16:00 on Sundays);
   process chilled water [kW] = 120 + 480 x production + 6 kW/K x (T_out - 28 C) for the
   conditioned packing rooms. Production: two shifts 06:00-22:00 Monday to Saturday (1.0),
   otherwise 0; Thai public holidays of 2022 and the Songkran shutdown (13-17 April) have no
   production and no sanitation. Day-to-day AR(1) variation of both demands, sd 5 %.
2. Dispatch. A heat recovery heat pump delivers heat and cooling in the fixed ratio of its COPs,
   so it follows the smaller of the two demands (the factory's existing gas boiler and chiller,
   outside the project, cover the rest): electric input = min(hot water demand / COP_H,
   chilled water demand / COP_C, available capacity). One heat pump runs up to its 110 kW, both
   (sharing equally) above; a heat pump runs only above 30 % load. HP-2 is serviced
   2022-06-06 to 2022-06-10.
3. Part load: the heat delivered per kWh falls as 1 - 0.12 (1 - PLR)^2 (cycling and the
   compressor's slide-valve unloading), so electricity = heat / (COP_H x that factor).
4. Auxiliaries: P-1 (hot-water circulation, 7.5 kW) and P-2 (chilled-water circulation, 11 kW)
   run whenever a heat pump runs, at 85 % of their rated power.
5. Data gaps (rows absent): HP-1 on 2022-09-14 (meter communication failure), P-2 on 2022-11-02
   (logger reset).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2022_0008
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
PUMPS = ("HP-1", "HP-2")
RATED_KW, COP_H, COP_C, MIN_PLR = 110.0, 3.6, 2.6, 0.3
AUX_KW = {"P-1": 7.5, "P-2": 11.0}
SERVICE = {"HP-2": set(days(dt.date(2022, 6, 6), dt.date(2022, 6, 10)))}
HOLIDAYS = {dt.date(2022, m, d) for m, d in [(1, 3), (2, 16), (4, 6), (5, 2), (5, 4), (5, 16), (6, 3), (7, 13), (7, 28), (8, 12), (10, 13), (10, 24), (12, 5), (12, 12)]}
HOLIDAYS |= set(days(dt.date(2022, 4, 13), dt.date(2022, 4, 17))) | {dt.date(2022, 12, 31)}
GAPS = {("heat-pumps", "HP-1", dt.date(2022, 9, 14)), ("auxiliaries", "P-2", dt.date(2022, 11, 2))}


def production(day: dt.date, hour: int) -> tuple[float, float]:
    """(production level, sanitation hot water in kW) of an hour."""
    if day in HOLIDAYS:
        return 0.0, 0.0
    if day.weekday() == 6:
        return 0.0, 250.0 if 8 <= hour < 16 else 0.0
    return (1.0 if 6 <= hour < 22 else 0.0), (250.0 if hour >= 22 else 0.0)


def simulate() -> dict[str, np.ndarray]:
    """Per heat pump and auxiliary: electricity of each day [kWh]."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    hot_var = 1.0 + 0.05 * ar1(rng(SEED, 2), len(calendar), 0.6)
    cold_var = 1.0 + 0.05 * ar1(rng(SEED, 3), len(calendar), 0.6)
    out = {name: np.zeros(len(calendar)) for name in (*PUMPS, *AUX_KW)}
    for k, day in enumerate(calendar):
        dry_mean, _ = daily_temperature("bangkok", day, weather[k])
        available = [p for p in PUMPS if day not in SERVICE.get(p, set())]
        for hour in range(24):
            t_out = dry_mean + 3.5 * np.cos(2 * np.pi * (hour + 0.5 - 15.0) / 24)
            prod, sanitation = production(day, hour)
            hot = (150.0 + 700.0 * prod + sanitation) * hot_var[k]
            cold = max(120.0 + 480.0 * prod + 6.0 * (t_out - 28.0), 0.0) * cold_var[k]
            wanted = min(hot / COP_H, cold / COP_C)  # kW(e) at full-load COPs
            running = available[:1] if wanted <= RATED_KW else available
            if not running:
                continue
            each = min(wanted / len(running), RATED_KW)
            plr = each / RATED_KW
            if plr < MIN_PLR:
                continue
            factor = 1.0 - 0.12 * (1.0 - plr) ** 2
            for pump in running:
                out[pump][k] += each / factor  # the same heat needs more electricity at part load
            for aux, kw in AUX_KW.items():
                out[aux][k] += 0.85 * kw
    return out


def main() -> None:
    data = simulate()
    calendar = days(START, END)
    folder = EXAMPLES / "TH_AM008"
    for key, names in (("heat-pumps", PUMPS), ("auxiliaries", tuple(AUX_KW))):
        rows = [f"{day:%Y-%m-%d}T00:00:00,{name},{data[name][k]:.1f},kWh" for k, day in enumerate(calendar) for name in names if (key, name, day) not in GAPS]
        write_lines(folder / f"{key}-2022-daily.csv", "timestamp,point,value,unit", rows)
    for name in (*PUMPS, *AUX_KW):
        print(f"TH_AM008 {name}: {data[name].sum() / 1000:,.1f} MWh in 2022")


if __name__ == "__main__":
    main()
