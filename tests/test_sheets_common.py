"""What the workbook and chart writers share (jcmwb/sheets/common.py): properties, text cells, widths, PNG bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jcmwb import __version__
from jcmwb.sheets.common import Formats, absolute, column_titles, new_workbook, pyplot, widths, write_png


def _book(path: Path, comments: str = "") -> None:
    book = new_workbook(path, "A title", dt.datetime(2022, 10, 31), comments=comments)
    fmt = Formats(book, top=False)
    sheet = book.add_worksheet("S")
    column_titles(sheet, 2, ("=1+1", "http://example.org", "12"), fmt.head, col=1)
    widths(sheet, (0, 2, 18), (2, 2, 40))
    book.close()


def test_a_workbook_keeps_input_text_as_text_and_a_fixed_date(tmp_path):
    path = tmp_path / "a.xlsx"
    _book(path)
    sheet = openpyxl.load_workbook(path)["S"]
    # A title that looks like a formula, a link or a number stays the text it is.
    assert [sheet.cell(3, c).value for c in (2, 3, 4)] == ["=1+1", "http://example.org", "12"]
    assert sheet.cell(3, 2).data_type == "s" and sheet.cell(3, 4).data_type == "s"
    assert sheet.column_dimensions["A"].width == pytest.approx(18, abs=1) and sheet.column_dimensions["C"].width == pytest.approx(40, abs=1)
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    assert "2022-10-31T00:00:00Z" in core and f"Written by jcmwb {__version__}" in core


def test_comments_come_before_the_written_by_line_and_the_bytes_repeat(tmp_path):
    _book(tmp_path / "a.xlsx", comments="WHAT-IF")
    _book(tmp_path / "b.xlsx", comments="WHAT-IF")
    assert f"<dc:description>WHAT-IF. Written by jcmwb {__version__}</dc:description>" in zipfile.ZipFile(tmp_path / "a.xlsx").read("docProps/core.xml").decode()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_absolute_reference():
    assert absolute("MRS(input)", 8, 4) == "'MRS(input)'!$E$9"


def test_a_png_names_no_software_and_closes_its_figure(tmp_path):
    plt = pyplot()
    fig, ax = plt.subplots()
    ax.bar(["a"], [1.0])
    path = write_png(fig, tmp_path / "c.png")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") and b"Software" not in data and b"matplotlib" not in data
    assert fig.number not in plt.get_fignums()
    assert [p.name for p in tmp_path.iterdir()] == ["c.png"]


def test_a_png_that_fails_leaves_the_old_file_and_no_temporary_one(tmp_path):
    plt = pyplot()
    target = tmp_path / "c.png"
    target.write_bytes(b"old")
    fig, ax = plt.subplots()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    fig.savefig = broken
    with pytest.raises(OSError, match="disk full"):
        write_png(fig, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["c.png"]
    assert fig.number not in plt.get_fignums()
