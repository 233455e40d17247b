"""Runs every YAML case in tests/cases/<ID>/*.yaml (format: tests/cases/README.md).

Each case holds a monitoring period, the expected values and the arithmetic that gives them,
written by hand. The case is calculated with ``jcmwb.calculate(period, base_dir=case_dir)``
and every expected value is compared within the case's tolerance. A case states the complete
set of warnings, notes and corrections it expects (an empty list means none), and the result
equation with every equation it names directly (ER_p = RE_p - PE_p: all three).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES

import jcmwb
from jcmwb.engine.errors import InputError
from jcmwb.engine.strict_yaml import load_yaml

CASE_FILES = sorted(CASES.glob("*/*.yaml"))
REQUIRED = ("description", "period", "expected", "tolerance", "derivation", "expected_warnings", "expected_notes", "expected_corrections")
MESSAGES = ("expected_warnings", "expected_notes", "expected_corrections")


def load_case(path: Path) -> dict[str, Any]:
    case = load_yaml(path, error=InputError)
    assert isinstance(case, dict), f"{path}: a case is a mapping"
    unknown = set(case) - set(REQUIRED)
    missing = [k for k in REQUIRED if k not in case]
    assert not unknown, f"{path}: unknown keys {sorted(unknown)}"
    assert not missing, f"{path}: missing keys {missing} (an empty list [] states that none is expected)"
    assert str(case["derivation"]).strip(), f"{path}: the derivation is empty"
    assert case["expected"], f"{path}: nothing expected"
    for key in MESSAGES:
        texts = case[key]
        assert isinstance(texts, list) and all(isinstance(t, str) and t.strip() for t in texts), f"{path}: {key} is a list of non-empty texts"
    return case


def required_names(spec: Any) -> list[str]:
    """The result equation and every equation its formula names directly (ER_p, RE_p, PE_p)."""
    result = spec.equations[spec.result]
    return [spec.result] + sorted(n for n in result.formula.names if n in spec.equations)


def _match(wanted: list[str], texts: list[str]) -> tuple[list[str], list[str]]:
    """Pair each expected text with one result text containing it, one to one (a maximum
    bipartite matching, so the order of either list does not matter).

    Returns (expected texts left without a partner, result texts left without one).
    """
    partner: dict[int, int] = {}  # result text index -> expected text index

    def augment(i: int, seen: set[int]) -> bool:
        for j, text in enumerate(texts):
            if wanted[i] in text and j not in seen:
                seen.add(j)
                if j not in partner or augment(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    for i in range(len(wanted)):
        augment(i, set())
    paired = set(partner.values())
    return [w for i, w in enumerate(wanted) if i not in paired], [t for j, t in enumerate(texts) if j not in partner]


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
    for name in required_names(result.spec):
        if name not in case["expected"]:
            problems.append(f"{name}: required in expected (the result equation and every equation it names)")
    for key, texts in (
        ("expected_warnings", result.warnings),
        ("expected_notes", result.notes),
        ("expected_corrections", [c.describe() for c in result.corrections]),
    ):
        absent, unexpected = _match(list(case.get(key) or []), list(texts))
        problems += [f"{key}: {text!r} not in the result" for text in absent]
        problems += [f"{key}: unexpected {text!r} (not stated in the case)" for text in unexpected]
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
    # The eligibility warnings stay stated: the provisional-default warning is the one left out.
    wrong["expected_warnings"] = ["no such warning", *(t for t in case["expected_warnings"] if t.startswith("eligibility criterion"))]
    problems = compare(wrong, result)
    assert [p.split(":")[0] for p in problems] == ["EC_PJ_i_p[C2]", "COP_RE_i", "ER_p", "XX", "expected_warnings", "expected_warnings"]
    assert problems[2] == "ER_p: expected 200, found 199.0 (tolerance 1e-09)"
    assert problems[4] == "expected_warnings: 'no such warning' not in the result"
    assert problems[5].startswith("expected_warnings: unexpected 'PROVISIONAL default value(s) used: COP_RE_i, EF_elec")


def test_an_empty_list_means_none():
    """'expected_warnings: []' is a claim: a warning the case does not state fails it."""
    path = CASES / "ID_AM002" / "two_chillers_monthly_kwh.yaml"
    case, result = run(path)
    with_notes = run(CASES / "TH_AM001" / "gap.yaml")  # the eligibility texts are warnings now: notes of another case
    for key, (stated, computed) in (("expected_warnings", (case, result)), ("expected_notes", with_notes)):
        texts = computed.warnings if key == "expected_warnings" else computed.notes
        assert texts, f"the case has {key} to leave out"
        silent = copy.deepcopy(stated)
        silent[key] = []
        problems = compare(silent, computed)
        assert problems == [f"{key}: unexpected {t!r} (not stated in the case)" for t in texts]
    result.corrections.append(type("Fake", (), {"describe": lambda self: "gap fill of EC_PJ_i_p at C1: 1 -> 2 MWh/p"})())
    assert compare(case, result) == ["expected_corrections: unexpected 'gap fill of EC_PJ_i_p at C1: 1 -> 2 MWh/p' (not stated in the case)"]


def test_one_expected_text_stands_for_one_result_text():
    """Two identical result texts need two expected texts; one text cannot stand for both."""
    case, result = run(CASES / "ID_AM002" / "two_chillers_monthly_kwh.yaml")
    criteria = [t for t in case["expected_warnings"] if t.startswith("eligibility criterion")]
    assert len(criteria) == 3
    others = [t for t in case["expected_warnings"] if t not in criteria]
    fewer = copy.deepcopy(case)
    fewer["expected_warnings"] = [*others, "not answered"]  # occurs in all three warnings
    problems = compare(fewer, result)
    assert len(problems) == 2 and all(p.startswith("expected_warnings: unexpected 'eligibility criterion") for p in problems)
    # The order of the stated texts does not matter, and a short text pairs with the note it
    # alone fits even when a longer one would also fit it.
    shuffled = copy.deepcopy(case)
    shuffled["expected_warnings"] = ["not answered", "eligibility criterion 1 not answered", "criterion 2", *others]
    assert compare(shuffled, result) == []


def test_the_project_emissions_are_required(tmp_path):
    """ER_p = RE_p - PE_p: a case that leaves out PE_p (or RE_p, or ER_p) fails."""
    case, result = run(CASES / "ID_AM002" / "two_chillers_monthly_kwh.yaml")
    assert required_names(result.spec) == ["ER_p", "PE_p", "RE_p"]
    for name in ("PE_p", "RE_p", "ER_p"):
        short = copy.deepcopy(case)
        del short["expected"][name]
        assert compare(short, result) == [f"{name}: required in expected (the result equation and every equation it names)"]


@pytest.mark.parametrize("key", ["expected_warnings", "expected_notes", "expected_corrections"])
def test_every_message_list_is_required(tmp_path, key):
    text = (CASES / "ID_AM002" / "two_chillers_monthly_kwh.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "-")))
    case_file = tmp_path / "case.yaml"
    case_file.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    with pytest.raises(AssertionError, match=f"missing keys \\['{key}'\\] \\(an empty list \\[\\] states that none is expected\\)"):
        load_case(case_file)
