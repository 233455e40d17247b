"""The what-if table and chart of ``jcmwb impact``: CSV, Markdown, XLSX and PNG.

Renderers of :class:`jcmwb.engine.whatif.PeriodImpact` records; they format and never compute
(the differences come with the records; in ``impact.xlsx`` they are live formulas over the
before and after cells, with the records' values cached, so LibreOffice's forced recalculation
must agree). Every output says that these are what-if numbers, not the calculation of record
(:data:`jcmwb.engine.whatif.NOT_OF_RECORD`): the CSVs in a ``record`` column of every row, the
others in their title. Text from an input (ids, file names, error messages) is escaped where it
is shown: through ``md()`` of :mod:`jcmwb.sheets.documents` in Markdown, written as plain strings (never as
formulas) in the workbook, and a CSV cell starting like a formula is quoted. The same records
give the same bytes (the workbook's document date is the last period's end; the PNG carries no
software or date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from jcmwb import __version__
from jcmwb.engine.atomic import write_atomically, write_text_atomically
from jcmwb.engine.numbers import format_number
from jcmwb.engine.whatif import AFFECTED, ERROR, NOT_OF_RECORD, UNAFFECTED, Override, PeriodImpact, totals
from jcmwb.sheets.common import column_titles, new_workbook, pyplot, widths, write_png
from jcmwb.sheets.documents import md

RECORD = "WHAT-IF, not the calculation of record"
PERIOD_COLUMNS = (
    "record",
    "project",
    "project_folder",
    "file",
    "methodology",
    "version",
    "period_start",
    "period_end",
    "status",
    "change",
    "er_before",
    "er_after",
    "unit",
    "difference_t",
    "difference_percent",
    "note",
)
CREDIT_COLUMNS = ("record", "project", "file", "period_start", "period_end", "year", "vintage", "party", "credits_before", "credits_after", "difference")
IMPACT_SHEET, CREDITS_SHEET = "Impact", "Credits"
HEADER_ROW = 5  # the column titles of both sheets; the rows start below
# Above this many affected periods the chart plots each period as a point (after against
# before) instead of a pair of bars: a registry's thousand bars would read as noise.
BARS_UP_TO = 30


def title(overrides: Sequence[Override]) -> str:
    """``What-if: TH_AM001.EF_RE.grid = 0.5 tCO2/MWh``."""
    return "What-if: " + "; ".join(o.describe() for o in overrides)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(value)


def _percent(value: float | None) -> str:
    return "" if value is None else format_number(value, 4, grouping=False)


def _safe(text: object) -> str:
    """A CSV text cell a spreadsheet will not run as a formula (OWASP: quote a leading = + - @)."""
    value = str(text)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _change(impact: PeriodImpact) -> str:
    return "; ".join(f"{c.target}: {c.before} -> {c.after:g} {c.unit}" for c in impact.changes)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def ordered(impacts: Sequence[PeriodImpact]) -> list[PeriodImpact]:
    """Projects and periods in order (a period folder's name, then the dates, then the file)."""
    return sorted(impacts, key=PeriodImpact.sort_key)


def _which(i: PeriodImpact) -> dict[str, str]:
    """The cells of both CSVs that say which period a row is of (the writer puts the columns in order)."""
    return {"record": RECORD, "project": _safe(i.project), "file": _safe(i.file), "period_start": _iso(i.start), "period_end": _iso(i.end)}


def period_rows(impacts: Sequence[PeriodImpact]) -> list[dict[str, str]]:
    return [
        {
            **_which(i),
            "project_folder": _safe(i.project_folder),
            "methodology": i.methodology,
            "version": i.version,
            "status": i.status,
            "change": _safe(_change(i)),
            "er_before": _number(i.er_before),
            "er_after": _number(i.er_after),
            "unit": i.unit,
            "difference_t": _number(i.difference),
            "difference_percent": _percent(i.difference_percent),
            "note": _safe(i.note),
        }
        for i in ordered(impacts)
    ]


def credit_rows(impacts: Sequence[PeriodImpact]) -> list[dict[str, str]]:
    return [
        {
            **_which(i),
            "year": "" if c.year is None else str(c.year),
            "vintage": c.vintage,
            "party": _safe(c.party),
            "credits_before": str(c.before),
            "credits_after": str(c.after),
            "difference": str(c.difference),
        }
        for i in ordered(impacts)
        for c in i.credits
    ]


def _csv(columns: Sequence[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(impacts: Sequence[PeriodImpact], path: Path) -> Path:
    """``impact.csv``: one row per period (:data:`PERIOD_COLUMNS`)."""
    return write_text_atomically(path, _csv(PERIOD_COLUMNS, period_rows(impacts)))


def write_credits_csv(impacts: Sequence[PeriodImpact], path: Path) -> Path:
    """``impact-credits.csv``: one row per period x vintage x party (:data:`CREDIT_COLUMNS`)."""
    return write_text_atomically(path, _csv(CREDIT_COLUMNS, credit_rows(impacts)))


# -- Markdown ---------------------------------------------------------------------------------------
def _t(value: float | None) -> str:
    return "" if value is None else format_number(value, whole=True)


def _signed(value: float | None, suffix: str = "") -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + (_t(value) if not suffix else format_number(value, 2)) + suffix


def _period(i: PeriodImpact) -> str:
    return f"{_iso(i.start)} to {_iso(i.end)}" if i.start else ""


def markdown(impacts: Sequence[PeriodImpact], overrides: Sequence[Override], folder: str) -> str:
    """``impact.md``: the change, ER per period, credits per party, unaffected periods, errors."""
    rows = ordered(impacts)
    affected = [i for i in rows if i.status == AFFECTED]
    listed = [i for i in rows if i.er_before is not None]
    lines = [
        f"# {md(title(overrides))}",
        "",
        f"> **{md(NOT_OF_RECORD)}.**",
        "",
        f"Folder: {md(folder)}. Periods: {len(rows)}; affected {len(affected)}, unaffected {sum(i.status == UNAFFECTED for i in rows)}, errors {sum(i.status == ERROR for i in rows)}.",
        "",
        "## The change",
        "",
        "| methodology | parameter | choice | new value | unit | status of the new value | source |",
        "|---|---|---|---:|---|---|---|",
    ]
    lines += [f"| {md(o.methodology)} | {md(o.parameter)} | {md(o.choice)} | {o.value:g} | {md(o.unit)} | what-if | --set on the command line |" for o in overrides]
    lines += ["", "## Emission reductions per period", ""]
    if listed:
        lines += [
            "| project | period | file | status | value before | ER_p before | ER_p after | difference [t] | difference [%] | unit |",
            "|---|---|---|---|---|---:|---:|---:|---:|---|",
        ]
        for i in listed:
            before = "; ".join(f"{md(c.target)}: {md(c.before)}" for c in i.changes)
            lines.append(
                f"| {md(i.project)} | {_period(i)} | {md(i.file)} | {i.status} | {before} | {_t(i.er_before)} | {_t(i.er_after)} | {_signed(i.difference)} | {_signed(i.difference_percent, ' %')} | {md(i.unit)} |"
            )
        before, after, difference = totals(listed)
        lines.append(f"| total | | | | | {_t(before)} | {_t(after)} | {_signed(difference)} | | |")
    else:
        lines.append("No period is affected.")
    credits = [(i, c) for i in listed for c in i.credits]
    lines += ["", "## Credits per party", ""]
    if credits:
        lines += ["| project | period | vintage | party | before | after | difference |", "|---|---|---|---|---:|---:|---:|"]
        lines += [f"| {md(i.project)} | {_period(i)} | {md(c.vintage)} | {md(c.party)} | {format_number(c.before, 0)} | {format_number(c.after, 0)} | {_signed(c.difference)} |" for i, c in credits]
    else:
        lines.append("No credits to show (no affected period gives a credit allocation).")
    notes = [i for i in listed if i.note and i.status == AFFECTED]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {md(i.file)}: {md(i.note)}" for i in notes]
    unaffected = [i for i in rows if i.status == UNAFFECTED]
    lines += ["", "## Unaffected periods", ""]
    if unaffected:
        lines += ["| project | period | file | why |", "|---|---|---|---|"]
        lines += [f"| {md(i.project)} | {_period(i)} | {md(i.file)} | {md(i.note)} |" for i in unaffected]
    else:
        lines.append("none")
    errors = [i for i in rows if i.status == ERROR]
    lines += ["", "## Errors", ""]
    lines += [f"- {md(i.file)}: {md(i.note)}" for i in errors] if errors else ["none"]
    lines += ["", f"Written by jcmwb {__version__} (jcmwb impact).", ""]
    return "\n".join(lines)


def write_markdown(impacts: Sequence[PeriodImpact], overrides: Sequence[Override], folder: str, path: Path) -> Path:
    return write_text_atomically(path, markdown(impacts, overrides, folder))


# -- the workbook -----------------------------------------------------------------------------------
def document_date(impacts: Sequence[PeriodImpact]) -> dt.datetime:
    ends = [i.end for i in impacts if i.end]
    return dt.datetime.combine(max(ends), dt.time()) if ends else dt.datetime(2000, 1, 1)


def write_xlsx(impacts: Sequence[PeriodImpact], overrides: Sequence[Override], folder: str, path: Path) -> Path:
    """``impact.xlsx``: sheet Impact (one row per period) and Credits (per vintage and party); every difference and total a live formula."""
    return write_atomically(path, lambda tmp: _write_xlsx(ordered(impacts), overrides, folder, tmp), suffix=".xlsx")


def _write_xlsx(rows: list[PeriodImpact], overrides: Sequence[Override], folder: str, path: Path) -> None:
    book = new_workbook(path, title(overrides), document_date(rows), comments=NOT_OF_RECORD)
    bold = book.add_format({"bold": True, "font_size": 12})
    warn = book.add_format({"bold": True, "font_color": "#C00000"})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    text = book.add_format({"border": 1})
    whole = book.add_format({"border": 1, "num_format": "#,##0"})
    decimal = book.add_format({"border": 1, "num_format": "#,##0.000"})
    diff = book.add_format({"border": 1, "num_format": "+#,##0;-#,##0;0", "bg_color": "#FFF2CC"})
    percent = book.add_format({"border": 1, "num_format": "+0.00;-0.00;0.00", "bg_color": "#FFF2CC"})
    total = book.add_format({"border": 1, "bold": True, "num_format": "#,##0"})

    def preamble(sheet: xlsxwriter.worksheet.Worksheet, what: str) -> None:
        sheet.write_string(0, 0, f"{title(overrides)}: {what}", bold)
        sheet.write_string(1, 0, NOT_OF_RECORD, warn)
        sheet.write_string(2, 0, f"Folder: {folder}")
        sheet.write_string(3, 0, "Differences and totals are formulas over the before and after cells.")

    def table(name: str, what: str, columns: Sequence[str], *spans: tuple[int, int, float]) -> xlsxwriter.worksheet.Worksheet:
        """A sheet with the preamble and the column titles; the first four columns are the period's."""
        sheet = book.add_worksheet(name)
        preamble(sheet, what)
        column_titles(sheet, HEADER_ROW, columns, head)
        widths(sheet, (0, 0, 16), (1, 2, 11), (3, 3, 36), *spans)
        return sheet

    columns = ("project", "period_start", "period_end", "file", "methodology", "status", "change", "ER_p before", "ER_p after", "unit", "difference [t]", "difference [%]", "note")
    sheet = table(IMPACT_SHEET, "emission reductions per period", columns, (4, 5, 12), (6, 6, 40), (7, 11, 12), (12, 12, 60))
    first = HEADER_ROW + 1
    for n, i in enumerate(rows):
        r = first + n
        for col, value in enumerate((i.project, _iso(i.start), _iso(i.end), i.file, i.methodology, i.status, _change(i))):
            sheet.write_string(r, col, value, text)
        sheet.write_string(r, 9, i.unit, text)
        sheet.write_string(r, 12, i.note, text)
        if i.er_before is None or i.er_after is None:
            continue
        number = whole if i.er_before == int(i.er_before) and i.er_after == int(i.er_after) else decimal
        sheet.write_number(r, 7, i.er_before, number)
        sheet.write_number(r, 8, i.er_after, number)
        before, after = xl_rowcol_to_cell(r, 7), xl_rowcol_to_cell(r, 8)
        sheet.write_formula(r, 10, f"={after}-{before}", diff, i.difference)
        share = i.difference_percent
        sheet.write_formula(r, 11, f'=IF({before}=0,"",({after}-{before})/{before}*100)', percent, "" if share is None else share)
    last = first + len(rows) - 1
    if rows:
        r = last + 1
        sheet.write_string(r, 0, "total", head)
        before, after, difference = totals(rows)
        for col, value in ((7, before), (8, after)):
            span = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
            sheet.write_formula(r, col, f"=SUM({span})", total, value)
        sheet.write_formula(r, 10, f"={xl_rowcol_to_cell(r, 8)}-{xl_rowcol_to_cell(r, 7)}", diff, difference)
    sheet.freeze_panes(first, 0)

    columns = ("project", "period_start", "period_end", "file", "year", "vintage", "party", "credits before", "credits after", "difference")
    sheet = table(CREDITS_SHEET, "credits per party (and calendar year, for project folders)", columns, (4, 4, 6), (5, 5, 26), (6, 9, 12))
    r = first
    for i in rows:
        for c in i.credits:
            for col, value in enumerate((i.project, _iso(i.start), _iso(i.end), i.file)):
                sheet.write_string(r, col, value, text)
            if c.year is None:
                sheet.write_string(r, 4, "", text)
            else:
                sheet.write_number(r, 4, c.year, text)
            sheet.write_string(r, 5, c.vintage, text)
            sheet.write_string(r, 6, c.party, text)
            sheet.write_number(r, 7, c.before, whole)
            sheet.write_number(r, 8, c.after, whole)
            sheet.write_formula(r, 9, f"={xl_rowcol_to_cell(r, 8)}-{xl_rowcol_to_cell(r, 7)}", diff, c.difference)
            r += 1
    sheet.freeze_panes(first, 0)
    book.close()


# -- the chart ----------------------------------------------------------------------------------------
def write_chart(impacts: Sequence[PeriodImpact], overrides: Sequence[Override], path: Path) -> Path:
    """``impact.png``: ER_p before and after per affected period (bars, each labelled with the
    difference in %), or, past :data:`BARS_UP_TO` periods, each period as a point after against before."""
    plt = pyplot()
    shown = [i for i in ordered(impacts) if i.status == AFFECTED and i.er_before is not None and i.er_after is not None]
    width = max(6.0, 1.1 * len(shown) + 3) if len(shown) <= BARS_UP_TO else 7.0
    fig, ax = plt.subplots(figsize=(width, 4.6), dpi=100)
    if not shown:
        ax.text(0.5, 0.5, "No period is affected by the change", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    elif len(shown) <= BARS_UP_TO:
        labels = [f"{i.project}\n{_iso(i.start)}\nto {_iso(i.end)}" for i in shown]
        xs = range(len(shown))
        ax.bar([x - 0.2 for x in xs], [i.er_before or 0.0 for i in shown], width=0.4, label="before", color="#8EA9DB")
        after = ax.bar([x + 0.2 for x in xs], [i.er_after or 0.0 for i in shown], width=0.4, label="after (what-if)", color="#C65911")
        ax.bar_label(after, labels=[_signed(i.difference_percent, " %") or "n/a" for i in shown], fontsize=8)
        ax.set_xticks(list(xs), labels, fontsize=7)
        ax.set_ylabel(f"ER_p [{shown[0].unit}]" if len({i.unit for i in shown}) == 1 else "ER_p")
        ax.legend(fontsize=8)
        ax.margins(y=0.12)
    else:
        before = [i.er_before or 0.0 for i in shown]
        after = [i.er_after or 0.0 for i in shown]
        top = max(before + after) or 1.0
        ax.plot([0, top], [0, top], color="#808080", linewidth=0.8, label="unchanged")
        ax.scatter(before, after, s=12, color="#C65911", label=f"{len(shown)} affected periods")
        ax.set_xlabel("ER_p before")
        ax.set_ylabel("ER_p after (what-if)")
        ax.legend(fontsize=8)
    ax.set_title(f"{title(overrides)}\n{RECORD}", fontsize=9)
    fig.tight_layout()
    return write_png(fig, path)
