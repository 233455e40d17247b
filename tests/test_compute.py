"""jcmwb.engine.compute: a spec and a monitoring period in, values, trace, warnings out."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml
from conftest import FIXTURES, SPECS, id_period, th_period, with_data

import jcmwb
from jcmwb.engine.compute import finish
from jcmwb.engine.errors import InputError
from jcmwb.engine.period import load_period, parse_period
from jcmwb.engine.spec import load_spec, parse_spec


def test_th_am001_typed_values():
    result = jcmwb.calculate(th_period({"PV-1": 1000.0, "PV-2": 2500.5}))
    # EG = 1000 + 2500.5 = 3500.5 MWh ; RE = 3500.5 x 0.4 = 1400.2 tCO2 ; PE = 0 ; ER = floor(1400.2) = 1400
    assert result.values["EG_p"] == pytest.approx(3500.5)
    assert result.values["RE_p"] == pytest.approx(1400.2, rel=1e-12)
    assert result.values["PE_p"] == 0.0
    assert result.values["ER_p"] == 1400.0
    assert result.er == 1400.0
    assert result.values["EF_RE"] == 0.4
    assert result.values["EG_i_p"] == {"PV-1": 1000.0, "PV-2": 2500.5}
    assert result.indices == {"i": ["PV-1", "PV-2"]}
    assert result.unit("ER_p") == "tCO2/p"
    assert result.result_name == "ER_p"
    assert result.version == "01.0"
    assert result.corrections == []
    assert result.gaps == []


def test_rounding_is_noted_in_the_trace():
    result = jcmwb.calculate(th_period({"PV-1": 1000.0, "PV-2": 2500.5}))
    node = result.nodes["ER_p"]
    assert node.unrounded == pytest.approx(1400.2)
    assert node.notes == ["rounded down from 1400.2 tCO2/p"]
    assert node.formula == "RE_p - PE_p"
    assert node.inputs == ["PE_p", "RE_p"]
    assert node.provisional  # EF_RE beneath it is provisional


def test_captive_choice():
    raw = th_period({"PV-1": 3500.5})
    raw["fixed"] = {"EF_RE": {"option": "captive"}}
    result = jcmwb.calculate(raw)
    # 3500.5 MWh x 0.8 = 2800.4 -> 2800
    assert result.values["RE_p"] == pytest.approx(2800.4)
    assert result.values["ER_p"] == 2800.0
    fixed = result.fixed["EF_RE"]
    assert (fixed.value, fixed.choice, fixed.applies_from, fixed.status) == (0.8, "captive", dt.date(2016, 8, 23), "provisional")
    assert fixed.source.startswith("Placeholder pending confirmation")


def test_provisional_defaults_are_warned():
    raw = th_period()
    raw["eligibility"] = {"1": "yes", "2": "yes", "3": "yes"}  # an unanswered criterion is a warning too
    result = jcmwb.calculate(raw)
    assert result.provisional == ["EF_RE"]
    assert result.warnings == ["PROVISIONAL default value(s) used: EF_RE (not yet confirmed against the official methodology)"]
    assert result.summary()["provisional_defaults"] == ["EF_RE"]


def test_kwh_typed_values_are_converted():
    # 1,234,567 kWh = 1234.567 MWh ; x 0.4 = 493.8268 -> 493
    result = jcmwb.calculate(th_period({"PV-1": 1234567.0}, unit="kWh"))
    assert result.values["EG_p"] == pytest.approx(1234.567, rel=1e-12)
    assert result.values["ER_p"] == 493.0


def test_monitored_totals_carried_at_six_decimals():
    result = jcmwb.calculate(th_period({"PV-1": 1.23456789}))
    assert result.values["EG_i_p"]["PV-1"] == 1.234568
    assert result.raw_totals == {"EG_i_p": {"PV-1": 1.234568}}


def test_zero_output():
    result = jcmwb.calculate(th_period({"PV-1": 0.0}))
    assert (result.values["RE_p"], result.values["ER_p"]) == (0.0, 0.0)
    assert result.nodes["ER_p"].notes == []
    assert not any("negative" in w for w in result.warnings)


# -- ID_AM002 ---------------------------------------------------------------------------------------------
def test_id_am002_values():
    result = jcmwb.calculate(id_period({"C1": 1000.0}, cop={"C1": 6.2}, cap={"C1": 450.0}))
    # COP_RE(450 USRt) = 5.69 ; RE = 1000 x 6.2 / 5.69 x 0.8 = 871.70474517 ; PE = 1000 x 0.8 = 800
    # ER = floor(71.70474517) = 71
    assert result.values["COP_RE_i"] == {"C1": 5.69}
    assert result.values["RE_p"] == pytest.approx(871.7047451669596, rel=1e-12)
    assert result.values["PE_p"] == pytest.approx(800.0)
    assert result.values["ER_p"] == 71.0
    assert result.provisional == ["COP_RE_i", "EF_elec"]


@pytest.mark.parametrize(
    ("capacity", "unit", "expected"),
    [
        (300.0, "USRt", 5.59),
        (449.99, "USRt", 5.59),
        (450.0, "USRt", 5.69),
        (499.99, "USRt", 5.69),
        (500.0, "USRt", 5.85),
        (1249.99, "USRt", 5.85),
        (1250.0, "USRt", 5.95),
        (10000.0, "USRt", 5.95),
        (2000.0, "kW", 5.85),  # 2000 kW / 3.5168528 kW per USRt = 568.69 USRt, in [500, 1250)
    ],
)
def test_reference_cop_lookup_at_table_boundaries(capacity, unit, expected):
    raw = id_period()
    raw["fixed"]["Cap_PJ_i"] = {"values": {"C1": capacity}, "unit": unit, "source": "spec sheet"}
    assert jcmwb.calculate(raw).values["COP_RE_i"] == {"C1": expected}


def test_capacity_in_kw_just_below_a_boundary():
    # 1582 kW / 3.5168528 kW per USRt = 449.834 USRt: still the [300, 450) row
    raw = id_period()
    raw["fixed"]["Cap_PJ_i"] = {"values": {"C1": 1582.0}, "unit": "kW", "source": "spec sheet"}
    result = jcmwb.calculate(raw)
    assert result.values["Cap_PJ_i"]["C1"] == pytest.approx(449.8340, abs=1e-4)
    assert result.values["COP_RE_i"] == {"C1": 5.59}


def test_negative_er_is_floored_at_zero_with_a_warning():
    result = jcmwb.calculate(id_period({"C1": 100.0}, cop={"C1": 5.0}))
    # RE = 100 x 5.0 / 5.69 x 0.8 = 70.29877 ; PE = 80 ; ER = -9.70123 -> 0
    assert result.values["RE_p"] == pytest.approx(70.29876977152899, rel=1e-12)
    assert result.values["ER_p"] == 0.0
    assert result.nodes["ER_p"].unrounded == pytest.approx(-9.70123022847101, rel=1e-9)
    message = "ER_p computed as -9.701 tCO2/p, which is negative: credited as zero"
    assert message in result.warnings
    assert message in result.nodes["ER_p"].notes


def test_two_chillers_with_their_own_reference_cop():
    result = jcmwb.calculate(id_period({"C1": 1000.0, "C2": 500.0}, cop={"C1": 6.5, "C2": 6.8}, cap={"C1": 300.0, "C2": 1250.0}))
    # RE = (1000 x 6.5/5.59 + 500 x 6.8/5.95) x 0.8 = (1162.7906977 + 571.4285714) x 0.8 = 1387.3754153
    # PE = 1500 x 0.8 = 1200 ; ER = floor(187.37542) = 187
    assert result.values["COP_RE_i"] == {"C1": 5.59, "C2": 5.95}
    assert result.values["RE_p"] == pytest.approx(1387.3754152824, rel=1e-12)
    assert result.values["ER_p"] == 187.0


# -- dated defaults -------------------------------------------------------------------------------------
def _xx(start, end):
    raw = th_period({"PV-1": 1000.0}, start=start, end=end)
    raw["methodology"] = "XX_AM902"
    return parse_period(raw, spec=load_spec(SPECS / "two_dated.yaml"))


def test_the_default_valid_at_the_start_is_used():
    before = jcmwb.calculate(_xx("2021-01-01", "2021-06-30"))
    after = jcmwb.calculate(_xx("2021-07-01", "2021-12-31"))
    # 1000 x 0.5 = 500 ; 1000 x 0.6 = 600
    assert (before.values["EF"], before.values["ER_p"], before.fixed["EF"].status) == (0.5, 500.0, "confirmed")
    assert (after.values["EF"], after.values["ER_p"], after.fixed["EF"].status) == (0.6, 600.0, "provisional")
    assert before.provisional == [] and before.warnings == []
    assert after.provisional == ["EF"]
    assert (before.version, after.version) == ("01.0", "01.0")
    assert jcmwb.calculate(_xx("2022-01-01", "2022-03-31")).version == "02.0"


def test_a_period_across_a_change_of_default_is_refused():
    with pytest.raises(InputError) as info:
        jcmwb.calculate(_xx("2021-06-30", "2021-07-01"))
    assert info.value.message == "the default value of EF changes on 2021-07-01, inside the period"


# -- eligibility, trace, paths ----------------------------------------------------------------------------
def test_eligibility_answers():
    raw = th_period()
    raw["eligibility"] = {"1": "yes", "2": "no"}
    result = jcmwb.calculate(raw)
    assert (
        "eligibility criterion 2 answered NO: The PV modules are certified for design qualification (IEC 61215, IEC 61646 or IEC 62108) and safety qualification (IEC 61730-1 and IEC 61730-2)."
        in result.warnings
    )
    assert any(w.startswith("eligibility criterion 3 not answered: Equipment to monitor") for w in result.warnings)
    assert not any("criterion 1" in n for n in result.notes + result.warnings)


def test_explain():
    text = jcmwb.calculate(th_period({"PV-1": 1000.0, "PV-2": 2500.5})).explain()
    lines = text.splitlines()
    assert lines[0] == "ER_p = 1,400 tCO2/p  [uses a PROVISIONAL default]"
    assert "  formula: ER_p = RE_p - PE_p" in lines
    assert "  note: rounded down from 1400.2 tCO2/p" in lines
    assert any(line.startswith("    EG_i_p = PV-1: 1,000; PV-2: 2,500.5 MWh/p") for line in lines)
    assert any("source: option C: monitored.EG_i_p.values.PV-1 in <monitoring period>" in line for line in lines)


def test_path_and_mapping_give_the_same_result():
    path = FIXTURES / "good" / "interval.yaml"
    by_path = jcmwb.calculate(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_mapping = jcmwb.calculate(raw, base_dir=path.parent)
    by_period = jcmwb.calculate(load_period(path))
    assert by_path.values == by_mapping.values == by_period.values
    # (3150.5 + 2500.25) kWh = 5.65075 MWh, all in January
    assert by_path.monthly("EG_i_p") == pytest.approx({"2021-01": 5.65075})


def test_gaps_and_notes_reach_the_trace(tmp_path):
    (tmp_path / "d.csv").write_text(
        "timestamp,point,value\n2021-01-01 00:00,PV-1,1000\n2021-01-01 06:00,PV-1,2000\n2021-01-01 18:00,PV-1,500\n", encoding="utf-8"
    )
    raw = with_data(th_period(start="2021-01-01", end="2021-01-01", unit="kWh"), "EG_i_p", "d.csv", interval="6h")
    result = jcmwb.calculate(raw, base_dir=tmp_path)
    # 1000 + 2000 + 500 kWh = 3.5 MWh; the 12:00 value is missing and not invented
    assert result.values["EG_p"] == pytest.approx(3.5)
    assert result.nodes["EG_i_p"].notes == ["gap: PV-1: 1 missing 6-hour values from 2021-01-01 12:00 to 2021-01-01 12:00"]
    # ER 3.5 x 0.4 = 1.4 without it; (3.5 + 2) x 0.4 = 2.2 with the largest value (2000 kWh) filled in
    assert "EG_i_p at PV-1: 1 missing value(s) left unfilled (ER_p 1.4 without them, 2.2 with the largest observed value 2 filled in: the lower is kept)" in result.notes
    assert len(result.gaps) == 1


def test_calibration_correction_in_the_result():
    raw = th_period({"PV-1": 1000.0}, calibration=[{"point": "PV-1", "date": "2021-05-01", "error_percent": 2.5}])
    result = jcmwb.calculate(raw)
    # 1000 x (1 - 0.025) = 975 MWh ; x 0.4 = 390
    assert result.raw_totals["EG_i_p"]["PV-1"] == 1000.0
    assert result.values["EG_i_p"]["PV-1"] == pytest.approx(975.0)
    assert result.values["ER_p"] == 390.0
    assert [c.kind for c in result.nodes["EG_i_p"].corrections] == ["calibration"]


def test_monitored_parameters_must_cover_the_same_index():
    raw = yaml.safe_load((SPECS / "minimal.yaml").read_text(encoding="utf-8"))
    raw["parameters"]["AUX_i_p"] = copy.deepcopy(raw["parameters"]["EG_i_p"])
    raw["equations"]["RE_p"]["formula"] = "sum(EG_i_p - AUX_i_p, i) * EF"
    spec = parse_spec(raw, file="net.yaml")
    period = th_period({"PV-1": 10.0, "PV-2": 5.0})
    period["methodology"] = "XX_AM901"
    period["monitored"]["AUX_i_p"] = {"option": "C", "unit": "MWh", "values": {"PV-1": 1.0}}
    with pytest.raises(InputError) as info:
        jcmwb.calculate(parse_period(period, spec=spec))
    assert (info.value.message, info.value.expected, info.value.found) == ("AUX_i_p and EG_i_p must cover the same i", "PV-1, PV-2", "PV-1")
    period["monitored"]["AUX_i_p"]["values"]["PV-2"] = 2.0
    # (10 - 1) + (5 - 2) = 12 MWh x 0.5 = 6
    assert jcmwb.calculate(parse_period(period, spec=spec)).values["ER_p"] == 6.0


@pytest.mark.parametrize(
    ("raw", "rounding", "floor", "expected"),
    [
        (1400.9, "down", False, 1400.0),
        (-0.5, "down", False, -1.0),
        (-0.5, "down", True, 0.0),
        (1.2, "up", False, 2.0),
        (2.5, "nearest", False, 3.0),
        (-2.5, "nearest", False, -3.0),
        (1.7, "none", True, 1.7),
        (-1.7, "none", True, 0.0),
    ],
)
def test_finish(raw, rounding, floor, expected):
    assert finish(raw, rounding, floor) == expected
