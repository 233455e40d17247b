"""Generate the SYNTHETIC example monitoring data shipped with jcmwb.

Run from the repository root::

    .venv/bin/python data/generate_examples.py

It (re)writes, byte for byte the same on every run (seeded ``numpy`` generators, fixed
formatting, ``\\n`` line ends):

``data/examples/TH_AM001/generation-2021.csv``
    15-minute AC energy of a 5 MW(AC) floating solar PV plant in central Thailand, two
    inverter blocks, calendar year 2021, ``interval`` format (``timestamp,point,value,unit``).
``data/examples/ID_AM002/chiller-2021-register.csv``
    monthly cumulative electricity-register readings of two centrifugal chillers in a
    Jakarta office building, ``register`` format (``timestamp,point,reading,unit``).
``data/examples/ID_AM002/chiller-2021-monthly.csv``
    the same monthly energy in the ``monthly`` format (``month,point,value,unit``).

None of these numbers is a measurement. They come from simple, documented physical models
so that the examples behave like real plant data (seasons, clouds, clipping, holidays,
data gaps); they are not data of any JCM project and must never be cited as such.

Solar PV model (TH_AM001)
-------------------------
Per 5-minute sub-step (three per 15-minute interval, averaged, so that sunrise and sunset
are integrated rather than sampled):

1. Sun position. Day angle, declination, equation of time and the eccentricity correction
   from the Fourier series of Spencer (1971); apparent solar time from local clock time
   (UTC+7, no daylight saving) with the longitude correction to the 105 E standard
   meridian; hour angle; cosine of the zenith angle (Duffie & Beckman 2013, sec. 1.6).
2. Clear-sky global horizontal irradiance (GHI) from Haurwitz (1945):
   ``GHI_cs = 1098 cos(Z) exp(-0.059 / cos(Z))`` [W/m2]. It needs no atmospheric inputs;
   the humid, hazy tropical atmosphere is accounted for by the clear-sky index below.
3. Weather. A daily clear-sky index ``Kc = GHI / GHI_cs`` follows a seeded AR(1) process
   (the continuous counterpart of the Markov-chain daily-radiation generators of Aguiar,
   Collares-Pereira & Conde 1988) around a monthly mean that encodes the monsoon: clear
   dry season (Nov-Feb), hazy hot season (Mar-Apr), cloudy south-west monsoon (May-Oct).
   Within the day an AR(1) cloud process at 5 minutes adds variability, largest on
   broken-cloud days, plus an afternoon convective-cloud term in the wet season.
   The monthly means follow a design target of about 1,800 kWh/m2 a year of GHI, the
   order reported for the central plain of Thailand (Janjai et al. 2005); each month's
   daily anomalies are re-centred so the synthetic year is a typical one (the idea of
   the typical meteorological year, Hall et al. 1978). Not site data.
4. Plane of array. Diffuse fraction from the Erbs, Klein & Duffie (1982) correlation on
   the clearness index; beam on a 12-degree, south-facing plane (Duffie & Beckman 2013,
   sec. 1.6, surfaces sloped towards the equator); isotropic sky diffuse and ground (water)
   reflection (Liu & Jordan 1963); ASHRAE incidence-angle modifier on the beam
   (Souka & Safwat 1966), and on sky-diffuse and ground-reflected light at the equivalent
   angles of Brandemuehl & Beckman (1980).
5. Module temperature. Steady-state heat balance ``Tc = Ta + alpha (1 - eta) POA / U``
   (Faiman 2008 without the wind term, as in PVsyst) with a heat-loss coefficient higher than for land-based racks because floating arrays
   run cooler (e.g. Dorenkamper et al. 2021); ambient temperature from approximate monthly
   climatology with a diurnal cosine, cooler on cloudy days.
6. DC power: STC rating x POA / 1000 x (1 + gamma (Tc - 25)) x DC losses (soiling,
   mismatch, wiring, first-year degradation).
7. Inverter: loss model of Schmidt & Sauer (1996) (self-consumption + linear + quadratic
   terms), output clipped at the block's AC rating (DC/AC ratio 1.2); AC cable and
   step-up transformer losses up to the revenue meter of each block.

Gaps (rows simply absent, as a logger leaves them) are listed in ``TH_GAPS``.

Chiller model (ID_AM002)
------------------------
Hourly, over the year: building operating hours and occupancy by day type (working day,
Saturday, Sunday/public holiday, Ramadan, the Lebaran (Eid al-Fitr) leave week, COVID-19
restriction months of 2021), cooling load = internal gains x occupancy + envelope and
fresh-air load driven by approximate monthly Jakarta climatology + solar gain; two chillers
(CH-1 500 USRt, CH-2 800 USRt) staged by load; electric power from the rated COP, a
part-load curve of the DOE-2 quadratic form and a condenser-water (wet-bulb) correction.
Monthly energies are accumulated into meter registers read at 00:00 on the first of
each month; CH-2's register counts in units of 10 kWh (``multipliers: {CH-2: 10}``).

References
----------
- Aguiar, R. J., Collares-Pereira, M., Conde, J. P. (1988). Simple procedure for
  generating sequences of daily radiation values using a library of Markov transition
  matrices. Solar Energy 40(3), 269-279.
- Brandemuehl, M. J., Beckman, W. A. (1980). Transmission of diffuse radiation through
  CPC and flat plate collector glazings. Solar Energy 24(5), 511-513.
- Dorenkamper, M. et al. (2021). The cooling effect of floating PV in two different
  climate zones: a comparison of field test data from the Netherlands and Singapore.
  Solar Energy 214, 239-247.
- Duffie, J. A., Beckman, W. A. (2013). Solar Engineering of Thermal Processes, 4th ed.
- Erbs, D. G., Klein, S. A., Duffie, J. A. (1982). Estimation of the diffuse radiation
  fraction for hourly, daily and monthly-average global radiation. Solar Energy 28(4).
- Hall, I. J., Prairie, R. R., Anderson, H. E., Boes, E. C. (1978). Generation of a
  typical meteorological year. Sandia Laboratories, SAND78-1096C.
- Faiman, D. (2008). Assessing the outdoor operating temperature of photovoltaic modules.
  Progress in Photovoltaics 16(4), 307-315.
- Haurwitz, B. (1945). Insolation in relation to cloudiness and cloud density.
  Journal of Meteorology 2, 154-166.
- Janjai, S. et al. (2005). Development of a method for generating operational solar
  radiation maps from satellite data for a tropical environment. Solar Energy 78(6).
- Kopp, G., Lean, J. L. (2011). A new, lower value of total solar irradiance: evidence and
  climate significance. Geophysical Research Letters 38, L01706.
- Liu, B. Y. H., Jordan, R. C. (1963). The long-term average performance of flat-plate
  solar-energy collectors. Solar Energy 7(2).
- Schmidt, H., Sauer, D. U. (1996). Wechselrichter-Wirkungsgrade. Sonnenenergie 4/1996.
- Souka, A. F., Safwat, H. H. (1966). Determination of the optimum orientations for the
  double-exposure, flat-plate collector and its reflectors. Solar Energy 10(4).
- Spencer, J. W. (1971). Fourier series representation of the position of the sun.
  Search 2(5), 172.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent / "generators"))
from _common import ar1, rng  # noqa: E402  (one random-stream and AR(1) model for every generator)

ROOT = Path(__file__).resolve().parent
EXAMPLES = ROOT / "examples"
YEAR = 2021
SEED = 20210101  # one master seed; each model component draws from its own child stream

# --------------------------------------------------------------------------------------
# TH_AM001: 5 MW(AC) floating solar PV, central Thailand
# --------------------------------------------------------------------------------------
LATITUDE = 14.0  # deg N: central plain of Thailand (a reservoir north of Bangkok)
LONGITUDE = 100.6  # deg E
STANDARD_MERIDIAN = 105.0  # deg E: UTC+7 (Indochina Time, no daylight saving)
TILT = 12.0  # deg: floating systems use low tilts (wind load on floats); ~lat - 2 deg
ALBEDO = 0.08  # open water reflects 5-10 % at moderate sun heights
SOLAR_CONSTANT = 1361.0  # W/m2, Kopp & Lean (2011)
SUBSTEPS = 3  # 5-minute sub-steps per 15-minute interval

# Design target: monthly mean daily GHI [kWh/m2/day] with the seasonal shape of the central
# plain (highest March-April before the monsoon, lowest September-December), about
# 1,800 kWh/m2 a year (Janjai et al. 2005 report annual means of this order). Indicative.
GHI_TARGET = np.array([4.6, 5.0, 5.4, 5.6, 5.2, 4.9, 4.7, 4.6, 4.5, 4.5, 4.5, 4.4])
# Monthly mean daily clear-sky index (GHI / Haurwitz GHI) giving GHI_TARGET: the ratio of
# GHI_TARGET to the month's Haurwitz irradiation (5.85 kWh/m2/day in January ... 8.02 in
# June at 14 N), plus 0.4 x CONVECTIVE to offset the afternoon-cloud term below.
# Dry season clear, March-April burning-season haze, south-west monsoon (May-October) cloudy.
KC_MEAN = np.array([0.79, 0.76, 0.75, 0.74, 0.69, 0.65, 0.63, 0.63, 0.64, 0.69, 0.76, 0.78])
KC_SD = np.array([0.09, 0.10, 0.11, 0.12, 0.16, 0.17, 0.17, 0.18, 0.18, 0.17, 0.13, 0.10])
KC_PERSISTENCE = 0.45  # lag-1 autocorrelation of the daily index (weather lasts a few days)
KC_LIMITS = (0.12, 1.0)  # a day is never totally dark nor clearer than the clear-sky model
CLOUD_AMPLITUDE = 0.32  # intra-day spread at Kc = 0.5, scaled by 4 Kc (1 - Kc)
CLOUD_TIMESCALE_MIN = 30.0  # decorrelation time of cloud cover within the day
BLOCK_JITTER = 0.35  # share of intra-day spread that differs between blocks (cloud edges)
KC_INSTANT_LIMITS = (0.03, 1.12)  # >1: short cloud-enhancement events at cloud edges
# Afternoon thunderstorm clouds during the wet season: reduction of Kc, peaking mid-afternoon.
CONVECTIVE = np.array([0.0, 0.0, 0.02, 0.05, 0.10, 0.10, 0.10, 0.12, 0.12, 0.10, 0.04, 0.0])

# Ambient air temperature (deg C): approximate monthly means and diurnal half-ranges of the
# central plain; warmest April, coolest December-January; smaller diurnal range in the monsoon.
TA_MEAN = np.array([26.8, 28.4, 29.6, 30.6, 30.2, 29.6, 29.2, 28.9, 28.4, 28.1, 27.8, 26.6])
TA_HALF_RANGE = np.array([5.0, 4.8, 4.5, 4.3, 3.8, 3.3, 3.2, 3.2, 3.2, 3.5, 4.2, 5.0])
TA_PEAK_HOUR = 15.0  # local time of the daily maximum
TA_CLOUD_COUPLING = 3.0  # K per unit of Kc anomaly: cloudy days are cooler

# Module temperature (PVsyst/Faiman form). U = 35 W/m2K for floats on water vs ~29 for a
# free-standing land rack; alpha = absorptance, eta = module efficiency.
U_VALUE = 35.0
ABSORPTANCE = 0.9
MODULE_EFFICIENCY = 0.20
GAMMA_PMAX = -0.0035  # 1/K: typical mono-crystalline PERC data sheet value
IAM_B0 = 0.05  # ASHRAE incidence-angle modifier coefficient for glass-covered modules
# Sky-diffuse and ground-reflected light arrive at oblique angles: Brandemuehl & Beckman (1980)
# equivalent incidence angles for a plane of tilt beta (Duffie & Beckman 2013, ch. 5).
THETA_SKY = 59.7 - 0.1388 * TILT + 0.001497 * TILT**2  # deg
THETA_GROUND = 90.0 - 0.5788 * TILT + 0.002693 * TILT**2  # deg

# DC losses, multiplicative: soiling (bird droppings on floats, rain-washed), mismatch,
# DC cabling, first-year light-induced and initial degradation.
SOILING = 0.02
MISMATCH = 0.01
DC_WIRING = 0.015
DEGRADATION = 0.015
# Inverter losses as fractions of the AC rating: P_loss = L0 + L1 p + L2 p^2 (p = P_dc / P_ac,rated).
INV_L0, INV_L1, INV_L2 = 0.004, 0.008, 0.015  # peak efficiency ~97.6 % near half load
AC_WIRING = 0.01  # LV cables inverter -> transformer
TRANSFORMER = 0.01  # load losses of the step-up transformer; the meter is on its MV side


@dataclass(frozen=True)
class Block:
    point: str
    dc_kwp: float
    ac_kw: float
    extra_soiling: float  # block-specific difference: PV-2 lies near a bird roost


BLOCKS = (
    Block("PV-1", 3000.0, 2500.0, 0.000),
    Block("PV-2", 3000.0, 2500.0, 0.005),
)

# Data gaps: (point, first missing interval start, last missing interval start, why).
TH_GAPS = (
    ("PV-2", "2021-03-17T08:30", "2021-03-17T13:15", "communications outage (fibre link to block 2 logger)"),
    ("PV-1", "2021-07-14T00:00", "2021-07-14T23:45", "inverter trip; its logger, fed from the inverter auxiliary supply, recorded nothing that day"),
    ("PV-1", "2021-10-22T11:00", "2021-10-22T11:45", "meter data loss (data concentrator restart)"),
    ("PV-2", "2021-10-22T11:00", "2021-10-22T11:45", "meter data loss (data concentrator restart)"),
)


def _ashrae_iam(theta_deg: float) -> float:
    """ASHRAE incidence-angle modifier 1 - b0 (1/cos(theta) - 1), floored at zero."""
    return max(0.0, 1.0 - IAM_B0 * (1.0 / np.cos(np.radians(theta_deg)) - 1.0))


IAM_SKY = _ashrae_iam(THETA_SKY)
IAM_GROUND = _ashrae_iam(THETA_GROUND)


def _rng(component: int) -> np.random.Generator:
    """An independent, reproducible stream per model component (the generators' shared helper)."""
    return rng(SEED, component)


def sun(day_of_year: np.ndarray, clock_hour: np.ndarray) -> dict[str, np.ndarray]:
    """Solar geometry after Spencer (1971).

    Parameters
    ----------
    day_of_year : day number 1..365 [-]
    clock_hour : local standard time (UTC+7) in decimal hours [h]

    Returns cos(zenith), declination [rad], hour angle [rad] and the extraterrestrial
    irradiance on a horizontal plane [W/m2].
    """
    g = 2.0 * np.pi * (day_of_year - 1) / 365.0  # day angle
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
    # 4 minutes of time per degree of longitude west of the standard meridian.
    solar_hour = clock_hour + (4.0 * (LONGITUDE - STANDARD_MERIDIAN) + eot_min) / 60.0
    omega = np.radians(15.0 * (solar_hour - 12.0))
    phi = np.radians(LATITUDE)
    cos_z = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(omega)
    g0h = SOLAR_CONSTANT * eccentricity * np.clip(cos_z, 0.0, None)
    return {"cos_z": cos_z, "decl": decl, "omega": omega, "g0h": g0h}


def haurwitz(cos_z: np.ndarray) -> np.ndarray:
    """Clear-sky GHI [W/m2] of Haurwitz (1945); zero with the sun below the horizon."""
    cz = np.clip(cos_z, 1e-6, None)
    return np.where(cos_z > 0, 1098.0 * cz * np.exp(-0.059 / cz), 0.0)


def erbs_diffuse_fraction(kt: np.ndarray) -> np.ndarray:
    """Diffuse fraction of GHI from the clearness index, Erbs et al. (1982)."""
    mid = 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    return np.where(kt <= 0.22, 1.0 - 0.09 * kt, np.where(kt <= 0.80, mid, 0.165))


def _daily_clear_sky_index(days: pd.DatetimeIndex) -> np.ndarray:
    """Daily clear-sky index: AR(1) weather around the monthly mean.

    One synthetic year can stray far from climate (a month of persistent cloud); as in
    typical-meteorological-year practice (Hall et al. 1978) the example should be a typical
    year, so each month's anomalies are re-centred on zero: the day-to-day variability and
    persistence stay, the monthly mean is the design value.
    """
    month = days.month.to_numpy() - 1
    z = ar1(_rng(1), len(days), KC_PERSISTENCE)
    for m in range(12):
        z[month == m] -= z[month == m].mean()
    return np.clip(KC_MEAN[month] + KC_SD[month] * z, *KC_LIMITS)


def simulate_pv() -> pd.DataFrame:
    """15-minute AC energy [kWh] per block for the whole year (before gaps are cut)."""
    starts = pd.date_range(f"{YEAR}-01-01", f"{YEAR + 1}-01-01", freq="15min", inclusive="left")
    n = len(starts)
    step_h = 0.25 / SUBSTEPS
    # Sub-step mid-points: 2.5, 7.5 and 12.5 minutes after each interval start.
    offsets_h = (np.arange(SUBSTEPS) + 0.5) * step_h
    start_hour = (starts.hour + starts.minute / 60.0).to_numpy()
    clock = (start_hour[:, None] + offsets_h[None, :]).ravel()
    doy = np.repeat(starts.day_of_year.to_numpy(), SUBSTEPS)
    month = np.repeat(starts.month.to_numpy() - 1, SUBSTEPS)
    day_index = doy - 1

    geo = sun(doy, clock)
    cos_z = geo["cos_z"]
    ghi_cs = haurwitz(cos_z)

    days = pd.date_range(f"{YEAR}-01-01", periods=365, freq="D")
    kc_day = _daily_clear_sky_index(days)[day_index]
    phi_cloud = np.exp(-(step_h * 60.0) / CLOUD_TIMESCALE_MIN)
    spread = CLOUD_AMPLITUDE * 4.0 * kc_day * (1.0 - kc_day)
    common = ar1(_rng(2), len(clock), phi_cloud)
    # Afternoon convection: a half-sine bump between 11:00 and 19:00, peak at 15:00.
    bump = np.clip(np.sin(np.pi * (clock - 11.0) / 8.0), 0.0, None) * ((clock > 11.0) & (clock < 19.0))
    convective = CONVECTIVE[month] * bump

    # Ambient temperature with a small day-to-day anomaly tied to cloudiness.
    ta = TA_MEAN[month] + TA_HALF_RANGE[month] * np.cos(2 * np.pi * (clock - TA_PEAK_HOUR) / 24.0)
    ta = ta + TA_CLOUD_COUPLING * (kc_day - KC_MEAN[month])

    phi = np.radians(LATITUDE)
    beta = np.radians(TILT)
    cos_inc = np.sin(geo["decl"]) * np.sin(phi - beta) + np.cos(geo["decl"]) * np.cos(phi - beta) * np.cos(geo["omega"])
    cos_inc = np.clip(cos_inc, 0.0, None)
    iam = np.clip(1.0 - IAM_B0 * (1.0 / np.clip(cos_inc, 1e-3, None) - 1.0), 0.0, 1.0)

    out = {}
    for k, block in enumerate(BLOCKS):
        own = ar1(_rng(10 + k), len(clock), phi_cloud)
        noise = np.sqrt(1.0 - BLOCK_JITTER**2) * common + BLOCK_JITTER * own
        kc = np.clip(kc_day + spread * noise - convective, *KC_INSTANT_LIMITS)
        ghi = kc * ghi_cs
        kt = np.clip(np.divide(ghi, geo["g0h"], out=np.zeros_like(ghi), where=geo["g0h"] > 1.0), 0.0, 1.0)
        dhi = erbs_diffuse_fraction(kt) * ghi
        # Below 5 degrees of sun height treat everything as diffuse: DNI = beam / cos(Z) blows up.
        dni = np.where(cos_z > 0.087, (ghi - dhi) / np.clip(cos_z, 0.087, None), 0.0)
        dhi = np.where(cos_z > 0.087, dhi, ghi)
        poa = dni * cos_inc * iam + dhi * (1 + np.cos(beta)) / 2 + ghi * ALBEDO * (1 - np.cos(beta)) / 2
        # Irradiance reaching the cells: the incidence-angle modifier on each component.
        poa_eff = dni * cos_inc * iam + dhi * (1 + np.cos(beta)) / 2 * IAM_SKY + ghi * ALBEDO * (1 - np.cos(beta)) / 2 * IAM_GROUND
        t_cell = ta + ABSORPTANCE * (1 - MODULE_EFFICIENCY) * poa / U_VALUE
        dc_derate = (1 - SOILING - block.extra_soiling) * (1 - MISMATCH) * (1 - DC_WIRING) * (1 - DEGRADATION)
        p_dc = block.dc_kwp * poa_eff / 1000.0 * (1 + GAMMA_PMAX * (t_cell - 25.0)) * dc_derate
        load = p_dc / block.ac_kw
        loss = block.ac_kw * (INV_L0 + INV_L1 * load + INV_L2 * load**2)
        p_ac = np.clip(p_dc - loss, 0.0, block.ac_kw)  # clipping at the block's AC rating
        p_meter = p_ac * (1 - AC_WIRING) * (1 - TRANSFORMER)
        energy = p_meter.reshape(n, SUBSTEPS).sum(axis=1) * step_h  # kWh per 15 minutes
        out[block.point] = energy
        if k == 0:
            out["_ghi"] = ghi.reshape(n, SUBSTEPS).sum(axis=1) * step_h / 1000.0  # kWh/m2, for the summary only
            out["_poa"] = poa.reshape(n, SUBSTEPS).sum(axis=1) * step_h / 1000.0
            out["_clip"] = (np.clip(p_dc - loss, 0.0, None) - p_ac).reshape(n, SUBSTEPS).sum(axis=1) * step_h
    return pd.DataFrame(out, index=starts)


def _th_rows(sim: pd.DataFrame) -> pd.DataFrame:
    """Long table in the interval format, with the documented gaps cut out."""
    frames = []
    for block in BLOCKS:
        frame = pd.DataFrame({"ts": sim.index, "point": block.point, "value": np.round(sim[block.point].to_numpy(), 3)})
        for point, first, last, _ in TH_GAPS:
            if point == block.point:
                frame = frame[~((frame["ts"] >= pd.Timestamp(first)) & (frame["ts"] <= pd.Timestamp(last)))]
        frames.append(frame)
    # Sorted by time, then block: the order a plant SCADA export typically has.
    table = pd.concat(frames).sort_values(["ts", "point"], kind="stable")
    table["value"] = table["value"] + 0.0  # turn any -0.0 into 0.0 before formatting
    return table


def write_th(folder: Path) -> dict[str, Any]:
    sim = simulate_pv()
    table = _th_rows(sim)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["timestamp,point,value,unit"]
    stamps = table["ts"].dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
    lines += [f"{t},{p},{v:.3f},kWh" for t, p, v in zip(stamps, table["point"].to_numpy(), table["value"].to_numpy())]
    (folder / "generation-2021.csv").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    totals = {b.point: float(table.loc[table["point"] == b.point, "value"].sum()) for b in BLOCKS}
    totals["_ghi_kwh_m2"] = float(sim["_ghi"].sum())
    totals["_poa_kwh_m2"] = float(sim["_poa"].sum())
    totals["_clipped_kwh"] = float(sim["_clip"].sum())
    totals["_ungapped_kwh"] = float(sum(sim[b.point].sum() for b in BLOCKS))
    ghi = sim["_ghi"].resample("ME").sum()
    totals["_ghi_daily"] = (ghi / ghi.index.day).to_numpy()
    return totals


# --------------------------------------------------------------------------------------
# ID_AM002: two centrifugal chillers in a Jakarta office building
# --------------------------------------------------------------------------------------
KW_PER_USRT = 3.516853  # 1 US refrigeration ton = 12,000 Btu/h


@dataclass(frozen=True)
class Chiller:
    point: str
    capacity_usrt: float
    cop_rated: float  # at the methodology's standardized conditions (what fixed.COP_PJ_i holds)
    multiplier: int  # register unit in kWh: actual kWh = reading x multiplier
    first_reading: int  # register at 2021-01-01 00:00 (meter installed at commissioning)


CHILLERS = (
    Chiller("CH-1", 500.0, 6.30, 1, 1_482_306),
    Chiller("CH-2", 800.0, 6.45, 10, 231_874),
)

# Approximate monthly climatology of Jakarta: mean dry-bulb temperature [deg C], mean
# wet-bulb [deg C] and the fraction of possible sunshine [-] (rainy season Dec-Mar,
# drier and sunnier Jun-Sep). Indicative values, not station data.
JKT_T_MEAN = np.array([27.0, 27.0, 27.6, 28.1, 28.4, 28.0, 27.8, 28.1, 28.5, 28.6, 28.2, 27.7])
JKT_T_WETBULB = np.array([25.0, 25.0, 25.3, 25.6, 25.6, 25.2, 24.8, 24.7, 25.0, 25.3, 25.4, 25.2])
JKT_SUNSHINE = np.array([0.40, 0.45, 0.55, 0.60, 0.62, 0.62, 0.68, 0.70, 0.68, 0.60, 0.52, 0.48])
DAYTIME_RISE = 3.0  # K: mean outdoor temperature during office hours above the 24-h mean

# Cooling load during operating hours [USRt]. Internal gains (people, lighting, plug loads,
# latent load of fresh air) scale with occupancy; the envelope/ventilation term with the
# outdoor-indoor temperature difference; the solar term with sunshine.
LOAD_INTERNAL = 560.0  # at full occupancy
LOAD_UA = 38.0  # USRt per K (envelope conduction + sensible fresh-air load)
T_INDOOR = 24.0  # deg C setpoint
LOAD_SOLAR = 180.0  # at 100 % sunshine
LOAD_NOISE = 0.06  # day-to-day weather/occupancy noise (relative, AR(1))
# Hourly shape over the operating day: pull-down in the first hour, afternoon peak.
PULL_DOWN = 1.15
AFTERNOON_PEAK = 0.12

# Staging: CH-1 (small) alone at low load, CH-2 (large) alone at medium load, both above.
STAGE_SMALL_MAX = 0.90 * 500.0
STAGE_LARGE_MAX = 0.92 * 800.0

# Part-load electric input ratio EIR(PLR) = a + b PLR + c PLR^2 (DOE-2 form, = 1 at full
# load): efficiency best near 60-80 % load, as for centrifugal chillers at constant
# condenser water temperature. Indicative coefficients, not a manufacturer's curve.
EIR_A, EIR_B, EIR_C = 0.20, 0.35, 0.45
# Condenser-water correction: towers in Jakarta run above the AHRI 550/590 rating condition
# (29.4 deg C entering condenser water), so power rises with the wet-bulb temperature.
EIR_SITE = 1.06
EIR_PER_K_WETBULB = 0.02
WETBULB_REF = 25.0
AUXILIARY_KW = 4.0  # controls, oil pump and heater on the chiller's own metered supply, while running


def _day_types(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Operating start/end hour and occupancy per day.

    Office tower with a retail podium. Working days 07:00-19:00; Saturdays 08:00-14:00
    at partial occupancy; Sundays and public holidays retail only. Calendar of 2021 (for
    load shaping only): national holidays as gazetted, Ramadan 13 April - 12 May (offices
    close an hour early), Lebaran leave 10-19 May, and the COVID-19 restrictions of
    July-August 2021 in Jakarta (PPKM), when offices worked largely from home.
    """
    holidays = {
        "2021-01-01", "2021-02-12", "2021-03-11", "2021-04-02", "2021-05-13", "2021-05-14",
        "2021-05-26", "2021-06-01", "2021-07-20", "2021-08-11", "2021-08-17", "2021-10-20",
        "2021-12-24", "2021-12-25",
    }  # fmt: skip
    start = np.empty(len(days))
    end = np.empty(len(days))
    occupancy = np.empty(len(days))
    for k, day in enumerate(days):
        iso = day.strftime("%Y-%m-%d")
        if iso in holidays or day.day_of_week == 6:
            start[k], end[k], occupancy[k] = 10.0, 21.0, 0.25  # retail podium only
        elif day.day_of_week == 5:
            start[k], end[k], occupancy[k] = 8.0, 14.0, 0.55
        else:
            start[k], end[k], occupancy[k] = 7.0, 19.0, 1.0
            if dt.date(2021, 4, 13) <= day.date() <= dt.date(2021, 5, 12):
                end[k] = 18.0  # Ramadan: shorter office hours
        if dt.date(2021, 5, 10) <= day.date() <= dt.date(2021, 5, 19):
            occupancy[k] *= 0.45  # Lebaran: most staff on leave (mudik)
        if day.month == 7:
            occupancy[k] *= 0.55  # emergency restrictions (PPKM Darurat / level 4)
        elif day.month == 8:
            occupancy[k] *= 0.70  # restrictions eased step by step
        elif day.month == 9:
            occupancy[k] *= 0.85
    return start, end, occupancy


def _eir(plr: np.ndarray, wetbulb: float) -> np.ndarray:
    return (EIR_A + EIR_B * plr + EIR_C * plr**2) * EIR_SITE * (1.0 + EIR_PER_K_WETBULB * (wetbulb - WETBULB_REF))


def simulate_chillers() -> dict[str, np.ndarray]:
    """Electricity [kWh] per chiller and calendar month of 2021."""
    days = pd.date_range(f"{YEAR}-01-01", periods=365, freq="D")
    start, end, occupancy = _day_types(days)
    noise = 1.0 + LOAD_NOISE * ar1(_rng(20), len(days), 0.6)
    monthly = {c.point: np.zeros(12) for c in CHILLERS}
    hours = np.arange(24) + 0.5  # hour mid-points
    for k, day in enumerate(days):
        m = day.month - 1
        envelope = LOAD_UA * (JKT_T_MEAN[m] + DAYTIME_RISE - T_INDOOR)
        base = (LOAD_INTERNAL * occupancy[k] + envelope + LOAD_SOLAR * JKT_SUNSHINE[m]) * noise[k]
        running = (hours > start[k]) & (hours < end[k])
        # Afternoon peak (half-sine over the operating day) and pull-down in the first hour.
        frac = (hours - start[k]) / (end[k] - start[k])
        shape = 1.0 + AFTERNOON_PEAK * np.sin(np.pi * np.clip(frac, 0, 1) ** 1.3)
        shape[running.argmax()] *= PULL_DOWN
        load = np.where(running, base * shape, 0.0)
        for h in np.nonzero(running)[0]:
            q = load[h]
            if q <= STAGE_SMALL_MAX:
                split = {"CH-1": q, "CH-2": 0.0}
            elif q <= STAGE_LARGE_MAX:
                split = {"CH-1": 0.0, "CH-2": q}
            else:  # both running, load shared in proportion to capacity
                split = {c.point: q * c.capacity_usrt / 1300.0 for c in CHILLERS}
            for c in CHILLERS:
                if split[c.point] <= 0:
                    continue
                plr = min(split[c.point] / c.capacity_usrt, 1.0)
                full_kw = c.capacity_usrt * KW_PER_USRT / c.cop_rated
                monthly[c.point][m] += full_kw * float(_eir(np.array(plr), JKT_T_WETBULB[m])) + AUXILIARY_KW
    return monthly


def write_id(folder: Path) -> dict[str, np.ndarray]:
    """Register readings (13 per chiller) and the equivalent monthly table."""
    monthly = simulate_chillers()
    folder.mkdir(parents=True, exist_ok=True)
    stamps = [dt.datetime(YEAR, m, 1) for m in range(1, 13)] + [dt.datetime(YEAR + 1, 1, 1)]
    register_lines = ["timestamp,point,reading,unit"]
    month_lines = ["month,point,value,unit"]
    metered: dict[str, np.ndarray] = {}
    readings: dict[str, list[int]] = {}
    for c in CHILLERS:
        # The register shows whole units of ``multiplier`` kWh; rounding the running total
        # (not each month) is what a real register does.
        cumulative = np.concatenate([[0.0], np.cumsum(monthly[c.point])])
        readings[c.point] = [c.first_reading + int(np.floor(x / c.multiplier)) for x in cumulative]
        metered[c.point] = np.diff(np.array(readings[c.point], dtype=np.int64)) * c.multiplier
    for stamp_index, stamp in enumerate(stamps):
        for c in CHILLERS:
            register_lines.append(f"{stamp:%Y-%m-%dT%H:%M:%S},{c.point},{readings[c.point][stamp_index]},kWh")
    for m in range(12):
        for c in CHILLERS:
            month_lines.append(f"{YEAR}-{m + 1:02d},{c.point},{int(metered[c.point][m])},kWh")
    (folder / "chiller-2021-register.csv").write_text("\n".join(register_lines) + "\n", encoding="utf-8", newline="\n")
    (folder / "chiller-2021-monthly.csv").write_text("\n".join(month_lines) + "\n", encoding="utf-8", newline="\n")
    return metered


def main() -> None:
    th = write_th(EXAMPLES / "TH_AM001")
    dc_kwp = sum(b.dc_kwp for b in BLOCKS)
    print("TH_AM001 generation-2021.csv (synthetic)")
    print(f"  GHI {th['_ghi_kwh_m2']:,.0f} kWh/m2, POA {th['_poa_kwh_m2']:,.0f} kWh/m2 (block PV-1)")
    print("  GHI kWh/m2/day by month " + " ".join(f"{v:.2f}" for v in th["_ghi_daily"]) + " (target " + " ".join(f"{v:.1f}" for v in GHI_TARGET) + ")")
    for b in BLOCKS:
        print(f"  {b.point}: {th[b.point] / 1000:,.3f} MWh recorded")
    print(f"  specific yield without gaps {th['_ungapped_kwh'] / dc_kwp:,.0f} kWh/kWp; clipped (PV-1) {th['_clipped_kwh'] / 1000:,.1f} MWh")
    for point, first, last, why in TH_GAPS:
        print(f"  gap {point} {first} .. {last}: {why}")
    metered = write_id(EXAMPLES / "ID_AM002")
    print("ID_AM002 chiller-2021-register.csv, chiller-2021-monthly.csv (synthetic)")
    for point, values in metered.items():
        print(f"  {point}: {values.sum() / 1000:,.3f} MWh; monthly MWh " + " ".join(f"{v / 1000:.1f}" for v in values))


if __name__ == "__main__":
    main()
