"""Formulas compared by what their references point at, not by where the cells are.

A formula is read with ``openpyxl.formula.Tokenizer``; each cell reference (a cell, or each
cell of a range, on its own sheet or another) is replaced by a label saying what the cell
holds ("[EG_i,p of PV-1]", "[EF_RE (Table 2)]", "[RE_p (calculation)]", "[ER (Table 3)]"),
and whitespace is dropped. Two formulas that compute the same from the same values are then
the same text, whatever the layout; a changed operator, constant or reference is not.

The formulas a sheet should hold come from ``jcmwb.sheets.workbook.layout``: the formula
compiler with the writer's cell map, for the recomputed Result. No workbook is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token, TokenizerError
from openpyxl.utils.cell import get_column_letter, range_boundaries

from jcmwb.sheets.reader import Cell, ReportedSheet
from jcmwb.sheets.workbook import layout
from jcmwb.verify.symbols import names, printed

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result
    from jcmwb.engine.spec import Spec

Address = tuple[str, str]  # (worksheet, A1)
Key = tuple[str, str | None]  # (spec name, member) of a calculated cell
TABLE3: Key = ("Table 3", None)
MAX_RANGE = 10_000  # cells of one range taken one by one; a larger range stays one reference


def _tokens(formula: str) -> list[Token] | None:
    """The formula's tokens, or None when it cannot be parsed."""
    try:
        return Tokenizer(formula).items
    except (TokenizerError, IndexError, ValueError):  # a closing bracket too many is an IndexError
        return None


def _target(token: Token, own_sheet: str) -> tuple[str, list[str]] | None:
    """(worksheet, [A1, ...]) of a reference token: a cell, or each cell of a range; None for a name."""
    if token.type != Token.OPERAND or token.subtype != Token.RANGE:
        return None
    sheet, bang, address = token.value.rpartition("!")
    if bang:
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") and sheet.endswith("'") else sheet
    else:
        sheet = own_sheet
    try:
        first_col, first_row, last_col, last_row = range_boundaries(address.replace("$", "").upper())
    except ValueError:
        return None  # a defined name, not a cell
    if None in (first_col, first_row, last_col, last_row) or (last_col - first_col + 1) * (last_row - first_row + 1) > MAX_RANGE:
        return None  # a whole column or row, or a huge range: not cells to check one by one
    cells = [f"{get_column_letter(col)}{row}" for row in range(first_row, last_row + 1) for col in range(first_col, last_col + 1)]
    return sheet, cells


def references(formula: str | None, own_sheet: str) -> list[Address]:
    """(worksheet, A1) of every cell a formula uses, each cell of a range included, in order."""
    out: list[Address] = []
    for token in _tokens(formula or "") or []:
        target = _target(token, own_sheet)
        if target is not None:
            out.extend((target[0], a) for a in target[1])
    return out


def rewrite(formula: str, own_sheet: str, name: Callable[[str, str], str]) -> str:
    """The formula without whitespace, each cell reference replaced by ``name(worksheet, A1)``.

    A range becomes ``name(first):name(last)``. A formula that cannot be parsed is only
    stripped of spaces.
    """
    tokens = _tokens(formula)
    if tokens is None:
        return formula.replace(" ", "")
    parts = ["="]
    for token in tokens:
        if token.type == Token.WSPACE:
            continue
        target = _target(token, own_sheet)
        if target is None:
            parts.append(token.value)
        else:
            sheet, cells = target
            parts.append(":".join(dict.fromkeys((name(sheet, cells[0]), name(sheet, cells[-1])))))
    return "".join(parts)


def normalised(formula: str, own_sheet: str, labels: dict[Address, str]) -> str:
    """A formula with every reference replaced by the label of the cell it points at."""
    return rewrite(formula, own_sheet, lambda sheet, address: labels.get((sheet, address), f"'{sheet}'!{address}"))


def _label(kind: str, symbol: str, member: str | None) -> str:
    if kind == "monitored":
        return f"[{symbol} of {member}]"
    if kind == "fixed":
        return f"[{symbol}{' of ' + member if member else ''} (Table 2)]"
    if kind == "result":
        return "[ER (Table 3)]"
    return f"[{symbol}{' of ' + member if member else ''} (calculation)]"


def members(result: Result) -> set[str]:
    """Every member of every index of the recomputation."""
    return {m for ms in result.indices.values() for m in ms}


def calc_key(spec: Spec, row_parameter: str, row_member: str | None, known: set[str]) -> Key:
    """The key of a calculation-sheet row: its spec name, and its member if it is one.

    The member is read from the end of the row's description, "(PV-1)"; a description that
    ends in other words in brackets ("(zero for solar PV)") has no member.
    """
    return names(spec).get(row_parameter, row_parameter), row_member if row_member in known else None


def sheet_labels(sheet: ReportedSheet, spec: Spec, result: Result) -> dict[Address, str]:
    """(worksheet, A1) -> what the cell of a submitted sheet holds, in words independent of the layout."""
    symbols, known = names(spec), members(result)

    def symbol(text: str) -> str:
        return printed(spec, symbols[text]) if text in symbols else text

    labels: dict[Address, str] = {}
    for r in sheet.table1:
        labels[(r.value.sheet, r.value.address)] = _label("monitored", symbol(r.parameter), r.point)
    for r in sheet.table2:
        labels[(r.value.sheet, r.value.address)] = _label("fixed", symbol(r.parameter), r.member)
    for r in sheet.calc:
        labels[(r.value.sheet, r.value.address)] = _label("calc", symbol(r.parameter), calc_key(spec, r.parameter, r.member, known)[1])
    if sheet.result is not None:
        labels[(sheet.result.sheet, sheet.result.address)] = _label("result", "", None)
    return labels


class Expected:
    """The formulas jcmwb writes for a Result, keyed by what each cell holds.

    ``formulas`` maps ``(spec name, member)`` of each equation and default of the
    calculation sheet, and ``TABLE3`` for Table 3's ER_p, to the formula and its worksheet,
    as ``layout`` gives them; ``labels`` says what each cell of that layout holds.
    """

    def __init__(self, result: Result) -> None:
        spec = result.spec
        lay = layout(result)
        self.labels: dict[Address, str] = {}
        for cell in lay.cells:
            if cell.kind != "block":
                self.labels[(cell.sheet, f"{get_column_letter(cell.col + 1)}{cell.row + 1}")] = _label(cell.kind, printed(spec, cell.name), cell.member)
        self.formulas: dict[Key, tuple[str, str]] = {}
        for cell, formula in lay.formulas.items():
            self.formulas[TABLE3 if cell.kind == "result" else (cell.name, cell.member)] = (cell.sheet, formula)

    def normalised(self, key: Key) -> str:
        """The expected formula of ``key``, its references replaced by labels."""
        sheet, formula = self.formulas[key]
        return normalised(formula, sheet, self.labels)

    def shown(self, key: Key, labels: dict[Address, str]) -> str:
        """The expected formula of ``key`` written with a submitted sheet's cells (``labels`` of that sheet).

        A reference to a cell the submitted sheet no longer has stays its label.
        """
        where = {label: f"'{sheet}'!{address}" for (sheet, address), label in labels.items()}

        def submitted(sheet: str, address: str) -> str:
            label = self.labels.get((sheet, address))
            return f"'{sheet}'!{address}" if label is None else where.get(label, label)

        sheet, formula = self.formulas[key]
        return rewrite(formula, sheet, submitted)


def agree(cell: Cell, key: Key, expected: Expected, labels: dict[Address, str]) -> bool:
    """Does a submitted cell's formula compute what ``expected`` says for ``key``?"""
    return normalised(cell.formula or "", cell.sheet, labels) == expected.normalised(key)
