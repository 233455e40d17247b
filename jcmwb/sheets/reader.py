"""Reading a Monitoring Report Sheet: ours, or one laid out by hand in the official columns.

The reader looks for labels, not positions: the header line "Monitoring Spreadsheet:
JCM_<ID>_ver<NN.N>", "Reference Number: <id>" (and, when present, "Title of the project:"
and "Project participants:"), the Table 1 header row whose cells start with "(a)" ...
"(k)", the "Table 2" and "Table 3" captions and their header rows, an optional "Credit
allocation" table, and, where there is one, the calculation-process sheet's "Value" and
"Parameter" columns.

The columns of Table 2, Table 3, the credit allocation and the calculation sheet are read
by meaning: a header is compared after ``header_key`` drops its letter prefix ("(c)",
"c)"), case, spacing, line breaks and trailing colons, with the words of each meaning in
``TABLE2_HEADERS`` (and the tables beside it); "(c) Estimated\nValues" is the column of
values as "Values" is. A Table 2 without a column of parameters or of values is refused,
naming the header cell jcmwb could not read; another column it cannot read is listed in
``ReportedSheet.unread_columns``. Every value keeps its cell address, its number format and, when it has
one, its formula: the workbook is opened twice, with ``data_only=True`` for what the sheet
shows (a formula's cached value) and ``data_only=False`` for the formulas.

A table ends at the next caption ("Table ...", "Credit allocation ...") or at the end of the
sheet; blank rows inside a table are skipped, so a row cleared by hand does not hide the rows
below it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jcmwb.engine.errors import DataError, SheetError
from jcmwb.engine.files import MB, check_workbook, read_input

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
# A Monitoring Report Sheet is a form of a few tables (jcmwb's are about 10 kB; a hand-made one
# with logos a few MB). A larger file, or one unpacking to more than XLSX_UNPACK_FACTOR times it,
# is refused before openpyxl holds it in memory (twice: values and formulas).
MAX_SHEET_BYTES = 32 * MB
LETTER = re.compile(r"^\(\s*([a-k])\s*\)", re.IGNORECASE)  # Table 1's "(a)" ... "(k)"
PREFIX = re.compile(r"^(?:\(\s*[a-z]\s*\)|[a-z]\))\s*|^[a-z]\.\s+")  # a column's letter: "(c)", "( c )", "c)", "c. "

# What each column means, by the words its header may use (compared after ``header_key``;
# a header may go on after them: "Values (tCO2/MWh)"). The longest match wins.
TABLE2_HEADERS: dict[str, tuple[str, ...]] = {
    "parameter": ("parameters", "parameter", "parameter symbol", "symbol", "data / parameter", "data/parameter", "data or parameter"),
    "member": ("unit i", "member", "index", "monitoring point", "monitoring point no", "point"),
    "description": ("description of data", "description", "data description", "description of parameter", "parameter description"),
    "value": (
        "values", "value", "estimated values", "estimated value", "values applied", "value applied", "fixed values", "fixed value",
        "default values", "default value", "selected values", "selected value", "ex ante values", "ex-ante values", "value of data", "data value",
    ),
    "unit": ("units", "unit", "unit of data", "units of data", "unit of measure"),
    "source": ("source of data", "source", "sources", "data source", "source of the data", "source of data used"),
    "status": ("status / comments", "status/comments", "status", "comments", "comment", "other comments", "remarks", "notes", "note"),
}
TABLE3_HEADERS: dict[str, tuple[str, ...]] = {
    "period": ("monitoring period", "period"),
    "result": ("emission reductions", "emission reduction", "ex-post emission reductions", "ex post emission reductions", "er_p"),
    "unit": ("units", "unit"),
}
ALLOCATION_HEADERS: dict[str, tuple[str, ...]] = {
    "party": ("party", "parties"),
    "share": ("share", "shares"),
    "credits": ("credits", "credit"),
    "rounding": ("rounding",),
}
CALC_HEADERS: dict[str, tuple[str, ...]] = {
    "parameter": ("parameter", "parameters", "symbol"),
    "description": ("description", "description of data"),
    "unit": ("units", "unit"),
    "value": ("value", "values"),
}


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
    unread_columns: list[tuple[str, str]] = field(default_factory=list)  # ('Sheet'!A1, header) of Table 2 columns not read

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


def header_key(text: Any) -> str:
    """A column header as its meaning is looked up: no letter prefix, case, spacing, line breaks.

    Examples
    --------
    >>> header_key("(c)\nEstimated   Values:")
    'estimated values'
    >>> header_key("  b) Description of data ")
    'description of data'
    """
    key = " ".join(_text(text).lower().split())
    return PREFIX.sub("", key, count=1).strip(" :.*")


def meaning(text: Any, table: dict[str, tuple[str, ...]]) -> str | None:
    """What a header means in ``table`` (``TABLE2_HEADERS``, ...), or None when it is none of them."""
    key = header_key(text)
    best, length = None, -1
    for name, words in table.items():
        for word in words:
            word = header_key(word)
            if (key == word or (key.startswith(word) and not key[len(word)].isalnum())) and len(word) > length:
                best, length = name, len(word)
    return best


def _columns(sheet: Any, row: int, table: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Meaning -> column of a header row (the first column of each meaning), and the headers that mean nothing in ``table``."""
    found: dict[str, int] = {}
    unread: list[tuple[int, str]] = []
    for col in range(1, sheet.max_column + 1):
        text = _text(sheet.cell(row, col).value)
        if not text:
            continue
        name = meaning(text, table)
        if name is None:
            unread.append((col, text))
        else:
            found.setdefault(name, col)
    return found, unread


def _head_row(sheet: Any, caption: int) -> int:
    """The header row of the table captioned in row ``caption``: the next row that is not blank (at most 3 down)."""
    for row in range(caption + 1, min(caption + 3, sheet.max_row) + 1):
        if _is_caption(sheet, row):
            break
        if any(_text(c.value) for c in sheet[row]):
            return row
    return caption + 1


def _table2_columns(sheet: Any, head: int, path: Path) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Table 2's columns by meaning; refused when there is no column of parameters or of values."""
    columns, unread = _columns(sheet, head, TABLE2_HEADERS)
    for name, what, such in (("parameter", "parameters", "'Parameters' or 'Parameter'"), ("value", "values", "'Values', 'Estimated Values' or 'Value applied'")):
        if name in columns:
            continue
        expected = f"a header such as {such} (letter prefixes, case, spacing and line breaks do not matter)"
        if unread:  # the header jcmwb could not read is, most likely, this column
            col, text = unread[0]
            where = f"'{sheet.title}'!{get_column_letter(col)}{head}"
            raise SheetError(f"Table 2 has no column of {what}: this header is not one jcmwb reads", file=str(path), where=where, expected=expected, found=repr(text)[:80])
        where = f"'{sheet.title}'!A{head}:{get_column_letter(max(sheet.max_column, 1))}{head}"
        raise SheetError(f"Table 2 has no column of {what}", file=str(path), where=where, expected=expected, found="no such header in the row below the caption")
    return columns, unread


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
    data = read_input(path, limit=MAX_SHEET_BYTES, error=SheetError, what="workbook")
    try:
        check_workbook(data, str(path), limit=MAX_SHEET_BYTES, csv=False)
    except DataError as exc:  # the same refusal, as the sheet reader's error
        raise SheetError(exc.message, file=exc.file, expected=exc.expected, found=exc.found) from None
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
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
    found = _find(sheet, lambda t: (m := LETTER.match(t)) is not None and m.group(1).lower() == "a")
    if found is None:
        raise SheetError("no Table 1 header '(a) Monitoring period'", file=str(path), where=f"sheet {input_name!r}", expected="Table 1 with columns (a) to (k)")
    head_row = found[0]
    columns: dict[str, int] = {}
    for col in range(1, sheet.max_column + 1):
        match = LETTER.match(_text(sheet.cell(head_row, col).value))
        if match:
            columns.setdefault(match.group(1).lower(), col)
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

    # Table 2: caption, then a header row read by meaning (parameters and values at least).
    found = _find(sheet, lambda t: t.lower().startswith("table 2"))
    if found:
        head = _head_row(sheet, found[0])
        names, unread = _table2_columns(sheet, head, path)
        out.unread_columns = [(f"'{input_name}'!{get_column_letter(col)}{head}", text) for col, text in unread]
        pcol, vcol, mcol, ucol, scol, tcol = (names.get(m) for m in ("parameter", "value", "member", "unit", "source", "status"))
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
    found = _find(sheet, lambda t: t.lower().startswith("table 3"))
    if found:
        head = _head_row(sheet, found[0])
        names, _ = _columns(sheet, head, TABLE3_HEADERS)
        ecol = names.get("result")
        if ecol is None:
            raise SheetError("Table 3 has no 'Emission reductions' column", file=str(path), where=f"sheet {input_name!r}, row {head}")
        out.result = cell(sheet, fsheet, head + 1, ecol)
        pcol = names.get("period")
        if pcol:
            out.result_period = cell(sheet, fsheet, head + 1, pcol)

    # Credit allocation (optional): Party | Share [%] | Credits [tCO2] | Rounding.
    found = _find(sheet, lambda t: t.lower().startswith("credit allocation"))
    if found:
        head = found[0] + 1
        names, _ = _columns(sheet, head, ALLOCATION_HEADERS)
        acol, scol, ccol, rcol = (names.get(m) for m in ("party", "share", "credits", "rounding"))
        if acol and scol and ccol:
            for row in _table_rows(sheet, head + 1, [acol, ccol], blank_rows=1):
                party = _text(sheet.cell(row, acol).value)
                out.allocation.append(AllocationRow(party, cell(sheet, fsheet, row, scol), cell(sheet, fsheet, row, ccol), _text(sheet.cell(row, rcol).value) if rcol else ""))

    # The calculation-process sheet, when there is one.
    calc = next((ws for ws in values.worksheets if "calc" in ws.title.lower()), None)
    if calc is not None:
        fcalc = formulas[calc.title]
        out.calc_sheet = calc.title
        found = _find(calc, lambda t: header_key(t) in ("value", "values"))
        if found:
            head, vcol = found
            names, _ = _columns(calc, head, CALC_HEADERS)
            pcol, dcol, ucol = (names.get(m) for m in ("parameter", "description", "unit"))
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
