"""Script injection in the app: every text from an input is shown as text, never run as markup.

Three layers, each failing on the app before ``jcmwb.app.markup``:

- the rule on the source: the app's modules show HTML only through ``jcmwb.app.markup``
  (its ``HTML`` widget, ``html`` with a template written in the source), never through an
  ``ipywidgets.HTML``, ``IPython.display.HTML`` or a template built from input;
- the form and results built in-process with hostile point ids, descriptions and file
  names: no HTML widget of the page holds the payload as markup;
- headless Chromium: CSVs and fields with payloads are uploaded and typed, the page is
  calculated, and ``window.__xss`` stays undefined while the payload text is shown literally.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import html as std_html
from pathlib import Path

import ipywidgets as widgets
import pytest
from app_driver import chromium_present

from jcmwb.app.markup import HTML, Markup, chart_text, escape, html, join

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "jcmwb" / "app"

# Each sets window.__xss to its own number if it ever runs.
P_IMG = '<img src=x onerror="window.__xss=1">'
P_SCRIPT = '"><script>window.__xss=2</script>'
P_FILE = "<img src=x onerror=window.__xss=3>.csv"  # a file name may hold < > = and spaces
P_SVG = '<svg onload="window.__xss=4">'
P_JS = "javascript:window.__xss=5"
P_UNIT = "<img src=x onerror=window.__xss=6>"
P_CELL = "<img src=x onerror=window.__xss=7>"
MARKERS = ("<img", "<script", "<svg")  # a tag of a payload; escaped, "<" is "&lt;"


def payload_csv(path: Path, points: list[str], *, bad_cell: str | None = None) -> Path:
    """Hourly energy of January 2021 for ``points`` (1 kWh each hour); optionally one cell that is not a number."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "point", "value", "unit"])
        for day in range(1, 32):
            for hour in range(24):
                for point in points:
                    value = bad_cell if bad_cell and (day, hour) == (1, 2) else "1.0"
                    writer.writerow([f"2021-01-{day:02d}T{hour:02d}:00:00", point, value, "kWh"])
    return path


# -- the rule, on the source ------------------------------------------------------------------
def _modules() -> list[Path]:
    return sorted(p for p in APP.glob("*.py") if p.name != "markup.py")


def _constants(tree: ast.Module) -> set[str]:
    """Module-level names bound to one string literal."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _called(node: ast.Call) -> str:
    """The function a call names: ``html(...)`` or ``markup.html(...)`` (a method such as ``texts.html`` is not one)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "markup":
        return func.attr
    return ""


def test_the_app_shows_html_only_through_the_markup_module() -> None:
    offences = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("IPython.display", "IPython.core.display", "ipywidgets"):
                offences += [f"{where}:{node.lineno} imports {a.name} from {node.module}" for a in node.names if a.name in ("HTML", "HTMLMath", "Markdown", "Javascript")]
            if isinstance(node, ast.Attribute) and node.attr in ("HTML", "HTMLMath", "Markdown") and isinstance(node.value, ast.Name) and node.value.id in ("w", "widgets", "ipywidgets", "display"):
                offences.append(f"{where}:{node.lineno} uses {node.value.id}.{node.attr}")
            if isinstance(node, ast.keyword) and node.arg == "description_allow_html":
                offences.append(f"{where}:{node.lineno} sets description_allow_html")
            if isinstance(node, ast.Constant) and node.value == "description_allow_html":
                offences.append(f"{where}:{node.lineno} names description_allow_html")
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str) or isinstance(first, ast.Name) and first.id in constants
            if name in ("html", "constant") and not literal:
                offences.append(f"{where}:{node.lineno} {name}() with a template that is not a literal of the source")
            if name == "Markup" and (node.args or node.keywords):
                offences.append(f"{where}:{node.lineno} makes Markup of a string (escape it with html())")
            if name == "render" and path.name != "labels.py":
                offences.append(f"{where}:{node.lineno} render() outside the word table")
    assert offences == []
    # What the rule relies on: ipywidgets 8 shows a description as text unless told otherwise.
    assert widgets.Checkbox(description=P_IMG).description_allow_html is False


def test_markup_escapes_what_it_is_given() -> None:
    assert html("<b>{point}</b>", point=P_IMG) == "<b>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</b>"
    assert html("<a download='{name}'>", name="a'><script>") == "<a download='a&#x27;&gt;&lt;script&gt;'>"  # safe inside an attribute
    assert html("{n:.1f} {id!r}", n=2.04, id="<x>") == "2.0 &#x27;&lt;x&gt;&#x27;"
    assert html("<i>{inner}</i>", inner=html("<b>{x}</b>", x="<")) == "<i><b>&lt;</b></i>"  # Markup is kept, not escaped twice
    assert join("<br>", ["<a>", html("<b>ok</b>")]) == "&lt;a&gt;<br><b>ok</b>"
    assert Markup("<hr>") + "<x>" == "<hr>&lt;x&gt;" and isinstance(escape("a") + "b", Markup)
    assert chart_text("cost $5 and $x^2$") == r"cost \$5 and \$x^2\$"


def test_the_html_widget_refuses_a_plain_string() -> None:
    widget = HTML()
    widget.value = html("<b>{x}</b>", x="<img>")
    with pytest.raises(TypeError):
        widget.value = "<b>raw</b>"
    with pytest.raises(TypeError):
        HTML(value=P_IMG)


# -- the form and results, in-process ------------------------------------------------------------
def _html_values(root: widgets.Widget) -> list[str]:
    found, todo = [], [root]
    while todo:
        widget = todo.pop()
        if isinstance(widget, widgets.HTML | widgets.HTMLMath):
            found.append(widget.value)
        todo += list(getattr(widget, "children", ()))
    return found


def test_hostile_inputs_never_become_markup_in_the_form_or_results(tmp_path: Path) -> None:
    from jcmwb.app.page import MethodologyPage
    from jcmwb.app.results import monthly_chart
    from jcmwb.app.server import AppSettings
    from jcmwb.engine.compute import calculate
    from jcmwb.engine.spec import load_spec

    page = MethodologyPage(load_spec("TH_AM001"), AppSettings(work=tmp_path / "work"), "en")
    form = page.form
    form.project_id.value = "XSS-FORM"
    form.project_title.value = P_JS
    form.participants.value = P_SCRIPT
    form.start_picker.value = dt.date(2021, 1, 1)
    form.end_picker.value = dt.date(2021, 1, 31)
    field = form.monitored["EG_i_p"]
    data = payload_csv(tmp_path / "data.csv", [P_IMG, P_SCRIPT])
    field._receive({"name": P_FILE, "content": data.read_bytes(), "size": data.stat().st_size})
    assert field.point_ids() == [P_IMG, P_SCRIPT]
    field.points.value = f"{P_IMG}: {P_SVG}\n{P_SCRIPT}: {P_SVG}"
    field.source.value = P_JS
    field.calibration.add_row(P_IMG, dt.date(2021, 1, 15), "1")
    # What the upload alone shows (the hidden rows of totals, multipliers, monthly grid too):
    form.texts.set_language("ja")
    form.texts.set_language("en")
    for mode in ("upload", "monthly", "totals"):
        field.mode.value = mode
        shown = _html_values(page.widget)
        assert not [v for v in shown if any(m in v for m in MARKERS)], mode
    field.mode.value = "upload"
    field.unit.value = P_UNIT  # a message that quotes the input
    problems = form.check()
    form.show(problems)
    assert std_html.escape(P_UNIT) in form.slots.widgets["monitored.EG_i_p.unit"].value
    field.unit.value = ""
    assert form.check() == []
    period_file = page.session.write_period(form.period_mapping())
    result = calculate(period_file)
    out = tmp_path / "output"
    out.mkdir()
    page.results.show(result, out, period_file)
    shown = _html_values(page.widget)
    assert not [v for v in shown if any(m in v for m in MARKERS)]
    everything = "".join(shown)
    for payload in (P_IMG, P_SCRIPT, P_FILE):
        assert std_html.escape(payload) in everything, payload  # shown, as text
    assert "&amp;lt;" not in everything and "&amp;quot;" not in everything  # and escaped once, not twice
    assert monthly_chart(result, "EG_i_p", "en").startswith(b"\x89PNG")  # ids with $ or _ do not break the chart


def test_chart_labels_are_literal(tmp_path: Path) -> None:
    """A point id that mathtext would parse (and fail on) is drawn as it is."""
    from jcmwb.app.results import monthly_chart
    from jcmwb.engine.compute import calculate

    data = payload_csv(tmp_path / "d.csv", ["$\\frac{$", "_hidden"])
    period = tmp_path / "p.yaml"
    period.write_text(
        "methodology: TH_AM001\nproject: {id: CHART, title: t, partner_country: TH}\nperiod: {start: 2021-01-01, end: 2021-01-31}\n"
        f"monitored:\n  EG_i_p: {{option: C, data: {data.name}, format: interval}}\n",
        encoding="utf-8",
    )
    assert monthly_chart(calculate(period), "EG_i_p", "en").startswith(b"\x89PNG")


# -- in the browser ----------------------------------------------------------------------------
browser_only = pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    from app_driver import AppPage, app_server, chromium

    work = tmp_path_factory.mktemp("app-security") / "work"
    work.mkdir()
    with app_server(work) as settings, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        fetched: list[str] = []
        # <img src=x> would fetch .../x the moment it became an element.
        page.on("request", lambda request: fetched.append(request.url))
        yield AppPage(page, settings.url), fetched


def _ran(app) -> object:
    return app.page.evaluate("window.__xss")


def _no_payload_elements(app) -> None:
    page = app.page
    assert page.locator("img[src='x'], svg[onload]").count() == 0
    assert not page.evaluate("Array.from(document.scripts).some(s => s.textContent.includes('__xss'))")
    assert page.locator("a[href^='javascript:']").count() == 0


@pytest.mark.slow
@browser_only
def test_payloads_in_ids_descriptions_file_names_and_messages_do_not_run(app, tmp_path: Path) -> None:
    app, fetched = app
    page = app.page
    app.open("TH_AM001")
    app.text("jcmwb-project-id", "XSS-1")
    app.text("jcmwb-project-title", P_JS)
    app.text("jcmwb-participants", P_SCRIPT)
    app.date("jcmwb-period-start", "2021-01-01")
    app.date("jcmwb-period-end", "2021-01-31")
    data = payload_csv(tmp_path / P_FILE, [P_IMG, P_SCRIPT])
    app.upload("EG_i_p", data)  # waits until the status shows the file name: literally
    page.wait_for_timeout(1500)  # the rows of every hidden field are drawn by now
    assert _ran(app) is None, "script ran on upload"
    status = page.inner_text(".jcmwb-monitored-EG_i_p-status")
    assert P_FILE in status and P_IMG in status and P_SCRIPT in status
    totals = page.locator(".jcmwb-monitored-EG_i_p-totals").text_content()
    assert P_IMG in totals and P_SCRIPT in totals  # the hidden rows that ran the script before
    app.area("jcmwb-monitored-EG_i_p-points", f"{P_IMG}: {P_SVG}\n{P_SCRIPT}: {P_SVG}")
    app.text("jcmwb-monitored-EG_i_p-source", P_JS)
    # A message that quotes what was typed.
    app.text("jcmwb-monitored-EG_i_p-unit", P_UNIT)
    assert app.calculate() == "problems"
    assert P_UNIT in app.message("monitored.EG_i_p.unit")
    assert _ran(app) is None, "script ran on a message"
    app.text("jcmwb-monitored-EG_i_p-unit", "")
    assert app.calculate() == "results", app.messages()
    assert _ran(app) is None, "script ran on Calculate"
    results = page.locator(".jcmwb-results").inner_text()
    assert P_IMG in results and P_SCRIPT in results
    how = page.locator(".jcmwb-how-EG_i_p")
    how.locator("summary").first.click()
    assert "option C:" in how.inner_text()
    assert page.locator("img.jcmwb-chart").count() == 1
    _no_payload_elements(app)
    # A message that quotes a cell of the file (the engine's).
    app.upload("EG_i_p", payload_csv(tmp_path / "cell.csv", [P_IMG], bad_cell=P_CELL))
    assert app.calculate() == "problems"
    assert P_CELL in app.message("monitored.EG_i_p.data"), app.messages()
    assert _ran(app) is None, "script ran on a message quoting the file"
    _no_payload_elements(app)
    assert not [u for u in fetched if u.rstrip("/").endswith("/x")], "an <img src=x> was created"
    assert not app.has_traceback()
