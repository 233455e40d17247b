"""SYNTHETIC example data for JCM_TH_AM009 (gas engine cogeneration, Thailand).

Run from the repository root::

    .venv/bin/python data/generators/TH_AM009.py

Writes three daily ``interval`` files (``timestamp,point,value,unit``, interval ``1D``) for
calendar year 2022 into ``data/examples/TH_AM009/``, the same bytes on every run:
``electricity-2022-daily.csv`` (kWh consumed by the factory from each engine),
``heat-2022-daily.csv`` (GJ of steam consumed by the factory from each engine) and
``gas-2022-daily.csv`` (Nm3 of natural gas per engine). Nothing in them is a measurement; the
project EXAMPLE-TH009 does not exist.

Model (hour by hour)
--------------------
Site: an automotive-parts factory in Rayong (climate: ``_models.CLIMATE['rayong']``) with a
cogeneration system of two 2.0 MW(e) gas engines, GE-1 and GE-2, each with an exhaust-gas
steam boiler and jacket-water heat recovery (example values).

1. Factory demand. Electricity [MW] = 1.2 base + 4.5 x production + 0.05 MW/K x (T_out - 25 C);
   steam [MW(th)] = 0.4 + 2.6 x production. Production: three shifts Monday-Friday (1.0), two
   on Saturdays (06:00-22:00: 1.0, night 0.15), Sundays 0.15, Thai public holidays of 2022, the
   Songkran shutdown (13-17 April) and the year-end shutdown (30-31 December) 0.1.
   Day-to-day AR(1) variation, sd 4 %.
2. Dispatch, electricity-led, no export: one engine when the demand is up to 2.0 MW, both
   (sharing equally) above; an engine runs only above its 50 % minimum load. Planned
   maintenance: GE-2 2022-02-14 to 2022-02-18 (top-end overhaul), GE-1 2022-08-08 to 2022-08-17
   (major overhaul).
3. Engine performance at part-load ratio PLR: electrical efficiency 0.430 x (1 - 0.25 (1 - PLR)^2),
   heat recovery efficiency 0.380 x (1 - 0.15 (1 - PLR)) (LHV basis; indicative curves for
   lean-burn gas engines of this size). The engines' own auxiliaries take 3 % of the
   electricity; the factory consumes the rest. The heat it consumes is the recovered heat up to
   its steam demand (any excess is rejected by the radiators).
4. Gas [Nm3] = fuel energy / 36.6 MJ/Nm3 (LHV of the pipeline gas, an example value used
   only to make the data).
5. Data gaps (rows absent): GE-1 electricity of 2022-07-19 (meter communication failure),
   GE-2 gas of 2022-10-05 (flow computer reset).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from _models import EXAMPLES, ar1, daily_temperature, days, rng, write_lines

SEED = 2022_0009
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
ENGINES = ("GE-1", "GE-2")
RATED_MW, MIN_PLR = 2.0, 0.5
ETA_E, ETA_H, OWN_USE = 0.430, 0.380, 0.03
NCV_MJ_PER_NM3 = 36.6
MAINTENANCE = {"GE-1": set(days(dt.date(2022, 8, 8), dt.date(2022, 8, 17))), "GE-2": set(days(dt.date(2022, 2, 14), dt.date(2022, 2, 18)))}
HOLIDAYS = {dt.date(2022, m, d) for m, d in [(1, 3), (2, 16), (4, 6), (5, 2), (5, 4), (5, 16), (6, 3), (7, 13), (7, 28), (8, 12), (10, 13), (10, 24), (12, 5), (12, 12)]}
HOLIDAYS |= set(days(dt.date(2022, 4, 13), dt.date(2022, 4, 17))) | {dt.date(2022, 12, 30), dt.date(2022, 12, 31)}
GAPS = {("electricity", "GE-1", dt.date(2022, 7, 19)), ("gas", "GE-2", dt.date(2022, 10, 5))}


def production(day: dt.date, hour: int) -> float:
    if day in HOLIDAYS:
        return 0.1
    if day.weekday() == 6:
        return 0.15
    if day.weekday() == 5:
        return 1.0 if 6 <= hour < 22 else 0.15
    return 1.0


def simulate() -> dict[str, dict[str, np.ndarray]]:
    """Per engine and day: electricity consumed [kWh], heat consumed [GJ], gas [Nm3]."""
    calendar = days(START, END)
    weather = 0.8 * ar1(rng(SEED, 1), len(calendar), 0.7)
    variation = 1.0 + 0.04 * ar1(rng(SEED, 2), len(calendar), 0.6)
    out = {e: {k: np.zeros(len(calendar)) for k in ("electricity", "heat", "gas")} for e in ENGINES}
    for k, day in enumerate(calendar):
        dry_mean, _ = daily_temperature("rayong", day, weather[k])
        available = [e for e in ENGINES if day not in MAINTENANCE[e]]
        for hour in range(24):
            dry = dry_mean + 3.5 * np.cos(2 * np.pi * (hour + 0.5 - 14.0) / 24)
            prod = production(day, hour)
            power = (1.2 + 4.5 * prod + 0.05 * (dry - 25.0)) * variation[k]
            steam = (0.4 + 2.6 * prod) * variation[k]
            running = available[:1] if power <= RATED_MW else available
            gross = min(power / (1.0 - OWN_USE), RATED_MW * len(running)) / max(len(running), 1)
            plr = gross / RATED_MW
            if not running or plr < MIN_PLR:
                continue
            steam_each = steam / len(running)
            for engine in running:
                fuel_mw = gross / (ETA_E * (1.0 - 0.25 * (1.0 - plr) ** 2))
                recovered = fuel_mw * ETA_H * (1.0 - 0.15 * (1.0 - plr))
                out[engine]["electricity"][k] += gross * (1.0 - OWN_USE) * 1000.0  # MWh -> kWh
                out[engine]["heat"][k] += min(recovered, steam_each) * 3.6  # MWh -> GJ
                out[engine]["gas"][k] += fuel_mw * 3600.0 / NCV_MJ_PER_NM3  # MWh of fuel -> MJ -> Nm3
    return out


def main() -> None:
    data = simulate()
    calendar = days(START, END)
    folder = EXAMPLES / "TH_AM009"
    for key, unit, decimals in (("electricity", "kWh", 1), ("heat", "GJ", 2), ("gas", "Nm3", 0)):
        rows = [
            f"{day:%Y-%m-%d}T00:00:00,{engine},{data[engine][key][k]:.{decimals}f},{unit}"
            for k, day in enumerate(calendar)
            for engine in ENGINES
            if (key, engine, day) not in GAPS
        ]
        write_lines(folder / f"{key}-2022-daily.csv", "timestamp,point,value,unit", rows)
    for engine in ENGINES:
        d = data[engine]
        print(f"TH_AM009 {engine}: {d['electricity'].sum() / 1000:,.1f} MWh, {d['heat'].sum():,.0f} GJ, {d['gas'].sum():,.0f} Nm3 in 2022")


if __name__ == "__main__":
    main()
