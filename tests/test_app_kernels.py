"""The app server's kernels: freed when their page is closed, culled when their page never
connected, and never more than ``--max-kernels`` (a further page gets the busy page).

Kernels are counted as the server's child processes that are IPython kernels
(``app_driver.kernel_processes``), and told apart by the id in their connection file
(``app_driver.kernel_ids``; a page's own is in its HTML): in Voila's single-notebook mode the
server lists no kernels over HTTP. The server keeps one kernel ready for the next page
(``--ready-kernels``, default 1), within ``--max-kernels``.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from app_driver import AppPage, app_server, chromium, chromium_present, kernel_ids, kernel_processes, page_kernel_id, wait_for

from jcmwb.app.server import AppSettings, voila_config
from jcmwb.cli import main

browser_only = pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)")


def get(url: str) -> tuple[int, str, dict[str, str]]:
    """A plain GET, as a crawler or a preview would send it: no browser, no websocket."""
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def test_settings_reach_the_server() -> None:
    config = voila_config(AppSettings(max_kernels=3, cull_unconnected=45, cull_interval=15))
    assert config.VoilaConfiguration.multi_kernel_manager_class == "jcmwb.app.kernels.AppKernelManager"
    assert config.AppKernelManager.max_kernels == 3 and config.AppKernelManager.cull_unconnected == 45
    assert config.MappingKernelManager.cull_interval == 15 and config.MappingKernelManager.cull_connected is False
    assert config.VoilaConfiguration.preheat_kernel is True and config.VoilaConfiguration.default_pool_size == 1
    defaults = AppSettings()
    # A page never connected is gone within a minute or two; a laptop's worth of kernels.
    assert defaults.cull_unconnected + defaults.cull_interval <= 120 and defaults.max_kernels == 8
    off = voila_config(AppSettings(ready_kernels=0))
    assert off.VoilaConfiguration.preheat_kernel is False


def test_only_the_cell_waiting_for_its_page_runs_without_a_time_limit() -> None:
    import nbformat

    from jcmwb.app.server import NOTEBOOK, WAIT_TAG

    timeout = voila_config(AppSettings(render_timeout=77)).VoilaExecutor.timeout_func
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    limits = [timeout(cell) for cell in cells]
    waiting = [n for n, cell in enumerate(cells) if WAIT_TAG in cell.metadata.get("tags", [])]
    assert len(waiting) == 1 and "get_query_string()" in cells[waiting[0]].source
    assert limits == [None if n in waiting else 77 for n in range(len(cells))]
    # The imports come before the wait, the page after it.
    assert "preload()" in cells[0].source and "main(query)" in cells[-1].source


@pytest.mark.parametrize("ready", ["-1", "9"])
def test_ready_kernels_within_the_cap(ready: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jcmwb.app.server.serve", lambda settings: pytest.fail("the app was served"))
    assert main(["app", "--ready-kernels", ready]) == 2
    assert capsys.readouterr().err.strip() == f"error: --ready-kernels: not between 0 and --max-kernels; expected a whole number from 0 to 8, found {ready}"


@pytest.mark.parametrize("option", ["--max-kernels", "--cull-unconnected", "--cull-interval", "--cull-idle"])
def test_kernel_options_must_be_positive(option: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jcmwb.app.server.serve", lambda settings: pytest.fail(f"the app was served with {option} 0"))
    assert main(["app", option, "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {option}: not a positive whole number; expected a whole number of at least 1, found 0"


@pytest.mark.slow
@browser_only
def test_closing_a_page_frees_its_kernel(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    # The culls are far off (defaults): only the page's own shutdown request can free the kernel.
    with app_server(work) as settings, chromium() as browser:
        server = settings.process
        # A tab of a browser window that stays open (a page of its own context would take
        # its context, the window, down with it, and the request with it).
        context = browser.new_context()
        page = context.new_page()
        AppPage(page, settings.url).open("TH_AM001")
        mine = page_kernel_id(page.content())
        assert mine in kernel_ids(server)
        # The page took the ready kernel; another is started for the next page.
        assert wait_for(lambda: len(kernel_ids(server) - {mine}) == 1, 30)
        page.close(run_before_unload=True)  # as closing the tab: beforeunload runs
        assert wait_for(lambda: mine not in kernel_ids(server), 20), "the closed page's kernel is still running"
        assert len(kernel_processes(server)) == 1  # the ready one, for the next page
        # Leaving the page for another site frees it too.
        page = context.new_page()
        AppPage(page, settings.url).open("ID_AM002")
        mine = page_kernel_id(page.content())
        assert mine in kernel_ids(server)
        page.goto("about:blank")
        assert wait_for(lambda: mine not in kernel_ids(server), 20), "the left page's kernel is still running"
        page.close()
    log = (work.parent / f"voila-{settings.port}.log").read_text(encoding="utf-8")
    assert "403 POST /voila/api/shutdown" not in log


@pytest.mark.slow
@browser_only
def test_pages_never_connected_are_culled_and_an_open_page_keeps_its_kernel(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with app_server(work, cull_unconnected=4, cull_interval=1) as settings, chromium() as browser:
        server = settings.process
        app = AppPage(browser.new_page(), settings.url)
        app.open("TH_AM001")  # a user's page: connected
        mine = page_kernel_id(app.page.content())
        fetched = []
        for _ in range(3):  # three plain GETs: each built a page, with its kernel, that nothing connects to
            status, body, _ = get(settings.url + "?id=ID_AM002")
            assert status == 200 and "jcmwb" in body
            fetched.append(page_kernel_id(body))
        assert fetched[-1] in kernel_ids(server)  # at least the last GET's kernel is still there
        assert wait_for(lambda: not set(fetched) & kernel_ids(server), 60), "kernels of pages never connected were not culled"
        time.sleep(6)  # longer than cull_unconnected again: the open page is not culled, nor the ready kernel
        assert mine in kernel_ids(server) and len(kernel_ids(server)) == 2
        assert app.calculate() == "problems"  # and it still answers
        assert app.messages()["jcmwb-msg-project-id"] == "Required."


@pytest.mark.slow
def test_the_kernel_cap_gives_the_busy_page(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with app_server(work, max_kernels=2, cull_unconnected=5, cull_interval=1) as settings:
        server = settings.process
        # The ready kernel holds one of the two places from the start: pages asked for while it
        # is still starting find no ready kernel and start their own, within the cap as well.
        assert wait_for(lambda: len(kernel_processes(server)) == 1, 60)
        with ThreadPoolExecutor(max_workers=5) as pool:
            answers = list(pool.map(get, [settings.url + "?id=TH_AM001"] * 5))
        # A page takes the ready kernel and the pool starts its next one; a second page gets a kernel
        # of its own only if it asks before that refill takes the room (a race either may win, and
        # CI saw both): one or two pages, never more, and every other request the busy page.
        served_count = sum(status == 200 for status, _, _ in answers)
        assert served_count in (1, 2)
        assert sorted(status for status, _, _ in answers) == [200] * served_count + [503] * (5 - served_count)
        busy = [(body, headers) for status, body, headers in answers if status == 503]
        for body, headers in busy:
            assert "The app is busy" in body and "jcmwb app --max-kernels" in body and "retry in a minute" in body
            assert headers["Retry-After"] == "60" and "http-equiv='refresh'" in body
        # The ready kernel is within the cap: never a third kernel.
        served = {page_kernel_id(body) for status, body, _ in answers if status == 200}
        assert len(served) == served_count and served <= kernel_ids(server) and len(kernel_ids(server)) <= 2
        status, body, _ = get(settings.url + "?id=TH_AM001&lang=ja")
        assert status == 503 and "アプリが混み合っています" in body
        assert len(kernel_processes(server)) <= 2
        # Once the pages' kernels are gone (never connected: culled), a ready kernel is started
        # again in the room they left, and the app serves from it.
        assert wait_for(lambda: not served & kernel_ids(server) and len(kernel_ids(server)) == 1, 60)
        ready = kernel_ids(server)
        status, body, _ = get(settings.url + "?id=TH_AM001")
        assert status == 200 and page_kernel_id(body) in ready
