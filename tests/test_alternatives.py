"""Equations with alternative formulas, selected by the monitoring period (methodologies/README.md 2.4).

TH_AM016's power consumption is either metered or rated power x daily lighting hours x opening
days. The period selects one; the parameters only the other one uses are neither required nor
allowed; the sheet shows the selected formula, live.
"""

from __future__ import annotations

import copy

import openpyxl
import pytest

import jcmwb
from jcmwb.engine.errors import FormulaError, InputError, SpecError
from jcmwb.engine.spec import load_spec, parse_spec
from jcmwb.run.notebook import build
from jcmwb.sheets.recalc import cell_values, formula_cells, recalculate, soffice
from jcmwb.sheets.workbook import CALC_SHEET, write_workbook

METERED = {
    "methodology": "TH_AM016",
    "project": {"id": "ALT-M"},
    "period": {"start": "2023-01-01", "end": "2023-01-31"},
    "fixed": {"LE_PJ_i": {"values": {"G1": 100, "G2": 80}, "unit": "lm/W", "source": "test reports"}},
    "monitored": {"EC_M_i_p": {"option": "C", "unit": "MWh", "values": {"G1": 2.0, "G2": 1.0}}},
}
RATED = {
    "methodology": "TH_AM016",
    "project": {"id": "ALT-R"},
    "period": {"start": "2023-01-01", "end": "2023-01-31"},
    "alternatives": {"EC_PJ_i_p": "rated"},
    "fixed": {
        "P_PJ_i": {"values": {"G1": 2.0, "G2": 4.0}, "unit": "kW", "source": "schedules"},
        "H_i": {"values": {"G1": 10, "G2": 12}, "unit": "h/d", "source": "lighting schedule"},
        "LE_PJ_i": {"values": {"G1": 100, "G2": 80}, "unit": "lm/W", "source": "test reports"},
    },
    "monitored": {"OD_i_p": {"option": "B", "unit": "d", "values": {"G1": 30, "G2": 25}}},
}

# A small spec: E has two alternatives; "b" uses the equation X, which alone uses Q.
SMALL = {
    "id": "XX_AM950",
    "title": "alternatives test",
    "family": "test",
    "sectoral_scope": 3,
    "country": "XX",
    "versions": [{"version": "01.0", "approved": "2020-01-01"}],
    "parameters": {
        "A": {"symbol": "A", "description": "metered", "unit": "MWh/p", "kind": "monitored", "options": ["C"]},
        "Q": {"symbol": "Q", "description": "only used by X", "unit": "MWh/p", "kind": "monitored", "options": ["C"]},
        "EF": {"symbol": "EF", "description": "factor", "unit": "tCO2/MWh", "kind": "fixed_default", "values": [{"from": "2020-01-01", "value": 0.5, "status": "provisional", "source": "test"}]},
    },
    "equations": {
        "ER_p": {"symbol": "ER_p", "description": "er", "formula": "E * EF", "unit": "tCO2/p", "block": "emission_reductions"},
        "E": {
            "symbol": "E",
            "description": "energy",
            "unit": "MWh/p",
            "block": "reference",
            "alternatives": {"a": {"description": "metered", "formula": "A"}, "b": {"description": "derived", "formula": "X * 2"}},
        },
        "X": {"symbol": "X", "description": "only used by b", "formula": "Q", "unit": "MWh/p", "block": "reference"},
    },
    "result": "ER_p",
}


def test_spec_reads_alternatives():
    eq = load_spec("TH_AM016").equations["EC_PJ_i_p"]
    assert list(eq.alternatives) == ["metered", "rated"]
    assert eq.default_alternative == "metered"
    assert eq.formula.text == "EC_M_i_p"  # the default alternative's, until a period selects one
    assert eq.alternatives["rated"].formula.text == "P_PJ_i * H_i * OD_i_p"


def test_default_alternative_needs_only_its_parameters():
    result = jcmwb.calculate(METERED)
    assert result.period.alternatives == {"EC_PJ_i_p": "metered"}
    assert result.values["EC_PJ_i_p"] == {"G1": 2.0, "G2": 1.0}
    assert not {"P_PJ_i", "H_i", "OD_i_p"} & set(result.values)
    # RE = (2 x 100/65 + 1 x 80/65) x 0.5 = 280/65 x 0.5 = 2.153846...; PE = 3 x 0.5 = 1.5
    assert result.values["RE_p"] == pytest.approx(280 / 65 * 0.5, abs=1e-12)
    assert result.values["PE_p"] == pytest.approx(1.5, abs=1e-12)
    assert any("alternative 'metered'" in n for n in result.notes)


def test_rated_alternative():
    result = jcmwb.calculate(RATED)
    # G1: 2 kW x 10 h/d x 30 d = 600 kWh = 0.6 MWh ; G2: 4 kW x 12 h/d x 25 d = 1200 kWh = 1.2 MWh
    assert result.values["EC_PJ_i_p"] == pytest.approx({"G1": 0.6, "G2": 1.2}, abs=1e-12)
    assert result.values["EC_PJ_p"] == pytest.approx(1.8, abs=1e-12)
    assert "EC_M_i_p" not in result.values and "EC_M_i_p" not in result.monitored
    node = result.nodes["EC_PJ_i_p"]
    assert node.formula == "P_PJ_i * H_i * OD_i_p"
    assert any("alternative 'rated'" in n for n in node.notes)
    assert "alternative 'rated'" in result.explain()


def test_parameter_of_the_other_alternative_is_refused():
    both = copy.deepcopy(RATED)
    both["monitored"]["EC_M_i_p"] = {"option": "C", "unit": "MWh", "values": {"G1": 1, "G2": 1}}
    with pytest.raises(InputError) as info:
        jcmwb.calculate(both)
    assert info.value.where == "monitored.EC_M_i_p"
    assert "EC_M_i_p is not used with the alternatives selected (EC_PJ_i_p: rated)" in info.value.message
    assert "EC_PJ_i_p: metered" in info.value.expected
    fixed = copy.deepcopy(METERED)
    fixed["fixed"]["H_i"] = {"values": {"G1": 10, "G2": 12}, "unit": "h/d", "source": "x"}
    with pytest.raises(InputError, match="fixed.H_i: H_i is not used"):
        jcmwb.calculate(fixed)


def test_parameter_of_the_selected_alternative_is_required():
    missing = copy.deepcopy(RATED)
    del missing["monitored"]["OD_i_p"]
    with pytest.raises(InputError, match="missing monitored parameter OD_i_p"):
        jcmwb.calculate(missing)
    missing = copy.deepcopy(RATED)
    del missing["fixed"]["P_PJ_i"]
    with pytest.raises(InputError, match="missing project-specific parameter P_PJ_i"):
        jcmwb.calculate(missing)


def test_bad_selections():
    unknown = copy.deepcopy(RATED)
    unknown["alternatives"] = {"EC_PJ_i_p": "estimated"}
    with pytest.raises(InputError) as info:
        jcmwb.calculate(unknown)
    assert info.value.line().endswith("alternatives.EC_PJ_i_p: unknown alternative; expected one of metered, rated, found 'estimated'")
    no_alternatives = copy.deepcopy(RATED)
    no_alternatives["alternatives"] = {"RE_p": "rated"}
    with pytest.raises(InputError, match="alternatives.RE_p: not an equation with alternatives of TH_AM016; expected one of EC_PJ_i_p"):
        jcmwb.calculate(no_alternatives)
    other = copy.deepcopy(RATED)
    other["methodology"] = "TH_AM001"
    other["monitored"] = {"EG_i_p": {"option": "C", "unit": "MWh", "values": {"PV-1": 1}}}
    other["fixed"] = {}
    with pytest.raises(InputError, match="expected one of none in this methodology"):
        jcmwb.calculate(other)


def test_unused_equation_and_its_parameters_follow_transitively():
    spec = parse_spec(copy.deepcopy(SMALL), file="small.yaml")
    assert spec.inactive({"E": "a"}) == {"X", "Q"}
    assert spec.inactive({"E": "b"}) == {"A"}
    resolved = spec.resolve({"E": "b"})
    assert set(resolved.equations) == {"ER_p", "E", "X"} and set(resolved.parameters) == {"Q", "EF"}
    assert resolved.equations["E"].formula.text == "X * 2" and resolved.equations["E"].alternative == "b"
    assert resolved.order.index("X") < resolved.order.index("E")
    assert spec.equations["E"].alternative is None  # the spec itself is unchanged


def test_spec_errors_in_alternatives():
    def fails(change) -> SpecError:
        raw = copy.deepcopy(SMALL)
        change(raw)
        with pytest.raises(SpecError) as info:
            parse_spec(raw, file="small.yaml")
        return info.value

    err = fails(lambda r: r["equations"]["E"].update(formula="A"))
    assert "equations.E: give either formula or alternatives" in err.line()
    err = fails(lambda r: r["equations"]["E"].update(default_alternative="c"))
    assert err.where == "equations.E.default_alternative" and err.found == "'c'"
    err = fails(lambda r: r["equations"]["E"]["alternatives"].pop("b"))
    assert "expected a mapping of two or more named alternatives" in err.message
    err = fails(lambda r: r["equations"]["E"]["alternatives"]["b"].update(formula="X * EF"))
    assert isinstance(err, FormulaError)
    assert err.where == "equations.E.alternatives.b.formula" and "does not match the declared unit" in err.message
    err = fails(lambda r: r["equations"]["E"]["alternatives"]["a"].update(formula="A + B"))
    assert err.where == "equations.E.alternatives.a.formula" and err.found == "'B'"
    err = fails(lambda r: r["equations"]["X"].update(default_alternative="a"))
    assert "default_alternative applies to equations with alternatives only" in err.message


def test_workbook_formula_is_the_selected_alternative(tmp_path):
    result = jcmwb.calculate(RATED)
    path = write_workbook(result, tmp_path / "MRS.xlsx")
    formulas = openpyxl.load_workbook(path)[CALC_SHEET]
    values = openpyxl.load_workbook(path, data_only=True)[CALC_SHEET]
    rows = [r for r in range(1, formulas.max_row + 1) if str(formulas.cell(r, 5).value) == "EC_PJ,i,p"]
    assert len(rows) == 2  # one row per group
    for row, expected in zip(rows, (0.6, 1.2)):
        text = formulas.cell(row, 3).value
        assert text.startswith("=") and text.count("'MRS(input)'!") == 3, text  # P x H x OD, three input cells
        assert values.cell(row, 3).value == pytest.approx(expected, abs=1e-12)
        assert "P_PJ_i * H_i * OD_i_p" in formulas.cell(row, 6).value
        assert "alternative 'rated'" in formulas.cell(row, 7).value


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_recalculates_the_selected_alternative(tmp_path):
    for n, source in enumerate((METERED, RATED)):
        result = jcmwb.calculate(source)
        ours = write_workbook(result, tmp_path / f"mrs{n}.xlsx")
        theirs = recalculate(ours, tmp_path / f"lo{n}")
        mine, other = cell_values(ours), cell_values(theirs)
        for key in formula_cells(ours):
            assert other[key] == pytest.approx(mine[key], rel=1e-12, abs=1e-9), key


def test_notebook_shows_every_alternative():
    book = build(load_spec("TH_AM016"), None)
    text = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    assert "one of 2 alternatives" in text
    assert "`metered`" in text and "`rated`" in text
    assert r"P_{PJ,i} \times H_{i} \times OD_{i,p}" in text
