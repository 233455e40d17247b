"""The checks of a submitted sheet: each one function ``check_x(ctx: Context) -> None``, in ``CHECKS``.

``jcmwb.verify.sheet.verify_sheet`` builds one ``Context`` per sheet (the sheet as read, the
recomputed Result and the mapping it came from) and runs ``CHECKS`` in order; each check adds
its findings and per-parameter check lines to the context's Verification. The order matters
where a check uses what an earlier one found: the references' holes before the formulas,
Table 3's reported ER_p before the credit allocation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from jcmwb.engine.errors import InputError, JcmwbError
from jcmwb.engine.spec import Spec, load_spec
from jcmwb.engine.units import strip_period
from jcmwb.sheets.reader import period_of
from jcmwb.sheets.workbook import plain_symbol
from jcmwb.verify import formulas, tpe
from jcmwb.verify.context import Context
from jcmwb.verify.data import er_from_data, reaggregate
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, Check, Finding
from jcmwb.verify.rebuild import is_not_given, is_total
from jcmwb.verify.symbols import equation_of, feeds_result, names
from jcmwb.verify.tolerance import agrees, number, ratio_hint, tolerance

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

NO_CACHED_VALUE = (
    "formula without a stored value (the workbook was saved without calculating, e.g. by openpyxl): "
    "its value is taken as the formula gives it, and the formula is checked against the methodology's; "
    "open and save the sheet in a spreadsheet program to compare the numbers too"
)


def check_columns(ctx: Context) -> None:
    """A column of Table 2 whose header means nothing jcmwb reads is named, not silently skipped."""
    for ref, header in ctx.sheet.unread_columns:
        ctx.findings.append(Finding(NOTE, ref, "Table 2", "column not read: its header is not one jcmwb knows (see docs/verify.md)", found=header))


def check_periods(ctx: Context) -> None:
    """Every statement of the period (Table 1 column (a), Table 3, the header) must be the same."""
    sheet, period = ctx.sheet, ctx.verification.period
    text = f"{period[0]} to {period[1]}"
    for row in sheet.table1:
        if period_of(str(row.period.value)) != period:
            ctx.findings.append(Finding(INCONSISTENCY, row.period.ref, row.parameter, "monitoring period differs from the rest of the sheet", expected=text, found=row.period.value))
    if sheet.result_period is not None and period_of(str(sheet.result_period.value)) != period:
        ctx.findings.append(Finding(INCONSISTENCY, sheet.result_period.ref, "period", "monitoring period in Table 3 differs from Table 1", expected=text, found=sheet.result_period.value))
    if sheet.header_period is not None and period_of(str(sheet.header_period.value)) != period:
        ctx.findings.append(Finding(INCONSISTENCY, sheet.header_period.ref, "period", "monitoring period in the header differs from Table 1", expected=text, found=sheet.header_period.value))
    document = sheet.document_period
    if sheet.has_formulas and document is not None and document != period and sheet.table1:
        ctx.findings.append(
            Finding(
                INCONSISTENCY,
                sheet.table1[0].period.ref,
                "period",
                f"monitoring period differs from the one jcmwb wrote into the workbook's document properties (title {sheet.document_title!r})",
                expected=f"{document[0]} to {document[1]}",
                found=text,
            )
        )


def check_table1_totals(ctx: Context) -> None:
    """A total row of Table 1 must be the sum of the rows of its parameter."""
    table1 = ctx.sheet.table1
    for total in (r for r in table1 if is_total(r)):
        parts = [r for r in table1 if r.parameter == total.parameter and not is_total(r)]
        numbers = [number(r.value.value) for r in parts]
        found = number(total.value.value)
        if found is None or None in numbers:
            continue
        expected = sum(numbers)
        tol = tolerance(expected, total.value)
        name = names(ctx.spec).get(total.parameter, total.parameter)
        ctx.checks.append(Check(f"{total.parameter} ({total.point})", "monitored, total of Table 1", total.value.ref, found, expected, str(total.unit.value or ""), "sum of " + ", ".join(r.value.address for r in parts)))
        if not agrees(expected, found, tol):
            message = f"the total row of Table 1 is not the sum of its {len(parts)} row(s) above" + ratio_hint(expected, found)
            ctx.findings.append(Finding(INCONSISTENCY, total.value.ref, total.parameter, message, expected=expected, found=found, tolerance=tol, equation=f"sum({name}, i)"))


def check_inputs(ctx: Context) -> None:
    """The inputs the recomputation took as reported: Table 1's monitored values, Table 2's project values."""
    symbols = names(ctx.spec)
    for row in ctx.sheet.table1:
        param = ctx.spec.parameters.get(symbols.get(row.parameter, ""))
        reported_only = param is not None and param.reported_only
        if is_not_given(row, ctx.spec):
            label = f"{row.parameter} ({row.point})" if row.point else row.parameter
            ctx.checks.append(Check(label, "monitored, reported only: not given (enters no equation)", row.value.ref, row.value.value, row.value.value, str(row.unit.value or ""), "left out of the monitoring period, as a reported-only parameter may be"))
        elif number(row.value.value) is not None and not is_total(row):
            what = "monitored, reported only (enters no equation)" if reported_only else "monitored (input of the recomputation)"
            ctx.checks.append(Check(f"{row.parameter} ({row.point})", what, row.value.ref, row.value.value, number(row.value.value), str(row.unit.value or ""), row.source))
    for row in ctx.sheet.table2:
        name = symbols.get(row.parameter)
        if name and ctx.spec.parameters[name].kind == "fixed_project":
            label = row.parameter + (f" ({row.member})" if row.member else "")
            ctx.checks.append(Check(label, "project value fixed ex ante (input of the recomputation)", row.value.ref, row.value.value, number(row.value.value), row.unit, row.source))


def check_defaults(ctx: Context) -> None:
    """Reported defaults against the spec's values for the period; would a difference change ER_p?"""
    from jcmwb.engine.compute import calculate
    from jcmwb.engine.period import parse_period

    sheet, spec, result = ctx.sheet, ctx.spec, ctx.result
    symbols = names(spec)
    for row in sheet.table2:
        name = symbols.get(row.parameter)
        if not name or spec.parameters[name].kind != "fixed_default" or name not in result.fixed:
            continue
        fixed = result.fixed[name]
        if isinstance(fixed.value, dict):
            if row.member not in fixed.value:
                ctx.findings.append(Finding(INCONSISTENCY, row.value.ref, row.parameter, f"no default of the methodology for {row.member!r}", expected="one of " + ", ".join(fixed.value), found=row.member))
                continue
            expected = fixed.value[row.member]
        else:
            expected = fixed.value
        found = number(row.value.value)
        tol = tolerance(expected, row.value)
        status = f"default ({fixed.status})" if fixed.status else "default"
        ctx.checks.append(Check(row.parameter + (f" ({row.member})" if row.member else ""), status, row.value.ref, row.value.value, expected, row.unit, f"the methodology's value for the period: {fixed.source}"))
        if found is not None and agrees(expected, found, tol):
            continue
        severity, effect = INCONSISTENCY, ""
        if found is not None:
            # Would the reported default change ER_p? Recompute with it, as a project value.
            param = spec.parameters[name]
            trial = json.loads(json.dumps(ctx.raw))
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
        message = f"default value differs from the methodology's for this period ({fixed.source}){effect}"
        ctx.findings.append(Finding(severity, row.value.ref, row.parameter, message, expected=expected, found=row.value.value, tolerance=tol, equation=equation_of(spec, name)))


def _expected_value(result: Result, name: str, member: str | None) -> float | None:
    value = result.values.get(name)
    if isinstance(value, dict):
        return value.get(member) if member is not None else None
    return value


def _rounding_hint(spec: Spec, result: Result, name: str, found: float) -> str:
    """`` (rounded up from 1,440.36; the methodology rounds down)`` when that explains a difference."""
    import math

    eq = spec.equations.get(name)
    raw = result.nodes[name].unrounded if name in result.nodes else None
    if eq is None or raw is None or eq.rounding == "none":
        return ""
    if found == math.ceil(raw) and found != math.floor(raw) and eq.rounding != "up":
        return f" (rounded up from {raw:,.6f}; the methodology rounds {eq.rounding})"
    if found == round(raw) and found != math.floor(raw) and eq.rounding != "nearest":
        return f" (rounded to nearest from {raw:,.6f}; the methodology rounds {eq.rounding})"
    return ""


def check_calc(ctx: Context) -> None:
    """Every number of the calculation-process sheet against the recomputation.

    Formula cells without a stored value go to ``ctx.uncached``, not compared.
    """
    spec, result = ctx.spec, ctx.result
    known = formulas.members(result)
    for row in ctx.sheet.calc:
        name, member = formulas.calc_key(spec, row.parameter, row.member, known)
        if name not in spec.parameters and name not in spec.equations:
            ctx.findings.append(Finding(NOTE, row.value.ref, row.parameter, "not a symbol of the methodology"))
            continue
        expected = _expected_value(result, name, member)
        if expected is None:
            continue
        found = number(row.value.value)
        rounded = name in spec.equations and spec.equations[name].rounding != "none"
        tol = tolerance(expected, row.value, exact=rounded)
        severity = ERROR if (name == spec.result or feeds_result(spec, name)) else INCONSISTENCY
        label = row.parameter + (f" ({member})" if member else "")
        ctx.checks.append(Check(label, "equation" if name in spec.equations else "default (calculation sheet)", row.value.ref, row.value.value, expected, row.unit, equation_of(spec, name)))
        if found is None and row.value.formula:
            ctx.uncached.append(row.value)
        elif found is None:
            ctx.findings.append(Finding(severity, row.value.ref, label, "no value where the methodology's number is expected", expected=expected, found=row.value.value, equation=equation_of(spec, name)))
        elif not agrees(expected, found, tol):
            message = "reported value differs from the recomputed one" + _rounding_hint(spec, result, name, found) + ratio_hint(expected, found)
            ctx.findings.append(Finding(severity, row.value.ref, label, message, expected=expected, found=found, tolerance=tol, equation=equation_of(spec, name)))


def check_references(ctx: Context) -> None:
    """Each cell a formula uses must still hold a number (a deleted row leaves a hole).

    The holes, (worksheet, A1) of each such cell, go to ``ctx.holes``: a formula that uses one
    is not also compared with the methodology's.
    """
    import openpyxl

    sheet = ctx.sheet
    book = openpyxl.load_workbook(sheet.path, data_only=True)
    used = [(r.parameter, r.value) for r in sheet.calc]
    if sheet.result is not None:
        used.append(("ER (Table 3)", sheet.result))
    computed = {(c.sheet, c.address) for _, c in used if c.formula}  # a formula without a stored value is no hole
    for parameter, cell in used:
        for target, address in formulas.references(cell.formula, cell.sheet):
            if target not in book.sheetnames or (target, address) in ctx.holes or (target, address) in computed:
                continue
            value = book[target][address].value
            if number(value) is None:
                ctx.holes.add((target, address))
                message = f"the formula in {cell.ref} uses this cell, which holds no number (row deleted or overwritten?)"
                ctx.findings.append(Finding(ERROR, f"'{target}'!{address}", parameter, message, expected="a number", found="an empty cell" if value is None else repr(value)))


def check_formulas(ctx: Context) -> None:
    """The formulas of a sheet written by jcmwb against those jcmwb writes for the recomputation.

    The expected formulas come from the writer's layout of the recomputed Result; each is
    compared after replacing its cell references by what they point at, so a different layout
    (a row more or less) does not matter, but a changed formula or a typed number does. A
    formula that uses a hole (already a finding of its own) is not compared.
    """
    if not ctx.verification.produced_by_jcmwb:
        return
    sheet, spec, result = ctx.sheet, ctx.spec, ctx.result
    expected = formulas.Expected(result)
    mine = formulas.sheet_labels(sheet, spec, result)
    known = formulas.members(result)
    pairs = [(formulas.calc_key(spec, r.parameter, r.member, known), r.value, r.parameter) for r in sheet.calc]
    if sheet.result is not None:
        pairs.append((formulas.TABLE3, sheet.result, spec.result))
    for key, cell, parameter in pairs:
        if key not in expected.formulas:
            continue
        name = spec.result if key == formulas.TABLE3 else key[0]
        shown = expected.shown(key, mine)
        label = parameter + (f" ({key[1]})" if key[1] else "")
        value_expected = result.er if key == formulas.TABLE3 else _expected_value(result, name, key[1])
        found = number(cell.value)
        value_agrees = found is not None and value_expected is not None and agrees(value_expected, found, tolerance(value_expected, cell))
        feeds = name == spec.result or feeds_result(spec, name)
        if cell.formula is None:
            severity = NOTE if value_agrees else (ERROR if feeds else INCONSISTENCY)
            message = f"cell {cell.address} holds a typed number where the methodology's formula is expected"
            ctx.findings.append(Finding(severity, cell.ref, label, message, expected=shown, found=cell.value, equation=equation_of(spec, name)))
        elif not formulas.agree(cell, key, expected, mine) and not any(ref in ctx.holes for ref in formulas.references(cell.formula, cell.sheet)):
            severity = INCONSISTENCY if value_agrees else (ERROR if feeds else INCONSISTENCY)
            message = "formula differs from the one the methodology's equation gives (the cached value would change on recalculation)"
            ctx.findings.append(Finding(severity, cell.ref, label, message, expected=shown, found=cell.formula, equation=equation_of(spec, name)))


def check_result(ctx: Context) -> None:
    """Table 3: the credited amount; sets the Verification's reported ER_p (None when not stored)."""
    sheet, spec, result = ctx.sheet, ctx.spec, ctx.result
    equation = equation_of(spec, spec.result)
    if sheet.result is None:
        ctx.findings.append(Finding(ERROR, f"'{sheet.input_sheet}'!Table 3", spec.result, "no Table 3 (ex-post result) in the sheet", expected=result.er, equation=equation))
        return
    reported = number(sheet.result.value)
    exact = spec.equations[spec.result].rounding != "none"
    tol = tolerance(result.er, sheet.result, exact=exact)
    ctx.checks.append(Check(plain_symbol(spec.equations[spec.result].symbol) + " (Table 3)", "result", sheet.result.ref, sheet.result.value, result.er, spec.equations[spec.result].unit, equation))
    if reported is None and sheet.result.formula:
        ctx.uncached.append(sheet.result)
    elif reported is None:
        ctx.findings.append(Finding(ERROR, sheet.result.ref, spec.result, "no emission reductions reported in Table 3", expected=result.er, found=sheet.result.value, equation=equation))
    elif not agrees(result.er, reported, tol):
        hint = _rounding_hint(spec, result, spec.result, reported) + ratio_hint(result.er, reported)
        message = "reported emission reductions differ from the recomputed ones" + hint
        ctx.findings.append(Finding(ERROR, sheet.result.ref, spec.result, message, expected=result.er, found=reported, tolerance=tol, equation=equation))
    ctx.verification.er_reported = reported


def check_uncached(ctx: Context) -> None:
    """One note for every formula without a stored value: its number could not be compared."""
    if ctx.uncached:
        first = ctx.uncached[0]
        others = ", ".join(c.address if c.sheet == first.sheet else c.ref for c in ctx.uncached[1:])
        ctx.findings.append(Finding(NOTE, first.ref, "formulas", NO_CACHED_VALUE + (f" (also {others})" if others else ""), found="no stored value"))


def check_allocation(ctx: Context) -> None:
    """The credits per party must add up to the reported ER_p, and follow their rounding rules."""
    rows, er_reported = ctx.sheet.allocation, ctx.verification.er_reported
    if not rows or er_reported is None:
        return
    from jcmwb.engine.issuance import allocate, parse_allocation

    shares = {r.party: number(r.share.value) for r in rows}
    credits = {r.party: number(r.credits.value) for r in rows}
    if any(v is None for v in [*shares.values(), *credits.values()]):
        bad = next(r for r in rows if number(r.share.value) is None or number(r.credits.value) is None)
        ctx.findings.append(Finding(ERROR, bad.credits.ref, f"credits {bad.party}", "the credit allocation holds a cell that is not a number", expected="a number", found=bad.credits.value))
        return
    total = sum(credits.values())
    if total != er_reported:
        message = "the parts of the credit allocation do not add up to the emission reductions of Table 3"
        ctx.findings.append(Finding(ERROR, rows[-1].credits.ref, "credits", message, expected=er_reported, found=total, tolerance=0.0))
    rules = {r.party: r.rounding for r in rows if r.rounding in ("up", "down", "nearest")}
    try:
        split = parse_allocation({**{p: f"{s}%" for p, s in shares.items()}, "rounding": rules})
        expected = allocate(er_reported, split) if er_reported == int(er_reported) else {}
    except (InputError, ValueError) as exc:
        ctx.findings.append(Finding(INCONSISTENCY, rows[0].share.ref, "allocation", f"the credit allocation cannot be reproduced: {exc}"))
        return
    for row in rows:
        if row.party in expected and credits[row.party] != expected[row.party]:
            message = f"credits differ from {shares[row.party]:g} % of the reported ER_p rounded {row.rounding or 'down'}"
            ctx.findings.append(Finding(INCONSISTENCY, row.credits.ref, f"credits {row.party}", message, expected=expected[row.party], found=credits[row.party], tolerance=0.0))


def check_data(ctx: Context) -> None:
    """With ``--data``: Table 1 against the re-aggregated raw data, and ER_p recomputed from the data."""
    if ctx.data is None:
        return
    v = ctx.verification
    engine = tpe.period_result(ctx) if ctx.period is not None else None
    aggregated = reaggregate(ctx.sheet, ctx.spec, ctx.raw, ctx.data, ctx.findings, ctx.checks, declared=ctx.period, engine=engine, engine_error=ctx.period_error)
    v.er_from_data = er_from_data(ctx.sheet, ctx.raw, aggregated, ctx.findings)
    if v.er_from_data is not None:
        v.er_recomputed = v.er_from_data


CHECKS: tuple[Callable[[Context], None], ...] = (
    check_columns,
    check_periods,
    check_table1_totals,
    check_inputs,
    check_defaults,
    check_calc,
    check_references,
    check_formulas,
    check_result,
    check_uncached,
    check_allocation,
    *tpe.BEFORE_DATA,
    check_data,
    *tpe.AFTER_DATA,
)
