"""The methodology's names as a sheet prints them, and how each name reaches the result.

A sheet names a parameter or equation by its printed symbol (``EG_i,p``); the spec by its
code name (``EG_i_p``). Verification reads both.
"""

from __future__ import annotations

from jcmwb.engine.spec import Spec
from jcmwb.sheets.workbook import plain_symbol


def names(spec: Spec) -> dict[str, str]:
    """Printed symbol (and code name) -> spec name."""
    table = {}
    for name, item in [*spec.parameters.items(), *spec.equations.items()]:
        table[plain_symbol(item.symbol)] = name
        table[name] = name
    return table


def printed(spec: Spec, name: str) -> str:
    """The symbol a sheet prints for spec name ``name`` (the name itself if the spec has none)."""
    item = spec.parameters.get(name) or spec.equations.get(name)
    return plain_symbol(item.symbol) if item is not None else name


def equation_of(spec: Spec, name: str) -> str:
    """The equation concerned by ``name``: its own, or the first one that uses it."""
    if name in spec.equations:
        return f"{name} = {spec.equations[name].formula.text}"
    user = next((n for n, e in spec.equations.items() if name in e.formula.names), None)
    return f"used in {user} = {spec.equations[user].formula.text}" if user else name


def feeds_result(spec: Spec, name: str) -> bool:
    """Does ``name`` enter the result (ER_p) through the equations?"""
    stack, seen = [spec.result], set()
    while stack:
        current = stack.pop()
        if current == name:
            return True
        if current in seen or current not in spec.equations:
            continue
        seen.add(current)
        stack.extend(spec.equations[current].formula.names)
    return False
