"""The pages of the app: the catalogue, and one methodology's form with its results.

The app notebook runs ``preload()``, then ``main(query)``. ``preload`` runs in a kernel
started ahead of any request (Voila's preheated kernels, ``jcmwb.app.server``): it imports
everything a page uses and loads the catalogue and the specs, so that a page asked for
later only builds its widgets. ``main`` reads the request's query string: no ``id`` gives
the catalogue, ``id=TH_AM001`` that methodology's form, ``lang=ja`` starts in Japanese.
Every callback runs through ``MethodologyPage.guard``, so a failure becomes a plain message
on the page, never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
from IPython.display import display

import jcmwb
from jcmwb.app.checks import GENERAL, Problem, first_outside, locate, plain
from jcmwb.app.form import MethodologyForm
from jcmwb.app.labels import LANGUAGE_NAMES, LANGUAGES, WORDS, spec_html, t
from jcmwb.app.markup import HTML, Markup, constant, display_html, html, join
from jcmwb.app.results import ResultsView
from jcmwb.app.server import AppSettings
from jcmwb.app.session import Session, TimeLimitExceeded, time_limit
from jcmwb.app.widgets import Texts
from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.numbers import format_number
from jcmwb.engine.spec import ID_PATTERN, METHODOLOGIES, Spec, library_folders, load_spec

STYLE = """
<style>
.jcmwb-app { max-width: 1100px; margin: 0 auto; font-size: 14px; }
.jcmwb-app .widget-html-content { white-space: normal; line-height: 1.45; }
.jcmwb-app .widget-html, .jcmwb-app .widget-html-content { height: auto; }
.jcmwb-title { font-size: 1.7em; font-weight: 600; margin: .3em 0; }
.jcmwb-section { font-size: 1.3em; font-weight: 600; margin: 1.4em 0 .3em; border-bottom: 2px solid #c5cae9; }
.jcmwb-block { border-left: 3px solid #e3e6f3; padding-left: .8em; margin: .7em 0; }
.jcmwb-field { margin: .25em 0; }
.jcmwb-param { font-size: 1.05em; }
.jcmwb-symbol { font-weight: 700; font-family: serif; font-size: 1.1em; }
.jcmwb-unit { color: #1a237e; font-weight: 600; }
.jcmwb-hint { color: #555; font-size: .92em; }
.jcmwb-error { color: #b00020; font-weight: 600; margin: .1em 0; }
.jcmwb-warning { color: #8a4b00; }
.jcmwb-provisional { color: #a15c00; font-weight: 700; }
.jcmwb-provisional-box { background: #fff4e5; border: 1px solid #f0b96b; padding: .4em .7em; margin: .4em 0; color: #6b3d00; }
.jcmwb-headline { font-size: 1.8em; margin: .2em 0; }
.jcmwb-subline { font-size: 1.15em; }
table.jcmwb-table { border-collapse: collapse; margin: .3em 0 .8em; }
table.jcmwb-table th, table.jcmwb-table td { text-align: left; vertical-align: top; padding: 3px 10px; border-bottom: 1px solid #e5e5e5; }
table.jcmwb-table td.jcmwb-num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.jcmwb-result-row td { font-weight: 700; background: #f1f8e9; }
.jcmwb-trace { font-size: .92em; padding: .2em .4em; }
.jcmwb-trace ul { margin: .1em 0 .1em 1.2em; padding: 0; }
.jcmwb-k { color: #555; }
.jcmwb-status { margin: .4em 0; }
details > summary { cursor: pointer; color: #1a4f9c; }
.jcmwb-app a, .jcmwb-app a:visited { color: #1a4f9c; text-decoration: underline; cursor: pointer; }
.jcmwb-app a:hover { color: #0d3570; }
.jcmwb-app a.jcmwb-download::before { content: "↓ "; display: inline-block; margin-right: .3em; text-decoration: none; }
.jcmwb-record-title { font-weight: 700; font-size: 1.05em; margin: 1em 0 .2em; }
.jcmwb-warning-box { background: #fff8e1; border: 1px solid #f0b96b; padding: .4em .7em; margin: .4em 0; color: #6b3d00; }
.jcmwb-warning-box ul { margin: .2em 0 .2em 1.2em; padding: 0; }
.jcmwb-untranslated-mark { color: #777; font-size: .85em; }
/* The upload button: ipywidgets writes "Upload (N)", N the files it holds (0 once the file is
   stored); the text is hidden and the tooltip, which says what the button does now, shown. */
.jcmwb-app .jcmwb-upload-button { font-size: 0 !important; }
.jcmwb-app .jcmwb-upload-button i.fa { font-size: 14px; margin-right: .45em; }
.jcmwb-app .jcmwb-upload-button::after { content: attr(title); font-size: 14px; }
</style>
"""

# The upload widget reads a chosen file into memory and sends it to the kernel in one
# websocket message, which the server refuses (closing the connection) above its limit.
# So a file over the app's limit is not read at all: the browser sends an empty content
# with the real size, and the kernel says why (jcmwb.app.form.MonitoredField._receive).
# (A template of ``jcmwb.app.markup.html``: the script's own braces are doubled.)
GUARD = """
<script>
(function () {{
  window.jcmwbUploadLimit = {limit};
  if (window.jcmwbUploadGuard) {{ return; }}
  window.jcmwbUploadGuard = true;
  // The summary of problems ("correct the N problems marked in red") brings the first one into view.
  new MutationObserver(function () {{
    var status = document.querySelector('.jcmwb-status-fix_first:not([data-jcmwb-seen])');
    if (!status) {{ return; }}
    status.setAttribute('data-jcmwb-seen', '1');
    var first = Array.prototype.find.call(document.querySelectorAll('.jcmwb-msg .jcmwb-error'), function (e) {{ return e.offsetParent !== null; }});
    if (first) {{ first.scrollIntoView({{block: 'center'}}); }}
  }}).observe(document.body, {{childList: true, subtree: true}});
  var read = FileReader.prototype.readAsArrayBuffer;
  FileReader.prototype.readAsArrayBuffer = function (blob) {{
    if (blob && blob.size > window.jcmwbUploadLimit) {{ return read.call(this, blob.slice(0, 0)); }}
    return read.call(this, blob);
  }};
}})();
</script>
"""


def language_toggle(lang: str, on_change: Callable[[str], None]) -> w.ToggleButtons:
    toggle = w.ToggleButtons(options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=lang)
    toggle.add_class("jcmwb-language")
    toggle.style.button_width = "6em"
    toggle.observe(lambda change: on_change(change["new"]), "value")
    return toggle


def _specs() -> tuple[list[Spec], list[str]]:
    """Every methodology that loads; the ids of those that do not (named, not hidden)."""
    specs, broken = [], []
    for path in sorted(METHODOLOGIES.glob("*/methodology.yaml")):
        try:
            specs.append(load_spec(path))
        except JcmwbError:
            broken.append(path.parent.name)
    return specs, broken


def _load_catalogue() -> tuple[list[Any], str]:
    from jcmwb.library.catalogue import load_catalogue

    try:
        return load_catalogue(), ""
    except JcmwbError as exc:
        return [], exc.line()


# What preload() loaded, with the state of the library files it was loaded from.
_PRELOADED: dict[str, Any] = {}


def _library_state() -> tuple[tuple[str, int, int], ...]:
    """Every file of every methodology folder, with its time and size: a pooled kernel may wait
    long for its page, and an author may change a spec meanwhile (a few milliseconds to take)."""
    files = []
    for library in library_folders():
        for path in library.glob("*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(files))


def _preloaded() -> dict[str, Any]:
    """What preload() loaded, if the library has not changed since; else nothing."""
    return _PRELOADED if _PRELOADED and _PRELOADED["state"] == _library_state() else {}


def _catalogue() -> tuple[list[Any], str]:
    """The official catalogue (``jcmwb.library.catalogue``: facts of every approved id, runnable or not); why not, if it does not load."""
    return _preloaded().get("catalogue") or _load_catalogue()


def _spec(methodology: str) -> Spec | None:
    """The spec of a methodology id given in the URL; None for an id the library does not run."""
    if not (ID_PATTERN.match(methodology) and (METHODOLOGIES / methodology / "methodology.yaml").exists()):
        return None
    spec = _preloaded().get("specs", {}).get(methodology)
    if spec is not None:
        return spec
    try:
        return load_spec(methodology)
    except JcmwbError:
        return None


def preload() -> None:
    """Everything a page needs before its request is known: run by the app notebook in a kernel
    started ahead of need, it takes the imports, the catalogue and the specs (about 3 s on a
    loaded 2-core machine) off the time a user waits for the page, and the first chart's font
    loading off the first Calculate."""
    import matplotlib.figure  # noqa: F401 - the charts' imports, on the first Calculate otherwise
    import openpyxl  # noqa: F401 - the sheet's writer

    import jcmwb.run.outputs  # noqa: F401
    from jcmwb.app.results import warm_charts

    state = _library_state()
    entries, problem = _load_catalogue()
    specs = {entry.id: entry.spec for entry in entries if entry.spec is not None}
    _PRELOADED.update(state=state, catalogue=(entries, problem), specs=specs)
    warm_charts()


class Landing:
    """The catalogue: every approved methodology by partner country and family, runnable ones linked to their form."""

    def __init__(self, lang: str, notice: str = "") -> None:
        self.entries, self.problem = _catalogue()
        self.specs, self.broken = _specs() if not self.entries else ([], [])
        self.notice = notice
        self.texts = Texts(lang)
        self.table = self.texts.html(self._table, "jcmwb-catalogue")
        header = w.HBox([self.texts.word("catalogue_title", "jcmwb-title"), language_toggle(lang, self.texts.set_language)], layout=w.Layout(justify_content="space-between"))
        self.widget = w.VBox([header, self.texts.word("catalogue_intro"), self.table])
        self.widget.add_class("jcmwb-app")
        self.widget.add_class("jcmwb-landing")

    @staticmethod
    def _link(methodology: str, lang: str) -> Markup:
        link = "?" + urlencode({"id": methodology, **({"lang": lang} if lang != "en" else {})})
        return html("<a class='jcmwb-link-{id}' href='{link}'>{id}</a>", id=methodology, link=link)

    def _table(self, lang: str) -> Markup:
        notice = html("<div class='jcmwb-error'>{notice}</div>", notice=self.notice) if self.notice else Markup()
        if not self.entries:
            return notice + self._specs_table(lang)
        head = join("", [html("<th>{label}</th>", label=t(k, lang)) for k in ("col_id", "col_title", "col_runnable", "col_versions", "col_defaults")])
        groups: dict[str, dict[str, list[Any]]] = {}
        for entry in self.entries:
            country = entry.facts.partner_country.value if entry.facts.partner_country.seen else ""
            groups.setdefault(str(country), {}).setdefault(entry.family or "", []).append(entry)
        sections = []
        for country in sorted(groups, key=lambda c: (c == "", c)):
            families = groups[country]
            blocks = []
            for family in sorted(families, key=lambda f: (f == "", self._family(f, lang))):
                rows = join("", [self._row(entry, lang) for entry in families[family]])
                blocks.append(
                    html(
                        "<div class='jcmwb-family jcmwb-family-{key}'><h4>{family}</h4><table class='jcmwb-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>",
                        key=family or "none",
                        family=self._family(family, lang),
                        head=head,
                        rows=rows,
                    )
                )
            count = sum(len(v) for v in families.values())
            sections.append(
                html(
                    "<div class='jcmwb-country jcmwb-country-{code}'><div class='jcmwb-section'>{name} <span class='jcmwb-hint'>{count}</span></div>{blocks}</div>",
                    code=country or "none",
                    name=self._country(country, lang),
                    count=t("methodology_count", lang, n=count),
                    blocks=join("", blocks),
                )
            )
        return notice + self._summary(lang) + join("", sections)

    def _summary(self, lang: str) -> Markup:
        approved = [e for e in self.entries if e.facts.approved]
        counts = {kind: sum(1 for e in approved if e.facts.runnable == kind) for kind in ("official", "inferred", "catalogued")}
        return html("<div class='jcmwb-hint jcmwb-catalogue-summary'>{text}</div>", text=t("catalogue_summary", lang, n=len(approved), **counts))

    @staticmethod
    def _country(code: str, lang: str) -> str:
        key = f"country_{code}"
        return t(key, lang, code=code) if key in WORDS else (code or t("country_unknown", lang))

    @staticmethod
    def _family(family: str, lang: str) -> str:
        key = f"family_{family}" if family else "family_none"
        return t(key, lang) if key in WORDS else family

    def _row(self, entry: Any, lang: str) -> Markup:
        facts, spec = entry.facts, entry.spec
        runnable = facts.runnable if spec is not None else "catalogued"
        status = html("<span class='jcmwb-runnable-{kind}'>{text}</span>", kind=runnable, text=t(f"runnable_{runnable}", lang))
        if facts.reason:
            status += html("<div class='jcmwb-hint'>{reason}</div>", reason=spec_html(facts.reason, lang))
        if not facts.approved:
            status += html(" <span class='jcmwb-provisional'>{text}</span>", text=t("not_approved", lang))
        if spec is not None:
            title = spec_html(spec.title, lang)
            provisional = len(spec.provisional_defaults())
            defaults = t("provisional_count", lang, n=provisional) if provisional else t("all_confirmed", lang)
            methodology = self._link(entry.id, lang)
        else:
            title = spec_html(facts.title.show(), lang)
            defaults = ""
            methodology = html("<span class='jcmwb-id-{id}'>{id}</span>", id=entry.id)
        versions = t("list_separator", lang).join(
            t(
                "version_fact",
                lang,
                version=v.version.show() if v.version.seen else t("version_not_seen", lang),
                date=v.approved.show() if v.approved.seen else t("date_not_seen", lang),
            )
            for v in facts.versions
        )
        return html(
            "<tr class='jcmwb-entry jcmwb-entry-{id}'><td>{methodology}</td><td>{title}</td><td>{status}</td><td>{versions}</td><td>{defaults}</td></tr>",
            id=entry.id,
            methodology=methodology,
            title=title,
            status=status,
            versions=versions,
            defaults=defaults,
        )

    def _specs_table(self, lang: str) -> Markup:
        """Without the catalogue (its facts do not load): every runnable spec, and what is wrong."""
        rows = []
        for spec in self.specs:
            provisional = len(spec.provisional_defaults())
            defaults = t("provisional_count", lang, n=provisional) if provisional else t("all_confirmed", lang)
            versions = ", ".join(v.version for v in spec.versions)
            rows.append(
                html(
                    "<tr><td>{link}</td><td>{title}</td><td>{scope}</td><td>{versions}</td><td>{defaults}</td></tr>",
                    link=self._link(spec.id, lang),
                    title=spec_html(spec.title, lang),
                    scope=spec.sectoral_scope,
                    versions=versions,
                    defaults=defaults,
                )
            )
        head = join("", [html("<th>{label}</th>", label=t(k, lang)) for k in ("col_id", "col_title", "col_scope", "col_versions", "col_defaults")])
        problem = html("<div class='jcmwb-error'>{text}</div>", text=self.problem) if self.problem else Markup()
        broken = html("<div class='jcmwb-hint'>{text}</div>", text=t("not_loadable", lang, ids=", ".join(self.broken))) if self.broken else Markup()
        return html(
            "{problem}<table class='jcmwb-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{broken}",
            problem=problem,
            head=head,
            rows=join("", rows),
            broken=broken,
        )


class MethodologyPage:
    """One methodology: header, the form, Calculate, the results."""

    def __init__(self, spec: Spec, settings: AppSettings, lang: str) -> None:
        self.spec = spec
        self.settings = settings
        self.session = Session(settings.work)
        self.form = MethodologyForm(spec, self.session, lang, max_upload_bytes=settings.max_upload_bytes, guard=self.guard)
        texts = self.texts = self.form.texts
        back = texts.html(
            lambda lang: html("<a class='jcmwb-back' href='?{query}'>← {label}</a>", query=urlencode({"lang": lang}) if lang != "en" else "", label=t("back_to_catalogue", lang))
        )
        title = texts.html(lambda lang: html("<div class='jcmwb-title'>JCM_{id}: {title}</div>", id=spec.id, title=spec_html(spec.title, lang)))
        summary = texts.html(lambda lang: html("<div class='jcmwb-hint'>{summary}</div>", summary=spec_html(spec.summary, lang)))
        banner = texts.html(lambda lang: html("<div class='jcmwb-provisional-box'>{text}</div>", text=t("provisional_banner", lang)) if spec.provisional_defaults() else Markup())
        self.language = language_toggle(lang, lambda new: self.guard(self.set_language, new))
        header = w.VBox([w.HBox([back, self.language], layout=w.Layout(justify_content="space-between")), title, summary, banner])
        self.calculate = w.Button(button_style="primary", icon="calculator", layout=w.Layout(width="auto"))
        self.calculate.add_class("jcmwb-calculate")
        texts.bind(self.calculate, "description", lambda lang: t("calculate", lang))
        self.calculate.on_click(lambda _: self.guard(self.run))
        self.status = HTML()
        self.status.add_class("jcmwb-status")
        self.results = ResultsView(texts)
        self.results.record_button.on_click(lambda _: self.guard(self.make_record))
        self.widget = w.VBox([header, self.form.widget, w.HBox([self.calculate]), self.status, self.form.general, self.results.widget])
        self.widget.add_class("jcmwb-app")
        self.widget.add_class("jcmwb-page")

    def guard(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run a callback; any failure is a plain message beside Calculate (the traceback goes to the server log)."""
        try:
            return function(*args)
        except JcmwbError as exc:
            self.form.show([Problem(GENERAL, plain(exc, period_file=None, lang=self.texts.lang, spec=self.spec))])
            self._status("failed")
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            self.form.show([Problem(GENERAL, t("internal_error", self.texts.lang, kind=type(exc).__name__))])
            self._status("failed")
        finally:
            if function == self.run:
                self.calculate.disabled = False
            if function == self.make_record:
                self.results.record_button.disabled = False
        return None

    def set_language(self, lang: str) -> None:
        self.form.set_language(lang)
        self.results.render()
        self.results.draw_chart()

    def _status(self, key: str, **values: Any) -> None:
        # The class names the stage: the last one (done, fix_first, failed) ends a calculation.
        self.status.value = html("<div class='jcmwb-hint jcmwb-status-{key}'>{text}</div>", key=key, text=t(key, self.texts.lang, **values))

    def run(self) -> None:
        """Check, calculate once in this kernel, write the sheet from that Result, show the results."""
        started = time.perf_counter()
        self.calculate.disabled = True
        self.form.slots.clear()
        self.results.clear()
        self._status("checking")
        problems = self.form.check()
        if problems:
            self.form.show(problems)
            self._status("fix_first", n=len(problems))
            return
        period_file = self.session.write_period(self.form.period_mapping())
        self._status("calculating")
        try:
            with time_limit(self.settings.timeout):
                result = jcmwb.calculate(period_file)
        except JcmwbError as exc:
            key, rest = locate(exc, self.form.slots.widgets, self.form.data_files())
            self.form.show([Problem(key, plain(exc, rest=rest, file_names=self.form.file_names(), period_file=period_file, lang=self.texts.lang, spec=self.spec))])
            self._status("fix_first", n=1)
            return
        except TimeLimitExceeded as exc:
            self.form.show([Problem(GENERAL, t("run_timeout", self.texts.lang, seconds=exc.seconds))])
            self._status("failed")
            return
        problems = self.outside_period(result)
        if problems:
            self.form.show(problems)
            self._status("fix_first", n=len(problems))
            return
        folder = self.session.write_outputs(result)
        self.results.show(result, folder, period_file)
        # Calculated, but with something to see in the form: eligibility left unanswered.
        for notice in self.form.notices():
            self.form.slots.show(notice.key, [notice.text], level="warning")
        self._status("done", seconds=format_number(time.perf_counter() - started, 1, grouping=False))
        self.results.draw_chart()

    def make_record(self) -> None:
        """``jcmwb run`` on the period file of the results shown: the notebook of record, its report, the receipt."""
        period_file = self.results.period_file
        if self.results.result is None or period_file is None:
            return
        self.results.record_started()
        try:
            with time_limit(self.settings.timeout):
                outcome = self.session.make_record(period_file)
        except TimeLimitExceeded as exc:
            self.results.record_failed(t("run_timeout", self.texts.lang, seconds=exc.seconds))
            return
        except JcmwbError as exc:
            self.results.record_failed(t("run_failed", self.texts.lang, message=plain(exc, period_file=period_file, lang=self.texts.lang)))
            return
        self.results.record_done(outcome.out_dir)

    def outside_period(self, result: Any) -> list[Problem]:
        """Values outside the period: the engine leaves them out; the app asks the user to agree."""
        problems = []
        lang = self.texts.lang
        period = result.period
        for field in self.form.active_monitored():
            data = result.monitored.get(field.name)
            if data is None or field.mode.value != "upload" or field.exclude.value or field.file is None:
                continue
            count = sum(p.excluded for p in data.points.values())
            if not count:
                continue
            first = first_outside(field.file, field.format.value, period.start, period.end)
            example = t("outside_example", lang, row=first[0], stamp=first[1]) if first else ""
            text = t("outside_period", lang, count=count, name=field.file_name, start=period.start.isoformat(), end=period.end.isoformat(), example=example)
            problems.append(Problem(f"monitored.{field.name}.data", text))
        return problems


def main(query: str | None = None) -> Any:
    """Show the page the query string asks for (the app notebook's only call)."""
    settings = AppSettings.from_environment()
    params = parse_qs(os.environ.get("QUERY_STRING", "") if query is None else query, keep_blank_values=True)
    lang = params.get("lang", ["en"])[0]
    lang = lang if lang in LANGUAGES else "en"
    methodology = params.get("id", [""])[0].strip().upper()
    display_html(constant(STYLE) + html(GUARD, limit=int(settings.max_upload_bytes)))
    page: Any
    if "project" in params:  # the project cycle (jcmwb.app.project_view)
        from jcmwb.app.project_view import ProjectPage

        page = ProjectPage(params["project"][0].strip(), settings, lang)
    elif not methodology:
        page = Landing(lang)
    else:
        spec = _spec(methodology)
        page = MethodologyPage(spec, settings, lang) if spec else Landing(lang, t("unknown_methodology", lang, id=methodology))
    display(page.widget)
    return page

