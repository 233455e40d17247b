"""Table 2 of a hand-laid, official-style sheet is read by what its headers mean (issue 12, item 14).

Real sheets word the headers of Table 2 differently: letter prefixes "(a)", "c)", line breaks
inside a cell, extra spaces, upper case, singular or plural, "Estimated Values" (the
official word) or "Value applied", columns in another order. Each variant below is laid out
by ``tests/fixtures/verify/make_official_sheet.py``, which writes under each header what that
header means (given here, not derived by jcmwb), so the reader must find the value of EF_RE
(0.4 tCO2/MWh, the spec's grid value for 2021) in the column its header names: ER_p is then
2,000.75 MWh x 0.4 = 800.3 -> 800 tCO2, as reported, and the sheet agrees.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from jcmwb.cli import main
from jcmwb.sheets.reader import read_sheet
from jcmwb.verify.findings import NOTE
from jcmwb.verify.sheet import verify_sheet

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "verify"))
import make_official_sheet as official  # noqa: E402

SHEET = "Monitoring Report Sheet"
HEAD_ROW, VALUE_ROW, FIRST_COLUMN = 12, 13, 2  # where the fixture lays Table 2 out (column B on)

VARIANTS = {
    "jcmwb-like": [("Parameters", "parameter"), ("Description of data", "description"), ("Values", "value"), ("Units", "unit"), ("Source of data", "source"), ("Comments", "status")],
    "official (issue 12)": [
        ("(a) Parameters", "parameter"), ("(b) Description of data", "description"), ("(c) Estimated Values", "value"),
        ("(d) Units", "unit"), ("(e) Source of data", "source"), ("(f) Other comments", "status"),
    ],
    "line breaks": [
        ("(a)\nParameters", "parameter"), ("(b)\nDescription\nof data", "description"), ("(c)\nEstimated\nValues", "value"),
        ("(d)\nUnits", "unit"), ("(e)\nSource of data", "source"), ("(f)\nOther\ncomments", "status"),
    ],
    "upper case": [
        ("(A) PARAMETERS", "parameter"), ("(B) DESCRIPTION OF DATA", "description"), ("(C) ESTIMATED VALUES", "value"),
        ("(D) UNITS", "unit"), ("(E) SOURCE OF DATA", "source"), ("(F) OTHER COMMENTS", "status"),
    ],
    "spacing": [
        ("  ( a )  Parameters ", "parameter"), ("(b)Description  of   data", "description"), ("(c)   Estimated \t Values", "value"),
        ("(d) Units ", "unit"), (" (e) Source of data", "source"), ("(f)  Other  comments", "status"),
    ],
    "a) prefixes, singular": [
        ("a) Parameter", "parameter"), ("b) Description", "description"), ("c) Value", "value"),
        ("d) Unit", "unit"), ("e) Source", "source"), ("f) Remarks", "status"),
    ],
    "other words": [
        ("Parameter symbol", "parameter"), ("Data description", "description"), ("Value applied", "value"),
        ("Unit of measure", "unit"), ("Data source", "source"), ("Notes", "status"),
    ],
    "columns in another order": [
        ("(a) Estimated Values", "value"), ("(b) Units", "unit"), ("(c) Parameters", "parameter"),
        ("(d) Other comments", "status"), ("(e) Source of data", "source"), ("(f) Description of data", "description"),
    ],
    "only the essentials": [("Parameters", "parameter"), ("Estimated Values", "value"), ("Units", "unit")],
    "units in the header": [
        ("(a) Parameters", "parameter"), ("(b) Description of data", "description"), ("(c) Estimated Values (tCO2/MWh)", "value"),
        ("(d) Units", "unit"), ("(e) Source of data", "source"), ("(f) Status / comments", "status"),
    ],
    "colons and dots": [
        ("a. Parameters:", "parameter"), ("b. Description of data:", "description"), ("c. Default values:", "value"),
        ("d. Units:", "unit"), ("e. Source of data:", "source"), ("f. Comments:", "status"),
    ],
    "data / parameter": [
        ("Data / Parameter", "parameter"), ("Description", "description"), ("Values applied", "value"),
        ("Units", "unit"), ("Source of data used", "source"), ("Status", "status"),
    ],
    "fixed values, mixed case": [
        ("(a) parameters", "parameter"), ("(B) Description Of Data", "description"), ("(c) Fixed Values", "value"),
        ("(d) units", "unit"), ("(E) SOURCE", "source"), ("(f) other Comments", "status"),
    ],
}


def column_of(headers: list[tuple[str, str]], what: str) -> str:
    """The letter of the column the fixture gave ``what`` (Table 2 starts in column B)."""
    return get_column_letter(FIRST_COLUMN + [w for _, w in headers].index(what))


@pytest.mark.parametrize("headers", VARIANTS.values(), ids=VARIANTS.keys())
def test_table2_headers_are_read_by_meaning(headers, tmp_path, capsys):
    sheet = official.make(tmp_path / "official.xlsx", table2=headers)
    (row,) = read_sheet(sheet).table2
    given = {what for _, what in headers}
    assert row.parameter == "EF_RE"
    assert row.value.ref == f"'{SHEET}'!{column_of(headers, 'value')}{VALUE_ROW}" and row.value.value == 0.4
    assert row.unit == ("tCO2/MWh" if "unit" in given else "")
    assert row.source == ("methodology default" if "source" in given else "")
    assert row.status == ("option: grid" if "status" in given else "")
    assert row.member is None
    v = verify_sheet(sheet)
    assert v.findings == [] and v.er_reported == v.er_recomputed == 800
    assert [k.recomputed for k in v.checks if k.cell == row.value.ref] == [0.4]
    assert main(["verify", str(sheet), "--out", str(tmp_path / "report")]) == 0, capsys.readouterr()


def test_a_header_jcmwb_cannot_read_is_refused_naming_sheet_and_cell(tmp_path, capsys):
    headers = [("(a) Parameters", "parameter"), ("(b) Description of data", "description"), ("(c) Numbers", "value"), ("(d) Units", "unit")]
    sheet = official.make(tmp_path / "official.xlsx", table2=headers)
    out = tmp_path / "report"
    assert main(["verify", str(sheet), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err == (
        f"error: {sheet}: '{SHEET}'!D{HEAD_ROW}: Table 2 has no column of values: this header is not one jcmwb reads; "
        "expected a header such as 'Values', 'Estimated Values' or 'Value applied' (letter prefixes, case, spacing and line breaks do not matter), "
        "found '(c) Numbers'\n"
    )
    assert not out.exists()


def test_a_missing_parameters_column_names_the_header_row(tmp_path, capsys):
    sheet = official.make(tmp_path / "official.xlsx", table2=[("Values", "value"), ("Units", "unit")])
    assert main(["verify", str(sheet), "--out", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert f"'{SHEET}'!A{HEAD_ROW}:L{HEAD_ROW}: Table 2 has no column of parameters; expected a header such as 'Parameters'" in err


def test_a_column_jcmwb_does_not_read_is_named_in_a_note(tmp_path, capsys):
    headers = [*VARIANTS["official (issue 12)"], ("(g)\nReference to the PDD", "reference")]
    sheet = official.make(tmp_path / "official.xlsx", table2=headers)
    v = verify_sheet(sheet)
    assert v.agrees and [(f.severity, f.cell, f.found) for f in v.findings] == [(NOTE, f"'{SHEET}'!H{HEAD_ROW}", "(g)\nReference to the PDD")]
    assert main(["verify", str(sheet), "--out", str(tmp_path / "report")]) == 0
    assert f"NOTE          '{SHEET}'!H{HEAD_ROW} Table 2: column not read: its header is not one jcmwb knows (see docs/verify.md); found (g)\\nReference to the PDD" in capsys.readouterr().out
