"""The app's project view in headless Chromium: choose a project folder, see its cycle, download.

``/?project=EXAMPLE-TH101`` opens the view on an example project: the periods, the ledger, the
chart, the SD answers and the authorization records must be those ``jcmwb project`` computes,
and the downloaded ``ledger.csv`` the bytes it writes. Choosing the other example in the list
shows that one; an unknown name is a message, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import CALC_TIMEOUT, PAGE_TIMEOUT, ROOT, app_server, chromium, chromium_present

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
