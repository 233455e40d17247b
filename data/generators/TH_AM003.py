"""SYNTHETIC example data for JCM_TH_AM003 (inverter type centrifugal chillers, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM003.py

Writes ``data/examples/TH_AM003/chillers-2024-register.csv`` (``register`` format:
``timestamp,point,reading,unit``; the kWh registers of two chillers read at 00:00 every day,
2024-01-01 to 2025-01-01), the same bytes on every run. Nothing in it is a measurement; the
project EXAMPLE-TH003 does not exist. (JCM_TH_AM003's equations are inferred from the family;
the data do not depend on that.)

Model (hour by hour)
--------------------
Site: a private hospital in Bangkok (climate: ``_models.CLIMATE['bangkok']``) cooled by two
inverter type (variable-speed) centrifugal chillers of 600 USRt each, rated COP 6.60 and 6.55
(example values standing in for specification sheets).

1. Cooling load [USRt] = base 260 (wards, operating theatres, 24 h) + outpatient load 210 x
   activity (1 from 07:00 to 20:00 Monday-Saturday, 0.35 on Sundays and the 2024 public holidays
   the outpatient department closes, 0.1 at night) + envelope 12 USRt/K x (T_out - 24 C) + fresh
   air 18 USRt/K x (T_wb - 17 C), times a day-to-day AR(1) variation (sd 4 %, lag-1 0.6).
   Outdoor temperature: the day's mean (monthly climatology plus an AR(1) anomaly, sd 0.8 K) and
   a diurnal cosine of 4 K half-range peaking at 15:00.
2. Staging for variable-speed machines, which are most efficient at part load: one chiller up
   to 55 % of its capacity, both above, sharing equally; the duty chiller alternates every week.
3. Electric power = rated power x EIR(PLR) x condenser-water correction. EIR for a
   variable-speed centrifugal chiller: 0.12 + 0.30 PLR + 0.58 PLR^2 (= 1 at full load; the
   speed drive cuts the part-load input far below the constant-speed curve of
   ``_models.eir_part_load``); condenser water 4 K above the wet bulb, +2.5 %/K above the
   29.4 C rating point (a variable-speed machine gains more from cold condenser water, and
   loses more from warm). Plus 4 kW of auxiliaries (oil pump, drive cooling, controls) while
   running.
4. Registers count whole kWh from 1,850,400 (CH-1) and 1,812,950 (CH-2) on 2024-01-01. The
   readings of 2024-08-14 and 2024-08-15 are missing (BMS upgrade); the next reading closes the
   span, so no energy is lost.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, KW_PER_USRT, ar1, daily_temperature, days, rng, write_lines

SEED = 2024_0003
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
CHILLERS = {"CH-1": (600.0, 6.60, 1_850_400), "CH-2": (600.0, 6.55, 1_812_950)}  # USRt, rated COP, first register
BASE_USRT, OUTPATIENT_USRT = 260.0, 210.0
ENVELOPE_USRT_PER_K, FRESH_AIR_USRT_PER_K, T_BALANCE, T_WB_BALANCE = 12.0, 18.0, 24.0, 17.0
DIURNAL_HALF_RANGE, PEAK_HOUR = 4.0, 15.0
SINGLE_FRACTION = 0.55
EIR_VSD = (0.12, 0.30, 0.58)
TOWER_APPROACH, ECWT_RATING, EIR_PER_K = 4.0, 29.4, 0.025
AUXILIARY_KW = 4.0
HOLIDAYS = {dt.date(2024, 1, 1), dt.date(2024, 4, 13), dt.date(2024, 4, 14), dt.date(2024, 4, 15), dt.date(2024, 5, 1), dt.date(2024, 12, 31)}
MISSING_READINGS = {dt.date(2024, 8, 14), dt.date(2024, 8, 15)}


def activity(day: dt.date, hour: int) -> float:
    if hour < 7 or hour >= 20:
        return 0.1
    return 0.35 if (day.weekday() == 6 or day in HOLIDAYS) else 1.0


def eir_vsd(plr: float) -> float:
    a, b, c = EIR_VSD
    return a + b * plr + c * plr * plr


def simulate() -> dict[str, list[float]]:
    """Electricity [kWh] per chiller and day."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.04 * ar1(rng(SEED, 2), len(calendar), 0.6)
    out: dict[str, list[float]] = {p: [] for p in CHILLERS}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = daily_temperature("bangkok", day, weather[k])
        duty, standby = ("CH-1", "CH-2") if (k // 7) % 2 == 0 else ("CH-2", "CH-1")
        energy = {p: 0.0 for p in CHILLERS}
        for hour in range(24):
            dry = dry_mean + DIURNAL_HALF_RANGE * np.cos(2 * np.pi * (hour + 0.5 - PEAK_HOUR) / 24)
            wet = wet_mean + 0.3 * (dry - dry_mean)
            load = BASE_USRT + OUTPATIENT_USRT * activity(day, hour)
            load += ENVELOPE_USRT_PER_K * max(dry - T_BALANCE, 0) + FRESH_AIR_USRT_PER_K * max(wet - T_WB_BALANCE, 0)
            load = min(load * variation[k], 1200.0)
            split = {duty: load, standby: 0.0} if load <= SINGLE_FRACTION * 600 else {duty: load / 2, standby: load / 2}
            condenser = 1.0 + EIR_PER_K * (wet + TOWER_APPROACH - ECWT_RATING)
            for point, (cap, cop, _) in CHILLERS.items():
                q = split[point]
                if q > 0:
                    energy[point] += cap * KW_PER_USRT / cop * eir_vsd(min(q / cap, 1.0)) * condenser + AUXILIARY_KW
        for point in CHILLERS:
            out[point].append(energy[point])
    return out


def main() -> None:
    daily = simulate()
    rows = []
    for n, day in enumerate(days(START, END + dt.timedelta(days=1))):
        if day in MISSING_READINGS:
            continue
        for point, (_, _, first) in CHILLERS.items():
            rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{int(np.floor(first + sum(daily[point][:n])))},kWh")
    write_lines(EXAMPLES / "TH_AM003" / "chillers-2024-register.csv", "timestamp,point,reading,unit", rows)
    for point in CHILLERS:
        print(f"TH_AM003 {point}: {sum(daily[point]) / 1000:,.3f} MWh in 2024")


if __name__ == "__main__":
    main()
