"""Notebook display of a Result: formatted tables and plots (a renderer: it never computes).

Numbers are formatted to fixed decimals and no path or time appears, so the committed
notebooks give the same text on every run (nbval compares it exactly).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from jcmwb.engine.compute import NOT_GIVEN, REPORTED_ONLY, not_given
from jcmwb.engine.numbers import format_number
from jcmwb.engine.units import strip_period
from jcmwb.sheets.workbook import plain_symbol

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result


class Html:
    """Rich HTML for notebooks, with a stable plain-text form."""

    def __init__(self, body: str, text: str) -> None:
        self.body = body
        self.text = text

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return self.text


def _table(headers: list[str], rows: list[list[str]], title: str = "") -> Html:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    caption = f"<p><b>{html.escape(title)}</b></p>" if title else ""
    text_rows = [" | ".join(headers)] + [" | ".join(r) for r in rows]
    return Html(f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", (title + "\n" if title else "") + "\n".join(text_rows))


def _value_text(value: Any, decimals: int = 3) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_number(v, decimals)}" for k, v in value.items())
    return format_number(value, decimals)


def overview(result: Result) -> Html:
    period = result.period
    rows = [
        ["Methodology", f"JCM_{result.spec.id}_ver{result.version}: {result.spec.title}"],
        ["Project", f"{period.project_id}: {period.project_title}"],
        ["Partner country", period.partner_country],
        ["Monitoring period", f"{period.start.isoformat()} to {period.end.isoformat()} ({period.days} days)"],
    ]
    return _table(["", ""], rows, "Project and period")


def eligibility(result: Result) -> Html:
    rows = []
    for criterion in result.spec.eligibility:
        answer = result.period.eligibility.get(criterion.id)
        rows.append([criterion.id, str(criterion.text), "not answered" if answer is None else ("yes" if answer else "NO (warning)")])
    return _table(["Criterion", "Text", "Answer"], rows, "Eligibility criteria")


def inputs(result: Result) -> Html:
    spec = result.spec
    rows = []
    for name, series in result.monitored.items():
        param = spec.parameters[name]
        for point, pdata in series.points.items():
            value = result.values[name][point] if isinstance(result.values[name], dict) else result.values[name]
            source = pdata.rows
            if pdata.parts:  # split by day category: what each meter contributed
                source += "; by point: " + ", ".join(f"{p} {format_number(v)}" for p, v in pdata.parts.items())
            if param.reported_only:
                source += f" ({REPORTED_ONLY})"
            rows.append([plain_symbol(param.symbol), point, format_number(value), param.unit, f"option {series.option}", source])
    for name in not_given(spec, result.period):
        rows.append([plain_symbol(spec.parameters[name].symbol), "", NOT_GIVEN, spec.parameters[name].unit, "", f"{NOT_GIVEN} in the monitoring-period file ({REPORTED_ONLY})"])
    for name, fixed in result.fixed.items():
        param = spec.parameters[name]
        status = "PROVISIONAL default" if fixed.status == "provisional" else (fixed.status or "")
        for member, value in fixed.value.items() if isinstance(fixed.value, dict) else [("", fixed.value)]:
            rows.append([plain_symbol(param.symbol), member, format_number(value, 4), param.unit, status + (f" ({fixed.choice})" if fixed.choice else ""), fixed.member_sources.get(member, fixed.source)])
    return _table(["Parameter", "Unit i / point", "Value", "Units", "Option / status", "Source"], rows, "Inputs")


def data_quality(result: Result) -> Html:
    rows = [["gap", f"{name}: {g.describe()}"] for name, d in result.monitored.items() for g in d.gaps]
    rows += [["correction", c.describe()] for c in result.corrections]
    rows += [["note", n] for n in result.notes]
    if not rows:
        rows = [["", "no gaps, corrections or notes"]]
    return _table(["Kind", "Detail"], rows, "Data quality")


def block(result: Result, block_name: str) -> Html:
    spec = result.spec
    rows = []
    for name, eq in spec.equations.items():
        if eq.block != block_name:
            continue
        node = result.nodes[name]
        notes = ("uses a PROVISIONAL default; " if node.provisional else "") + "; ".join(node.notes)
        rows.append([plain_symbol(eq.symbol), _value_text(result.values[name]), eq.unit, f"{name} = {eq.formula.text}", notes.strip("; ")])
    if block_name == "defaults":
        for name, fixed in result.fixed.items():
            if spec.parameters[name].kind == "fixed_default":
                param = spec.parameters[name]
                rows.append([plain_symbol(param.symbol), _value_text(fixed.value, 4), param.unit, f"option {fixed.choice}" if fixed.choice else "", "PROVISIONAL default" if fixed.status == "provisional" else str(fixed.status)])
    return _table(["Parameter", "Value", "Units", "Formula / option", "Note"], rows)


def monthly_plot(result: Result, name: str) -> Any:
    """A stacked bar chart of a monitored parameter's monthly totals per point, as a PNG image.

    Rendered off-screen to PNG bytes without a software stamp, so the image is the same on
    every run and in every front end (notebook, HTML, Voila).
    """
    import io

    from IPython.display import Image
    from matplotlib.figure import Figure

    if name not in result.monitored:
        return _not_used(result, name)
    series = result.monitored[name]
    param = result.spec.parameters[name]
    months = sorted({m for p in series.points.values() for m in p.monthly})
    if not months:
        return _no_months(result, name)
    fig = Figure(figsize=(9, 3.6), dpi=100)
    ax = fig.subplots()
    bottom = [0.0] * len(months)
    for point, pdata in series.points.items():
        heights = [pdata.monthly.get(m, 0.0) for m in months]
        ax.bar(months, heights, bottom=bottom, label=point)
        bottom = [b + h for b, h in zip(bottom, heights)]
    unit = strip_period(param.unit)
    ax.set_ylabel(f"{plain_symbol(param.symbol)} [{unit} per month]")
    ax.set_title(f"Monthly {param.description}".replace(" during the period p", "").replace(" in period p", ""), fontsize=10)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return Image(data=buffer.getvalue(), format="png")


def _no_months(result: Result, name: str) -> Html:
    """A monitored parameter given as typed period totals: there is nothing to show per month."""
    text = f"{name} is given as period totals (monitored.{name}.values), without monthly data."
    return Html(f"<p>{html.escape(text)}</p>", text)


def _not_used(result: Result, name: str) -> Html:
    """A monitored parameter that only an alternative not selected in this period uses, or a reported-only one left out."""
    if name in not_given(result.spec, result.period):
        text = f"{name} is {NOT_GIVEN} in this period ({REPORTED_ONLY})."
        return Html(f"<p>{html.escape(text)}</p>", text)
    chosen = ", ".join(f"{e}: {a}" for e, a in result.period.alternatives.items())
    text = f"{name} is not used in this period (alternatives selected: {chosen})."
    return Html(f"<p>{html.escape(text)}</p>", text)


def monthly_table(result: Result, name: str) -> Html:
    if name not in result.monitored:
        return _not_used(result, name)
    series = result.monitored[name]
    unit = strip_period(result.spec.parameters[name].unit)
    points = list(series.points)
    months = sorted({m for p in series.points.values() for m in p.monthly})
    if not months:
        return _no_months(result, name)
    rows = []
    for month in months:
        vals = [series.points[p].monthly.get(month, 0.0) for p in points]
        rows.append([month, *[format_number(v) for v in vals], format_number(sum(vals))])
    return _table(["Month", *[f"{p} [{unit}]" for p in points], f"Total [{unit}]"], rows, f"Monthly {plain_symbol(result.spec.parameters[name].symbol)}")


def outcome(result: Result) -> Html:
    spec = result.spec
    er = result.er
    lines = [f"<h3>{html.escape(plain_symbol(spec.equations[spec.result].symbol))} = {format_number(er, 0)} {html.escape(spec.equations[spec.result].unit)}</h3>"]
    text = [f"{spec.result} = {format_number(er, 0)} {spec.equations[spec.result].unit}"]
    if result.allocation:
        split = ", ".join(f"{party} {format_number(credits, 0)}" for party, credits in result.allocation.items())
        lines.append(f"<p>Credit allocation: {html.escape(split)} tCO2</p>")
        text.append(f"Credit allocation: {split} tCO2")
    for warning in result.warnings:
        lines.append(f"<p style='color:#C00000'><b>Warning:</b> {html.escape(warning)}</p>")
        text.append("Warning: " + warning)
    return Html("".join(lines), "\n".join(text))


def trace(result: Result) -> Html:
    text = result.explain()
    return Html(f"<pre>{html.escape(text)}</pre>", text)
