"""Conservative corrections of monitored data: data gaps and calibration errors.

The JCM guidelines ask that missing data be filled or excluded conservatively, and that
readings from a meter whose calibration shows an error beyond the permissible level be
corrected in the conservative direction. "Conservative" depends on where a value enters
the equations (more generation raises reference emissions, more project fuel raises
project emissions), and an equation may have a kink there (``max(charge - discharge, 0)``
does not move while the charge is below the discharge, but a fill may carry it past).
So no direction is assumed or read from a small step: each choice is made by evaluating
ER_p with every candidate value (the gap filled or left out; the reading lowered or raised
by the calibration error) and keeping the lowest, and each step is asserted never to raise ER_p.

Gaps are decided first and calibration second, so that a calibration error corrects the
filled values of its meter too: they stand for readings of the same meter.
"""

from __future__ import annotations

from collections.abc import Callable

from jcmwb.engine.errors import ConservativenessError, DataError
from jcmwb.engine.monitoring import MonitoredData, PointData
from jcmwb.engine.numbers import format_number, format_significant
from jcmwb.engine.period import MonitoringPeriod
from jcmwb.engine.trace import Correction

# Values are compared with a relative slack for floating-point noise only.
_EPS = 1e-9

# Where no fill is defined (register spans, a point without any value), the missing amount is
# unknown: it could be anything from nothing upwards. These multiples of the point's total try
# amounts over five orders of magnitude; if any of them lowers ER_p, leaving the gap out would
# not be conservative and the missing readings are asked for.
_PROBES = (0.01, 0.1, 1.0, 10.0, 100.0)

EvaluateER = Callable[[dict[str, dict[str, float]]], float]
Totals = dict[str, dict[str, float]]


def _with(totals: Totals, name: str, point: str, value: float) -> Totals:
    trial = {k: dict(v) for k, v in totals.items()}
    trial[name][point] = value
    return trial


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS * max(abs(a), abs(b), 1.0)


def _lower(a: float, b: float) -> bool:
    """``a`` is lower than ``b`` by more than floating-point noise."""
    return a < b and not _same(a, b)


def _assert_not_raised(before: float, after: float, what: str) -> None:
    if after > before + _EPS * max(abs(before), 1.0):
        raise ConservativenessError(f"{what} would raise ER_p from {before!r} to {after!r}; refused")


def fill_decision(totals: Totals, evaluate: EvaluateER, name: str, point: str, fill: float) -> tuple[bool, float, float]:
    """Whether adding ``fill`` to one monitored value is the conservative choice.

    Returns (fill it, ER_p without the fill, ER_p with it): the fill is applied only when
    ER_p with it is lower than without; when it is equal or higher, the gap is left out
    (nothing is invented).
    """
    without = evaluate(totals)
    with_fill = evaluate(_with(totals, name, point, totals[name][point] + fill))
    return _lower(with_fill, without), without, with_fill


def calibration_decision(totals: Totals, evaluate: EvaluateER, name: str, point: str, amount: float, error: float) -> tuple[int, float, float]:
    """The conservative direction of a calibration correction of ``amount`` by ``error`` percent.

    Returns (direction, ER_p now, ER_p after): direction -1 lowers the value, +1 raises it,
    0 when neither changes ER_p (nothing to correct). Of the two directions the one with
    the lower ER_p is chosen (lowering on a tie); the caller asserts it does not raise ER_p.
    """
    now = evaluate(totals)
    delta = amount * error / 100
    value = totals[name][point]
    down = evaluate(_with(totals, name, point, value - delta))
    up = evaluate(_with(totals, name, point, value + delta))
    if _same(down, now) and _same(up, now):
        return 0, now, now
    return (-1, now, down) if down <= up else (1, now, up)


def _more_lowers_er(totals: Totals, evaluate: EvaluateER, name: str, point: str) -> bool:
    base = evaluate(totals)
    scale = max(abs(totals[name][point]), 1.0)
    return any(_lower(evaluate(_with(totals, name, point, totals[name][point] + k * scale)), base) for k in _PROBES)


def _filled_by_meter(pdata: PointData) -> dict[str, float]:
    """The fill of a point per underlying meter (a category total gathers several meters)."""
    out: dict[str, float] = {}
    for gap in pdata.gaps:
        out[gap.point] = out.get(gap.point, 0.0) + (pdata.max_value or 0.0) * gap.missing
    return out


def apply_corrections(
    period: MonitoringPeriod,
    data: dict[str, MonitoredData],
    totals: Totals,
    evaluate: EvaluateER,
) -> tuple[Totals, list[Correction], list[str]]:
    """Apply conservative gap fills, then calibration corrections. Returns new totals, the log, notes."""
    permissible = period.spec.permissible_error_percent or 0.0
    current = {k: dict(v) for k, v in totals.items()}
    log: list[Correction] = []
    notes: list[str] = []
    start_er = evaluate(current)
    # (parameter, member) -> meter -> amount filled, for the calibration of filled values
    filled: dict[tuple[str, str], dict[str, float]] = {}

    for name, series in data.items():
        for point, pdata in series.points.items():
            if not pdata.gaps:
                continue
            missing = pdata.missing
            if series.format == "register" or pdata.max_value is None:
                if _more_lowers_er(current, evaluate, name, point):
                    # Not an engine fault: the data cannot support a conservative result.
                    raise DataError(
                        f"{name} at {point} has missing data and more {name} lowers ER_p, so the gap must be filled conservatively, which needs the missing readings",
                        file=series.file,
                        where=f"point {point}",
                        expected="readings covering the whole period (a reading at its start and at its end)" if series.format == "register" else "at least one value to fill from",
                        found="; ".join(g.describe() for g in pdata.gaps),
                    )
                notes.append(f"{name} at {point}: {missing} missing value(s) left unfilled (no fill is defined for them, and more {name} would not lower ER_p, so leaving them out is conservative)")
                continue
            fill = pdata.max_value * missing
            chosen, er_without, er_with = fill_decision(current, evaluate, name, point, fill)
            largest = f"the largest observed value {format_significant(pdata.max_value)}"
            if not chosen:
                why = (
                    f"filled with {largest} they would not change ER_p ({format_number(er_without, 6, trim=True)}), so nothing is invented"
                    if _same(er_with, er_without)
                    else f"ER_p {format_number(er_without, 6, trim=True)} without them, {format_number(er_with, 6, trim=True)} with {largest} filled in: the lower is kept"
                )
                notes.append(f"{name} at {point}: {missing} missing value(s) left unfilled ({why})")
                continue
            before = current[name][point]
            trial = _with(current, name, point, before + fill)
            _assert_not_raised(er_without, evaluate(trial), f"gap fill of {name} at {point}")
            current = trial
            filled[(name, point)] = _filled_by_meter(pdata)
            log.append(
                Correction(
                    name,
                    point,
                    "gap fill",
                    before,
                    before + fill,
                    series.unit,
                    f"{missing} missing value(s) filled with {largest} each: ER_p {format_number(er_with, 6, trim=True)} with the fill, {format_number(er_without, 6, trim=True)} without; the lower is kept",
                    er_without,
                    er_with,
                )
            )

    for name, item in period.monitored.items():
        for cal in item.calibration:
            # The meter's share of each member: itself, or, for a parameter split by day
            # category, its contribution to each category total.
            if cal.point in current[name]:
                shares = [(cal.point, None)]
            else:
                shares = [(m, p.parts[cal.point]) for m, p in data[name].points.items() if cal.point in p.parts]
            if not shares:
                notes.append(f"calibration record for unknown point {cal.point} of {name} ignored")
                continue
            error = abs(cal.error_percent)
            if error <= permissible:
                continue
            for member, part in shares:
                before = current[name][member]
                by_meter = filled.get((name, member), {})
                # A point's total already holds its fill; a meter's share of a category total does not.
                fill = sum(by_meter.values()) if part is None else by_meter.get(cal.point, 0.0)
                amount = before if part is None else part + fill
                sign, er_before, er_after = calibration_decision(current, evaluate, name, member, amount, error)
                if sign == 0:
                    if not amount:
                        continue  # the meter metered nothing in this member: nothing to correct
                    # Below floating-point noise (1e-9 of ER_p, at least 1e-9 tCO2), as for a
                    # chiller whose COP equals the reference: either direction leaves ER_p as it is.
                    notes.append(f"calibration of {cal.point} on {cal.date} ({cal.error_percent:+g}%) not applied to {name} at {member}: neither direction changes ER_p")
                    continue
                _assert_not_raised(er_before, er_after, f"calibration correction of {name} at {member}")
                after = before + sign * amount * error / 100
                current = _with(current, name, member, after)
                direction = "reduced" if sign < 0 else "increased"
                including = f" (including the {format_significant(fill)} {data[name].unit} filled in for its missing values)" if fill else ""
                log.append(
                    Correction(
                        name,
                        member,
                        "calibration",
                        before,
                        after,
                        data[name].unit,
                        # A meter's share of a category total says which meter and how much.
                        f"calibration of {cal.point} on {cal.date} found an error of {cal.error_percent:+g}% (permissible {permissible:g}%): {direction} by {error:g}% on the {format_significant(amount)} {data[name].unit} metered by {cal.point}, the conservative direction{including}"
                        if part is not None
                        else f"calibration on {cal.date} found an error of {cal.error_percent:+g}% (permissible {permissible:g}%): {direction} by {error:g}%, the conservative direction{including}",
                        er_before,
                        er_after,
                    )
                )
    _assert_not_raised(start_er, evaluate(current), "the corrections together")
    return current, log, notes
