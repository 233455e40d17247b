"""What the checks of one sheet read, and where they write (``Context``).

Kept apart from ``jcmwb.verify.checks`` so that the checks of ``jcmwb.verify.tpe`` can name
it without importing the module that lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcmwb.engine.spec import Spec
from jcmwb.sheets.reader import Cell, ReportedSheet
from jcmwb.verify.findings import Check, Finding, Verification
from jcmwb.verify.options import TpeOptions

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result


@dataclass
class Context:
    """What the checks of one sheet read, and where they write.

    Attributes
    ----------
    sheet
        The sheet as read (``jcmwb.sheets.reader.read_sheet``).
    spec
        The spec the recomputation used.
    result, raw
        The recomputation and the monitoring-period mapping rebuilt from the sheet.
    verification
        The outcome: findings, check lines, ER_p reported and recomputed.
    data
        The ``--data`` folder, if given.
    uncached
        Formula cells without a stored value (found by ``check_calc`` and ``check_result``).
    holes
        (worksheet, A1) of the cells a formula uses that hold no number (``check_references``).
    options
        The TPE's settings (``--materiality``, ``--calibration-every``).
    period
        (path, MonitoringPeriod) of the monitoring-period file (``--period``, or the one in
        the ``--data`` folder), for the checks that need more than the sheet.
    period_result
        Its recomputation by the engine (``jcmwb.verify.tpe.period_result`` fills it once).
    """

    sheet: ReportedSheet
    spec: Spec
    result: Result
    raw: dict[str, Any]
    verification: Verification
    data: Path | None = None
    uncached: list[Cell] = field(default_factory=list)
    holes: set[tuple[str, str]] = field(default_factory=set)
    options: TpeOptions = field(default_factory=TpeOptions)
    period: tuple[Path, Any] | None = None
    period_result: Any = None
    period_error: str = ""

    @property
    def findings(self) -> list[Finding]:
        return self.verification.findings

    @property
    def checks(self) -> list[Check]:
        return self.verification.checks
