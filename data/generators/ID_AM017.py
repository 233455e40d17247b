"""Generate the SYNTHETIC example data of JCM_ID_AM017 (solar PV and storage battery, Indonesia).

Run from the repository root::

    .venv/bin/python data/generators/ID_AM017.py

It (re)writes, byte for byte the same on every run (calendar year 2020, hourly, ``interval``
format, energy in kWh, timestamp = interval start in local time WITA, UTC+8):

``data/examples/ID_AM017/pv-2020.csv``
    AC output of the PV system PV-1 (350 kWp DC / 300 kW AC) of a cold-storage and ice plant at
    a fishing port near Kupang, East Nusa Tenggara.
``data/examples/ID_AM017/battery-charge-2020.csv`` and ``battery-discharge-2020.csv``
    the import (charge) and export (discharge) registers of the bidirectional meter of the
    storage battery system BAT-1 (500 kWh lithium-iron-phosphate, 200 kW power conditioning
    system), per hour.

Nothing here was measured; it is not data of any JCM project.

Model
-----
1. PV: ``_common.weather`` and ``_common.pv_ac_power`` for 10.2 S, tilt 10 degrees facing
   north; a long sunny dry season (May-November) and a cloudy west monsoon
   (December-March).
2. Plant load [kW]: 140 kW around the clock (cold rooms), +40 kW from 10:00 to 16:00
   (compressors in the heat of the day), 200 kW from 18:00 to 22:00 (ice harvesting and
   lighting).
3. Battery dispatch (rule-based, hour by hour): the battery charges only from PV surplus over
   the load, up to the PCS rating and 95 % state of charge; from 18:00 to 22:00 it discharges
   to serve the load, down to 10 % state of charge. AC-to-cell efficiency 96 % when
   charging, cell-to-AC 96 % when discharging (about 92 % round trip), self-discharge 0.02 %
   of the energy stored per hour, and the container's HVAC and battery management draw
   1.5 kW continuously through the import register. The charge register therefore always
   exceeds the discharge register: the battery's losses.
4. Outage: the PCS was stopped for a firmware update from 2020-09-14 08:00 to 2020-09-15 17:00
   (no charge or discharge, the auxiliaries still metered).
"""

from __future__ import annotations

import numpy as np
from _common import EXAMPLES, PVSystem, Site, fmt, hourly_energy, pv_ac_power, weather, write_csv

SEED = 20200101
START, END = "2020-01-01", "2020-12-31"
OUT = EXAMPLES / "ID_AM017"

SITE = Site(
    latitude=-10.17,
    longitude=123.6,
    standard_meridian=120.0,  # UTC+8 (WITA)
    kc_mean=[0.58, 0.59, 0.64, 0.72, 0.77, 0.78, 0.79, 0.80, 0.80, 0.78, 0.72, 0.63],
    kc_sd=[0.18, 0.18, 0.16, 0.12, 0.09, 0.08, 0.07, 0.07, 0.07, 0.09, 0.13, 0.17],
    ta_mean=[27.4, 27.3, 27.4, 27.6, 27.2, 26.2, 25.6, 25.9, 27.0, 28.3, 28.9, 28.1],
    ta_half_range=[3.5, 3.5, 3.8, 4.5, 5.0, 5.2, 5.3, 5.4, 5.2, 4.8, 4.2, 3.6],
)
PV = PVSystem("PV-1", dc_kwp=350.0, ac_kw=300.0, tilt=10.0, jitter_seed=1)
CAPACITY_KWH, PCS_KW = 500.0, 200.0
SOC_MIN, SOC_MAX = 0.10, 0.95
ETA_CHARGE, ETA_DISCHARGE = 0.96, 0.96
SELF_DISCHARGE_PER_H = 0.0002
AUX_KW = 1.5
DISCHARGE_HOURS = range(18, 22)
PCS_STOP = ("2020-09-14 08:00", "2020-09-15 17:00")


def load_kw(hour: np.ndarray) -> np.ndarray:
    load = np.full(hour.shape, 140.0)
    load = np.where((hour >= 10) & (hour < 16), load + 40.0, load)
    return np.where((hour >= 18) & (hour < 22), 200.0, load)


def main() -> None:
    w = weather(SITE, START, END, SEED)
    pv = hourly_energy(pv_ac_power(SITE, w, PV, SEED))  # kWh per hour = mean kW
    load = load_kw(w.stamps.hour.to_numpy())
    stopped = (w.stamps >= PCS_STOP[0]) & (w.stamps <= PCS_STOP[1])
    stored = 0.5 * CAPACITY_KWH
    charge = np.zeros(len(pv))
    discharge = np.zeros(len(pv))
    for k, hour in enumerate(w.stamps.hour):
        stored *= 1.0 - SELF_DISCHARGE_PER_H
        if not stopped[k]:
            surplus = max(pv[k] - load[k], 0.0)
            room = (SOC_MAX * CAPACITY_KWH - stored) / ETA_CHARGE
            charge[k] = min(surplus, PCS_KW, max(room, 0.0))
            stored += charge[k] * ETA_CHARGE
            if hour in DISCHARGE_HOURS:
                available = (stored - SOC_MIN * CAPACITY_KWH) * ETA_DISCHARGE
                discharge[k] = min(load[k], PCS_KW, max(available, 0.0))
                stored -= discharge[k] / ETA_DISCHARGE
        charge[k] += AUX_KW  # the container's HVAC and BMS, through the import register
    stamps = [s.strftime("%Y-%m-%dT%H:%M:%S") for s in w.stamps]
    write_csv(OUT / "pv-2020.csv", ["timestamp", "point", "value", "unit"], ([t, "PV-1", fmt(v), "kWh"] for t, v in zip(stamps, pv)))
    write_csv(OUT / "battery-charge-2020.csv", ["timestamp", "point", "value", "unit"], ([t, "BAT-1", fmt(v), "kWh"] for t, v in zip(stamps, charge)))
    write_csv(OUT / "battery-discharge-2020.csv", ["timestamp", "point", "value", "unit"], ([t, "BAT-1", fmt(v), "kWh"] for t, v in zip(stamps, discharge)))
    print(
        f"PV {pv.sum() / 1000:,.3f} MWh ({pv.sum() / PV.dc_kwp:,.0f} kWh/kWp); charge {charge.sum() / 1000:,.3f} MWh, discharge {discharge.sum() / 1000:,.3f} MWh"
    )


if __name__ == "__main__":
    main()
