"""Runs every YAML case in tests/cases/<ID>/*.yaml (format: tests/cases/README.md).

Each case holds a monitoring period, the expected values and the arithmetic that gives them,
written by hand. The case is calculated with ``jcmwb.calculate(period, base_dir=case_dir)``
and every expected value is compared within the case's tolerance.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES

import jcmwb
from jcmwb.errors import InputError
from jcmwb.spec import load_yaml

CASE_FILES = sorted(CASES.glob("*/*.yaml"))
REQUIRED = ("description", "period", "expected", "tolerance", "derivation")
OPTIONAL = ("expected_warnings", "expected_notes", "expected_corrections")


def load_case(path: Path) -> dict[str, Any]:
    case = load_yaml(path, error=InputError)
    assert isinstance(case, dict), f"{path}: a case is a mapping"
    unknown = set(case) - set(REQUIRED) - set(OPTIONAL)
    missing = [k for k in REQUIRED if k not in case]
    assert not unknown, f"{path}: unknown keys {sorted(unknown)}"
    assert not missing, f"{path}: missing keys {missing}"
    assert str(case["derivation"]).strip(), f"{path}: the derivation is empty"
    assert case["expected"], f"{path}: nothing expected"
    return case


def _close(found: Any, expected: Any, tolerance: float) -> bool:
    try:
        return abs(float(found) - float(expected)) <= tolerance
    except (TypeError, ValueError):
        return False


def compare(case: dict[str, Any], result: jcmwb.Result) -> list[str]:
    """Every difference between the case's expectations and the result, as readable lines."""
    tolerance = float(case["tolerance"])
    problems = []
    for name, expected in case["expected"].items():
        if name not in result.values:
            problems.append(f"{name}: not a value of the result")
            continue
        found = result.values[name]
        if isinstance(expected, dict):
            if not isinstance(found, dict) or set(map(str, expected)) != set(found):
                problems.append(f"{name}: expected members {sorted(map(str, expected))}, found {found!r}")
                continue
            for member, value in expected.items():
                if not _close(found[str(member)], value, tolerance):
                    problems.append(f"{name}[{member}]: expected {value}, found {found[str(member)]!r} (tolerance {tolerance})")
        elif isinstance(found, dict) or not _close(found, expected, tolerance):
            problems.append(f"{name}: expected {expected}, found {found!r} (tolerance {tolerance})")
    for key, texts in (
        ("expected_warnings", result.warnings),
        ("expected_notes", result.notes),
        ("expected_corrections", [c.describe() for c in result.corrections]),
    ):
        for wanted in case.get(key) or []:
            if not any(wanted in text for text in texts):
                problems.append(f"{key}: {wanted!r} not in {texts!r}")
    return problems


def run(path: Path, case: dict[str, Any] | None = None) -> tuple[dict[str, Any], jcmwb.Result]:
    case = case or load_case(path)
    return case, jcmwb.calculate(case["period"], base_dir=path.parent)


@pytest.mark.parametrize("path", CASE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in CASE_FILES])
def test_case(path):
    case, result = run(path)
    assert case["period"]["methodology"] == path.parent.name, "a case lives in the folder of its methodology"
    problems = compare(case, result)
    assert not problems, "\n".join(problems)


METHODOLOGY_IDS = sorted(p.parent.name for p in (CASES.parent.parent / "methodologies").glob("*/methodology.yaml"))


@pytest.mark.parametrize("methodology", METHODOLOGY_IDS)
def test_at_least_three_cases_per_methodology(methodology):
    assert len(list((CASES / methodology).glob("*.yaml"))) >= 3


def test_every_case_checks_the_result():
    for path in CASE_FILES:
        case = load_case(path)
        assert "ER_p" in case["expected"] or any(n.startswith("ER") for n in case["expected"]), f"{path}: no expected ER"
        assert math.isfinite(float(case["tolerance"])) and float(case["tolerance"]) >= 0


def test_the_runner_reports_wrong_expectations():
    """The runner itself can fail: a case with wrong expectations is reported, item by item."""
    path = CASES / "ID_AM002" / "two_chillers_monthly_kwh.yaml"
    case, result = run(path)
    assert compare(case, result) == []
    wrong = copy.deepcopy(case)
    wrong["expected"]["ER_p"] = 200  # found 199
    wrong["expected"]["EC_PJ_i_p"]["C2"] = 545.26  # found 545.25
    wrong["expected"]["COP_RE_i"] = {"C1": 5.59}  # C2 left out
    wrong["expected"]["XX"] = 1
    wrong["expected_warnings"] = ["no such warning"]
    problems = compare(wrong, result)
    assert [p.split(":")[0] for p in problems] == ["EC_PJ_i_p[C2]", "COP_RE_i", "ER_p", "XX", "expected_warnings"]
    assert problems[2] == "ER_p: expected 200, found 199.0 (tolerance 1e-09)"
