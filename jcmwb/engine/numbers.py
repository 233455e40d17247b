"""How a number is rounded and how it is shown: one implementation of each rule.

Rounding
    :func:`round_whole` applies a rounding rule of the specs and of the credit allocation
    (``down``, ``up``, ``nearest`` half away from zero, ``none``); :func:`round_half_away`
    rounds to decimals as spreadsheets do; :func:`excel_rounding` is the same rule as
    spreadsheet text, so a sheet's formula rounds exactly as the engine did. The engine
    (equations, ``floor``/``ceil``/``round`` in formulas, the allocation) and the sheet writer
    call these and nothing else.
Display
    :func:`format_number` is the one way a number becomes text for people: the notebook, the
    sheet's comments, the trace notes, the command line, the app and the verification report
    each pick its options, never their own f-string; :func:`format_significant` is its form
    for a value quoted in a message to a number of significant digits.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

RULES = ("down", "up", "nearest", "none")
# What a share of whole credits may be off a whole number by, from binary floating point
# alone (17,673 x 33.33 / 100): within it the value counts as that whole number.
ALLOCATION_SLACK = 1e-9


def round_half_away(value: float, digits: int) -> float:
    """Round to ``digits`` decimals as spreadsheets do (half away from zero), not as Python
    does (half to even); the decimal written, not its binary neighbour, decides (2.675 -> 2.68)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_whole(value: float, rule: str, *, slack: float = 0.0) -> float:
    """``value`` rounded to a whole number by ``rule`` (one of :data:`RULES`).

    ``slack`` > 0 lets a value that is a whole number but for floating-point noise count as
    that number: rounded down, 2.9999999999 is 3; rounded up, 3.0000000001 is 3 (the credit
    allocation). ``nearest`` rounds half away from zero and takes no slack.
    """
    if rule == "down":
        return float(math.floor(value + slack))
    if rule == "up":
        return float(math.ceil(value - slack))
    if rule == "nearest":
        return round_half_away(value, 0)
    if rule == "none":
        return value
    raise ValueError(f"unknown rounding rule {rule!r}; expected one of {', '.join(RULES)}")


def excel_rounding(body: str, rule: str, *, digits: int = 0, slack: float = 0.0) -> str:
    """The spreadsheet form of :func:`round_whole` (``nearest`` with ``digits``: of
    :func:`round_half_away`) applied to the formula text ``body``.

    INT is the floor, as ``math.floor``; ROUND rounds half away from zero in Excel and
    LibreOffice alike. The text is not bracketed: inside a larger formula, bracket an ``up``.
    """
    shift = f"{slack!r}".upper() if slack else ""
    if rule == "down":
        return f"INT({body}+{shift})" if shift else f"INT({body})"
    if rule == "up":
        return f"-INT(-({body})+{shift})" if shift else f"-INT(-({body}))"
    if rule == "nearest":
        return f"ROUND({body},{digits})"
    if rule == "none":
        return body
    raise ValueError(f"unknown rounding rule {rule!r}; expected one of {', '.join(RULES)}")


def format_number(
    value: float,
    decimals: int = 3,
    *,
    whole: bool = False,
    trim: bool = False,
    grouping: bool = True,
    significant_below: float = 0.0,
    significant: int = 3,
) -> str:
    """A number as text for people.

    Parameters
    ----------
    value
        the number.
    decimals
        fixed decimals (``1,234.500`` with 3).
    whole
        a whole number is shown without decimals (``1,234``).
    trim
        trailing zeros and a trailing point are dropped (``1,234.5``), and a value that is
        zero at that precision is ``0``, never ``-0``.
    grouping
        thousands separators.
    significant_below, significant
        a value whose size is below ``significant_below`` (and not zero) is shown with
        ``significant`` significant digits instead (``0.0001234`` -> ``0.000123``); with
        ``significant_below=math.inf`` every value is (:func:`format_significant`).
    """
    value = float(value)
    if whole and value.is_integer():
        return f"{value:,.0f}" if grouping else f"{value:.0f}"
    if significant_below and abs(value) < significant_below:
        return f"{value:,.{significant}g}" if grouping else f"{value:.{significant}g}"
    text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    if trim:
        text = text.rstrip("0").rstrip(".") if "." in text else text
        if text in ("-0", ""):
            text = "0"
    return text


def format_significant(value: float, digits: int = 6, *, grouping: bool = True) -> str:
    """A number to ``digits`` significant digits, for values of any size quoted in a message
    (``1234567.8`` -> ``1.23457e+06``, ``123456.7`` -> ``123,457``, ``0.5`` -> ``0.5``)."""
    return format_number(value, significant_below=math.inf, significant=digits, grouping=grouping)
