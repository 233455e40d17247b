"""Numbers as a sheet reports them, and when a reported number agrees with the recomputed one.

A reported number agrees with the recomputed one when they differ by no more than
``max(1e-6 x |expected|, half a unit of the last decimal the cell displays)``: the cell's
number format gives the decimals shown (``#,##0.000###`` shows up to 6, so 5e-7;
``0.00`` gives 0.005; ``General`` adds nothing). Hand-filled sheets whose numbers were typed
as displayed thus agree. A result the methodology rounds (ER_p rounded down to whole
tonnes) must agree exactly: tolerance 0.
"""

from __future__ import annotations

import math
import re
from typing import Any

from jcmwb.sheets.reader import Cell

REL_TOL = 1e-6


def is_number(value: Any) -> bool:
    """True for an int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(value: Any) -> float | None:
    """A cell's value as a number (``"1,200.5"`` too), or None when it is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def half_unit(number_format: str) -> float:
    """Half a unit of the last decimal a number format displays (0 for ``General``).

    Examples
    --------
    >>> half_unit("#,##0.000###")
    5e-07
    >>> half_unit("#,##0")
    0.5
    >>> half_unit("General")
    0.0
    """
    section = (number_format or "General").split(";")[0]
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", section)  # literal text, colours, escapes
    if not re.search(r"[0#?]", section):
        return 0.0
    decimals = re.search(r"\.([0#?]+)", section)
    return 0.5 * 10.0 ** -(len(decimals.group(1)) if decimals else 0)


def tolerance(expected: float, cell: Cell | None = None, *, exact: bool = False) -> float:
    """The tolerance of a comparison (module docstring); 0 for a rounded result."""
    if exact:
        return 0.0
    return max(REL_TOL * abs(expected), half_unit(cell.number_format) if cell is not None else 0.0)


def agrees(expected: float, found: float, tol: float) -> bool:
    """Does ``found`` agree with ``expected`` within ``tol`` (plus float noise)?"""
    return abs(found - expected) <= tol + 1e-12 * max(abs(expected), 1.0)


def ratio_hint(expected: float, found: float) -> str:
    """`` (1000 x the expected value: kWh for MWh?)`` for a slip of a factor of 1000."""
    if not expected or not found:
        return ""
    ratio = found / expected
    for power, text in ((1000.0, "1000 x the expected value: kWh reported as MWh?"), (0.001, "1/1000 of the expected value: MWh reported as kWh?")):
        if math.isclose(ratio, power, rel_tol=0.01):
            return f" ({text})"
    return ""
