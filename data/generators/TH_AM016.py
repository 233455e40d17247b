"""SYNTHETIC example data for JCM_TH_AM016 (high colour rendering LED downlights/spotlights).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM016.py

Writes ``data/examples/TH_AM016/opening-days-2023.csv`` (``monthly`` format:
``month,point,value,unit``; opening days per month of the store where each group of project
luminaires is installed, calendar year 2023), the same bytes on every run. Nothing in it is a
measurement; the project EXAMPLE-TH016 and its stores do not exist.

Model
-----
The example uses the methodology's "rated" alternative: power consumption = rated power of
the group x daily lighting hours x opening days. The opening days come from each store's
operating calendar, day by day:

- S1, flagship store in a Bangkok shopping mall: open every day the mall opens (daily,
  10:00-22:00), closed for a refurbishment of the sales floor 2023-08-21 to 2023-08-27 and on
  the day of the mall's annual electrical maintenance shutdown (2023-06-06).
- S2, store in a Chiang Mai shopping mall: open daily, closed on the mall's maintenance day
  (2023-05-16).
- S3, roadside store in Nonthaburi: open daily except New Year's Day and the three Songkran
  days (13-15 April), when staff are on holiday.

Each store has two groups of project luminaires (DL: downlights, SL: spotlights), which share
the store's opening days. Their rated power, daily lighting hours and luminous efficiency are
fixed ex ante in the period file (from specification sheets and the stores' lighting schedules:
lights on 30 minutes before opening and off 30 minutes after closing).
"""

from __future__ import annotations

import datetime as dt

from _models import EXAMPLES, days, write_lines

START, END = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
CLOSED = {
    "S1": set(days(dt.date(2023, 8, 21), dt.date(2023, 8, 27))) | {dt.date(2023, 6, 6)},
    "S2": {dt.date(2023, 5, 16)},
    "S3": {dt.date(2023, 1, 1)} | set(days(dt.date(2023, 4, 13), dt.date(2023, 4, 15))),
}
GROUPS = ("DL", "SL")


def opening_days() -> dict[str, dict[str, int]]:
    """Opening days per store and month (YYYY-MM)."""
    out: dict[str, dict[str, int]] = {store: {} for store in CLOSED}
    for day in days(START, END):
        month = f"{day:%Y-%m}"
        for store, closed in CLOSED.items():
            out[store][month] = out[store].get(month, 0) + (day not in closed)
    return out


def main() -> None:
    counted = opening_days()
    rows = [f"{month},{store}-{group},{counted[store][month]},d" for month in sorted(counted["S1"]) for store in counted for group in GROUPS]
    write_lines(EXAMPLES / "TH_AM016" / "opening-days-2023.csv", "month,point,value,unit", rows)
    for store, months in counted.items():
        print(f"TH_AM016 {store}: {sum(months.values())} opening days in 2023")


if __name__ == "__main__":
    main()
