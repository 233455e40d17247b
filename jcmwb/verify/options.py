"""The TPE's settings of a verification: materiality threshold and calibration frequencies.

Both are given on the command line (``--materiality PERCENT``, ``--calibration-every
[PARAMETER=]DURATION``) and read strictly here: a bad value is one ``InputError`` naming the
option, what was expected and what was found (exit 2, nothing written).

Neither number is stated in the JCM documents jcmwb was built from: no materiality
threshold, and no calibration frequency of any methodology (the published MRS of ID009 only
says that equipment without a calibration certificate "is required to be calibrated"). So the
materiality threshold has a default that is a jcmwb choice, marked provisional wherever it
is shown, and the calibration frequency has none: without ``--calibration-every`` the dates
are listed and the check says "not checked: frequency unknown".
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass, field

from jcmwb.engine.errors import InputError

MATERIALITY_DEFAULT = 5.0  # [%] of the recomputed ER_p
MATERIALITY_STATUS = "provisional"
# The JCM Verification Report Form asks for reasonable assurance that the emission reductions
# are free of material errors, without a number; none was found in the JCM documents read.
# 5 % is a round figure chosen by jcmwb (docs/verify.md, "Materiality").
MATERIALITY_SOURCE = "jcmwb default, provisional: no JCM threshold found; set yours with --materiality"

_DURATION = re.compile(r"^\s*(\d{1,3})\s*(y|m|d)\s*$", re.IGNORECASE)
_UNIT_WORDS = {"y": "year(s)", "m": "month(s)", "d": "day(s)"}


@dataclass(frozen=True)
class Duration:
    """A calibration interval: ``count`` years, months or days (``unit`` ``y``, ``m`` or ``d``)."""

    count: int
    unit: str

    def after(self, day: dt.date) -> dt.date:
        """The day ``self`` after ``day`` (a month end stays in its month: 31 Jan + 1m = 28/29 Feb)."""
        if self.unit == "d":
            return day + dt.timedelta(days=self.count)
        months = self.count * (12 if self.unit == "y" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    @property
    def words(self) -> str:
        return f"{self.count} {_UNIT_WORDS[self.unit]}"


@dataclass
class TpeOptions:
    """What the TPE set for a verification.

    Attributes
    ----------
    materiality
        The threshold [%]: a misstatement of ER_p above it (either way) fails the materiality.
    materiality_source
        Where the threshold comes from (the default's basis, or "set by the TPE").
    calibration_every
        Parameter code name -> the required calibration interval; the key ``""`` for every
        parameter without its own.
    """

    materiality: float = MATERIALITY_DEFAULT
    materiality_source: str = MATERIALITY_SOURCE
    calibration_every: dict[str, Duration] = field(default_factory=dict)

    def every(self, name: str) -> Duration | None:
        """The calibration interval required for parameter ``name``, or None when not given."""
        return self.calibration_every.get(name, self.calibration_every.get(""))

    @property
    def provisional(self) -> bool:
        return self.materiality_source == MATERIALITY_SOURCE


def parse_materiality(text: str | None) -> tuple[float, str]:
    """``--materiality PERCENT``: (threshold [%], its source); the default when ``text`` is None.

    Raises
    ------
    InputError
        Not a finite number from 0 to 100 (``-1``, ``abc``, ``nan``).
    """
    if text is None:
        return MATERIALITY_DEFAULT, MATERIALITY_SOURCE
    raw = str(text).strip().removesuffix("%").strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise InputError("not a materiality threshold", where="--materiality", expected="a percentage of ER_p from 0 to 100, e.g. --materiality 2 or 0.5", found=repr(text))
    return value, f"set by the TPE with --materiality {value:g}"


def parse_every(texts: list[str] | None, parameters: dict[str, str] | None = None) -> dict[str, Duration]:
    """``--calibration-every [PARAMETER=]DURATION`` (repeatable): parameter -> interval.

    ``parameters`` maps each name the option may use (code name or printed symbol) to the
    code name; a name outside it is refused. Without a name the interval applies to every
    monitored parameter that has none of its own.

    Raises
    ------
    InputError
        A duration that is not ``<n>y``, ``<n>m`` or ``<n>d`` with n from 1 to 999, an unknown
        parameter, or the same parameter twice.
    """
    out: dict[str, Duration] = {}
    for text in texts or []:
        name, _, value = str(text).rpartition("=")
        name = name.strip()
        match = _DURATION.match(value)
        if match is None or int(match.group(1)) == 0:
            raise InputError(
                "not a calibration interval",
                where="--calibration-every",
                expected="[PARAMETER=]<n>y, <n>m or <n>d with n from 1 to 999, e.g. 1y, 6m, 90d or EG_i_p=1y",
                found=repr(text),
            )
        key = name
        if name and parameters is not None:
            if name not in parameters:
                raise InputError("not a monitored parameter of the methodology", where="--calibration-every", expected="one of " + ", ".join(sorted(set(parameters.values()))), found=repr(name))
            key = parameters[name]
        if key in out:
            raise InputError("calibration interval given twice", where="--calibration-every", expected="one interval per parameter (and one without a name)", found=repr(text))
        out[key] = Duration(int(match.group(1)), match.group(2).lower())
    return out
