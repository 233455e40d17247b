"""jcmwb.engine.period: the monitoring-period file, validated against its spec."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from conftest import SPECS, id_period, th_period, with_data

from jcmwb.engine.errors import InputError
from jcmwb.engine.period import load_period, parse_period
from jcmwb.engine.spec import load_spec


def input_error(raw, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        parse_period(raw, **kw)
    return info.value


def test_minimal_th_period():
    period = parse_period(th_period())
    assert period.spec.id == "TH_AM001"
    assert period.version == "01.0"  # the version valid on 2021-01-01
    assert (period.start, period.end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert period.days == 365
    assert period.label == "2021-01-01_2021-12-31"
    assert (period.project_id, period.project_title, period.partner_country) == ("TEST-TH", "test plant", "TH")
    item = period.monitored["EG_i_p"]
    assert (item.option, item.unit, item.values, item.data) == ("C", "MWh", {"PV-1": 1000.0}, None)
    assert period.fixed == {}
    assert period.eligibility == {}
    assert period.path is None


def test_leap_year_days():
    assert parse_period(th_period(start="2020-01-01", end="2020-12-31")).days == 366
    assert parse_period(th_period(start="2021-03-01", end="2021-03-01")).days == 1


def test_partner_country_defaults_to_the_spec_country():
    assert parse_period(id_period()).partner_country == "ID"


def test_version_follows_the_start_date_unless_given():
    spec = load_spec(SPECS / "two_dated.yaml")
    raw = th_period(start="2022-08-01", end="2022-08-31")
    raw["methodology"] = "XX_AM902"
    assert parse_period(raw, spec=spec).version == "02.0"
    raw["version"] = "01.0"
    assert parse_period(raw, spec=spec).version == "01.0"


def test_another_methodology_than_the_spec():
    err = input_error(th_period(), spec=load_spec("ID_AM002"))
    assert (err.where, err.message, err.expected, err.found) == ("methodology", "the file is for another methodology", "ID_AM002", "'TH_AM001'")


def test_fixed_choices_and_project_values():
    raw = id_period(cop={"C1": 6.2}, cap={"C1": 450})
    raw["fixed"]["EF_elec"] = {"option": "captive"}
    period = parse_period(raw)
    assert period.fixed["EF_elec"].option == "captive"
    assert period.fixed["COP_PJ_i"].values == {"C1": 6.2}
    assert period.fixed["COP_PJ_i"].source == "specification sheet"
    assert period.fixed["Cap_PJ_i"].unit == "USRt"


def test_indexed_project_value_needs_values():
    raw = id_period()
    raw["fixed"]["COP_PJ_i"] = {"value": 6.2, "source": "spec sheet"}
    err = input_error(raw)
    assert (err.where, err.message, err.expected) == ("fixed.COP_PJ_i", "COP_PJ_i is given per i", "values: {point: number}")


def test_option_for_a_project_parameter_refused():
    raw = id_period()
    raw["fixed"]["COP_PJ_i"]["option"] = "grid"
    err = input_error(raw)
    assert (err.where, err.message) == ("fixed.COP_PJ_i.option", "only default values have options")


def test_monitored_parameter_under_fixed_refused():
    raw = th_period()
    raw["fixed"] = {"EG_i_p": {"option": "C"}}
    err = input_error(raw)
    assert (err.where, err.message, err.expected, err.found) == ("fixed.EG_i_p", "not a fixed ex ante parameter of TH_AM001", "one of EF_RE", "'EG_i_p'")


def test_unknown_monitored_parameter():
    raw = th_period()
    raw["monitored"]["EC_PJ_i_p"] = {"option": "C", "values": {"C1": 1}, "unit": "MWh"}
    err = input_error(raw)
    assert (err.where, err.message, err.expected) == ("monitored.EC_PJ_i_p", "not a monitored parameter of TH_AM001", "one of EG_i_p")


def test_non_number_typed_value():
    err = input_error(th_period({"PV-1": "lots"}))
    assert (err.where, err.message, err.found) == ("monitored.EG_i_p.values.PV-1", "expected a number", "'lots'")


def test_data_path_relative_to_base_dir(tmp_path):
    raw = with_data(th_period(), "EG_i_p", "data/gen.csv")
    period = parse_period(raw, base_dir=tmp_path)
    item = period.monitored["EG_i_p"]
    assert item.data == tmp_path / "data" / "gen.csv"
    assert item.format == "interval"


def test_data_path_relative_to_the_period_file(tmp_path):
    path = tmp_path / "sub" / "period.yaml"
    path.parent.mkdir()
    path.write_text(
        "methodology: TH_AM001\nproject: {id: P}\nperiod: {start: 2021-01-01, end: 2021-01-31}\n"
        "monitored:\n  EG_i_p: {option: B, data: jan.csv, format: monthly, unit: kWh}\n",
        encoding="utf-8",
    )
    period = load_period(path)
    assert period.path == path.resolve()
    assert period.monitored["EG_i_p"].data == path.parent.resolve() / "jan.csv"
    assert period.monitored["EG_i_p"].format == "monthly"


def test_unknown_format():
    err = input_error(with_data(th_period(), "EG_i_p", "x.csv", format="hourly"))
    assert (err.where, err.message, err.found) == ("monitored.EG_i_p.format", "unknown data format", "'hourly'")


def test_multipliers_only_for_registers():
    err = input_error(with_data(th_period(), "EG_i_p", "x.csv", multipliers={"PV-1": 40}))
    assert err.where == "monitored.EG_i_p.multipliers"
    period = parse_period(with_data(th_period(), "EG_i_p", "x.csv", format="register", multipliers={"PV-1": 40}))
    assert period.monitored["EG_i_p"].multipliers == {"PV-1": 40.0}


def test_calibration_records():
    raw = th_period(calibration=[{"point": "PV-1", "date": "2021-06-01", "error_percent": -0.8}])
    (cal,) = parse_period(raw).monitored["EG_i_p"].calibration
    assert (cal.point, cal.date, cal.error_percent) == ("PV-1", dt.date(2021, 6, 1), -0.8)
    raw = th_period(calibration=[{"point": "PV-1", "date": "2021-06-01"}])
    err = input_error(raw)
    assert (err.where, err.message) == ("monitored.EG_i_p.calibration[0]", "missing key 'error_percent'")


def test_empty_points_mapping():
    err = input_error(th_period(points={}))
    assert err.where == "monitored.EG_i_p.points"


@pytest.mark.parametrize(("answer", "value"), [(True, True), ("yes", True), ("Y", True), ("no", False), (False, False), ("false", False)])
def test_eligibility_answers(answer, value):
    raw = th_period()
    raw["eligibility"] = {"1": answer}
    assert parse_period(raw).eligibility == {"1": value}


def test_missing_required_key():
    raw = th_period()
    del raw["project"]
    err = input_error(raw)
    assert err.line() == "<monitoring period>: top level: missing key 'project'"


def test_project_without_id():
    raw = copy.deepcopy(th_period())
    raw["project"] = {"title": "no id"}
    err = input_error(raw)
    assert (err.where, err.message) == ("project", "missing key 'id'")
