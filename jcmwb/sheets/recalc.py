"""LibreOffice as an independent oracle: recalculate a workbook with recalculation forced.

LibreOffice keeps the cached value of a formula cell when it loads an .xlsx unless its
profile says otherwise, so a plain conversion proves nothing. This module runs
``soffice --headless --convert-to xlsx`` with a throw-away profile whose
``OOXMLRecalcMode`` is 0 ("always recalculate"), then reads the recalculated values.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from jcmwb.engine.errors import RunError

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(workbook: str | Path, out_dir: str | Path, *, timeout: float = 180) -> Path:
    """Recalculate ``workbook`` in LibreOffice (forced) and return the path of the result."""
    return recalculate_many([workbook], out_dir, timeout=timeout)[0]


def recalculate_many(workbooks: list[str | Path], out_dir: str | Path, *, timeout: float = 600) -> list[Path]:
    """Recalculate several workbooks in one LibreOffice start (names must differ)."""
    exe = soffice()
    if exe is None:
        raise RunError("LibreOffice (soffice) is not installed", expected="apt-get install -y --no-install-recommends libreoffice-calc")
    books = [Path(w).resolve() for w in workbooks]
    if len({b.stem for b in books}) != len(books):
        raise RunError("workbooks to recalculate together need different names", found=", ".join(b.name for b in books))
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jcmwb-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        command = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            *map(str, books),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    produced = [out_dir / (b.stem + ".xlsx") for b in books]
    for book, result in zip(books, produced):
        if done.returncode != 0 or not result.exists():
            raise RunError("LibreOffice could not recalculate the workbook", file=str(book), found=(done.stderr or done.stdout).strip()[:300])
    return produced


def cell_values(path: str | Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell's value (as stored, formulas' cached results) keyed by (sheet, cell)."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    out: dict[tuple[str, str], object] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out[(sheet.title, cell.coordinate)] = cell.value
    return out


def formula_cells(path: str | Path) -> list[tuple[str, str]]:
    """The (sheet, cell) of every formula in the workbook."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=False)
    return [(s.title, c.coordinate) for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
