"""The data boundaries are guarded by independent cases: planted bugs must make them fail.

The boundary cases (``tests/cases/*/boundary_*.yaml``) hold rows and readings before, on and
after the period's edges, the rows outside in another unit, with every value derived by hand.
Comparing the engine with itself (nbval, the LibreOffice oracle, the app against ``jcmwb run``)
cannot catch a reader that lets the wrong rows in; these cases can. Each mutant below is a
bug planted in a copy of one engine function, in a separate Python process (the source files
are never touched); the listed cases must fail with it, and pass without it.

``python tests/test_boundaries.py`` lists each planted mutant with the cases that kill it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CASES = TESTS / "cases"


@dataclass(frozen=True)
class Mutant:
    """A bug planted in one engine module: ``old`` (exactly once in the module) becomes ``new``."""

    name: str
    module: str
    old: str
    new: str
    cases: tuple[str, ...]  # case ids (<ID>/<stem>) that must fail with the mutant


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "register readings from outside the period let into the total",
        "jcmwb.engine.monitoring",
        'mine = frame[(frame["point"] == point) & inside].sort_values("ts")',
        'mine = frame[(frame["point"] == point)].sort_values("ts")',
        ("TH_AM001/boundary_register_exact", "TH_AM001/boundary_register_straddle", "ID_AM002/boundary_register_consumption"),
    ),
    Mutant(
        "the register's closing reading (the day after the end, 00:00) left out",
        "jcmwb.engine.monitoring",
        'inside = (frame["ts"] >= start) & (frame["ts"] <= end)',
        'inside = (frame["ts"] >= start) & (frame["ts"] < end)',
        ("TH_AM001/boundary_register_exact", "ID_AM002/boundary_register_consumption"),
    ),
    Mutant(
        "interval rows on the day after the end (00:00) let in",
        "jcmwb.engine.monitoring",
        'inside = (frame["ts"] >= start) & (frame["ts"] < end)\n    if item.interval:',
        'inside = (frame["ts"] >= start) & (frame["ts"] <= end)\n    if item.interval:',
        ("TH_AM001/boundary_interval", "ID_AM002/boundary_interval_consumption", "KH_AM002/boundary_daily"),
    ),
    Mutant(
        "interval rows on the period's start (00:00) left out",
        "jcmwb.engine.monitoring",
        'inside = (frame["ts"] >= start) & (frame["ts"] < end)\n    if item.interval:',
        'inside = (frame["ts"] > start) & (frame["ts"] < end)\n    if item.interval:',
        ("TH_AM001/boundary_interval", "ID_AM002/boundary_interval_consumption", "KH_AM002/boundary_daily"),
    ),
    Mutant(
        "interval rows outside the period let into the total",
        "jcmwb.engine.monitoring",
        "kept = inside.to_numpy()",
        "kept = np.ones(len(inside), dtype=bool)",
        # Not KH_AM002/boundary_daily: data split by day category take only the days of the
        # daily file inside the period, so a row outside has no category and counts nowhere.
        ("TH_AM001/boundary_interval", "ID_AM002/boundary_interval_consumption"),
    ),
    Mutant(
        "monthly rows outside the period let into the total",
        "jcmwb.engine.monitoring",
        "kept = mine[overlaps.loc[mine.index]]",
        "kept = mine",
        ("TH_AM001/boundary_monthly",),
    ),
    Mutant(
        "day categories outside the period counted",
        "jcmwb.engine.monitoring",
        "kept = frame[inside]\n    points: dict[str, PointData] = {}",
        "kept = frame\n    points: dict[str, PointData] = {}",
        ("KH_AM002/boundary_daily",),
    ),
    Mutant(
        "a typed time equal to the whole period refused (> becomes >=)",
        "jcmwb.engine.monitoring",
        "if pdata.total > length * (1 + 1e-9):",
        "if pdata.total >= length:",
        ("MM_AM005/boundary_typed_leap_february",),
    ),
)


def _function_of(source: str, snippet: str) -> ast.FunctionDef:
    """The top-level function whose text holds ``snippet`` (exactly one occurrence in the module)."""
    assert source.count(snippet) == 1, f"the mutant's text occurs {source.count(snippet)} times, not once: {snippet!r}"
    offset = source.index(snippet)
    line = source[:offset].count("\n") + 1
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= node.end_lineno:
            return node
    raise AssertionError(f"the mutant's text is in no top-level function: {snippet!r}")


def plant(mutant: Mutant) -> None:
    """Replace, in this process only, the function holding ``mutant.old`` by its mutated copy.

    The copy is compiled in the module's own namespace (so it sees the module's globals), and
    every loaded ``jcmwb`` module that imported the function by name gets the copy too.
    """
    module = importlib.import_module(mutant.module)
    source = inspect.getsource(module)
    node = _function_of(source, mutant.old)
    start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
    lines = source.splitlines(keepends=True)[start : node.end_lineno]
    text = "".join(lines).replace(mutant.old, mutant.new)
    old_function = getattr(module, node.name)
    exec(compile(textwrap.dedent(text), f"<mutant of {mutant.module}.{node.name}>", "exec"), module.__dict__)
    for name, other in list(sys.modules.items()):
        if name.startswith("jcmwb") and other is not None:
            for attr, value in list(vars(other).items()):
                if value is old_function:
                    setattr(other, attr, module.__dict__[node.name])


def run_cases_with(mutant: Mutant | None, cases: list[str]) -> dict[str, bool]:
    """Run the named cases in a fresh process, with ``mutant`` planted; case id -> passed."""
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(TESTS)!r})
        from pathlib import Path
        import test_boundaries, test_cases
        mutant = {(mutant.__dict__ if mutant else None)!r}
        if mutant:
            test_boundaries.plant(test_boundaries.Mutant(**mutant))
        out = {{}}
        for case_id in {cases!r}:
            path = Path({str(CASES)!r}) / (case_id + ".yaml")
            try:
                case, result = test_cases.run(path)
                out[case_id] = not test_cases.compare(case, result)
            except Exception as exc:  # a mutant may make the engine refuse the case: it fails
                out[case_id] = False
        print(json.dumps(out))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_listed_case_exists_and_every_mutant_applies():
    """A mutant whose text is gone (the code moved or changed) would be killed by nothing."""
    for mutant in MUTANTS:
        module = importlib.import_module(mutant.module)
        _function_of(inspect.getsource(module), mutant.old)
        assert mutant.cases, mutant.name
        for case_id in mutant.cases:
            assert (CASES / f"{case_id}.yaml").is_file(), case_id


def test_the_out_of_period_register_mutant_is_killed_by_two_independent_cases():
    register = MUTANTS[0]
    assert "outside the period" in register.name and len(register.cases) >= 2
    assert len({(CASES / f"{c}.yaml").read_text(encoding="utf-8") for c in register.cases}) == len(register.cases)


@pytest.mark.slow
@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_planted_mutant_is_killed(mutant):
    from test_cases import compare, run

    for case_id in mutant.cases:  # without the mutant, in this process: they pass
        assert compare(*run(CASES / f"{case_id}.yaml")) == [], case_id
    planted = run_cases_with(mutant, list(mutant.cases))
    survivors = [case for case, passed in planted.items() if passed]
    assert not survivors, f"{mutant.name}: these cases pass with the bug planted: {survivors}"


if __name__ == "__main__":
    for mutant in MUTANTS:
        planted = run_cases_with(mutant, list(mutant.cases))
        print(f"{mutant.module}: {mutant.name}")
        for case, passed in planted.items():
            print(f"    {'SURVIVES' if passed else 'killed by'} {case}")
