"""Generate the SYNTHETIC example data of JCM_KH_AM002 (solar PV, day categories, Cambodia).

Run from the repository root::

    .venv/bin/python data/generators/KH_AM002.py

It (re)writes, byte for byte the same on every run:

``data/examples/KH_AM002/generation-2019.csv``
    hourly AC energy [kWh] of the two inverter groups PV-1 and PV-2 of a 1.24 MWp rooftop PV
    system on a garment factory near Phnom Penh, calendar year 2019, ``interval`` format.
``data/examples/KH_AM002/day-categories-2019.csv``
    the category of each day (``grid`` or ``diesel``), ``daily`` format (``date,category``).

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` (Spencer sun
   position, Haurwitz clear sky, seeded daily AR(1) clear-sky index around a monthly mean,
   Erbs diffuse fraction, isotropic plane of array at 10 degrees tilt, module temperature,
   DC derate, inverter losses and clipping). Monthly means: a clear dry season
   (November-April) and a cloudy south-west monsoon (May-October), about 1,800 kWh/m2 a year
   of GHI, the order reported for Phnom Penh; temperatures approximate Phnom Penh normals.
2. Factory load [kW]: 1,100 kW during the shifts (Monday-Saturday 07:00-16:00, 700 kW at
   lunch 11:00-12:00), 180 kW otherwise, 180 kW all day on Sundays and the 2019 public
   holidays listed in ``HOLIDAYS``.
3. Day categories. In 2019 Cambodia had a severe electricity shortage (drought cut the hydro
   output; scheduled power cuts from March to June). Off-grid days are drawn from a seeded
   two-state Markov chain per day, with monthly probabilities of a cut starting
   (``P_ENTER``) and persisting (``P_STAY``) peaking in April-May. What defines a day's
   category is not in the methodology's official summary (its text was not seen), so the rule
   is this fictitious site's own assumption, stated in the period file: a day is a ``diesel``
   day only if the grid was unavailable at the site during all daylight hours (06:00-18:00);
   every other day is a ``grid`` day (conservative here, since the diesel factor is the
   higher one).
4. PV on diesel days: the site runs on two 800 kW diesel gensets; as many run as the load
   needs at 90 % loading, and the PV-diesel controller curtails the PV so that the running
   gensets keep at least 30 % load (minimum loading of diesel engines). PV output is therefore
   lower on diesel days, strongly on Sundays and holidays.
5. Data gaps (rows absent): ``GAPS``. Left unfilled by the engine (less generation is the
   conservative direction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, fmt, hourly_energy, pv_ac_power, rng, weather, write_csv

SEED = 20190101
START, END = "2019-01-01", "2019-12-31"
OUT = EXAMPLES / "KH_AM002"

SITE = Site(
    latitude=11.55,
    longitude=104.92,
    standard_meridian=105.0,  # UTC+7
    kc_mean=[0.78, 0.78, 0.76, 0.73, 0.66, 0.62, 0.61, 0.60, 0.60, 0.64, 0.72, 0.77],
    kc_sd=[0.08, 0.09, 0.10, 0.12, 0.16, 0.17, 0.17, 0.18, 0.18, 0.17, 0.12, 0.09],
    ta_mean=[26.5, 27.8, 29.3, 30.1, 29.6, 28.9, 28.5, 28.4, 28.0, 27.7, 27.2, 26.3],
    ta_half_range=[5.0, 5.2, 5.0, 4.6, 4.0, 3.5, 3.4, 3.3, 3.3, 3.5, 4.2, 4.8],
)
SYSTEMS = (
    PVSystem("PV-1", dc_kwp=620.0, ac_kw=500.0, tilt=10.0, jitter_seed=1),
    PVSystem("PV-2", dc_kwp=620.0, ac_kw=500.0, tilt=10.0, dc_derate=0.945, jitter_seed=2),
)

# 2019 public holidays of Cambodia (approximate list, enough for the load model).
HOLIDAYS = [
    "2019-01-01", "2019-01-07", "2019-02-19", "2019-03-08", "2019-04-14", "2019-04-15", "2019-04-16",
    "2019-05-01", "2019-05-14", "2019-05-18", "2019-05-22", "2019-06-01", "2019-06-18", "2019-09-24",
    "2019-09-27", "2019-09-28", "2019-09-29", "2019-10-15", "2019-10-23", "2019-10-29", "2019-11-09",
    "2019-11-10", "2019-11-11", "2019-11-12", "2019-12-10",
]  # fmt: skip
SHIFT_KW, LUNCH_KW, BASE_KW = 1100.0, 700.0, 180.0
GENSET_KW, GENSET_MAX_LOADING, GENSET_MIN_LOADING = 800.0, 0.9, 0.3
# Probability that a grid day is followed by an off-grid day, and that an off-grid day persists.
P_ENTER = [0.01, 0.02, 0.08, 0.30, 0.32, 0.18, 0.04, 0.02, 0.02, 0.02, 0.01, 0.01]
P_STAY = [0.30, 0.30, 0.40, 0.50, 0.50, 0.45, 0.30, 0.30, 0.30, 0.30, 0.30, 0.30]
GAPS = (("PV-2", "2019-05-07 08:00", "2019-05-07 13:00", "logger reboot after a firmware update"),)


def day_categories(days: pd.DatetimeIndex) -> list[str]:
    draws = rng(SEED, 3).random(len(days))
    state, out = "grid", []
    for day, u in zip(days, draws):
        m = day.month - 1
        state = ("diesel" if u < P_STAY[m] else "grid") if state == "diesel" else ("diesel" if u < P_ENTER[m] else "grid")
        out.append(state)
    return out


def load_kw(stamps: pd.DatetimeIndex) -> np.ndarray:
    hour = stamps.hour.to_numpy()
    off = (stamps.day_of_week.to_numpy() == 6) | stamps.normalize().isin(pd.to_datetime(HOLIDAYS))
    shift = (~off) & (hour >= 7) & (hour < 16)
    return np.where(shift, np.where(hour == 11, LUNCH_KW, SHIFT_KW), BASE_KW)


def pv_limit_on_diesel(load: np.ndarray) -> np.ndarray:
    """Largest PV output [kW] that keeps the running gensets at their minimum loading."""
    running = np.ceil(load / (GENSET_KW * GENSET_MAX_LOADING))
    return np.clip(load - GENSET_MIN_LOADING * GENSET_KW * running, 0.0, None)


def main() -> None:
    w = weather(SITE, START, END, SEED)
    days = pd.date_range(START, END, freq="D")
    categories = day_categories(days)
    diesel_day = pd.Series(categories, index=days)[w.stamps.normalize()].to_numpy() == "diesel"
    load = load_kw(w.stamps)
    limit = pv_limit_on_diesel(load)
    energy = {s.point: hourly_energy(pv_ac_power(SITE, w, s, SEED)) for s in SYSTEMS}
    total = energy["PV-1"] + energy["PV-2"]
    # The controller curtails both groups in proportion on diesel days.
    scale = np.where(diesel_day & (total > limit), np.divide(limit, total, out=np.ones_like(total), where=total > 0), 1.0)
    missing = set()
    for point, start, end, _ in GAPS:
        for stamp in pd.date_range(start, end, freq="h"):
            missing.add((point, stamp))
    rows = []
    for k, stamp in enumerate(w.stamps):
        for point in ("PV-1", "PV-2"):
            if (point, stamp) not in missing:
                rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), point, fmt(energy[point][k] * scale[k]), "kWh"])
    n = write_csv(OUT / "generation-2019.csv", ["timestamp", "point", "value", "unit"], rows)
    write_csv(OUT / "day-categories-2019.csv", ["date", "category"], ([d.strftime("%Y-%m-%d"), c] for d, c in zip(days, categories)))
    per_cat = {c: 0.0 for c in ("grid", "diesel")}
    for k in range(len(w.stamps)):
        per_cat["diesel" if diesel_day[k] else "grid"] += (energy["PV-1"][k] + energy["PV-2"][k]) * scale[k] / 1000.0
    print(f"{n} rows; diesel days {categories.count('diesel')}, grid days {categories.count('grid')}")
    print(
        "generation by category [MWh]:",
        {c: round(float(v), 3) for c, v in per_cat.items()},
        "curtailed on diesel days [MWh]:",
        round(float(((1 - scale) * total).sum()) / 1000, 3),
    )


if __name__ == "__main__":
    main()
