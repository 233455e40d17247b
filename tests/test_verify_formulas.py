"""Verify's formulas come from the writer's layout, not from a sheet written and read back (issue 10, item 5).

``jcmwb.sheets.workbook.layout`` lays out the cells and formulas of an MRS without a file; the
writer writes where it says, and ``jcmwb verify`` compares a submitted sheet's formulas with
its formulas, reference by reference (``openpyxl.formula.Tokenizer``). Each check is one
function ``check_x(ctx)`` in ``jcmwb.verify.checks.CHECKS``.

The sheet under test is jcmwb's for ``tests/fixtures/verify/TH_AM001/period.yaml`` (PV-1
1,200 MWh and PV-2 2,400.9 MWh in E9 and E10 of the input sheet, EF_RE 0.4 in D14).
"""

from __future__ import annotations

import ast
import inspect
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

import jcmwb
from jcmwb.sheets.workbook import CALC_SHEET, INPUT_SHEET, layout, write_workbook
from jcmwb.verify import checks
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, Finding
from jcmwb.verify.formulas import references
from jcmwb.verify.sheet import verify_sheet

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "verify"
sys.path.insert(0, str(FIXTURES))
from tamper import set_formula, tamper  # noqa: E402


@pytest.fixture()
def produced(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "TH_AM001", folder)
    return write_workbook(jcmwb.calculate(folder / "period.yaml"), tmp_path / "MRS.xlsx")


def a1(cell) -> str:
    return f"{openpyxl.utils.get_column_letter(cell.col + 1)}{cell.row + 1}"


@pytest.mark.parametrize("period_file", [ROOT / "data/examples/TH_AM001/EXAMPLE-TH001_2021.yaml", *sorted((ROOT / "data/examples").glob("SA_AM001/*.yaml")), *sorted((ROOT / "data/examples").glob("ID_AM017/*.yaml"))], ids=lambda p: p.parent.name)
def test_the_layout_is_where_the_writer_writes(period_file, tmp_path):
    result = jcmwb.calculate(period_file)
    lay = layout(result)
    book = openpyxl.load_workbook(write_workbook(result, tmp_path / "MRS.xlsx"))
    values = [c for c in lay.cells if c.kind != "block"]
    assert {"monitored", "fixed", "equation", "default", "result"} <= {c.kind for c in values}  # each example has a default
    for cell in values:
        written = book[cell.sheet][a1(cell)].value
        if cell in lay.formulas:
            assert written == lay.formulas[cell], (cell, written)
        else:  # an input: the number of Table 1 or Table 2
            assert isinstance(written, (int, float)), (cell, written)
    for cell in (c for c in lay.cells if c.kind == "block"):
        assert book[cell.sheet][a1(cell)].value == cell.name
    # Every formula of the calculation sheet is the layout's: none written beside it.
    written = {a1_: c.value for row in book[CALC_SHEET].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=") for a1_ in [c.coordinate]}
    assert written == {a1(c): f for c, f in lay.formulas.items() if c.sheet == CALC_SHEET}


def test_verify_writes_no_workbook_to_learn_the_formulas(produced, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("verify wrote a workbook")

    monkeypatch.setattr("jcmwb.sheets.workbook._write", refuse)
    monkeypatch.setattr("xlsxwriter.Workbook.__init__", refuse)
    c = "C14"  # sum_i EG_i,p on the calculation sheet
    sheet = tamper(produced, tmp_path / "formula.xlsx", {CALC_SHEET: [set_formula(c, "=SUM('MRS(input)'!$E$9)")]})
    v = verify_sheet(sheet)
    hit = [f for f in v.findings if f.cell == f"'{CALC_SHEET}'!{c}"]
    assert [(f.severity, f.expected) for f in hit] == [(INCONSISTENCY, "=SUM('MRS(input)'!E9,'MRS(input)'!E10)")]


def test_a_range_in_a_formula_is_read_as_its_cells(produced, tmp_path):
    # RE_p as =SUM(E9:E10)*D14 computes the same; jcmwb writes =(SUM(E9,E10)*D14): a different
    # formula, not a hole on the calculation sheet (a hand-written pattern read "E10" there).
    sheet = tamper(produced, tmp_path / "range.xlsx", {CALC_SHEET: [set_formula("C13", "=SUM('MRS(input)'!$E$9:$E$10)*'MRS(input)'!$D$14")]})
    v = verify_sheet(sheet)
    assert [(f.severity, f.cell) for f in v.findings] == [(INCONSISTENCY, f"'{CALC_SHEET}'!C13")]
    assert v.findings[0].found == "=SUM('MRS(input)'!$E$9:$E$10)*'MRS(input)'!$D$14"
    # A range reaching past Table 1 uses an empty cell of the input sheet: that cell is the hole.
    sheet = tamper(produced, tmp_path / "hole.xlsx", {CALC_SHEET: [set_formula("C13", "=SUM('MRS(input)'!$E$9:$E$11)*'MRS(input)'!$D$14")]})
    holes = [f for f in verify_sheet(sheet).findings if "holds no number" in f.message]
    assert [(f.severity, f.cell) for f in holes] == [(ERROR, f"'{INPUT_SHEET}'!E11")]


@pytest.mark.parametrize(
    ("formula", "cells"),
    [
        ("=SUM('MRS(input)'!$E$9,'MRS(input)'!$E$10)*0.4", [(INPUT_SHEET, "E9"), (INPUT_SHEET, "E10")]),
        ("=A1+Data!b2", [("own", "A1"), ("Data", "B2")]),
        ("='It''s'!A1:B2", [("It's", "A1"), ("It's", "B1"), ("It's", "A2"), ("It's", "B2")]),
        ('=MAX(E:E,1E-9,"A1",share_jp)', []),  # a whole column, a number, a text, a defined name
        ("=SUM(A1:XFD1048576)", []),  # too large to check cell by cell
        ("='Sheet1!A1", []),  # cannot be parsed: no reference read
        ("=SUM(A1))", []),
    ],
)
def test_references_are_read_with_the_tokenizer(formula, cells):
    assert references(formula, "own") == cells


def test_each_check_is_one_function_with_one_signature_run_in_order(produced, monkeypatch):
    for check in checks.CHECKS:
        signature = inspect.signature(check)
        assert check.__name__.startswith("check_") and list(signature.parameters) == ["ctx"], check
        assert signature.parameters["ctx"].annotation in ("Context", checks.Context) and signature.return_annotation in ("None", None)
    ran = []

    def extra(ctx: checks.Context) -> None:
        ran.append([f.message for f in ctx.findings])
        ctx.findings.append(Finding(NOTE, "'MRS(input)'!A1", "test", "a check registered in CHECKS"))

    monkeypatch.setattr(checks, "CHECKS", (*checks.CHECKS, extra))
    v = verify_sheet(produced)
    assert ran == [[]] and [f.message for f in v.findings] == ["a check registered in CHECKS"]


def test_the_verify_modules_import_each_other_without_a_circle():
    folder = ROOT / "jcmwb" / "verify"
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        module = f"jcmwb.verify.{path.stem}"
        graph[module] = set()
        for node in ast.walk(ast.parse(path.read_text())):  # lazy imports inside functions count too
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jcmwb.verify"):
                graph[module] |= {node.module} if node.module != "jcmwb.verify" else {f"jcmwb.verify.{a.name}" for a in node.names}
    from graphlib import CycleError, TopologicalSorter

    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import circle in jcmwb.verify: {exc.args[1]}")
    assert len(graph) >= 10 and max(len(p.read_text().splitlines()) for p in folder.glob("*.py")) < 500
