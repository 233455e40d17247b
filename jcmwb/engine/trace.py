"""The trace: one node per value, saying how it was obtained.

A node records the formula (for an equation) or the source (for an input), the
values it used, the corrections applied to it and whether a provisional default
stands anywhere beneath it. ``explain`` renders the tree as text for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jcmwb.engine.numbers import format_significant


@dataclass
class Correction:
    """One logged change to a monitored value, checked to be conservative."""

    parameter: str
    point: str
    kind: str  # "calibration" | "gap fill"
    before: float
    after: float
    unit: str
    reason: str
    er_before: float | None = None
    er_after: float | None = None

    def describe(self) -> str:
        return f"{self.kind} of {self.parameter} at {self.point}: {format_significant(self.before)} -> {format_significant(self.after)} {self.unit} ({self.reason})"


@dataclass
class TraceNode:
    name: str
    symbol: str
    kind: str  # equation | monitored | fixed_default | fixed_project
    unit: str
    value: float | dict[str, float]
    description: str = ""
    formula: str | None = None
    latex: str | None = None
    inputs: list[str] = field(default_factory=list)
    source: str = ""
    status: str | None = None  # confirmed | provisional, for defaults
    corrections: list[Correction] = field(default_factory=list)
    provisional: bool = False
    unrounded: float | None = None
    notes: list[str] = field(default_factory=list)

    def value_text(self, digits: int = 6) -> str:
        if isinstance(self.value, dict):
            return "; ".join(f"{k}: {v:,.{digits}g}" for k, v in self.value.items())
        return f"{self.value:,.{digits}g}"


def explain(nodes: dict[str, TraceNode], name: str, depth: int = 0, seen: set[str] | None = None) -> str:
    """A readable tree of how ``name`` was obtained."""
    seen = set() if seen is None else seen
    node = nodes[name]
    pad = "  " * depth
    lines = [f"{pad}{node.name} = {node.value_text()} {node.unit}" + ("  [uses a PROVISIONAL default]" if node.provisional else "")]
    if node.formula is not None:
        lines.append(f"{pad}  formula: {node.name} = {node.formula}")
    if node.source:
        lines.append(f"{pad}  source: {node.source}" + (f" ({node.status})" if node.status else ""))
    for correction in node.corrections:
        lines.append(f"{pad}  correction: {correction.describe()}")
    for note in node.notes:
        lines.append(f"{pad}  note: {note}")
    if name in seen:
        return "\n".join(lines)
    seen.add(name)
    for dep in node.inputs:
        lines.append(explain(nodes, dep, depth + 1, seen))
    return "\n".join(lines)
