"""Reading a Monitoring Report Sheet: ours, or one laid out by hand in the official columns.

The reader looks for labels, not positions: the header line "Monitoring Spreadsheet:
JCM_<ID>_ver<NN.N>", "Reference Number: <id>", the Table 1 header row whose cells start with
"(a)" ... "(k)", the "Table 2" and "Table 3" captions and their header rows, and, where there
is one, the calculation-process sheet's "Value" and "Parameter" columns. Every value keeps its
cell address, and both the stored value and the formula (if any) are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jcmwb.errors import SheetError

HEADER = re.compile(r"Monitoring Spreadsheet:\s*JCM_([A-Z]{2}_[AP]M\d{3})_ver(\d+\.\d+)")
REFERENCE = re.compile(r"Reference Number:\s*(.+)")
PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:to|-|–|~)\s*(\d{4}-\d{2}-\d{2})")
MEMBER = re.compile(r"\(([^()]+)\)\s*$")


@dataclass
class Cell:
    """One reported value: where it is, what it shows, and its formula if it has one."""

    sheet: str
    address: str
    value: Any
    formula: str | None = None

    @property
    def ref(self) -> str:
        return f"'{self.sheet}'!{self.address}"


@dataclass
class MonitoredRow:
    row: int
    period: Cell
    point: str
    parameter: str
    value: Cell
    unit: Cell
    option: str
    source: str


@dataclass
class FixedRow:
    row: int
    parameter: str
    member: str | None
    value: Cell
    unit: str
    source: str
    status: str


@dataclass
class CalcRow:
    row: int
    parameter: str
    member: str | None
    value: Cell
    unit: str


@dataclass
class ReportedSheet:
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


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _find(sheet: Any, predicate: Any, limit: int | None = None) -> tuple[int, int] | None:
    for row in sheet.iter_rows(max_row=limit):
        for cell in row:
            if isinstance(cell.value, str) and predicate(cell.value.strip()):
                return cell.row, cell.column
    return None


def read_sheet(path: str | Path) -> ReportedSheet:
    """Read a Monitoring Report Sheet; SheetError (naming the sheet and cell) if it cannot be read."""
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
    for sheet in values.worksheets:
        found = _find(sheet, lambda t: bool(HEADER.search(t)), limit=10)
        if found:
            input_name, header = sheet.title, HEADER.search(_text(sheet.cell(*found).value))
            break
    if header is None:
        first = values.worksheets[0].title
        raise SheetError(
            "no header line 'Monitoring Spreadsheet: JCM_<ID>_ver<NN.N>'",
            file=str(path),
            where=f"sheet {first!r}, cells A1:A10",
            expected="the header line of a Monitoring Report Sheet",
            found=repr(_text(values.worksheets[0]["A1"].value))[:80],
        )
    sheet = values[input_name]
    fsheet = formulas[input_name]
    ref = _find(sheet, lambda t: bool(REFERENCE.match(t)), limit=10)
    reference = REFERENCE.match(_text(sheet.cell(*ref).value)).group(1).strip() if ref else ""
    out = ReportedSheet(path, header.group(1), header.group(2), reference, input_name)

    def cell(ws_values: Any, ws_formulas: Any, row: int, col: int) -> Cell:
        raw = ws_formulas.cell(row, col).value
        formula = raw if isinstance(raw, str) and raw.startswith("=") else None
        return Cell(ws_values.title, f"{get_column_letter(col)}{row}", ws_values.cell(row, col).value, formula)

    # Table 1: the header row holds "(a) ..." to "(k) ...".
    found = _find(sheet, lambda t: t.startswith("(a)"))
    if found is None:
        raise SheetError("no Table 1 header '(a) Monitoring period'", file=str(path), where=f"sheet {input_name!r}", expected="Table 1 with columns (a) to (k)")
    head_row = found[0]
    columns: dict[str, int] = {}
    for col in range(1, sheet.max_column + 1):
        label = _text(sheet.cell(head_row, col).value)
        match = re.match(r"\(([a-k])\)", label)
        if match:
            columns[match.group(1)] = col
    missing = [c for c in "abcefg" if c not in columns]
    if missing:
        raise SheetError(f"Table 1 has no column ({missing[0]})", file=str(path), where=f"sheet {input_name!r}, row {head_row}", expected="columns (a) to (k)")
    row = head_row + 1
    while row <= sheet.max_row:
        param = _text(sheet.cell(row, columns["c"]).value)
        if not param:
            break
        out.table1.append(
            MonitoredRow(
                row=row,
                period=cell(sheet, fsheet, row, columns["a"]),
                point=_text(sheet.cell(row, columns["b"]).value),
                parameter=param,
                value=cell(sheet, fsheet, row, columns["e"]),
                unit=cell(sheet, fsheet, row, columns["f"]),
                option=_text(sheet.cell(row, columns["g"]).value),
                source=_text(sheet.cell(row, columns["h"]).value) if "h" in columns else "",
            )
        )
        row += 1

    # Table 2: caption, then a header row with "Parameters" and "Values".
    found = _find(sheet, lambda t: t.startswith("Table 2"))
    if found:
        head = found[0] + 1
        names = {_text(sheet.cell(head, c).value).lower(): c for c in range(1, sheet.max_column + 1)}
        pcol = names.get("parameters") or names.get("parameter")
        vcol = names.get("values") or names.get("value")
        if pcol is None or vcol is None:
            raise SheetError("Table 2 has no 'Parameters' or 'Values' column", file=str(path), where=f"sheet {input_name!r}, row {head}")
        mcol = names.get("unit i")
        ucol = names.get("units")
        scol = names.get("source of data")
        tcol = names.get("status / comments") or names.get("comments")
        row = head + 1
        while row <= sheet.max_row and _text(sheet.cell(row, pcol).value):
            out.table2.append(
                FixedRow(
                    row=row,
                    parameter=_text(sheet.cell(row, pcol).value),
                    member=_text(sheet.cell(row, mcol).value) or None if mcol else None,
                    value=cell(sheet, fsheet, row, vcol),
                    unit=_text(sheet.cell(row, ucol).value) if ucol else "",
                    source=_text(sheet.cell(row, scol).value) if scol else "",
                    status=_text(sheet.cell(row, tcol).value) if tcol else "",
                )
            )
            row += 1

    # Table 3: caption, header row with "Emission reductions", then the data row.
    found = _find(sheet, lambda t: t.startswith("Table 3"))
    if found:
        head = found[0] + 1
        names = {_text(sheet.cell(head, c).value).lower(): c for c in range(1, sheet.max_column + 1)}
        ecol = next((c for n, c in names.items() if n.startswith("emission reductions")), None)
        if ecol is None:
            raise SheetError("Table 3 has no 'Emission reductions' column", file=str(path), where=f"sheet {input_name!r}, row {head}")
        out.result = cell(sheet, fsheet, head + 1, ecol)
        pcol = next((c for n, c in names.items() if n.startswith("monitoring period")), None)
        if pcol:
            out.result_period = cell(sheet, fsheet, head + 1, pcol)

    # The calculation-process sheet, when there is one.
    calc = next((ws for ws in values.worksheets if "calc" in ws.title.lower()), None)
    if calc is not None:
        fcalc = formulas[calc.title]
        out.calc_sheet = calc.title
        found = _find(calc, lambda t: t == "Value")
        if found:
            head, vcol = found
            names = {_text(calc.cell(head, c).value).lower(): c for c in range(1, calc.max_column + 1)}
            pcol, dcol, ucol = names.get("parameter"), names.get("description"), names.get("units")
            for row in range(head + 1, calc.max_row + 1):
                param = _text(calc.cell(row, pcol).value) if pcol else ""
                if not param:
                    continue
                described = MEMBER.search(_text(calc.cell(row, dcol).value)) if dcol else None
                out.calc.append(CalcRow(row, param, described.group(1) if described else None, cell(calc, fcalc, row, vcol), _text(calc.cell(row, ucol).value) if ucol else ""))
    return out


def period_of(text: str) -> tuple[str, str] | None:
    match = PERIOD.search(text or "")
    return (match.group(1), match.group(2)) if match else None
