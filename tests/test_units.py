"""jcmwb.engine.units: the registry, per-period units, conversions and dimension checks."""

from __future__ import annotations

import math

import pytest

from jcmwb.engine.errors import JcmwbError, UnitError
from jcmwb.engine.units import factor, parse_unit, same_dimension, strip_period, ureg


@pytest.mark.parametrize(
    ("text", "stripped"),
    [("MWh/p", "MWh"), ("tCO2/p", "tCO2"), (" MWh/p ", "MWh"), ("tCO2/MWh", "tCO2/MWh"), ("-", "-")],
)
def test_strip_period(text, stripped):
    assert strip_period(text) == stripped


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("kWh", "MWh", 1e-3),  # 1 kWh = 0.001 MWh
        ("MWh", "kWh", 1e3),
        ("GWh", "MWh/p", 1e3),  # the /p is dropped before converting
        ("MWh/p", "MWh", 1.0),
        ("kgCO2", "tCO2", 1e-3),
        ("gCO2", "tCO2", 1e-6),
        ("tCO2e", "tCO2", 1.0),
        ("kgCO2/kWh", "tCO2/MWh", 1.0),  # (1e-3 t) / (1e-3 MWh)
        ("GJ", "MWh", 1 / 3.6),  # 1 MWh = 3.6 GJ
        ("toe", "GJ", 41.868),
        ("USRt", "kW", 12000 * 1055.05585262 / 3600 / 1000),  # 12000 Btu(IT)/h = 3.5168528 kW
        ("%", "-", 0.01),
    ],
)
def test_factor(src, dst, expected):
    assert math.isclose(factor(src, dst), expected, rel_tol=1e-9)


def test_dimensionless_spellings():
    # "-" is jcmwb's own spelling (the sheets' "no unit"); pint reads the others itself.
    for text in ("", "-", "1", "dimensionless", "-/p", "1/p"):
        assert parse_unit(text) == ureg.dimensionless
    assert parse_unit("%") == ureg.percent
    assert factor("%", "-") == pytest.approx(0.01) and factor("-", "%") == pytest.approx(100)


def test_emissions_are_their_own_dimension():
    # a tonne of CO2 is not a tonne of steel: the registry gives tCO2 a base dimension of its own
    assert not same_dimension("tCO2", "t")
    assert same_dimension("tCO2/p", "kgCO2")
    assert same_dimension("MWh/p", "GJ")
    assert not same_dimension("MWh", "kW")


def test_unknown_unit_is_a_unit_error():
    with pytest.raises(UnitError) as info:
        parse_unit("bananas", where="monitored.EG_i_p.unit", file="p.yaml")
    err = info.value
    assert isinstance(err, JcmwbError)
    assert err.line() == "p.yaml: monitored.EG_i_p.unit: unknown unit; expected a unit such as MWh, kWh, tCO2/MWh, found 'bananas'"


def test_wrong_dimension_is_a_unit_error():
    with pytest.raises(UnitError) as info:
        factor("tCO2", "MWh", where="column unit", file="d.csv")
    assert info.value.line() == "d.csv: column unit: unit of the wrong dimension; expected a unit convertible to MWh, found 'tCO2'"


def test_the_calorie_is_the_international_table_calorie():
    """kcal-based NCVs (energy statistics, IPCC) use the International Table calorie, 4.1868 J;
    toe is 10^7 of them; the thermochemical calorie (4.184 J) keeps its own name (issue 14)."""
    assert factor("cal", "J") == pytest.approx(4.1868, rel=1e-15)
    assert factor("kcal/kg", "GJ/t") == pytest.approx(0.0041868, rel=1e-15)  # 3300 kcal/kg = 13.81644 GJ/t
    assert factor("toe", "kcal") == pytest.approx(1e7, rel=1e-15)
    assert factor("toe", "GJ") == pytest.approx(41.868, rel=1e-15)
    assert factor("cal_th", "J") == pytest.approx(4.184, rel=1e-15)
    assert factor("Btu_it", "J") == pytest.approx(1055.05585262, rel=1e-12)  # USRt's Btu is untouched
