"""Issue 10 ("one house"): the engine's shared pieces that replaced copies, tested on their own.

Each expected value is written out by hand from the rule the function states.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jcmwb.engine.errors import DataError, InputError, JcmwbError, SpecError
from jcmwb.engine.facts import NotRunnableError
from jcmwb.engine.files import size_text
from jcmwb.engine.numbers import format_number, format_significant
from jcmwb.engine.strict_yaml import yaml_date, yaml_yes_no


# -- the error kinds: named in the class line ----------------------------------------------------
def test_an_error_kind_is_its_class_keyword_or_its_parents():
    assert JcmwbError("x").kind == "error"
    assert InputError("x").kind == "input"
    assert DataError("x").kind == "data"
    assert NotRunnableError("x").kind == "catalogued"

    class UnnamedError(SpecError):  # no kind= of its own: the parent's
        pass

    assert UnnamedError("x").kind == "spec"
    assert DataError("bad", file="f.csv").as_dict()["kind"] == "data"


# -- YAML values shared by the spec, period and project readers --------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2024, 4, 1), dt.date(2024, 4, 1)),
        (dt.datetime(2024, 4, 1, 13, 30), dt.date(2024, 4, 1)),  # a date and time: its day
        ("2024-04-01", dt.date(2024, 4, 1)),  # quoted ISO text
    ],
)
def test_yaml_date_reads_a_date_in_each_form_yaml_gives(value, expected):
    assert yaml_date(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "1 April 2024", 2024, None])
def test_yaml_date_refuses_what_is_no_date(value):
    with pytest.raises(ValueError):
        yaml_date(value)


def test_yaml_yes_no_takes_booleans_and_the_callers_words():
    yes, no = ("yes", "identified"), ("no", "not identified")
    assert yaml_yes_no(True, yes, no) is True
    assert yaml_yes_no(False, yes, no) is False
    assert yaml_yes_no("  Identified ", yes, no) is True  # case and blanks around do not matter
    assert yaml_yes_no("NOT IDENTIFIED", yes, no) is False
    assert yaml_yes_no("y", yes, no) is None  # a word the caller did not list
    assert yaml_yes_no(1, yes, no) is None


# -- numbers for people ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (1234.5, {"trim": True}, "1,234.5"),  # 1,234.500 without its trailing zeros
        (2017.0, {"whole": True}, "2,017"),
        (2017.25, {"whole": True}, "2,017.250"),
        (0.000123456, {"whole": True, "significant_below": 1, "significant": 4}, "0.0001235"),  # the app's form
        # Significant digits follow ``grouping`` like fixed decimals: 12,345.678 to 6 digits is 12,345.7.
        (12345.678, {"significant_below": 1e6, "significant": 6}, "12,345.7"),
        (12345.678, {"significant_below": 1e6, "significant": 6, "grouping": False}, "12345.7"),
    ],
)
def test_format_number(value, options, expected):
    assert format_number(value, **options) == expected


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (123456.7, {}, "123,457"),  # six digits: 123,456.7 rounds to 123,457
        (123456.7, {"grouping": False}, "123457"),
        (1234567.8, {}, "1.23457e+06"),  # seven digits before the point: exponent form
        (0.000123456789, {}, "0.000123457"),
        (0.5, {}, "0.5"),
        (2.5, {"digits": 1}, "2"),  # half to even, as Python's g format does
    ],
)
def test_format_significant_is_the_g_form_with_grouping(value, options, expected):
    assert format_significant(value, **options) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (512, "512 bytes"),
        (1536, "1.5 kB"),  # 1536 / 1024 = 1.5
        (300 * 2**20, "300.0 MB"),
        (1000 * 2**20, "1,000.0 MB"),  # below 1 GB = 1024 MB, grouped
        (3 * 2**30 // 2, "1.5 GB"),
    ],
)
def test_size_text(size, expected):
    assert size_text(size) == expected
