"""What a verification finds: each finding with its severity, the per-parameter checks, the outcome.

Severities
----------
error
    an error in the credited amount: the reported ER_p differs from the recomputed one, or
    the finding feeds into ER_p (a default replaced, a monitored value that disagrees with
    the data, a unit slip, a Table 1 row whose value the formulas no longer find).
inconsistency
    wrong, but without effect on the credited amount (a stale subtotal that ER_p does not
    use, a period text that disagrees, a formula changed while its value is still right).
note
    for the TPE's attention; does not make the sheet fail (a formula replaced by a typed
    number of the same value, a data file that is not in the data folder).

Classes, as JCM verification reports raise them
-----------------------------------------------
CAR (corrective action request)
    to be corrected before the TPE can conclude: every error and every inconsistency.
CL (clarification request)
    information the TPE needs from the project participants: every note, unless its check
    classes it otherwise.
FAR (forward action request)
    to be acted on in the next monitoring period; the credited amount of this one stands
    (a data gap treated conservatively, a calibration that falls due): set by the check.

The rule is jcmwb's (status provisional): the classes are named in the JCM Verification
Report Form (its overview table reads "No CAR or CL remaining"), their
assignment to the severities is not, so a TPE may re-class any finding in its own report.

The checks that make findings are in ``jcmwb.verify.checks`` and ``jcmwb.verify.tpe``; the
reports that show them in ``jcmwb.verify.report``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from jcmwb.verify.tolerance import is_number

ERROR, INCONSISTENCY, NOTE = "error", "inconsistency", "note"
SEVERITIES = (ERROR, INCONSISTENCY, NOTE)
CAR, CL, FAR = "CAR", "CL", "FAR"
CLASSES = (CAR, CL, FAR)
# The documented rule (module docstring): a check may class a note FAR (Finding.action).
CLASS_OF_SEVERITY = {ERROR: CAR, INCONSISTENCY: CAR, NOTE: CL}


@dataclass
class Finding:
    """One discrepancy: where, what was expected and found, and how much it matters.

    Attributes
    ----------
    severity
        ``error``, ``inconsistency`` or ``note`` (see the module docstring).
    cell
        ``'Sheet'!A1`` of the cell concerned (a range for a table, a file for receipts).
    parameter
        The parameter or equation symbol as printed in the sheet.
    message
        What is wrong, in one sentence.
    expected, found
        The recomputed (or required) value and the reported one.
    tolerance
        The tolerance used when numbers were compared.
    equation
        The methodology's equation concerned (``RE_p = sum(EG_i_p, i) * EF_RE``).
    action
        ``FAR`` where the check says so (a note only); empty for the rule of the module docstring.
    """

    severity: str
    cell: str
    parameter: str
    message: str
    expected: Any = None
    found: Any = None
    tolerance: float | None = None
    equation: str = ""
    action: str = ""

    @property
    def action_class(self) -> str:
        """``CAR``, ``CL`` or ``FAR``: the check's own class for a note, else the severity's."""
        if self.action == FAR and self.severity == NOTE:
            return FAR
        return CLASS_OF_SEVERITY[self.severity]

    @property
    def difference(self) -> float | None:
        """``found - expected`` when both are numbers."""
        if is_number(self.expected) and is_number(self.found):
            return float(self.found) - float(self.expected)
        return None


def failing(findings: list[Finding]) -> bool:
    """True when a finding is an error or an inconsistency (a note never fails)."""
    return any(f.severity in (ERROR, INCONSISTENCY) for f in findings)


@dataclass
class Check:
    """One line of the per-parameter check table of the draft verification report."""

    parameter: str
    what: str
    cell: str
    reported: Any
    recomputed: Any
    unit: str = ""
    basis: str = ""
    result: str = "agrees"


@dataclass
class Verification:
    """The outcome of verifying one sheet."""

    sheet: str
    methodology: str
    version: str
    reference: str
    period: tuple[str, str] | None
    er_reported: float | None
    er_recomputed: float | None
    findings: list[Finding] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # er_recomputed is the best recomputation: from the re-aggregated data when --data gave
    # every monitored parameter (er_from_data), else from the sheet's own inputs (er_from_inputs).
    provisional: list[str] = field(default_factory=list)
    title: str = ""
    participants: str = ""
    er_unit: str = "tCO2/p"
    data: str | None = None
    er_from_inputs: float | None = None
    er_from_data: float | None = None
    produced_by_jcmwb: bool = False
    # The threshold [%] the materiality is judged against, and where it comes from.
    materiality_threshold: float | None = None
    materiality_basis: str = ""

    @property
    def agrees(self) -> bool:
        """True when no finding is an error or an inconsistency."""
        return not failing(self.findings)

    @property
    def checked(self) -> int:
        return len(self.checks)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def count_class(self, action: str) -> int:
        """How many findings are of class ``CAR``, ``CL`` or ``FAR``."""
        return sum(1 for f in self.findings if f.action_class == action)

    @property
    def materiality_passes(self) -> bool | None:
        """``|materiality| <= threshold`` (a misstatement either way counts); None when not assessed."""
        m = self.materiality_percent
        if m is None or self.materiality_threshold is None:
            return None
        return abs(m) <= self.materiality_threshold

    @property
    def materiality_percent(self) -> float | None:
        """``100 x (reported - recomputed) / recomputed``; None when ER_p was not reported."""
        if self.er_reported is None or self.er_recomputed is None:
            return None
        if self.er_recomputed == 0:
            return 0.0 if self.er_reported == 0 else math.inf
        return 100.0 * (self.er_reported - self.er_recomputed) / self.er_recomputed
