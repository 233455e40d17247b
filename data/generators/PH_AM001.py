"""Generate the SYNTHETIC example data of JCM_PH_AM001 (run-of-river hydro, Philippines).

Run from the repository root::

    .venv/bin/python data/generators/PH_AM001.py

It (re)writes, byte for byte the same on every run (calendar year 2021, ``register`` format,
readings at 00:00 on the first of each month and on 2022-01-01):

``data/examples/PH_AM001/gross-registers-2021.csv``
    the generator-terminal meters of units HPP-1 and HPP-2, registers in MWh.
``data/examples/PH_AM001/station-registers-2021.csv``
    the station-service meters of the same units, registers in kWh (the two parameters come in
    different units on purpose: the engine converts each explicitly).

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. River flow at the intake [m3/s], daily: a seasonal base flow for a catchment of about
   120 km2 in northern Mindanao (wettest November-February, driest March-May), plus storm
   runoff: rain events arrive as a seeded Poisson process with monthly rates and exponential
   depths, and drain through a linear reservoir (recession constant 6 days), the simplest
   conceptual rainfall-runoff model (e.g. Beven 2012, ch. 2).
2. Diversion: an environmental flow of 0.35 m3/s stays in the river; the rest, up to the two
   units' design flow of 2 x 2.6 m3/s, goes through the penstock. HPP-1 runs first; HPP-2
   starts when more than 1.15 x one unit's design flow is available; a unit stops below 30 %
   of its design flow (Francis turbines).
3. Power per unit: P = rho g Q H eta, net head 86 m less head loss in the shared penstock
   (k Q_total^2, 4 m at full flow), efficiency of turbine and generator together from a Francis
   part-load curve (peak 0.88 at 85 % flow). Rated about 2.0 MW per unit.
4. Station consumption per unit: 22 kW around the clock (cooling water pumps, control, lighting,
   transformer no-load losses), imported when the unit stands still, plus 0.6 % of its output
   (excitation, auxiliaries).
5. Outages: HPP-2 annual maintenance 2021-03-08 to 2021-03-21; HPP-1 stopped 2021-07-19 to
   2021-07-21 (trash rack cleaning after a flood).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, fmt, rng, write_csv

SEED = 20210701
START, END = "2021-01-01", "2021-12-31"
OUT = EXAMPLES / "PH_AM001"

BASE_FLOW = np.array([2.9, 2.5, 1.8, 1.3, 1.4, 1.8, 2.1, 2.0, 2.0, 2.3, 2.8, 3.1])  # m3/s, monthly
EVENT_RATE = np.array([0.40, 0.32, 0.18, 0.14, 0.22, 0.30, 0.33, 0.30, 0.30, 0.36, 0.42, 0.45])  # events/day
EVENT_DEPTH_MM = 14.0  # mean effective rain depth of an event
CATCHMENT_KM2 = 120.0
RECESSION_DAYS = 6.0
E_FLOW, DESIGN_FLOW, MIN_SHARE = 0.35, 2.6, 0.30
HEAD_M, HEAD_LOSS_FULL_M = 86.0, 4.0
RHO_G = 1000.0 * 9.81
STATION_KW, STATION_SHARE = 22.0, 0.006
OUTAGES = {"HPP-2": [("2021-03-08", "2021-03-21")], "HPP-1": [("2021-07-19", "2021-07-21")]}
START_REGISTERS = {"HPP-1": (51234.567, 402118.0), "HPP-2": (49876.012, 398765.0)}  # (gross MWh, station kWh)


def efficiency(share: np.ndarray) -> np.ndarray:
    """Turbine x generator efficiency of a Francis unit versus flow share of design flow."""
    return np.clip(0.88 - 0.55 * (share - 0.85) ** 2, 0.0, None)


def river_flow(days: pd.DatetimeIndex) -> np.ndarray:
    month = days.month.to_numpy() - 1
    events = rng(SEED, 1).poisson(EVENT_RATE[month])
    depth = np.array([rng(SEED, 2 + k).exponential(EVENT_DEPTH_MM, n).sum() if n else 0.0 for k, n in enumerate(events)])
    inflow = depth / 1000.0 * CATCHMENT_KM2 * 1e6 / 86400.0  # m3/s if the event drained in one day
    storm = np.zeros(len(days))
    store = 0.0
    for k in range(len(days)):
        store = store * np.exp(-1.0 / RECESSION_DAYS) + inflow[k] * 0.25  # 25 % of event rain runs off
        storm[k] = store * (1.0 - np.exp(-1.0 / RECESSION_DAYS))
    return BASE_FLOW[month] + storm * RECESSION_DAYS / 6.0


def main() -> None:
    days = pd.date_range(START, END, freq="D")
    flow = river_flow(days)
    usable = np.clip(flow - E_FLOW, 0.0, 2 * DESIGN_FLOW)
    available = {u: np.ones(len(days), dtype=bool) for u in ("HPP-1", "HPP-2")}
    for unit, spans in OUTAGES.items():
        for a, b in spans:
            available[unit] &= ~((days >= a) & (days <= b))
    q = {u: np.zeros(len(days)) for u in available}
    for k in range(len(days)):
        units = [u for u in ("HPP-1", "HPP-2") if available[u][k]]
        if len(units) == 2 and usable[k] > 1.15 * DESIGN_FLOW:
            q["HPP-1"][k] = q["HPP-2"][k] = usable[k] / 2
        elif units:
            q[units[0]][k] = min(usable[k], DESIGN_FLOW)
    total_q = q["HPP-1"] + q["HPP-2"]
    head = HEAD_M - HEAD_LOSS_FULL_M * (total_q / (2 * DESIGN_FLOW)) ** 2
    gross_mwh, station_kwh = {}, {}
    for unit in q:
        share = q[unit] / DESIGN_FLOW
        running = share >= MIN_SHARE
        power_kw = np.where(running, RHO_G * q[unit] * head * efficiency(share) / 1000.0, 0.0)
        gross_mwh[unit] = power_kw * 24.0 / 1000.0
        station_kwh[unit] = STATION_KW * 24.0 + STATION_SHARE * power_kw * 24.0
    gross = pd.DataFrame(gross_mwh, index=days)
    station = pd.DataFrame(station_kwh, index=days)
    reads = pd.date_range(START, pd.Timestamp(END) + pd.Timedelta(days=1), freq="MS")
    gross_rows, station_rows = [], []
    for unit in ("HPP-1", "HPP-2"):
        g0, s0 = START_REGISTERS[unit]
        for stamp in reads:
            before = gross.index < stamp
            gross_rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), unit, fmt(g0 + gross.loc[before, unit].sum(), 3), "MWh"])
            station_rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), unit, fmt(round(s0 + station.loc[before, unit].sum()), 0), "kWh"])
    write_csv(OUT / "gross-registers-2021.csv", ["timestamp", "point", "reading", "unit"], gross_rows)
    write_csv(OUT / "station-registers-2021.csv", ["timestamp", "point", "reading", "unit"], station_rows)
    for unit in ("HPP-1", "HPP-2"):
        print(
            f"{unit}: gross {gross[unit].sum():,.3f} MWh (capacity factor {gross[unit].sum() / (2.0 * 8760):.2f}), station {station[unit].sum() / 1000:,.3f} MWh"
        )
    print(f"mean river flow {flow.mean():.2f} m3/s, max {flow.max():.2f} m3/s")


if __name__ == "__main__":
    main()
