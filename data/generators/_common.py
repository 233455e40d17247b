"""Shared pieces of the example-data generators in this folder.

Each generator (``data/generators/<ID>.py``) writes the SYNTHETIC monitoring data of one
methodology's example into ``data/examples/<ID>/`` from a small, documented physical or
operational model. This module holds what several of them use:

- reproducible random streams (``numpy`` generators seeded per model component), used for
  weather and operating events, never as a substitute for the physics;
- solar geometry after Spencer (1971), the Haurwitz (1945) clear-sky irradiance, the Erbs et
  al. (1982) diffuse fraction and an isotropic-sky (Liu & Jordan 1963) plane-of-array model;
- a compact PV system model: module temperature (Faiman 2008 form), DC derate, inverter
  efficiency (Schmidt & Sauer 1996 loss form) and clipping at the AC rating;
- CSV writing with fixed number formatting and ``\\n`` line ends, so that the same model gives
  the same bytes on every run.

The same models are described, with references, in ``data/generate_examples.py`` (the TH_AM001
example); this is a compact version at hourly resolution with 5-minute sub-steps.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOLAR_CONSTANT = 1361.0  # W/m2, Kopp & Lean (2011)
SUBSTEPS_PER_HOUR = 12  # 5-minute sub-steps: sunrise and sunset are integrated, not sampled


def rng(seed: int, component: int) -> np.random.Generator:
    """An independent, reproducible random stream per model component."""
    return np.random.default_rng([seed, component])


def ar1(generator: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Zero-mean, unit-variance AR(1) series of length ``n`` with lag-1 correlation ``phi``."""
    shocks = generator.standard_normal(n) * np.sqrt(1.0 - phi * phi)
    out = np.empty(n)
    out[0] = generator.standard_normal()
    for k in range(1, n):
        out[k] = phi * out[k - 1] + shocks[k]
    return out


@dataclass(frozen=True)
class Site:
    """Location and monthly climate (index 0 = January) of a PV site."""

    latitude: float  # deg, north positive
    longitude: float  # deg, east positive
    standard_meridian: float  # deg: 15 x the UTC offset of local standard time
    kc_mean: Sequence[float]  # monthly mean daily clear-sky index GHI / GHI_Haurwitz [-]
    kc_sd: Sequence[float]  # its day-to-day standard deviation [-]
    ta_mean: Sequence[float]  # monthly mean ambient temperature [degC]
    ta_half_range: Sequence[float]  # half the mean diurnal range [K]
    kc_persistence: float = 0.45  # lag-1 autocorrelation of the daily index
    albedo: float = 0.2
    cloud_amplitude: float = 0.30  # intra-day spread of the index at Kc = 0.5
    cloud_timescale_min: float = 30.0


@dataclass(frozen=True)
class PVSystem:
    """One metered PV system: DC and AC ratings and its losses."""

    point: str
    dc_kwp: float
    ac_kw: float
    tilt: float  # deg, facing the equator
    dc_derate: float = 0.95  # soiling, mismatch, DC wiring, degradation
    ac_derate: float = 0.99  # AC cabling up to the meter
    gamma: float = -0.0037  # 1/K, power temperature coefficient
    u_value: float = 29.0  # W/m2K, heat loss coefficient of the module (free-standing rack)
    inverter_loss: tuple[float, float, float] = (0.005, 0.01, 0.015)  # L0, L1, L2 of the AC rating
    jitter_seed: int = 0


def sun(site: Site, day_of_year: np.ndarray, clock_hour: np.ndarray) -> dict[str, np.ndarray]:
    """Solar geometry after Spencer (1971): cos(zenith), declination, hour angle [rad] and the
    extraterrestrial irradiance on a horizontal plane [W/m2] at local standard time."""
    g = 2.0 * np.pi * (day_of_year - 1) / 365.0
    decl = (
        0.006918
        - 0.399912 * np.cos(g)
        + 0.070257 * np.sin(g)
        - 0.006758 * np.cos(2 * g)
        + 0.000907 * np.sin(2 * g)
        - 0.002697 * np.cos(3 * g)
        + 0.00148 * np.sin(3 * g)
    )
    eot_min = 229.18 * (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g) - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))
    eccentricity = 1.000110 + 0.034221 * np.cos(g) + 0.001280 * np.sin(g) + 0.000719 * np.cos(2 * g) + 0.000077 * np.sin(2 * g)
    solar_hour = clock_hour + (4.0 * (site.longitude - site.standard_meridian) + eot_min) / 60.0
    omega = np.radians(15.0 * (solar_hour - 12.0))
    phi = np.radians(site.latitude)
    cos_z = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(omega)
    return {"cos_z": cos_z, "decl": decl, "omega": omega, "g0h": SOLAR_CONSTANT * eccentricity * np.clip(cos_z, 0.0, None)}


def haurwitz(cos_z: np.ndarray) -> np.ndarray:
    """Clear-sky GHI [W/m2] of Haurwitz (1945); zero with the sun below the horizon."""
    cz = np.clip(cos_z, 1e-6, None)
    return np.where(cos_z > 0, 1098.0 * cz * np.exp(-0.059 / cz), 0.0)


def erbs_diffuse_fraction(kt: np.ndarray) -> np.ndarray:
    """Diffuse fraction of GHI from the clearness index, Erbs, Klein & Duffie (1982)."""
    mid = 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    return np.where(kt <= 0.22, 1.0 - 0.09 * kt, np.where(kt <= 0.80, mid, 0.165))


def daily_clear_sky_index(site: Site, days: pd.DatetimeIndex, generator: np.random.Generator) -> np.ndarray:
    """Daily clear-sky index: AR(1) weather around the monthly mean, each month's anomalies
    re-centred on zero so that the synthetic year is a typical one (Hall et al. 1978)."""
    month = days.month.to_numpy() - 1
    z = ar1(generator, len(days), site.kc_persistence)
    for m in range(12):
        if (month == m).any():
            z[month == m] -= z[month == m].mean()
    return np.clip(np.asarray(site.kc_mean)[month] + np.asarray(site.kc_sd)[month] * z, 0.10, 1.0)


@dataclass
class Weather:
    """Sub-step weather of a site: what every PV system of the site sees."""

    stamps: pd.DatetimeIndex  # interval starts (hourly)
    clock: np.ndarray  # sub-step local time [h]
    geo: dict[str, np.ndarray]
    ghi_cs: np.ndarray
    kc: np.ndarray  # sub-step clear-sky index (common cloud field)
    ta: np.ndarray  # ambient temperature [degC]
    kc_day: np.ndarray = field(default_factory=lambda: np.zeros(0))


def weather(site: Site, start: str, end: str, seed: int) -> Weather:
    """Hourly intervals from ``start`` 00:00 to ``end`` 23:00 (local standard time), with
    5-minute sub-steps of irradiance and temperature."""
    stamps = pd.date_range(start, pd.Timestamp(end) + pd.Timedelta(hours=23), freq="h")
    n = len(stamps)
    offsets = (np.arange(SUBSTEPS_PER_HOUR) + 0.5) / SUBSTEPS_PER_HOUR
    clock = ((stamps.hour.to_numpy())[:, None] + offsets[None, :]).ravel()
    doy = np.repeat(stamps.day_of_year.to_numpy(), SUBSTEPS_PER_HOUR)
    month = np.repeat(stamps.month.to_numpy() - 1, SUBSTEPS_PER_HOUR)
    days = pd.date_range(start, end, freq="D")
    day_index = np.repeat(((stamps.normalize() - days[0]).days).to_numpy(), SUBSTEPS_PER_HOUR)
    geo = sun(site, doy, clock)
    ghi_cs = haurwitz(geo["cos_z"])
    kc_day = daily_clear_sky_index(site, days, rng(seed, 1))[day_index]
    phi_cloud = np.exp(-(60.0 / SUBSTEPS_PER_HOUR) / site.cloud_timescale_min)
    spread = site.cloud_amplitude * 4.0 * kc_day * (1.0 - kc_day)
    kc = np.clip(kc_day + spread * ar1(rng(seed, 2), n * SUBSTEPS_PER_HOUR, phi_cloud), 0.03, 1.12)
    ta_mean = np.asarray(site.ta_mean)[month]
    ta = ta_mean + np.asarray(site.ta_half_range)[month] * np.cos(2 * np.pi * (clock - 15.0) / 24.0) + 3.0 * (kc_day - np.asarray(site.kc_mean)[month])
    return Weather(stamps, clock, geo, ghi_cs, kc, ta, kc_day)


def pv_ac_power(site: Site, w: Weather, system: PVSystem, seed: int) -> np.ndarray:
    """AC power [kW] of one system at every 5-minute sub-step."""
    jitter = ar1(rng(seed, 100 + system.jitter_seed), len(w.kc), 0.9)
    kc = np.clip(w.kc + 0.02 * jitter * (w.kc < 0.95), 0.03, 1.12)
    ghi = kc * w.ghi_cs
    kt = np.clip(np.divide(ghi, w.geo["g0h"], out=np.zeros_like(ghi), where=w.geo["g0h"] > 1.0), 0.0, 1.0)
    dhi = erbs_diffuse_fraction(kt) * ghi
    bhi = ghi - dhi
    # Plane tilted towards the equator (Duffie & Beckman 2013, sec. 1.6).
    sign = 1.0 if site.latitude >= 0 else -1.0
    phi, beta = np.radians(site.latitude), np.radians(system.tilt)
    cos_inc = np.sin(w.geo["decl"]) * np.sin(phi - sign * beta) + np.cos(w.geo["decl"]) * np.cos(phi - sign * beta) * np.cos(w.geo["omega"])
    cos_inc = np.clip(cos_inc, 0.0, None)
    rb = np.divide(cos_inc, w.geo["cos_z"], out=np.zeros_like(cos_inc), where=w.geo["cos_z"] > 0.087)
    iam = np.clip(1.0 - 0.05 * (1.0 / np.clip(cos_inc, 1e-3, None) - 1.0), 0.0, 1.0)
    poa = bhi * rb * iam + dhi * (1 + np.cos(beta)) / 2 * 0.95 + ghi * site.albedo * (1 - np.cos(beta)) / 2 * 0.9
    t_cell = w.ta + 0.9 * (1 - 0.2) * poa / system.u_value
    p_dc = system.dc_kwp * poa / 1000.0 * (1 + system.gamma * (t_cell - 25.0)) * system.dc_derate
    p_dc = np.clip(p_dc, 0.0, None)
    l0, l1, l2 = system.inverter_loss
    x = p_dc / system.ac_kw
    p_ac = np.where(p_dc > l0 * system.ac_kw, (x - (l0 + l1 * x + l2 * x * x)) * system.ac_kw, 0.0)
    return np.clip(p_ac, 0.0, system.ac_kw) * system.ac_derate


def daily_pv_kwh(site: Site, w: Weather, system: PVSystem, seed: int, n_days: int) -> np.ndarray:
    """AC energy [kWh] of one system per day, from its 5-minute sub-step power [kW]."""
    return pv_ac_power(site, w, system, seed).reshape(n_days, -1).sum(axis=1) * (5.0 / 60.0)


def daily_kwh_rows(days: pd.DatetimeIndex, points: Sequence[str], daily: dict[str, np.ndarray], gap_days: dict[str, tuple[str, str]]) -> tuple[list[list[str]], dict[str, float]]:
    """Daily meter rows ``timestamp, point, value (kWh, 0.1), unit`` and each point's total.

    A point's days inside its ``gap_days`` (first, last, inclusive) are left out: the data gap.
    """
    rows, totals = [], dict.fromkeys(points, 0.0)
    for k, day in enumerate(days):
        for point in points:
            gap = gap_days.get(point)
            if gap and gap[0] <= day.strftime("%Y-%m-%d") <= gap[1]:
                continue
            value = float(np.round(daily[point][k], 1))
            totals[point] += value
            rows.append([day.strftime("%Y-%m-%dT00:00:00"), point, fmt(value, 1), "kWh"])
    return rows, totals


def hourly_energy(power_substeps: np.ndarray) -> np.ndarray:
    """5-minute sub-step power [kW] -> energy per hour [kWh] (the mean power over the hour)."""
    return power_substeps.reshape(-1, SUBSTEPS_PER_HOUR).mean(axis=1)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write rows with ``\\n`` line ends; returns the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def fmt(value: float, decimals: int = 3) -> str:
    """Fixed decimals, and never '-0.000'."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text
