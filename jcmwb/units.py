"""The one unit registry of jcmwb, and the conversions every module uses.

Emissions are counted in tonnes of CO2 (``tCO2``), a base dimension of its own so
that tCO2 and tonnes of steel can never be confused. Per-period units are written
as in the methodologies (``MWh/p``, ``tCO2/p``): the ``/p`` marks a quantity summed
over the monitoring period and is dropped for dimensional analysis.
"""

from __future__ import annotations

import pint

from jcmwb.errors import UnitError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("tCO2 = [emission] = _ = t_CO2")  # no separate symbol: messages print tCO2, not t_CO2
ureg.define("kgCO2 = 1e-3 * tCO2")
ureg.define("gCO2 = 1e-6 * tCO2")
ureg.define("tCO2e = tCO2")
ureg.define("toe = 41.868 * GJ")
ureg.define("Nm3 = m ** 3")
ureg.define("USRt = 12000 * Btu_it / hour = US_refrigeration_ton")  # NIST SP 811: 12 000 Btu_IT/h
Quantity = ureg.Quantity

PER_PERIOD = "/p"


def strip_period(unit: str) -> str:
    """``'MWh/p'`` -> ``'MWh'``; other units are returned unchanged."""
    unit = unit.strip()
    return unit[: -len(PER_PERIOD)] if unit.endswith(PER_PERIOD) else unit


def parse_unit(unit: str, *, where: str = "", file: str | None = None) -> pint.Unit:
    """Parse a unit string (``'-'`` or ``''`` is dimensionless)."""
    text = strip_period(str(unit))
    if text in ("", "-", "1", "dimensionless", "%"):
        return ureg.dimensionless if text != "%" else ureg.percent
    try:
        return ureg.Unit(text)
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
