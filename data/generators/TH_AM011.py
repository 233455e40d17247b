"""SYNTHETIC example data for JCM_TH_AM011 (natural-refrigerant refrigerators at a cold storage, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM011.py

Writes ``data/examples/TH_AM011/refrigerators-2022-daily.csv`` (``interval`` format with a
1-day interval: ``timestamp,point,value,unit``; daily electricity of two refrigerating units in
kWh, calendar year 2022), the same bytes on every run. Nothing in it is a measurement; the
project EXAMPLE-TH011 does not exist. (JCM_TH_AM011's equations are inferred from the MM_AM002
family; the data do not depend on that.)

Model (day by day)
------------------
Site: a seafood cold storage in Samut Sakhon, south-west of Bangkok (climate:
``_models.CLIMATE['bangkok']``), with two NH3/CO2 cascade refrigerating units serving frozen
rooms at -22 C: R-1 250 kW refrigerating capacity (rated COP 2.40), R-2 120 kW (rated COP 2.20);
example values.

1. Refrigeration load [kW] per unit = transmission UA x (T_out - T_room) (UA 1.8 and 0.9 kW/K)
   + product load: product received per day x 290 kJ/kg (from 0 C to -22 C, frozen), split
   70 % / 30 %; intake 30 t a day, 40 % on Sundays, 60 % in the Gulf of Thailand's fishing closure
   (15 February to 15 May, the annual spawning closure), and none on 2022-04-13 to 2022-04-15
   (Songkran). Door openings, lighting, people and defrost add 15 % (8 % on Sundays). Day-to-day
   AR(1) variation, sd 5 %.
2. Evaporative condensers: condensing temperature = wet bulb + 8 K; evaporating -30 C; COP =
   rated COP x (T_c,rated - T_e) / (T_c - T_e), rating point T_c,rated = 35 C.
3. Electricity [kWh/day] = 24 h x (load / COP + auxiliaries: 7 kW on R-1, 3.5 kW on R-2),
   the load capped at the unit's capacity; to 0.1 kWh.
4. Events: R-2 was stopped for its annual compressor overhaul on 2022-09-06 to 2022-09-07 (the
   frozen rooms it serves were carried by R-1, whose load rises by R-2's share those days;
   R-2 recorded 0); R-1's meter data of 2022-11-21 are missing (rows absent: a gap; with a
   project COP above the reference COP more consumption raises ER_p, so the engine leaves it
   unfilled, the conservative direction).
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2022_0011
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
UNITS = {"R-1": (250.0, 2.40, 1.8, 0.70, 7.0), "R-2": (120.0, 2.20, 0.9, 0.30, 3.5)}  # kW, COP, UA, product share, aux kW
T_ROOM, T_EVAP, T_COND_RATED, CONDENSER_APPROACH = -22.0, -30.0, 35.0, 8.0
INTAKE_T, PRODUCT_KJ_PER_KG = 30.0, 290.0
CLOSURE = (dt.date(2022, 2, 15), dt.date(2022, 5, 15))
SONGKRAN = (dt.date(2022, 4, 13), dt.date(2022, 4, 15))
OVERHAUL = ("R-2", dt.date(2022, 9, 6), dt.date(2022, 9, 7))
GAP = ("R-1", dt.date(2022, 11, 21))


def intake(day: dt.date) -> float:
    if SONGKRAN[0] <= day <= SONGKRAN[1]:
        return 0.0
    tonnes = INTAKE_T * (0.4 if day.weekday() == 6 else 1.0)
    return tonnes * (0.6 if CLOSURE[0] <= day <= CLOSURE[1] else 1.0)


def simulate() -> dict[str, list[float]]:
    calendar = days(START, END)
    weather = 0.7 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.05 * ar1(rng(SEED, 2), len(calendar), 0.5)
    out: dict[str, list[float]] = {p: [] for p in UNITS}
    for k, day in enumerate(calendar):
        dry, wet = daily_temperature("bangkok", day, weather[k])
        product_kw = intake(day) * 1000 * PRODUCT_KJ_PER_KG / 86400
        extra = 1.08 if day.weekday() == 6 else 1.15
        cop_factor = (T_COND_RATED - T_EVAP) / (wet + CONDENSER_APPROACH - T_EVAP)
        loads = {p: (ua * (dry - T_ROOM) + share * product_kw) * extra * variation[k] for p, (_, _, ua, share, _) in UNITS.items()}
        stopped = OVERHAUL[1] <= day <= OVERHAUL[2]
        if stopped:
            loads["R-1"] += loads[OVERHAUL[0]]
            loads[OVERHAUL[0]] = 0.0
        for point, (cap, cop, _, _, aux) in UNITS.items():
            if stopped and point == OVERHAUL[0]:
                out[point].append(0.0)
                continue
            out[point].append(24.0 * (min(loads[point], cap) / (cop * cop_factor) + aux))
    return out


def main() -> None:
    daily = simulate()
    rows = []
    for k, day in enumerate(days(START, END)):
        for point in UNITS:
            if (point, day) != GAP:
                rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{daily[point][k]:.1f},kWh")
    write_lines(EXAMPLES / "TH_AM011" / "refrigerators-2022-daily.csv", "timestamp,point,value,unit", rows)
    for point in UNITS:
        print(f"TH_AM011 {point}: {sum(daily[point]) / 1000:,.3f} MWh in 2022, largest day {max(daily[point]):,.1f} kWh")


if __name__ == "__main__":
    main()
