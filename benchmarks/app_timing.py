"""Benchmark: how long a user of the app waits, for the TH_AM001 example year.

Run with ``.venv/bin/python benchmarks/app_timing.py`` (needs Chromium). Starts ``jcmwb app``
on a free port and drives it in headless Chromium, as the browser tests do, ``--repeat`` times:

- opening the page of the methodology until the form can be used (the Calculate button,
  the last widget of the page, is on screen);
- uploading the example's 15-minute CSV (2.4 MB) until the page says it arrived;
- pressing Calculate until the results are on screen (the status line says done), and
  until the monthly chart, drawn last, is on screen too.

Each page is opened once the server is idle (its processes use less than a tenth of a core
for a second): a user arrives at a server that has been waiting, with its ready kernel
loaded (``jcmwb app --ready-kernels``), not in the second after the previous page.

``--before REV`` measures the app of git revision REV beside the working tree's, interleaved
(one page of each per round, the order alternating), from a copy of REV made by
``git archive`` (its own server and kernels import it through PYTHONPATH).

``make bench FIGURES=app`` (benchmarks/bench.py) runs the same measurement, 5 times, beside
the other figures of issue 11 (benchmarks/RESULTS.md).

Writes ``benchmarks/app_timing.md`` with the median, minimum and maximum of each.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from app_driver import AppPage, app_server, chromium, fill_from_period, free_port, kernel_processes, wait_for  # noqa: E402

EXAMPLE = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
REPEAT = 5
STEPS = {
    "open": "open the page -> usable form",
    "upload": "upload the year of 15-minute data (2.4 MB)",
    "calculate": "press Calculate -> results on screen",
    "chart": "press Calculate -> monthly chart on screen too",
}


def idle(server: subprocess.Popen) -> bool:
    """Whether the server and its kernels used less than a tenth of a core over one second."""
    import psutil

    try:
        processes = [psutil.Process(server.pid), *kernel_processes(server)]
        for process in processes:
            process.cpu_percent()
        time.sleep(1.0)
        return sum(process.cpu_percent() for process in processes) < 10
    except psutil.NoSuchProcess:
        return False


@contextmanager
def server_of(tree: Path, work: Path) -> Iterator[Any]:
    """``jcmwb app`` of another copy of the repository (``--before``), on a free port."""
    from jcmwb.app.server import AppSettings

    settings = AppSettings(port=free_port(), timeout=300, work=work)
    env = {**os.environ, **settings.environment(), "PYTHONPATH": str(tree)}
    with open(work.parent / f"voila-{settings.port}.log", "w") as log:
        # cwd is the copy: `python -m` puts it first on sys.path, so the copy's jcmwb is imported.
        process = subprocess.Popen([sys.executable, "-m", "jcmwb.app.server"], cwd=str(tree), env=env, stdout=log, stderr=log)
        settings.process = process  # type: ignore[attr-defined]
        try:
            if not wait_for(lambda: _listening(settings.port) or process.poll() is not None, 60, 0.2) or process.poll() is not None:
                raise RuntimeError(f"the app of {tree} did not start")
            yield settings
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def one_page(browser: Any, settings: Any, period: dict[str, Any], n: int) -> dict[str, float]:
    """One user: open the form, upload, fill in, calculate; the seconds of each step."""
    wait_for(lambda: idle(settings.process), 120, 0)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    app = AppPage(page, settings.url)
    out = {"open": app.open("TH_AM001")}
    period["project"]["id"] = f"EXAMPLE-TH001-{n}"
    started = time.perf_counter()
    app.upload("EG_i_p", EXAMPLE.parent / period["monitored"]["EG_i_p"]["data"])
    out["upload"] = time.perf_counter() - started
    fill_from_period(app, {**period, "monitored": {}}, EXAMPLE.parent)  # the rest of the form
    started = time.perf_counter()
    assert app.calculate() == "results", app.messages()
    out["calculate"] = time.perf_counter() - started
    page.locator("img.jcmwb-chart").wait_for(state="visible", timeout=120_000)
    out["chart"] = time.perf_counter() - started
    page.close(run_before_unload=True)  # as a user closing the tab: the page's kernel is shut down
    context.close()
    return out


def measure(repeat: int | None = None) -> dict[str, list[float]]:
    """Seconds of each step for the working tree's app (benchmarks/bench.py calls this, with ``REPEAT`` set)."""
    return compare(repeat or REPEAT)["after"]


def compare(repeat: int, before: str | None = None) -> dict[str, dict[str, list[float]]]:
    """Seconds of each step, by variant ("after": the working tree; "before": revision ``before``)."""
    period = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    variants = ["after"] + (["before"] if before else [])
    times: dict[str, dict[str, list[float]]] = {v: {k: [] for k in STEPS} for v in variants}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        servers = {}
        for variant in variants:
            work = tmp / variant / "work"
            work.mkdir(parents=True)
            if variant == "before":
                tree = tmp / "before-tree"
                tree.mkdir()
                archive = subprocess.run(["git", "archive", before], cwd=ROOT, check=True, capture_output=True).stdout
                with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
                    tar.extractall(tree, filter="data")
                servers[variant] = stack.enter_context(server_of(tree, work))
            else:
                servers[variant] = stack.enter_context(app_server(work))
        browser = stack.enter_context(chromium())
        for n in range(repeat):
            order = variants if n % 2 == 0 else variants[::-1]
            for variant in order:
                for step, seconds in one_page(browser, servers[variant], period, n).items():
                    times[variant][step].append(seconds)
    return times


def _row(label: str, values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s | {min(values):.2f} s | {max(values):.2f} s"


def report(times: dict[str, dict[str, list[float]]], before: str | None, load: tuple[float, float]) -> str:
    variants = list(times)
    repeat = len(next(iter(times["after"].values())))
    head = "| step | " + " | ".join(f"{v} median | {v} min | {v} max" for v in variants) + " |"
    rule = "|---|" + "---|---|---|" * len(variants)
    rows = [f"| {STEPS[k]} | " + " | ".join(_row(k, times[v][k]) for v in variants) + " |" for k in STEPS]
    compared = f" and as it was at `{before}` (before), interleaved page by page" if before else ""
    return "\n".join(
        [
            "# App timing: the TH_AM001 example year",
            "",
            f"Measured by `benchmarks/app_timing.py`: `jcmwb app` driven in headless Chromium, {repeat} pages "
            f"each, the app of the working tree (after){compared}, on {platform.system()} with Python "
            f"{platform.python_version()}, a 2-core machine shared with other work: load average "
            f"{load[0]:.1f} at the start, {load[1]:.1f} at the end (absolute times move with it).",
            "",
            head,
            rule,
            *rows,
            "",
            "Each page is opened when the server is idle (a user arriving at a waiting server). After:",
            "the page takes a kernel started ahead of need, which has already imported the app and",
            "loaded the catalogue and specs (`jcmwb app --ready-kernels`, `jcmwb.app.page.preload`), so",
            "opening it builds the form's widgets only; Calculate shows the results, then draws the",
            "monthly chart. benchmarks/RESULTS.md has these figures beside the rest of issue 11's table.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--before", help="a git revision to measure beside the working tree (e.g. HEAD)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/app_timing.md as it is")
    args = parser.parse_args(argv)
    start_load = os.getloadavg()[0]
    times = compare(args.repeat, args.before)
    text = report(times, args.before, (start_load, os.getloadavg()[0]))
    if not args.no_write:
        (ROOT / "benchmarks" / "app_timing.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
