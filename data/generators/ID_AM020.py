"""SYNTHETIC example data for JCM_ID_AM020 (high color rendering LED downlights/spotlights, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM020.py

Writes ``data/examples/ID_AM020/lighting-2021-monthly.csv`` (``monthly`` format:
``month,point,value,unit``; electricity per month of the LED lighting circuits of two stores in
kWh, calendar year 2021), the same bytes on every run. Nothing in it is a measurement; the
project EXAMPLE-ID020 and its stores do not exist.

Model
-----
The example uses the methodology's "metered" alternative: each store's downlight (DL) and
spotlight (SL) circuits have their own kWh sub-meter. Day by day:

- J1, store in a Jakarta shopping mall: the mall opens 10:00-22:00; lights on 30 minutes before
  opening and off 30 minutes after closing (13 h); under the COVID-19 emergency restrictions
  (PPKM, 2021-07-03 to 2021-08-23) the mall was closed (lights off, apart from 1 h a day of
  cleaning and stock-taking under 30 % of the luminaires).
- S1, roadside store in Surabaya: 09:00-21:00 (13 h of lighting), closed on 2021-05-13 and
  2021-05-14 (Eid al-Fitr) and on Sundays during the PPKM restrictions (July-August 2021).
- Luminaires (example values): J1 has 380 downlights of 15 W and 240 spotlights of 21 W; S1 has
  260 downlights of 15 W and 140 spotlights of 21 W. The metered power of a lit circuit is the
  rated power x 1.015 (driver losses measured at commissioning) plus 0.3 W standby per luminaire
  while off; a seeded AR(1) variation of +-1 % a day stands for luminaires switched off for
  replacement and the mains voltage.
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, ar1, days, rng, write_lines

SEED = 2021_0020
START, END = dt.date(2021, 1, 1), dt.date(2021, 12, 31)
GROUPS = {  # point: (luminaires, rated W)
    "J1-DL": (380, 15.0),
    "J1-SL": (240, 21.0),
    "S1-DL": (260, 15.0),
    "S1-SL": (140, 21.0),
}
LIGHTING_HOURS, DRIVER_FACTOR, STANDBY_W = 13.0, 1.015, 0.3
PPKM = (dt.date(2021, 7, 3), dt.date(2021, 8, 23))
EID = {dt.date(2021, 5, 13), dt.date(2021, 5, 14)}
CLEANING_HOURS, CLEANING_SHARE = 1.0, 0.3


def lit_hours(store: str, day: dt.date) -> tuple[float, float]:
    """(hours lit, share of the luminaires lit) of a store's lighting on a day."""
    if store == "J1" and PPKM[0] <= day <= PPKM[1]:
        return CLEANING_HOURS, CLEANING_SHARE
    if store == "S1" and (day in EID or (day.month in (7, 8) and day.weekday() == 6)):
        return 0.0, 0.0
    return LIGHTING_HOURS, 1.0


def simulate() -> dict[str, dict[str, float]]:
    calendar = days(START, END)
    out: dict[str, dict[str, float]] = {p: {} for p in GROUPS}
    for n, (point, (count, watts)) in enumerate(GROUPS.items()):
        variation = 1.0 + 0.01 * ar1(rng(SEED, n + 1), len(calendar), 0.8)
        for k, day in enumerate(calendar):
            hours, share = lit_hours(point[:2], day)
            rated_kw = count * watts / 1000.0
            on = rated_kw * share * DRIVER_FACTOR * hours * variation[k]
            standby = count * STANDBY_W / 1000.0 * (24.0 - hours * share)
            month = f"{day:%Y-%m}"
            out[point][month] = out[point].get(month, 0.0) + on + standby
    return out


def main() -> None:
    monthly = simulate()
    rows = [f"{month},{point},{monthly[point][month]:.1f},kWh" for month in sorted(monthly["J1-DL"]) for point in GROUPS]
    write_lines(EXAMPLES / "ID_AM020" / "lighting-2021-monthly.csv", "month,point,value,unit", rows)
    for point, months in monthly.items():
        print(f"ID_AM020 {point}: {sum(months.values()):,.1f} kWh in 2021")


if __name__ == "__main__":
    main()
