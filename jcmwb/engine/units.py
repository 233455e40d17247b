"""The one unit registry of jcmwb, and the conversions every module uses.

Emissions are counted in tonnes of CO2 (``tCO2``), a base dimension of its own so
that tCO2 and tonnes of steel can never be confused. Per-period units are written
as in the methodologies (``MWh/p``, ``tCO2/p``): the ``/p`` marks a quantity summed
over the monitoring period and is dropped for dimensional analysis.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import pint

from jcmwb.engine.errors import UnitError

# Redefinitions are allowed, silently, for the calorie below only: every other name is new.
ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="ignore")
# The calorie is the International Table calorie, 4.1868 J (so kcal = 4.1868 kJ), not pint's
# default thermochemical calorie (4.184 J): the energy statistics (IEA, UN) and the IPCC
# Guidelines that kcal-based net calorific values come from use it, and so does toe (10^7
# kcal_IT = 41.868 GJ), so kcal/kg and toe agree. A 3300 kcal/kg coal is 13.81644 GJ/t, not
# 13.8072. The thermochemical calorie stays available by its own name, cal_th.
ureg.define("calorie = 4.1868 * joule = cal = IT_calorie")
ureg.define("thermochemical_calorie = 4.184 * joule = cal_th")
ureg.define("tCO2 = [emission] = _ = t_CO2")  # no separate symbol: messages print tCO2, not t_CO2
ureg.define("kgCO2 = 1e-3 * tCO2")
ureg.define("gCO2 = 1e-6 * tCO2")
ureg.define("tCO2e = tCO2")
ureg.define("toe = 1e7 * kcal")  # 41.868 GJ: the tonne of oil equivalent in International Table kcal
ureg.define("Nm3 = m ** 3")
ureg.define("USRt = 12000 * Btu_it / hour = US_refrigeration_ton")  # NIST SP 811: 12 000 Btu_IT/h
Quantity = ureg.Quantity

PER_PERIOD = "/p"


def strip_period(unit: str) -> str:
    """``'MWh/p'`` -> ``'MWh'``; other units are returned unchanged."""
    unit = unit.strip()
    return unit[: -len(PER_PERIOD)] if unit.endswith(PER_PERIOD) else unit


@functools.lru_cache(maxsize=1024)
def _pint_unit(text: str) -> pint.Unit:
    """pint's parse of a unit text, kept: it takes about a millisecond, and the formulas of a
    calculation ask for the same few units thousands of times (a pint Unit is immutable)."""
    return ureg.Unit(text)


def parse_unit(unit: str, *, where: str = "", file: str | None = None) -> pint.Unit:
    """Parse a unit string (``'-'`` or ``''`` is dimensionless)."""
    text = strip_period(str(unit))
    if text == "-":  # the sheets' "no unit"; pint itself reads "", "1", "dimensionless" and "%"
        return ureg.dimensionless
    try:
        return _pint_unit(text)
    except Exception as exc:  # pint raises several unrelated types here
        raise UnitError(
            "unknown unit", file=file, where=where, expected="a unit such as MWh, kWh, tCO2/MWh", found=repr(unit)
        ) from exc


def factor(from_unit: str, to_unit: str, *, where: str = "", file: str | None = None) -> float:
    """Multiplier turning a number in ``from_unit`` into one in ``to_unit``."""
    src = parse_unit(from_unit, where=where, file=file)
    dst = parse_unit(to_unit, where=where, file=file)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(
            "unit of the wrong dimension",
            file=file,
            where=where,
            expected=f"a unit convertible to {to_unit}",
            found=repr(from_unit),
        )
    return float(ureg.Quantity(1.0, src).to(dst).magnitude)


def same_dimension(a: str, b: str) -> bool:
    return parse_unit(a).dimensionality == parse_unit(b).dimensionality


@dataclass(frozen=True)
class Bound:
    """The largest plausible magnitude of one input value: ``limit`` in ``unit``, and why."""

    unit: str
    limit: float
    reason: str


# Plausibility bounds: the one table. A value above its bound is refused as a typo or an
# overflow (a 1e308 kWh reading), never clipped. Each bound is far above anything one JCM
# project meters or specifies, so a real value never meets it; where one does, the period file
# raises it (`plausible_max: {UNIT: N}`, methodologies/README.md 3.1). A row applies to a
# parameter whose unit is written as the row's unit, else to one of the same dimension: h/d
# is dimensionless like a COP, but has a bound of its own.
PLAUSIBLE_MAX: tuple[Bound, ...] = (
    Bound("MWh", 1e9, "1,000 TWh, about the electricity Japan generates in a year"),
    Bound("kW", 1e8, "100 GW, over four times the largest power station, 22.5 GW"),
    Bound("m**3", 1e11, "100 billion m3, about the natural gas Japan imports in a year"),
    Bound("t", 1e9, "a billion tonnes, more than the coal Japan burns in five years"),
    Bound("tCO2", 1e10, "ten billion tonnes of CO2, several years of Japan's emissions"),
    Bound("day", 36525, "a century"),
    Bound("km", 1e5, "two and a half times round the Earth"),
    Bound("kV", 1e4, "nine times the highest transmission voltage in service, 1,100 kV"),
    Bound("mm**2", 1e6, "a conductor one metre square in cross-section"),
    Bound("GJ/t", 1e3, "eight times the net calorific value of hydrogen, 120 GJ/t, the highest of any fuel"),
    Bound("GJ/m**3", 1e3, "25 times the energy in a cubic metre of fuel oil, about 40 GJ"),
    Bound("lm/W", 683, "the luminous efficacy of an ideal 555 nm source, the physical maximum"),
    Bound("h/d", 24, "a day has 24 hours"),
    Bound("-", 1e3, "a thousand: no COP, efficiency or ratio of these methodologies comes near it"),
)
# For a dimension without a row: a guard against overflow only, in the parameter's own unit.
FALLBACK_MAX = 1e15


def plausible_max(unit: str, overrides: Mapping[str, float] | None = None) -> tuple[float, str]:
    """The largest plausible magnitude of a value in ``unit``, and its explanation.

    ``overrides`` (unit -> limit, from the period file's ``plausible_max``) take precedence
    over the table. Returns (limit converted to ``unit``, text such as "at most 1e+09 MWh (...)").
    """
    rows = [Bound(u, float(v), "raised in the monitoring-period file, plausible_max") for u, v in (overrides or {}).items()] + list(PLAUSIBLE_MAX)
    text = strip_period(unit)
    dimension = parse_unit(text).dimensionality
    row = None
    for group in (rows[: len(overrides or {})], list(PLAUSIBLE_MAX)):  # an override wins over every row
        row = next((r for r in group if r.unit == text), None) or next((r for r in group if parse_unit(r.unit).dimensionality == dimension), None)
        if row is not None:
            break
    if row is None:
        return FALLBACK_MAX, f"at most {FALLBACK_MAX:g} {text} (a guard against overflow)"
    shown = "" if row.unit in ("-", "1", "") else f" {row.unit}"
    return row.limit * factor(row.unit, text), f"at most {row.limit:g}{shown} ({row.reason})"
