"""A missing oracle (LibreOffice, Chromium) fails `make test`, unless knowingly opted out.

The check is run as `make test` runs it (`tests/run.sh`), with a PATH that holds no soffice:
the run must stop with the install command; with JCMWB_SKIP_ORACLES=libreoffice it must go on
and print the skip at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import oracles
import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALL_LO = "apt-get install -y --no-install-recommends libreoffice-calc"
INSTALL_CHROMIUM = "apt-get install -y chromium"
# One test that needs LibreOffice and is skipped at once without it.
LO_TEST = ["tests/test_workbook.py", "-k", "test_oracle_really_recalculates"]


@pytest.fixture
def no_soffice_path(tmp_path: Path) -> str:
    """A PATH with the few tools run.sh needs and no soffice (/bin may be /usr/bin here)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname",):
        os.symlink(shutil.which(tool), bin_dir / tool)
    assert shutil.which("soffice", path=str(bin_dir)) is None
    return str(bin_dir)


def _run(args: list[str], path: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != oracles.OPT_OUT} | {"PATH": path} | env
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=environ, timeout=300)


@pytest.mark.slow
def test_make_test_fails_without_libreoffice(no_soffice_path):
    done = _run(["/bin/bash", "tests/run.sh", *LO_TEST], no_soffice_path)
    assert done.returncode == 1
    assert "error: LibreOffice (soffice), the spreadsheet oracle" in done.stderr
    assert INSTALL_LO in done.stderr and "JCMWB_SKIP_ORACLES=libreoffice" in done.stderr
    assert "passed" not in done.stdout and "skipped" not in done.stdout  # stopped before pytest


@pytest.mark.slow
def test_make_test_with_the_opt_out_prints_the_skip_at_the_end(no_soffice_path):
    done = _run(["/bin/bash", "tests/run.sh", *LO_TEST], no_soffice_path, JCMWB_SKIP_ORACLES="libreoffice")
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("SKIPPED ORACLE: libreoffice (JCMWB_SKIP_ORACLES)") and INSTALL_LO in last
    assert "1 skipped" in done.stdout


@pytest.mark.slow
def test_pytest_alone_turns_an_oracle_skip_into_a_failure(no_soffice_path):
    """Run without run.sh, the same rule holds inside pytest (tests/conftest.py)."""
    pytest_run = [sys.executable, "-m", "pytest", *LO_TEST, "-q", "-p", "no:cacheprovider"]
    done = _run(pytest_run, no_soffice_path)
    assert done.returncode == 1
    assert "1 error" in done.stdout and INSTALL_LO in done.stdout
    allowed = _run(pytest_run, no_soffice_path, JCMWB_SKIP_ORACLES="chromium, libreoffice")
    assert allowed.returncode == 0 and "1 skipped" in allowed.stdout
    assert "SKIPPED ORACLE: libreoffice (JCMWB_SKIP_ORACLES): 1 test(s) skipped" in allowed.stdout


def test_chromium_missing_names_its_install_command():
    def which(name: str) -> str | None:
        return None if name == "chromium" else "/usr/bin/" + name

    chromium = next(o for o in oracles.ORACLES if o.name == "chromium")
    chromium_elsewhere = oracles.Oracle(**{**chromium.__dict__, "fixed_paths": ()})
    original = oracles.ORACLES
    try:
        oracles.ORACLES = (original[0], chromium_elsewhere)
        status, lines = oracles.check({}, which)
        assert status == 1 and len(lines) == 1 and INSTALL_CHROMIUM in lines[0] and "JCMWB_SKIP_ORACLES=chromium" in lines[0]
        status, lines = oracles.check({"JCMWB_SKIP_ORACLES": "chromium"}, which)
        assert status == 0 and lines == [f"note: {chromium.what} is missing; its tests are skipped (JCMWB_SKIP_ORACLES names chromium)"]
        assert oracles.summary({"JCMWB_SKIP_ORACLES": "chromium"}, which)[0].startswith("SKIPPED ORACLE: chromium")
    finally:
        oracles.ORACLES = original


def test_an_unknown_opt_out_name_is_an_error_not_ignored():
    status, lines = oracles.check({"JCMWB_SKIP_ORACLES": "libreofice"}, lambda name: None)
    assert status == 1 and lines == ["error: JCMWB_SKIP_ORACLES: unknown oracle 'libreofice'; expected a comma-separated list of chromium, libreoffice"]


def test_with_both_oracles_present_nothing_is_said():
    assert oracles.check({}, lambda name: "/usr/bin/" + name) == (0, [])
    assert oracles.summary({"JCMWB_SKIP_ORACLES": "libreoffice"}, lambda name: "/usr/bin/" + name) == []


@pytest.mark.parametrize("reason, name", [("LibreOffice is not installed", "libreoffice"), ("chromium is not installed (make test-tools installs it)", "chromium"), ("no /dev/zero here", None)])
def test_skip_reasons_of_the_suite_are_recognised(reason, name):
    oracle = oracles.oracle_of_skip(reason)
    assert (oracle.name if oracle else None) == name
