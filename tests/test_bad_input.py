"""One fixture per failure mode (tests/fixtures/bad/): the error class and its one-line message.

Every bad spec is tests/fixtures/specs/minimal.yaml with one thing wrong; every bad data file
is a copy of tests/fixtures/good/ with one thing wrong (the good ones are tested to load, so a
bad one fails for the reason it names). The message must name the file and the key or row,
and say what was expected and what was found.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BAD, FIXTURES, SPECS

import jcmwb
from jcmwb.engine.errors import DataError, FormulaError, InputError, JcmwbError, SpecError, UnitError
from jcmwb.engine.period import parse_period
from jcmwb.engine.spec import load_spec
from jcmwb.engine.strict_yaml import load_yaml

# (fixture, error class, file named in the message, parts of the message)
SPEC_CASES = [
    (
        "unknown_key",
        SpecError,
        "unknown_key.yaml",
        ["parameters.EG_i_p.unitz: unknown key", "expected one of symbol, description, unit, kind", "found 'unitz'"],
    ),
    ("duplicate_key", SpecError, "duplicate_key.yaml", ["line 14: duplicate key", "expected each key once", "found 'unit' again (first on line 13)"]),
    ("bad_date", SpecError, "bad_date.yaml", ["line 8: bad date", "expected a real date YYYY-MM-DD", "found '2020-13-01'"]),
    ("bad_date_text", SpecError, "bad_date_text.yaml", ["parameters.EF.values[0].from: bad date", "expected YYYY-MM-DD", "found '1st of January 2020'"]),
    (
        "undeclared_symbol",
        FormulaError,
        "undeclared_symbol.yaml",
        ["equations.RE_p.formula: undeclared symbol", "expected a parameter or equation of this spec", "found 'EF_grid'"],
    ),
    ("cycle", FormulaError, "cycle.yaml", ["equations: dependency cycle between equations", "found ER_p -> RE_p -> ER_p"]),
    (
        "unit_mismatch",
        FormulaError,
        "unit_mismatch.yaml",
        ["equations.ER_p.formula: the formula's unit does not match the declared unit", "expected MWh/p", "found tCO2"],
    ),
    (
        "unit_mismatch_sum",
        FormulaError,
        "unit_mismatch_sum.yaml",
        ["equations.RE_p.formula: unit mismatch in sum(EG_i_p, i) * EF + sum(EG_i_p, i)", "expected a quantity in tCO2", "found MWh"],
    ),
    (
        "unknown_function",
        FormulaError,
        "unknown_function.yaml",
        ["equations.RE_p.formula: unknown function", "expected one of ceil", "found 'avg'"],
    ),
    ("unknown_unit", SpecError, "unknown_unit.yaml", ["parameters.EF.unit: unknown unit", "expected a unit such as MWh/p", "found 'tCO2/MWhh'"]),
    (
        "bad_kind",
        SpecError,
        "bad_kind.yaml",
        ["parameters.EF.kind: value not allowed", "expected one of monitored, fixed_default, fixed_project", "found 'measured'"],
    ),
    ("no_source", SpecError, "no_source.yaml", ["parameters.EF.values[0].source: a default value needs its source"]),
    (
        "bad_status",
        SpecError,
        "bad_status.yaml",
        ["parameters.EF.values[0].status: value not allowed", "expected one of confirmed, provisional", "found 'official'"],
    ),
    ("result_not_equation", SpecError, "result_not_equation.yaml", ["result: the result must name an equation", "found 'ER'"]),
    ("bad_id", SpecError, "bad_id.yaml", ["id: bad methodology id", "expected like TH_AM001", "found 'XX-AM901'"]),
    ("not_yaml", SpecError, "not_yaml.yaml", ["line 9: not valid YAML"]),
    ("unquoted_version", SpecError, "unquoted_version.yaml", ["versions[0].version: bad version", 'expected like "01.0" (quoted)', "found 1.0"]),
    ("missing_key", SpecError, "missing_key.yaml", ["top level: missing key 'result'"]),
    (
        "indexed_outside_sum",
        FormulaError,
        "indexed_outside_sum.yaml",
        ["equations.RE_p.formula: EG_i_p is indexed by i; use it inside sum(..., i)", "found 'EG_i_p * EF'"],
    ),
    (
        "dates_out_of_order",
        SpecError,
        "dates_out_of_order.yaml",
        ["parameters.EF.values: dated values must be in increasing order", "found 2022-01-01, 2020-01-01"],
    ),
    ("table_without_lookup", SpecError, "table_without_lookup.yaml", ["parameters.EF.values[0].table: a table needs lookup_by on the parameter"]),
]

PERIOD_CASES = [
    (
        "end_before_start",
        InputError,
        "end_before_start.yaml",
        ["period.end: the period ends before it starts", "expected a date on or after 2021-12-31", "found 2021-01-01"],
    ),
    (
        "unknown_methodology",
        InputError,
        "unknown_methodology.yaml",
        ["methodology: unknown methodology", "expected one listed by `jcmwb list`", "found 'TH_AM999'"],
    ),
    (
        "monitoring_option_not_allowed",
        InputError,
        "monitoring_option_not_allowed.yaml",
        ["monitored.EG_i_p.option: monitoring option not allowed", "expected one of B, C", "found 'A'"],
    ),
    (
        "fixed_option_not_allowed",
        InputError,
        "fixed_option_not_allowed.yaml",
        ["fixed.EF_RE.option: option not allowed", "expected one of grid, captive", "found 'diesel'"],
    ),
    (
        "missing_monitored",
        InputError,
        "missing_monitored.yaml",
        ["monitored: missing monitored parameter EG_i_p", "expected monitored.EG_i_p: {option: ..., data: ...}"],
    ),
    (
        "unknown_key",
        InputError,
        "unknown_key.yaml",
        ["monitoring: unknown key", "expected one of methodology, project, period, monitored", "found 'monitoring'"],
    ),
    ("bad_date", InputError, "bad_date.yaml", ["period.start: bad date", "expected YYYY-MM-DD", "found '2021-02-30'"]),
    ("bad_date_unquoted", InputError, "bad_date_unquoted.yaml", ["line 4: bad date", "found '2021-02-30'"]),
    (
        "missing_fixed_project",
        InputError,
        "missing_fixed_project.yaml",
        ["fixed: missing project-specific parameter Cap_PJ_i", "expected fixed.Cap_PJ_i: {value: ..., unit: USRt, source: ...}"],
    ),
    ("project_value_without_source", InputError, "project_value_without_source.yaml", ["fixed.COP_PJ_i.source: a project-specific value needs its source"]),
    (
        "default_given_as_value",
        InputError,
        "default_given_as_value.yaml",
        ["fixed.EF_RE: EF_RE is a default of the methodology; choose an option", "expected option: grid | captive"],
    ),
    ("typed_values_without_unit", InputError, "typed_values_without_unit.yaml", ["monitored.EG_i_p.unit: typed values need a unit", "expected MWh/p"]),
    ("unknown_version", InputError, "unknown_version.yaml", ["version: unknown version of the methodology", "expected one of 01.0", "found '09.0'"]),
    ("bad_eligibility_answer", InputError, "bad_eligibility_answer.yaml", ["eligibility.1: expected yes or no", "found 'maybe'"]),
    ("unknown_eligibility", InputError, "unknown_eligibility.yaml", ["eligibility.9: unknown eligibility criterion", "expected one of 1, 2, 3", "found '9'"]),
    ("data_and_values", InputError, "data_and_values.yaml", ["monitored.EG_i_p: give either data (a CSV/XLSX file) or values"]),
    (
        "wrong_dimension_unit",
        UnitError,
        "wrong_dimension_unit.yaml",
        ["monitored.EG_i_p.unit: unit of the wrong dimension", "expected a unit convertible to MWh", "found 'tCO2'"],
    ),
    ("negative_value", DataError, "negative_value.yaml", ["monitored.EG_i_p.values.PV-1: negative value", "expected a value >= 0", "found -5.0"]),
    (
        "unknown_typed_point",
        DataError,
        "unknown_typed_point.yaml",
        ["monitored.EG_i_p.values.PV-9: unknown monitoring point", "expected one of PV-1", "found 'PV-9'"],
    ),
    # 1000 kW / 3.5168528 kW per USRt = 284.345 USRt, below the first row [300, 450) of the table
    (
        "capacity_outside_table",
        InputError,
        "capacity_outside_table.yaml",
        ["fixed.Cap_PJ_i.values.C1: no default COP_RE_i for Cap_PJ_i = 284.345 at C1", "expected a value inside the ranges", "found 284.345"],
    ),
    (
        "fixed_members_mismatch",
        InputError,
        "fixed_members_mismatch.yaml",
        ["fixed.COP_PJ_i.values: COP_PJ_i must be given for every i that is monitored", "expected C1", "found C1, C2"],
    ),
    (
        "default_changes_inside",
        InputError,
        "default_changes_inside.yaml",
        [
            "period: the default value of EF changes on 2021-07-01, inside the period",
            "expected a period ending before 2021-07-01 or starting on or after it",
            "found 2021-01-01 to 2021-12-31",
        ],
    ),
    (
        "no_default_yet",
        InputError,
        "no_default_yet.yaml",
        ["period.start: no default value of EF applies on 2019-06-01", "expected a period starting on or after 2020-01-01"],
    ),
    # Out-of-range inputs that were accepted (issue 12, item 10)
    *[
        (name, InputError, f"{name}.yaml", ["monitored.EG_i_p.interval: the interval must be a positive duration", "expected a duration greater than zero", f"found {text!r}"])
        for name, text in (("interval_negative_minutes", "-15min"), ("interval_negative_day", "-1D"), ("interval_zero", "0min"))
    ],
    *[
        (name, InputError, f"{name}.yaml", ["monitored.EG_i_p.multipliers.PV-1: a meter multiplier must be greater than zero", "expected a number > 0", f"found {found}"])
        for name, found in (("multiplier_negative", "-40"), ("multiplier_zero", "0"))
    ],
    *[
        (name, InputError, f"{name}.yaml", ["monitored.EG_i_p.calibration[0].error_percent: calibration error out of range", "expected a percentage above -100 and below 100", f"found {found}"])
        for name, found in (("calibration_error_100", "100"), ("calibration_error_below_minus_100", "-150"))
    ],
    *[
        (name, InputError, f"{name}.yaml", ["fixed.COP_PJ_i.values.C1: a project-specific value of COP_PJ_i must be greater than zero", "expected a number > 0", f"found {found}"])
        for name, found in (("cop_zero", "0"), ("cop_negative", "-6.2"))
    ],
    (
        "cop_implausible",
        InputError,
        "cop_implausible.yaml",
        ["fixed.COP_PJ_i.values.C1: implausibly large value of COP_PJ_i", "expected at most 1000 (", "raise the bound with plausible_max", "found 6200"],
    ),
    (
        "days_beyond_period",
        DataError,
        "days_beyond_period.yaml",
        ["monitored.D_p.values.period: D_p at period is longer than the monitoring period", "expected at most 31 day (31 day(s) from 2022-01-01 to 2022-01-31)", "found 365 day"],
    ),
    (
        "opening_days_beyond_period",
        DataError,
        "opening_days_beyond_period.yaml",
        ["monitored.OD_i_p.values.G1: OD_i_p at G1 is longer than the monitoring period", "expected at most 31 d (31 day(s) from 2023-01-01 to 2023-01-31)", "found 45 d"],
    ),
    (
        "point_id_unquoted_yes",
        InputError,
        "point_id_unquoted_yes.yaml",
        ["monitored.EG_i_p.points: a point id was read as true/false, not as text: quote it", 'expected the id in quotes, e.g. "yes":', "found True"],
    ),
    (
        "point_id_unquoted_number",
        InputError,
        "point_id_unquoted_number.yaml",
        ["monitored.EG_i_p.values: a point id was read as a number, not as text: quote it", "01 as the number 1", "found 1"],
    ),
    (
        "implausible_typed_value",
        DataError,
        "implausible_typed_value.yaml",
        ["monitored.EG_i_p.values.PV-1: implausibly large value", "expected at most 1e+09 MWh (", "plausible_max", "found 1e+308 kWh"],
    ),
    (
        "plausible_max_not_positive",
        InputError,
        "plausible_max_not_positive.yaml",
        ["plausible_max.MWh: a plausibility bound must be greater than zero", "expected a number > 0", "found 0"],
    ),
]

DATA_CASES = [
    (
        "timestamp_off_grid",
        DataError,
        "timestamp_off_grid.csv",
        [
            "row 8, column timestamp: timestamp not at the start of an interval",
            "expected a timestamp every 6-hour from 2021-01-01 00:00",
            "found '2021-01-01 12:07'",
        ],
    ),
    (
        "duplicate_timestamp",
        DataError,
        "duplicate_timestamp.csv",
        ["row 5: duplicate value", "expected one value per point and time", "found timestamp 2021-01-01 12:00:00, point PV-1 again (first at row 4)"],
    ),
    ("negative_energy", DataError, "negative_energy.csv", ["row 7, column value: negative energy", "expected a value >= 0", "found -900"]),
    ("non_numeric", DataError, "non_numeric.csv", ["row 4, column value: not a number", "expected a number", "found '18O0'"]),
    ("non_numeric_text", DataError, "non_numeric_text.csv", ["row 4, column value: not a number", "found 'n/a'"]),
    ("unknown_point", DataError, "unknown_point.csv", ["row 8, column point: unknown monitoring point", "expected one of PV-1, PV-2", "found 'PV-3'"]),
    (
        "missing_column",
        DataError,
        "missing_column.csv",
        ["header (row 1): missing column 'value' for interval data", "expected columns timestamp, point, value", "found timestamp, point, energy"],
    ),
    ("unknown_column", DataError, "unknown_column.csv", ["header (row 1): unknown column", "found 'quality'"]),
    (
        "unit_disagrees",
        DataError,
        "unit_disagrees.csv",
        ["row 2, column unit: unit in the file differs from the unit in the monitoring-period file", "expected kWh", "found 'MWh'"],
    ),
    ("unknown_unit_in_file", UnitError, "unknown_unit_in_file.csv", ["column unit ('kWhr'): unknown unit", "found 'kWhr'"]),
    (
        "timezone_offset",
        DataError,
        "timezone_offset.csv",
        [
            "row 7, column timestamp: timestamps with a time-zone offset are not supported",
            "expected local time without offset",
            "found '2021-01-01T06:00+07:00'",
        ],
    ),
    (
        "unparsable_timestamp",
        DataError,
        "unparsable_timestamp.csv",
        ["row 9, column timestamp: not a timestamp", "expected YYYY-MM-DD HH:MM (local time)", "found '01/01/2021 18:00'"],
    ),
    (
        "register_decreasing",
        DataError,
        "register_decreasing.csv",
        ["row 3, column reading: register reading decreases", "expected readings that never decrease", "found 950"],
    ),
    ("register_one_reading", DataError, "register_one_reading.csv", ["point PV-1: fewer than two register readings inside the period", "found 1 reading(s)"]),
    (
        "monthly_partial_month",
        DataError,
        "monthly_partial_month.csv",
        ["row 2, column month: month only partly inside the monitoring period", "expected whole months between 2021-01-15 and 2021-03-31", "found 2021-01"],
    ),
    ("monthly_bad_month", DataError, "monthly_bad_month.csv", ["row 3, column month: not a month", "expected YYYY-MM", "found '2021-13'"]),
    ("missing_file", DataError, "missing_file.yaml", ["monitored.EG_i_p.data: data file not found", "found ", "missing_file.csv"]),
    ("no_rows", DataError, "no_rows.csv", ["the data file has no rows"]),
    (
        "one_value_per_point",
        DataError,
        "one_value_per_point.csv",
        ["cannot tell the interval from one value per point", "expected several values per point, or interval: in monitored.EG_i_p"],
    ),
    # Out-of-range inputs that were accepted (issue 12, items 8 and 10)
    (
        "implausible_value",
        DataError,
        "implausible_value.csv",
        ["row 4, column value: implausibly large value", "expected at most 1e+09 MWh (", "raise the bound with plausible_max", "found 1e308 kWh"],
    ),
    ("implausible_total", DataError, "implausible_total.csv", ["point PV-2: implausibly large total", "expected at most 1e+09 MWh (", "found 1.2e+09 MWh"]),
    ("implausible_reading", DataError, "implausible_reading.csv", ["row 4, column reading: implausibly large value", "expected at most 1e+09 MWh (", "found 1e300 kWh"]),
    (
        "register_mixed_units_decreasing",
        DataError,
        "register_mixed_units_decreasing.csv",
        ["row 3, column reading: register reading decreases", "expected readings that never decrease", "found 1250 kWh = 1.25 MWh, below 1.3 MWh at row 2"],
    ),
]


def _check(err: JcmwbError, cls: type[JcmwbError], file_name: str, parts: list[str]) -> None:
    # A spec with several problems may raise them together (errors.SpecErrors): it reads as its
    # first problem, and that one must be of the expected kind.
    first = (getattr(err, "problems", None) or [err])[0]
    assert type(first) is cls, f"{type(first).__name__} instead of {cls.__name__}: {err}"
    line = err.line()
    assert "\n" not in line
    assert str(err) == line
    assert Path(err.file).name == file_name
    assert line.startswith(err.file + ": ")
    for part in parts:
        assert part in line, f"{part!r} not in {line!r}"
    assert "Traceback" not in line


def _period(path: Path) -> jcmwb.Result:
    """Calculate a period file; files for the test methodology XX_AM902 are read with its spec."""
    text = path.read_text(encoding="utf-8")
    if "methodology: XX_AM902" in text:
        spec = load_spec(SPECS / "two_dated.yaml")
        return jcmwb.calculate(parse_period(load_yaml(path, error=InputError), path=path, spec=spec))
    return jcmwb.calculate(path)


@pytest.mark.parametrize(("name", "cls", "file_name", "parts"), SPEC_CASES, ids=[c[0] for c in SPEC_CASES])
def test_bad_spec(name, cls, file_name, parts):
    with pytest.raises(JcmwbError) as info:
        load_spec(BAD / "spec" / f"{name}.yaml")
    _check(info.value, cls, file_name, parts)


@pytest.mark.parametrize(("name", "cls", "file_name", "parts"), PERIOD_CASES, ids=[c[0] for c in PERIOD_CASES])
def test_bad_period(name, cls, file_name, parts):
    with pytest.raises(JcmwbError) as info:
        _period(BAD / "period" / f"{name}.yaml")
    _check(info.value, cls, file_name, parts)


@pytest.mark.parametrize(("name", "cls", "file_name", "parts"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_data(name, cls, file_name, parts):
    with pytest.raises(JcmwbError) as info:
        _period(BAD / "data" / f"{name}.yaml")
    _check(info.value, cls, file_name, parts)


def test_every_fixture_has_a_test():
    from test_hostile_input import CASES as HOSTILE_CASES  # bad/hostile/: NaN, overflow, files that are no file

    tested = {("spec", c[0]) for c in SPEC_CASES} | {("period", c[0]) for c in PERIOD_CASES} | {("data", c[0]) for c in DATA_CASES}
    tested |= {("hostile", c[0]) for c in HOSTILE_CASES}
    found = {(p.parent.name, p.stem) for p in BAD.glob("*/*.yaml")}
    assert found == tested
    assert len(tested) >= 15


def test_the_unbroken_originals_load():
    """The bad fixtures are copies of these with one thing wrong: these must pass, or the bad ones prove nothing."""
    spec = load_spec(SPECS / "minimal.yaml")
    assert (spec.id, spec.order) == ("XX_AM901", ["RE_p", "ER_p"])
    two = load_spec(SPECS / "two_dated.yaml")
    assert two.id == "XX_AM902"
    # interval: (0 + 1200.5 + 1800 + 150) kWh = 3.1505 MWh ; (0 + 900 + 1500.25 + 100) kWh = 2.50025 MWh
    # RE = 5.65075 MWh x 0.4 = 2.2603 tCO2 ; ER = floor(2.2603) = 2
    result = jcmwb.calculate(FIXTURES / "good" / "interval.yaml")
    assert result.values["EG_i_p"] == pytest.approx({"PV-1": 3.1505, "PV-2": 2.50025}, rel=1e-12)
    assert result.values["ER_p"] == 2.0
    # register: (1500.5 - 1000) kWh x 40 = 20020 kWh = 20.02 MWh ; 20.02 x 0.4 = 8.008 -> 8
    result = jcmwb.calculate(FIXTURES / "good" / "register.yaml")
    assert result.values["EG_i_p"] == pytest.approx({"PV-1": 20.02}, rel=1e-12)
    assert result.values["ER_p"] == 8.0
    # monthly: (10000 + 12000.5 + 15000) kWh = 37.0005 MWh ; x 0.4 = 14.8002 -> 14
    result = jcmwb.calculate(FIXTURES / "good" / "monthly.yaml")
    assert result.values["EG_i_p"] == pytest.approx({"PV-1": 37.0005}, rel=1e-12)
    assert result.values["ER_p"] == 14.0


def test_unknown_methodology_by_id():
    with pytest.raises(SpecError) as info:
        load_spec("TH_AM999")
    assert info.value.line() == "methodology: unknown methodology; expected one listed by `jcmwb list`, found 'TH_AM999'"


def test_missing_spec_file():
    with pytest.raises(SpecError) as info:
        load_spec(FIXTURES / "specs" / "nothing-here.yaml")
    assert info.value.message == "file not found"
    assert info.value.file.endswith("nothing-here.yaml")


def test_missing_period_file(tmp_path):
    with pytest.raises(InputError) as info:
        jcmwb.calculate(tmp_path / "period.yaml")
    assert info.value.line() == f"{tmp_path / 'period.yaml'}: file not found"
