"""SYNTHETIC example data for JCM_MM_AM002 (natural-refrigerant refrigerators at a cold storage).

Run from the repository root::

    .venv/bin/python data/generators/MM_AM002.py

Writes ``data/examples/MM_AM002/refrigerators-fy2023-register.csv`` (``register`` format:
``timestamp,point,reading,unit``; daily register readings at 00:00 of the electricity meters
of two refrigerating units, Myanmar fiscal year 2022-10-01 to 2023-09-30), the same bytes on
every run. Nothing in it is a measurement; the project EXAMPLE-MM002 does not exist.

Model (day by day)
------------------
Site: a seafood cold storage near Yangon (climate: ``_models.CLIMATE['yangon']``) with two
ammonia/CO2 refrigerating units serving frozen stores at -25 C: R-1 (220 kW refrigerating
capacity, rated COP 2.30) and R-2 (90 kW, rated COP 2.10); example values.

1. Refrigeration load [kW] per unit = transmission UA x (T_out - T_room) (UA 1.6 and 0.7 kW/K)
   + product load: fish received per day x 300 kJ/kg (cooling from +5 C, freezing, sub-cooling
   to -25 C) spread over the day; intake follows the fishing seasons (a low season during the
   south-west monsoon, June-August, factor 0.45; the main season November-March, 1.15),
   Sundays 0.3; R-1 takes 75 % of the product, R-2 25 % + door openings, lighting, people and
   defrost heat, 18 % of the above on working days, 8 % on Sundays. Day-to-day variation AR(1),
   sd 6 %.
2. Evaporative condensers: condensing temperature = wet bulb + 8 K. COP at the day's
   conditions = rated COP x Carnot correction (T_c,rated - T_e) / (T_c - T_e), with
   T_e = -32 C and the rating point T_c,rated = 35 C.
3. Electricity [kWh/day] = 24 h x (load / COP + auxiliaries: evaporator fans and pumps,
   8 kW on R-1 and 3.5 kW on R-2), capped at the unit's capacity.
4. Registers: R-1's meter shows whole kWh; R-2's multi-function meter shows MWh to three
   decimals (so the file mixes kWh and MWh rows, each with its unit). Readings on 2023-02-10 to
   2023-02-12 are missing (logger battery failure); the next reading closes the span, so no
   energy is lost.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2023_0002
START, END = dt.date(2022, 10, 1), dt.date(2023, 9, 30)
UNITS = {  # point: (capacity kW, rated COP, UA kW/K, product share, auxiliaries kW, first register reading)
    "R-1": (220.0, 2.30, 1.6, 0.75, 8.0, 1_204_118),
    "R-2": (90.0, 2.10, 0.7, 0.25, 3.5, 402.731),
}
T_ROOM, T_EVAP, T_COND_RATED, CONDENSER_APPROACH = -25.0, -32.0, 35.0, 8.0
FISH_T_PER_DAY, FISH_KJ_PER_KG = 24.0, 300.0
SEASON = {6: 0.45, 7: 0.45, 8: 0.45, 11: 1.15, 12: 1.15, 1: 1.15, 2: 1.15, 3: 1.15}
MISSING_READINGS = {dt.date(2023, 2, 10), dt.date(2023, 2, 11), dt.date(2023, 2, 12)}


def simulate() -> dict[str, list[float]]:
    """Electricity [kWh] per unit and day."""
    calendar = days(START, END)
    weather = 0.7 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.06 * ar1(rng(SEED, 2), len(calendar), 0.5)
    out: dict[str, list[float]] = {p: [] for p in UNITS}
    for k, day in enumerate(calendar):
        dry, wet = daily_temperature("yangon", day, weather[k])
        sunday = day.weekday() == 6
        intake = FISH_T_PER_DAY * SEASON.get(day.month, 1.0) * (0.3 if sunday else 1.0)
        product_kw = intake * 1000 * FISH_KJ_PER_KG / 86400
        t_cond = wet + CONDENSER_APPROACH
        for point, (cap, cop_rated, ua, share, aux, _) in UNITS.items():
            load = ua * (dry - T_ROOM) + share * product_kw
            load *= (1.08 if sunday else 1.18) * variation[k]
            cop = cop_rated * (T_COND_RATED - T_EVAP) / (t_cond - T_EVAP)
            kw = min(load, cap) / cop + aux
            out[point].append(24.0 * kw)
    return out


def main() -> None:
    daily = simulate()
    stamps = days(START, END + dt.timedelta(days=1))
    rows = []
    for n, day in enumerate(stamps):
        if day in MISSING_READINGS:
            continue
        for point, (*_, first) in UNITS.items():
            kwh = first * (1000.0 if point == "R-2" else 1.0) + float(np.sum(daily[point][:n]))
            if point == "R-2":
                rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{np.floor(kwh) / 1000.0:.3f},MWh")  # the display truncates
            else:
                rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{int(np.floor(kwh))},kWh")
    write_lines(EXAMPLES / "MM_AM002" / "refrigerators-fy2023-register.csv", "timestamp,point,reading,unit", rows)
    for point in UNITS:
        print(f"MM_AM002 {point}: {sum(daily[point]) / 1000:,.3f} MWh in FY2022/23")


if __name__ == "__main__":
    main()
