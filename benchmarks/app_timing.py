"""Benchmark: how long a user of the app waits, for the TH_AM001 example year.

Run with ``.venv/bin/python benchmarks/app_timing.py`` (needs Chromium). Starts ``jcmwb app``
on a free port and drives it in headless Chromium, as the browser tests do, three times:

- opening the page of the methodology until the form can be used (the Calculate button,
  the last widget of the page, is on screen): a kernel starts and builds the form;
- uploading the example's 15-minute CSV (2.4 MB) until the page says it arrived;
- pressing Calculate until the results are on screen: whatever the app does for it at the
  time of measuring (see jcmwb/app/session.py), then the drawing of the results.

``make bench FIGURES=app`` (benchmarks/bench.py) runs the same measurement, 5 times, beside
the other figures of issue 11 (benchmarks/RESULTS.md).

Writes ``benchmarks/app_timing.md`` with the median, minimum and maximum of each.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from app_driver import AppPage, app_server, chromium, fill_from_period  # noqa: E402

EXAMPLE = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
REPEAT = 3


def measure() -> dict[str, list[float]]:
    period = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    times: dict[str, list[float]] = {"open": [], "upload": [], "calculate": []}
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp)) as settings, chromium() as browser:
        for n in range(REPEAT):
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            app = AppPage(page, settings.url)
            times["open"].append(app.open("TH_AM001"))
            period["project"]["id"] = f"EXAMPLE-TH001-{n}"
            started = time.perf_counter()
            app.upload("EG_i_p", EXAMPLE.parent / period["monitored"]["EG_i_p"]["data"])
            times["upload"].append(time.perf_counter() - started)
            fill_from_period(app, {**period, "monitored": {}}, EXAMPLE.parent)  # the rest of the form
            started = time.perf_counter()
            assert app.calculate() == "results", app.messages()
            times["calculate"].append(time.perf_counter() - started)
            page.close()
    return times


def report(times: dict[str, list[float]]) -> str:
    labels = {
        "open": "open the page -> usable form",
        "upload": "upload the year of 15-minute data (2.4 MB)",
        "calculate": "press Calculate -> results on screen",
    }
    rows = [f"| {labels[k]} | {statistics.median(v):.1f} s | {min(v):.1f} s | {max(v):.1f} s |" for k, v in times.items()]
    return "\n".join(
        [
            "# App timing: the TH_AM001 example year",
            "",
            "Measured by `benchmarks/app_timing.py`: `jcmwb app` driven in headless Chromium, "
            f"{REPEAT} runs, on {platform.system()} with Python {platform.python_version()}, "
            "a 2-core machine shared with other work (so the maximum is noisy).",
            "",
            "| step | median | min | max |",
            "|---|---|---|---|",
            *rows,
            "",
            "Opening the page starts a kernel and builds the form from the spec. What Calculate does is",
            "the app's own (jcmwb/app/session.py at the time of measuring); benchmarks/RESULTS.md has",
            "these figures beside the rest of issue 11's table.",
            "",
        ]
    )


if __name__ == "__main__":
    text = report(measure())
    (ROOT / "benchmarks" / "app_timing.md").write_text(text, encoding="utf-8")
    print(text)
