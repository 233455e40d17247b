"""What the workbooks and charts jcmwb writes have in common: one implementation each.

Every workbook is opened with :data:`OPTIONS` (a text from an input stays text: never a number,
a formula or a link), carries the same document properties and recalculates on opening; every
chart is drawn headless and saved without the software's name or a date, so the same records
give the same bytes. Files are written through :mod:`jcmwb.engine.atomic`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from jcmwb import __version__
from jcmwb.engine.atomic import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
NUMBER = "#,##0.000###"


def new_workbook(path: Path, title: str, created: dt.datetime, comments: str = "") -> xlsxwriter.Workbook:
    """A workbook at ``path`` with jcmwb's document properties; ``created`` is a fixed date of
    the records (never the clock), ``comments`` goes before the ``Written by`` line."""
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    written = f"Written by jcmwb {__version__}"
    book.set_properties({"title": title, "author": "jcmwb", "comments": f"{comments}. {written}" if comments else written, "created": created})
    book.set_calc_mode("auto")
    return book


class Formats:
    """The cell formats of the Monitoring Report and Monitoring Plan Sheets.

    ``top`` puts the numbers at the top of their cells, beside wrapped text (the MRS); the MPS
    has always left them at the bottom, and its bytes are kept.
    """

    def __init__(self, book: xlsxwriter.Workbook, *, top: bool = True) -> None:
        align = {"valign": "top"} if top else {}
        self.title = book.add_format({"bold": True, "font_size": 12})
        self.bold = book.add_format({"bold": True})
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
        self.block = book.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
        self.text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.number = book.add_format({"border": 1, "num_format": NUMBER, **align})
        self.result = book.add_format({"border": 1, "bold": True, "num_format": "#,##0", "bg_color": "#FFF2CC"})
        self.input = book.add_format({"border": 1, "num_format": NUMBER, "bg_color": "#FFF2CC", **align})
        self.provisional = book.add_format({"border": 1, "num_format": NUMBER, "bg_color": "#F8CBAD", **align})
        self.warning = book.add_format({"bold": True, "font_color": "#C00000"})
        self.warn_text = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_color": "#C00000"})


def widths(sheet: Any, *spans: tuple[int, int, float]) -> None:
    """Column widths, each span ``(first column, last column, width)`` in the order given (a later span wins)."""
    for first, last, width in spans:
        sheet.set_column(first, last, width)


def column_titles(sheet: Any, row: int, titles: Iterable[str], cell_format: Any, col: int = 0) -> None:
    """A row of column titles from ``col`` on."""
    for n, title in enumerate(titles):
        sheet.write_string(row, col + n, title, cell_format)


def absolute(sheet: str, row: int, col: int) -> str:
    """``'MRS(input)'!$E$9``: the reference a formula on another sheet uses."""
    return f"'{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


def pyplot() -> Any:
    """matplotlib's pyplot, drawing without a display (imported only when a chart is drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_png(fig: Figure, path: Path) -> Path:
    """Save ``fig`` as PNG atomically, without the software's name (the same chart, the same bytes), and close it."""

    def save(tmp: Path) -> None:
        fig.savefig(tmp, format="png", metadata={"Software": None})

    try:
        return write_atomically(path, save, suffix=".png")
    finally:
        pyplot().close(fig)
