"""Structured errors: one base class, one subclass per kind of problem.

Every error carries the place it concerns (file, sheet, row, parameter), what was
expected and what was found, and renders as one plain line for users.
"""

from __future__ import annotations


class JcmwbError(Exception):
    """Base error. ``str(err)`` is the one-line message shown to users."""

    kind = "error"

    def __init_subclass__(cls, kind: str | None = None, **options: object) -> None:
        # A subclass names its kind in its class line (``class DataError(InputError, kind="data")``);
        # without one it keeps its parent's.
        super().__init_subclass__(**options)
        if kind is not None:
            cls.kind = kind

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.where = where
        self.expected = expected
        self.found = found
        super().__init__(self.line())

    def line(self) -> str:
        place = ": ".join(p for p in (self.file, self.where) if p)
        text = f"{place}: {self.message}" if place else self.message
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found}"
        return text

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "message": self.message,
            "file": self.file,
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
        }


class SpecError(JcmwbError, kind="spec"):
    """A methodology spec (methodology.yaml) is malformed."""


class SpecErrors(SpecError):  # noqa: N818 - a list of SpecError, named as the brief and callers expect
    """Several independent problems in one spec, all found in one reading.

    Reads as its first problem (``message``, ``where``, ``line()``), so a caller that
    catches SpecError sees what it saw before; ``problems`` holds every one, in file order.
    """

    def __init__(self, problems: list[SpecError]) -> None:
        first = problems[0]
        self.problems = list(problems)
        super().__init__(first.message, file=first.file, where=first.where, expected=first.expected, found=first.found)
        self.kind = first.kind

    def lines(self) -> list[str]:
        return [p.line() for p in self.problems]

    def __reduce__(self) -> tuple:  # picklable across processes (jcmwb batch)
        return (SpecErrors, (self.problems,))


class FormulaError(SpecError, kind="formula"):
    """A formula cannot be parsed, is not allowed, or has inconsistent units."""


class InputError(JcmwbError, kind="input"):
    """A monitoring-period file or its data is wrong (user input)."""


class DataError(InputError, kind="data"):
    """A monitoring data file (CSV/XLSX) holds a bad value."""


class UnitError(InputError, kind="unit"):
    """A unit is unknown or of the wrong dimension."""


class ConservativenessError(JcmwbError, kind="conservativeness"):
    """A correction would raise emission reductions: a bug, never user input."""


class RunError(JcmwbError, kind="run"):
    """Executing a notebook failed."""


class SheetError(InputError, kind="sheet"):
    """A Monitoring Report Sheet cannot be read."""
