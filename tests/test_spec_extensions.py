"""Extensions of the spec language made for the second batch of methodologies (issue 13, item 2).

Each is generic (no methodology-specific Python) and documented in methodologies/README.md:

- ``slope(Y, X, h)`` and ``intercept(Y, X, h)``: the least-squares line through the members of an
  index, for a relationship fitted from historical data that the period file gives as a table
  fixed ex ante (JCM_ID_AM007: fuel against steam of the boilers before the project);
- the mark of a structure inferred from the family (``structure: {status: inferred}``) is a
  warning of every result, so the CLI, the notebook, the Monitoring Report Sheet and the app
  show it.

The expected numbers are derived by hand in the comments.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import yaml

import jcmwb
from jcmwb.engine.errors import FormulaError, InputError, SpecError
from jcmwb.engine.formulas import FitError, Formula, Symbol, least_squares
from jcmwb.engine.period import parse_period
from jcmwb.engine.spec import parse_spec
from jcmwb.sheets.recalc import cell_values, recalculate, soffice
from jcmwb.sheets.workbook import CALC_SHEET, INPUT_SHEET, QUALITY_SHEET, write_workbook

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")

# A boiler house whose fuel use was related to its steam before the project: per historical record
# h, the mean steam rate X_h [t/h] and fuel rate Y_h [GJ/h]. The line Y = a X + b gives the
# reference fuel of the period: a x steam + b x hours.
FIT_SPEC = yaml.safe_load(
    """
id: XX_AM907
title: Test methodology (historical relationship)
family: boiler_optimisation
sectoral_scope: 3
country: XX
versions:
  - {version: "01.0", approved: 2020-01-01}
indices:
  h: {en: "historical record"}
parameters:
  SG_p: {symbol: "SG_p", description: steam generated, unit: t/p, kind: monitored, options: [C]}
  H_p: {symbol: "H_p", description: hours of steam generation, unit: h, kind: monitored, options: [C]}
  FC_p: {symbol: "FC_p", description: fuel energy consumed, unit: GJ/p, kind: monitored, options: [C]}
  X_h: {symbol: "X_h", description: historical steam rate, unit: t/h, kind: fixed_project, index: h}
  Y_h: {symbol: "Y_h", description: historical fuel rate, unit: GJ/h, kind: fixed_project, index: h}
  EF: {symbol: "EF", description: emission factor, unit: tCO2/GJ, kind: fixed_default,
       values: [{from: 2020-01-01, value: 0.05, status: confirmed, source: "test value"}]}
equations:
  ER_p: {symbol: ER_p, description: reductions, formula: RE_p - PE_p, unit: tCO2/p, block: emission_reductions, rounding: down}
  a_RE: {symbol: a, description: slope, formula: "slope(Y_h, X_h, h)", unit: GJ/t, block: reference}
  b_RE: {symbol: b, description: intercept, formula: "intercept(Y_h, X_h, h)", unit: MJ/h, block: reference}
  RE_p: {symbol: RE_p, description: reference, formula: (a_RE * SG_p + b_RE * H_p) * EF, unit: tCO2/p, block: reference}
  PE_p: {symbol: PE_p, description: project, formula: FC_p * EF, unit: tCO2/p, block: project}
result: ER_p
"""
)
RECORDS = {"X_h": {"m01": 2.0, "m02": 4.0, "m03": 6.0, "m04": 8.0}, "Y_h": {"m01": 7.0, "m02": 12.0, "m03": 16.0, "m04": 21.0}}


def _period(records: dict | None = None) -> dict:
    records = records or RECORDS
    return {
        "methodology": "XX_AM907",
        "project": {"id": "TEST-FIT"},
        "period": {"start": "2021-01-01", "end": "2021-12-31"},
        "fixed": {
            "X_h": {"values": records["X_h"], "unit": "t/h", "source": "boiler log 2019-2020"},
            "Y_h": {"values": records["Y_h"], "unit": "GJ/h", "source": "boiler log 2019-2020"},
        },
        "monitored": {
            "SG_p": {"option": "C", "unit": "t", "values": {"plant": 20000}},
            "H_p": {"option": "C", "unit": "h", "values": {"plant": 4000}},
            "FC_p": {"option": "C", "unit": "GJ", "values": {"plant": 50000}},
        },
    }


def _calc(raw: dict, tmp_path: Path, spec_raw: dict | None = None) -> jcmwb.Result:
    spec = parse_spec(copy.deepcopy(spec_raw or FIT_SPEC), file="fit.yaml")
    return jcmwb.calculate(parse_period(raw, spec=spec, base_dir=tmp_path))


# -- slope and intercept -----------------------------------------------------------------------
def test_least_squares_by_hand():
    # x 2 4 6 8 (mean 5), y 7 12 16 21 (mean 14); deviations x -3 -1 1 3, y -7 -2 2 7
    # Sxy = 21 + 2 + 2 + 21 = 46, Sxx = 9 + 1 + 1 + 9 = 20: slope 2.3, intercept 14 - 2.3 x 5 = 2.5
    slope, intercept = least_squares([7.0, 12.0, 16.0, 21.0], [2.0, 4.0, 6.0, 8.0])
    assert math.isclose(slope, 2.3, rel_tol=1e-15) and math.isclose(intercept, 2.5, rel_tol=1e-15)


def test_a_line_needs_two_members_with_different_x():
    with pytest.raises(FitError, match="1 member"):
        least_squares([1.0], [1.0])
    with pytest.raises(FitError, match="X equal to 3 at all 2 members"):
        least_squares([1.0, 2.0], [3.0, 3.0])


def test_the_fitted_line_enters_the_result_in_its_units(tmp_path):
    result = _calc(_period(), tmp_path)
    # slope 2.3 GJ/t; intercept 2.5 GJ/h = 2500 MJ/h (declared MJ/h: converted)
    assert math.isclose(result.values["a_RE"], 2.3, rel_tol=1e-12)
    assert math.isclose(result.values["b_RE"], 2500.0, rel_tol=1e-12)
    # RE = (2.3 x 20000 + 2.5 x 4000) x 0.05 = (46000 + 10000) x 0.05 = 2800; PE = 50000 x 0.05 = 2500
    assert math.isclose(result.values["RE_p"], 2800.0, rel_tol=1e-12)
    assert result.values["PE_p"] == 2500.0 and result.er == 300.0
    assert result.indices["h"] == ["m01", "m02", "m03", "m04"]


def test_records_that_give_no_line_are_an_input_error_naming_the_period(tmp_path):
    flat = {"X_h": {"m01": 5.0, "m02": 5.0}, "Y_h": {"m01": 10.0, "m02": 12.0}}
    with pytest.raises(InputError) as info:
        _calc(_period(flat), tmp_path)
    assert "a_RE: no least-squares line through the data" in str(info.value)
    assert info.value.where == "equation a_RE = slope(Y_h, X_h, h)"
    assert info.value.found == "X equal to 5 at all 2 members"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("slope(Y_h * 2, X_h, h)", "slope takes two names indexed by an index, and the index"),
        ("slope(Y_h, X_h)", "slope takes two names indexed by an index, and the index"),
        ("intercept(Y_h, SG_p, h)", "intercept fits names indexed by h"),
        ("slope(Y_h, X_h, k)", "unknown index in slope"),
    ],
)
def test_a_bad_fit_is_refused_when_the_spec_is_read(formula, message):
    raw = copy.deepcopy(FIT_SPEC)
    raw["equations"]["a_RE"]["formula"] = formula
    with pytest.raises(FormulaError) as info:
        parse_spec(raw, file="fit.yaml")
    assert message in str(info.value)


def test_the_units_of_the_line_are_checked():
    raw = copy.deepcopy(FIT_SPEC)
    raw["equations"]["a_RE"]["unit"] = "GJ/h"  # a slope of GJ/h over t/h is GJ/t
    with pytest.raises(SpecError, match="unit does not match"):
        parse_spec(raw, file="fit.yaml")


def test_latex_names_the_fit_and_its_index():
    symbols = {"Y": Symbol("Y", "GJ", "h", "Y_h"), "X": Symbol("X", "t", "h", "X_h")}
    assert Formula("slope(Y, X, h)").to_latex(symbols) == r"\mathrm{slope}_{h}\left(Y_h, X_h\right)"


def test_the_sheet_fits_with_slope_and_intercept_over_the_table(tmp_path):
    result = _calc(_period(), tmp_path)
    path = write_workbook(result, tmp_path / "MRS.xlsx")
    formulas = [c.value for row in openpyxl.load_workbook(path)[CALC_SHEET].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    # the four records are consecutive rows of Table 2: one range each
    assert any(f.startswith("=SLOPE('MRS(input)'!$D$") and f.count(":") == 2 for f in formulas), formulas
    assert any(f.startswith("=(INTERCEPT('MRS(input)'!$D$") for f in formulas), formulas  # x 1000: GJ/h -> MJ/h


def test_cells_that_are_no_range_are_fitted_with_sums():
    symbols = {"Y": Symbol("Y", "GJ", "h"), "X": Symbol("X", "t", "h")}
    refs = {("Y", "a"): "$B$1", ("Y", "b"): "$B$2", ("X", "a"): "$A$1", ("X", "b"): "$A$3"}
    text = Formula("slope(Y, X, h)").to_excel(lambda n, b: refs[(n, b["h"])], symbols, {"h": ["a", "b"]}, "GJ/t")
    assert "SLOPE" not in text and text.startswith("(SUM(") and "^2" in text


@needs_soffice
def test_libreoffice_recalculates_the_fit_to_the_engine_numbers(tmp_path):
    """Both spreadsheet forms: SLOPE/INTERCEPT over ranges (the MRS) and the sums (cells apart)."""
    result = _calc(_period(), tmp_path)
    mrs = write_workbook(result, tmp_path / "MRS.xlsx")
    xs, ys = [1.5, 2.25, 4.0, 7.75, 9.0], [3.1, 5.0, 8.2, 14.9, 17.3]
    symbols = {"Y": Symbol("Y", "GJ", "h"), "X": Symbol("X", "t", "h")}
    members = [f"r{k}" for k in range(len(xs))]
    refs = {**{("X", m): f"$A${2 * k + 1}" for k, m in enumerate(members)}, **{("Y", m): f"$B${2 * k + 1}" for k, m in enumerate(members)}}
    loose = tmp_path / "loose.xlsx"
    book = xlsxwriter.Workbook(str(loose))
    sheet = book.add_worksheet("s")
    for k, (x, y) in enumerate(zip(xs, ys)):  # every other row: no range
        sheet.write_number(2 * k, 0, x)
        sheet.write_number(2 * k, 1, y)
    for col, func in ((3, "slope"), (4, "intercept")):
        text = Formula(f"{func}(Y, X, h)").to_excel(lambda n, b: refs[(n, b["h"])], symbols, {"h": members}, "GJ/t" if func == "slope" else "GJ")
        assert "SLOPE" not in text and "INTERCEPT" not in text
        sheet.write_formula(0, col, "=" + text, None, 0)
    book.close()
    ours = cell_values(mrs)
    theirs = cell_values(recalculate(mrs, tmp_path / "lo1"))
    fitted = [k for k, v in ours.items() if k[0] == CALC_SHEET and isinstance(v, float)]
    for key in fitted:
        assert math.isclose(ours[key], theirs[key], rel_tol=1e-12, abs_tol=1e-9), key
    slope, intercept = least_squares(ys, xs)
    recalculated = cell_values(recalculate(loose, tmp_path / "lo2"))
    assert math.isclose(recalculated[("s", "D1")], slope, rel_tol=1e-12)
    assert math.isclose(recalculated[("s", "E1")], intercept, rel_tol=1e-12)


# -- the inferred structure is a warning of every result -------------------------------------
INFERRED = {"status": "inferred", "source": "Inferred from the family of XX_AM907, official text not seen"}


def test_an_inferred_structure_is_a_warning_of_the_result(tmp_path):
    raw = copy.deepcopy(FIT_SPEC)
    raw["structure"] = INFERRED
    result = _calc(_period(), tmp_path, raw)
    warning = [w for w in result.warnings if w.startswith("STRUCTURE INFERRED")]
    assert warning == [
        "STRUCTURE INFERRED: the equations of JCM_XX_AM907 are inferred from its family, the official methodology text was not seen; "
        "confirm them against the official methodology before use (Inferred from the family of XX_AM907, official text not seen)"
    ]
    assert warning[0] in result.summary()["warnings"]  # what the CLI and the runner print


def test_an_official_structure_gives_no_such_warning(tmp_path):
    assert not [w for w in _calc(_period(), tmp_path).warnings if "STRUCTURE" in w]


def test_the_sheet_says_so_in_its_header_and_warnings(tmp_path):
    raw = copy.deepcopy(FIT_SPEC)
    raw["structure"] = INFERRED
    path = write_workbook(_calc(_period(), tmp_path, raw), tmp_path / "MRS.xlsx")
    book = openpyxl.load_workbook(path)
    for name in (INPUT_SHEET, CALC_SHEET):
        header = [book[name].cell(r, 1).value or "" for r in range(1, 8)]
        assert any(h.startswith("WARNING: STRUCTURE INFERRED: the equations of JCM_XX_AM907") for h in header), (name, header)
    quality = [c.value for row in book[QUALITY_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("STRUCTURE INFERRED") for v in quality)


def test_every_inferred_methodology_of_the_library_warns(tmp_path):
    from jcmwb.engine.period import load_period, period_files
    from jcmwb.engine.spec import catalogue

    inferred = {s.id for s in catalogue() if s.structure_inferred}
    assert inferred
    examples = Path(__file__).resolve().parent.parent / "data" / "examples"
    seen = set()
    for path in period_files(examples):
        period = load_period(path)
        if period.spec.id in inferred:
            result = jcmwb.calculate(period)
            assert any(w.startswith(f"STRUCTURE INFERRED: the equations of JCM_{period.spec.id}") for w in result.warnings), path
            seen.add(period.spec.id)
    assert seen == inferred


def test_the_example_fixes_the_generated_history_ex_ante():
    """JCM_ID_AM007's example types the generator's historical table into its period file."""
    import csv

    from jcmwb.engine.period import load_period

    folder = Path(__file__).resolve().parent.parent / "data" / "examples" / "ID_AM007"
    with (folder / "historical-2014-2015-monthly.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fixed = load_period(folder / "EXAMPLE-ID007_2016.yaml").fixed
    for name, column in (("SG_hist_h", "steam_t"), ("EC_hist_h", "fuel_GJ"), ("H_hist_h", "hours_h")):
        assert fixed[name].values == {r["month"]: float(r[column]) for r in rows}, name


# -- alternatives selected together (selected_with) -------------------------------------------
# Equipment a building may not have: the reference and the project side of a type are counted or
# left out together, by one choice of the period (JCM_VN_AM003's chillers, boilers, lighting).
LINKED_SPEC = yaml.safe_load(
    """
id: XX_AM908
title: Test methodology (equipment types)
family: building_equipment
sectoral_scope: 3
country: XX
versions:
  - {version: "01.0", approved: 2020-01-01}
parameters:
  EC_c_p: {symbol: "EC_{c,p}", description: chiller electricity, unit: MWh/p, kind: monitored, index: c, options: [C]}
  COP_PJ_c: {symbol: "COP_{PJ,c}", description: project COP, unit: "-", kind: fixed_project, index: c}
  Cap_c: {symbol: "Cap_c", description: capacity, unit: kW, kind: fixed_project, index: c}
  COP_RE_c:
    symbol: "COP_{RE,c}"
    description: reference COP
    unit: "-"
    kind: fixed_default
    index: c
    lookup_by: Cap_c
    values: [{from: 2020-01-01, status: confirmed, source: "test table", table: [{min: 0, value: 5.0}]}]
  EC_L_p: {symbol: "EC_{L,p}", description: lighting electricity, unit: MWh/p, kind: monitored, options: [C]}
  EF: {symbol: EF, description: emission factor, unit: tCO2/MWh, kind: fixed_default,
       values: [{from: 2020-01-01, value: 0.5, status: confirmed, source: "test value"}]}
equations:
  ER_p: {symbol: ER_p, description: reductions, formula: RE_p - PE_p, unit: tCO2/p, block: emission_reductions}
  RE_CH_p:
    symbol: RE_CH
    description: chillers, reference
    unit: tCO2/p
    block: reference
    alternatives:
      installed: {description: installed, formula: "sum(EC_c_p * COP_PJ_c / COP_RE_c, c) * EF"}
      none: {description: none, formula: "0"}
  RE_p: {symbol: RE_p, description: reference, formula: RE_CH_p + EC_L_p * EF, unit: tCO2/p, block: reference}
  PE_CH_p:
    symbol: PE_CH
    description: chillers, project
    unit: tCO2/p
    block: project
    selected_with: RE_CH_p
    alternatives:
      installed: {description: installed, formula: "sum(EC_c_p, c) * EF"}
      none: {description: none, formula: "0"}
  PE_p: {symbol: PE_p, description: project, formula: PE_CH_p + EC_L_p * EF / 2, unit: tCO2/p, block: project}
result: ER_p
"""
)


def _linked(alternatives: dict | None = None, chillers: bool = True) -> dict:
    raw: dict = {
        "methodology": "XX_AM908",
        "project": {"id": "TEST-LINKED"},
        "period": {"start": "2021-01-01", "end": "2021-12-31"},
        "monitored": {"EC_L_p": {"option": "C", "unit": "MWh", "values": {"L": 100}}},
    }
    if chillers:
        raw["fixed"] = {"COP_PJ_c": {"values": {"C1": 6.0}, "source": "sheet"}, "Cap_c": {"values": {"C1": 500}, "unit": "kW", "source": "sheet"}}
        raw["monitored"]["EC_c_p"] = {"option": "C", "unit": "MWh", "values": {"C1": 200}}
    if alternatives is not None:
        raw["alternatives"] = alternatives
    return raw


def _linked_calc(raw: dict, tmp_path: Path, spec_raw: dict | None = None) -> jcmwb.Result:
    spec = parse_spec(copy.deepcopy(spec_raw or LINKED_SPEC), file="linked.yaml")
    return jcmwb.calculate(parse_period(raw, spec=spec, base_dir=tmp_path))


def test_the_period_selects_the_leader_only():
    spec = parse_spec(copy.deepcopy(LINKED_SPEC), file="linked.yaml")
    assert list(spec.alternatives()) == ["RE_CH_p"]
    assert spec.equations["PE_CH_p"].selected_with == "RE_CH_p"


def test_both_sides_count_the_equipment_by_default(tmp_path):
    result = _linked_calc(_linked(), tmp_path)
    # RE_CH = 200 x 6.0 / 5.0 x 0.5 = 120 ; PE_CH = 200 x 0.5 = 100 ; lighting RE 50, PE 25
    assert (result.values["RE_CH_p"], result.values["PE_CH_p"], result.er) == (120.0, 100.0, 45.0)


def test_none_leaves_out_both_sides_and_every_input_they_alone_use(tmp_path):
    result = _linked_calc(_linked({"RE_CH_p": "none"}, chillers=False), tmp_path)
    assert (result.values["RE_CH_p"], result.values["PE_CH_p"], result.er) == (0.0, 0.0, 25.0)
    assert result.spec.equations["PE_CH_p"].alternative == "none"
    # the capacity only looked the reference COP up: with the COP unused it is not asked for either
    assert not {"EC_c_p", "COP_PJ_c", "COP_RE_c", "Cap_c"} & set(result.spec.parameters)


def test_inputs_of_equipment_left_out_are_refused(tmp_path):
    with pytest.raises(InputError, match="COP_PJ_c is not used with the alternatives selected"):
        _linked_calc(_linked({"RE_CH_p": "none"}, chillers=True), tmp_path)
    raw = _linked({"RE_CH_p": "none"}, chillers=False)
    raw["fixed"] = {"Cap_c": {"values": {"C1": 500}, "unit": "kW", "source": "sheet"}}  # the lookup key alone
    with pytest.raises(InputError, match="Cap_c is not used with the alternatives selected"):
        _linked_calc(raw, tmp_path)


def test_the_follower_cannot_be_selected_on_its_own(tmp_path):
    with pytest.raises(InputError) as info:
        _linked_calc(_linked({"RE_CH_p": "installed", "PE_CH_p": "none"}), tmp_path)
    assert info.value.where == "alternatives.PE_CH_p"
    assert "PE_CH_p takes the alternative selected for RE_CH_p" in str(info.value)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda eqs: eqs["PE_CH_p"].update(selected_with="RE_p"), "equations.PE_CH_p.selected_with", "must name another equation whose alternative the period selects"),
        (lambda eqs: eqs["PE_CH_p"].update(selected_with="PE_CH_p"), "equations.PE_CH_p.selected_with", "must name another equation whose alternative the period selects"),
        (lambda eqs: eqs["PE_CH_p"]["alternatives"].update(other={"description": "x", "formula": "0"}), "equations.PE_CH_p.alternatives", "same alternatives, in the same order"),
        (lambda eqs: eqs["PE_CH_p"].update(default_alternative="none"), "equations.PE_CH_p.default_alternative", "takes that one's default"),
        (lambda eqs: eqs["PE_p"].update(selected_with="RE_CH_p"), "equations.PE_p.selected_with", "applies to equations with alternatives only"),
    ],
)
def test_a_bad_selected_with_is_refused_naming_the_key(change, where, message):
    raw = copy.deepcopy(LINKED_SPEC)
    change(raw["equations"])
    with pytest.raises(SpecError) as info:
        parse_spec(raw, file="linked.yaml")
    assert info.value.where == where
    assert message in str(info.value)


def test_a_chain_of_followers_is_refused():
    raw = copy.deepcopy(LINKED_SPEC)
    raw["equations"]["PE2_p"] = copy.deepcopy(raw["equations"]["PE_CH_p"])
    raw["equations"]["PE2_p"]["selected_with"] = "PE_CH_p"
    with pytest.raises(SpecError) as info:
        parse_spec(raw, file="linked.yaml")
    assert info.value.where == "equations.PE2_p.selected_with"
