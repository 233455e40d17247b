"""SYNTHETIC example data for JCM_ID_AM009 (regenerative burners, aluminium holding furnaces, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM009.py

Writes into ``data/examples/ID_AM009/``, the same bytes on every run:
``gas-2017-register.csv`` (``register`` format: the gas meters' counters in Nm3, read at 00:00 on
the first of each month, 2017-01-01 to 2018-01-01) and ``burner-electricity-2017-monthly.csv``
(``monthly`` format: kWh of each furnace's burner system). Nothing in them is a measurement; the
project EXAMPLE-ID009 does not exist.

Model (hour by hour)
--------------------
Site: an aluminium die-casting plant (automotive parts) in Karawang with two holding furnaces
beside its die-casting machines, F-1 (3 t of metal) and F-2 (2 t), each refitted with a pair of
regenerative burners (example values).

1. Heat the furnace needs [kW]: shell and roof losses (F-1 95 kW, F-2 70 kW, whenever it holds
   metal) + door openings and ladling while casting (F-1 60 kW, F-2 45 kW x production) + the
   ladle refills from the melting furnace brought from 690 C to the 720 C holding temperature
   (metal flow F-1 0.55 t/h, F-2 0.40 t/h x production, specific heat 1.18 kJ/kg K of liquid
   aluminium). Production: two shifts 06:00-22:00 Monday to Saturday (1.0), otherwise 0; Indonesian
   public holidays of 2017 and the Lebaran shutdown (2017-06-23 to 2017-07-02) hold metal without
   casting; F-2 is emptied and cold for its refractory repair 2017-09-11 to 2017-09-17.
   Day-to-day AR(1) variation of the casting heat, sd 5 %.
2. Regenerative burners: available heat (fraction of the gas's net calorific value reaching the
   furnace) 0.70 at full fire, falling to 0.62 at 20 % fire (fixed flue losses of the switching
   cycle); full fire 400 kW (F-1) and 300 kW (F-2) of gas. Gas [Nm3] = gas power / 36.4 MJ/Nm3
   (pipeline gas, an example value used only to make the data).
3. Electricity of each burner system: combustion-air and exhaust fans 1.6 kW + 4.5 kW x firing
   rate, valves and controls 0.3 kW, whenever the furnace is hot.
4. Gas meters: counters in whole Nm3, F-1's starting at 1,204,350 and F-2's at 866,120.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, days, rng, write_lines

SEED = 2017_0009
START, END = dt.date(2017, 1, 1), dt.date(2017, 12, 31)
FURNACES = {  # shell loss, casting loss [kW], metal flow [t/h], full fire [kW of gas], counter start [Nm3]
    "F-1": (95.0, 60.0, 0.55, 400.0, 1_204_350),
    "F-2": (70.0, 45.0, 0.40, 300.0, 866_120),
}
CP_KJ_PER_KG_K, LIFT_K = 1.18, 30.0
NCV_MJ_PER_NM3 = 36.4
HOLIDAYS = {dt.date(2017, m, d) for m, d in [(1, 2), (1, 28), (3, 28), (4, 14), (4, 24), (5, 1), (5, 11), (5, 25), (6, 1), (8, 17), (9, 1), (9, 21), (12, 1), (12, 25)]}
HOLIDAYS |= set(days(dt.date(2017, 6, 23), dt.date(2017, 7, 2)))
COLD = {"F-2": set(days(dt.date(2017, 9, 11), dt.date(2017, 9, 17)))}


def production(day: dt.date, hour: int) -> float:
    if day in HOLIDAYS or day.weekday() == 6:
        return 0.0
    return 1.0 if 6 <= hour < 22 else 0.0


def simulate() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per furnace and month: gas [Nm3] and burner-system electricity [kWh]."""
    calendar = days(START, END)
    variation = 1.0 + 0.05 * ar1(rng(SEED, 1), len(calendar), 0.6)
    gas = {f: np.zeros(12) for f in FURNACES}
    power = {f: np.zeros(12) for f in FURNACES}
    for k, day in enumerate(calendar):
        m = day.month - 1
        for furnace, (shell, casting, flow, full_fire, _) in FURNACES.items():
            if day in COLD.get(furnace, set()):
                continue
            for hour in range(24):
                prod = production(day, hour) * variation[k]
                heat = shell + casting * prod + flow * prod * 1000.0 * CP_KJ_PER_KG_K * LIFT_K / 3600.0  # kW
                # available heat falls at low fire: solve heat = fire x (0.70 - 0.10 (1 - fire/full)) for fire
                fire = heat / 0.70
                for _ in range(20):
                    fire = heat / (0.70 - 0.10 * (1.0 - min(fire / full_fire, 1.0)))
                gas[furnace][m] += fire * 3.6 / NCV_MJ_PER_NM3  # kWh of gas -> MJ -> Nm3
                power[furnace][m] += 1.6 + 4.5 * fire / full_fire + 0.3
    return gas, power


def main() -> None:
    gas, power = simulate()
    folder = EXAMPLES / "ID_AM009"
    rows = []
    counters = {f: float(spec[4]) for f, spec in FURNACES.items()}
    for m in range(13):
        stamp = dt.date(2017 + m // 12, m % 12 + 1, 1)
        for furnace in FURNACES:
            rows.append(f"{stamp:%Y-%m-%d}T00:00:00,{furnace},{counters[furnace]:.0f},Nm3")
        if m < 12:
            for furnace in FURNACES:
                counters[furnace] += round(gas[furnace][m])
    write_lines(folder / "gas-2017-register.csv", "timestamp,point,reading,unit", rows)
    months = [f"2017-{m + 1:02d}" for m in range(12)]
    write_lines(folder / "burner-electricity-2017-monthly.csv", "month,point,value,unit", [f"{month},{f},{power[f][m]:.0f},kWh" for m, month in enumerate(months) for f in FURNACES])
    for furnace in FURNACES:
        print(f"ID_AM009 {furnace}: {gas[furnace].sum():,.0f} Nm3, {power[furnace].sum():,.0f} kWh in 2017")


if __name__ == "__main__":
    main()
