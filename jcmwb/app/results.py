"""The results of a calculation in the app (a renderer: it never computes a value itself).

Shows the result with its unit and every calculated value, each with a way to see how it
was obtained (formula, inputs with their values and sources, corrections, notes: the
engine's trace, ``Result.nodes``); the inputs, with provisional defaults flagged; a
monthly chart of a monitored quantity and of the emission reductions apportioned to
months (said on the chart: it is not an official figure); the gaps and corrections of
the data; and the files ``jcmwb run`` wrote, to download.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from jcmwb.app.labels import html_symbol, t
from jcmwb.app.session import RunFiles
from jcmwb.app.widgets import Texts, set_options

if TYPE_CHECKING:
    from jcmwb.compute import Result

BLOCK_ORDER = ("emission_reductions", "reference", "project", "defaults")
CJK_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Hiragino Sans", "Yu Gothic", "MS Gothic")
MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".html": "text/html",
    ".yaml": "application/x-yaml",
}


def number(value: float) -> str:
    """A value as the app shows it: whole numbers without decimals, others to three decimals."""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.3f}"
    return f"{value:.4g}"


def value_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{html.escape(str(k))}: {number(v)}" for k, v in value.items())
    return number(value)


def description(result: Result, name: str, lang: str) -> str:
    spec = result.spec
    item = spec.equations.get(name) or spec.parameters.get(name)
    return item.description(lang) if item is not None else name


def _flag(lang: str) -> str:
    return f" <span class='jcmwb-provisional'>{t('provisional', lang)}</span>"


def trace_html(result: Result, name: str, lang: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> str:
    """How ``name`` was obtained: formula, inputs (each unfoldable in turn), source, corrections, notes."""
    node = result.nodes[name]
    lines: list[str] = []
    if node.formula is not None:
        lines.append(f"<div><span class='jcmwb-k'>{t('formula', lang)}:</span> <code>{html.escape(node.name)} = {html.escape(node.formula)}</code></div>")
    if node.source:
        status = f" ({html.escape(node.status)})" if node.status else ""
        lines.append(f"<div><span class='jcmwb-k'>{t('source_label', lang)}:</span> {html.escape(node.source)}{status}</div>")
    for correction in node.corrections:
        lines.append(f"<div><span class='jcmwb-k'>{t('correction', lang)}:</span> {html.escape(correction.describe())}</div>")
    for note in node.notes:
        key = "gap" if note.startswith("gap: ") else "note"
        lines.append(f"<div><span class='jcmwb-k'>{t(key, lang)}:</span> {html.escape(note.removeprefix('gap: '))}</div>")
    if node.inputs and name not in seen and depth < 12:
        items = []
        for dep in node.inputs:
            child = result.nodes[dep]
            head = f"<code>{html.escape(dep)}</code> {html_symbol(child.symbol)} = {value_text(child.value)} {html.escape(child.unit)}" + (_flag(lang) if child.provisional else "")
            items.append(
                f"<li><details><summary>{head} <span class='jcmwb-hint'>{html.escape(description(result, dep, lang))}</span></summary>"
                f"{trace_html(result, dep, lang, depth + 1, seen | {name})}</details></li>"
            )
        lines.append(f"<div><span class='jcmwb-k'>{t('inputs', lang)}:</span><ul>{''.join(items)}</ul></div>")
    return f"<div class='jcmwb-trace'>{''.join(lines)}</div>"


def _row(result: Result, name: str, lang: str, css_class: str) -> str:
    node = result.nodes[name]
    flag = _flag(lang) if node.provisional else ""
    how = f"<details class='jcmwb-how jcmwb-how-{html.escape(name)}'><summary>{t('how', lang)}</summary>{trace_html(result, name, lang)}</details>"
    return (
        f"<tr class='{css_class}'><td>{html_symbol(node.symbol)}</td><td>{html.escape(description(result, name, lang))}</td>"
        f"<td class='jcmwb-num jcmwb-value-{html.escape(name)}'>{value_text(node.value)}{flag}</td><td>{html.escape(node.unit)}</td><td>{how}</td></tr>"
    )


def _table(rows: list[str], lang: str) -> str:
    head = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_parameter", "col_description", "col_value", "col_unit", "col_how"))
    return f"<table class='jcmwb-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def headline_html(result: Result, lang: str) -> str:
    spec, period = result.spec, result.period
    eq = spec.equations[spec.result]
    parts = [
        f"<div class='jcmwb-hint'>{html.escape(t('results_for', lang, project=period.project_id, start=period.start.isoformat(), end=period.end.isoformat(), id=spec.id, version=result.version))}</div>",
        f"<div class='jcmwb-headline'>{html_symbol(eq.symbol)} = <b class='jcmwb-er'>{number(result.er)}</b> {html.escape(eq.unit)}</div>",
    ]
    others = [n for n in ("RE_p", "PE_p") if n in result.nodes and n != spec.result]
    if others:
        parts.append("<div class='jcmwb-subline'>" + " &nbsp; ".join(f"{html_symbol(result.nodes[n].symbol)} = <b>{number(result.values[n])}</b> {html.escape(result.nodes[n].unit)}" for n in others) + "</div>")
    if result.provisional:
        parts.append(f"<div class='jcmwb-provisional-box'>{html.escape(t('uses_provisional', lang, names=', '.join(result.provisional)))}</div>")
    return "".join(parts)


def values_html(result: Result, lang: str) -> str:
    spec = result.spec
    names = [n for block in BLOCK_ORDER for n in spec.equations if spec.equations[n].block == block and n in result.nodes]
    names += [n for n in spec.order if n not in names]
    rows = [_row(result, n, lang, "jcmwb-result-row" if n == spec.result else "") for n in names]
    return f"<h4>{t('calculated_values', lang)}</h4>" + _table(rows, lang)


def inputs_html(result: Result, lang: str) -> str:
    spec = result.spec
    names = [n for n in spec.parameters if n in result.nodes]
    rows = [_row(result, n, lang, "jcmwb-provisional-row" if result.nodes[n].provisional else "") for n in names]
    return f"<h4>{t('input_values', lang)}</h4>" + _table(rows, lang)


def quality_html(result: Result, lang: str) -> str:
    parts = [f"<h4>{t('data_quality', lang)}</h4>"]
    gaps = [(name, g) for name, d in result.monitored.items() for g in d.gaps]
    if gaps:
        items = "".join(f"<li>{html_symbol(result.spec.parameters[n].symbol)}: {html.escape(g.describe())}</li>" for n, g in gaps)
        parts.append(f"<div class='jcmwb-gaps'>{t('gaps_found', lang, n=len(gaps))}<ul>{items}</ul></div>")
    else:
        parts.append(f"<div class='jcmwb-gaps'>{t('no_gaps', lang)}</div>")
    for key, items in (("corrections", [c.describe() for c in result.corrections]), ("warnings", result.warnings), ("notes", result.notes)):
        if items:
            css = " class='jcmwb-warning'" if key == "warnings" else ""
            parts.append(f"<div{css}><b>{t(key, lang)}</b><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul></div>")
    return "".join(parts)


def _data_uri(path: Path) -> str:
    mime = MIME.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def downloads_html(files: RunFiles, period_file: Path, lang: str) -> str:
    """Links carrying the files themselves, so nothing is served from the work folder."""
    from jcmwb.runner import display_path

    links = [
        ("mrs", files.file("MRS.xlsx"), t("download_mrs", lang)),
        ("receipt", files.file("receipt.json"), t("download_receipt", lang)),
        ("period", period_file, t("download_period", lang, name=period_file.name)),
        ("report", files.file("report.html"), t("download_report", lang)),
    ]
    items = "".join(
        f"<li><a class='jcmwb-download jcmwb-download-{key}' download='{html.escape(path.name)}' href='{_data_uri(path)}'>{html.escape(label)}</a></li>" for key, path, label in links if path.exists()
    )
    folder = display_path(files.out_dir.parent) if files.out_dir else ""
    return f"<h4>{t('downloads', lang)}</h4><ul>{items}</ul><div class='jcmwb-hint'>{html.escape(t('downloads_note', lang, folder=folder))}</div>"


def chart_parameters(result: Result) -> list[str]:
    """Monitored parameters with monthly data, category parameters (day counts) last."""
    names = [n for n, d in result.monitored.items() if any(p.monthly for p in d.points.values())]
    return sorted(names, key=lambda n: bool(result.spec.parameters[n].categories))


def monthly_chart(result: Result, name: str, lang: str) -> bytes:
    """Monthly totals of ``name`` per point, and the result apportioned by each month's share of them.

    The apportioning is said on the chart itself: the result is defined for the whole period
    only, so a monthly figure is a reading aid, never an official number.
    """
    from matplotlib import font_manager, rcParams
    from matplotlib.figure import Figure

    # Japanese labels need a CJK font as fallback; only fonts present are named (no warnings).
    present = {f.name for f in font_manager.fontManager.ttflist}
    rcParams["font.family"] = ["DejaVu Sans"] + [n for n in CJK_FONTS if n in present]

    from jcmwb.workbook import plain_symbol

    spec = result.spec
    series = result.monitored[name]
    param = spec.parameters[name]
    months = sorted({m for p in series.points.values() for m in p.monthly})
    fig = Figure(figsize=(9.5, 6.2), dpi=100)
    top, bottom = fig.subplots(2, 1, sharex=True)
    base = [0.0] * len(months)
    for point, pdata in series.points.items():
        heights = [pdata.monthly.get(m, 0.0) for m in months]
        top.bar(months, heights, bottom=base, label=point)
        base = [b + h for b, h in zip(base, heights)]
    unit = param.unit.removesuffix("/p")
    symbol = plain_symbol(param.symbol)
    top.set_title(t("chart_top", lang, symbol=symbol), fontsize=10)
    top.set_ylabel(f"{unit} / month")
    top.legend(fontsize=8)
    eq = spec.equations[spec.result]
    total = sum(base)
    result_symbol = plain_symbol(eq.symbol)
    if total > 0:
        shares = [b / total * result.er for b in base]
        bottom.bar(months, shares, color="#2e7d32")
    bottom.set_title(t("chart_bottom", lang, result=result_symbol), fontsize=10)
    bottom.set_ylabel(f"{eq.unit.removesuffix('/p')} / month")
    bottom.tick_params(axis="x", labelrotation=45)
    note = t("chart_note", lang, result=result_symbol, total=number(result.er), unit=eq.unit, symbol=symbol)
    fig.text(0.01, 0.005, note, fontsize=8, wrap=True, va="bottom", color="#8a4b00")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


class ResultsView:
    """The results section; drawn again in the other language when the language changes."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts
        self.result: Result | None = None
        self.files: RunFiles | None = None
        self.period_file: Path | None = None
        self.title = texts.word("sec_results", "jcmwb-section")
        self.headline = w.HTML()
        self.values = w.HTML()
        self.inputs = w.HTML()
        self.chart_choice = w.Dropdown(layout=w.Layout(width="32em"))
        self.chart_choice.add_class("jcmwb-chart-choice")
        self.chart_choice.observe(lambda _: self._draw_chart(), "value")
        self.chart_label = w.HTML()
        self.chart = w.Image(format="png")
        self.chart.add_class("jcmwb-chart")
        self.chart_note = w.HTML()
        self.quality = w.HTML()
        self.downloads = w.HTML()
        self.widget = w.VBox(
            [self.title, self.headline, self.values, self.chart_label, self.chart_choice, self.chart_note, self.chart, self.quality, self.inputs, self.downloads],
            layout=w.Layout(display="none"),
        )
        self.widget.add_class("jcmwb-results")

    def clear(self) -> None:
        self.result = None
        self.widget.layout.display = "none"

    def show(self, result: Result, files: RunFiles, period_file: Path) -> None:
        self.result, self.files, self.period_file = result, files, period_file
        self.render()
        self.widget.layout.display = None

    def render(self) -> None:
        result, lang = self.result, self.texts.lang
        if result is None or self.files is None or self.period_file is None:
            return
        self.headline.value = headline_html(result, lang)
        self.values.value = values_html(result, lang)
        self.inputs.value = inputs_html(result, lang)
        self.quality.value = quality_html(result, lang)
        self.downloads.value = downloads_html(self.files, self.period_file, lang)
        self.chart_label.value = f"<h4>{t('chart', lang)}</h4>"
        names = chart_parameters(result)
        options = [(f"{n}: {result.spec.parameters[n].description(lang)}", n) for n in names]
        self.chart_choice.layout.display = None if len(options) > 1 else "none"
        set_options(self.chart_choice, options)
        self._draw_chart()

    def _draw_chart(self) -> None:
        result, lang = self.result, self.texts.lang
        if result is None:
            return
        name = self.chart_choice.value
        if not name:
            self.chart_note.value = f"<div class='jcmwb-hint'>{t('chart_none', lang)}</div>"
            self.chart.layout.display = "none"
            return
        # Said under the chart as well as on it: the monthly split is a reading aid only.
        from jcmwb.workbook import plain_symbol

        eq = result.spec.equations[result.spec.result]
        note = t("chart_note", lang, result=plain_symbol(eq.symbol), total=number(result.er), unit=eq.unit, symbol=plain_symbol(result.spec.parameters[name].symbol))
        self.chart_note.value = f"<div class='jcmwb-warning jcmwb-chart-note'>{html.escape(note)}</div>"
        self.chart.layout.display = None
        self.chart.value = monthly_chart(result, name, lang)

    def receipt_value(self) -> float | None:
        """The result as the receipt of ``jcmwb run`` states it (a cross-check of the two paths)."""
        if self.files is None or self.files.out_dir is None:
            return None
        return json.loads(self.files.file("receipt.json").read_text(encoding="utf-8"))["result"]["value"]
