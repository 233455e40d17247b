"""Shared helpers of the engine tests: paths, and small monitoring-period mappings.

The mappings are the smallest valid monitoring periods of the two shipped methodologies;
a test copies one and changes the part it is about, so that a failure points at that part.
Helpers are plain functions (importable as ``from conftest import ...``) because hypothesis
tests cannot take function-scoped fixtures.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

import oracles
import pytest


@pytest.fixture(autouse=True)
def _no_warm_kernel_pool_outlives_its_test():
    """A test that calls ``batch.run_one`` in the test process starts that process's warm pool
    (jcmwb.run.warm.worker_pool, meant for batch workers); the next test must start without it."""
    yield
    import sys

    warm = sys.modules.get("jcmwb.run.warm")
    if warm is not None and warm.active() is not None:
        warm.close_all()


TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
BAD = FIXTURES / "bad"
SPECS = FIXTURES / "specs"
CASES = TESTS / "cases"

# The values of the shipped specs the tests rely on (provisional placeholders, read from
# methodologies/*/methodology.yaml by eye, not through the engine).
TH_EF_GRID = 0.4  # tCO2/MWh, TH_AM001 EF_RE choice grid
TH_EF_CAPTIVE = 0.8  # tCO2/MWh, TH_AM001 EF_RE choice captive
ID_EF_ELEC = 0.8  # tCO2/MWh, ID_AM002 EF_elec (grid and captive)
ID_COP_TABLE = [(300, 450, 5.59), (450, 500, 5.69), (500, 1250, 5.85), (1250, None, 5.95)]  # [min, max) USRt -> COP_RE


def th_period(values: dict[str, float] | None = None, *, unit: str = "MWh", start: str = "2021-01-01", end: str = "2021-12-31", **monitored: Any) -> dict:
    """A TH_AM001 period with typed EG_i_p values (default: PV-1 = 1000 MWh)."""
    item: dict[str, Any] = {"option": "C", "unit": unit, "values": dict(values or {"PV-1": 1000.0})}
    item.update(monitored)
    return {
        "methodology": "TH_AM001",
        "project": {"id": "TEST-TH", "title": "test plant", "partner_country": "TH"},
        "period": {"start": start, "end": end},
        "monitored": {"EG_i_p": item},
    }


def id_period(
    ec: dict[str, float] | None = None,
    *,
    cop: dict[str, float] | None = None,
    cap: dict[str, float] | None = None,
    unit: str = "MWh",
    start: str = "2021-01-01",
    end: str = "2021-12-31",
    **monitored: Any,
) -> dict:
    """An ID_AM002 period: one chiller C1, 1000 MWh, COP 6.2, 450 USRt unless told otherwise."""
    ec = dict(ec or {"C1": 1000.0})
    item: dict[str, Any] = {"option": "C", "unit": unit, "values": ec}
    item.update(monitored)
    return {
        "methodology": "ID_AM002",
        "project": {"id": "TEST-ID"},
        "period": {"start": start, "end": end},
        "fixed": {
            "COP_PJ_i": {"values": dict(cop or dict.fromkeys(ec, 6.2)), "source": "specification sheet"},
            "Cap_PJ_i": {"values": dict(cap or dict.fromkeys(ec, 450.0)), "unit": "USRt", "source": "specification sheet"},
        },
        "monitored": {"EC_PJ_i_p": item},
    }


def cop_re(capacity_usrt: float) -> float:
    """The reference COP of the ID_AM002 table, looked up by hand."""
    for low, high, value in ID_COP_TABLE:
        if capacity_usrt >= low and (high is None or capacity_usrt < high):
            return value
    raise LookupError(capacity_usrt)


def with_data(mapping: dict, name: str, data: str, **extra: Any) -> dict:
    """Copy of ``mapping`` whose monitored parameter ``name`` reads ``data`` instead of typed values."""
    out = copy.deepcopy(mapping)
    item = out["monitored"][name]
    item.pop("values", None)
    item["data"] = data
    item.update(extra)
    return out


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def th() -> dict:
    return th_period()


@pytest.fixture
def idp() -> dict:
    return id_period()


# The oracle rule (tests/oracles.py): a test skipped because LibreOffice or Chromium is missing
# fails instead, with the command that installs it, unless JCMWB_SKIP_ORACLES names that oracle;
# the skips so allowed are listed at the end of the run.
_ORACLE_SKIPS: dict[str, int] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    oracle = oracles.oracle_of_skip(reason)
    if oracle is None:
        return
    try:
        allowed = oracle.name in oracles.opted_out()
    except oracles.OptOutError as exc:
        allowed, reason = False, str(exc)
    if allowed:
        _ORACLE_SKIPS[oracle.name] = _ORACLE_SKIPS.get(oracle.name, 0) + 1
        return
    report.outcome = "failed"
    report.longrepr = (
        f"{oracle.what} is missing, so this test cannot run ({reason}). Install it (as root): {oracle.install};"
        f" or set {oracles.OPT_OUT}={oracle.name} to run without it knowingly."
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for name, count in sorted(_ORACLE_SKIPS.items()):
        oracle = next(o for o in oracles.ORACLES if o.name == name)
        terminalreporter.write_line(f"SKIPPED ORACLE: {name} ({oracles.OPT_OUT}): {count} test(s) skipped, {oracle.what} is missing; install it with: {oracle.install}", yellow=True, bold=True)
