"""Verification for TPEs: recompute a submitted Monitoring Report Sheet and list every discrepancy.

``verify_sheet`` reads a sheet (``jcmwb.sheets.reader``), rebuilds the monitoring period from
what it reports (Table 1 monitored values, Table 2 project values and the default options
named), recomputes everything with the engine using the spec's defaults for that period, and
compares each reported number, formula and label with the recomputation. With ``data=DIR``
it also re-aggregates the raw monitoring data named in column (h) and compares Table 1 with
it. ``verify_receipt`` re-runs a calculation from the files a receipt names and compares
every hash byte for byte. The reports are rendered by ``jcmwb.verify.report``.

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

Tolerance
---------
A reported number agrees with the recomputed one when they differ by no more than
``max(1e-6 x |expected|, half a unit of the last decimal the cell displays)``: the cell's
number format gives the decimals shown (``#,##0.000###`` shows up to 6, so 5e-7;
``0.00`` gives 0.005; ``General`` adds nothing). Hand-filled sheets whose numbers were typed
as displayed thus agree. A result the methodology rounds (ER_p rounded down to whole
tonnes) must agree exactly: tolerance 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcmwb.engine.errors import InputError, JcmwbError, SheetError
from jcmwb.engine.spec import Spec, load_spec
from jcmwb.engine.units import factor, strip_period
from jcmwb.sheets.reader import Cell, ReportedSheet, period_of, read_sheet
from jcmwb.sheets.workbook import plain_symbol, write_workbook

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

ERROR, INCONSISTENCY, NOTE = "error", "inconsistency", "note"
SEVERITIES = (ERROR, INCONSISTENCY, NOTE)
REL_TOL = 1e-6
NO_CACHED_VALUE = (
    "formula without a stored value (the workbook was saved without calculating, e.g. by openpyxl): "
    "its value is taken as the formula gives it, and the formula is checked against the methodology's; "
    "open and save the sheet in a spreadsheet program to compare the numbers too"
)


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
    """

    severity: str
    cell: str
    parameter: str
    message: str
    expected: Any = None
    found: Any = None
    tolerance: float | None = None
    equation: str = ""

    @property
    def difference(self) -> float | None:
        """``found - expected`` when both are numbers."""
        if _is_number(self.expected) and _is_number(self.found):
            return float(self.found) - float(self.expected)
        return None


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

    @property
    def agrees(self) -> bool:
        """True when no finding is an error or an inconsistency."""
        return not any(f.severity in (ERROR, INCONSISTENCY) for f in self.findings)

    @property
    def checked(self) -> int:
        return len(self.checks)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def materiality_percent(self) -> float | None:
        """``100 x (reported - recomputed) / recomputed``; None when ER_p was not reported."""
        if self.er_reported is None or self.er_recomputed is None:
            return None
        if self.er_recomputed == 0:
            return 0.0 if self.er_reported == 0 else math.inf
        return 100.0 * (self.er_reported - self.er_recomputed) / self.er_recomputed


# -- numbers and tolerance ---------------------------------------------------------------------
def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any) -> float | None:
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


def _agrees(expected: float, found: float, tol: float) -> bool:
    return abs(found - expected) <= tol + 1e-12 * max(abs(expected), 1.0)


def _ratio_hint(expected: float, found: float) -> str:
    """`` (1000 x the expected value: kWh for MWh?)`` for a slip of a factor of 1000."""
    if not expected or not found:
        return ""
    ratio = found / expected
    for power, text in ((1000.0, "1000 x the expected value: kWh reported as MWh?"), (0.001, "1/1000 of the expected value: MWh reported as kWh?")):
        if math.isclose(ratio, power, rel_tol=0.01):
            return f" ({text})"
    return ""


# -- the spec's names --------------------------------------------------------------------------
def _symbols(spec: Spec) -> dict[str, str]:
    """Printed symbol (and code name) -> spec name."""
    table = {}
    for name, item in [*spec.parameters.items(), *spec.equations.items()]:
        table[plain_symbol(item.symbol)] = name
        table[name] = name
    return table


def _equation(spec: Spec, name: str) -> str:
    """The equation concerned by ``name``: its own, or the first one that uses it."""
    if name in spec.equations:
        return f"{name} = {spec.equations[name].formula.text}"
    user = next((n for n, e in spec.equations.items() if name in e.formula.names), None)
    return f"used in {user} = {spec.equations[user].formula.text}" if user else name


def _feeds_result(spec: Spec, name: str) -> bool:
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


# -- rebuilding the monitoring period from the sheet -------------------------------------------
def _stated_period(sheet: ReportedSheet) -> tuple[str, str]:
    """The period most cells state (a header line, Table 1 column (a), Table 3).

    A tie goes to the header line "Monitoring period: ...", then to Table 3.
    """
    stated = [period_of(str(r.period.value)) for r in sheet.table1]
    table3 = period_of(str(sheet.result_period.value)) if sheet.result_period is not None else None
    header = period_of(str(sheet.header_period.value)) if sheet.header_period is not None else None
    votes = Counter(p for p in [header, *stated, table3] if p)
    if not votes:
        where = sheet.table1[0].period.ref if sheet.table1 else f"'{sheet.input_sheet}'!Table 1"
        raise SheetError("no monitoring period in Table 1 column (a)", file=str(sheet.path), where=where, expected="'YYYY-MM-DD to YYYY-MM-DD'")
    best = max(votes.values())
    leaders = [p for p, n in votes.items() if n == best]
    return next((p for p in (header, table3) if p in leaders), leaders[0])


def _mapping(sheet: ReportedSheet, spec: Spec, findings: list[Finding], choices: dict[str, str]) -> dict[str, Any]:
    """The monitoring period the sheet reports, as a mapping for ``jcmwb.calculate``."""
    symbols = _symbols(spec)
    start, end = _stated_period(sheet)
    monitored: dict[str, dict[str, Any]] = {}
    monitored_names = ", ".join(plain_symbol(p.symbol) for p in spec.parameters.values() if p.kind == "monitored")
    for row in sheet.table1:
        if _is_total(row):
            continue
        name = symbols.get(row.parameter)
        if name is None or spec.parameters.get(name) is None or spec.parameters[name].kind != "monitored":
            findings.append(Finding(INCONSISTENCY, row.value.ref, row.parameter or "(empty)", "not a monitored parameter of the methodology", expected="one of " + monitored_names, found=row.parameter or "an empty column (c)"))
            continue
        param = spec.parameters[name]
        value = _number(row.value.value)
        if value is None:
            if row.value.value is None and not row.value.formula:
                findings.append(Finding(ERROR, row.value.ref, row.parameter, f"no monitored value for {row.point or 'this point'}: left out of the recomputation", expected="a number", found="an empty cell", equation=_equation(spec, name)))
                continue
            raise SheetError("monitored value is not a number", file=str(sheet.path), where=row.value.ref, expected="a number", found=repr(row.value.value))
        unit_text = str(row.unit.value or "").strip()
        if strip_period(unit_text) != strip_period(param.unit):
            try:
                scale = factor(unit_text, param.unit)
                slip = f"; the calculation takes the number in {param.unit}: if it is in {unit_text} it is {1 / scale:g} x too large" if scale != 1 else ""
            except JcmwbError:
                slip = ""
            findings.append(Finding(ERROR, row.unit.ref, row.parameter, f"unit differs from the methodology's (a kWh/MWh slip?){slip}", expected=param.unit, found=unit_text, equation=_equation(spec, name)))
        if row.option not in param.options:
            findings.append(Finding(INCONSISTENCY, row.option_ref or row.value.ref, row.parameter, "monitoring option not allowed for this parameter", expected=" or ".join(param.options), found=row.option or "an empty cell"))
        entry = monitored.setdefault(name, {"option": row.option if row.option in param.options else param.options[0], "unit": strip_period(param.unit), "values": {}})
        entry["values"][row.point] = value
    fixed: dict[str, dict[str, Any]] = {}
    for row in sheet.table2:
        name = symbols.get(row.parameter)
        param = spec.parameters.get(name) if name else None
        if param is None:
            findings.append(Finding(NOTE, row.value.ref, row.parameter, "not a parameter of the methodology", found=row.parameter))
            continue
        if param.kind == "fixed_project":
            value = _number(row.value.value)
            if value is None:
                raise SheetError("fixed value is not a number", file=str(sheet.path), where=row.value.ref, expected="a number", found=repr(row.value.value))
            entry = fixed.setdefault(name, {"unit": strip_period(param.unit), "source": row.source or "as reported in the sheet"})
            if param.index:
                entry.setdefault("values", {})[row.member or ""] = value
            else:
                entry["value"] = value
        elif param.kind == "fixed_default" and name not in fixed:
            option = next((o for o in param.choices if f"option: {o}" in row.status or row.status.strip() == o or row.source.strip() == o), None)
            if option is None and len(param.choices) > 1:
                option = _choice_by_value(param, _number(row.value.value), start)
                if option is not None and option != param.default_choice:
                    findings.append(Finding(NOTE, row.value.ref, row.parameter, f"the option of this default is not stated; taken as '{option}', whose value for the period the sheet reports", found=row.value.value))
            if option:
                fixed[name] = {"option": option}
    raw: dict[str, Any] = {
        "methodology": spec.id,
        "version": sheet.version,
        "project": {"id": sheet.reference or "unknown"},
        "period": {"start": start, "end": end},
        "fixed": fixed,
        "monitored": monitored,
    }
    if choices:
        raw["alternatives"] = choices
    return raw


def _choice_by_value(param: Any, value: float | None, start: str) -> str | None:
    """The one choice of a default whose value at ``start`` is ``value`` (None if not exactly one)."""
    if value is None:
        return None
    day = dt.date.fromisoformat(start)
    matches = []
    for name, choice in param.choices.items():
        if choice.members:
            continue
        dated = [d for d in choice.values if d.start <= day and d.value is not None]
        if dated and math.isclose(dated[-1].value, value, rel_tol=REL_TOL):
            matches.append(name)
    return matches[0] if len(matches) == 1 else None


def _alternative_sets(spec: Spec) -> list[dict[str, str]]:
    equations = {n: list(e.alternatives) for n, e in spec.equations.items() if e.alternatives}
    if not equations:
        return [{}]
    names = list(equations)
    return [dict(zip(names, combo)) for combo in itertools.product(*(equations[n] for n in names))]


def _calculate(sheet: ReportedSheet, spec: Spec, findings: list[Finding]) -> tuple[Result, dict[str, Any]]:
    """Recompute; with equation alternatives, the first whose parameters the sheet reports."""
    from jcmwb.engine.compute import calculate

    last: JcmwbError | None = None
    for choices in _alternative_sets(spec):
        trial: list[Finding] = []
        raw = _mapping(sheet, spec, trial, choices)
        try:
            result = calculate(raw, base_dir=sheet.path.parent)
        except InputError as exc:
            last = exc
            continue
        findings.extend(trial)
        return result, raw
    assert last is not None
    in_table2 = (last.where or "").startswith("fixed")
    expected = "its row in Table 2 (project-specific values fixed ex ante)" if in_table2 else last.expected
    raise SheetError(f"the reported values cannot be recomputed: {last.message}", file=str(sheet.path), where=f"'{sheet.input_sheet}'!{'Table 2' if in_table2 else 'Table 1'}", expected=expected, found=last.found)


# -- the checks --------------------------------------------------------------------------------
TOTAL_ROW = re.compile(r"^(total|sum)\b", re.IGNORECASE)


def _is_total(row: Any) -> bool:
    """A Table 1 row that totals the points above it ((b) reads "Total" or "Sum")."""
    return bool(TOTAL_ROW.match(row.point))


def _check_table1_totals(sheet: ReportedSheet, spec: Spec, findings: list[Finding], checks: list[Check]) -> None:
    """A total row of Table 1 must be the sum of the rows of its parameter."""
    for total in (r for r in sheet.table1 if _is_total(r)):
        parts = [r for r in sheet.table1 if r.parameter == total.parameter and not _is_total(r)]
        numbers = [_number(r.value.value) for r in parts]
        found = _number(total.value.value)
        if found is None or None in numbers:
            continue
        expected = sum(numbers)
        tol = tolerance(expected, total.value)
        name = _symbols(spec).get(total.parameter, total.parameter)
        checks.append(Check(f"{total.parameter} ({total.point})", "monitored, total of Table 1", total.value.ref, found, expected, str(total.unit.value or ""), "sum of " + ", ".join(r.value.address for r in parts)))
        if not _agrees(expected, found, tol):
            findings.append(Finding(INCONSISTENCY, total.value.ref, total.parameter, f"the total row of Table 1 is not the sum of its {len(parts)} row(s) above" + _ratio_hint(expected, found), expected=expected, found=found, tolerance=tol, equation=f"sum({name}, i)"))


def _check_periods(sheet: ReportedSheet, period: tuple[str, str], findings: list[Finding]) -> None:
    """Every statement of the period (Table 1 column (a), Table 3) must be the same."""
    text = f"{period[0]} to {period[1]}"
    for row in sheet.table1:
        if period_of(str(row.period.value)) != period:
            findings.append(Finding(INCONSISTENCY, row.period.ref, row.parameter, "monitoring period differs from the rest of the sheet", expected=text, found=row.period.value))
    if sheet.result_period is not None and period_of(str(sheet.result_period.value)) != period:
        findings.append(Finding(INCONSISTENCY, sheet.result_period.ref, "period", "monitoring period in Table 3 differs from Table 1", expected=text, found=sheet.result_period.value))
    if sheet.header_period is not None and period_of(str(sheet.header_period.value)) != period:
        findings.append(Finding(INCONSISTENCY, sheet.header_period.ref, "period", "monitoring period in the header differs from Table 1", expected=text, found=sheet.header_period.value))
    document = sheet.document_period
    if sheet.has_formulas and document is not None and document != period and sheet.table1:
        findings.append(
            Finding(
                INCONSISTENCY,
                sheet.table1[0].period.ref,
                "period",
                f"monitoring period differs from the one jcmwb wrote into the workbook's document properties (title {sheet.document_title!r})",
                expected=f"{document[0]} to {document[1]}",
                found=text,
            )
        )


def _check_defaults(sheet: ReportedSheet, spec: Spec, result: Result, raw: dict[str, Any], findings: list[Finding], checks: list[Check]) -> None:
    """Reported defaults against the spec's values for the period; would a difference raise ER_p?"""
    from jcmwb.engine.compute import calculate
    from jcmwb.engine.period import parse_period

    symbols = _symbols(spec)
    for row in sheet.table2:
        name = symbols.get(row.parameter)
        if not name or spec.parameters[name].kind != "fixed_default" or name not in result.fixed:
            continue
        fixed = result.fixed[name]
        if isinstance(fixed.value, dict):
            if row.member not in fixed.value:
                findings.append(Finding(INCONSISTENCY, row.value.ref, row.parameter, f"no default of the methodology for {row.member!r}", expected="one of " + ", ".join(fixed.value), found=row.member))
                continue
            expected = fixed.value[row.member]
        else:
            expected = fixed.value
        found = _number(row.value.value)
        tol = tolerance(expected, row.value)
        status = f"default ({fixed.status})" if fixed.status else "default"
        check = Check(row.parameter + (f" ({row.member})" if row.member else ""), status, row.value.ref, row.value.value, expected, row.unit, f"the methodology's value for the period: {fixed.source}")
        checks.append(check)
        if found is not None and _agrees(expected, found, tol):
            continue
        severity, effect = INCONSISTENCY, ""
        if found is not None:
            # Would the reported default change ER_p? Recompute with it, as a project value.
            param = spec.parameters[name]
            trial = json.loads(json.dumps(raw))
            given = {"source": "reported in the sheet", "unit": strip_period(param.unit)}
            trial["fixed"][name] = {**given, "values": {**fixed.value, row.member: found}} if isinstance(fixed.value, dict) else {**given, "value": found}
            try:
                other_spec = load_spec(spec.path or spec.id)
                other_spec.parameters[name].project_value = True
                other = calculate(parse_period(trial, spec=other_spec, base_dir=sheet.path.parent))
                if other.er != result.er:
                    severity = ERROR
                    raises = other.er > result.er
                    effect = f"; with it ER_p would be {other.er:,.0f} instead of {result.er:,.0f} ({'raises it: not conservative' if raises else 'lowers it'})"
            except JcmwbError:
                severity = ERROR
        findings.append(Finding(severity, row.value.ref, row.parameter, f"default value differs from the methodology's for this period ({fixed.source}){effect}", expected=expected, found=row.value.value, tolerance=tol, equation=_equation(spec, name)))


def _expected_value(result: Result, name: str, member: str | None) -> float | None:
    value = result.values.get(name)
    if isinstance(value, dict):
        return value.get(member) if member is not None else None
    return value


def _rounding_hint(spec: Spec, result: Result, name: str, found: float) -> str:
    eq = spec.equations.get(name)
    raw = result.nodes[name].unrounded if name in result.nodes else None
    if eq is None or raw is None or eq.rounding == "none":
        return ""
    if found == math.ceil(raw) and found != math.floor(raw) and eq.rounding != "up":
        return f" (rounded up from {raw:,.6f}; the methodology rounds {eq.rounding})"
    if found == round(raw) and found != math.floor(raw) and eq.rounding != "nearest":
        return f" (rounded to nearest from {raw:,.6f}; the methodology rounds {eq.rounding})"
    return ""


def _check_calc(sheet: ReportedSheet, spec: Spec, result: Result, findings: list[Finding], checks: list[Check], uncached: list[Cell]) -> None:
    """Every number of the calculation-process sheet against the recomputation.

    Formula cells without a stored value are collected in ``uncached``, not compared.
    """
    symbols = _symbols(spec)
    members = {m for ms in result.indices.values() for m in ms}
    for row in sheet.calc:
        name = symbols.get(row.parameter)
        if name is None:
            findings.append(Finding(NOTE, row.value.ref, row.parameter, "not a symbol of the methodology"))
            continue
        member = row.member if row.member in members else None
        expected = _expected_value(result, name, member)
        if expected is None:
            continue
        found = _number(row.value.value)
        rounded = name in spec.equations and spec.equations[name].rounding != "none"
        tol = tolerance(expected, row.value, exact=rounded)
        severity = ERROR if (name == spec.result or _feeds_result(spec, name)) else INCONSISTENCY
        label = row.parameter + (f" ({member})" if member else "")
        checks.append(Check(label, "equation" if name in spec.equations else "default (calculation sheet)", row.value.ref, row.value.value, expected, row.unit, _equation(spec, name)))
        if found is None and row.value.formula:
            uncached.append(row.value)
        elif found is None:
            findings.append(Finding(severity, row.value.ref, label, "no value where the methodology's number is expected", expected=expected, found=row.value.value, equation=_equation(spec, name)))
        elif not _agrees(expected, found, tol):
            message = "reported value differs from the recomputed one" + _rounding_hint(spec, result, name, found) + _ratio_hint(expected, found)
            findings.append(Finding(severity, row.value.ref, label, message, expected=expected, found=found, tolerance=tol, equation=_equation(spec, name)))


def _check_result(sheet: ReportedSheet, spec: Spec, result: Result, findings: list[Finding], checks: list[Check], uncached: list[Cell]) -> float | None:
    """Table 3: the credited amount; returns the reported ER_p (None when not stored)."""
    equation = _equation(spec, spec.result)
    if sheet.result is None:
        findings.append(Finding(ERROR, f"'{sheet.input_sheet}'!Table 3", spec.result, "no Table 3 (ex-post result) in the sheet", expected=result.er, equation=equation))
        return None
    reported = _number(sheet.result.value)
    exact = spec.equations[spec.result].rounding != "none"
    tol = tolerance(result.er, sheet.result, exact=exact)
    checks.append(Check(plain_symbol(spec.equations[spec.result].symbol) + " (Table 3)", "result", sheet.result.ref, sheet.result.value, result.er, spec.equations[spec.result].unit, equation))
    if reported is None and sheet.result.formula:
        uncached.append(sheet.result)
    elif reported is None:
        findings.append(Finding(ERROR, sheet.result.ref, spec.result, "no emission reductions reported in Table 3", expected=result.er, found=sheet.result.value, equation=equation))
    elif not _agrees(result.er, reported, tol):
        hint = _rounding_hint(spec, result, spec.result, reported) + _ratio_hint(result.er, reported)
        findings.append(Finding(ERROR, sheet.result.ref, spec.result, "reported emission reductions differ from the recomputed ones" + hint, expected=result.er, found=reported, tolerance=tol, equation=equation))
    return reported


def _check_allocation(sheet: ReportedSheet, er_reported: float | None, findings: list[Finding]) -> None:
    """The credits per party must add up to the reported ER_p, and follow their rounding rules."""
    if not sheet.allocation or er_reported is None:
        return
    from jcmwb.engine.issuance import allocate, parse_allocation

    rows = sheet.allocation
    shares = {r.party: _number(r.share.value) for r in rows}
    credits = {r.party: _number(r.credits.value) for r in rows}
    if any(v is None for v in [*shares.values(), *credits.values()]):
        bad = next(r for r in rows if _number(r.share.value) is None or _number(r.credits.value) is None)
        findings.append(Finding(ERROR, bad.credits.ref, f"credits {bad.party}", "the credit allocation holds a cell that is not a number", expected="a number", found=bad.credits.value))
        return
    total = sum(credits.values())
    if total != er_reported:
        findings.append(Finding(ERROR, rows[-1].credits.ref, "credits", "the parts of the credit allocation do not add up to the emission reductions of Table 3", expected=er_reported, found=total, tolerance=0.0))
    rules = {r.party: r.rounding for r in rows if r.rounding in ("up", "down", "nearest")}
    try:
        split = parse_allocation({**{p: f"{s}%" for p, s in shares.items()}, "rounding": rules})
        expected = allocate(er_reported, split) if er_reported == int(er_reported) else {}
    except (InputError, ValueError) as exc:
        findings.append(Finding(INCONSISTENCY, rows[0].share.ref, "allocation", f"the credit allocation cannot be reproduced: {exc}"))
        return
    for row in rows:
        if row.party in expected and credits[row.party] != expected[row.party]:
            findings.append(Finding(INCONSISTENCY, row.credits.ref, f"credits {row.party}", f"credits differ from {shares[row.party]:g} % of the reported ER_p rounded {row.rounding or 'down'}", expected=expected[row.party], found=credits[row.party], tolerance=0.0))


CELL_REFERENCE = re.compile(r"(?:'(?P<quoted>[^']+)'!|(?P<plain>[A-Za-z_][\w.]*)!)?(?<![A-Za-z_\d.])\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)(?![\w(])")


def _references(formula: str, own_sheet: str) -> list[tuple[str, str, tuple[int, int]]]:
    """``(sheet, A1, span)`` of each cell a formula refers to."""
    out = []
    for match in CELL_REFERENCE.finditer(formula or ""):
        target = match.group("quoted") or match.group("plain") or own_sheet
        out.append((target, f"{match.group('col')}{match.group('row')}", match.span()))
    return out


def _labels(sheet: ReportedSheet) -> dict[tuple[str, str], str]:
    """(worksheet, A1) -> what the cell holds, in words independent of the layout."""
    labels: dict[tuple[str, str], str] = {}
    for r in sheet.table1:
        labels[(r.value.sheet, r.value.address)] = f"[{r.parameter} of {r.point}]"
    for r in sheet.table2:
        labels[(r.value.sheet, r.value.address)] = f"[{r.parameter}{' of ' + r.member if r.member else ''} (Table 2)]"
    for r in sheet.calc:
        labels[(r.value.sheet, r.value.address)] = f"[{r.parameter}{' of ' + r.member if r.member else ''} (calculation)]"
    if sheet.result is not None:
        labels[(sheet.result.sheet, sheet.result.address)] = "[ER (Table 3)]"
    return labels


def _normalised(cell: Cell, labels: dict[tuple[str, str], str]) -> str:
    """A formula with every reference replaced by the label of the cell it points at."""
    text = cell.formula or ""
    parts, last = [], 0
    for target, address, (a, b) in _references(text, cell.sheet):
        parts.append(text[last:a].replace(" ", ""))
        parts.append(labels.get((target, address), f"'{target}'!{address}"))
        last = b
    parts.append(text[last:].replace(" ", ""))
    return "".join(parts)


def _denormalised(text: str, labels: dict[tuple[str, str], str]) -> str:
    """A normalised formula written with the submitted sheet's cell addresses."""
    inverse = {label: f"'{s}'!{a}" for (s, a), label in labels.items()}
    return re.sub(r"\[[^\]]+\]", lambda m: inverse.get(m.group(0), m.group(0)), text)


def _check_formulas(sheet: ReportedSheet, spec: Spec, result: Result, findings: list[Finding], holes: set[tuple[str, str]]) -> None:
    """Formulas of a sheet written by jcmwb against those jcmwb writes for the recomputation.

    The expected workbook is rebuilt from the recomputed result; each formula is compared
    after replacing its cell references by what they point at, so a different layout (a
    row more or less) does not matter, but a changed formula or a typed number does. A
    formula that refers to a hole (``holes``: already a finding of its own) is not compared.
    """
    with tempfile.TemporaryDirectory(prefix="jcmwb-verify-") as folder:
        expected_sheet = read_sheet(write_workbook(result, Path(folder) / "expected.xlsx"))
    mine, theirs = _labels(sheet), _labels(expected_sheet)
    wanted: dict[tuple[str, str | None], str] = {(r.parameter, r.member): _normalised(r.value, theirs) for r in expected_sheet.calc if r.value.formula}
    pairs = [((r.parameter, r.member), r.value, r.parameter) for r in sheet.calc]
    if sheet.result is not None and expected_sheet.result is not None and expected_sheet.result.formula:
        wanted[("Table 3", None)] = _normalised(expected_sheet.result, theirs)
        pairs.append((("Table 3", None), sheet.result, spec.result))
    symbols = _symbols(spec)
    for key, cell, parameter in pairs:
        if key not in wanted:
            continue
        name = symbols.get(parameter, parameter)
        expected = "=" + _denormalised(wanted[key].lstrip("="), mine).replace("''", "'")
        label = parameter + (f" ({key[1]})" if key[1] else "")
        value_expected = result.er if key[0] == "Table 3" else _expected_value(result, name, key[1])
        found = _number(cell.value)
        value_agrees = found is not None and value_expected is not None and _agrees(value_expected, found, tolerance(value_expected, cell))
        feeds = name == spec.result or _feeds_result(spec, name)
        if cell.formula is None:
            severity = NOTE if value_agrees else (ERROR if feeds else INCONSISTENCY)
            findings.append(Finding(severity, cell.ref, label, f"cell {cell.address} holds a typed number where the methodology's formula is expected", expected=expected, found=cell.value, equation=_equation(spec, name)))
        elif _normalised(cell, mine) != wanted[key] and not any((t, a) in holes for t, a, _ in _references(cell.formula, cell.sheet)):
            severity = INCONSISTENCY if value_agrees else (ERROR if feeds else INCONSISTENCY)
            findings.append(Finding(severity, cell.ref, label, "formula differs from the one the methodology's equation gives (the cached value would change on recalculation)", expected=expected, found=cell.formula, equation=_equation(spec, name)))


def _check_references(sheet: ReportedSheet, findings: list[Finding]) -> set[tuple[str, str]]:
    """Each input a formula refers to must still be a number (a deleted row leaves a hole).

    Returns the holes: (worksheet, A1) of each referenced cell that holds no number.
    """
    import openpyxl

    book = openpyxl.load_workbook(sheet.path, data_only=True)
    seen: set[tuple[str, str]] = set()
    formulas = [(r.parameter, r.value) for r in sheet.calc]
    if sheet.result is not None:
        formulas.append(("ER (Table 3)", sheet.result))
    computed = {(c.sheet, c.address) for _, c in formulas if c.formula}  # a formula without a stored value is no hole
    for parameter, cell in formulas:
        for target, address, _ in _references(cell.formula or "", cell.sheet):
            if target not in book.sheetnames or (target, address) in seen or (target, address) in computed:
                continue
            value = book[target][address].value
            if _number(value) is None:
                seen.add((target, address))
                findings.append(Finding(ERROR, f"'{target}'!{address}", parameter, f"the formula in {cell.ref} uses this cell, which holds no number (row deleted or overwritten?)", expected="a number", found="an empty cell" if value is None else repr(value)))
    return seen


def _declared_period(folder: Path, spec: Spec, sheet: ReportedSheet) -> tuple[Path, Any] | None:
    """The monitoring-period file in ``folder`` for this methodology (same project first)."""
    from jcmwb.engine.period import load_period, period_files

    found = []
    for candidate in period_files(folder):
        try:
            loaded = load_period(candidate)
        except JcmwbError:
            continue
        if loaded.spec.id == spec.id:
            found.append((candidate, loaded))
    found.sort(key=lambda item: item[1].project_id != sheet.reference)
    return found[0] if found else None


def _cited_file(files: list[Path], rows: list) -> Path | None:
    """The data file whose name column (h) cites (the longest name first: a.csv vs aa.csv)."""
    sources = " ".join(r.source for r in rows)
    for file in sorted(files, key=lambda f: -len(f.name)):
        if re.search(rf"(?<![\w.-]){re.escape(file.name)}(?![\w.-])", sources):
            return file
    return None


def _check_data(sheet: ReportedSheet, spec: Spec, raw: dict[str, Any], folder: Path, findings: list[Finding], checks: list[Check]) -> dict[str, dict[str, float]]:
    """Re-aggregate the raw monitoring data and compare it with Table 1.

    With a monitoring-period file for this methodology in ``folder``, the engine recomputes
    the period from it: the data read as that file says (unit, format, points, multipliers,
    day categories) and corrected as it says (calibration, gaps), which is what Table 1
    reports; the file's period is compared with the sheet's. Without one, the data files
    are found by the names cited in column (h) and read on their own (the unit from their
    ``unit`` column, the format from their header) over the period the sheet states; no
    corrections are applied then.

    Returns the re-aggregated totals: parameter -> point -> value.
    """
    from jcmwb.engine.compute import calculate
    from jcmwb.engine.monitoring import read_monitored
    from jcmwb.engine.period import parse_period

    symbols = _symbols(spec)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    stated = (raw["period"]["start"], raw["period"]["end"])
    by_param: dict[str, list] = {}
    for row in sheet.table1:
        name = symbols.get(row.parameter)
        if name and spec.parameters.get(name) is not None and spec.parameters[name].kind == "monitored" and not _is_total(row):
            by_param.setdefault(name, []).append(row)
    aggregated: dict[str, dict[str, float]] = {}
    if not by_param:
        return aggregated
    declared = _declared_period(folder, spec, sheet)
    engine = None
    if declared is not None:
        period_path, period = declared
        try:
            engine = calculate(period)
        except JcmwbError as exc:
            findings.append(Finding(NOTE, f"'{sheet.input_sheet}'!Table 1", "data", f"the monitoring-period file {period_path.name} could not be recomputed: {exc.line()}"))
        declared_period = (period.start.isoformat(), period.end.isoformat())
        if declared_period != stated:
            first = sheet.table1[0].period
            findings.append(Finding(ERROR, first.ref, "period", f"the monitoring period stated in the sheet differs from the monitoring-period file {period_path.name}", expected=f"{declared_period[0]} to {declared_period[1]}", found=f"{stated[0]} to {stated[1]}"))
    for name, rows in by_param.items():
        first = rows[0]
        equation = _equation(spec, name)
        data_file = _cited_file(files, rows)
        if engine is not None and name in engine.monitored:
            series = engine.monitored[name]
            totals = engine.values[name] if isinstance(engine.values[name], dict) else {p: engine.values[name] for p in series.points}
            raw_totals = engine.raw_totals.get(name, {})
            item = declared[1].monitored.get(name)
            if data_file is None and item is not None and item.data:
                findings.append(Finding(NOTE, first.value.ref, first.parameter, f"column (h) cites no data file of {folder}; the data were read as {declared[0].name} says ({Path(item.data).name})", found=first.source))
        else:
            if data_file is None:
                findings.append(Finding(NOTE, first.value.ref, first.parameter, f"no data file named in column (h) was found in {folder}, and no monitoring-period file: the monitored values were not re-aggregated", found=first.source))
                continue
            try:
                head = data_file.read_text(errors="ignore")[:200].lower() if data_file.suffix.lower() == ".csv" else ""
                fmt = "register" if "reading" in head else ("monthly" if head.startswith("month") else "interval")
                trial = json.loads(json.dumps(raw))
                option = first.option if first.option in spec.parameters[name].options else spec.parameters[name].options[0]
                trial["monitored"][name] = {"option": option, "data": data_file.name, "format": fmt}
                period = parse_period(trial, base_dir=folder)
                series = read_monitored(period.monitored[name], spec.parameters[name], period)
            except JcmwbError as exc:
                findings.append(Finding(NOTE, first.value.ref, first.parameter, f"the data could not be re-aggregated (put the monitoring-period file in the data folder): {exc.line()}"))
                continue
            totals = {p: d.total for p, d in series.points.items()}
            raw_totals = {}
            excluded = sum(p.excluded for p in series.points.values())
            if excluded:
                findings.append(Finding(NOTE, first.period.ref, first.parameter, f"{data_file.name} holds {excluded} value(s) outside the period stated in column (a); check the period", found=f"{stated[0]} to {stated[1]}"))
        aggregated[name] = dict(totals)
        reported = {r.point: r for r in rows}
        for point, value in totals.items():
            total = round(value, 6)
            pdata = series.points.get(point)
            basis = pdata.rows if pdata is not None else name
            if data_file is not None and data_file.name not in basis:
                basis = f"{data_file.name} ({basis})"
            if engine is not None and raw_totals.get(point) is not None and round(raw_totals[point], 6) != total:
                basis += f"; corrected from the raw total {raw_totals[point]:,.6f} as {declared[0].name} says"
            row = reported.get(point)
            if row is None:
                span = f"'{sheet.input_sheet}'!A{rows[0].row}:K{rows[-1].row}"
                findings.append(Finding(ERROR, span, first.parameter, f"monitoring point {point} is in the data ({basis}) but has no row in Table 1 (row deleted?)", expected=total, found="no row", equation=equation))
                checks.append(Check(f"{first.parameter} ({point})", "monitored, against the data", span, None, total, spec.parameters[name].unit, basis))
                continue
            found = _number(row.value.value)
            tol = tolerance(total, row.value)
            checks[:] = [k for k in checks if k.cell != row.value.ref]
            checks.append(Check(f"{row.parameter} ({point})", "monitored, against the data", row.value.ref, row.value.value, total, str(row.unit.value or ""), basis))
            if found is None or not _agrees(total, found, tol):
                hint = _ratio_hint(total, found) if found is not None else ""
                if found is not None and point in raw_totals and _agrees(round(raw_totals[point], 6), found, tol):
                    hint += " (it is the raw total: the corrections were not applied)"
                findings.append(Finding(ERROR, row.value.ref, row.parameter, f"monitored value differs from the re-aggregated data: {basis}{hint}", expected=total, found=found, tolerance=tol, equation=equation))
        for point, row in reported.items():
            if point not in totals:
                findings.append(Finding(ERROR, row.value.ref, row.parameter, f"monitoring point {point} is not in the data", found=point, equation=equation))
    return aggregated


def _er_from_data(sheet: ReportedSheet, raw: dict[str, Any], aggregated: dict[str, dict[str, float]], findings: list[Finding]) -> float | None:
    """ER_p with the sheet's fixed values and the re-aggregated data in place of Table 1."""
    from jcmwb.engine.compute import calculate

    if not aggregated or set(aggregated) != set(raw["monitored"]):
        return None  # some monitored parameter could not be re-aggregated
    trial = json.loads(json.dumps(raw))
    for name, totals in aggregated.items():
        trial["monitored"][name]["values"] = dict(totals)
    try:
        return calculate(trial, base_dir=sheet.path.parent).er
    except JcmwbError as exc:
        findings.append(Finding(NOTE, f"'{sheet.input_sheet}'!Table 1", "data", f"ER_p could not be recomputed from the re-aggregated data: {exc.line()}"))
        return None


def verify_sheet(path: str | Path, *, data: str | Path | None = None) -> Verification:
    """Recompute a Monitoring Report Sheet and compare every reported number.

    Parameters
    ----------
    path
        The sheet (.xlsx): written by jcmwb, or laid out by hand in the official columns.
    data
        Optional folder with the monitoring data files named in Table 1 column (h).

    Returns
    -------
    Verification
        The recomputed and reported ER_p, every finding, and the per-parameter checks.

    Raises
    ------
    SheetError
        When the sheet cannot be read or recomputed (the message names sheet and cell).
    """
    if data is not None and not Path(data).is_dir():
        raise InputError("no such data folder", file=str(data), where="--data", expected="a folder with the monitoring data files")
    sheet = read_sheet(path)
    header = f"'{sheet.input_sheet}'!{sheet.header_cell}"
    try:
        spec = load_spec(sheet.methodology)
    except JcmwbError as exc:
        raise SheetError("unknown methodology in the header line", file=str(sheet.path), where=header, expected="one listed by `jcmwb list`", found=sheet.methodology) from exc
    if spec.version(sheet.version) is None:
        raise SheetError("unknown version of the methodology in the header line", file=str(sheet.path), where=header, expected=", ".join(v.version for v in spec.versions), found=sheet.version)
    if not sheet.table1:
        raise SheetError("Table 1 has no rows", file=str(sheet.path), where=f"'{sheet.input_sheet}'!Table 1", expected="one row per monitored parameter and monitoring point")
    findings: list[Finding] = []
    checks: list[Check] = []
    result, raw = _calculate(sheet, spec, findings)
    spec_used = result.spec
    period = (raw["period"]["start"], raw["period"]["end"])
    out = Verification(str(sheet.path), spec.id, sheet.version, sheet.reference, period, None, result.er, findings, checks, provisional=list(result.provisional))
    out.title, out.participants = sheet.title, sheet.participants
    out.er_unit = spec_used.equations[spec_used.result].unit
    out.produced_by_jcmwb = sheet.has_formulas

    _check_periods(sheet, period, findings)
    _check_table1_totals(sheet, spec_used, findings, checks)
    for row in sheet.table1:
        if _number(row.value.value) is not None and not _is_total(row):
            checks.append(Check(f"{row.parameter} ({row.point})", "monitored (input of the recomputation)", row.value.ref, row.value.value, _number(row.value.value), str(row.unit.value or ""), row.source))
    for row in sheet.table2:
        name = _symbols(spec_used).get(row.parameter)
        if name and spec_used.parameters[name].kind == "fixed_project":
            label = row.parameter + (f" ({row.member})" if row.member else "")
            checks.append(Check(label, "project value fixed ex ante (input of the recomputation)", row.value.ref, row.value.value, _number(row.value.value), row.unit, row.source))
    _check_defaults(sheet, spec_used, result, raw, findings, checks)
    uncached: list[Cell] = []
    _check_calc(sheet, spec_used, result, findings, checks, uncached)
    holes = _check_references(sheet, findings)
    if out.produced_by_jcmwb:
        _check_formulas(sheet, spec_used, result, findings, holes)
    out.er_reported = _check_result(sheet, spec_used, result, findings, checks, uncached)
    if uncached:
        others = ", ".join(c.address if c.sheet == uncached[0].sheet else c.ref for c in uncached[1:])
        findings.append(Finding(NOTE, uncached[0].ref, "formulas", NO_CACHED_VALUE + (f" (also {others})" if others else ""), found="no stored value"))
    _check_allocation(sheet, out.er_reported, findings)
    out.er_from_inputs = result.er
    if data is not None:
        out.data = str(data)
        aggregated = _check_data(sheet, spec_used, raw, Path(data), findings, checks)
        out.er_from_data = _er_from_data(sheet, raw, aggregated, findings)
        if out.er_from_data is not None:
            out.er_recomputed = out.er_from_data
    worst = {}
    for f in findings:
        rank = SEVERITIES.index(f.severity)
        worst[f.cell] = min(rank, worst.get(f.cell, rank))
    for check in checks:
        if check.cell in worst:
            check.result = {ERROR: "differs (error)", INCONSISTENCY: "differs (inconsistency)", NOTE: "agrees (see note)"}[SEVERITIES[worst[check.cell]]]
    order = {s: n for n, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order[f.severity])
    kinds = ("monitored", "project value", "default", "equation", "result")
    checks.sort(key=lambda k: next((n for n, kind in enumerate(kinds) if k.what.startswith(kind)), len(kinds)))
    return out


# -- receipts ---------------------------------------------------------------------------------
@dataclass
class ReceiptCheck:
    """The outcome of re-running a receipt.

    ``inputs`` has one line per input entry (role, the file looked at, expected and found
    sha256); ``outputs`` one per output a run writes (expected, found in the re-run, and
    ``beside``: the file of that name beside the receipt), then ``receipt.json`` itself.
    """

    receipt: str
    findings: list[Finding] = field(default_factory=list)
    rerun_dir: str | None = None
    er_receipt: float | None = None
    er_rerun: float | None = None
    inputs: list[dict[str, str]] = field(default_factory=list)
    outputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        """True when the calculation was re-run and no finding is an error or an inconsistency."""
        return self.er_rerun is not None and not any(f.severity in (ERROR, INCONSISTENCY) for f in self.findings)


MISSING = "missing"


def _digest(path: Path) -> str:
    """The sha256 of a regular file, or ``missing`` (a folder, a pipe or a device is not read)."""
    from jcmwb.run.runner import sha256

    return sha256(path) if path.is_file() else MISSING


def _environment_notes(receipt: dict[str, Any], check: ReceiptCheck) -> None:
    import platform
    from importlib import metadata

    from jcmwb import __version__
    from jcmwb.run.receipts import key_path, shown

    if receipt["jcmwb_version"] != __version__:
        check.findings.append(Finding(NOTE, "jcmwb_version", "jcmwb", f"the receipt was written by jcmwb {shown(receipt['jcmwb_version'])}, this is jcmwb {__version__}: outputs may differ for that reason alone", expected=shown(receipt["jcmwb_version"]), found=__version__))
    if receipt["python"] != platform.python_version():
        check.findings.append(Finding(NOTE, "python", "python", "another Python version than the receipt's: outputs may differ for that reason alone", expected=shown(receipt["python"]), found=platform.python_version()))
    for package, version in sorted(receipt["packages"].items()):
        try:
            now = metadata.version(package)
        except (metadata.PackageNotFoundError, ValueError):
            now = "not installed"
        if now != version:
            check.findings.append(Finding(NOTE, key_path("packages", package), shown(package, 40), "another package version than the receipt's", expected=shown(version), found=now))


def _check_library(receipt: dict[str, Any], check: ReceiptCheck) -> None:
    """The spec and notebook of the library, found by methodology id (never by a receipt's path)."""
    from jcmwb.engine.spec import ID_PATTERN
    from jcmwb.run.receipts import shown
    from jcmwb.run.runner import ROOT

    method = receipt["methodology"]
    spec = None
    if ID_PATTERN.fullmatch(method["id"]):
        try:
            spec = load_spec(method["id"])
        except JcmwbError:
            spec = None
    if spec is None:
        check.findings.append(Finding(ERROR, "methodology.id", shown(method["id"], 40), "no such methodology in the library", expected="one listed by `jcmwb list`", found=shown(method["id"])))
        return
    if spec.sha256 != method["spec_sha256"]:
        check.findings.append(Finding(ERROR, str(spec.path), spec.id, "the library's methodology spec differs from the one the receipt names", expected=method["spec_sha256"], found=spec.sha256))
    elif spec.version(method["version"]) is None:
        check.findings.append(Finding(ERROR, str(spec.path), spec.id, "the methodology version of the receipt is not in the spec", expected=", ".join(v.version for v in spec.versions), found=shown(method["version"])))
    notebook = ROOT / "notebooks" / f"{spec.id}.ipynb"
    found = _digest(notebook)
    if found != receipt["notebook"]["sha256"]:
        check.findings.append(Finding(ERROR, str(notebook), "notebook", "the library's methodology notebook differs from the one the receipt names", expected=receipt["notebook"]["sha256"], found=found))


def _check_output_entries(receipt: dict[str, Any], receipt_dir: Path, check: ReceiptCheck) -> dict[str, str]:
    """Exactly the outputs a run writes; returns the sha256 of each file of that name beside the receipt."""
    from jcmwb.run.outputs import HASHED as OUTPUTS
    from jcmwb.run.receipts import RECEIPT, key_path

    named = receipt["outputs"]
    for name in named:
        if name == RECEIPT:
            check.findings.append(Finding(ERROR, key_path("outputs", name), "output", "a receipt cannot hold its own hash (receipt.json is checked by re-running)", expected="no entry", found=name))
        elif name not in OUTPUTS:
            check.findings.append(Finding(ERROR, key_path("outputs", name), "output", "not an output of a run; it is not read", expected=", ".join(OUTPUTS), found=name))
    for name in OUTPUTS:
        if name not in named:
            check.findings.append(Finding(ERROR, "outputs", "output", f"an output of the run is missing from the receipt: {name}", expected=name, found="no entry"))
    beside: dict[str, str] = {}
    for name in OUTPUTS:
        file = receipt_dir / name
        beside[name] = MISSING if file.is_symlink() else _digest(file)
        if name not in named:
            continue
        if beside[name] == MISSING:
            check.findings.append(Finding(NOTE, str(file), "output", "not beside the receipt: only the re-run's is compared with the receipt"))
        elif beside[name] != named[name]:
            check.findings.append(Finding(ERROR, str(file), "output", "the file beside the receipt differs from the receipt's hash (changed since the run)", expected=named[name], found=beside[name]))
    return beside


def _check_inputs(receipt: dict[str, Any], receipt_dir: Path, check: ReceiptCheck) -> tuple[Path | None, bool]:
    """The receipt's inputs against those its monitoring-period file names; returns (period file, changed)."""
    from jcmwb.engine.period import load_period
    from jcmwb.run.receipts import PERIOD_ROLE, PERIOD_SUFFIXES, receipt_path, resolve, shown
    from jcmwb.run.runner import input_files

    entries = receipt["inputs"]
    periods = [n for n, item in enumerate(entries) if item["role"] == PERIOD_ROLE]
    if len(periods) != 1:
        message = "the receipt names no monitoring-period file: nothing to re-run" if not periods else f"the receipt names {len(periods)} monitoring-period files: which one was run is not known"
        check.findings.append(Finding(ERROR, "inputs", "inputs", message, expected=f"one entry with role '{PERIOD_ROLE}'", found=f"{len(periods)}"))
        return None, False
    where = f"inputs[{periods[0]}]"
    period_file = resolve(receipt_dir, entries[periods[0]]["path"])
    if period_file.suffix.lower() not in PERIOD_SUFFIXES:
        # Not read at all: a receipt may not make jcmwb open (or hash) an arbitrary file.
        check.findings.append(Finding(ERROR, f"{where}.path", PERIOD_ROLE, "not a monitoring-period file; it is not read", expected="a .yaml file", found=shown(entries[periods[0]]["path"])))
        return None, False
    if _digest(period_file) == MISSING:
        check.inputs.append({"role": PERIOD_ROLE, "path": str(period_file), "expected": entries[periods[0]]["sha256"], "found": MISSING})
        check.findings.append(Finding(ERROR, str(period_file), PERIOD_ROLE, "input file missing (keep the receipt's folder and its inputs at the same relative positions)", expected=entries[periods[0]]["sha256"], found=MISSING))
        return None, False
    try:
        period = load_period(period_file)
    except JcmwbError as exc:
        check.findings.append(Finding(ERROR, str(period_file), PERIOD_ROLE, f"the monitoring-period file cannot be read: {exc.line()}"))
        return None, False
    expected = {path.resolve(): role for role, path in input_files(period)}
    seen: set[Path] = set()
    changed = False
    for n, item in enumerate(entries):
        file = resolve(receipt_dir, item["path"])
        real = file.resolve()
        role = shown(item["role"])
        if real in seen:
            check.findings.append(Finding(ERROR, f"inputs[{n}]", role, "the same input is named twice", found=shown(item["path"])))
            continue
        seen.add(real)
        if real not in expected:
            # Only files the period file names are read: an added entry is never opened.
            check.inputs.append({"role": role, "path": str(file), "expected": item["sha256"], "found": "not an input"})
            check.findings.append(Finding(ERROR, f"inputs[{n}]", role, "not an input of this run (the monitoring-period file names no such file); it is not read", expected="one of " + ", ".join(receipt_path(p, receipt_dir) for p in expected), found=shown(item["path"])))
            continue
        if item["role"] != expected[real]:
            check.findings.append(Finding(ERROR, f"inputs[{n}].role", role, "the role of this input differs from the run's", expected=expected[real], found=role))
        found = _digest(file)
        check.inputs.append({"role": role, "path": str(file), "expected": item["sha256"], "found": found})
        if found != item["sha256"]:
            changed = True
            message = "input file missing" if found == MISSING else "input file changed since the receipt was written"
            check.findings.append(Finding(ERROR, str(file), role, message, expected=item["sha256"], found=found))
    for real, role in expected.items():
        if real not in seen:
            check.findings.append(Finding(ERROR, "inputs", role, f"an input of the run is missing from the receipt: {role}", expected=receipt_path(real, receipt_dir), found="no entry"))
    return period_file, changed


def _receipt_value(value: Any) -> Any:
    """A value of a receipt as a finding shows it: numbers as numbers, the rest as safe text."""
    from jcmwb.run.receipts import ABSENT, shown

    if value is ABSENT:
        return "(absent)"
    return value if _is_number(value) else shown(value)


def _compare_receipts(receipt: dict[str, Any], path: Path, rerun_path: Path, check: ReceiptCheck) -> None:
    """The receipt against the one the re-run wrote: every result value, then every other key."""
    from jcmwb.run.receipts import ABSENT, ENVIRONMENT, RECEIPT, differences

    expected = _digest(path)
    found = _digest(rerun_path)
    check.outputs.append({"name": RECEIPT, "expected": expected, "found": found, "beside": "this file"})
    if found == MISSING:
        check.findings.append(Finding(ERROR, RECEIPT, "output", "the re-run wrote no receipt"))
        return
    rerun = json.loads(rerun_path.read_text(encoding="utf-8"))
    # Checked on their own, with their own messages: the inputs, the outputs, ER_p and the hashes
    # of spec and notebook; the environment gives notes only.
    separate = ("inputs", "outputs", "result.value", "methodology.spec_sha256", "notebook.sha256", *ENVIRONMENT)
    content = False
    for key, mine, theirs in differences(receipt, rerun):
        if any(key == s or key.startswith((s + ".", s + "[")) for s in separate):
            continue
        content = True
        if mine is ABSENT:
            message = "missing from the receipt (the re-run's receipt has it)"
        elif theirs is ABSENT:
            message = "not in the re-run's receipt: an entry the run does not have"
        elif key.startswith("result.values"):
            message = "re-run value differs from the receipt's"
        else:
            message = "the receipt differs from the re-run's receipt here"
        check.findings.append(Finding(ERROR, key, "receipt", message, expected=_receipt_value(mine), found=_receipt_value(theirs)))
    environment = any(f.cell.split(".")[0] in ENVIRONMENT for f in check.findings if f.severity == NOTE)
    explained = content or environment or any(f.severity != NOTE for f in check.findings)
    if expected != found and not explained:
        check.findings.append(Finding(NOTE, str(path), "receipt", "receipt.json is laid out differently from the re-run's, with the same content"))


def verify_receipt(path: str | Path, *, keep: str | Path | None = None) -> ReceiptCheck:
    """Re-run the calculation a receipt describes; every input, output and result must match.

    The receipt is read strictly (``jcmwb.run.receipts.read_receipt``). Its inputs must be the
    monitoring-period file and exactly the data files that file names; its outputs exactly
    the files a run writes. The spec and notebook are the library's for the methodology id.
    The re-run goes into a temporary folder beside the receipt's folder, so every path
    relative to it is the same and the same inputs give the same bytes; the receipt the
    re-run writes must equal the one given, key by key (the environment only gives notes).

    Parameters
    ----------
    path
        ``receipt.json`` written by ``jcmwb run``.
    keep
        Optional folder for the re-run's outputs (checked by the caller with
        ``jcmwb.run.output_folder.check_output_folder``; replaced only if jcmwb wrote it).

    Returns
    -------
    ReceiptCheck
        Findings: an entry added to or missing from the receipt (named), a changed or
        missing input, a changed spec, notebook or jcmwb version, an output that differs
        byte for byte (in the re-run or beside the receipt), a result value that differs.

    Raises
    ------
    InputError
        The file is not a well-formed receipt (the message names the key).
    """
    from jcmwb.run import runner
    from jcmwb.run.output_folder import publish
    from jcmwb.run.outputs import HASHED as HASHED_OUTPUTS
    from jcmwb.run.receipts import RECEIPT, read_receipt

    path = Path(path)
    receipt = read_receipt(path)
    receipt_dir = Path(os.path.abspath(path)).parent.resolve()
    check = ReceiptCheck(str(path), er_receipt=receipt["result"]["value"])
    _environment_notes(receipt, check)
    _check_library(receipt, check)
    beside = _check_output_entries(receipt, receipt_dir, check)
    period_file, changed = _check_inputs(receipt, receipt_dir, check)
    if period_file is None:
        return check
    base = receipt_dir.parent
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{receipt_dir.name}.rerun-", dir=base))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="jcmwb-rerun-"))
        check.findings.append(Finding(NOTE, str(base), "layout", "the re-run could not be written beside the original; notebook.ipynb, report.html and the receipt's paths may differ for that alone"))
    try:
        try:
            outcome = runner.run(period_file, work)
        except JcmwbError as exc:
            check.findings.append(Finding(ERROR, str(period_file), "run", f"the re-run failed: {exc.line()}"))
            return check
        check.er_rerun = outcome.er
        produced_dir = Path(outcome.out_dir)
        for name in HASHED_OUTPUTS:
            expected = receipt["outputs"].get(name)
            found = _digest(produced_dir / name)
            check.outputs.append({"name": name, "expected": expected or "no entry", "found": found, "beside": beside[name]})
            if expected is not None and found != expected:
                check.findings.append(Finding(INCONSISTENCY if changed else ERROR, name, "output", "re-run output differs byte for byte" + (" (an input changed)" if changed else ""), expected=expected, found=found))
        if check.er_receipt != outcome.er:
            check.findings.append(Finding(ERROR, "result.value", receipt["methodology"]["id"], "re-run ER_p differs from the receipt's", expected=check.er_receipt, found=outcome.er))
        _compare_receipts(receipt, path, produced_dir / RECEIPT, check)
        if keep is not None:
            check.rerun_dir = str(publish(produced_dir, keep))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check


# -- command line --------------------------------------------------------------------------------
def default_report_folder(sheet: str | Path) -> Path:
    """Where ``jcmwb verify SHEET`` writes without ``--out``: ``<sheet>-verification/`` beside the sheet.

    A sheet inside a folder jcmwb wrote (a run's outputs, which its next run replaces whole)
    gets its report folder beside that folder instead, so the run's folder stays its own.
    """
    from jcmwb.run.output_folder import MARKER

    sheet = Path(os.path.abspath(sheet))
    name = f"{sheet.stem}-verification"
    if (sheet.parent / MARKER).is_file():
        return sheet.parent.parent / f"{sheet.parent.name}.{name}"
    return sheet.parent / name


def cmd_verify(args: argparse.Namespace) -> int:
    """``jcmwb verify``: 0 when the sheet (or receipt) agrees, 1 when it does not; errors exit 2."""
    from jcmwb.run.output_folder import check_output_folder
    from jcmwb.verify.report import finding_line, fmt, receipt_lines, write_reports

    if args.receipt:
        if args.sheet or args.data:
            raise InputError("a receipt is verified on its own", where="--receipt", expected="jcmwb verify --receipt receipt.json [--out DIR]", found="a sheet or --data as well")
        # Checked before the re-run, so a wrong --out costs no kernel run and writes nothing.
        keep = check_output_folder(args.out, [args.receipt], option="--out") if args.out else None
        check = verify_receipt(args.receipt, keep=keep)
        for line in receipt_lines(check):
            print(line)
        return 0 if check.agrees else 1
    if not args.sheet:
        raise InputError("nothing to verify", expected="jcmwb verify SHEET.xlsx [--data DIR] or jcmwb verify --receipt receipt.json")
    out = Path(args.out) if args.out else default_report_folder(args.sheet)
    check_output_folder(out, [args.sheet, *([args.data] if args.data else [])], option="--out" if args.out else "the report folder (default; choose another with --out)")
    v = verify_sheet(args.sheet, data=args.data)
    written = write_reports(v, out, tpe=args.tpe or "", participants=args.participant or "")
    materiality = "n/a" if v.materiality_percent is None else f"{v.materiality_percent:+.3f} %"
    print(f"{v.methodology} ver{v.version} {v.reference}: ER_p reported {fmt(v.er_reported) or 'n/a'}, recomputed {fmt(v.er_recomputed)} {v.er_unit} (materiality {materiality})")
    for f in v.findings:
        print(finding_line(f))
    verdict = "AGREES" if v.agrees else f"DISCREPANCIES FOUND ({v.count(ERROR)} error(s), {v.count(INCONSISTENCY)} inconsistency(ies))"
    where = os.path.relpath(out) if not args.out and not os.path.relpath(out).startswith("..") else str(out)
    print(f"{verdict}: report in {', '.join(p.name for p in written)} ({where})")
    return 0 if v.agrees else 1


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``jcmwb verify`` to the command line."""
    p = verbs.add_parser(
        "verify",
        help="recompute a Monitoring Report Sheet (or re-run a receipt) and report every discrepancy",
        description="Exit 0: the sheet agrees; 1: discrepancies found (see verification.md); 2: the sheet cannot be read.",
    )
    p.add_argument("sheet", nargs="?", help="MRS.xlsx (produced by jcmwb, or laid out in the official columns (a)-(k))")
    p.add_argument("--data", metavar="DIR", help="folder with the monitoring data files named in Table 1 column (h): re-aggregate and compare")
    p.add_argument("--receipt", metavar="RECEIPT.json", help="receipt.json: re-run the calculation and compare every hash")
    p.add_argument("--out", metavar="DIR", help="folder for verification.md/.xlsx and the draft report (default: SHEET-verification/ beside the sheet), or with --receipt for the re-run's outputs; a new or empty folder, or one jcmwb wrote")
    p.add_argument("--tpe", metavar="NAME", help="name of the third-party entity, for the draft verification report")
    p.add_argument("--participant", metavar="NAME", help="project participant(s), for the draft verification report")
    p.set_defaults(func=cmd_verify)
