"""The app calculates once, in its kernel, and its sheet is the sheet of ``jcmwb run`` (issue 10, item 3).

Calculate runs ``jcmwb.calculate`` once in the page's kernel, shows that Result and writes
``MRS.xlsx`` from it with ``jcmwb.run.outputs.write_result_outputs``; the notebook of record,
its report and the receipt come from ``jcmwb run`` (``jcmwb.run.runner.run``, in-process)
only when the user asks for them. The count is taken as in ``tests/test_run_once.py``: a
``sitecustomize`` on ``PYTHONPATH`` logs every call in every Python process started from
here (papermill kernels, a ``jcmwb run`` child), and this process's own calls are wrapped too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from app_driver import fill_form
from conftest import ROOT
from test_run_once import COUNTER

EXAMPLE = ROOT / "data" / "examples" / "ID_AM002" / "EXAMPLE-ID001_2021.yaml"


@pytest.fixture
def calculations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log with one line per ``calculate`` call, in this process and in every child."""
    import jcmwb
    import jcmwb.engine.compute as compute

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNTER)
    log = tmp_path / "calculations.log"
    log.write_text("")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), str(ROOT)]))
    monkeypatch.setenv("JCMWB_TEST_CALCULATIONS", str(log))
    original = compute.calculate

    def counted(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(compute, "calculate", counted)
    monkeypatch.setattr(jcmwb, "calculate", counted)
    return log


def calls(log: Path) -> int:
    return len(log.read_text().split())


@pytest.mark.slow
def test_calculate_computes_once_and_writes_the_sheet_jcmwb_run_writes(tmp_path: Path, calculations: Path) -> None:
    from jcmwb.app.page import MethodologyPage
    from jcmwb.app.server import AppSettings
    from jcmwb.engine.spec import load_spec

    page = MethodologyPage(load_spec("ID_AM002"), AppSettings(work=tmp_path / "work"), "en")
    fill_form(page.form, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), EXAMPLE.parent)
    page.guard(page.run)
    assert "jcmwb-status-done" in page.status.value, (page.status.value, page.form.slots.widgets[""].value)
    assert calls(calculations) == 1  # the kernel's one calculation; no jcmwb run behind it
    assert page.results.result is not None and page.results.result.er == 146
    sheet = page.session.output / "MRS.xlsx"
    assert sorted(p.name for p in page.session.output.iterdir()) == [".jcmwb-output", "MRS.xlsx"]
    assert not page.session.record.exists()  # the record is made only when asked for

    # The same period file through jcmwb run: the same bytes.
    (period_file,) = page.session.input.glob("*.yaml")
    cli = page.session.dir / "cli"
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "run", str(period_file), "--out", str(cli)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sheet.read_bytes() == (cli / "MRS.xlsx").read_bytes()

    # The record: jcmwb run in this process (its notebook's kernel calculates once more).
    before = calls(calculations)
    page.guard(page.make_record)
    assert calls(calculations) == before + 1
    record = page.session.record
    assert {"MRS.xlsx", "notebook.ipynb", "report.html", "receipt.json"} <= {p.name for p in record.iterdir()}
    assert (record / "MRS.xlsx").read_bytes() == sheet.read_bytes()
    assert "jcmwb-record-record_done" in page.results.record_status.value
    links = page.results.record_files.value
    for name in ("receipt.json", "report.html", "notebook.ipynb"):
        assert f"download='{name}'" in links


def test_a_calculation_over_the_time_limit_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import jcmwb
    from jcmwb.app.page import MethodologyPage
    from jcmwb.app.server import AppSettings
    from jcmwb.engine.spec import load_spec

    page = MethodologyPage(load_spec("ID_AM002"), AppSettings(work=tmp_path / "work", timeout=1), "en")
    fill_form(page.form, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), EXAMPLE.parent)

    def slow(*args, **kwargs):
        time.sleep(30)

    monkeypatch.setattr(jcmwb, "calculate", slow)
    started = time.monotonic()
    page.guard(page.run)
    assert time.monotonic() - started < 10
    assert "longer than 1 s" in page.form.slots.widgets[""].value
    assert "jcmwb-status-failed" in page.status.value


@pytest.mark.slow
def test_one_calculation_per_calculate_in_the_served_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same count through ``jcmwb app``: the server and its kernels inherit the hook."""
    from app_driver import AppPage, app_server, chromium, chromium_present

    if not chromium_present():
        pytest.skip("chromium is not installed (make test-tools installs it)")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNTER)
    log = tmp_path / "calculations.log"
    log.write_text("")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), str(ROOT)]))
    monkeypatch.setenv("JCMWB_TEST_CALCULATIONS", str(log))
    data = tmp_path / "january.csv"
    data.write_text("timestamp,point,value,unit\n" + "".join(f"2021-01-{d:02d}T{h:02d}:00:00,PV-1,1.0,kWh\n" for d in range(1, 32) for h in range(24)), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    with app_server(work) as server, chromium() as browser:
        app = AppPage(browser.new_page(viewport={"width": 1280, "height": 1000}), server.url)
        app.open("TH_AM001")
        app.text("jcmwb-project-id", "ONCE")
        app.date("jcmwb-period-start", "2021-01-01")
        app.date("jcmwb-period-end", "2021-01-31")
        app.upload("EG_i_p", data)
        assert app.calculate() == "results", app.messages()
        assert calls(log) == 1
        assert app.calculate() == "results"
        assert calls(log) == 2  # once per press
