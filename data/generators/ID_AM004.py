"""SYNTHETIC example data for JCM_ID_AM004 (inverter-type air conditioning for grocery stores, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM004.py

Writes ``data/examples/ID_AM004/air-conditioning-2016-monthly.csv`` (``monthly`` format:
``month,point,value,unit``; electricity per month of the air conditioning system of three
grocery stores in kWh, calendar year 2016), the same bytes on every run. Nothing in it is a
measurement; the project EXAMPLE-ID004 and its stores do not exist.

Model (hour by hour, totalled per month)
----------------------------------------
Three grocery stores in Jakarta (climate: ``_models.CLIMATE['jakarta']``), each cooled by an
inverter-type air conditioning system (outdoor unit and ducted indoor units) of 28 kW cooling
capacity, rated COP 3.90 (G1, G2) and 3.80 (G3) at 35 C outdoor (example values standing in
for specification sheets). G1 is open 24 hours; G2 and G3 07:00-22:00.

1. Cooling load [kW] while open = internal gains 11 kW (lighting, checkouts, people; 13 kW from
   17:00 to 20:00, the evening shopping peak, and 4 kW less at night in G1) - 2.5 kW taken by the
   open refrigerated display cases + envelope 0.9 kW/K x (T_out - 25 C) + door infiltration
   0.5 kW/K of wet-bulb above 19 C; outside opening hours the system is off. Outdoor air: the
   day's mean (monthly climatology plus an AR(1) anomaly, sd 0.6 K) and a diurnal cosine of
   3.5 K half-range peaking at 14:00. Ramadan (2016-06-06 to 2016-07-05) shifts the peak to
   18:00-21:00; the stores close on 2016-07-06 and 2016-07-07 (Eid al-Fitr).
2. Inverter part-load efficiency: COP = rated COP x (1 + 0.35 (1 - PLR)) for PLR of 0.3 or more
   (the compressor slows down; below 0.3 it cycles: the COP stays at its value for 0.3) x
   (1 + 2.5 % per K below the 35 C rating point of the outdoor air). Electric power = load / COP
   + 0.35 kW of indoor fans while running.
3. Monthly kWh from each system's sub-meter (whole kWh).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2016_0004
START, END = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
STORES = {"G1": (28.0, 3.90, True), "G2": (28.0, 3.90, False), "G3": (28.0, 3.80, False)}  # kW, rated COP, open 24 h
INTERNAL_KW, PEAK_KW, NIGHT_REDUCTION_KW, DISPLAY_CASES_KW = 11.0, 13.0, 4.0, 2.5
ENVELOPE_KW_PER_K, INFILTRATION_KW_PER_K, T_BALANCE, T_WB_BALANCE = 0.9, 0.5, 25.0, 19.0
DIURNAL_HALF_RANGE, PEAK_HOUR = 3.5, 14.0
PART_LOAD_GAIN, MIN_PLR, COP_PER_K, T_RATING, FAN_KW = 0.35, 0.3, 0.025, 35.0, 0.35
RAMADAN = (dt.date(2016, 6, 6), dt.date(2016, 7, 5))
EID = {dt.date(2016, 7, 6), dt.date(2016, 7, 7)}


def simulate() -> dict[str, dict[str, float]]:
    calendar = days(START, END)
    weather = 0.6 * ar1(rng(SEED, 1), len(calendar), 0.7)
    out: dict[str, dict[str, float]] = {p: {} for p in STORES}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = daily_temperature("jakarta", day, weather[k])
        peak = (18, 21) if RAMADAN[0] <= day <= RAMADAN[1] else (17, 20)
        month = f"{day:%Y-%m}"
        for point, (cap, cop_rated, all_day) in STORES.items():
            energy = 0.0
            for hour in range(24):
                if day in EID or (not all_day and not 7 <= hour < 22):
                    continue
                dry = dry_mean + DIURNAL_HALF_RANGE * np.cos(2 * np.pi * (hour + 0.5 - PEAK_HOUR) / 24)
                wet = wet_mean + 0.3 * (dry - dry_mean)
                internal = PEAK_KW if peak[0] <= hour < peak[1] else INTERNAL_KW
                if hour < 7 or hour >= 22:
                    internal -= NIGHT_REDUCTION_KW
                load = internal - DISPLAY_CASES_KW + ENVELOPE_KW_PER_K * (dry - T_BALANCE) + INFILTRATION_KW_PER_K * max(wet - T_WB_BALANCE, 0.0)
                load = min(max(load, 0.0), cap)
                plr = max(load / cap, MIN_PLR)
                cop = cop_rated * (1 + PART_LOAD_GAIN * (1 - plr)) * (1 + COP_PER_K * (T_RATING - dry))
                energy += load / cop + FAN_KW
            out[point][month] = out[point].get(month, 0.0) + energy
    return out


def main() -> None:
    monthly = simulate()
    rows = [f"{month},{point},{round(monthly[point][month])},kWh" for month in sorted(monthly["G1"]) for point in STORES]
    write_lines(EXAMPLES / "ID_AM004" / "air-conditioning-2016-monthly.csv", "month,point,value,unit", rows)
    for point, months in monthly.items():
        print(f"ID_AM004 {point}: {sum(months.values()):,.0f} kWh in 2016")


if __name__ == "__main__":
    main()
