"""SYNTHETIC example data for JCM_ID_AM022 (absorption chillers, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM022.py

Writes three files for calendar year 2022, the same bytes on every run, into
``data/examples/ID_AM022/``:

``cooling-2022-monthly.csv``
    cooling energy per chiller and month from the chilled-water heat meters, GJ (``monthly``).
``auxiliaries-2022-monthly.csv``
    electricity of the pumps for absorbing solution and refrigerant built into each chiller, per
    month, kWh (``monthly``): the only electricity JCM_ID_AM022 counts for these chillers (no
    hot-water pump applies to them; chilled-water pumps, cooling-water pumps and the cooling
    tower are excluded by the methodology and not metered here).
``gas-2022-register.csv``
    daily gas-meter readings at 00:00 per chiller, Nm3 (``register``).

Nothing in them is a measurement; the project EXAMPLE-ID022 does not exist.

Model (hour by hour)
--------------------
Site: a food factory in Cikarang, east of Jakarta (climate: ``_models.CLIMATE['jakarta']``),
with two double-effect absorption chillers (example values):

- AC-1, 500 USRt, driven by the exhaust gas of the site's existing gas-engine generator
  (outside the project), with a supplementary gas burner for the heat the exhaust cannot give;
- AC-2, 200 USRt, direct-fired by natural gas.

1. Cooling load [USRt] = process 420 x production + envelope 9 USRt/K x (T_out - 24 C) +
   fresh air 14 USRt/K x (T_wb - 18 C), day-to-day AR(1) variation (sd 5 %). Production: two
   shifts 06:00-22:00 Monday-Saturday (1.0), nights 0.45, Sundays and the 2022 Indonesian public
   holidays 0.3, the Lebaran (Eid al-Fitr) factory holiday 2022-04-29 to 2022-05-08 at 0.2.
2. Dispatch: AC-1 first (up to its capacity), AC-2 next, the existing electric chillers
   (outside the project) for the rest.
3. Heat input = cooling / COP (1.35 for AC-1, 1.30 for AC-2, LHV basis, part-load effects
   neglected). AC-1 takes up to 1,750 kW of exhaust heat while the engine runs (06:00-22:00
   Monday-Saturday, not on holidays); its burner gives the rest. Gas [Nm3] = burner heat /
   36.4 MJ/Nm3 (LHV of the pipeline gas, an example value used only to make the data).
4. Built-in pumps (absorbing solution and refrigerant) while running: AC-1 7.5 kW, AC-2 4 kW.
   AC-1 takes exhaust gas, AC-2 fires gas: neither has a hot-water pump. Other electricity of
   the chillers (burner blower, controls) and the chilled-water and cooling-water pumps and the
   cooling tower are outside what the methodology counts and are not in the data.
5. The heat meters report GJ per month, the pump meters kWh per month, the gas meters
   are read daily at 00:00 (whole Nm3).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, KW_PER_USRT, ar1, daily_temperature, days, rng, write_lines

SEED = 2022_0022
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
CHILLERS = {"AC-1": (500.0, 1.35, 7.5, 1_845_210), "AC-2": (200.0, 1.30, 4.0, 310_442)}  # cap USRt, COP, built-in pumps kW, first gas reading
EXHAUST_KW = 1750.0
NCV_MJ_PER_NM3 = 36.4
PROCESS_USRT, ENVELOPE_USRT_PER_K, FRESH_AIR_USRT_PER_K = 420.0, 9.0, 14.0
HOLIDAYS = {dt.date(2022, m, d) for m, d in [(1, 1), (2, 1), (2, 28), (3, 3), (4, 15), (5, 16), (5, 26), (6, 1), (7, 9), (7, 30), (8, 17), (10, 8), (12, 25)]}
LEBARAN = set(days(dt.date(2022, 4, 29), dt.date(2022, 5, 8)))


def production(day: dt.date, hour: int) -> float:
    if day in LEBARAN:
        return 0.2
    if day in HOLIDAYS or day.weekday() == 6:
        return 0.3
    return 1.0 if 6 <= hour < 22 else 0.45


def engine_runs(day: dt.date, hour: int) -> bool:
    return day not in LEBARAN and day not in HOLIDAYS and day.weekday() != 6 and 6 <= hour < 22


def simulate() -> dict[str, dict[str, np.ndarray]]:
    """Per chiller: cooling [GJ], built-in pump electricity [kWh] and gas [Nm3] per day."""
    calendar = days(START, END)
    weather = 0.6 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.05 * ar1(rng(SEED, 2), len(calendar), 0.6)
    out = {p: {"cool": np.zeros(len(calendar)), "elec": np.zeros(len(calendar)), "gas": np.zeros(len(calendar))} for p in CHILLERS}
    for k, day in enumerate(calendar):
        dry_mean, wet_mean = daily_temperature("jakarta", day, weather[k])
        for hour in range(24):
            dry = dry_mean + 3.5 * np.cos(2 * np.pi * (hour + 0.5 - 14.0) / 24)
            wet = wet_mean + 0.25 * (dry - dry_mean)
            load = PROCESS_USRT * production(day, hour) + ENVELOPE_USRT_PER_K * max(dry - 24.0, 0) + FRESH_AIR_USRT_PER_K * max(wet - 18.0, 0)
            remaining = load * variation[k]
            for point, (cap, cop, pumps, _) in CHILLERS.items():
                q = min(remaining, cap)
                remaining -= q
                if q <= 0:
                    continue
                cool_kw = q * KW_PER_USRT
                heat_kw = cool_kw / cop
                exhaust = min(heat_kw, EXHAUST_KW) if point == "AC-1" and engine_runs(day, hour) else 0.0
                burner_kw = heat_kw - exhaust
                out[point]["cool"][k] += cool_kw * 3.6e-3  # kWh -> GJ
                out[point]["elec"][k] += pumps
                out[point]["gas"][k] += burner_kw * 3.6 / NCV_MJ_PER_NM3
    return out


def main() -> None:
    data = simulate()
    calendar = days(START, END)
    months = sorted({f"{d:%Y-%m}" for d in calendar})

    def monthly(point: str, key: str) -> dict[str, float]:
        totals: dict[str, float] = {}
        for d, v in zip(calendar, data[point][key]):
            totals[f"{d:%Y-%m}"] = totals.get(f"{d:%Y-%m}", 0.0) + float(v)
        return totals

    cool = {p: monthly(p, "cool") for p in CHILLERS}
    elec = {p: monthly(p, "elec") for p in CHILLERS}
    folder = EXAMPLES / "ID_AM022"
    write_lines(folder / "cooling-2022-monthly.csv", "month,point,value,unit", [f"{m},{p},{cool[p][m]:.2f},GJ" for m in months for p in CHILLERS])
    write_lines(folder / "auxiliaries-2022-monthly.csv", "month,point,value,unit", [f"{m},{p},{elec[p][m]:.0f},kWh" for m in months for p in CHILLERS])
    rows = []
    for n, day in enumerate(days(START, END + dt.timedelta(days=1))):
        for point, (*_, first) in CHILLERS.items():
            rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{first + int(np.floor(data[point]['gas'][:n].sum()))},Nm3")
    write_lines(folder / "gas-2022-register.csv", "timestamp,point,reading,unit", rows)
    for point in CHILLERS:
        print(
            f"ID_AM022 {point}: cooling {data[point]['cool'].sum():,.1f} GJ, built-in pumps {data[point]['elec'].sum() / 1000:,.3f} MWh, "
            f"gas {data[point]['gas'].sum():,.0f} Nm3"
        )


if __name__ == "__main__":
    main()
