"""SYNTHETIC example data for JCM_ID_AM003 (energy-efficient refrigerators, frozen-food plant, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM003.py

Writes ``data/examples/ID_AM003/refrigerators-2017-monthly.csv`` (``monthly`` format:
``month,point,value,unit``; electricity per month of two refrigerating units in kWh, calendar
year 2017), the same bytes on every run. Nothing in it is a measurement; the project
EXAMPLE-ID003 does not exist.

Model (day by day, totalled per month)
--------------------------------------
Site: a frozen-food plant (dumplings and fish balls) in Bekasi, east of Jakarta (climate:
``_models.CLIMATE['jakarta']``), with two air-cooled refrigerating units for its blast freezer
and frozen store at -25 C: R-1, 70 kW of cooling at the rating point (COP 1.63, the order of the
project refrigerator of a published PDD of this methodology), and R-2, 110 kW (COP 1.75); example
values standing in for catalogues.

1. Refrigeration load [kW] per unit = transmission UA x (T_out - T_room) (UA 0.45 and 0.75 kW/K)
   + product load: frozen product made per day x 330 kJ/kg (cooling from +20 C, freezing,
   sub-cooling to -25 C) over 16 production hours, split 40 % / 60 % between R-1 and R-2.
   Production: 9 t a day Monday-Friday, 5 t on Saturdays, none on Sundays and public holidays;
   70 % during Ramadan (2017-05-27 to 2017-06-24) and none in the Lebaran leave (2017-06-23 to
   2017-07-02); December +15 % (year-end orders). Day-to-day AR(1) variation, sd 6 %.
2. Air-cooled condensers: condensing temperature = daily mean dry bulb + 12 K; evaporating
   temperature -35 C. COP at the day's conditions = rated COP x Carnot correction
   (T_c,rated - T_e) / (T_c - T_e) with the rating point T_c,rated = 45 C.
3. Electricity [kWh/day] = load / COP over 24 h, capped at the unit's capacity, + evaporator fans
   and defrost heaters (2.5 kW on R-1, 4 kW on R-2, all day).
4. Monthly kWh from the units' sub-meters (whole kWh).
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2017_0003
START, END = dt.date(2017, 1, 1), dt.date(2017, 12, 31)
UNITS = {"R-1": (70.0, 1.63, 0.45, 0.40, 2.5), "R-2": (110.0, 1.75, 0.75, 0.60, 4.0)}  # kW, COP, UA kW/K, product share, aux kW
T_ROOM, T_EVAP, T_COND_RATED, CONDENSER_APPROACH = -25.0, -35.0, 45.0, 12.0
PRODUCT_KJ_PER_KG, PRODUCTION_HOURS = 330.0, 16.0
RAMADAN = (dt.date(2017, 5, 27), dt.date(2017, 6, 24))
LEBARAN = (dt.date(2017, 6, 23), dt.date(2017, 7, 2))
HOLIDAYS = {dt.date(2017, m, d) for m, d in ((1, 1), (1, 28), (3, 28), (4, 14), (4, 24), (5, 1), (5, 11), (5, 25), (6, 1), (8, 17), (9, 1), (9, 21), (12, 1), (12, 25))}


def production_t(day: dt.date) -> float:
    if LEBARAN[0] <= day <= LEBARAN[1] or day in HOLIDAYS or day.weekday() == 6:
        return 0.0
    tonnes = 5.0 if day.weekday() == 5 else 9.0
    if RAMADAN[0] <= day <= RAMADAN[1]:
        tonnes *= 0.7
    if day.month == 12:
        tonnes *= 1.15
    return tonnes


def simulate() -> dict[str, dict[str, float]]:
    calendar = days(START, END)
    weather = 0.6 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.06 * ar1(rng(SEED, 2), len(calendar), 0.5)
    out: dict[str, dict[str, float]] = {p: {} for p in UNITS}
    for k, day in enumerate(calendar):
        dry, _ = daily_temperature("jakarta", day, weather[k])
        product_kw_day = production_t(day) * 1000 * PRODUCT_KJ_PER_KG / (PRODUCTION_HOURS * 3600)
        t_cond = dry + CONDENSER_APPROACH
        month = f"{day:%Y-%m}"
        for point, (cap, cop_rated, ua, share, aux) in UNITS.items():
            transmission = ua * (dry - T_ROOM)
            product = share * product_kw_day * variation[k]
            cop = cop_rated * (T_COND_RATED - T_EVAP) / (t_cond - T_EVAP)
            kwh = (min(transmission + product, cap) * PRODUCTION_HOURS + min(transmission, cap) * (24 - PRODUCTION_HOURS)) / cop + aux * 24
            out[point][month] = out[point].get(month, 0.0) + kwh
    return out


def main() -> None:
    monthly = simulate()
    rows = [f"{month},{point},{round(monthly[point][month])},kWh" for month in sorted(monthly["R-1"]) for point in UNITS]
    write_lines(EXAMPLES / "ID_AM003" / "refrigerators-2017-monthly.csv", "month,point,value,unit", rows)
    for point, months in monthly.items():
        print(f"ID_AM003 {point}: {sum(months.values()) / 1000:,.3f} MWh in 2017")


if __name__ == "__main__":
    main()
