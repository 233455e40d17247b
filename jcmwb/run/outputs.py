"""The one list of what a run writes: each output, how it is made, and in which order.

A run's outputs are made in three steps, and each output belongs to one:

``result``
    written from the engine's :class:`~jcmwb.engine.compute.Result` inside the kernel that
    calculated it (the notebook's last cell calls :func:`write_result_outputs`); the app
    writes the same files from the Result of its own kernel, through the same function, so
    its downloads are the bytes ``jcmwb run`` writes;
``notebook``
    made by the runner from the executed notebook (papermill writes ``notebook.ipynb``);
``receipt``
    written last, over the hashes of all the others.

The runner, the receipt (which outputs it hashes, which it requires), ``verify --receipt``
and the app's downloads all read :data:`OUTPUTS`; a new renderer (a ledger, an MPS) is one
entry here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcmwb.engine.atomic import write_text_atomically  # the one atomic writer; the runner imports it from here

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

# What the kernel hands the runner besides the files: the Result in plain data. Not an output:
# the runner reads it and removes it before publishing.
RESULT_JSON = "result.json"


def _write_sheet(result: Result, folder: Path) -> None:
    from jcmwb.sheets.workbook import write_workbook

    write_workbook(result, folder / "MRS.xlsx")


@dataclass(frozen=True)
class Output:
    """One file of a run's output folder."""

    name: str
    step: str  # "result" | "notebook" | "receipt"
    media_type: str
    description: str
    write: Callable[[Result, Path], None] | None = None  # the renderer, for step "result"


OUTPUTS: tuple[Output, ...] = (
    Output("MRS.xlsx", "result", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Monitoring Report Sheet", _write_sheet),
    Output("notebook.ipynb", "notebook", "application/x-ipynb+json", "the executed methodology notebook (the calculation of record)"),
    Output("report.html", "notebook", "text/html", "the notebook rendered without code"),
    Output("receipt.json", "receipt", "application/json", "hashes of every input and output, for verify --receipt"),
)
NAMES = tuple(o.name for o in OUTPUTS)
RECEIPT = next(o.name for o in OUTPUTS if o.step == "receipt")
HASHED = tuple(o.name for o in OUTPUTS if o.step != "receipt")  # the receipt cannot hold its own hash


def output(name: str) -> Output:
    return next(o for o in OUTPUTS if o.name == name)


def write_result_outputs(result: Result, folder: str | Path) -> list[Path]:
    """Write every output made from a Result (the sheet), and the Result's summary for the runner."""
    folder = Path(folder)
    written = []
    for item in OUTPUTS:
        if item.step == "result" and item.write is not None:
            item.write(result, folder)
            written.append(folder / item.name)
    write_text_atomically(folder / RESULT_JSON, json.dumps(result.summary(), indent=2, sort_keys=True, default=str) + "\n")
    return written


def read_summary(folder: Path) -> dict[str, Any]:
    """The Result summary the kernel left in ``folder`` (see :func:`write_result_outputs`)."""
    return json.loads((folder / RESULT_JSON).read_text(encoding="utf-8"))
