"""SYNTHETIC example data for JCM_ID_AM010 (double-bundle modular heat pumps, new building, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM010.py

Writes seven ``monthly`` files (``month,point,value,unit``), one per monitored parameter, for
calendar year 2016 into ``data/examples/ID_AM010/``, the same bytes on every run:
``heating-2016-monthly.csv`` and ``cooling-2016-monthly.csv`` (heating and cooling energy the
building used, kWh of heat), ``heat-pumps-2016-monthly.csv`` (kWh of each modular heat pump),
``hp-auxiliaries-2016-monthly.csv`` (kWh of their pumps and cooling tower),
``other-chiller-2016-monthly.csv`` and ``other-chiller-pump-2016-monthly.csv`` (kWh of the
air-cooled chiller CH-A and of its pump) and ``oil-2016-monthly.csv`` (litres of diesel the
backup boiler burned). Nothing in them is a measurement; the project EXAMPLE-ID010 does not exist.

Model (hour by hour)
--------------------
Site: a new 300-room hotel in central Jakarta (climate: ``_models.CLIMATE['jakarta']``) with four
double-bundle modular heat pumps MHP-1..MHP-4 (each 300 kW of cooling; example values), an
air-cooled chiller CH-A for loads above their capacity, and a diesel-fired backup boiler for hot
water the heat pumps cannot supply.

1. Demand. Cooling [kW] = 380 + 700 x occupancy x daytime + 40 kW/K x (T_out - 24 C), daytime =
   1 from 07:00 to 23:00 (public areas, restaurants), 0.55 at night (guest rooms only). Hot water
   [kW] = 90 + 360 x profile, the profile peaking at 06:00-09:00 (showers, 1.0), 18:00-22:00
   (0.8) and the laundry and kitchen shift 09:00-17:00 (0.6), 0.1 otherwise. Occupancy: 0.78 on
   weekdays, 0.70 at weekends, 0.55 in Ramadan (2016-06-06 to 2016-07-05), 0.92 in the Lebaran
   week (2016-07-06 to 2016-07-12) and from 2016-12-20. Day-to-day AR(1) variation, sd 4 %.
2. Heat pumps. They carry the cooling up to 4 x 300 kW; CH-A (COP 3.0) the rest. A module in
   heat recovery mode (condenser heat to 55 C water) has a cooling COP of 3.8 and gives
   cooling x (1 + 1/3.8) of heat; in cooling-only mode (heat to the cooling tower) its COP is 5.6.
   Just enough of the cooling is made in heat recovery mode to meet the hot-water demand; a part
   load ratio PLR below 1 lowers both COPs by the factor 1 - 0.15 (1 - PLR)^2. The modules share
   the load equally; MHP-3 is serviced 2016-03-14 to 2016-03-18 (the others carry its share).
3. The heat pumps heat water to 55 C; the laundry (its share of the hot water from 09:00 to
   17:00, 0.6 of the profile) needs 70 C, so a third of that heat is the backup boiler's boost, as
   is any hot water the heat pumps cannot make: diesel [L] = heat / 0.85 / 36.12 MJ/L.
4. Auxiliaries: the heat pumps' chilled, hot and condenser water pumps and cooling-tower fans
   take 14 kW + 6 % of the heat pumps' electricity; CH-A's pump 7.5 kW while it runs.
5. Building energy management system: monthly totals of every meter (the heat meters in kWh of
   heat); the oil from the supplier's delivery notes corrected by the tank level, in litres.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2016_0010
START, END = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
MODULES = ("MHP-1", "MHP-2", "MHP-3", "MHP-4")
MODULE_KW = 300.0
COP_HR, COP_CO, COP_CHA = 3.8, 5.6, 3.0
SERVICE = {"MHP-3": set(days(dt.date(2016, 3, 14), dt.date(2016, 3, 18)))}
RAMADAN = set(days(dt.date(2016, 6, 6), dt.date(2016, 7, 5)))
PEAK = set(days(dt.date(2016, 7, 6), dt.date(2016, 7, 12))) | set(days(dt.date(2016, 12, 20), END))
BOILER_EFF, DIESEL_MJ_PER_L = 0.85, 36.12


def occupancy(day: dt.date) -> float:
    if day in PEAK:
        return 0.92
    if day in RAMADAN:
        return 0.55
    return 0.70 if day.weekday() >= 5 else 0.78


def hot_water_profile(hour: int) -> float:
    if 6 <= hour < 9:
        return 1.0
    if 18 <= hour < 22:
        return 0.8
    if 9 <= hour < 17:
        return 0.6
    return 0.1


def simulate() -> dict[str, np.ndarray]:
    """Monthly totals: kWh per meter, litres of diesel."""
    calendar = days(START, END)
    weather = 0.6 * ar1(rng(SEED, 1), len(calendar), 0.7)
    cool_var = 1.0 + 0.04 * ar1(rng(SEED, 2), len(calendar), 0.6)
    hot_var = 1.0 + 0.04 * ar1(rng(SEED, 3), len(calendar), 0.6)
    names = ("HOT", "CHILLED", *MODULES, "HP-PUMPS", "CH-A", "CH-A-PUMP", "OIL")
    out = {name: np.zeros(12) for name in names}
    for k, day in enumerate(calendar):
        m = day.month - 1
        dry_mean, _ = daily_temperature("jakarta", day, weather[k])
        occ = occupancy(day)
        running = [x for x in MODULES if day not in SERVICE.get(x, set())]
        for hour in range(24):
            t_out = dry_mean + 3.0 * np.cos(2 * np.pi * (hour + 0.5 - 14.0) / 24)
            daytime = 1.0 if 7 <= hour < 23 else 0.55
            cooling = max(380.0 + 700.0 * occ * daytime + 40.0 * (t_out - 24.0), 0.0) * cool_var[k]
            hot = (90.0 + 360.0 * hot_water_profile(hour)) * (0.5 + 0.5 * occ / 0.78) * hot_var[k]
            hp_cooling = min(cooling, MODULE_KW * len(running))
            plr = hp_cooling / (MODULE_KW * len(running))
            derate = 1.0 - 0.15 * (1.0 - plr) ** 2
            cop_hr, cop_co = COP_HR * derate, COP_CO * derate
            boost = hot * (0.6 / hot_water_profile(hour)) / 3.0 if 9 <= hour < 17 else 0.0  # laundry 55 -> 70 C
            # cooling made in heat recovery mode, just enough for the rest of the hot water (or all of it)
            hr_cooling = min(hp_cooling, (hot - boost) / (1.0 + 1.0 / cop_hr))
            recovered = hr_cooling * (1.0 + 1.0 / cop_hr)
            power = hr_cooling / cop_hr + (hp_cooling - hr_cooling) / cop_co
            for x in running:
                out[x][m] += power / len(running)
            out["HP-PUMPS"][m] += 14.0 + 0.06 * power
            rest = cooling - hp_cooling
            if rest > 0:
                out["CH-A"][m] += rest / COP_CHA
                out["CH-A-PUMP"][m] += 7.5
            out["HOT"][m] += hot
            out["CHILLED"][m] += cooling
            deficit = hot - recovered
            out["OIL"][m] += deficit * 3.6 / BOILER_EFF / DIESEL_MJ_PER_L  # kWh of heat -> MJ of fuel -> L
    return out


def main() -> None:
    data = simulate()
    folder = EXAMPLES / "ID_AM010"
    months = [f"2016-{m:02d}" for m in range(1, 13)]
    files = {
        "heating-2016-monthly.csv": (("HOT",), "kWh", 0),
        "cooling-2016-monthly.csv": (("CHILLED",), "kWh", 0),
        "heat-pumps-2016-monthly.csv": (MODULES, "kWh", 0),
        "hp-auxiliaries-2016-monthly.csv": (("HP-PUMPS",), "kWh", 0),
        "other-chiller-2016-monthly.csv": (("CH-A",), "kWh", 0),
        "other-chiller-pump-2016-monthly.csv": (("CH-A-PUMP",), "kWh", 0),
        "oil-2016-monthly.csv": (("OIL",), "L", 0),
    }
    for name, (points, unit, decimals) in files.items():  # abs(): every value is >= 0; no "-0" in the files
        rows = [f"{month},{point},{abs(data[point][m]):.{decimals}f},{unit}" for m, month in enumerate(months) for point in points]
        write_lines(folder / name, "month,point,value,unit", rows)
    for point, values in data.items():
        print(f"ID_AM010 {point}: {values.sum():,.0f} {'L' if point == 'OIL' else 'kWh'} in 2016")


if __name__ == "__main__":
    main()
