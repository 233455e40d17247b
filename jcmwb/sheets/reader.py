"""Reading a Monitoring Report Sheet: ours, or one laid out by hand in the official columns.

The reader looks for labels, not positions: the header line "Monitoring Spreadsheet:
JCM_<ID>_ver<NN.N>", "Reference Number: <id>" (and, when present, "Title of the project:"
and "Project participants:"), the Table 1 header row whose cells start with "(a)" ...
"(k)", the "Table 2" and "Table 3" captions and their header rows, an optional "Credit
allocation" table, and, where there is one, the calculation-process sheet's "Value" and
"Parameter" columns. Every value keeps its cell address, its number format and, when it has
one, its formula: the workbook is opened twice, with ``data_only=True`` for what the sheet
shows (a formula's cached value) and ``data_only=False`` for the formulas.

A table ends at the next caption ("Table ...", "Credit allocation ...") or at the end of the
sheet; blank rows inside a table are skipped, so a row cleared by hand does not hide the rows
below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jcmwb.engine.errors import SheetError

HEADER = re.compile(r"Monitoring Spreadsheet:\s*JCM_([A-Z]{2}_(?:[AP]M\d{3}|PM_[A-Z]{2,10}))_ver(\d+\.\d+)")  # ids: jcmwb.engine.spec.ID_PATTERN
REFERENCE = re.compile(r"Reference Number:\s*(.+)")
TITLE = re.compile(r"Title of the project:\s*(.+)")
PARTICIPANTS = re.compile(r"Project participants?:\s*(.+)", re.IGNORECASE)
HEADER_PERIOD = re.compile(r"Monitoring period:\s*(.+)", re.IGNORECASE)
DOCUMENT_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})")
PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:to|-|–|~)\s*(\d{4}-\d{2}-\d{2})")
MEMBER = re.compile(r"\(([^()]+)\)\s*$")
CAPTION = re.compile(r"^(Table\s+\d|Credit allocation)", re.IGNORECASE)
HEADER_ROWS = 10  # the header lines are searched for in the first rows only


@dataclass
class Cell:
    """One reported value: where it is, what it shows, its number format and its formula.

    Attributes
    ----------
    sheet, address
        Worksheet title and A1 address.
    value
        What the cell shows: a typed value, or a formula's cached value (None if not cached).
    formula
        The formula text (with the leading ``=``) or None for a typed value.
    number_format
        The cell's number format, e.g. ``#,##0.000###``: the precision it is displayed with.
    """

    sheet: str
    address: str
    value: Any
    formula: str | None = None
    number_format: str = "General"

    @property
    def ref(self) -> str:
        """``'Sheet'!A1``."""
        return f"'{self.sheet}'!{self.address}"


@dataclass
class MonitoredRow:
    """One row of Table 1: a monitored parameter at one monitoring point."""

    row: int
    period: Cell
    point: str
    parameter: str
    value: Cell
    unit: Cell
    option: str
    source: str
    option_ref: str = ""


@dataclass
class FixedRow:
    """One row of Table 2: a parameter fixed ex ante (project value or selected default)."""

    row: int
    parameter: str
    member: str | None
    value: Cell
    unit: str
    source: str
    status: str


@dataclass
class CalcRow:
    """One numbered row of the calculation-process sheet."""

    row: int
    parameter: str
    member: str | None
    value: Cell
    unit: str


@dataclass
class AllocationRow:
    """One party of the credit allocation table."""

    party: str
    share: Cell
    credits: Cell
    rounding: str


@dataclass
class ReportedSheet:
    """Everything a Monitoring Report Sheet reports, cell by cell."""

    path: Path
    methodology: str
    version: str
    reference: str
    input_sheet: str
    table1: list[MonitoredRow] = field(default_factory=list)
    table2: list[FixedRow] = field(default_factory=list)
    result: Cell | None = None
    result_period: Cell | None = None
    calc: list[CalcRow] = field(default_factory=list)
    calc_sheet: str | None = None
    title: str = ""
    participants: str = ""
    header_cell: str = "A1"
    allocation: list[AllocationRow] = field(default_factory=list)
    header_period: Cell | None = None
    document_title: str = ""

    @property
    def document_period(self) -> tuple[str, str] | None:
        """The period in the document properties' title (jcmwb writes ``<start>_<end>`` there)."""
        match = DOCUMENT_PERIOD.search(self.document_title or "")
        return (match.group(1), match.group(2)) if match else None

    @property
    def has_formulas(self) -> bool:
        """True when the calculation-process sheet holds formulas (a sheet written by jcmwb)."""
        return any(r.value.formula for r in self.calc)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _find(sheet: Any, predicate: Any, limit: int | None = None, start: int = 1) -> tuple[int, int] | None:
    for row in sheet.iter_rows(min_row=start, max_row=limit):
        for cell in row:
            if isinstance(cell.value, str) and predicate(cell.value.strip()):
                return cell.row, cell.column
    return None


def _header_value(sheet: Any, pattern: re.Pattern[str]) -> str:
    found = _find(sheet, lambda t: bool(pattern.match(t)), limit=HEADER_ROWS)
    return pattern.match(_text(sheet.cell(*found).value)).group(1).strip() if found else ""


def _is_caption(sheet: Any, row: int) -> bool:
    return any(CAPTION.match(_text(c.value)) for c in sheet[row] if isinstance(c.value, str))


def _blank(sheet: Any, row: int, columns: list[int]) -> bool:
    return all(_text(sheet.cell(row, c).value) == "" for c in columns)


def _table_rows(sheet: Any, first: int, columns: list[int], *, blank_rows: int = 2) -> list[int]:
    """Rows of a table from ``first`` to the next caption or ``blank_rows`` blank rows in a row.

    A single blank row inside a table (a row cleared by hand) is skipped, not taken as the
    end of the table.
    """
    rows: list[int] = []
    blanks = 0
    for row in range(first, sheet.max_row + 1):
        if _is_caption(sheet, row):
            break
        if _blank(sheet, row, columns):
            blanks += 1
            if blanks >= blank_rows:
                break
            continue
        blanks = 0
        rows.append(row)
    return rows


def _header_columns(sheet: Any, row: int) -> dict[str, int]:
    """Lower-case header text (first line) -> column."""
    names = {}
    for col in range(1, sheet.max_column + 1):
        text = _text(sheet.cell(row, col).value).lower()
        if text:
            names.setdefault(" ".join(text.split()), col)
    return names


def _column(names: dict[str, int], *starts: str) -> int | None:
    for start in starts:
        for name, col in names.items():
            if name == start or name.startswith(start):
                return col
    return None


def read_sheet(path: str | Path) -> ReportedSheet:
    """Read a Monitoring Report Sheet.

    Parameters
    ----------
    path
        The workbook (.xlsx), written by jcmwb or laid out by hand in the official columns.

    Returns
    -------
    ReportedSheet
        Every reported value with its cell.

    Raises
    ------
    SheetError
        When the file is not a workbook or lacks the header line, Table 1 or one of its
        columns (a), (b), (c), (e), (f), (g); the message names the file, sheet and cell.
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise SheetError("file not found", file=str(path))
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for non-workbooks
        raise SheetError(f"not a readable .xlsx workbook ({type(exc).__name__})", file=str(path), expected="an Excel workbook (.xlsx)") from exc

    input_name = None
    header = None
    header_at = (1, 1)
    for sheet in values.worksheets:
        found = _find(sheet, lambda t: bool(HEADER.search(t)), limit=HEADER_ROWS)
        if found:
            input_name, header, header_at = sheet.title, HEADER.search(_text(sheet.cell(*found).value)), found
            break
    if header is None:
        first = values.worksheets[0].title
        raise SheetError(
            "no header line 'Monitoring Spreadsheet: JCM_<ID>_ver<NN.N>'",
            file=str(path),
            where=f"sheet {first!r}, cells A1:A{HEADER_ROWS}",
            expected="the header line of a Monitoring Report Sheet",
            found=repr(_text(values.worksheets[0]["A1"].value))[:80],
        )
    sheet = values[input_name]
    fsheet = formulas[input_name]
    out = ReportedSheet(path, header.group(1), header.group(2), _header_value(sheet, REFERENCE), input_name)
    out.title = _header_value(sheet, TITLE)
    out.participants = _header_value(sheet, PARTICIPANTS)
    out.header_cell = f"{get_column_letter(header_at[1])}{header_at[0]}"
    out.document_title = values.properties.title or ""

    def cell(ws_values: Any, ws_formulas: Any, row: int, col: int) -> Cell:
        raw = ws_formulas.cell(row, col).value
        formula = raw if isinstance(raw, str) and raw.startswith("=") else None
        shown = ws_values.cell(row, col)
        return Cell(ws_values.title, f"{get_column_letter(col)}{row}", shown.value, formula, shown.number_format or "General")

    found = _find(sheet, lambda t: bool(HEADER_PERIOD.match(t)), limit=HEADER_ROWS)
    if found:
        out.header_period = cell(sheet, fsheet, *found)

    # Table 1: the header row holds "(a) ..." to "(k) ...".
    found = _find(sheet, lambda t: t.startswith("(a)"))
    if found is None:
        raise SheetError("no Table 1 header '(a) Monitoring period'", file=str(path), where=f"sheet {input_name!r}", expected="Table 1 with columns (a) to (k)")
    head_row = found[0]
    columns: dict[str, int] = {}
    for col in range(1, sheet.max_column + 1):
        match = re.match(r"\(([a-k])\)", _text(sheet.cell(head_row, col).value))
        if match:
            columns[match.group(1)] = col
    missing = [c for c in "abcefg" if c not in columns]
    if missing:
        raise SheetError(f"Table 1 has no column ({missing[0]})", file=str(path), where=f"sheet {input_name!r}, row {head_row}", expected="columns (a) to (k)")
    for row in _table_rows(sheet, head_row + 1, list(columns.values())):
        out.table1.append(
            MonitoredRow(
                row=row,
                period=cell(sheet, fsheet, row, columns["a"]),
                point=_text(sheet.cell(row, columns["b"]).value),
                parameter=_text(sheet.cell(row, columns["c"]).value),
                value=cell(sheet, fsheet, row, columns["e"]),
                unit=cell(sheet, fsheet, row, columns["f"]),
                option=_text(sheet.cell(row, columns["g"]).value),
                source=_text(sheet.cell(row, columns["h"]).value) if "h" in columns else "",
                option_ref=f"'{input_name}'!{get_column_letter(columns['g'])}{row}",
            )
        )

    # Table 2: caption, then a header row with "Parameters" and "Values".
    found = _find(sheet, lambda t: t.startswith("Table 2"))
    if found:
        head = found[0] + 1
        names = _header_columns(sheet, head)
        pcol, vcol = _column(names, "parameters", "parameter"), _column(names, "values", "value")
        if pcol is None or vcol is None:
            raise SheetError("Table 2 has no 'Parameters' or 'Values' column", file=str(path), where=f"sheet {input_name!r}, row {head}", expected="a header row with Parameters and Values")
        mcol, ucol = names.get("unit i"), _column(names, "units", "unit")
        scol, tcol = _column(names, "source of data", "source"), _column(names, "status", "comments", "other comments")
        for row in _table_rows(sheet, head + 1, [pcol, vcol]):
            out.table2.append(
                FixedRow(
                    row=row,
                    parameter=_text(sheet.cell(row, pcol).value),
                    member=(_text(sheet.cell(row, mcol).value) or None) if mcol else None,
                    value=cell(sheet, fsheet, row, vcol),
                    unit=_text(sheet.cell(row, ucol).value) if ucol else "",
                    source=_text(sheet.cell(row, scol).value) if scol else "",
                    status=_text(sheet.cell(row, tcol).value) if tcol else "",
                )
            )

    # Table 3: caption, header row with "Emission reductions", then the data row.
    found = _find(sheet, lambda t: t.startswith("Table 3"))
    if found:
        head = found[0] + 1
        names = _header_columns(sheet, head)
        ecol = _column(names, "emission reductions")
        if ecol is None:
            raise SheetError("Table 3 has no 'Emission reductions' column", file=str(path), where=f"sheet {input_name!r}, row {head}")
        out.result = cell(sheet, fsheet, head + 1, ecol)
        pcol = _column(names, "monitoring period")
        if pcol:
            out.result_period = cell(sheet, fsheet, head + 1, pcol)

    # Credit allocation (optional): Party | Share [%] | Credits [tCO2] | Rounding.
    found = _find(sheet, lambda t: t.lower().startswith("credit allocation"))
    if found:
        head = found[0] + 1
        names = _header_columns(sheet, head)
        acol, scol, ccol, rcol = _column(names, "party"), _column(names, "share"), _column(names, "credits"), _column(names, "rounding")
        if acol and scol and ccol:
            for row in _table_rows(sheet, head + 1, [acol, ccol], blank_rows=1):
                party = _text(sheet.cell(row, acol).value)
                out.allocation.append(AllocationRow(party, cell(sheet, fsheet, row, scol), cell(sheet, fsheet, row, ccol), _text(sheet.cell(row, rcol).value) if rcol else ""))

    # The calculation-process sheet, when there is one.
    calc = next((ws for ws in values.worksheets if "calc" in ws.title.lower()), None)
    if calc is not None:
        fcalc = formulas[calc.title]
        out.calc_sheet = calc.title
        found = _find(calc, lambda t: t.lower() == "value" or t.lower() == "values")
        if found:
            head, vcol = found
            names = _header_columns(calc, head)
            pcol, dcol, ucol = _column(names, "parameter"), _column(names, "description"), _column(names, "units", "unit")
            for row in range(head + 1, calc.max_row + 1):
                param = _text(calc.cell(row, pcol).value) if pcol else ""
                if not param:
                    continue
                described = MEMBER.search(_text(calc.cell(row, dcol).value)) if dcol else None
                out.calc.append(CalcRow(row, param, described.group(1) if described else None, cell(calc, fcalc, row, vcol), _text(calc.cell(row, ucol).value) if ucol else ""))
    return out


def period_of(text: str) -> tuple[str, str] | None:
    """``"2021-01-01 to 2021-12-31"`` -> ``("2021-01-01", "2021-12-31")``; None if there is no period."""
    match = PERIOD.search(text or "")
    return (match.group(1), match.group(2)) if match else None
