"""Named helper functions that methodology formulas may call.

A helper is a published model that plain arithmetic cannot express readably. Each is
one function, documented in numpydoc style with units in ``[brackets]`` and the
equation from the methodology, and declares the unit of each argument and of its
result, plus the same computation as a spreadsheet formula so that the Monitoring
Report Sheet stays live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Helper:
    name: str
    function: Callable[..., float]
    args: dict[str, str]
    returns: str
    excel: Callable[..., str]
    doc: str


HELPERS: dict[str, Helper] = {}


def helper(*, args: dict[str, str], returns: str, excel: Callable[..., str]) -> Callable:
    """Register a helper: ``args`` maps each argument name to the unit it receives."""

    def register(function: Callable[..., float]) -> Callable[..., float]:
        HELPERS[function.__name__] = Helper(
            name=function.__name__,
            function=function,
            args=dict(args),
            returns=returns,
            excel=excel,
            doc=(function.__doc__ or "").strip(),
        )
        return function

    return register
