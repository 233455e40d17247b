"""jcmwb.engine.helpers: the registered helpers of the formula language, with hand-derived values.

conductor_loss (JCM_MN_AM001): E_loss = (E/T)^2 x R20 (1 + alpha (theta - 20)) L / (U^2 cos^2 phi) x T.
"""

from __future__ import annotations

import math

import pytest

from jcmwb.engine.formulas import Formula, Symbol
from jcmwb.engine.helpers import HELPERS, conductor_loss
from jcmwb.engine.units import parse_unit

ARGS = ("E_sent", "T_op", "U_line", "cos_phi", "R_20", "alpha", "theta_c", "length")


def test_registered_with_units_and_doc():
    spec = HELPERS["conductor_loss"]
    assert tuple(spec.args) == ARGS
    assert spec.args == {"E_sent": "MWh", "T_op": "h", "U_line": "kV", "cos_phi": "-", "R_20": "ohm/km", "alpha": "1/K", "theta_c": "degC", "length": "km"}
    assert spec.returns == "MWh"
    for unit in [*spec.args.values(), spec.returns]:
        parse_unit(unit)  # every declared unit is a unit of the registry
    # numpydoc sections, units in brackets, the equation
    for part in ("Parameters\n", "Returns\n", "[MWh]", "[h]", "[kV]", "[ohm/km]", "[1/K]", "[degC]", "[km]", "E_{loss}", "MNS 5870:2008"):
        assert part in spec.doc, part


def test_one_megawatt_over_one_ohm():
    # P = 100 MWh / 100 h = 1 MW; R = 0.1 ohm/km x 10 km = 1 ohm at 20 degC; U = 10 kV, cos phi = 1
    # loss power = 1^2 x 1 / 10^2 = 0.01 MW; over 100 h: 1 MWh
    assert conductor_loss(100.0, 100.0, 10.0, 1.0, 0.1, 0.004, 20.0, 10.0) == pytest.approx(1.0, rel=1e-15)


def test_temperature_correction():
    # theta = 45 degC: R = 1 ohm x (1 + 0.004 x 25) = 1.1 ohm, so the loss is 1.1 MWh
    assert conductor_loss(100.0, 100.0, 10.0, 1.0, 0.1, 0.004, 45.0, 10.0) == pytest.approx(1.1, rel=1e-15)
    # a cold conductor (-20 degC): 1 + 0.004 x (-40) = 0.84
    assert conductor_loss(100.0, 100.0, 10.0, 1.0, 0.1, 0.004, -20.0, 10.0) == pytest.approx(0.84, rel=1e-15)


def test_power_factor_and_voltage():
    # cos phi = 0.8 raises the current by 1/0.8: loss x 1/0.64 = 1.5625 MWh
    assert conductor_loss(100.0, 100.0, 10.0, 0.8, 0.1, 0.004, 20.0, 10.0) == pytest.approx(1.5625, rel=1e-15)
    # twice the voltage, a quarter of the loss
    assert conductor_loss(100.0, 100.0, 20.0, 1.0, 0.1, 0.004, 20.0, 10.0) == pytest.approx(0.25, rel=1e-15)


def test_a_110_kv_line_by_hand():
    # 100000 MWh in 8000 h: P = 12.5 MW; ACSR 240: 0.1182 ohm/km x 50 km = 5.91 ohm; 110 kV, cos phi 0.9
    # 12.5^2 x 5.91 / (110^2 x 0.81) = 923.4375 / 9801 MW; x 8000 h = 753.7496174 MWh
    assert conductor_loss(100000.0, 8000.0, 110.0, 0.9, 0.1182, 0.00403, 20.0, 50.0) == pytest.approx(753.7496174, abs=1e-6)


def test_same_energy_in_fewer_hours_loses_more():
    # the loss goes with the square of the power: half the hours, twice the loss
    assert conductor_loss(100.0, 50.0, 10.0, 1.0, 0.1, 0.004, 20.0, 10.0) == pytest.approx(2.0, rel=1e-15)


def test_line_out_of_service():
    assert conductor_loss(0.0, 0.0, 110.0, 0.9, 0.1182, 0.00403, 20.0, 50.0) == 0.0
    with pytest.raises(ZeroDivisionError):
        conductor_loss(10.0, 0.0, 110.0, 0.9, 0.1182, 0.00403, 20.0, 50.0)


def _excel_to_python(text: str) -> float:
    """Evaluate the helper's spreadsheet text (IF, AND, =, arithmetic) as Python."""
    expr = text.replace("IF(", "_if(").replace("AND(", "_and(").replace("=", "==")
    return eval(expr, {"_if": lambda c, a, b: a if c else b, "_and": lambda *xs: all(xs)})  # noqa: S307 - our own formula text


@pytest.mark.parametrize(
    "args",
    [
        (100.0, 100.0, 10.0, 1.0, 0.1, 0.004, 45.0, 10.0),
        (100000.0, 8000.0, 110.0, 0.9, 0.1182, 0.00403, 20.0, 50.0),
        (24800.0, 744.0, 110.0, 0.9, 0.1182, 0.00403, -15.5, 62.4),
    ],
)
def test_spreadsheet_text_computes_the_same(args):
    text = HELPERS["conductor_loss"].excel(*(repr(a) for a in args))
    assert text.startswith("IF(AND(")
    assert _excel_to_python(text) == pytest.approx(conductor_loss(*args), rel=1e-14, abs=1e-12)


def test_spreadsheet_text_of_a_line_out_of_service():
    """No energy in no hours: the sheet's IF gives 0 before it would divide (spreadsheets' IF is lazy)."""
    text = HELPERS["conductor_loss"].excel(*(repr(a) for a in (0.0, 0.0, 35.0, 0.9, 0.244, 0.00403, 20.0, 18.7)))
    assert text.startswith("IF(AND((0.0)=0,(0.0)=0),0,")


def _symbols() -> dict[str, Symbol]:
    units = {"E": "MWh/p", "T": "h", "U": "kV", "pf": "-", "R": "ohm/km", "a": "1/K", "th": "degC", "L": "km"}
    return {n: Symbol(n, u, None, n) for n, u in units.items()}


def test_in_a_formula_with_unit_conversion():
    """The formula language converts each argument to the unit the helper declares: kWh -> MWh, m -> km."""
    symbols = {**_symbols(), "E": Symbol("E", "kWh", None, "E"), "L": Symbol("L", "m", None, "L")}
    formula = Formula("conductor_loss(E, T, U, pf, R, a, th, L)")
    formula.check(symbols, "kWh/p")
    values = {"E": 100000.0, "T": 100.0, "U": 10.0, "pf": 1.0, "R": 0.1, "a": 0.004, "th": 20.0, "L": 10000.0}
    # 100000 kWh = 100 MWh, 10000 m = 10 km: 1 MWh = 1000 kWh
    assert formula.evaluate(values, symbols, {}, "kWh/p") == pytest.approx(1000.0, rel=1e-12)
    text = formula.to_excel(lambda name, binding: name, symbols, {}, "kWh/p")
    # the same conversions in the sheet: arguments to MWh and km, the MWh result back to kWh
    assert "((E)*0.001)" in text and "((L)*0.001)" in text and text.endswith("*1000")


def test_a_wrong_unit_is_refused():
    symbols = {**_symbols(), "L": Symbol("L", "kg", None, "L")}
    with pytest.raises(Exception) as info:
        Formula("conductor_loss(E, T, U, pf, R, a, th, L)").check(symbols, "MWh/p")
    assert "argument length of conductor_loss" in str(info.value)


def test_latex_names_the_helper_as_text():
    latex = Formula("conductor_loss(E, T, U, pf, R, a, th, L)").to_latex(_symbols())
    assert latex.startswith(r"\mathrm{conductor\_loss}\left(")


def test_division_by_zero_hours_is_a_formula_error():
    formula = Formula("conductor_loss(E, T, U, pf, R, a, th, L)", where="equations.LS")
    values = {"E": 5.0, "T": 0.0, "U": 10.0, "pf": 1.0, "R": 0.1, "a": 0.004, "th": 20.0, "L": 10.0}
    with pytest.raises(Exception) as info:
        formula.evaluate(values, _symbols(), {}, "MWh/p")
    assert "division by zero" in str(info.value)
    assert math.isfinite(conductor_loss(0.0, 0.0, 10.0, 1.0, 0.1, 0.004, 20.0, 10.0))
