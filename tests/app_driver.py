"""Driving the Voila app in headless Chromium: the server, the browser, and a user's gestures.

Shared by the browser tests and ``benchmarks/app_timing.py``. Fields are found by the
CSS classes the app gives them (``jcmwb-<key>``, see ``jcmwb.app.widgets.css``), the way
a user finds them by their labels.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE_TIMEOUT = 60_000  # ms: a page with its kernel
CALC_TIMEOUT = 120_000  # ms: a calculation of a year of data
RECORD_TIMEOUT = 300_000  # ms: jcmwb run (papermill) on a machine shared with other tests


def chromium_present() -> bool:
    return Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def app_server(work: Path, *, max_upload_mb: int = 200, timeout: int = 300, **settings_: Any):
    """``jcmwb app`` on a free port for the duration of the block; yields its settings.

    Other settings (``max_kernels``, ``cull_unconnected``, ...) as keywords; the server
    process is ``settings.process`` (to count its kernels, ``kernel_processes``).
    """
    from jcmwb.app.server import AppSettings, start

    settings = AppSettings(port=free_port(), max_upload_mb=max_upload_mb, timeout=timeout, work=work, **settings_)
    log = open(work.parent / f"voila-{settings.port}.log", "w")  # the server's log, for a failing test  # noqa: SIM115
    process = start(settings, log=log)
    settings.process = process  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 60
        while True:  # listening means ready; a GET would start a kernel for nothing
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", settings.port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield settings
    finally:
        process.terminate()  # the server shuts its kernels down (jcmwb.app.server.launch)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def kernel_processes(server: subprocess.Popen) -> list:
    """The kernels the app server runs now: its child processes that are IPython kernels."""
    import psutil

    out = []
    for child in psutil.Process(server.pid).children(recursive=False):
        try:
            if "ipykernel" in " ".join(child.cmdline()) and child.status() != psutil.STATUS_ZOMBIE:
                out.append(child)
        except psutil.NoSuchProcess:
            continue
    return out


def kernel_ids(server: subprocess.Popen) -> set[str]:
    """The ids of the kernels the app server runs now (from each kernel's connection file, ``kernel-<id>.json``)."""
    import re

    ids = set()
    for process in kernel_processes(server):
        try:
            found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(process.cmdline()))
        except Exception:  # gone meanwhile
            continue
        if found:
            ids.add(found.group(1))
    return ids


def page_kernel_id(html: str) -> str:
    """The id of the kernel a page of the app was served with (Voila's page configuration in the HTML)."""
    import json
    import re

    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    if not found:
        raise AssertionError("no Voila page configuration in the page")
    return json.loads(found.group(1))["kernelId"]


def wait_for(condition: Any, timeout: float, step: float = 0.5) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds have passed; its last answer."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return bool(condition())
        time.sleep(step)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class AppPage:
    """One browser tab on the app, with the gestures of a user filling the form."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url

    def open(self, methodology: str | None = None, lang: str | None = None) -> float:
        """Open a page; returns the seconds until it can be used."""
        query = "&".join(f"{k}={v}" for k, v in (("id", methodology), ("lang", lang)) if v)
        started = time.perf_counter()
        self.page.goto(self.url + (f"?{query}" if query else ""), timeout=PAGE_TIMEOUT)
        self.page.wait_for_selector(".jcmwb-calculate" if methodology else ".jcmwb-landing", timeout=PAGE_TIMEOUT)
        return time.perf_counter() - started

    def text(self, cls: str, value: str) -> None:
        self.page.locator(f".{cls} input").first.fill(value)

    def area(self, cls: str, value: str) -> None:
        self.page.locator(f".{cls} textarea").first.fill(value)

    def date(self, cls: str, value: str) -> None:
        self.page.locator(f".{cls} input[type=date]").fill(value)

    def select(self, cls: str, value_label_start: str) -> None:
        """Choose the option of a dropdown whose label starts with the given text."""
        select = self.page.locator(f".{cls} select")
        labels = select.locator("option").all_inner_texts()
        label = next(x for x in labels if x.startswith(value_label_start))
        select.select_option(label=label)

    def toggle(self, cls: str, label: str) -> None:
        self.page.locator(f".{cls}").get_by_role("button", name=label, exact=True).click()

    def radio(self, cls: str, label_start: str) -> None:
        self.page.locator(f".{cls} label", has_text=label_start).first.click()

    def upload(self, parameter: str, path: Path, *, wait_for: str | None = None) -> None:
        """Choose a file with the upload button, as a user does; wait until the page says it arrived."""
        with self.page.expect_file_chooser() as chooser:
            self.page.click(f".jcmwb-monitored-{parameter}-upload")
        chooser.value.set_files(str(path))
        expected = wait_for or path.name
        self.page.locator(f".jcmwb-monitored-{parameter}-status, .jcmwb-msg-monitored-{parameter}-data").filter(has_text=expected).first.wait_for(timeout=CALC_TIMEOUT)

    def calibration(self, parameter: str, rows: list[dict[str, Any]]) -> None:
        for n, row in enumerate(rows, start=1):
            self.page.click(f".jcmwb-monitored-{parameter}-calibration-add")
            cls = f".jcmwb-monitored-{parameter}-calibration-row-{n}"
            self.page.wait_for_selector(cls)
            inputs = self.page.locator(f"{cls} input")
            inputs.nth(0).fill(str(row["point"]))
            inputs.nth(1).fill(str(row["date"]))
            inputs.nth(2).fill(str(row["error_percent"]))

    def calculate(self) -> str:
        """Press Calculate; returns "results" or "problems" (what the page showed)."""
        # The status line ends every calculation (after the messages and results it follows);
        # cleared first, so that the end of an earlier calculation is not taken for this one.
        self.page.eval_on_selector(".jcmwb-status .widget-html-content", "e => { e.innerHTML = '' }")
        self.page.click(".jcmwb-calculate")
        self.page.locator(".jcmwb-status-done, .jcmwb-status-fix_first, .jcmwb-status-failed").first.wait_for(timeout=CALC_TIMEOUT)
        return "results" if self.page.locator(".jcmwb-status-done").count() else "problems"

    def allocation(self, allocation: dict[str, Any], lang: str = "en") -> None:
        """Type the Credit Allocation split, a row per party (the form starts with JP and the partner country)."""
        from jcmwb.app.labels import t

        rounding = allocation.get("rounding") or {}
        parties = [p for p in allocation if p != "rounding"]
        for n, party in enumerate(parties, start=1):
            if not self.page.locator(f".jcmwb-allocation-row-{n}").count():
                self.page.click(".jcmwb-allocation-add")
                self.page.wait_for_selector(f".jcmwb-allocation-row-{n}")
            self.text(f"jcmwb-allocation-party-{n}", str(party))
            self.text(f"jcmwb-allocation-share-{n}", str(allocation[party]).removesuffix("%"))
            rule = rounding.get(party)
            self.page.locator(f".jcmwb-allocation-rounding-{n} select").select_option(label=t(f"rounding_{rule}" if rule else "rounding_remainder", lang))

    def make_record(self) -> None:
        """Press "Make the record" (jcmwb run on the page's inputs); wait for its files or its message."""
        self.page.click(".jcmwb-make-record")
        self.page.locator(".jcmwb-record-record_done, .jcmwb-record-record_differs, .jcmwb-record-failed").first.wait_for(timeout=RECORD_TIMEOUT)

    def message(self, key: str) -> str:
        """The text of the message slot of a field (``monitored.EG_i_p.data``)."""
        from jcmwb.app.widgets import css

        return self.page.locator(f".{css('msg', *key.split('.'))}").inner_text()

    def messages(self) -> dict[str, str]:
        """Every message shown, by the slot's CSS class."""
        out = {}
        for slot in self.page.locator(".jcmwb-msg").all():
            text = slot.inner_text().strip()
            if text:
                classes = slot.get_attribute("class") or ""
                out[next((c for c in classes.split() if c.startswith("jcmwb-msg-")), "jcmwb-msg")] = text
        return out

    def download(self, key: str, target_dir: Path) -> Path:
        with self.page.expect_download() as download:
            self.page.click(f".jcmwb-download-{key}")
        target = target_dir / download.value.suggested_filename
        download.value.save_as(str(target))
        return target

    def has_traceback(self) -> bool:
        """Whether the page shows a Python traceback anywhere (it never should)."""
        return "Traceback" in self.page.content()


def fill_from_period(app: AppPage, period: dict[str, Any], data_dir: Path, lang: str = "en") -> None:
    """Fill the form with what a monitoring-period file says, as a user would type it in (on a page in ``lang``)."""
    from jcmwb.app.labels import t

    project = period["project"]
    app.text("jcmwb-project-id", project["id"])
    if project.get("title"):
        app.text("jcmwb-project-title", project["title"])
    if project.get("partner_country"):
        app.text("jcmwb-partner-country", project["partner_country"])
    if period.get("participants"):
        app.text("jcmwb-participants", period["participants"])
    if period.get("allocation"):
        app.allocation(period["allocation"], lang)
    app.date("jcmwb-period-start", str(period["period"]["start"]))
    app.date("jcmwb-period-end", str(period["period"]["end"]))
    for name, item in period["monitored"].items():
        app.toggle(f"jcmwb-monitored-{name}-option", item["option"])
        app.upload(name, data_dir / item["data"])
        app.select(f"jcmwb-monitored-{name}-format", item.get("format", "interval"))
        if item.get("unit"):
            app.text(f"jcmwb-monitored-{name}-unit", str(item["unit"]))
        if item.get("interval"):
            app.text(f"jcmwb-monitored-{name}-interval", item["interval"])
        if item.get("points"):
            app.area(f"jcmwb-monitored-{name}-points", "\n".join(f"{k}: {v}" for k, v in item["points"].items()))
        for point, multiplier in (item.get("multipliers") or {}).items():
            app.text(f"jcmwb-monitored-{name}-multipliers-{point}", str(multiplier))
        app.calibration(name, item.get("calibration") or [])
        if item.get("source"):
            app.text(f"jcmwb-monitored-{name}-source", item["source"])
        if item.get("comments"):
            app.area(f"jcmwb-monitored-{name}-comments", item["comments"])
    for name, item in (period.get("fixed") or {}).items():
        if "option" in item:
            app.select(f"jcmwb-fixed-{name}-option", item["option"] + ":")
            continue
        for member, value in (item.get("values") or {}).items():
            app.text(f"jcmwb-fixed-{name}-values-{member}", str(value))
        if "value" in item:
            app.text(f"jcmwb-fixed-{name}-value", str(item["value"]))
        app.text(f"jcmwb-fixed-{name}-unit", str(item.get("unit", "")))
        app.text(f"jcmwb-fixed-{name}-source", item["source"])
    for criterion, answer in (period.get("eligibility") or {}).items():
        app.toggle(f"jcmwb-eligibility-{criterion}", t("yes" if answer else "no", lang))


def fill_form(form: Any, period: dict[str, Any], data_dir: Path) -> None:
    """Fill a ``MethodologyForm`` (no browser, no kernel) with what a monitoring-period file says."""
    import datetime as dt

    project = period["project"]
    form.project_id.value = project["id"]
    form.project_title.value = project.get("title", "")
    form.partner_country.value = project.get("partner_country", "")
    form.participants.value = period.get("participants", "")
    form.start_picker.value = dt.date.fromisoformat(str(period["period"]["start"]))
    form.end_picker.value = dt.date.fromisoformat(str(period["period"]["end"]))
    for name, item in period["monitored"].items():
        field = form.monitored[name]
        field.option.value = item["option"]
        data = data_dir / item["data"]
        field._receive({"name": data.name, "content": data.read_bytes(), "size": data.stat().st_size})
        field.format.value = item.get("format", "interval")
        field.unit.value = str(item.get("unit", ""))
        field.interval.value = item.get("interval", "")
        if item.get("points"):
            field.points.value = "\n".join(f"{k}: {v}" for k, v in item["points"].items())
        for point, multiplier in (item.get("multipliers") or {}).items():
            field.multipliers.inputs[point].value = str(multiplier)
        for row in item.get("calibration") or []:
            field.calibration.add_row(str(row["point"]), dt.date.fromisoformat(str(row["date"])), str(row["error_percent"]))
        field.source.value = item.get("source", "")
        field.comments.value = item.get("comments", "")
    for name, item in (period.get("fixed") or {}).items():
        fixed = form.fixed[name]
        if "option" in item:
            fixed.chooser.value = item["option"]
            continue
        for member, value in (item.get("values") or {}).items():
            fixed.values.inputs[member].value = str(value)
        if "value" in item:
            fixed.value.value = str(item["value"])
        fixed.unit.value = str(item.get("unit", ""))
        fixed.source.value = item["source"]
    for criterion, answer in (period.get("eligibility") or {}).items():
        form.eligibility[str(criterion)].value = "yes" if answer else "no"
