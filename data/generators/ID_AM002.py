"""SYNTHETIC example data for JCM_ID_AM002 (high efficiency centrifugal chillers): the site's grid import.

Run from the repository root::

    .venv/bin/python data/generators/ID_AM002.py

Writes ``data/examples/ID_AM002/grid-2021-invoices.csv`` (``monthly`` format:
``month,point,value,unit``), the electricity the office building of the example project
EXAMPLE-ID001 imports from the grid in each month of 2021, as the power company's monthly
invoices would state it (whole kWh, one revenue meter, point ``PLN-1``), the same bytes on every
run. It is the reported-only parameter EI_grid,p of the ver02.0 monitoring sheet (monitored and
reported, used by no equation). Nothing in it is a measurement; the project does not exist.

The chillers' own meter readings (``chiller-2021-register.csv``, ``chiller-2021-monthly.csv``)
are written by ``data/generate_examples.py``; this script takes the same chiller model from it
(``simulate_chillers``, and ``_day_types`` for the building's calendar and occupancy), so the
grid import contains the chillers' electricity.

Model
-----
Hourly over 2021, summed per calendar month (real invoices follow the meter-reading dates of
the power company, a few days off the calendar month; the example keeps calendar months so
that the invoices add up to the period exactly):

1. Chiller plant: the electricity of the two chillers (the chiller model of
   ``generate_examples.py``) times ``1 + PLANT_AUXILIARY``: the constant-speed chilled-water and
   condenser-water pumps and the cooling-tower fans, which run with the chillers and draw about
   0.28-0.29 kW per kW of chiller input at full load (CH-1: 30 + 37 + 15 = 82 kW beside 279 kW;
   CH-2: 45 + 55 + 22 = 122 kW beside 436 kW, assumed ratings of a plant of this size) and
   relatively more at part load, taken as 0.30 over the year.
2. Base load, every hour: ``BASE_KW`` for the server rooms and their close-control air
   conditioning, security and car-park lighting, car-park exhaust fans, domestic water pumps and
   lifts on standby.
3. During the building's operating hours (``_day_types``: working days 07:00-19:00, Saturdays
   08:00-14:00, Sundays and holidays the retail podium 10:00-21:00, Ramadan, Lebaran and the
   COVID-19 restrictions of July-September 2021 as occupancy): lighting ``LIGHT_KW`` x
   (0.5 + 0.5 occupancy) (corridors and lobbies stay lit on empty floors), plug loads
   ``PLUG_KW`` x occupancy, air-handling units ``AHU_KW`` (constant volume, on while the
   building is conditioned) and lifts and escalators ``LIFT_KW`` x occupancy.
4. Cleaning: on working days, ``CLEANING_HOURS`` after closing with ``CLEANING_LIGHT`` of the
   lighting on.
5. Day-to-day variation of the non-cooling load (meetings, events, equipment left on): a
   multiplicative AR(1) factor with standard deviation ``NOISE`` and lag-1 correlation 0.5.

Sizes are those of an office tower with a retail podium of about 50,000 m2 gross floor area
(1,300 USRt of chillers): about 8 W/m2 of lighting and 10 W/m2 of plug loads at full
occupancy, giving an electricity intensity near 170 kWh/m2 a year, within the range usually
quoted for air-conditioned offices in Jakarta. Indicative values, not data of a building.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from _models import EXAMPLES, write_lines

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import generate_examples as chillers  # noqa: E402  (the chiller model and building calendar of the example)

PLANT_AUXILIARY = 0.30  # kWh of pumps and cooling-tower fans per kWh of chiller electricity
BASE_KW = 210.0
LIGHT_KW = 380.0
PLUG_KW = 520.0
AHU_KW = 260.0
LIFT_KW = 110.0
CLEANING_HOURS = 2
CLEANING_LIGHT = 0.3
NOISE = 0.03
NOISE_COMPONENT = 40  # a random stream of its own (generate_examples.py uses components 1-20)
POINT = "PLN-1"


def building_kwh() -> np.ndarray:
    """Electricity [kWh] of everything but the chiller plant, per calendar month of the year."""
    days = pd.date_range(f"{chillers.YEAR}-01-01", periods=365, freq="D")
    start, end, occupancy = chillers._day_types(days)
    variation = 1.0 + NOISE * chillers.ar1(chillers._rng(NOISE_COMPONENT), len(days), 0.5)
    hours = np.arange(24) + 0.5  # hour mid-points, as the chiller model takes them
    monthly = np.zeros(12)
    for k, day in enumerate(days):
        open_hours = float(np.count_nonzero((hours > start[k]) & (hours < end[k])))
        operating = LIGHT_KW * (0.5 + 0.5 * occupancy[k]) + PLUG_KW * occupancy[k] + AHU_KW + LIFT_KW * occupancy[k]
        cleaning = CLEANING_HOURS * CLEANING_LIGHT * LIGHT_KW if day.day_of_week < 5 and end[k] < 20.0 else 0.0
        monthly[day.month - 1] += BASE_KW * 24 + (operating * open_hours + cleaning) * variation[k]
    return monthly


def main() -> None:
    plant = sum(chillers.simulate_chillers().values()) * (1.0 + PLANT_AUXILIARY)
    invoices = np.rint(plant + building_kwh()).astype(np.int64)
    rows = [f"{chillers.YEAR}-{m + 1:02d},{POINT},{int(v)},kWh" for m, v in enumerate(invoices)]
    write_lines(EXAMPLES / "ID_AM002" / "grid-2021-invoices.csv", "month,point,value,unit", rows)
    print(f"ID_AM002 grid-2021-invoices.csv (synthetic): {invoices.sum() / 1000:,.3f} MWh; chiller plant {plant.sum() / 1000:,.3f} MWh")


if __name__ == "__main__":
    main()
