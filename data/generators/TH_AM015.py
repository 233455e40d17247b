"""SYNTHETIC example data for JCM_TH_AM015 (high efficiency electrolyzers, caustic soda plant, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM015.py

Writes ``data/examples/TH_AM015/electrolyzers-2022-daily.csv`` (``interval`` format with a
1-day interval: ``timestamp,point,value,unit``; daily AC electricity of two electrolyzer lines in
MWh, calendar year 2022), the same bytes on every run. Nothing in it is a measurement; the
project EXAMPLE-TH015 does not exist. (JCM_TH_AM015's equations are inferred from the SA_AM001
family; the data do not depend on that.)

Model (hour by hour, totalled per day)
--------------------------------------
Site: a caustic soda plant at Map Ta Phut, Rayong (climate: ``_models.CLIMATE['rayong']``) with
two lines of bipolar ion-exchange membrane electrolyzers, E-1 (150 elements) and E-2 (100
elements), 2.7 m2 of membrane per element, design current density 5.5 kA/m2 (example values).

1. Cell voltage U = U0 + k x j + ageing - brine-temperature effect: U0 = 2.33 V, k-factor
   0.090 V per kA/m2 (the linear model of membrane cells, e.g. O'Brien, Bommaraju & Hine,
   Handbook of Chlor-Alkali Technology, 2005), ageing +10 mV a year from the start of operation
   (E-1 2021-07-01, E-2 2021-10-01), -3 mV per K of brine above 87 C in the hot season.
2. Line current I = j x 2.7 m2; DC power = elements x U x I; AC power = DC / 0.97 (rectifier).
3. Operation: the plant follows the time-of-use tariff: 5.5 kA/m2 off-peak (22:00-09:00 and
   all day on weekends and public holidays) and 4.8 kA/m2 on weekday peak hours, with a
   chlorine-demand cut to 4.0 kA/m2 on 2022-07-11 to 2022-07-24 (a customer's PVC plant in
   turnaround); a planned shutdown of each line (E-1 2022-04-12 to 2022-04-17 over Songkran,
   E-2 2022-10-03 to 2022-10-09, no current); two trips per line from a seeded stream (current
   restored over three hours).
4. Daily AC energy [MWh] as the plant's energy-management system reports it, to 0.001 MWh. The
   EMS lost E-2's data of 2022-12-14 (a gap; more electricity raises ER_p when the guaranteed
   SEC beats the reference, so the engine leaves it unfilled).
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, daily_temperature, days, rng, write_lines

SEED = 2022_0015
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
AREA_M2, J_OFFPEAK, J_PEAK, J_CUT = 2.7, 5.5, 4.8, 4.0
U0, K_FACTOR, AGEING_V_PER_YEAR, BRINE_V_PER_K = 2.33, 0.090, 0.010, -0.003
RECTIFIER_EFFICIENCY = 0.97
LINES = {  # point: (elements, start of operation, shutdown first day, last day)
    "E-1": (150, dt.date(2021, 7, 1), dt.date(2022, 4, 12), dt.date(2022, 4, 17)),
    "E-2": (100, dt.date(2021, 10, 1), dt.date(2022, 10, 3), dt.date(2022, 10, 9)),
}
CUT = (dt.date(2022, 7, 11), dt.date(2022, 7, 24))
HOLIDAYS = {dt.date(2022, m, d) for m, d in ((1, 3), (2, 16), (4, 6), (4, 13), (4, 14), (4, 15), (5, 2), (5, 4), (6, 3), (7, 13), (7, 28), (7, 29), (8, 12), (10, 13), (10, 24), (12, 5), (12, 12), (12, 30))}
GAP = ("E-2", dt.date(2022, 12, 14))


def simulate() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {p: [] for p in LINES}
    calendar = days(START, END)
    for n, (point, (elements, started, stop_first, stop_last)) in enumerate(LINES.items()):
        trips = set(rng(SEED, n + 1).choice(365 * 24, size=2, replace=False).tolist())
        for d, day in enumerate(calendar):
            if stop_first <= day <= stop_last:
                out[point].append(0.0)
                continue
            dry, _ = daily_temperature("rayong", day)
            brine_excess = max(dry - 28.5, 0.0) * 0.5
            age_years = (day - started).days / 365.25
            weekend = day.weekday() >= 5 or day in HOLIDAYS
            energy = 0.0
            for hour in range(24):
                j = J_OFFPEAK if (weekend or hour < 9 or hour >= 22) else J_PEAK
                if CUT[0] <= day <= CUT[1]:
                    j = min(j, J_CUT)
                for trip in trips:
                    if 0 <= d * 24 + hour - trip < 3:
                        j *= (d * 24 + hour - trip) / 3.0
                u = U0 + K_FACTOR * j + AGEING_V_PER_YEAR * age_years + BRINE_V_PER_K * brine_excess
                energy += elements * u * j * AREA_M2 / 1000.0 / RECTIFIER_EFFICIENCY
            out[point].append(energy)
    return out


def main() -> None:
    daily = simulate()
    rows = []
    for k, day in enumerate(days(START, END)):
        for point in LINES:
            if (point, day) != GAP:
                rows.append(f"{day:%Y-%m-%d}T00:00:00,{point},{daily[point][k]:.3f},MWh")
    write_lines(EXAMPLES / "TH_AM015" / "electrolyzers-2022-daily.csv", "timestamp,point,value,unit", rows)
    for point in LINES:
        print(f"TH_AM015 {point}: {sum(daily[point]):,.3f} MWh in 2022")


if __name__ == "__main__":
    main()
