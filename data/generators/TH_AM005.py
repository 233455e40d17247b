"""SYNTHETIC example data for JCM_TH_AM005 (non-inverter centrifugal chillers, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM005.py

Writes ``data/examples/TH_AM005/chillers-2024-hourly.csv`` (``interval`` format:
``timestamp,point,value,unit``, hourly kWh per chiller, calendar year 2024), the same bytes on
every run. Nothing in it is a measurement; the project EXAMPLE-TH005 does not exist.

Model (hour by hour)
--------------------
Site: an electronics-assembly factory north of Bangkok (climate: ``_models.CLIMATE['bangkok']``)
cooled by two constant-speed (non-inverter) centrifugal chillers, CH-1 500 USRt (rated COP 6.30)
and CH-2 800 USRt (rated COP 6.45); example values standing in for specification sheets.

1. Production: three shifts Monday-Saturday (factor 1.0); Sundays a day shift 06:00-18:00 (0.5)
   and standby otherwise (0.3); Thai public holidays of 2024 and the Songkran shutdown week
   (12-16 April) at standby (0.25): clean rooms stay conditioned.
2. Cooling load [USRt] = process load 430 x production + envelope 14 USRt/K x (T_out - 24 C)
   + fresh-air latent load 22 USRt/K x (T_wb - 17 C), times a day-to-day AR(1) variation
   (sd 4 %, lag-1 correlation 0.6). Outdoor temperature: the day's mean (monthly climatology
   interpolated, plus an AR(1) weather anomaly, sd 0.8 K) and a diurnal cosine of 4 K
   half-range peaking at 15:00.
3. Staging for constant-speed machines, which are most efficient when well loaded: CH-1 alone
   up to 95 % of its capacity, CH-2 alone up to 95 % of its, both above, sharing the load in
   proportion to capacity; load above 1,300 USRt is not met.
4. Electric power = rated power (capacity / rated COP) x EIR(PLR) (DOE-2 quadratic,
   ``_models.eir_part_load``) x condenser-water correction (1 + 2 %/K above the 29.4 C
   entering-condenser-water rating point; towers run 4 K above the wet bulb) + 5 kW of
   auxiliaries (oil pump, heater, controls) while running. Energy per hour, to 0.1 kWh.
5. Data gaps (rows absent, as a building-management system leaves them): both chillers
   2024-06-03 10:00-15:00 (BMS server restart), CH-2 all of 2024-09-18 (logger fault).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, KW_PER_USRT, ar1, daily_temperature, days, eir_part_load, rng, write_lines

SEED = 2024_0005
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
CHILLERS = {"CH-1": (500.0, 6.30), "CH-2": (800.0, 6.45)}  # point: (capacity USRt, rated COP)
PROCESS_USRT = 430.0
ENVELOPE_USRT_PER_K = 14.0
FRESH_AIR_USRT_PER_K = 22.0
T_BALANCE, T_WB_BALANCE = 24.0, 17.0
DIURNAL_HALF_RANGE, PEAK_HOUR = 4.0, 15.0
STAGE_FRACTION = 0.95
TOWER_APPROACH, ECWT_RATING, EIR_PER_K = 4.0, 29.4, 0.02
AUXILIARY_KW = 5.0
# Thai public holidays of 2024 kept by the factory, and the Songkran shutdown week.
HOLIDAYS = {dt.date(2024, 1, 1), dt.date(2024, 5, 1), dt.date(2024, 7, 29), dt.date(2024, 10, 14), dt.date(2024, 12, 5), dt.date(2024, 12, 31)}
HOLIDAYS |= {dt.date(2024, 4, d) for d in range(12, 17)}
GAPS = [
    (["CH-1", "CH-2"], dt.datetime(2024, 6, 3, 10), dt.datetime(2024, 6, 3, 15)),
    (["CH-2"], dt.datetime(2024, 9, 18, 0), dt.datetime(2024, 9, 18, 23)),
]


def production(day: dt.date, hour: int) -> float:
    if day in HOLIDAYS:
        return 0.25
    if day.weekday() == 6:
        return 0.5 if 6 <= hour < 18 else 0.3
    return 1.0


def simulate() -> dict[str, dict[dt.datetime, float]]:
    """Hourly electricity [kWh] per chiller."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.04 * ar1(rng(SEED, 2), len(calendar), 0.6)
    out: dict[str, dict[dt.datetime, float]] = {p: {} for p in CHILLERS}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = daily_temperature("bangkok", day, weather[k])
        for hour in range(24):
            dry = dry_mean + DIURNAL_HALF_RANGE * np.cos(2 * np.pi * (hour + 0.5 - PEAK_HOUR) / 24)
            wet = wet_mean + 0.3 * (dry - dry_mean)
            load = PROCESS_USRT * production(day, hour) + ENVELOPE_USRT_PER_K * max(dry - T_BALANCE, 0) + FRESH_AIR_USRT_PER_K * max(wet - T_WB_BALANCE, 0)
            load = min(load * variation[k], 1300.0)
            if load <= STAGE_FRACTION * 500:
                split = {"CH-1": load, "CH-2": 0.0}
            elif load <= STAGE_FRACTION * 800:
                split = {"CH-1": 0.0, "CH-2": load}
            else:
                split = {p: load * cap / 1300.0 for p, (cap, _) in CHILLERS.items()}
            stamp = dt.datetime.combine(day, dt.time(hour))
            for point, (cap, cop) in CHILLERS.items():
                q = split[point]
                if q <= 0:
                    out[point][stamp] = 0.0
                    continue
                condenser = 1.0 + EIR_PER_K * (wet + TOWER_APPROACH - ECWT_RATING)
                kw = cap * KW_PER_USRT / cop * float(eir_part_load(min(q / cap, 1.0))) * condenser + AUXILIARY_KW
                out[point][stamp] = round(kw, 1)
    return out


def main() -> None:
    data = simulate()
    missing = {(p, stamp) for points, first, last in GAPS for p in points for stamp in data[p] if first <= stamp <= last}
    rows = []
    for stamp in sorted(data["CH-1"]):
        for point in CHILLERS:
            if (point, stamp) not in missing:
                rows.append(f"{stamp:%Y-%m-%dT%H:%M:%S},{point},{data[point][stamp]:.1f},kWh")
    write_lines(EXAMPLES / "TH_AM005" / "chillers-2024-hourly.csv", "timestamp,point,value,unit", rows)
    for point in CHILLERS:
        kept = sum(v for s, v in data[point].items() if (point, s) not in missing)
        print(f"TH_AM005 {point}: {kept / 1000:,.3f} MWh recorded in 2024 ({sum(1 for s in data[point] if (point, s) in missing)} hours missing)")


if __name__ == "__main__":
    main()
