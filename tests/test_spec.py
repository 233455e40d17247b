"""jcmwb.engine.spec: the strict loader of methodology.yaml and the shipped specs."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib

import pytest
import yaml
from conftest import ROOT, SPECS

from jcmwb.engine.errors import FormulaError, InputError, SpecError
from jcmwb.engine.spec import RangeRow, Text, catalogue, load_spec, parse_spec
from jcmwb.engine.strict_yaml import load_yaml

MINIMAL = yaml.safe_load((SPECS / "minimal.yaml").read_text(encoding="utf-8"))


def spec_error(raw) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_spec(raw, file="test.yaml")
    return info.value


def minimal() -> dict:
    return copy.deepcopy(MINIMAL)


# -- the shipped specs ----------------------------------------------------------------------------
def test_th_am001_by_id_and_by_path():
    by_id = load_spec("TH_AM001")
    path = ROOT / "methodologies" / "TH_AM001" / "methodology.yaml"
    by_path = load_spec(path)
    assert by_id.id == by_path.id == "TH_AM001"
    assert by_id.path == path
    assert by_id.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert by_id.directory == path.parent


def test_th_am001_content():
    spec = load_spec("TH_AM001")
    assert spec.result == "ER_p"
    assert (spec.family, spec.sectoral_scope, spec.country) == ("renewable_power", 1, "TH")
    assert [(v.version, v.approved) for v in spec.versions] == [("01.0", dt.date(2016, 8, 23))]
    eg = spec.parameters["EG_i_p"]
    assert (eg.kind, eg.unit, eg.index, eg.options) == ("monitored", "MWh/p", "i", ("B", "C"))
    ef = spec.parameters["EF_RE"]
    assert ef.default_choice == "grid"
    assert [v.value for v in ef.values_for("grid")] == [0.4]
    assert [v.value for v in ef.values_for("captive")] == [0.8]
    assert all(v.provisional for c in ef.choices.values() for v in c.values)
    eq = spec.equations["ER_p"]
    assert (eq.rounding, eq.floor_at_zero, eq.block) == ("down", True, "emission_reductions")
    # every equation comes after the equations it uses
    assert spec.order.index("RE_p") < spec.order.index("ER_p")
    assert spec.order.index("PE_p") < spec.order.index("ER_p")
    assert sorted(spec.order) == sorted(spec.equations)
    assert [c.id for c in spec.eligibility] == ["1", "2", "3"]
    assert spec.title("ja") == "太陽光発電システムの導入"
    assert spec.indices["i"].en.startswith("solar PV system")


def test_id_am002_table():
    spec = load_spec("ID_AM002")
    cop = spec.parameters["COP_RE_i"]
    assert cop.lookup_by == "Cap_PJ_i"
    (dated,) = cop.values_for("default")
    assert [(r.low, r.high, r.value) for r in dated.table] == [(300, 450, 5.59), (450, 500, 5.69), (500, 1250, 5.85), (1250, None, 5.95)]
    assert dated.value is None
    assert spec.parameters["Cap_PJ_i"].unit == "USRt"


def test_range_row_is_closed_below_open_above():
    row = RangeRow(450.0, 500.0, 5.69)
    assert row.contains(450.0)
    assert row.contains(499.999)
    assert not row.contains(500.0)
    assert not row.contains(449.999)
    assert RangeRow(None, 10.0, 1.0).contains(-1e9)
    assert RangeRow(1250.0, None, 5.95).contains(1e9)


def test_provisional_defaults_are_listed():
    assert load_spec("TH_AM001").provisional_defaults() == ["EF_RE (grid)", "EF_RE (captive)"]
    assert load_spec("ID_AM002").provisional_defaults() == ["COP_RE_i", "EF_elec (grid)", "EF_elec (captive)"]
    assert load_spec(SPECS / "minimal.yaml").provisional_defaults() == []
    assert load_spec(SPECS / "two_dated.yaml").provisional_defaults() == ["EF"]


def test_catalogue_holds_the_shipped_specs():
    ids = [s.id for s in catalogue()]
    assert {"TH_AM001", "ID_AM002"} <= set(ids)
    assert ids == sorted(ids)


def test_symbols_table():
    symbols = load_spec("ID_AM002").symbols()
    assert symbols["EC_PJ_i_p"].unit == "MWh/p"
    assert symbols["EC_PJ_i_p"].index == "i"
    assert symbols["EC_PJ_i_p"].latex == "EC_{PJ,i,p}"
    assert symbols["ER_p"].unit == "tCO2/p"
    assert symbols["EF_elec"].index is None


def test_versions():
    spec = load_spec(SPECS / "two_dated.yaml")
    assert spec.version_at(dt.date(2021, 12, 31)).version == "01.0"
    assert spec.version_at(dt.date(2022, 1, 1)).version == "02.0"
    assert spec.version_at(dt.date(2019, 1, 1)).version == "01.0"  # before any approval: the first
    assert spec.version("02.0").approved == dt.date(2022, 1, 1)
    assert spec.version("03.0") is None
    assert spec.permissible_error_percent == 1.0


def test_text():
    assert Text("yes", "はい")("ja") == "はい"
    assert Text("yes")("ja") == "yes"
    assert str(Text("yes", "はい")) == "yes"


# -- strictness on mappings --------------------------------------------------------------------------
def test_minimal_mapping_is_valid():
    spec = parse_spec(minimal(), file="test.yaml")
    assert spec.order == ["RE_p", "ER_p"]


def test_unknown_top_level_key():
    raw = minimal()
    raw["equation"] = {}
    err = spec_error(raw)
    assert (err.where, err.message, err.found) == ("equation", "unknown key", "'equation'")


def test_default_choice_must_exist():
    raw = minimal()
    ef = raw["parameters"]["EF"]
    ef["choices"] = {"grid": {"description": "grid", "values": ef.pop("values")}}
    ef["default_choice"] = "diesel"
    err = spec_error(raw)
    assert (err.where, err.message, err.expected, err.found) == ("parameters.EF.default_choice", "unknown choice", "one of grid", "'diesel'")


def test_values_and_choices_are_exclusive():
    raw = minimal()
    raw["parameters"]["EF"]["choices"] = {"grid": {"description": "grid", "values": raw["parameters"]["EF"]["values"]}}
    err = spec_error(raw)
    assert err.message == "a fixed_default parameter needs either values or choices"


def test_options_only_on_monitored():
    raw = minimal()
    raw["parameters"]["EF"]["options"] = ["A"]
    assert spec_error(raw).where == "parameters.EF.options"


def test_monitoring_option_must_be_a_b_or_c():
    raw = minimal()
    raw["parameters"]["EG_i_p"]["options"] = ["C", "D"]
    err = spec_error(raw)
    assert (err.where, err.found) == ("parameters.EG_i_p.options", "'D'")


def test_values_on_monitored_parameter_refused():
    raw = minimal()
    raw["parameters"]["EG_i_p"]["values"] = [{"from": "2020-01-01", "value": 1, "status": "confirmed", "source": "x"}]
    assert spec_error(raw).where == "parameters.EG_i_p.values"


def test_value_and_table_are_exclusive():
    raw = minimal()
    raw["parameters"]["EF"]["values"][0]["table"] = [{"value": 1}]
    err = spec_error(raw)
    assert (err.where, err.message) == ("parameters.EF.values[0]", "give either value or table")


def test_lookup_by_must_name_a_fixed_project_parameter():
    raw = minimal()
    raw["parameters"]["EF"]["lookup_by"] = "EG_i_p"
    err = spec_error(raw)
    assert (err.where, err.message, err.found) == ("parameters.EF.lookup_by", "must name a fixed_project parameter", "'EG_i_p'")


def test_lookup_by_needs_the_same_index():
    raw = minimal()
    raw["parameters"]["Cap"] = {"symbol": "Q", "description": "capacity", "unit": "kW", "kind": "fixed_project"}
    raw["parameters"]["EF"]["lookup_by"] = "Cap"
    raw["parameters"]["EF"]["index"] = "i"
    err = spec_error(raw)
    assert err.message == "the looked-up parameter must have the same index"


def test_name_both_parameter_and_equation():
    raw = minimal()
    raw["equations"]["EF"] = {"symbol": "EF", "description": "x", "formula": "1", "unit": "-", "block": "defaults"}
    err = spec_error(raw)
    assert (err.where, err.message) == ("equations.EF", "a name is both a parameter and an equation")


def test_bad_names():
    raw = minimal()
    raw["parameters"]["2EF"] = raw["parameters"].pop("EF")
    assert spec_error(raw).message == "bad parameter name"
    raw = minimal()
    raw["equations"]["RE-p"] = raw["equations"].pop("RE_p")
    assert spec_error(raw).message == "bad equation name"


def test_bad_block_and_rounding():
    raw = minimal()
    raw["equations"]["RE_p"]["block"] = "baseline"
    err = spec_error(raw)
    assert (err.where, err.found) == ("equations.RE_p.block", "'baseline'")
    raw = minimal()
    raw["equations"]["ER_p"]["rounding"] = "floor"
    err = spec_error(raw)
    assert (err.where, err.expected) == ("equations.ER_p.rounding", "one of down, up, nearest, none")


def test_versions_oldest_first():
    raw = minimal()
    raw["versions"] = [{"version": "02.0", "approved": "2021-01-01"}, {"version": "01.0", "approved": "2020-01-01"}]
    assert spec_error(raw).message == "versions must be listed oldest first"


def test_non_number_default():
    raw = minimal()
    raw["parameters"]["EF"]["values"][0]["value"] = "0.5"
    err = spec_error(raw)
    assert (err.where, err.message, err.found) == ("parameters.EF.values[0].value", "expected a number", "'0.5'")


def test_formula_errors_are_formula_errors_naming_the_equation():
    raw = minimal()
    raw["equations"]["RE_p"]["formula"] = "sum(EG_i_p, i) ** EF"
    with pytest.raises(SpecError) as info:
        parse_spec(raw, file="test.yaml")
    assert isinstance((getattr(info.value, "problems", None) or [info.value])[0], FormulaError)
    assert info.value.line() == "test.yaml: equations.RE_p.formula: operator not allowed; expected + - * /, found Pow"


# -- load_yaml -------------------------------------------------------------------------------------
def test_load_yaml_duplicate_key_nested(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b: 1\n  c: 2\n  b: 3\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_yaml(path)
    assert info.value.line() == f"{path}: line 4: duplicate key; expected each key once, found 'b' again (first on line 2)"


def test_load_yaml_raises_the_requested_class(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path, error=InputError)
    assert type(info.value) is InputError
    assert info.value.where == "line 2"


def test_load_yaml_not_utf8(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(SpecError, match="not a UTF-8 text file"):
        load_yaml(path)


def test_load_yaml_keeps_valid_dates(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("d: 2021-02-28\n", encoding="utf-8")
    assert load_yaml(path) == {"d": dt.date(2021, 2, 28)}
