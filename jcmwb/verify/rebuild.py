"""The monitoring period a sheet reports, rebuilt as a mapping the engine calculates.

Table 1 gives the monitored values (a row per parameter and monitoring point; a row whose
point reads "Total" or "Sum" totals the rows above and is not an input), Table 2 the
project-specific values and the options of the defaults, and the statements of the period
(column (a), Table 3, a header line) the period. The defaults themselves are the spec's for
that period: a default the sheet reports differently is a finding, not an input.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from jcmwb.engine.compute import NOT_GIVEN
from jcmwb.engine.errors import InputError, JcmwbError, SheetError
from jcmwb.engine.spec import Spec
from jcmwb.engine.units import factor, strip_period
from jcmwb.sheets.reader import MonitoredRow, ReportedSheet, period_of
from jcmwb.sheets.workbook import plain_symbol
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, Finding
from jcmwb.verify.symbols import equation_of, names
from jcmwb.verify.tolerance import REL_TOL, number

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

TOTAL_ROW = re.compile(r"^(total|sum)\b", re.IGNORECASE)


def is_total(row: MonitoredRow) -> bool:
    """A Table 1 row that totals the points above it ((b) reads "Total" or "Sum")."""
    return bool(TOTAL_ROW.match(row.point))


def is_not_given(row: MonitoredRow, spec: Spec) -> bool:
    """A Table 1 row of a reported-only parameter whose value (e) reads "not given" (the period left it out).

    Such a parameter enters no equation (methodologies/README.md 2.2), so the row is no input
    of the recomputation and no discrepancy.
    """
    name = names(spec).get(row.parameter)
    param = spec.parameters.get(name) if name else None
    shown = row.value.value
    return param is not None and param.reported_only and isinstance(shown, str) and shown.strip().lower() == NOT_GIVEN


def stated_period(sheet: ReportedSheet) -> tuple[str, str]:
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


def mapping(sheet: ReportedSheet, spec: Spec, findings: list[Finding], choices: dict[str, str]) -> dict[str, Any]:
    """The monitoring period the sheet reports, as a mapping for ``jcmwb.calculate``."""
    symbols = names(spec)
    start, end = stated_period(sheet)
    monitored: dict[str, dict[str, Any]] = {}
    monitored_names = ", ".join(plain_symbol(p.symbol) for p in spec.parameters.values() if p.kind == "monitored")
    for row in sheet.table1:
        if is_total(row) or is_not_given(row, spec):
            continue
        name = symbols.get(row.parameter)
        if name is None or spec.parameters.get(name) is None or spec.parameters[name].kind != "monitored":
            findings.append(Finding(INCONSISTENCY, row.value.ref, row.parameter or "(empty)", "not a monitored parameter of the methodology", expected="one of " + monitored_names, found=row.parameter or "an empty column (c)"))
            continue
        param = spec.parameters[name]
        # A reported-only parameter enters no equation: a slip in it cannot change ER_p.
        severity = INCONSISTENCY if param.reported_only else ERROR
        value = number(row.value.value)
        if value is None:
            if row.value.value is None and not row.value.formula:
                findings.append(Finding(severity, row.value.ref, row.parameter, f"no monitored value for {row.point or 'this point'}: left out of the recomputation", expected="a number" + (f" or {NOT_GIVEN!r}" if param.reported_only else ""), found="an empty cell", equation=equation_of(spec, name)))
                continue
            raise SheetError("monitored value is not a number", file=str(sheet.path), where=row.value.ref, expected="a number", found=repr(row.value.value))
        unit_text = str(row.unit.value or "").strip()
        if strip_period(unit_text) != strip_period(param.unit):
            try:
                scale = factor(unit_text, param.unit)
                slip = f"; the calculation takes the number in {param.unit}: if it is in {unit_text} it is {1 / scale:g} x too large" if scale != 1 else ""
            except JcmwbError:
                slip = ""
            findings.append(Finding(severity, row.unit.ref, row.parameter, f"unit differs from the methodology's (a kWh/MWh slip?){slip}", expected=param.unit, found=unit_text, equation=equation_of(spec, name)))
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
        # A project's own value: a fixed_project parameter, or a default the project replaced with
        # its own (e.g. its supplier's NCV): a value, not an option, as in the period file the
        # sheet was written from.
        own_value = param.kind == "fixed_project" or (param.kind == "fixed_default" and param.project_value and row.status.strip().startswith("project-specific value"))
        if own_value:
            value = number(row.value.value)
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
                option = choice_by_value(param, number(row.value.value), start)
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


def choice_by_value(param: Any, value: float | None, start: str) -> str | None:
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


def alternative_sets(spec: Spec) -> list[dict[str, str]]:
    """Every combination of the alternatives a period selects (``[{}]`` when there are none).

    Only the equations the period names: one ``selected_with`` another follows that one's choice.
    """
    equations = {n: list(e.alternatives) for n, e in spec.alternatives().items()}
    if not equations:
        return [{}]
    order = list(equations)
    return [dict(zip(order, combo)) for combo in itertools.product(*(equations[n] for n in order))]


def recompute(sheet: ReportedSheet, spec: Spec, findings: list[Finding]) -> tuple[Result, dict[str, Any]]:
    """Recompute; with equation alternatives, the first whose parameters the sheet reports.

    Returns the result and the mapping it was calculated from; the findings of rebuilding
    the mapping (a unit slip, an unknown parameter) are added to ``findings``.

    Raises
    ------
    SheetError
        When no rebuilt mapping can be calculated (the message names Table 1 or Table 2).
    """
    from jcmwb.engine.compute import calculate

    last: JcmwbError | None = None
    for choices in alternative_sets(spec):
        trial: list[Finding] = []
        raw = mapping(sheet, spec, trial, choices)
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
