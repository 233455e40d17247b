"""The Voila app in headless Chromium: fill, upload, calculate, download; wrong uploads; language.

One app server for the module. The happy paths fill the form with what the example
monitoring-period files say, upload their data, calculate and download; the sheet must
be the one ``jcmwb run`` writes for the app's inputs (same bytes; the record's receipt is
the receipt of ``jcmwb run``) and have the cell values of ``jcmwb run`` on the example file itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from app_driver import ARTIFACTS, CALC_TIMEOUT, ROOT, AppPage, app_server, chromium, chromium_present, fill_from_period

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)"),
]

EXAMPLES = ROOT / "data" / "examples"
TH_EXAMPLE = EXAMPLES / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
ID_EXAMPLE = EXAMPLES / "ID_AM002" / "EXAMPLE-ID001_2021.yaml"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("app") / "work"


@pytest.fixture(scope="module")
def server(work: Path):
    work.mkdir(parents=True, exist_ok=True)
    with app_server(work) as settings:
        yield settings


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


@pytest.fixture
def app(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(30_000)
    yield AppPage(page, server.url)
    page.close()


def jcmwb_run(period_file: Path, out: Path) -> Path:
    """What a command-line user gets for the same inputs."""
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "run", str(period_file), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def cells(path: Path) -> dict[tuple[str, str], object]:
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)
    return {(sheet.title, cell.coordinate): cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None}


def session_of(work: Path, project_id: str) -> Path:
    """The work folder of the page that calculated ``project_id``."""
    found = [p.parent.parent for p in work.glob("*/input/*.yaml") if yaml.safe_load(p.read_text(encoding="utf-8"))["project"]["id"] == project_id]
    assert len(found) == 1, found
    return found[0]


def happy_path(app: AppPage, example: Path, work: Path, tmp_path: Path) -> tuple[Path, Path]:
    period = yaml.safe_load(example.read_text(encoding="utf-8"))
    app.open(period["methodology"])
    fill_from_period(app, period, example.parent)
    assert app.calculate() == "results", app.messages()
    assert not app.has_traceback()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    mrs = app.download("mrs", downloads)
    assert mrs.name == "MRS.xlsx"
    # The record (jcmwb run, on request): the notebook, its report and the receipt.
    app.make_record()
    assert app.page.locator(".jcmwb-record-record_done").count() == 1, app.page.locator(".jcmwb-record-status").inner_text()
    record = tmp_path / "record"
    record.mkdir()
    receipt = app.download("receipt", record)
    assert receipt.name == "receipt.json"
    assert app.download("record-mrs", record).read_bytes() == mrs.read_bytes()

    # The downloads are what `jcmwb run` writes for the app's inputs: the same bytes.
    session = session_of(work, period["project"]["id"])
    (period_file,) = (session / "input").glob("*.yaml")
    cli = jcmwb_run(period_file, session / "cli-output")  # beside output/: the same relative paths
    assert mrs.read_bytes() == (cli / "MRS.xlsx").read_bytes()
    assert json.loads(receipt.read_text()) == json.loads((cli / "receipt.json").read_text())
    # ... and the sheet reads as the sheet of the example file itself, cell for cell.
    reference = jcmwb_run(example, tmp_path / "example-output")
    assert cells(mrs) == cells(reference / "MRS.xlsx")
    shown = app.page.locator(".jcmwb-results .jcmwb-er").inner_text()
    assert float(shown.replace(",", "")) == json.loads(receipt.read_text())["result"]["value"]
    return mrs, receipt


def test_th_am001_example_year(app: AppPage, work: Path, tmp_path: Path) -> None:
    happy_path(app, TH_EXAMPLE, work, tmp_path)
    page = app.page
    results = page.locator(".jcmwb-results")
    text = results.inner_text()
    for expected in ("ER", "RE", "PE", "tCO2/p", "PROVISIONAL", "96 missing 15-minute values", "apportioned"):
        assert expected in text, expected
    # How a number was obtained: the formula, the inputs with their sources.
    how = page.locator(".jcmwb-how-RE_p")
    how.locator("summary").first.click()
    assert "RE_p = sum(EG_i_p, i) * EF_RE" in how.inner_text()
    how.locator("details > summary", has_text="EG_i_p").first.click()  # one level down: the monitored input
    assert "option C: generation-2021.csv rows 2-69956" in how.inner_text()
    assert "96 missing 15-minute values" in how.inner_text()
    # The monthly chart is drawn after the results are shown.
    page.locator("img.jcmwb-chart").wait_for(state="visible", timeout=CALC_TIMEOUT)
    assert page.locator("img.jcmwb-chart").evaluate("e => e.naturalWidth > 100")
    # The screenshot of the results, for the documentation.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = int(results.bounding_box()["height"]) + 40
    page.set_viewport_size({"width": 1280, "height": max(1000, height)})
    results.scroll_into_view_if_needed()
    results.screenshot(path=str(ARTIFACTS / "app-results.png"))  # docs/app-results.png is a copy of one


def test_id_am002_example_year(app: AppPage, work: Path, tmp_path: Path) -> None:
    happy_path(app, ID_EXAMPLE, work, tmp_path)
    text = app.page.locator(".jcmwb-results").inner_text()
    assert "register difference multiplied by 10" in text


def _th_minimal(app: AppPage, project: str) -> None:
    app.open("TH_AM001")
    app.text("jcmwb-project-id", project)
    app.date("jcmwb-period-start", "2021-01-01")
    app.date("jcmwb-period-end", "2021-01-31")


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("timestamp,point,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _january(value: str = "1.0", unit: str = "kWh") -> list[str]:
    return [f"2021-01-{d:02d}T{h:02d}:00:00,PV-1,{value},{unit}" for d in range(1, 32) for h in range(24)]


@pytest.mark.parametrize(
    ("case", "rows", "field", "expected"),
    [
        ("text-in-numbers", lambda: _january()[:5] + ["2021-01-01T05:00:00,PV-1,n/a,kWh"] + _january()[6:], "data", ["text-in-numbers.csv", "row 7, column value", "Not a number", "'n/a'"]),
        ("outside-period", lambda: _january() + ["2021-02-01T00:00:00,PV-1,1.0,kWh", "2021-02-01T01:00:00,PV-1,1.0,kWh"], "data", ["2 value(s)", "outside the monitoring period", "row 746", "2021-02-01T00:00:00"]),
        ("wrong-unit", lambda: _january(unit="kg"), "data", ["wrong-unit.csv", "column unit", "wrong dimension", "convertible to MWh", "'kg'"]),
    ],
)
def test_wrong_upload_message_next_to_field(app: AppPage, tmp_path: Path, case: str, rows, field: str, expected: list[str]) -> None:
    _th_minimal(app, f"BAD-{case}")
    app.upload("EG_i_p", _write(tmp_path / f"{case}.csv", rows()))
    assert app.calculate() == "problems"
    message = app.message(f"monitored.EG_i_p.{field}")
    for part in expected:
        assert part in message, (part, message)
    assert set(app.messages()) == {f"jcmwb-msg-monitored-EG_i_p-{field}"}, app.messages()
    assert not app.has_traceback()
    assert app.page.locator(".jcmwb-results .jcmwb-er").count() == 0


def test_wrong_unit_typed_and_missing_fields(app: AppPage, tmp_path: Path) -> None:
    app.open("TH_AM001")
    app.upload("EG_i_p", _write(tmp_path / "ok.csv", _january()))
    app.text("jcmwb-monitored-EG_i_p-unit", "litre")
    assert app.calculate() == "problems"
    found = app.messages()
    assert "'litre' is not a unit convertible to MWh" in found["jcmwb-msg-monitored-EG_i_p-unit"]
    assert found["jcmwb-msg-project-id"] == "Required."
    assert found["jcmwb-msg-period-start"] == "Required."
    assert not app.has_traceback()


def test_language_switch(app: AppPage) -> None:
    from playwright.sync_api import expect

    page = app.page
    app.open("ID_AM002")
    expect(page.get_by_text("1. Project and monitoring period")).to_have_count(1)
    expect(page.get_by_text("Power consumption of project chiller i during the period p").first).to_be_visible()
    page.locator(".jcmwb-language").get_by_role("button", name="日本語").click()
    # The app's words and the spec's own Japanese labels; the English ones are gone.
    expect(page.get_by_text("1. プロジェクトとモニタリング期間")).to_have_count(1)
    expect(page.get_by_text("期間pにおけるプロジェクト冷凍機iの消費電力量").first).to_be_visible()
    expect(page.get_by_text("計算する")).to_have_count(1)
    expect(page.get_by_text("1. Project and monitoring period")).to_have_count(0)
    expect(page.get_by_text("Power consumption of project chiller i during the period p")).to_have_count(0)
    page.locator(".jcmwb-language").get_by_role("button", name="English").click()
    expect(page.get_by_text("1. Project and monitoring period")).to_have_count(1)
    # The catalogue too, and a link keeps the language.
    app.open(lang="ja")
    expect(page.get_by_text("太陽光発電システムの導入").first).to_be_visible()  # several PV methodologies share the words
    expect(page.get_by_text("承認済み方法論")).to_have_count(1)
    page.click(".jcmwb-link-TH_AM001")
    expect(page.get_by_text("1. プロジェクトとモニタリング期間")).to_have_count(1, timeout=60_000)


def test_unknown_methodology_goes_to_the_catalogue(app: AppPage) -> None:
    app.page.goto(app.url + "?id=XX_AM999")
    app.page.wait_for_selector(".jcmwb-landing", timeout=60_000)
    assert "There is no methodology 'XX_AM999'" in app.page.inner_text(".jcmwb-landing")
