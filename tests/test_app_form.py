"""Form polish (issue 12, items 19 and 15): allocation per party, section 2 first, dimensionless units,
eligibility left unanswered, and in the browser the upload button, links and the error summary.

Without a browser the form is driven by setting widget values (widgets work without a kernel);
the browser part uses one app server for all its checks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_driver import AppPage, app_server, chromium, chromium_present
from conftest import ROOT

from jcmwb.app.page import MethodologyPage
from jcmwb.app.server import AppSettings
from jcmwb.engine.spec import load_spec


def page(spec_id: str, tmp_path: Path, lang: str = "en") -> MethodologyPage:
    return MethodologyPage(load_spec(spec_id), AppSettings(work=tmp_path / "work"), lang)


def _january(tmp_path: Path) -> Path:
    data = tmp_path / "january.csv"
    rows = [f"2021-01-{d:02d}T{h:02d}:00:00,PV-1,1.0,kWh" for d in range(1, 32) for h in range(24)]
    data.write_text("timestamp,point,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return data


def _th_january(app: MethodologyPage, tmp_path: Path) -> None:
    form = app.form
    form.project_id.value = "FORM-1"
    form.start_picker.value = dt.date(2021, 1, 1)
    form.end_picker.value = dt.date(2021, 1, 31)
    data = _january(tmp_path)
    form.monitored["EG_i_p"]._receive({"name": data.name, "content": data.read_bytes(), "size": data.stat().st_size})


# -- credit allocation: fields per party with a rounding choice ---------------------------------------------
def test_credit_allocation_is_a_row_per_party_with_its_rounding(tmp_path: Path) -> None:
    app = page("TH_AM001", tmp_path)
    rows = app.form.allocation
    assert [code.value for code, _, _, _ in rows.rows] == ["JP", "TH"]  # Japan and the partner country to start with
    assert not rows.given()  # no share typed: no allocation in the period file
    (_, jp, jp_rule, _), (_, th, _, _) = rows.rows
    jp.value, th.value = "50", "40"
    problems = {p.key: p.text for p in app.form.check()}
    assert problems["allocation"] == "The shares do not add up to 100 %. Expected 100%; found 90%."
    th.value = "50"
    jp_rule.value = "up"
    _th_january(app, tmp_path)
    assert app.form.check() == []
    assert app.form.period_mapping()["allocation"] == {"JP": "50%", "TH": "50%", "rounding": {"JP": "up"}}
    rows.add_row("KR", "10")
    problems = {p.key: p.text for p in app.form.check()}
    assert "110%" in problems["allocation"]
    rows.remove_row(rows.rows[-1])
    app.guard(app.run)
    assert app.results.result is not None and sum(app.results.result.allocation.values()) == app.results.result.er


def test_allocation_messages_in_japanese(tmp_path: Path) -> None:
    app = page("TH_AM001", tmp_path, "ja")
    (_, jp, _, _), (_, th, _, _) = app.form.allocation.rows
    jp.value, th.value = "50", "40"
    problems = {p.key: p.text for p in app.form.check()}
    assert problems["allocation"] == "配分割合の合計が 100 % になりません。期待される値：100%。実際の値：90%。"


# -- section 2 before section 3 ---------------------------------------------------------------------------
def test_values_per_unit_can_be_given_before_section_3(tmp_path: Path) -> None:
    app = page("ID_AM002", tmp_path)
    cop = app.form.fixed["COP_PJ_i"]
    assert cop.manual is not None and cop.manual.layout.display != "none"  # typed here, section 3 still empty
    cop.manual.value = "CH-1\nCH-2"
    assert list(cop.values.inputs) == ["CH-1", "CH-2"]
    cop.values.inputs["CH-1"].value = "6.3"
    # Section 3 then lists its points: they are the members, and what was typed is kept.
    data = ROOT / "data" / "examples" / "ID_AM002" / "chiller-2021-register.csv"
    app.form.monitored["EC_PJ_i_p"]._receive({"name": data.name, "content": data.read_bytes(), "size": data.stat().st_size})
    assert list(cop.values.inputs) == ["CH-1", "CH-2"] and cop.values.inputs["CH-1"].value == "6.3"
    assert cop.manual.layout.display == "none"


# -- dimensionless units ----------------------------------------------------------------------------------
def test_a_dimensionless_unit_is_said_so(tmp_path: Path) -> None:
    app = page("ID_AM002", tmp_path)
    shown = " ".join(str(h.value) for h in _html_widgets(app.form.fixed["COP_PJ_i"].box))
    assert "convertible to -" not in shown and "dimensionless" in shown
    cop = app.form.fixed["COP_PJ_i"]
    cop.unit.value = "kg"
    problems = {p.key: p.text for p in cop.check("en")}
    assert problems["fixed.COP_PJ_i.unit"] == "'kg' is a unit, but these values are plain numbers without one (dimensionless): write -."
    japanese = page("ID_AM002", tmp_path, "ja")
    shown = " ".join(str(h.value) for h in _html_widgets(japanese.form.fixed["COP_PJ_i"].box))
    assert "無次元" in shown and "- に換算" not in shown


def _html_widgets(widget) -> list:
    import ipywidgets as w

    out = [widget] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        out += _html_widgets(child)
    return out


# -- eligibility left unanswered (issue 12, item 15) ----------------------------------------------------------
def test_unanswered_eligibility_is_a_visible_warning(tmp_path: Path) -> None:
    app = page("TH_AM001", tmp_path)
    _th_january(app, tmp_path)
    app.form.eligibility["1"].value = "yes"
    app.guard(app.run)
    result = app.results.result
    assert result is not None
    unanswered = [cid for cid in app.form.eligibility if cid != "1"]
    for cid in unanswered:
        assert "Not answered" in app.form.slots.widgets[f"eligibility.{cid}"].value
    assert "Not answered" not in app.form.slots.widgets["eligibility.1"].value
    # Whatever the engine says of them stands next to the result, in the top warnings.
    for warning in [w for w in result.warnings if "eligibility" in w]:
        assert warning.split(":")[0] in app.results.headline.value


# -- in the browser -------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)")
def test_upload_button_links_and_error_summary_in_the_browser(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with app_server(work) as server, chromium() as browser:
        page_ = browser.new_page(viewport={"width": 1280, "height": 900})
        app = AppPage(page_, server.url)

        # Links look like links: the catalogue's ids.
        app.open()
        link = page_.locator(".jcmwb-link-TH_AM001")
        style = link.evaluate("e => { const s = getComputedStyle(e); return {line: s.textDecorationLine, color: s.color, body: getComputedStyle(document.body).color}; }")
        assert "underline" in style["line"] and style["color"] != style["body"], style

        # The error summary brings the first problem into view.
        app.open("TH_AM001")
        page_.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page_.click(".jcmwb-calculate")
        page_.locator(".jcmwb-status-fix_first").wait_for(timeout=60_000)
        first = page_.locator(".jcmwb-msg-project-id .jcmwb-error")
        page_.wait_for_function(
            "() => { const e = document.querySelector('.jcmwb-msg-project-id .jcmwb-error'); if (!e) return false;"
            " const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }",
            timeout=10_000,
        )
        assert first.inner_text() == "Required."

        # The upload button, after a good upload, says what it does now, not "(0)".
        app.upload("EG_i_p", _january(tmp_path))
        button = page_.locator(".jcmwb-monitored-EG_i_p-upload")
        shown = button.evaluate("e => ({size: getComputedStyle(e).fontSize, after: getComputedStyle(e, '::after').content, title: e.title})")
        assert shown["size"] == "0px", shown  # the widget's own "Upload data file (0)" is not shown
        assert shown["after"].strip('"') == "Upload another file to replace it" == shown["title"], shown

        # Download links look like links too.
        app.text("jcmwb-project-id", "FORM-LINKS")
        app.date("jcmwb-period-start", "2021-01-01")
        app.date("jcmwb-period-end", "2021-01-31")
        assert app.calculate() == "results", app.messages()
        download = page_.locator(".jcmwb-download-mrs")
        line = download.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "underline" in line
