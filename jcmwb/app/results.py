"""The results of a calculation in the app (a renderer: it never computes a value itself).

Shows the result with its unit and every calculated value, each with a way to see how it
was obtained (formula, inputs with their values and sources, corrections, notes: the
engine's trace, ``Result.nodes``); the inputs, with provisional defaults flagged; a
monthly chart of a monitored quantity and of the emission reductions apportioned to
months (said on the chart: it is not an official figure); the gaps and corrections of
the data; the sheet written from the same Result, to download; and, on request, the
record of ``jcmwb run`` (the executed notebook, its report and the receipt).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from jcmwb.app.fonts import chart_families
from jcmwb.app.i18n import engine_text
from jcmwb.app.labels import WORDS, html_symbol, spec_html, spec_plain, spec_texts, t
from jcmwb.app.markup import HTML, Markup, chart_text, download_item, html, join
from jcmwb.app.widgets import Texts, set_options
from jcmwb.engine.numbers import format_number
from jcmwb.engine.units import strip_period

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

BLOCK_ORDER = ("emission_reductions", "reference", "project", "defaults")


def number(value: float) -> str:
    """A value as the app shows it: whole numbers without decimals, others to three decimals,
    below 1 to four significant digits."""
    return format_number(value, whole=True, significant_below=1, significant=4)


def value_text(value: Any) -> Markup:
    if isinstance(value, dict):
        return join("; ", [html("{key}: {value}", key=k, value=number(v)) for k, v in value.items()])
    return html("{value}", value=number(value))


def description(result: Result, name: str, lang: str) -> Markup:
    """The spec's description of a value, in ``lang`` (English marked as such where the spec has no Japanese)."""
    spec = result.spec
    item = spec.equations.get(name) or spec.parameters.get(name)
    return spec_html(item.description, lang) if item is not None else html("{name}", name=name)


def said(result: Result, text: str, lang: str) -> str:
    """A sentence of the engine (a note, a gap, a correction, a warning) in ``lang``."""
    return engine_text(text, lang, spec_texts(result.spec, lang))


def _flag(lang: str) -> Markup:
    return html(" <span class='jcmwb-provisional'>{text}</span>", text=t("provisional", lang))


def trace_html(result: Result, name: str, lang: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> Markup:
    """How ``name`` was obtained: formula, inputs (each unfoldable in turn), source, corrections, notes."""
    node = result.nodes[name]
    lines: list[Markup] = []
    if node.formula is not None:
        lines.append(html("<div><span class='jcmwb-k'>{key}:</span> <code>{name} = {formula}</code></div>", key=t("formula", lang), name=node.name, formula=node.formula))
    if node.source:
        status = html(" ({status})", status=t(f"status_{node.status}", lang) if f"status_{node.status}" in WORDS else node.status) if node.status else Markup()
        # A default's source is a citation (a document's name): shown as the spec gives it.
        lines.append(
            html(
                "<div><span class='jcmwb-k'>{key}:</span> <span class='jcmwb-citation'>{source}</span>{status}</div>",
                key=t("source_label", lang),
                source=said(result, node.source, lang),
                status=status,
            )
        )
    for correction in node.corrections:
        lines.append(html("<div><span class='jcmwb-k'>{key}:</span> {text}</div>", key=t("correction", lang), text=said(result, correction.describe(), lang)))
    for note in node.notes:
        key = "gap" if note.startswith("gap: ") else "note"
        lines.append(html("<div><span class='jcmwb-k'>{key}:</span> {text}</div>", key=t(key, lang), text=said(result, note.removeprefix("gap: "), lang)))
    if node.inputs and name not in seen and depth < 12:
        items = []
        for dep in node.inputs:
            child = result.nodes[dep]
            head = html(
                "<code>{dep}</code> {symbol} = {value} {unit}{flag}",
                dep=dep,
                symbol=html_symbol(child.symbol),
                value=value_text(child.value),
                unit=child.unit,
                flag=_flag(lang) if child.provisional else Markup(),
            )
            items.append(
                html(
                    "<li><details><summary>{head} <span class='jcmwb-hint'>{description}</span></summary>{tree}</details></li>",
                    head=head,
                    description=description(result, dep, lang),
                    tree=trace_html(result, dep, lang, depth + 1, seen | {name}),
                )
            )
        lines.append(html("<div><span class='jcmwb-k'>{key}:</span><ul>{items}</ul></div>", key=t("inputs", lang), items=join("", items)))
    return html("<div class='jcmwb-trace'>{lines}</div>", lines=join("", lines))


def _row(result: Result, name: str, lang: str, css_class: str) -> Markup:
    node = result.nodes[name]
    how = html(
        "<details class='jcmwb-how jcmwb-how-{name}'><summary>{label}</summary>{tree}</details>",
        name=name,
        label=t("how", lang),
        tree=trace_html(result, name, lang),
    )
    return html(
        "<tr class='{css}'><td>{symbol}</td><td>{description}</td><td class='jcmwb-num jcmwb-value-{name}'>{value}{flag}</td><td>{unit}</td><td>{how}</td></tr>",
        css=css_class,
        symbol=html_symbol(node.symbol),
        description=description(result, name, lang),
        name=name,
        value=value_text(node.value),
        flag=_flag(lang) if node.provisional else Markup(),
        unit=node.unit,
        how=how,
    )


def _table(rows: list[Markup], lang: str) -> Markup:
    head = join("", [html("<th>{label}</th>", label=t(k, lang)) for k in ("col_parameter", "col_description", "col_value", "col_unit", "col_how")])
    return html("<table class='jcmwb-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>", head=head, rows=join("", rows))


def headline_html(result: Result, lang: str) -> Markup:
    spec, period = result.spec, result.period
    eq = spec.equations[spec.result]
    heading = t("results_for", lang, project=period.project_id, start=period.start.isoformat(), end=period.end.isoformat(), id=spec.id, version=result.version)
    parts = [
        html("<div class='jcmwb-hint'>{text}</div>", text=heading),
        html("<div class='jcmwb-headline'>{symbol} = <b class='jcmwb-er'>{value}</b> {unit}</div>", symbol=html_symbol(eq.symbol), value=number(result.er), unit=eq.unit),
    ]
    others = [n for n in ("RE_p", "PE_p") if n in result.nodes and n != spec.result]
    if others:
        values = [
            html("{symbol} = <b>{value}</b> {unit}", symbol=html_symbol(result.nodes[n].symbol), value=number(result.values[n]), unit=result.nodes[n].unit) for n in others
        ]
        parts.append(html("<div class='jcmwb-subline'>{values}</div>", values=join(" &nbsp; ", values)))
    if result.provisional:
        parts.append(html("<div class='jcmwb-provisional-box'>{text}</div>", text=t("uses_provisional", lang, names=", ".join(result.provisional))))
    # The engine's warnings (an eligibility criterion answered no or not at all, a provisional
    # version, an inferred structure) stand next to the result, not only under data quality.
    others = [w for w in result.warnings if not w.startswith("PROVISIONAL default value(s) used")]
    if others:
        items = join("", [html("<li>{text}</li>", text=said(result, w, lang)) for w in others])
        parts.append(html("<div class='jcmwb-warning-box jcmwb-warnings-top'><b>{title}</b><ul>{items}</ul></div>", title=t("warnings", lang), items=items))
    return join("", parts)


def values_html(result: Result, lang: str) -> Markup:
    spec = result.spec
    names = [n for block in BLOCK_ORDER for n in spec.equations if spec.equations[n].block == block and n in result.nodes]
    names += [n for n in spec.order if n not in names]
    rows = [_row(result, n, lang, "jcmwb-result-row" if n == spec.result else "") for n in names]
    return html("<h4>{title}</h4>{table}", title=t("calculated_values", lang), table=_table(rows, lang))


def inputs_html(result: Result, lang: str) -> Markup:
    spec = result.spec
    names = [n for n in spec.parameters if n in result.nodes]
    rows = [_row(result, n, lang, "jcmwb-provisional-row" if result.nodes[n].provisional else "") for n in names]
    return html("<h4>{title}</h4>{table}", title=t("input_values", lang), table=_table(rows, lang))


def quality_html(result: Result, lang: str) -> Markup:
    parts = [html("<h4>{title}</h4>", title=t("data_quality", lang))]
    gaps = [(name, g) for name, d in result.monitored.items() for g in d.gaps]
    if gaps:
        items = join("", [html("<li>{symbol}: {text}</li>", symbol=html_symbol(result.spec.parameters[n].symbol), text=said(result, g.describe(), lang)) for n, g in gaps])
        parts.append(html("<div class='jcmwb-gaps'>{text}<ul>{items}</ul></div>", text=t("gaps_found", lang, n=len(gaps)), items=items))
    else:
        parts.append(html("<div class='jcmwb-gaps'>{text}</div>", text=t("no_gaps", lang)))
    for key, items in (("corrections", [c.describe() for c in result.corrections]), ("warnings", result.warnings), ("notes", result.notes)):
        if items:
            listed = join("", [html("<li>{item}</li>", item=said(result, i, lang)) for i in items])
            if key == "warnings":
                parts.append(html("<div class='jcmwb-warning'><b>{title}</b><ul>{items}</ul></div>", title=t(key, lang), items=listed))
            else:
                parts.append(html("<div><b>{title}</b><ul>{items}</ul></div>", title=t(key, lang), items=listed))
    return join("", parts)


def downloads_html(folder: Path, period_file: Path, lang: str) -> Markup:
    """Links carrying the files themselves (nothing is served from the work folder): the sheet, the period file."""
    from jcmwb.run.runner import display_path

    links = [("mrs", folder / "MRS.xlsx", t("download_mrs", lang)), ("period", period_file, t("download_period", lang, name=period_file.name))]
    items = join("", [download_item(key, path, label) for key, path, label in links if path.exists()])
    return html(
        "<h4>{title}</h4><ul>{items}</ul><div class='jcmwb-hint'>{note}</div>",
        title=t("downloads", lang),
        items=items,
        note=t("downloads_note", lang, folder=display_path(folder.parent)),
    )


def record_html(folder: Path, lang: str) -> Markup:
    """The files of ``jcmwb run`` (the record), once made: notebook, report, receipt, and its sheet."""
    links = [
        ("report", folder / "report.html", t("download_report", lang)),
        ("notebook", folder / "notebook.ipynb", t("download_notebook", lang)),
        ("receipt", folder / "receipt.json", t("download_receipt", lang)),
        ("record-mrs", folder / "MRS.xlsx", t("download_record_mrs", lang)),
    ]
    items = join("", [download_item(key, path, label) for key, path, label in links if path.exists()])
    return html("<ul class='jcmwb-record-files'>{items}</ul>", items=items)


def chart_parameters(result: Result) -> list[str]:
    """Monitored parameters with monthly data, category parameters (day counts) last."""
    names = [n for n, d in result.monitored.items() if any(p.monthly for p in d.points.values())]
    return sorted(names, key=lambda n: bool(result.spec.parameters[n].categories))


def monthly_figure(result: Result, name: str, lang: str) -> Any:
    """The monthly chart as a matplotlib Figure (see :func:`monthly_chart`)."""
    from matplotlib.figure import Figure

    from jcmwb.sheets.workbook import plain_symbol

    spec = result.spec
    series = result.monitored[name]
    param = spec.parameters[name]
    months = sorted({m for p in series.points.values() for m in p.monthly})
    fig = Figure(figsize=(9.5, 6.2), dpi=100)
    top, bottom = fig.subplots(2, 1, sharex=True)
    base = [0.0] * len(months)
    bars, labels = [], []
    for point, pdata in series.points.items():
        heights = [pdata.monthly.get(m, 0.0) for m in months]
        bars.append(top.bar(months, heights, bottom=base))
        # A point id is the user's text: shown literally (no mathtext), and given to the legend
        # explicitly, since a label of its own beginning with "_" would be left out.
        labels.append(chart_text(point))
        base = [b + h for b, h in zip(base, heights)]
    symbol = plain_symbol(param.symbol)
    top.set_title(chart_text(t("chart_top", lang, symbol=symbol)), fontsize=10)
    top.set_ylabel(chart_text(t("per_month", lang, unit=strip_period(param.unit))))
    top.legend(bars, labels, fontsize=8)
    eq = spec.equations[spec.result]
    total = sum(base)
    result_symbol = plain_symbol(eq.symbol)
    if total > 0:
        shares = [b / total * result.er for b in base]
        bottom.bar(months, shares, color="#2e7d32")
    bottom.set_title(chart_text(t("chart_bottom", lang, result=result_symbol)), fontsize=10)
    bottom.set_ylabel(chart_text(t("per_month", lang, unit=strip_period(eq.unit))))
    bottom.tick_params(axis="x", labelrotation=45)
    note = t("chart_note", lang, result=result_symbol, total=number(result.er), unit=eq.unit, symbol=symbol)
    fig.text(0.01, 0.005, chart_text(note), fontsize=8, wrap=True, va="bottom", color="#8a4b00")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def monthly_chart(result: Result, name: str, lang: str) -> bytes:
    """Monthly totals of ``name`` per point, and the result apportioned by each month's share of them, as PNG.

    The apportioning is said on the chart itself: the result is defined for the whole period
    only, so a monthly figure is a reading aid, never an official number. The CJK font is
    named explicitly (``jcmwb.app.fonts``): Japanese labels are drawn, not boxes.
    """
    from matplotlib import rc_context

    with rc_context({"font.family": chart_families()}):
        fig = monthly_figure(result, name, lang)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def warm_charts() -> None:
    """Draw a small chart with the charts' fonts, Japanese glyphs included, and throw it away:
    matplotlib's first drawing loads its fonts (the CJK one is large), which would otherwise
    happen on a user's first Calculate (run by ``jcmwb.app.page.preload``)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": chart_families()}):
        fig = Figure(figsize=(3, 2), dpi=50)
        axes = fig.subplots()
        axes.bar(["2021-01"], [1.0])
        axes.set_title(chart_text(t("chart_top", "ja", symbol="EG")))
        fig.tight_layout()
        fig.savefig(io.BytesIO(), format="png")


class ResultsView:
    """The results section; drawn again in the other language when the language changes."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts
        self.result: Result | None = None
        self.folder: Path | None = None  # the outputs made from the Result
        self.period_file: Path | None = None
        self.record: Path | None = None  # the folder of jcmwb run, once made
        self.record_problem: str | None = None
        self.title = texts.word("sec_results", "jcmwb-section")
        self.headline = HTML()
        self.values = HTML()
        self.inputs = HTML()
        self.chart_choice = w.Dropdown(layout=w.Layout(width="32em"))
        self.chart_choice.add_class("jcmwb-chart-choice")
        # A choice made by the user draws its chart; render() sets the options without drawing.
        self._setting_options = False
        self.chart_choice.observe(lambda _: None if self._setting_options else self.draw_chart(), "value")
        self.chart_label = HTML()
        self.chart = w.Image(format="png")
        self.chart.add_class("jcmwb-chart")
        self.chart_note = HTML()
        self.quality = HTML()
        self.downloads = HTML()
        # The record: jcmwb run re-runs the methodology notebook, so only when asked for.
        self.record_title = texts.word("record_title", "jcmwb-record-title")
        self.record_hint = texts.word("record_hint", "jcmwb-hint")
        self.record_button = w.Button(icon="book", layout=w.Layout(width="auto"))
        self.record_button.add_class("jcmwb-make-record")
        texts.bind(self.record_button, "description", lambda lang: t("record_button", lang))
        self.record_status = HTML()
        self.record_status.add_class("jcmwb-record-status")
        self.record_files = HTML()
        self.widget = w.VBox(
            [
                self.title,
                self.headline,
                self.values,
                self.chart_label,
                self.chart_choice,
                self.chart_note,
                self.chart,
                self.quality,
                self.inputs,
                self.downloads,
                self.record_title,
                self.record_hint,
                w.HBox([self.record_button]),
                self.record_status,
                self.record_files,
            ],
            layout=w.Layout(display="none"),
        )
        self.widget.add_class("jcmwb-results")

    def clear(self) -> None:
        self.result = None
        self.record = None
        self.record_problem = None
        self.widget.layout.display = "none"

    def show(self, result: Result, folder: Path, period_file: Path) -> None:
        """Show ``result``, whose outputs ``Session.write_outputs`` wrote to ``folder``."""
        self.result, self.folder, self.period_file = result, folder, period_file
        self.record, self.record_problem = None, None
        self.render()
        self.widget.layout.display = None

    # -- the record (jcmwb run) ---------------------------------------------------------------
    def record_started(self) -> None:
        self.record, self.record_problem = None, None
        self.record_button.disabled = True
        self.record_files.value = Markup()
        self.record_status.value = html("<div class='jcmwb-hint jcmwb-record-running'>{text}</div>", text=t("record_running", self.texts.lang))

    def record_failed(self, message: str) -> None:
        self.record_problem = message
        self._draw_record()

    def record_done(self, folder: Path) -> None:
        self.record = folder
        self._draw_record()

    def _draw_record(self) -> None:
        lang = self.texts.lang
        if self.record_problem:
            self.record_status.value = html("<div class='jcmwb-error jcmwb-record-failed'>{text}</div>", text=self.record_problem)
            self.record_files.value = Markup()
        elif self.record is not None:
            same = self.folder is not None and (self.record / "MRS.xlsx").read_bytes() == (self.folder / "MRS.xlsx").read_bytes()
            # The record's sheet is the page's sheet byte for byte; said, since the receipt hashes it.
            key = "record_done" if same else "record_differs"
            self.record_status.value = html("<div class='jcmwb-hint jcmwb-record-{key}'>{text}</div>", key=key, text=t(key, lang))
            self.record_files.value = record_html(self.record, lang)
        else:
            self.record_status.value = Markup()
            self.record_files.value = Markup()

    def render(self) -> None:
        """Everything but the chart, which takes longer than the rest together: the caller
        draws it next (``draw_chart``), once the page has said that the results are there."""
        result, lang = self.result, self.texts.lang
        if result is None or self.folder is None or self.period_file is None:
            return
        self.headline.value = headline_html(result, lang)
        self.values.value = values_html(result, lang)
        self.inputs.value = inputs_html(result, lang)
        self.quality.value = quality_html(result, lang)
        self.downloads.value = downloads_html(self.folder, self.period_file, lang)
        self._draw_record()
        self.chart_label.value = html("<h4>{title}</h4>", title=t("chart", lang))
        names = chart_parameters(result)
        options = [(f"{n}: {spec_plain(result.spec.parameters[n].description, lang)}", n) for n in names]
        self.chart_choice.layout.display = None if len(options) > 1 else "none"
        self._setting_options = True
        try:
            set_options(self.chart_choice, options)
        finally:
            self._setting_options = False
        # The chart of an earlier calculation or language is hidden until drawn again.
        self.chart.layout.display = "none"
        self.chart_note.value = html("<div class='jcmwb-hint jcmwb-chart-drawing'>{text}</div>", text=t("chart_drawing", lang)) if options else Markup()

    def draw_chart(self) -> None:
        """The monthly chart of the chosen quantity (shown once drawn)."""
        result, lang = self.result, self.texts.lang
        if result is None:
            return
        name = self.chart_choice.value
        if not name:
            self.chart_note.value = html("<div class='jcmwb-hint'>{text}</div>", text=t("chart_none", lang))
            self.chart.layout.display = "none"
            return
        # Said under the chart as well as on it: the monthly split is a reading aid only.
        from jcmwb.sheets.workbook import plain_symbol

        eq = result.spec.equations[result.spec.result]
        note = t("chart_note", lang, result=plain_symbol(eq.symbol), total=number(result.er), unit=eq.unit, symbol=plain_symbol(result.spec.parameters[name].symbol))
        self.chart.value = monthly_chart(result, name, lang)
        self.chart_note.value = html("<div class='jcmwb-warning jcmwb-chart-note'>{note}</div>", note=note)
        self.chart.layout.display = None
