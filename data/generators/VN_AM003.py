"""SYNTHETIC example data for JCM_VN_AM003 (high efficiency equipment in a commercial building, Viet Nam).

Run from the repository root::

    .venv/bin/python data/generators/VN_AM003.py

Writes into ``data/examples/VN_AM003/``, the same bytes on every run, for calendar year 2016:
``chillers-2016-monthly.csv`` (``monthly``: kWh of each chiller), ``lpg-2016-monthly.csv``
(``monthly``: kg of LPG the boiler burned), ``lighting-hours-2016-register.csv`` and
``auxiliary-hours-2016-register.csv`` (``register``: hour counters of the lighting circuits and of
the pumps, read at 00:00 on the first of each month, 2016-01-01 to 2017-01-01). Nothing in them is
a measurement; the project EXAMPLE-VN003 does not exist.

Model (hour by hour)
--------------------
Site: a hotel and office building in Hanoi. Climate: monthly mean temperatures of the order of
Hanoi's (17 C in January to 30 C in June and July, diurnal half-range 3.5 K; indicative values for
load shaping, not station data), with AR(1) day-to-day weather, sd 1.5 K.

1. Chillers CH-1 and CH-2 (water-cooled screw, 700 kW of cooling each, rated COP 6.0; example
   values). Cooling load [kW] = (220 + 75 kW/K x (T_out - 18 C), at least 0) x (1.0 from 07:00 to
   22:00, 0.55 at night). CH-1 runs alone up to 700 kW, both share above; a chiller runs only
   above 15 % load (below, the building's fan coils run on ventilation). Electricity = load / (6.0
   x (1 - 0.2 (1 - PLR)^2) x (1 - 0.015 (T_out - 30 C))): part load and condenser temperature.
   (The chilled-water pumps serve any chiller, reference or project: not auxiliary equipment of
   the project.)
2. Boiler BL-1 (LPG, condensing, rated efficiency 0.95; the efficiency in service 0.93): hot
   water [kW] = (45 + 130 x profile) x (1 + 0.03 x (25 C - T_out)), the profile 1.0 at 06:00-09:00
   and 18:00-22:00, 0.4 otherwise; LPG [kg] = heat / 0.93 / 47.3 MJ/kg. Its auxiliary equipment:
   the duty and standby circulation pumps HWP-1 and HWP-2 (1.5 kW each), swapped every Monday
   at 00:00 (HWP-1 on in ISO weeks of odd number).
3. LED lighting: L-1 guest-room corridors (12 kW, always on), L-2 lobby and restaurants (9 kW,
   06:00-23:00), L-3 car park (6 kW, occupancy sensors: 07:00-21:00 on working days, 09:00-21:00
   at weekends). L-2 is switched off for the refurbishment of the lobby 2016-08-15 to 2016-08-21.
4. Hour counters: whole hours since commissioning (start values in ``COUNTER_START``). Tet
   (2016-02-07 to 2016-02-13) halves the hotel's occupancy factors.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, days, rng, write_lines

SEED = 2016_0003
START, END = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
T_MEAN = np.array([17.0, 18.0, 20.5, 24.0, 27.5, 29.5, 29.8, 29.0, 27.8, 25.5, 22.0, 18.5])  # Hanoi-like, indicative
CAP_KW, COP_RATED, MIN_PLR = 700.0, 6.0, 0.15
COUNTER_START = {"L-1": 11_426, "L-2": 8_095, "L-3": 6_733, "HWP-1": 5_702, "HWP-2": 5_690}
TET = set(days(dt.date(2016, 2, 7), dt.date(2016, 2, 13)))
LOBBY_WORKS = set(days(dt.date(2016, 8, 15), dt.date(2016, 8, 21)))


def lights_on(group: str, day: dt.date, hour: int) -> bool:
    if group == "L-1":
        return True
    if group == "L-2":
        return day not in LOBBY_WORKS and 6 <= hour < 23
    return (7 if day.weekday() < 5 else 9) <= hour < 21


def simulate() -> tuple[dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """Monthly chiller kWh, monthly LPG kg, and hours run per month of every counted circuit."""
    calendar = days(START, END)
    weather = 1.5 * ar1(rng(SEED, 1), len(calendar), 0.7)
    chillers = {c: np.zeros(12) for c in ("CH-1", "CH-2")}
    lpg = np.zeros(12)
    hours = {name: np.zeros(12) for name in COUNTER_START}
    for k, day in enumerate(calendar):
        m = day.month - 1
        tet = 0.5 if day in TET else 1.0
        for hour in range(24):
            t_out = T_MEAN[m] + weather[k] + 3.5 * np.cos(2 * np.pi * (hour + 0.5 - 14.5) / 24)
            occupied = (1.0 if 7 <= hour < 22 else 0.55) * tet
            load = max(220.0 + 75.0 * (t_out - 18.0), 0.0) * occupied
            running = ("CH-1",) if load <= CAP_KW else ("CH-1", "CH-2")
            plr = load / (CAP_KW * len(running))
            if plr >= MIN_PLR:
                cop = COP_RATED * (1.0 - 0.2 * (1.0 - plr) ** 2) * (1.0 - 0.015 * (t_out - 30.0))
                for chiller in running:
                    chillers[chiller][m] += load / len(running) / cop
            profile = 1.0 if (6 <= hour < 9 or 18 <= hour < 22) else 0.4
            heat = (45.0 + 130.0 * profile * tet) * (1.0 + 0.03 * (25.0 - t_out))
            lpg[m] += heat * 3.6 / 0.93 / 47.3  # kWh of heat -> MJ of LPG -> kg
            hours["HWP-1" if day.isocalendar().week % 2 else "HWP-2"][m] += 1
            for group in ("L-1", "L-2", "L-3"):
                hours[group][m] += lights_on(group, day, hour)
    return chillers, lpg, hours


def main() -> None:
    chillers, lpg, hours = simulate()
    folder = EXAMPLES / "VN_AM003"
    months = [f"2016-{m + 1:02d}" for m in range(12)]
    write_lines(folder / "chillers-2016-monthly.csv", "month,point,value,unit", [f"{mo},{c},{chillers[c][m]:.0f},kWh" for m, mo in enumerate(months) for c in chillers])
    write_lines(folder / "lpg-2016-monthly.csv", "month,point,value,unit", [f"{mo},BL-1,{lpg[m]:.1f},kg" for m, mo in enumerate(months)])
    for filename, names in (("lighting-hours-2016-register.csv", ("L-1", "L-2", "L-3")), ("auxiliary-hours-2016-register.csv", ("HWP-1", "HWP-2"))):
        rows = []
        counters = {n: COUNTER_START[n] for n in names}
        for m in range(13):
            stamp = dt.date(2016 + m // 12, m % 12 + 1, 1)
            rows.extend(f"{stamp:%Y-%m-%d}T00:00:00,{n},{counters[n]:.0f},h" for n in names)
            if m < 12:
                for n in names:
                    counters[n] += hours[n][m]
        write_lines(folder / filename, "timestamp,point,reading,unit", rows)
    for c, values in chillers.items():
        print(f"VN_AM003 {c}: {values.sum():,.0f} kWh")
    print(f"VN_AM003 BL-1: {lpg.sum():,.0f} kg LPG; hours: " + ", ".join(f"{n} {h.sum():,.0f}" for n, h in hours.items()))


if __name__ == "__main__":
    main()
