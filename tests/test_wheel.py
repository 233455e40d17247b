"""The built wheel works on its own (issue 10 item 8): no checkout, no editable install.

Builds the wheel, installs it with its dependencies into a fresh venv, and from a folder
outside the repository runs what a user runs: ``jcmwb list``, ``jcmwb run`` on a copy of the
TH_AM001 example (the methodology library and notebooks come from inside the wheel),
``jcmwb verify`` on the sheet it wrote, ``jcmwb new`` in that folder, and ``jcmwb app``
answering on its port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JCMWB_LIBRARY", "VIRTUAL_ENV")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: the build must not write into the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "reports", "build", "*.egg-info", "__pycache__", ".pytest_cache", "mutants"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(source)], work)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((work / "dist").glob("jcmwb-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "jcmwb/_library/methodologies/TH_AM001/methodology.yaml" in names
    assert "jcmwb/_library/notebooks/TH_AM001.ipynb" in names
    assert "jcmwb/_library/notebooks/app/app.ipynb" in names
    venv = work / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], work).returncode == 0
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], work)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv


def test_installed_wheel_lists_runs_and_verifies_outside_the_repo(installed: Path, tmp_path: Path) -> None:
    jcmwb = str(installed / "bin" / "jcmwb")
    shutil.copytree(ROOT / "data" / "examples" / "TH_AM001", tmp_path / "example")
    listed = _run([jcmwb, "list", "--format", "csv"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "TH_AM001" in listed.stdout and "ID_AM002" in listed.stdout
    done = _run([jcmwb, "run", "example/EXAMPLE-TH001_2021.yaml"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ER_p = 3,438 tCO2/p"), done.stdout  # the example's ER, as from the checkout
    out = tmp_path / "reports" / "EXAMPLE-TH001" / "2021-01-01_2021-12-31"
    assert (out / "MRS.xlsx").is_file() and (out / "receipt.json").is_file()
    checked = _run([jcmwb, "verify", str(out / "MRS.xlsx"), "--out", str(tmp_path / "verification")], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_installed_wheel_scaffolds_into_the_working_directory(installed: Path, tmp_path: Path) -> None:
    jcmwb = str(installed / "bin" / "jcmwb")
    done = _run([jcmwb, "new", "ZZ_AM993"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "methodologies" / "ZZ_AM993" / "methodology.yaml").is_file()
    assert (tmp_path / "notebooks" / "ZZ_AM993.ipynb").is_file()
    ran = _run([jcmwb, "run", "data/examples/ZZ_AM993/EXAMPLE-ZZ_AM993_2021.yaml"], tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("ER_p = 900 tCO2/p")  # 12 x (100 + 50) MWh x 0.5 tCO2/MWh (the scaffold's placeholders)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_installed_wheel_serves_the_app(installed: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JCMWB_LIBRARY", "VIRTUAL_ENV")}
    server = subprocess.Popen([str(installed / "bin" / "jcmwb"), "app", "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as answer:
                    page = answer.read().decode("utf-8", "replace")
            except OSError:
                time.sleep(1)
        assert page, "the app did not answer"
        assert "jcmwb" in page.lower()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
