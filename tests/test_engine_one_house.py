"""Issue 10 ("one house"): the engine's shared pieces that replaced copies, tested on their own.

Each expected value is written out by hand from the rule the function states.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jcmwb.engine.errors import DataError, InputError, JcmwbError, SpecError
from jcmwb.engine.facts import NotRunnableError
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
