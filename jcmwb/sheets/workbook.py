"""The Monitoring Report Sheet (MRS): a renderer of a computed Result.

Layout, after the Monitoring Report Sheet of the JCM methodology spreadsheets (a published MRS
of project ID009, JCM_ID_AM002_ver02.0, confirms Table 1's columns):

``MRS(input)``
    header lines "Monitoring Spreadsheet: JCM_<ID>_ver<NN.N>" and "Reference Number: <id>";
    Table 1, parameters monitored ex post, columns (a) to (k), one row per parameter and
    monitoring point (a reported-only parameter the period leaves out: one row reading "not
    given"); Table 2, parameters fixed ex ante (project-specific values and the
    selected defaults, with source and status); Table 3, the ex-post result.
``MRS(calc_process)``
    numbered blocks 1-4 with columns description | fuel type | value | units | parameter,
    plus the formula in the methodology's notation and a note. Every value in it is a live
    formula over the input cells.
``Data quality``
    eligibility answers, gaps, corrections, warnings and notes.

Every calculated cell is written with its formula *and* the engine's value, so openpyxl
(``data_only=True``) reads numbers and a forced recalculation in a spreadsheet gives the
same ones. The workbook renders; it never computes: formulas come from
``Formula.to_excel`` and values from the Result. Document properties carry a fixed date,
so the same Result gives a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

from jcmwb import __version__
from jcmwb.engine.atomic import write_atomically
from jcmwb.engine.compute import NOT_GIVEN, REPORTED_ONLY, not_given
from jcmwb.engine.numbers import ALLOCATION_SLACK, excel_rounding, format_number
from jcmwb.engine.spec import BLOCK_TITLES, BLOCKS
from jcmwb.sheets.common import Formats, absolute, column_titles, new_workbook, widths

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

INPUT_SHEET = "MRS(input)"
CALC_SHEET = "MRS(calc_process)"
QUALITY_SHEET = "Data quality"

TABLE1_COLUMNS = (
    "(a) Monitoring period",
    "(b) Monitoring point No.",
    "(c) Parameters",
    "(d) Description of data",
    "(e) Monitored values",
    "(f) Units",
    "(g) Monitoring option",
    "(h) Source of data",
    "(i) Measurement methods and procedures",
    "(j) Monitoring frequency",
    "(k) Other comments",
)
TABLE2_COLUMNS = ("Parameters", "Unit i", "Description of data", "Values", "Units", "Source of data", "Status / comments")
TABLE3_COLUMNS = ("Monitoring period", "Emission reductions", "Units")
CALC_COLUMNS = ("Description", "Fuel type", "Value", "Units", "Parameter", "Formula", "Note")
# Column positions of the values (``layout``); the reader finds the columns by their titles.
T1_VALUE_COL = 4
T2_VALUE_COL = 3
CALC_VALUE_COL = 2
PROVISIONAL_NOTE = "PROVISIONAL default: not yet confirmed against the official methodology"


def plain_symbol(symbol: str) -> str:
    """``EG_{i,p}`` -> ``EG_i,p``: the symbol as a spreadsheet cell prints it."""
    return symbol.replace("{", "").replace("}", "").replace("\\", "")


def header_line(spec_id: str, version: str) -> str:
    return f"Monitoring Spreadsheet: JCM_{spec_id}_ver{version}"


def document_date(result: Result) -> dt.datetime:
    """The fixed creation date of the document: the end of the monitoring period."""
    return dt.datetime.combine(result.period.end, dt.time())


@dataclass(frozen=True)
class Placed:
    """One cell the MRS lays out: what it holds and where (row and column 0-based, as XlsxWriter counts).

    ``kind`` is ``monitored`` (Table 1; ``member`` is the monitoring point), ``not_given`` (the
    Table 1 row of a reported-only parameter the period leaves out), ``fixed`` (Table 2),
    ``result`` (Table 3's ER_p), ``block`` (a block title of the calculation sheet; ``name`` is
    the title), ``equation``, or ``default`` (a default repeated on the calculation sheet).
    """

    kind: str
    name: str
    member: str | None
    sheet: str
    row: int
    col: int

    @property
    def ref(self) -> str:
        """``'MRS(input)'!$E$9``: the absolute reference a formula uses."""
        return absolute(self.sheet, self.row, self.col)


@dataclass
class Layout:
    """Where the MRS of one Result puts each value, and the formula of each calculated cell.

    Made by ``layout`` without a workbook: the writer fills the cells it names, and ``jcmwb
    verify`` takes from it the formulas a submitted sheet should hold.

    Attributes
    ----------
    cells
        Every value cell and block title, in the order the writer fills them.
    captions
        Row of the caption of ``table1``, ``table2``, ``table3`` (input sheet) and of the column
        titles of ``calc`` (calculation sheet).
    formulas
        The formula text (``=...``) of each calculated cell: equations, defaults, Table 3.
    refs
        ``(name, member) -> 'Sheet'!$C$9`` of each value a formula can use: Table 1, Table 2
        and the equations (``member`` None for a value without an index).
    """

    cells: list[Placed] = field(default_factory=list)
    captions: dict[str, int] = field(default_factory=dict)
    formulas: dict[Placed, str] = field(default_factory=dict)
    refs: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _at: dict[tuple[str, str, str | None], Placed] = field(default_factory=dict, repr=False)

    def place(self, kind: str, name: str, member: str | None, sheet: str, row: int, col: int) -> int:
        """Lay out one cell; returns the next row."""
        cell = Placed(kind, name, member, sheet, row, col)
        self.cells.append(cell)
        self._at[(kind, name, member)] = cell
        if kind in ("monitored", "fixed", "equation"):
            self.refs[(name, member)] = cell.ref
        return row + 1

    def row(self, kind: str, name: str, member: str | None = None) -> int:
        """The row of a cell laid out by ``place``."""
        return self._at[(kind, name, member)].row

    @property
    def result(self) -> Placed:
        """Table 3's ER_p cell."""
        return next(c for c in self.cells if c.kind == "result")

    @property
    def calc(self) -> list[Placed]:
        """The rows of the calculation sheet, block titles included, top to bottom."""
        return [c for c in self.cells if c.sheet == CALC_SHEET]

    def ref(self, name: str, binding: dict[str, str], index: str | None) -> str:
        """The reference a formula uses for ``name`` under ``binding`` (``{index: member}``)."""
        member = binding.get(index) if index else None
        key = (name, member)
        if key not in self.refs and member is None:
            # A parameter without an index that has exactly one row.
            rows = [k for k in self.refs if k[0] == name]
            if len(rows) == 1:
                key = rows[0]
        return self.refs[key]


def layout(result: Result) -> Layout:
    """Lay out the Monitoring Report Sheet of ``result``: the cell of every value, every formula.

    Pure: no workbook is made. ``write_workbook`` writes where it says, and ``jcmwb verify``
    compares a submitted sheet's formulas with these, without writing a sheet to read it back.

    Parameters
    ----------
    result
        The computed monitoring period.

    Returns
    -------
    Layout
        The cells, caption rows, formula texts and references (see ``Layout``).
    """
    spec = result.spec
    lay = Layout()
    first = len(_header_lines(result)) + 1  # the header lines and a blank row, on both sheets
    lay.captions["table1"] = first
    row = first + 2  # the caption, then the column titles
    for name, series in result.monitored.items():
        for point in series.points:
            row = lay.place("monitored", name, point, INPUT_SHEET, row, T1_VALUE_COL)
    for name in not_given(spec, result.period):  # reported only, left out of the period: a row that says so
        row = lay.place("not_given", name, None, INPUT_SHEET, row, T1_VALUE_COL)
    lay.captions["table2"] = row + 1  # after a blank row
    row += 3
    for name, fixed in result.fixed.items():
        for member in _members(fixed.value):
            row = lay.place("fixed", name, member, INPUT_SHEET, row, T2_VALUE_COL)
    lay.captions["table3"] = row + 1
    lay.place("result", spec.result, None, INPUT_SHEET, row + 3, 1)

    lay.captions["calc"] = first
    row = first + 1
    for number, block in enumerate(BLOCKS, start=1):
        row = lay.place("block", f"{number}. {BLOCK_TITLES[block]}", None, CALC_SHEET, row, 0)
        if block == "defaults":
            for name, fixed in result.fixed.items():
                if spec.parameters[name].kind == "fixed_default":
                    for member in _members(fixed.value):
                        row = lay.place("default", name, member, CALC_SHEET, row, CALC_VALUE_COL)
            continue
        for name, eq in spec.equations.items():
            if eq.block == block:
                for member in result.indices.get(eq.index, []) if eq.index else [None]:
                    row = lay.place("equation", name, member, CALC_SHEET, row, CALC_VALUE_COL)

    # Formulas once every cell has its place: a formula may use an equation laid out further down.
    symbols = spec.symbols()

    def ref(name: str, binding: dict[str, str]) -> str:
        return lay.ref(name, binding, symbols[name].index)

    for cell in lay.cells:
        if cell.kind == "equation":
            eq = spec.equations[cell.name]
            binding = {eq.index: cell.member} if eq.index and cell.member else {}
            body = eq.formula.to_excel(ref, symbols, result.indices, eq.unit, binding)
            lay.formulas[cell] = "=" + excel_finish(body, eq.rounding, eq.floor_at_zero)
        elif cell.kind in ("default", "result"):  # a default shows its Table 2 cell; Table 3 shows ER_p
            lay.formulas[cell] = "=" + lay.refs[(cell.name, cell.member)]
    return lay


def write_workbook(result: Result, path: Path) -> Path:
    """Write the Monitoring Report Sheet of ``result`` to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, lambda tmp: _write(result, tmp), suffix=".xlsx")


def _write(result: Result, path: Path) -> None:
    spec = result.spec
    book = new_workbook(path, f"Monitoring Report Sheet JCM_{spec.id}_ver{result.version} {result.period.project_id} {result.period.label}", document_date(result))
    fmt = Formats(book)
    lay = layout(result)
    input_sheet = book.add_worksheet(INPUT_SHEET)
    calc_sheet = book.add_worksheet(CALC_SHEET)
    quality_sheet = book.add_worksheet(QUALITY_SHEET)

    _write_input(result, input_sheet, fmt, lay)
    _write_calc(result, calc_sheet, fmt, lay)
    input_sheet.write_formula(lay.result.row, lay.result.col, lay.formulas[lay.result], fmt.result, result.er)
    _write_quality(result, quality_sheet, fmt)
    book.close()


def _header_lines(result: Result) -> list[tuple[str, str | None]]:
    """The lines above the tables of both sheets, each with its format's name (the layout counts them)."""
    spec, period = result.spec, result.period
    lines: list[tuple[str, str | None]] = [
        (header_line(spec.id, result.version), "title"),
        (f"Reference Number: {period.project_id}", "bold"),
        (f"Title of the project: {period.project_title}", None),
        (f"Methodology: JCM_{spec.id}_ver{result.version} {spec.title}", None),
    ]
    if spec.structure_inferred:  # the whole warning is in the Data quality sheet's Warnings
        lines.append((f"WARNING: STRUCTURE INFERRED: the equations of JCM_{spec.id} are inferred from its family, the official methodology text was not seen. Confirm them before use.", "warning"))
    if result.provisional:
        lines.append(("WARNING: PROVISIONAL default value(s) used: " + ", ".join(result.provisional) + ". Not yet confirmed against the official methodology.", "warning"))
    return lines


def _headers(result: Result, sheet: Any, fmt: Formats) -> None:
    for row, (text, style) in enumerate(_header_lines(result)):
        sheet.write(row, 0, text, getattr(fmt, style) if style else None)


def _write_input(result: Result, sheet: Any, fmt: Formats, lay: Layout) -> int:
    spec, period = result.spec, result.period
    widths(sheet, (0, 0, 24), (1, 2, 16), (3, 3, 40), (4, 6, 14), (7, 10, 36))
    _headers(result, sheet, fmt)

    row = lay.captions["table1"]
    sheet.write(row, 0, "Table 1: Parameters monitored ex post", fmt.bold)
    column_titles(sheet, row + 1, TABLE1_COLUMNS, fmt.head)
    period_text = f"{period.start.isoformat()} to {period.end.isoformat()}"
    for name, series in result.monitored.items():
        param = spec.parameters[name]
        item = period.monitored[name]
        values = result.values[name]
        for point, pdata in series.points.items():
            row = lay.row("monitored", name, point)
            value = values[point] if isinstance(values, dict) else values
            calibration = [f"calibrated {c.date.isoformat()}, error {c.error_percent:+g}%" for c in item.calibration if c.point == point]
            label = "category" if param.categories or param.split_by else "point"
            comments = [f"{label}: {pdata.description}"] if pdata.description and pdata.description != point else []
            raw = result.raw_totals[name][point]
            fixes = [c for c in result.corrections if c.parameter == name and c.point == point]
            if fixes:
                comments.append(f"raw total {format_number(raw, 6)} {series.unit}")
                comments.extend("correction: " + c.describe() for c in fixes)
            if pdata.parts:  # a parameter split by day category: what each meter contributed
                comments.append("by point: " + ", ".join(f"{p} {format_number(v, 6)} {series.unit}" for p, v in pdata.parts.items()))
            if pdata.detail:
                comments.append(pdata.detail)
            comments.extend("gap: " + g.describe() for g in pdata.gaps)
            if pdata.excluded:
                comments.append(f"{pdata.excluded} value(s) outside the period excluded")
            if item.comments:
                comments.append(item.comments)
            if param.reported_only:
                comments.append(REPORTED_ONLY)
            frequency = param.frequency or ""
            if series.interval:
                frequency = f"{frequency}; {series.interval} data".strip("; ")
            cols = [
                period_text,
                point,
                plain_symbol(param.symbol),
                str(param.description),
                None,
                param.unit,
                series.option,
                item.source or pdata.rows,
                "; ".join([param.measurement, *calibration]).strip("; "),
                frequency,
                "\n".join(comments),
            ]
            if item.source:
                cols[7] = f"{item.source} ({pdata.rows})"
            for col, text in enumerate(cols):
                if col == T1_VALUE_COL:
                    sheet.write_number(row, col, value, fmt.input)
                else:
                    sheet.write_string(row, col, text, fmt.text)
    for name in not_given(spec, period):
        param = spec.parameters[name]
        comment = f"{NOT_GIVEN} in the monitoring-period file; {REPORTED_ONLY}, so {spec.result} does not depend on it"
        cols = [period_text, "", plain_symbol(param.symbol), str(param.description), NOT_GIVEN, param.unit, "", "", param.measurement, param.frequency, comment]
        for col, text in enumerate(cols):
            sheet.write_string(lay.row("not_given", name), col, text, fmt.text)

    row = lay.captions["table2"]
    sheet.write(row, 0, "Table 2: Parameters fixed ex ante (project-specific values and selected default values)", fmt.bold)
    column_titles(sheet, row + 1, TABLE2_COLUMNS, fmt.head)
    for name, fixed in result.fixed.items():
        param = spec.parameters[name]
        members = list(fixed.value.items()) if isinstance(fixed.value, dict) else [(None, fixed.value)]
        if fixed.status == "provisional":
            status = PROVISIONAL_NOTE
        elif fixed.status == "confirmed":
            status = "default (confirmed)"
        else:
            status = "project-specific value"
        if fixed.choice:
            status += f"; option: {fixed.choice}; applies from {fixed.applies_from}"
        for member, value in members:
            row = lay.row("fixed", name, member)
            sheet.write_string(row, 0, plain_symbol(param.symbol), fmt.text)
            sheet.write_string(row, 1, member or "", fmt.text)
            sheet.write_string(row, 2, str(param.description), fmt.text)
            sheet.write_number(row, T2_VALUE_COL, value, fmt.provisional if fixed.status == "provisional" else fmt.input)
            sheet.write_string(row, 4, param.unit, fmt.text)
            sheet.write_string(row, 5, fixed.member_sources.get(member, fixed.source) if member else fixed.source, fmt.text)
            sheet.write_string(row, 6, status, fmt.warn_text if fixed.status == "provisional" else fmt.text)

    row = lay.captions["table3"]
    sheet.write(row, 0, "Table 3: Ex-post calculation of CO2 emission reductions", fmt.bold)
    column_titles(sheet, row + 1, TABLE3_COLUMNS, fmt.head)
    er_row = lay.result.row
    sheet.write_string(er_row, 0, period_text, fmt.text)
    sheet.write_string(er_row, 2, spec.equations[spec.result].unit, fmt.text)
    row = er_row + 2
    if result.allocation and period.allocation is not None:
        row = _write_allocation(result, sheet, fmt, row, xl_rowcol_to_cell(er_row, 1))
    sheet.write(row, 0, "Values in yellow are inputs; every other number in this workbook is a formula over them.")
    sheet.write(row + 1, 0, f"Written by jcmwb {__version__} from methodology spec sha256 {spec.sha256}.")
    return er_row


def _write_allocation(result: Result, sheet: Any, fmt: Formats, row: int, er_cell: str) -> int:
    """Credits per party, as live formulas over Table 3 and each party's share cell: the split
    is an input, so editing a share in the sheet recalculates the credits."""
    split = result.period.allocation
    sheet.write(row, 0, "Credit allocation (as in the Credit Allocation form; the parts add up to the emission reductions)", fmt.bold)
    row += 1
    column_titles(sheet, row, ("Party", "Share [%]", "Credits [tCO2]", "Rounding"), fmt.head)
    row += 1
    cells: dict[str, str] = {}
    first = row
    for party in split.shares:
        cells[party] = xl_rowcol_to_cell(row, 2)
        row += 1
    row = first
    for party, share in split.shares.items():
        exact = f"{er_cell}*{xl_rowcol_to_cell(row, 1)}/100"
        if party == split.remainder:
            others = [c for p, c in cells.items() if p != party]
            formula, rule = f"={er_cell}-SUM({','.join(others)})" if others else f"={er_cell}", "the remainder"
        else:
            rule = split.rounding.get(party, "down")
            formula = "=" + excel_rounding(exact, rule, slack=ALLOCATION_SLACK)
        sheet.write_string(row, 0, party, fmt.text)
        sheet.write_number(row, 1, share, fmt.input)
        sheet.write_formula(row, 2, formula, fmt.result, result.allocation[party])
        sheet.write_string(row, 3, rule, fmt.text)
        row += 1
    return row + 1


def _write_calc(result: Result, sheet: Any, fmt: Formats, lay: Layout) -> None:
    spec = result.spec
    widths(sheet, (0, 0, 48), (1, 1, 12), (2, 2, 16), (3, 4, 14), (5, 5, 44), (6, 6, 40))
    _headers(result, sheet, fmt)
    column_titles(sheet, lay.captions["calc"], CALC_COLUMNS, fmt.head)

    for cell in lay.calc:
        row, name, member = cell.row, cell.name, cell.member
        if cell.kind == "block":
            sheet.merge_range(row, 0, row, len(CALC_COLUMNS) - 1, name, fmt.block)
            continue
        if cell.kind == "default":
            param = spec.parameters[name]
            fixed = result.fixed[name]
            label = str(param.description) + (f" ({member})" if member else "")
            value = fixed.value[member] if member else fixed.value
            provisional = fixed.status == "provisional"
            sheet.write_string(row, 0, label, fmt.text)
            sheet.write_string(row, 1, param.fuel_type, fmt.text)
            sheet.write_formula(row, CALC_VALUE_COL, lay.formulas[cell], fmt.provisional if provisional else fmt.number, value)
            sheet.write_string(row, 3, param.unit, fmt.text)
            sheet.write_string(row, 4, plain_symbol(param.symbol), fmt.text)
            sheet.write_string(row, 5, f"option: {fixed.choice}" if fixed.choice else "", fmt.text)
            sheet.write_string(row, 6, PROVISIONAL_NOTE if provisional else f"default ({fixed.status})", fmt.warn_text if provisional else fmt.text)
            continue
        eq = spec.equations[name]
        value = result.values[name][member] if member else result.values[name]
        node = result.nodes[name]
        label = str(eq.description) + (f" ({member})" if member else "")
        notes = []
        if node.provisional:
            notes.append("uses a PROVISIONAL default")
        notes.extend(node.notes)
        sheet.write_string(row, 0, label, fmt.text)
        sheet.write_string(row, 1, eq.fuel_type, fmt.text)
        sheet.write_formula(row, CALC_VALUE_COL, lay.formulas[cell], fmt.result if name == spec.result else fmt.number, value)
        sheet.write_string(row, 3, eq.unit, fmt.text)
        sheet.write_string(row, 4, plain_symbol(eq.symbol), fmt.text)
        sheet.write_string(row, 5, f"{name} = {eq.formula.text}" + (f" (rounded {eq.rounding})" if eq.rounding != "none" else "") + (" (not below zero)" if eq.floor_at_zero else ""), fmt.text)
        sheet.write_string(row, 6, "; ".join(notes), fmt.warn_text if node.provisional else fmt.text)


def _members(value: Any) -> list[str | None]:
    return list(value) if isinstance(value, dict) else [None]


def excel_finish(body: str, rounding: str, floor_at_zero: bool) -> str:
    """The spreadsheet form of ``jcmwb.engine.compute.finish``."""
    body = excel_rounding(body, rounding)
    if floor_at_zero:
        body = f"MAX({body},0)"
    return body


def _write_quality(result: Result, sheet: Any, fmt: Formats) -> None:
    spec, period = result.spec, result.period
    widths(sheet, (0, 0, 14), (1, 1, 90), (2, 2, 14))
    sheet.write(0, 0, header_line(spec.id, result.version), fmt.title)
    row = 2
    sheet.write(row, 0, "Eligibility criteria", fmt.bold)
    row += 1
    column_titles(sheet, row, ("Criterion", "Text", "Answer"), fmt.head)
    row += 1
    for criterion in spec.eligibility:
        answer = period.eligibility.get(criterion.id)
        text = "not answered" if answer is None else ("yes" if answer else "NO")
        sheet.write_string(row, 0, criterion.id, fmt.text)
        sheet.write_string(row, 1, str(criterion.text), fmt.text)
        sheet.write_string(row, 2, text, fmt.warn_text if answer is False else fmt.text)
        row += 1
    row += 1
    sections = [
        ("Warnings", result.warnings),
        ("Gaps in the monitoring data (missing energy is not invented)", [f"{name}: {g.describe()}" for name, d in result.monitored.items() for g in d.gaps] or ["none"]),
        ("Corrections (each checked not to raise ER)", [c.describe() for c in result.corrections] or ["none"]),
        ("Notes", result.notes or ["none"]),
    ]
    for title, lines in sections:
        sheet.write(row, 0, title, fmt.bold)
        row += 1
        for line in lines or ["none"]:
            sheet.write_string(row, 1, line, fmt.warn_text if title == "Warnings" else fmt.text)
            row += 1
        row += 1
