"""Offline (issue 12, item 18): the report's equations and the app's icons need no other host.

With every request to a host other than this machine aborted (Playwright's ``route``), as on
a machine without internet: ``report.html`` asks for nothing and its equations are drawn
(MathML: a subscript is set smaller than its base, and no ``$`` of LaTeX is left in the
text); the app's page asks for nothing from another host and draws its button icons with
the Font Awesome of Voila's own bundle.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from app_driver import ROOT, app_server, chromium, chromium_present

from jcmwb.run.html_report import markdown_with_mathml, report_html

pytestmark = pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)")

LOCAL = re.compile(r"^(file:|data:|about:|blob:|https?://(127\.0\.0\.1|localhost)(:\d+)?/)")


def offline(page, tried: list[str]) -> None:
    """Abort every request that would leave this machine, and note it."""

    def handle(route) -> None:
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            tried.append(route.request.url)
            route.abort()

    page.route("**/*", handle)


def equations(book) -> int:
    text = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    display = re.findall(r"\$\$.+?\$\$", text, re.DOTALL)
    return len(display) + len(re.findall(r"\$[^$]+\$", re.sub(r"\$\$.+?\$\$", "", text, flags=re.DOTALL)))


def test_every_equation_of_every_notebook_becomes_mathml() -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        book = nbformat.read(str(path), as_version=4)
        for cell in book.cells:
            if cell.cell_type == "markdown" and "$" in cell.source:
                converted = markdown_with_mathml(cell.source)
                assert "$" not in converted and "<math" in converted, (path.name, cell.source)


def test_report_has_no_script_or_style_from_elsewhere() -> None:
    book = nbformat.read(str(ROOT / "notebooks" / "TH_AM001.ipynb"), as_version=4)
    body = report_html(book)
    assert not re.findall(r"<(?:script|link)[^>]*(?:src|href)=['\"]?https?://", body)
    assert body.count("<math") == equations(book) > 0
    assert "ns0:" not in body  # a heading's equation stays MathML (see jcmwb.run.html_report.mathml)


@pytest.mark.slow
def test_report_equations_render_with_the_network_blocked(tmp_path: Path) -> None:
    from jcmwb.run.runner import _html

    notebook = ROOT / "notebooks" / "TH_AM001.ipynb"
    report = tmp_path / "report.html"
    _html(notebook, report)  # what jcmwb run writes
    tried: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        offline(page, tried)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        text = page.locator("body").inner_text()
        maths = page.locator("math")
        count = maths.count()
        # MathML drawn: the script of a subscript is set smaller than its base.
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('msub')].map(e => [
                parseFloat(getComputedStyle(e.children[0]).fontSize), parseFloat(getComputedStyle(e.children[1]).fontSize)])"""
        )
        heights = [maths.nth(i).bounding_box()["height"] for i in range(count)]
    assert tried == []
    assert count == equations(nbformat.read(str(notebook), as_version=4)) > 0
    assert "$" not in text and "\\sum" not in text and "EG_{" not in text
    assert sizes and all(script < base for base, script in sizes), sizes
    assert all(h > 0 for h in heights)


@pytest.mark.slow
def test_app_page_loads_nothing_from_elsewhere_and_draws_its_icons(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    tried: list[str] = []
    with app_server(work) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        offline(page, tried)
        page.goto(server.url + "?id=TH_AM001", timeout=60_000)
        page.wait_for_selector(".jcmwb-calculate", timeout=60_000)
        page.evaluate("document.fonts.ready")
        icon = page.locator(".jcmwb-calculate i.fa-calculator")
        drawn = icon.evaluate(
            """e => { const s = getComputedStyle(e, '::before');
                      return {content: s.content, family: s.fontFamily, width: e.getBoundingClientRect().width,
                              loaded: document.fonts.check(s.fontWeight + ' 16px ' + s.fontFamily, s.content.replace(/"/g, ''))}; }"""
        )
        faces = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Font Awesome')).map(f => f.status)")
    assert tried == [], tried
    assert "Font Awesome" in drawn["family"] and drawn["content"] not in ("none", "normal", "")
    assert drawn["width"] > 0 and drawn["loaded"], drawn
    assert "loaded" in faces, faces
