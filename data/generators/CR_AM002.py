"""SYNTHETIC example data for JCM_CR_AM002 (high efficiency centrifugal chillers, Costa Rica).

Run from the repository root::

    .venv/bin/python data/generators/CR_AM002.py

Writes ``data/examples/CR_AM002/chillers-2019-monthly.csv`` (``monthly`` format:
``month,point,value,unit``; electricity per month of two chillers in kWh, calendar year 2019),
the same bytes on every run. Nothing in it is a measurement; the project EXAMPLE-CR002 does not
exist. (JCM_CR_AM002's equations are inferred from the family; the data do not depend on that.)

Model (hour by hour, totalled per month)
----------------------------------------
Site: a shopping mall in Escazu, west of San Jose, at about 1,000 m, with two constant-speed
centrifugal chillers, CH-1 400 USRt (rated COP 6.25) and CH-2 300 USRt (rated COP 6.10);
example values standing in for specification sheets.

1. Climate: monthly mean dry- and wet-bulb temperatures of the Central Valley (indicative, from
   general knowledge of the climate: a mild, drier December-April and a humid wet season),
   interpolated to the day, plus an AR(1) weather anomaly (sd 0.7 K, lag-1 0.7) and a diurnal
   cosine of 5 K half-range peaking at 14:00.
2. Cooling load [USRt] while the mall is conditioned (09:00-21:00 every day; 10:00-20:00 on the
   Easter holidays 2019-04-18/19 and on 2019-01-01 and 2019-12-25): internal gains 300 x
   occupancy (1.0 on Saturdays and Sundays, 0.8 otherwise, 1.15 in the December shopping season)
   + envelope 9 USRt/K x (T_out - 22 C) + fresh air 14 USRt/K x (T_wb - 16 C); 60 USRt at
   night for the food court's cold rooms' condensers and the data room. Day-to-day AR(1)
   variation, sd 5 %.
3. Staging: CH-2 alone up to 95 % of its capacity, CH-1 alone up to 95 % of its, both above,
   sharing in proportion to capacity; power from the rated COP, the DOE-2 quadratic part-load
   curve (``_models.eir_part_load``) and a condenser-water correction (+2 %/K above 29.4 C,
   towers 4 K above the wet bulb), plus 4 kW of auxiliaries while running.
4. Monthly kWh as the building-management system totals them (whole kWh).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, KW_PER_USRT, ar1, days, eir_part_load, rng, write_lines

SEED = 2019_0002
START, END = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
DRY = np.array([21.0, 21.6, 22.4, 23.0, 22.6, 22.1, 21.8, 21.8, 21.6, 21.3, 21.0, 20.9])
WET = np.array([16.0, 16.0, 16.8, 18.0, 19.2, 19.4, 19.0, 19.1, 19.2, 19.1, 18.2, 16.8])
CHILLERS = {"CH-1": (400.0, 6.25), "CH-2": (300.0, 6.10)}
INTERNAL_USRT, NIGHT_USRT = 300.0, 60.0
ENVELOPE_USRT_PER_K, FRESH_AIR_USRT_PER_K, T_BALANCE, T_WB_BALANCE = 9.0, 14.0, 22.0, 16.0
DIURNAL_HALF_RANGE, PEAK_HOUR = 5.0, 14.0
STAGE_FRACTION = 0.95
TOWER_APPROACH, ECWT_RATING, EIR_PER_K = 4.0, 29.4, 0.02
AUXILIARY_KW = 4.0
SHORT_DAYS = {dt.date(2019, 4, 18), dt.date(2019, 4, 19), dt.date(2019, 12, 25), dt.date(2019, 1, 1)}


def climate(day: dt.date, anomaly: float) -> tuple[float, float]:
    """Daily mean dry- and wet-bulb temperature: monthly means interpolated to the day."""
    position = day.month - 1 + (day.day - 1) / 30.5 - 0.5
    lo = int(np.floor(position)) % 12
    hi = (lo + 1) % 12
    w = position - np.floor(position)
    return float((1 - w) * DRY[lo] + w * DRY[hi] + anomaly), float((1 - w) * WET[lo] + w * WET[hi] + 0.6 * anomaly)


def simulate() -> dict[str, dict[str, float]]:
    """Electricity [kWh] per chiller and month (YYYY-MM)."""
    calendar = days(START, END)
    weather = 0.7 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.05 * ar1(rng(SEED, 2), len(calendar), 0.6)
    out: dict[str, dict[str, float]] = {p: {} for p in CHILLERS}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = climate(day, weather[k])
        open_hours = (10, 20) if day in SHORT_DAYS else (9, 21)
        occupancy = 1.0 if day.weekday() >= 5 else 0.8
        if day.month == 12:
            occupancy *= 1.15
        month = f"{day:%Y-%m}"
        for hour in range(24):
            dry = dry_mean + DIURNAL_HALF_RANGE * np.cos(2 * np.pi * (hour + 0.5 - PEAK_HOUR) / 24)
            wet = wet_mean + 0.3 * (dry - dry_mean)
            if open_hours[0] <= hour < open_hours[1]:
                load = INTERNAL_USRT * occupancy + ENVELOPE_USRT_PER_K * max(dry - T_BALANCE, 0) + FRESH_AIR_USRT_PER_K * max(wet - T_WB_BALANCE, 0)
            else:
                load = NIGHT_USRT
            load = min(load * variation[k], 700.0)
            if load <= STAGE_FRACTION * 300:
                split = {"CH-1": 0.0, "CH-2": load}
            elif load <= STAGE_FRACTION * 400:
                split = {"CH-1": load, "CH-2": 0.0}
            else:
                split = {p: load * cap / 700.0 for p, (cap, _) in CHILLERS.items()}
            condenser = 1.0 + EIR_PER_K * (wet + TOWER_APPROACH - ECWT_RATING)
            for point, (cap, cop) in CHILLERS.items():
                q = split[point]
                kwh = cap * KW_PER_USRT / cop * float(eir_part_load(min(q / cap, 1.0))) * condenser + AUXILIARY_KW if q > 0 else 0.0
                out[point][month] = out[point].get(month, 0.0) + kwh
    return out


def main() -> None:
    monthly = simulate()
    rows = [f"{month},{point},{round(monthly[point][month])},kWh" for month in sorted(monthly["CH-1"]) for point in CHILLERS]
    write_lines(EXAMPLES / "CR_AM002" / "chillers-2019-monthly.csv", "month,point,value,unit", rows)
    for point, months in monthly.items():
        print(f"CR_AM002 {point}: {sum(months.values()) / 1000:,.3f} MWh in 2019")


if __name__ == "__main__":
    main()
