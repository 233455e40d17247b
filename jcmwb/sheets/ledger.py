"""The credit ledger of a project: ``ledger.csv``, ``ledger.xlsx`` and a chart.

A renderer of :class:`jcmwb.engine.cycle.Issuance` records: one row per period x calendar year
x party, whole tonnes. ``ledger.xlsx`` holds the same rows in its ``Ledger`` sheet and, in
``Totals``, the totals per period (against the issued ER_p), per party, per year and per period
and party, each a live formula over the rows (SUMPRODUCT, which compares the dates as text, so
no spreadsheet reads them as numbers), with its value cached; a column chart of credits per
period and party sits beside them. The same issuances give the same bytes (the document date is
the end of the last period).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

from jcmwb.engine.atomic import write_atomically, write_text_atomically
from jcmwb.engine.numbers import format_number
from jcmwb.sheets.common import column_titles, new_workbook, pyplot, widths, write_png

if TYPE_CHECKING:
    from jcmwb.engine.cycle import Issuance, Project

COLUMNS = ("period_start", "period_end", "year", "vintage_start", "vintage_end", "party", "credits")
LEDGER_SHEET = "Ledger"
TOTALS_SHEET = "Totals"
WARNINGS_SHEET = "Warnings"
HEADER_ROW = 4  # the column titles of the Ledger sheet; rows start below


def rows(issuances: Sequence[Issuance]) -> list[dict]:
    return [row for issuance in issuances for row in issuance.ledger_rows()]


def write_csv(issuances: Sequence[Issuance], path: Path) -> Path:
    """``ledger.csv``: ``period_start,period_end,year,vintage_start,vintage_end,party,credits``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(issuances))
    return write_text_atomically(path, buffer.getvalue())


def document_date(issuances: Sequence[Issuance]) -> dt.datetime:
    return dt.datetime.combine(max(i.period.end for i in issuances), dt.time())


def write_xlsx(project: Project, issuances: Sequence[Issuance], warnings: Sequence[str], path: Path) -> Path:
    """``ledger.xlsx``: the rows, and totals as live formulas with cached values."""
    return write_atomically(path, lambda tmp: _write_xlsx(project, issuances, warnings, tmp), suffix=".xlsx")


def _write_xlsx(project: Project, issuances: Sequence[Issuance], warnings: Sequence[str], path: Path) -> None:
    info = project.info
    book = new_workbook(path, f"Credit ledger {info.project_id}", document_date(issuances))
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 12})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    text = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "#,##0"})
    total = book.add_format({"border": 1, "bold": True, "num_format": "#,##0", "bg_color": "#FFF2CC"})
    warn = book.add_format({"bold": True, "font_color": "#C00000"})

    ledger = book.add_worksheet(LEDGER_SHEET)
    totals = book.add_worksheet(TOTALS_SHEET)
    notes = book.add_worksheet(WARNINGS_SHEET)
    widths(ledger, (0, 4, 14), (5, 6, 12))
    ledger.write_string(0, 0, f"Credit ledger: {info.project_id} {info.title}", title)
    ledger.write_string(1, 0, f"Methodology: JCM_{info.methodology}; partner country: {info.party_name}; credits in tCO2, whole tonnes", bold)
    if warnings:
        ledger.write_string(2, 0, f"{len(warnings)} warning(s): see the sheet {WARNINGS_SHEET}", warn)
    column_titles(ledger, HEADER_ROW, COLUMNS, head)
    data = rows(issuances)
    first = HEADER_ROW + 1
    for n, row in enumerate(data):
        r = first + n
        for col, name in enumerate(COLUMNS):
            value = row[name]
            if isinstance(value, int):
                ledger.write_number(r, col, value, number)
            else:
                ledger.write_string(r, col, str(value), text)
    last = first + max(len(data), 1) - 1

    def column(name: str) -> str:
        col = COLUMNS.index(name)
        return f"'{LEDGER_SHEET}'!{xl_rowcol_to_cell(first, col, True, True)}:{xl_rowcol_to_cell(last, col, True, True)}"

    credits = column("credits")
    widths(totals, (0, 1, 14), (2, 8, 14))
    totals.write_string(0, 0, f"Totals of the credit ledger: {info.project_id}", title)
    totals.write_string(1, 0, "Every total is a formula over the Ledger sheet; 'check' is 0 when a period's rows add up to its issued ER_p.", bold)

    r = 3
    totals.write_string(r, 0, "By period", bold)
    r += 1
    column_titles(totals, r, ("period_start", "period_end", "issued ER_p", "credits in ledger", "check"), head)
    r += 1
    for issuance in issuances:
        start, end = issuance.period.start.isoformat(), issuance.period.end.isoformat()
        totals.write_string(r, 0, start, text)
        totals.write_string(r, 1, end, text)
        totals.write_number(r, 2, issuance.er, number)
        a, b = xl_rowcol_to_cell(r, 0), xl_rowcol_to_cell(r, 1)
        in_ledger = sum(x["credits"] for x in issuance.ledger_rows())
        totals.write_formula(r, 3, f"=SUMPRODUCT(({column('period_start')}={a})*({column('period_end')}={b})*{credits})", total, in_ledger)
        totals.write_formula(r, 4, f"={xl_rowcol_to_cell(r, 3)}-{xl_rowcol_to_cell(r, 2)}", number, in_ledger - issuance.er)
        r += 1
    r += 1

    def by(r: int, caption: str, name: str, credited: Mapping[Any, int]) -> int:
        """The credits per value of the ledger's column ``name``; returns the row after a blank one."""
        totals.write_string(r, 0, caption, bold)
        column_titles(totals, r + 1, (name, "credits"), head)
        r += 2
        for key, value in credited.items():
            if isinstance(key, int):
                totals.write_number(r, 0, key, text)
            else:
                totals.write_string(r, 0, key, text)
            totals.write_formula(r, 1, f"=SUMPRODUCT(({column(name)}={xl_rowcol_to_cell(r, 0)})*{credits})", total, value)
            r += 1
        return r + 1

    parties = list(dict.fromkeys(p for i in issuances for p in i.parties))
    r = by(r, "By party", "party", {party: sum(i.parties.get(party, 0) for i in issuances) for party in parties})
    years = sorted({v.year for i in issuances for v in i.vintages})
    r = by(r, "By calendar year (vintage)", "year", {year: sum(v.credits for i in issuances for v in i.vintages if v.year == year) for year in years})
    totals.write_string(r, 0, "All credits", bold)
    totals.write_formula(r, 1, f"=SUM({credits})", total, sum(x["credits"] for x in data))
    r += 2

    # Per period and party: the chart's data.
    totals.write_string(r, 0, "By period and party", bold)
    r += 1
    column_titles(totals, r, ("period", "period_end", *parties), head)
    header = r
    r += 1
    for issuance in issuances:
        totals.write_string(r, 0, issuance.period.start.isoformat(), text)
        totals.write_string(r, 1, issuance.period.end.isoformat(), text)
        for col, party in enumerate(parties, start=2):
            formula = (
                f"=SUMPRODUCT(({column('period_start')}={xl_rowcol_to_cell(r, 0)})*({column('period_end')}={xl_rowcol_to_cell(r, 1)})"
                f"*({column('party')}={xl_rowcol_to_cell(header, col)})*{credits})"
            )
            totals.write_formula(r, col, formula, number, issuance.parties.get(party, 0))
        r += 1
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    for col in range(2, 2 + len(parties)):
        chart.add_series(
            {
                "name": [TOTALS_SHEET, header, col],
                "categories": [TOTALS_SHEET, header + 1, 0, r - 1, 0],
                "values": [TOTALS_SHEET, header + 1, col, r - 1, col],
            }
        )
    chart.set_title({"name": "Credits per period and party"})
    chart.set_x_axis({"name": "monitoring period (start)"})
    chart.set_y_axis({"name": "tCO2"})
    totals.insert_chart(3, 7, chart)

    notes.set_column(0, 0, 140)
    notes.write_string(0, 0, "Warnings of the project cycle (also in every summary jcmwb project writes)", title)
    for n, message in enumerate(warnings or ["none"], start=2):
        notes.write_string(n, 0, message, warn if warnings else text)
    book.close()


def write_chart(project: Project, issuances: Sequence[Issuance], path: Path) -> Path:
    """``ledger.png``: credits per period, stacked by party, each part labelled."""
    plt = pyplot()
    parties = list(dict.fromkeys(p for i in issuances for p in i.parties))
    labels = [f"{i.period.start.isoformat()}\nto {i.period.end.isoformat()}" for i in issuances]
    fig, ax = plt.subplots(figsize=(max(5.0, 2.2 * len(issuances) + 2), 4.2), dpi=100)
    bottom = [0.0] * len(issuances)
    for party in parties:
        values = [float(i.parties.get(party, 0)) for i in issuances]
        bars = ax.bar(labels, values, bottom=bottom, label=party)
        ax.bar_label(bars, labels=[format_number(v, 0) if v else "" for v in values], label_type="center", fontsize=8)
        bottom = [b + v for b, v in zip(bottom, values)]
    for x, height in enumerate(bottom):
        ax.annotate(format_number(height, 0), (x, height), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("credits [tCO2]")
    ax.set_title(f"Credits per monitoring period and party: {project.info.project_id}", fontsize=10)
    ax.legend(title="party")
    ax.margins(y=0.12)
    fig.tight_layout()
    return write_png(fig, path)
