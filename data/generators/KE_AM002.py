"""Generate the SYNTHETIC example data of JCM_KE_AM002 (solar PV, Kenya).

Run from the repository root::

    .venv/bin/python data/generators/KE_AM002.py

It (re)writes, byte for byte the same on every run:

``data/examples/KE_AM002/generation-2022.csv``
    hourly AC energy [kWh] of two rooftop PV systems of a dairy processing plant on the
    outskirts of Nairobi, calendar year 2022, ``interval`` format.

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Weather and PV output: ``_common.weather`` and ``_common.pv_ac_power`` (Spencer sun
   position, Haurwitz clear sky, seeded daily AR(1) clear-sky index around a monthly mean,
   Erbs diffuse fraction, isotropic plane of array, module temperature, DC derate, inverter
   losses and clipping) at 1.3 S, 36.85 E, local time UTC+3 (standard meridian 45 E). The
   highlands near the equator have two rainy seasons, the long rains (March-May) and the short
   rains (November), and a cool, often overcast season (June-August); the clear-sky index
   means below encode that, and the mean temperatures (17-21 degC at 1,650 m) are approximate
   Nairobi normals. Roofs face north at a 5 degree tilt (the site is just south of the
   equator).
2. Systems: PV-1 on the processing hall (480 kWp DC / 400 kW AC), PV-2 on the cold store and
   offices (300 kWp / 250 kW AC, more shading and soiling from the boiler stack, DC derate
   0.935).
3. Events: PV-1's inverter was stopped for a planned replacement of a failed string fuse box on
   2022-04-12 from 09:00 to 15:00 (output recorded as 0: the logger ran); PV-2's logger lost
   power from 2022-09-05 00:00 to 2022-09-06 23:00 (rows absent: a gap, left unfilled by the
   engine because less generation is the conservative direction).
4. The period file records a calibration of PV-2's meter that found it 0.5 % fast; with the
   spec's permissible error of 0 the engine scales PV-2's total down by 0.5 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, PVSystem, Site, fmt, hourly_energy, pv_ac_power, weather, write_csv

SEED = 20220102
START, END = "2022-01-01", "2022-12-31"
OUT = EXAMPLES / "KE_AM002"

SITE = Site(
    latitude=-1.3,
    longitude=36.85,
    standard_meridian=45.0,  # UTC+3
    kc_mean=[0.74, 0.75, 0.66, 0.56, 0.58, 0.60, 0.55, 0.57, 0.68, 0.67, 0.60, 0.68],
    kc_sd=[0.09, 0.09, 0.13, 0.16, 0.15, 0.13, 0.14, 0.14, 0.12, 0.13, 0.15, 0.12],
    ta_mean=[19.5, 20.3, 20.6, 20.0, 18.9, 17.6, 16.8, 17.2, 18.6, 19.6, 19.0, 19.0],
    ta_half_range=[6.0, 6.3, 5.8, 4.8, 4.4, 4.6, 4.5, 4.8, 5.6, 5.6, 4.8, 5.3],
)
SYSTEMS = (
    PVSystem("PV-1", dc_kwp=480.0, ac_kw=400.0, tilt=5.0, jitter_seed=1),
    PVSystem("PV-2", dc_kwp=300.0, ac_kw=250.0, tilt=5.0, dc_derate=0.935, jitter_seed=2),
)
ZERO = (("PV-1", "2022-04-12 09:00", "2022-04-12 15:00"),)  # inverter stopped, logger running
GAPS = (("PV-2", "2022-09-05 00:00", "2022-09-06 23:00"),)  # logger without power: rows absent


def _hours(spans: tuple[tuple[str, str, str], ...]) -> set[tuple[str, pd.Timestamp]]:
    return {(point, stamp) for point, first, last in spans for stamp in pd.date_range(first, last, freq="h")}


def main() -> None:
    w = weather(SITE, START, END, SEED)
    energy = {s.point: hourly_energy(pv_ac_power(SITE, w, s, SEED)) for s in SYSTEMS}
    zero, missing = _hours(ZERO), _hours(GAPS)
    rows, totals = [], {s.point: 0.0 for s in SYSTEMS}
    for k, stamp in enumerate(w.stamps):
        for s in SYSTEMS:
            if (s.point, stamp) in missing:
                continue
            value = 0.0 if (s.point, stamp) in zero else float(np.round(energy[s.point][k], 3))
            totals[s.point] += value
            rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), s.point, fmt(value), "kWh"])
    n = write_csv(OUT / "generation-2022.csv", ["timestamp", "point", "value", "unit"], rows)
    print(f"{n} rows; annual kWh: " + ", ".join(f"{p} {v:,.1f} ({v / s.dc_kwp:,.0f} kWh/kWp)" for (p, v), s in zip(totals.items(), SYSTEMS)))


if __name__ == "__main__":
    main()
