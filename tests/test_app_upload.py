"""Large uploads in the app: 50 MB and more work; a file over the configured limit gets a message.

A server of its own, with a 60 MB upload limit: a 55 MB year of 15-minute data for 42
PV blocks is uploaded through the browser and calculated; a 70 MB file is refused in the
browser before it is sent, and the page says why next to the upload field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from app_driver import AppPage, app_server, chromium, chromium_present

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)"),
]

LIMIT_MB = 60
POINTS = 42


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory):
    """A year of 15-minute energy for 42 points: about 55 MB, 1.47 million rows."""
    path = tmp_path_factory.mktemp("big") / "generation-big.csv"
    stamps = pd.date_range("2021-01-01", "2022-01-01", freq="15min", inclusive="left").strftime("%Y-%m-%dT%H:%M:%S")
    values = np.random.default_rng(7).uniform(0, 300, size=(len(stamps), POINTS))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("timestamp,point,value,unit\n")
        for n, stamp in enumerate(stamps):
            handle.write("".join(f"{stamp},PV-{k + 1:02d},{values[n, k]:.3f},kWh\n" for k in range(POINTS)))
    assert path.stat().st_size >= 50 * 1024 * 1024
    return path, float(values.sum()) / 1000  # MWh


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("app-upload") / "work"
    work.mkdir()
    with app_server(work, max_upload_mb=LIMIT_MB) as settings, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        yield AppPage(page, settings.url)


def test_upload_of_50_mb_works(app: AppPage, big_csv) -> None:
    path, total_mwh = big_csv
    app.open("TH_AM001")
    app.text("jcmwb-project-id", "BIG-UPLOAD")
    app.date("jcmwb-period-start", "2021-01-01")
    app.date("jcmwb-period-end", "2021-12-31")
    app.upload("EG_i_p", path)
    assert "PV-42" in app.page.inner_text(".jcmwb-monitored-EG_i_p-status")
    assert app.calculate() == "results", app.messages()
    shown = app.page.locator(".jcmwb-value-EG_p").inner_text()
    assert float(shown.replace(",", "")) == pytest.approx(total_mwh, abs=1e-3)  # shown to 3 decimals
    assert not app.has_traceback()


def test_file_over_the_limit_gets_a_message(app: AppPage, tmp_path) -> None:
    path = tmp_path / "too-large.csv"
    with open(path, "wb") as handle:
        handle.truncate(70 * 1024 * 1024)  # the size is what counts: it is refused before being read
    app.open("TH_AM001")
    app.upload("EG_i_p", path, wait_for="too-large.csv is 70.0 MB")
    message = app.message("monitored.EG_i_p.data")
    assert f"more than the {LIMIT_MB}.0 MB this app accepts" in message
    assert "--max-upload-mb" in message
    # The page is still alive: a file within the limit goes through afterwards.
    small = tmp_path / "small.csv"
    small.write_text("timestamp,point,value,unit\n2021-01-01T00:00:00,PV-1,1.0,kWh\n2021-01-01T01:00:00,PV-1,1.0,kWh\n", encoding="utf-8")
    app.upload("EG_i_p", small)
    assert app.message("monitored.EG_i_p.data") == ""
