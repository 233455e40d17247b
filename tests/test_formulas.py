"""jcmwb.engine.formulas: the restricted formula language, its units, its spreadsheet and LaTeX forms.

Unit tests state the arithmetic in a comment; the property tests compare the engine with
plain Python arithmetic over randomly generated formulas, and the spreadsheet text with a
tiny reference evaluator of Excel formulas, never with the engine itself.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jcmwb.engine import helpers as helper_registry
from jcmwb.engine.errors import FormulaError, SpecError
from jcmwb.engine.formulas import Formula, Symbol, dependency_order, excel_number, round_half_away

SYMBOLS = {
    "E": Symbol("E", "MWh/p"),
    "Ek": Symbol("Ek", "kWh"),
    "EF": Symbol("EF", "tCO2/MWh", latex="EF_{RE}"),
    "EFk": Symbol("EFk", "kgCO2/kWh"),
    "C": Symbol("C", "tCO2/p"),
    "Ck": Symbol("Ck", "kgCO2"),
    "r": Symbol("r", "-"),
    "s": Symbol("s", "-"),
    "x": Symbol("x", "MWh/p", index="i", latex="EG_{i,p}"),
    "xk": Symbol("xk", "kWh", index="i"),
    "k": Symbol("k", "-", index="i"),
}
# Each symbol's factor to the canonical units MWh and tCO2, written by hand.
CANON = {"E": 1.0, "Ek": 1e-3, "EF": 1.0, "EFk": 1.0, "C": 1.0, "Ck": 1e-3, "r": 1.0, "s": 1.0}
UNIT_CANON = {
    "MWh/p": 1.0, "kWh": 1e-3, "GWh": 1e3,
    "tCO2/p": 1.0, "kgCO2": 1e-3,
    "tCO2/MWh": 1.0, "kgCO2/kWh": 1.0, "kgCO2/MWh": 1e-3,
    "-": 1.0, "%": 1e-2,
}  # fmt: skip
DECLARED = {"E": ["MWh/p", "kWh", "GWh"], "C": ["tCO2/p", "kgCO2"], "F": ["tCO2/MWh", "kgCO2/kWh", "kgCO2/MWh"], "1": ["-", "%"]}


def ev(text: str, values: dict, unit: str, indices: dict | None = None, binding: dict | None = None) -> float:
    return Formula(text).evaluate(values, SYMBOLS, indices or {}, unit, binding)


# -- unit tests: numbers and units ------------------------------------------------------------
def test_product_gives_emissions():
    # 1000 MWh x 0.4 tCO2/MWh = 400 tCO2
    assert ev("E * EF", {"E": 1000.0, "EF": 0.4}, "tCO2/p") == pytest.approx(400.0, rel=1e-15)


def test_kwh_input_is_scaled_by_1e_minus_3():
    # 2500 kWh x 0.4 tCO2/MWh = 2500 x 1e-3 MWh x 0.4 = 1.0 tCO2
    assert ev("Ek * EF", {"Ek": 2500.0, "EF": 0.4}, "tCO2/p") == pytest.approx(1.0, rel=1e-12)
    # 2500 kWh as MWh = 2.5
    assert ev("Ek", {"Ek": 2500.0}, "MWh/p") == pytest.approx(2.5, rel=1e-12)


def test_addition_converts_the_right_operand_to_the_left_unit():
    # 1 MWh + 500 kWh = 1.5 MWh = 1500 kWh
    assert ev("E + Ek", {"E": 1.0, "Ek": 500.0}, "MWh/p") == pytest.approx(1.5, rel=1e-12)
    assert ev("E + Ek", {"E": 1.0, "Ek": 500.0}, "kWh") == pytest.approx(1500.0, rel=1e-12)
    # 500 kWh + 1 MWh = 500 + 1000 kWh = 1.5 MWh
    assert ev("Ek + E", {"E": 1.0, "Ek": 500.0}, "MWh/p") == pytest.approx(1.5, rel=1e-12)
    # 1 MWh - 250 kWh = 0.75 MWh
    assert ev("E - Ek", {"E": 1.0, "Ek": 250.0}, "MWh/p") == pytest.approx(0.75, rel=1e-12)


def test_mixed_emission_factor_units():
    # 0.5 kgCO2/kWh = 0.5 tCO2/MWh; 10 MWh x 0.5 = 5 tCO2 = 5000 kgCO2
    assert ev("E * EFk", {"E": 10.0, "EFk": 0.5}, "tCO2/p") == pytest.approx(5.0, rel=1e-12)
    assert ev("E * EFk", {"E": 10.0, "EFk": 0.5}, "kgCO2") == pytest.approx(5000.0, rel=1e-12)
    # emissions over energy: 400 tCO2 / 1000 MWh = 0.4 tCO2/MWh = 400 kgCO2/MWh
    assert ev("C / E", {"C": 400.0, "E": 1000.0}, "kgCO2/MWh") == pytest.approx(400.0, rel=1e-12)


def test_dimensionless_ratio_of_different_units():
    # 500 kWh / 1 MWh = 0.5 ; + 1 = 1.5
    assert ev("Ek / E + 1", {"Ek": 500.0, "E": 1.0}, "-") == pytest.approx(1.5, rel=1e-12)


def test_min_max_convert_units():
    # min(1 MWh, 2000 kWh = 2 MWh) = 1 MWh ; max(...) = 2 MWh
    assert ev("min(E, Ek)", {"E": 1.0, "Ek": 2000.0}, "MWh/p") == pytest.approx(1.0)
    assert ev("max(E, Ek)", {"E": 1.0, "Ek": 2000.0}, "MWh/p") == pytest.approx(2.0)
    assert ev("max(r, s, 7)", {"r": 3.0, "s": -1.0}, "-") == 7.0


def test_rounding_functions():
    assert ev("floor(r)", {"r": 2.7}, "-") == 2.0
    assert ev("floor(r)", {"r": -2.5}, "-") == -3.0
    assert ev("ceil(r)", {"r": 2.1}, "-") == 3.0
    # spreadsheet rounding is half away from zero: 2.5 -> 3, -2.5 -> -3 (Python's round gives 2, -2)
    assert ev("round(r, 0)", {"r": 2.5}, "-") == 3.0
    assert ev("round(r, 0)", {"r": -2.5}, "-") == -3.0
    assert ev("round(r, 2)", {"r": 0.125}, "-") == 0.13


def test_round_half_away():
    assert round_half_away(2.675, 2) == 2.68  # the decimal 2.675, not the binary 2.67499999...
    assert round_half_away(-0.5, 0) == -1.0
    assert round_half_away(1234.5, -1) == 1230.0
    assert round_half_away(0.0049, 2) == 0.0


def test_where():
    # where(3 > 2, 3, 2) = 3 ; where(1 > 2, 1, 2) = 2
    assert ev("where(r > s, r, s)", {"r": 3.0, "s": 2.0}, "-") == 3.0
    assert ev("where(r > s, r, s)", {"r": 1.0, "s": 2.0}, "-") == 2.0
    # the comparison converts units: 1 MWh >= 999 kWh is true
    assert ev("where(E >= Ek, 1, 0)", {"E": 1.0, "Ek": 999.0}, "-") == 1.0
    assert ev("where(E != Ek, 1, 0)", {"E": 1.0, "Ek": 1000.0}, "-") == 0.0


def test_sum_over_index():
    members = {"i": ["a", "b", "c"]}
    x = {"a": 1.0, "b": 2.5, "c": 3.0}
    # 1 + 2.5 + 3 = 6.5
    assert ev("sum(x, i)", {"x": x}, "MWh/p", members) == 6.5
    # kWh members: (100 + 200 + 700) kWh = 1 MWh
    assert ev("sum(xk, i)", {"xk": {"a": 100.0, "b": 200.0, "c": 700.0}}, "MWh/p", members) == pytest.approx(1.0)
    # weighted: 1x2 + 2.5x0 + 3x10 = 32
    assert ev("sum(x * k, i)", {"x": x, "k": {"a": 2.0, "b": 0.0, "c": 10.0}}, "MWh/p", members) == 32.0


def test_sum_over_an_empty_index_is_zero():
    assert ev("sum(x, i) * EF", {"x": {}, "EF": 0.4}, "tCO2/p", {"i": []}) == 0.0


def test_indexed_equation_with_binding():
    # an equation indexed by i evaluated for member b: x_b * k_b = 2.5 x 4 = 10
    values = {"x": {"a": 1.0, "b": 2.5}, "k": {"a": 3.0, "b": 4.0}}
    assert ev("x * k", values, "MWh/p", {"i": ["a", "b"]}, {"i": "b"}) == 10.0


def test_bare_constant_takes_the_declared_unit():
    assert ev("0", {}, "tCO2/p") == 0.0
    assert ev("12.5", {}, "kWh") == 12.5


def test_names():
    assert Formula("sum(x * k, i) + E").names == {"x", "k", "E"}
    assert Formula("round(r, 2)").names == {"r"}


# -- unit tests: errors -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message", "found"),
    [
        ("E ** 2", "operator not allowed", "Pow"),
        ("E % 2", "operator not allowed", "Mod"),
        ("'a'", "only numbers may appear as constants", "'a'"),
        ("True", "only numbers may appear as constants", "True"),
        ("exp(E)", "unknown function", "'exp'"),
        ("E.real", "construct not allowed in a formula", "E.real"),
        ("[E]", "construct not allowed in a formula", "[E]"),
        ("lambda: 1", "construct not allowed in a formula", "lambda: 1"),
        ("max(E, key=E)", "only plain function calls are allowed", "max(E, key=E)"),
        ("sum(x)", "sum takes an expression and an index name", "sum(x)"),
        ("E +", "cannot parse the formula", "'E +'"),
        ("not E", "operator not allowed", "Not"),
    ],
)
def test_rejected_constructs(text, message, found):
    with pytest.raises(FormulaError) as info:
        Formula(text, where="equations.X.formula", file="m.yaml")
    err = info.value
    assert err.message == message
    assert err.found == found
    assert err.line().startswith("m.yaml: equations.X.formula: " + message)


@pytest.mark.parametrize(
    ("text", "unit", "message", "expected", "found"),
    [
        ("E + C", "MWh/p", "unit mismatch in E + C", "a quantity in MWh", "tCO2"),
        ("min(E, r)", "MWh/p", "unit mismatch in min(E, r)", "a quantity in MWh", "a dimensionless number"),
        ("E * EF", "MWh/p", "the formula's unit does not match the declared unit", "MWh/p", None),
        ("E", "-", "the formula's unit does not match the declared unit", "-", "MWh"),
        ("Q", "-", "undeclared symbol", "a parameter or equation of this spec", "'Q'"),
        ("x", "MWh/p", "x is indexed by i; use it inside sum(..., i)", None, "'x'"),
        ("sum(x, j)", "MWh/p", "unknown index in sum", "one of ['i']", "'j'"),
        ("min(E)", "MWh/p", "min takes two or more arguments", None, "min(E)"),
        ("floor(E, E)", "MWh/p", "floor takes one argument", None, "floor(E, E)"),
        ("round(r, 1.5)", "-", "round takes an expression and a whole number of digits", "round(x, 0)", "round(r, 1.5)"),
        ("where(r, r, s)", "-", "where takes a comparison and two values", "where(a > b, x, y)", "where(r, r, s)"),
        ("where(1 < r < 2, r, s)", "-", "only one comparison (< <= > >= == !=) is allowed here", None, None),
    ],
)
def test_check_errors(text, unit, message, expected, found):
    with pytest.raises(FormulaError) as info:
        Formula(text).check(SYMBOLS, unit)
    err = info.value
    assert err.message == message
    if expected is not None:
        assert err.expected == expected
    if found is not None:
        assert err.found == found


def test_declared_unit_mismatch_names_the_formula_unit():
    with pytest.raises(FormulaError) as info:
        Formula("E * EF").check(SYMBOLS, "MWh/p")
    # MWh x tCO2/MWh is tonnes of CO2, whatever pint calls it
    assert "tCO2" in info.value.found


def test_formula_error_is_a_spec_error():
    assert issubclass(FormulaError, SpecError)


def test_division_by_zero():
    with pytest.raises(FormulaError) as info:
        ev("C / E", {"C": 1.0, "E": 0.0}, "tCO2/MWh")
    assert info.value.message == "division by zero"
    assert info.value.found == "'C / E'"


# -- spreadsheet text -------------------------------------------------------------------------
def cells_for(values: dict, indices: dict) -> tuple[dict[str, float], callable]:
    """Give every (symbol, member) a cell in column B; return the cell values and the ref callback."""
    cells: dict[str, float] = {}
    address: dict[tuple[str, str | None], str] = {}
    for name, value in sorted(values.items()):
        if isinstance(value, dict):
            for member, v in value.items():
                address[(name, member)] = f"B{len(address) + 2}"
                cells[address[(name, member)]] = v
        else:
            address[(name, None)] = f"B{len(address) + 2}"
            cells[address[(name, None)]] = value

    def ref(name, binding):
        index = SYMBOLS[name].index
        return address[(name, binding[index] if index else None)]

    return cells, ref


def _excel_round(x: float, digits: int) -> float:
    """Excel's ROUND: half away from zero, on the decimal the cell shows."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


EXCEL_FUNCTIONS = {
    "SUM": lambda *a: sum(a),
    "MIN": min,
    "MAX": max,
    "IF": lambda c, a, b: a if c else b,
    "INT": lambda x: float(math.floor(x)),
    "ROUND": _excel_round,
}


def excel_eval(text: str, cells: dict[str, float]) -> float:
    """Evaluate an Excel formula the engine wrote: functions as above, <> and = as comparisons."""
    assert not text.startswith("="), text
    assert re.fullmatch(r"[A-Z0-9_.+\-*/(),<>=e ]+", text), text  # nothing but cells, numbers, operators, functions
    python = text.replace("<>", "!=")
    python = re.sub(r"(?<![<>!=])=(?!=)", "==", python)
    return float(eval(python, {"__builtins__": {}}, {**EXCEL_FUNCTIONS, **cells}))  # noqa: S307 - test oracle on engine output


def excel(text: str, values: dict, unit: str, indices: dict | None = None) -> tuple[str, float]:
    cells, ref = cells_for(values, indices or {})
    formula = Formula(text).to_excel(ref, SYMBOLS, indices or {}, unit)
    return formula, excel_eval(formula, cells)


def test_excel_text():
    formula, value = excel("E * EF", {"E": 1000.0, "EF": 0.4}, "tCO2/p")
    assert formula == "(B2*B3)"  # cells sorted by name: E -> B2, EF -> B3
    assert value == pytest.approx(400.0)
    formula, value = excel("sum(xk, i)", {"xk": {"a": 100.0, "b": 900.0}}, "MWh/p", {"i": ["a", "b"]})
    assert formula == "(SUM(B2,B3))*0.001"  # (100 + 900) kWh x 0.001 = 1 MWh
    assert value == pytest.approx(1.0)
    formula, _ = excel("floor(r) + ceil(s) + round(r, 1)", {"r": 1.25, "s": 0.5}, "-")
    assert formula == "((INT(B2)+(-INT(-(B3))))+ROUND(B2,1))"
    formula, value = excel("where(r <> s, 1, 0)".replace("<>", "!="), {"r": 1.0, "s": 2.0}, "-")
    assert formula == "IF(B2<>B3,1,0)"
    assert value == 1.0
    formula, value = excel("where(r == s, 1, 0)", {"r": 2.0, "s": 2.0}, "-")
    assert formula == "IF(B2=B3,1,0)"
    assert value == 1.0
    formula, _ = excel("-r", {"r": 2.0}, "-")
    assert formula == "(-B2)"
    formula, value = excel("sum(x, i)", {"x": {}}, "MWh/p", {"i": []})
    assert (formula, value) == ("0", 0.0)


def test_excel_number():
    assert excel_number(1.0) == "1"
    assert excel_number(0.001) == "0.001"
    assert excel_number(1e-06) == "1e-06"
    assert excel_number(2.5) == "2.5"


# -- LaTeX --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("sum(x, i) * EF", r"\left(\sum_{i} EG_{i,p}\right) \times EF_{RE}"),  # a sum inside a product is bracketed
        ("EF + sum(x, i)", r"EF_{RE} + \sum_{i} EG_{i,p}"),
        ("C / E", r"\frac{C}{E}"),
        ("(E + Ek) * EF", r"\left(E + Ek\right) \times EF_{RE}"),
        ("E - (Ek - E)", r"E - \left(Ek - E\right)"),
        ("E - Ek + E", r"E - Ek + E"),
        ("-(r + s)", r"-\left(r + s\right)"),
        ("max(r, s)", r"\max\left(r, s\right)"),
        ("floor(r)", r"\left\lfloor r \right\rfloor"),
        ("where(r >= s, r, s)", r"\begin{cases} r & \text{if } r \geq s \\ s & \text{otherwise} \end{cases}"),
    ],
)
def test_latex(text, latex):
    assert Formula(text).to_latex(SYMBOLS) == latex


def test_latex_escapes_names_without_symbol():
    assert Formula("EG_p + 1").to_latex({}) == r"EG\_p + 1"


# -- helpers --------------------------------------------------------------------------------------
def test_helper_arguments_are_converted_to_the_declared_units(monkeypatch):
    half = helper_registry.Helper("half", lambda e: e / 2, {"energy": "MWh"}, "MWh", lambda e: f"{e}/2", "half of it")
    monkeypatch.setitem(helper_registry.HELPERS, "half", half)
    # half(3000 kWh) = half(3 MWh) = 1.5 MWh
    assert ev("half(Ek)", {"Ek": 3000.0}, "MWh/p") == pytest.approx(1.5)
    formula, value = excel("half(Ek)", {"Ek": 3000.0}, "MWh/p")
    assert formula == "((B2)*0.001/2)"
    assert value == pytest.approx(1.5)
    with pytest.raises(FormulaError, match="half takes 1 arguments"):
        Formula("half(E, E)").check(SYMBOLS, "MWh")
    with pytest.raises(FormulaError, match="unit mismatch in argument energy of half"):
        Formula("half(C)").check(SYMBOLS, "MWh")


# -- dependency order --------------------------------------------------------------------------
def test_dependency_order_puts_inputs_first():
    deps = {"ER": {"RE", "PE"}, "RE": {"EG"}, "PE": set(), "EG": set()}
    order = dependency_order(deps)
    assert sorted(order) == sorted(deps)
    for name, needs in deps.items():
        assert all(order.index(n) < order.index(name) for n in needs)


def test_dependency_cycle_names_it():
    with pytest.raises(FormulaError) as info:
        dependency_order({"A": {"B"}, "B": {"C"}, "C": {"A"}}, file="m.yaml")
    assert info.value.found == "A -> B -> C -> A"
    assert info.value.line() == "m.yaml: equations: dependency cycle between equations, found A -> B -> C -> A"


# ===================================================================================================
# Property tests
# ===================================================================================================
# A generated formula is a tree: ("name", n) | ("const", v) | ("bin", op, a, b) | ("ext", min|max, a, b)
# | ("neg", a) | ("floor", a) | ("ceil", a) | ("round", a, d) | ("where", cmp, a, b, c, d).
LEAVES = {"E": ["E", "Ek"], "C": ["C", "Ck"], "F": ["EF", "EFk"], "1": ["r", "s"]}
PRODUCTS = {"E": [("E", "1"), ("1", "E")], "C": [("E", "F"), ("F", "E"), ("C", "1"), ("1", "C")], "F": [("F", "1"), ("1", "F")], "1": [("1", "1")]}
QUOTIENTS = {"E": [("E", "1"), ("C", "F")], "C": [("C", "1")], "F": [("C", "E"), ("F", "1")], "1": [("E", "E"), ("C", "C"), ("1", "1"), ("F", "F")]}
CMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}


def text_of(t) -> str:
    kind = t[0]
    if kind == "name":
        return t[1]
    if kind == "const":
        return repr(t[1])
    if kind == "bin":
        return f"({text_of(t[2])} {t[1]} {text_of(t[3])})"
    if kind == "ext":
        return f"{t[1]}({text_of(t[2])}, {text_of(t[3])})"
    if kind == "neg":
        return f"-({text_of(t[1])})"
    if kind in ("floor", "ceil"):
        return f"{kind}({text_of(t[1])})"
    if kind == "round":
        return f"round({text_of(t[1])}, {t[2]})"
    if kind == "where":
        return f"where({text_of(t[2])} {t[1]} {text_of(t[3])}, {text_of(t[4])}, {text_of(t[5])})"
    raise AssertionError(t)


def python_value(t, env: dict[str, float], scale: dict[str, float] | None = None) -> float:
    """Plain Python arithmetic on the tree; leaves multiplied by ``scale`` (canonical units)."""
    kind = t[0]
    if kind == "name":
        return env[t[1]] * (scale[t[1]] if scale else 1.0)
    if kind == "const":
        return t[1]
    if kind == "bin":
        a, b = python_value(t[2], env, scale), python_value(t[3], env, scale)
        return {"+": a + b, "-": a - b, "*": a * b}[t[1]] if t[1] != "/" else a / b
    if kind == "ext":
        a, b = python_value(t[2], env, scale), python_value(t[3], env, scale)
        return min(a, b) if t[1] == "min" else max(a, b)
    if kind == "neg":
        return -python_value(t[1], env, scale)
    raise AssertionError(t)


def magnitude(t, env: dict[str, float], scale: dict[str, float]) -> float:
    """The same tree on absolute values with every - as +: bounds the rounding error of the result."""
    kind = t[0]
    if kind == "name":
        return abs(env[t[1]]) * scale[t[1]]
    if kind == "const":
        return abs(t[1])
    if kind == "bin":
        a, b = magnitude(t[2], env, scale), magnitude(t[3], env, scale)
        return a * b if t[1] == "*" else a / b if t[1] == "/" else a + b
    if kind == "ext":
        return max(magnitude(t[2], env, scale), magnitude(t[3], env, scale))
    if kind == "neg":
        return magnitude(t[1], env, scale)
    raise AssertionError(t)


constants = st.floats(0.5, 100.0).map(lambda v: ("const", round(v, 3)))


@functools.cache
def dimensioned(dim: str, depth: int, rounding: bool = False) -> st.SearchStrategy:
    """Formulas of dimension ``dim`` (E energy, C emissions, F emission factor, 1 number).

    Divisors are single symbols or positive constants, so no division by zero and no
    ill-conditioned quotient; + - min max only ever combine equal dimensions.
    """
    leaf = st.sampled_from(LEAVES[dim]).map(lambda n: ("name", n))
    if dim == "1":
        leaf = st.one_of(leaf, constants)
    if depth == 0:
        return leaf

    def sub(d):
        return dimensioned(d, depth - 1, rounding)

    def divisor(d):
        return (
            st.sampled_from(LEAVES[d]).map(lambda n: ("name", n)) if d != "1" else st.one_of(st.sampled_from(LEAVES["1"]).map(lambda n: ("name", n)), constants)
        )

    options = [
        leaf,
        st.tuples(st.just("bin"), st.sampled_from(["+", "-"]), sub(dim), sub(dim)),
        st.tuples(st.just("ext"), st.sampled_from(["min", "max"]), sub(dim), sub(dim)),
        st.tuples(st.just("neg"), sub(dim)),
        st.sampled_from(PRODUCTS[dim]).flatmap(lambda p: st.tuples(st.just("bin"), st.just("*"), sub(p[0]), sub(p[1]))),
        st.sampled_from(QUOTIENTS[dim]).flatmap(lambda q: st.tuples(st.just("bin"), st.just("/"), sub(q[0]), divisor(q[1]))),
    ]
    if rounding:
        options += [
            st.tuples(st.sampled_from(["floor", "ceil"]), sub(dim)),
            st.tuples(st.just("round"), sub(dim), st.integers(0, 3)),
            st.sampled_from(sorted(LEAVES)).flatmap(lambda d: st.tuples(st.just("where"), st.sampled_from(sorted(CMP)), sub(d), sub(d), sub(dim), sub(dim))),
        ]
    return st.one_of(options)


leaf_values = st.fixed_dictionaries({name: st.floats(0.5, 1000.0) for name in CANON})


@settings(max_examples=300, deadline=None)
@given(data=st.data(), env=leaf_values)
def test_property_units_and_values(data, env):
    """Random formulas over + - * / min max with unit-carrying inputs (MWh, kWh, tCO2, kgCO2, ...)
    equal plain Python arithmetic done in canonical units, in any declared unit of the right dimension."""
    dim = data.draw(st.sampled_from(sorted(LEAVES)), label="dimension")
    tree = data.draw(dimensioned(dim, 3), label="tree")
    unit = data.draw(st.sampled_from(DECLARED[dim]), label="declared unit")
    text = text_of(tree)
    formula = Formula(text)
    formula.check(SYMBOLS, unit)  # units are consistent by construction
    engine = formula.evaluate(env, SYMBOLS, {}, unit)
    if tree[0] == "const":  # a bare constant is read in the declared unit (e.g. PE_p = 0 tCO2/p)
        assert engine == tree[1]
        return
    reference = python_value(tree, env, CANON)  # in MWh / tCO2 / tCO2 per MWh / number
    bound = 1e-9 * magnitude(tree, env, CANON)
    assert abs(engine * UNIT_CANON[unit] - reference) <= bound, (text, unit, engine, reference)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_property_wrong_declared_dimension_is_refused(data):
    dim = data.draw(st.sampled_from(sorted(LEAVES)))
    tree = data.draw(dimensioned(dim, 2))
    other = data.draw(st.sampled_from([d for d in sorted(DECLARED) if d != dim]))
    unit = data.draw(st.sampled_from(DECLARED[other]))
    assume(tree[0] != "const")  # a bare constant takes whatever unit is declared
    with pytest.raises(FormulaError, match="the formula's unit does not match the declared unit"):
        Formula(text_of(tree)).check(SYMBOLS, unit)


@functools.cache
def plain(depth: int) -> st.SearchStrategy:
    """Dimensionless formulas over + - * / min max, any divisor (division by zero included)."""
    leaf = st.one_of(st.sampled_from(["r", "s"]).map(lambda n: ("name", n)), st.integers(0, 9).map(lambda v: ("const", float(v))))
    if depth == 0:
        return leaf
    sub = plain(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*", "/"]), sub, sub),
        st.tuples(st.just("ext"), st.sampled_from(["min", "max"]), sub, sub),
        st.tuples(st.just("neg"), sub),
    )


@settings(max_examples=300, deadline=None)
@given(tree=plain(4), r=st.floats(-1e6, 1e6, allow_subnormal=False), s=st.floats(-1e6, 1e6, allow_subnormal=False))
def test_property_plain_arithmetic(tree, r, s):
    """Same operations, same order: the engine's number is Python's number (or both divide by zero)."""
    env = {"r": r, "s": s}
    text = text_of(tree)
    try:
        reference = python_value(tree, env)
    except ZeroDivisionError:
        with pytest.raises(FormulaError, match="division by zero"):
            ev(text, env, "-")
        return
    engine = ev(text, env, "-")
    assert engine == reference or math.isclose(engine, reference, rel_tol=1e-12) or (math.isnan(engine) and math.isnan(reference)), text


@settings(max_examples=200, deadline=None)
@given(
    members=st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=0, max_size=8, unique=True),
    data=st.data(),
)
def test_property_sum_over_members(members, data):
    """sum(x, i) is Python's sum over the members; kWh members are scaled by 1e-3 to MWh."""
    x = {m: data.draw(st.floats(0, 1e6), label=f"x[{m}]") for m in members}
    k = {m: data.draw(st.floats(-10, 10), label=f"k[{m}]") for m in members}
    indices = {"i": members}
    assert ev("sum(x, i)", {"x": x}, "MWh/p", indices) == sum(x[m] for m in members)
    assert ev("sum(xk, i)", {"xk": x}, "MWh/p", indices) == pytest.approx(sum(x[m] for m in members) * 1e-3, rel=1e-12, abs=1e-12)
    weighted = sum(x[m] * k[m] for m in members)
    scale = sum(abs(x[m] * k[m]) for m in members)
    assert abs(ev("sum(x * k, i)", {"x": x, "k": k}, "MWh/p", indices) - weighted) <= 1e-12 * scale


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), env=leaf_values)
def test_property_excel_text_computes_the_same_number(data, env):
    """to_excel of a random formula (with floor, ceil, round, where), evaluated by a tiny reference
    evaluator of Excel formulas over the cell values, equals the engine's number."""
    dim = data.draw(st.sampled_from(sorted(LEAVES)), label="dimension")
    tree = data.draw(dimensioned(dim, 3, rounding=True), label="tree")
    unit = data.draw(st.sampled_from(DECLARED[dim]), label="declared unit")
    text = text_of(tree)
    formula = Formula(text)
    engine = formula.evaluate(env, SYMBOLS, {}, unit)
    cells, ref = cells_for(env, {})
    sheet = excel_eval(formula.to_excel(ref, SYMBOLS, {}, unit), cells)
    assert math.isclose(sheet, engine, rel_tol=1e-12, abs_tol=1e-12), (text, unit, sheet, engine)


@settings(max_examples=100, deadline=None)
@given(
    members=st.lists(st.sampled_from(["PV-1", "PV-2", "PV-3", "B", "C9"]), min_size=1, max_size=5, unique=True),
    data=st.data(),
)
def test_property_excel_sum_matches(members, data):
    x = {m: data.draw(st.floats(0, 1e5)) for m in members}
    k = {m: data.draw(st.floats(0.1, 10)) for m in members}
    env = {"x": x, "xk": {m: v * 1000 for m, v in x.items()}, "k": k, "EF": data.draw(st.floats(0.1, 1.0))}
    indices = {"i": members}
    for text, unit in [("sum(x * k, i) * EF", "tCO2/p"), ("sum(xk, i) - sum(x, i)", "kWh"), ("max(sum(x, i), sum(xk, i))", "MWh/p")]:
        formula = Formula(text)
        engine = formula.evaluate(env, SYMBOLS, indices, unit)
        cells, ref = cells_for(env, indices)
        sheet = excel_eval(formula.to_excel(ref, SYMBOLS, indices, unit), cells)
        assert math.isclose(sheet, engine, rel_tol=1e-12, abs_tol=1e-9), (text, sheet, engine)
