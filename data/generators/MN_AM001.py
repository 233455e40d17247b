"""Generate the SYNTHETIC example data of JCM_MN_AM001 (energy-saving transmission lines, Mongolia).

Run from the repository root::

    .venv/bin/python data/generators/MN_AM001.py

It (re)writes, byte for byte the same on every run (calendar year 2021, ``register`` format,
readings in MWh at 00:00 on the first of each month and on 2022-01-01):

``data/examples/MN_AM001/sent-registers-2021.csv``
    the sending-end meters of lines L-1 and L-2.
``data/examples/MN_AM001/received-registers-2021.csv``
    the receiving-end meters of the same lines.

The hours each line was energised, and each project line's DC resistance at 20 degC (its
R20 x length, the official monitoring parameter "direct current resistance of the transmission
line"), are typed in the period file (both printed by this script).
Nothing here was measured; it is not data of any JCM project.

Model
-----
1. Lines re-conductored with low-loss LL-ACSR/SA conductor:
   L-1, 110 kV, 62.4 km, 240 mm2 class; L-2, 35 kV, 18.7 km, 120 mm2 class. The low-loss
   conductor's DC resistance at 20 degC is taken as 81 % of the conventional ACSR of the same
   size (trapezoidal aluminium wires fill the cross-section better), and its temperature
   coefficient as 0.00403 1/K.
2. Power flow [MW], hourly: a mean flow per line times a Mongolian load shape: heating-season
   peak (demand about 35 % above summer in January), a morning and a larger evening peak,
   lower at night and on Sundays, and a seeded AR(1) day-to-day variation (+-6 %). Power factor
   0.93.
3. Conductor temperature: monthly mean air temperature of the central region (about -22 degC
   in January, +18 degC in July) with a daily cycle, plus the conductor's temperature rise
   from its own current (steady-state heat balance, about 8 K at the rated current of the
   line). The cold conductor of the Mongolian winter has a much lower resistance than at 20 degC.
4. Loss [MW] = 3 I^2 R(theta) per hour (corona and leakage are neglected); energy received =
   energy sent - loss.
5. Outages: L-2 was switched off for maintenance from 2021-07-06 08:00 to 2021-07-08 18:00.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import EXAMPLES, ar1, fmt, rng, write_csv

SEED = 20210201
START, END = "2021-01-01", "2021-12-31"
OUT = EXAMPLES / "MN_AM001"

LINES = {
    # point: (kV, km, R20 of the project conductor [ohm/km], base flow [MW], rated current [A])
    "L-1": (110.0, 62.4, 0.81 * 0.1182, 36.0, 610.0),
    "L-2": (35.0, 18.7, 0.81 * 0.2440, 7.5, 390.0),
}
ALPHA = 0.00403
POWER_FACTOR = 0.93
TEMP_RISE_AT_RATED = 8.0  # K
AIR_T = np.array([-21.5, -17.5, -7.5, 2.5, 10.5, 16.0, 18.0, 16.0, 9.5, 0.5, -10.5, -19.0])  # degC
AIR_HALF_RANGE = np.array([6.5, 7.5, 7.5, 7.0, 7.0, 6.5, 6.0, 6.0, 6.5, 7.0, 6.5, 6.0])
SEASON = np.array([1.35, 1.30, 1.15, 1.00, 0.88, 0.82, 0.80, 0.82, 0.90, 1.05, 1.22, 1.33])
OUTAGES = {"L-2": ("2021-07-06 08:00", "2021-07-08 17:00")}
START_REGISTERS = {"L-1": (1204567.25, 1178903.50), "L-2": (231045.75, 228311.00)}  # (sent, received) MWh


def daily_shape(hour: np.ndarray) -> np.ndarray:
    """Relative load by hour: night trough, morning peak, larger evening peak (mean about 1)."""
    morning = 0.18 * np.exp(-0.5 * ((hour - 10.0) / 2.0) ** 2)
    evening = 0.30 * np.exp(-0.5 * ((hour - 19.5) / 2.2) ** 2)
    return 0.84 + morning + evening


def main() -> None:
    stamps = pd.date_range(START, pd.Timestamp(END) + pd.Timedelta(hours=23), freq="h")
    hour = stamps.hour.to_numpy() + 0.5
    month = stamps.month.to_numpy() - 1
    days = pd.date_range(START, END, freq="D")
    day_var = 1.0 + 0.06 * ar1(rng(SEED, 1), len(days), 0.7)
    day_index = (stamps.normalize() - days[0]).days.to_numpy()
    sunday = stamps.day_of_week.to_numpy() == 6
    shape = SEASON[month] * daily_shape(hour) * day_var[day_index] * np.where(sunday, 0.92, 1.0)
    air = AIR_T[month] + AIR_HALF_RANGE[month] * np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    sent, received, hours = {}, {}, {}
    for point, (kv, km, r20, mean_mw, rated_a) in LINES.items():
        on = np.ones(len(stamps), dtype=bool)
        if point in OUTAGES:
            a, b = OUTAGES[point]
            on &= ~((stamps >= a) & (stamps <= b))
        p_mw = np.where(on, mean_mw * shape, 0.0)
        current = p_mw * 1e6 / (np.sqrt(3) * kv * 1e3 * POWER_FACTOR)
        theta = air + TEMP_RISE_AT_RATED * (current / rated_a) ** 2
        resistance = r20 * (1 + ALPHA * (theta - 20.0)) * km
        loss_mw = 3 * current**2 * resistance / 1e6
        sent[point] = pd.Series(p_mw, index=stamps)
        received[point] = pd.Series(p_mw - loss_mw, index=stamps)
        hours[point] = int(on.sum())
    reads = pd.date_range(START, pd.Timestamp(END) + pd.Timedelta(days=1), freq="MS")
    sent_rows, recv_rows = [], []
    for point in LINES:
        s0, r0 = START_REGISTERS[point]
        for stamp in reads:
            before = stamps < stamp
            sent_rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), point, fmt(s0 + sent[point][before].sum(), 2), "MWh"])
            recv_rows.append([stamp.strftime("%Y-%m-%dT%H:%M:%S"), point, fmt(r0 + received[point][before].sum(), 2), "MWh"])
    write_csv(OUT / "sent-registers-2021.csv", ["timestamp", "point", "reading", "unit"], sent_rows)
    write_csv(OUT / "received-registers-2021.csv", ["timestamp", "point", "reading", "unit"], recv_rows)
    for point in LINES:
        e_sent, loss = sent[point].sum(), sent[point].sum() - received[point].sum()
        r_dc = LINES[point][2] * LINES[point][1]
        print(f"{point}: sent {e_sent:,.2f} MWh, loss {loss:,.2f} MWh ({loss / e_sent:.2%}), energised {hours[point]} h, DC resistance at 20 degC {r_dc:.4f} ohm")


if __name__ == "__main__":
    main()
