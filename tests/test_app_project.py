"""The app's project view in headless Chromium: choose or upload a project folder, see its cycle, download.

``/?project=EXAMPLE-TH101`` opens the view on an example project: the periods, the ledger, the
chart, the SD answers and the authorization records must be those ``jcmwb project`` computes,
and the downloaded ``ledger.csv`` the bytes it writes. Choosing the other example in the list
shows that one; an unknown name is a message, not a traceback. A zip of the example folder,
uploaded on ``/?project=``, shows the same ledger; a hostile zip (an entry ``../x``, a symbolic
link) is one clear message, and nothing is written outside the page's work folder. On
``lang=ja`` every word of the view is Japanese.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from app_driver import CALC_TIMEOUT, PAGE_TIMEOUT, ROOT, app_server, chromium, chromium_present
from test_app_japanese import english_words
from test_app_zip import self_contained, zip_of, zip_with

from jcmwb.run.project import prepare
from jcmwb.sheets.ledger import write_csv

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)"),
]
PROJECTS = ROOT / "data" / "examples" / "projects"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("app-project") / "work"
    work.mkdir()
    with app_server(work) as settings:
        yield settings


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(30_000)
    page.goto(url, timeout=PAGE_TIMEOUT)
    page.wait_for_selector(".jcmwb-project-page", timeout=PAGE_TIMEOUT)
    return page


def test_project_view(server, tmp_path: Path):
    project, issuances, _ = prepare(PROJECTS / "EXAMPLE-TH101")
    expected_csv = write_csv(issuances, tmp_path / "expected.csv").read_bytes()
    with chromium() as browser:
        page = _open(browser, server.url + "?project=EXAMPLE-TH101")
        page.locator(".jcmwb-status-done").wait_for(timeout=CALC_TIMEOUT)
        periods = page.locator(".jcmwb-project-periods").inner_text()
        assert "01/Oct/2022 \u2013 31/Mar/2023" in periods and "1,734 tCO2/p" in periods and "2022: 839, 2023: 895" in periods
        ledger = page.locator(".jcmwb-project-ledger").inner_text()
        assert ledger.count("\n") == len([r for i in issuances for r in i.ledger_rows()])  # a header line and one line per row
        assert "447" in ledger and "448" in ledger
        assert "item(s) 16 not answered" in page.locator(".jcmwb-project-warnings").inner_text()
        sd = page.locator(".jcmwb-project-sd").inner_text()
        assert "Packaging waste of the modules" in sd
        auth = page.locator(".jcmwb-project-authorizations").inner_text()
        assert "JCM-EXAMPLE-TH101-003" in auth and "420 tCO2eq" in auth
        assert page.locator(".jcmwb-project-chart").evaluate("e => e.naturalWidth > 100")
        with page.expect_download() as download:
            page.click(".jcmwb-download-project-ledger-csv")
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(str(target))
        assert target.name == "ledger.csv" and target.read_bytes() == expected_csv
        # The other example, chosen in the list.
        page.eval_on_selector(".jcmwb-status .widget-html-content", "e => { e.innerHTML = '' }")
        page.locator(".jcmwb-project-choice select").select_option(label="EXAMPLE-ID117")
        page.click(".jcmwb-project-show")
        page.locator(".jcmwb-status-done").wait_for(timeout=CALC_TIMEOUT)
        periods = page.locator(".jcmwb-project-periods").inner_text()
        assert "02/Dec/2021 \u2013 31/Oct/2022" in periods and "2021: 29, 2022: 326" in periods
        assert "Traceback" not in page.content()
        page.close()
        # An unknown project: a message naming the known ones.
        page = _open(browser, server.url + "?project=%3Cb%3Enope%3C%2Fb%3E")
        status = page.locator(".jcmwb-status-failed").inner_text()
        assert "unknown project folder '<b>nope</b>'" in status and "EXAMPLE-TH101" in status
        assert page.locator(".jcmwb-status-failed b").count() == 0  # shown as text, not markup
        page.close()


def _upload(page, path: Path) -> None:
    page.eval_on_selector(".jcmwb-status .widget-html-content", "e => { e.innerHTML = '' }")
    with page.expect_file_chooser() as chooser:
        page.click(".jcmwb-project-upload")
    chooser.value.set_files(str(path))
    page.locator(".jcmwb-status-done, .jcmwb-status-failed").first.wait_for(timeout=CALC_TIMEOUT)


def test_upload_a_project_zip(server, tmp_path: Path):
    project, issuances, _ = prepare(PROJECTS / "EXAMPLE-TH101")
    rows = len([r for i in issuances for r in i.ledger_rows()])
    good = tmp_path / "EXAMPLE-TH101.zip"
    good.write_bytes(zip_of(self_contained(tmp_path / "src"), prefix="EXAMPLE-TH101/"))
    hostile = {
        "escape.zip": (zip_with([("project.yaml", b"project: {}"), ("../x", b"escaped")]), "the entry '../x' points out of the folder"),
        "link.zip": (zip_with([("project.yaml", b"project: {}")], link="generation.csv"), "the entry 'generation.csv' is a symbolic link"),
    }
    for name, (content, _) in hostile.items():
        (tmp_path / name).write_bytes(content)
    work = Path(server.work)
    outside = {p for p in work.parent.rglob("*") if work not in p.parents and p != work}
    with chromium() as browser:
        page = _open(browser, server.url + "?project=")
        _upload(page, good)
        status = page.locator(".jcmwb-status").inner_text()
        assert page.locator(".jcmwb-status-done").count(), status
        assert "EXAMPLE-TH101 (uploaded, 1): 3 period(s) calculated" in status
        ledger = page.locator(".jcmwb-project-ledger").inner_text()
        assert ledger.count("\n") == rows and "447" in ledger and "448" in ledger
        assert page.locator(".jcmwb-project-chart").evaluate("e => e.naturalWidth > 100")
        for name, (_, expected) in hostile.items():
            _upload(page, tmp_path / name)
            failed = page.locator(".jcmwb-status-failed")
            assert failed.count() == 1 and expected in failed.inner_text() and name in failed.inner_text()
            assert page.locator(".jcmwb-project-ledger").count() == 0  # the earlier project is no longer shown
        assert "Traceback" not in page.content()
        page.close()
    # Nothing outside the work folder; inside it, only the page's own folder holds the uploads.
    assert {p for p in work.parent.rglob("*") if work not in p.parents and p != work} == outside
    assert not list(work.rglob("x")) and not list(work.rglob("generation.csv"))
    unpacked = list(work.glob("*/project-*/EXAMPLE-TH101/project.yaml"))
    assert len(unpacked) == 1


def _values(data: object) -> list[str]:
    """The texts a YAML file gives as values (its keys are the format's, not the project's)."""
    if isinstance(data, dict):
        return [v for item in data.values() for v in _values(item)]
    if isinstance(data, list):
        return [v for item in data for v in _values(item)]
    return [str(data)] if data is not None else []


def test_project_view_in_japanese(server):
    project, issuances, _ = prepare(PROJECTS / "EXAMPLE-TH101")
    # The project's own texts (titles, SD comments, entities, statuses) are names, not the app's words.
    allowed = {w for path in PROJECTS.joinpath("EXAMPLE-TH101").glob("*.yaml") for value in _values(yaml.safe_load(path.read_text(encoding="utf-8"))) for w in english_words(value)}
    # So are the partner country's name and its SD check list's (from the library).
    allowed |= set(english_words(f"{project.info.party_name} {project.info.sd_list.name}"))
    with chromium() as browser:
        page = _open(browser, server.url + "?project=EXAMPLE-TH101&lang=ja")
        page.locator(".jcmwb-status-done").wait_for(timeout=CALC_TIMEOUT)
        text = page.locator(".jcmwb-project-page").inner_text()
        button = page.locator(".jcmwb-project-upload").inner_text()
        page.close()
    assert "台帳" in text and "モニタリング期間" in text and "承認記録" in text and "2022-10-01 ～ 2023-03-31" in text
    assert "アップロード" in button
    leftover = english_words(text, allowed)
    assert not leftover, leftover
