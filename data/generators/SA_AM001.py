"""SYNTHETIC example data for JCM_SA_AM001 (high efficiency electrolyzers, chlor-alkali plant).

Run from the repository root::

    .venv/bin/python data/generators/SA_AM001.py

Writes ``data/examples/SA_AM001/electrolyzers-2019-monthly.csv`` (``monthly`` format:
``month,point,value,unit``; AC electricity per month of two electrolyzer lines in MWh,
calendar year 2019), the same bytes on every run. Nothing in it is a measurement; the project
EXAMPLE-SA001 does not exist.

Model (hour by hour)
--------------------
Site: a chlor-alkali plant in Jubail with two lines of bipolar ion-exchange membrane
electrolyzers, L-1 (160 elements) and L-2 (120 elements), membrane area 2.7 m2 per element,
operated at a design current density of 6.0 kA/m2 (example values).

1. Cell voltage U = U0 + k x j + ageing: U0 = 2.35 V, k-factor 0.095 V per kA/m2 (the
   usual linear model of membrane cells, e.g. O'Brien, Bommaraju & Hine, Handbook of
   Chlor-Alkali Technology, 2005), ageing of the membranes and coatings +12 mV a year from the
   start of operation (L-1 January 2018, L-2 June 2018), and -4 mV per K of brine temperature
   above the 88 C design (warmer brine in summer).
2. Line current I = j x 2.7 m2; DC power = elements x U x I; AC power = DC / 0.965 (rectifier
   transformer and thyristor rectifier).
3. Operation: full current density, except demand response in the summer peak (June-
   September, 12:00-17:00: 4.5 kA/m2), a planned turnaround of each line (L-1 2019-03-10 to
   2019-03-23, L-2 2019-11-03 to 2019-11-16: zero current), a few trips (current restored
   over two hours) and brine-quality derates drawn from a seeded stream.
4. Monthly AC energy [MWh] as the plant's energy-management system reports it, to 0.001 MWh.
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, daily_temperature, days, rng, write_lines

SEED = 2019_0001
START, END = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
AREA_M2, J_DESIGN, J_PEAK = 2.7, 6.0, 4.5
U0, K_FACTOR, AGEING_V_PER_YEAR, BRINE_V_PER_K = 2.35, 0.095, 0.012, -0.004
RECTIFIER_EFFICIENCY = 0.965
LINES = {  # point: (elements, start of operation, turnaround first day, last day)
    "L-1": (160, dt.date(2018, 1, 1), dt.date(2019, 3, 10), dt.date(2019, 3, 23)),
    "L-2": (120, dt.date(2018, 6, 1), dt.date(2019, 11, 3), dt.date(2019, 11, 16)),
}


def simulate() -> dict[str, dict[str, float]]:
    """AC electricity [MWh] per line and month (YYYY-MM)."""
    out: dict[str, dict[str, float]] = {p: {} for p in LINES}
    for n, (point, (elements, started, stop_first, stop_last)) in enumerate(LINES.items()):
        stream = rng(SEED, n + 1)
        trips = set(stream.choice(365 * 24, size=4, replace=False).tolist())  # hour of the year of each trip
        derate = 1.0 - 0.03 * (stream.random(365) < 0.08)  # brine-quality derate days (3 % less current)
        for d, day in enumerate(days(START, END)):
            month = f"{day:%Y-%m}"
            if stop_first <= day <= stop_last:
                out[point][month] = out[point].get(month, 0.0)
                continue
            dry, _ = daily_temperature("jubail", day)
            brine_excess = max(dry - 30.0, 0.0) * 0.3  # K above the brine design temperature
            age_years = (day - started).days / 365.25
            energy = 0.0
            for hour in range(24):
                j = J_PEAK if (6 <= day.month <= 9 and 12 <= hour < 17) else J_DESIGN
                j *= derate[d]
                hour_of_year = d * 24 + hour
                for trip in trips:
                    if 0 <= hour_of_year - trip < 2:
                        j *= (hour_of_year - trip) / 2.0  # tripped, then current ramped back
                u = U0 + K_FACTOR * j + AGEING_V_PER_YEAR * age_years + BRINE_V_PER_K * brine_excess
                current_ka = j * AREA_M2
                energy += elements * u * current_ka / 1000.0 / RECTIFIER_EFFICIENCY  # MW for one hour = MWh
            out[point][month] = out[point].get(month, 0.0) + energy
    return out


def main() -> None:
    monthly = simulate()
    rows = [f"{month},{point},{monthly[point][month]:.3f},MWh" for month in sorted(monthly["L-1"]) for point in LINES]
    write_lines(EXAMPLES / "SA_AM001" / "electrolyzers-2019-monthly.csv", "month,point,value,unit", rows)
    for point, months in monthly.items():
        print(f"SA_AM001 {point}: {sum(months.values()):,.3f} MWh in 2019; monthly " + " ".join(f"{v:,.0f}" for v in months.values()))
    print(f"  (check) SEC of a new L-1 cell at design current: {1000 * (U0 + K_FACTOR * J_DESIGN) / RECTIFIER_EFFICIENCY / (1.492 * 0.96):,.0f} kWh/t NaOH at 96 % current efficiency")


if __name__ == "__main__":
    main()
