"""Conservative corrections of monitored data: calibration errors and data gaps.

The JCM guidelines ask that readings from a meter whose calibration shows an error
beyond the permissible level be corrected in the conservative direction, and that
missing data be filled or excluded conservatively. "Conservative" depends on where a
parameter enters the equations: more generation raises reference emissions, more
project fuel raises project emissions. So the direction of every correction is
decided from the sign of dER/dx, measured on the methodology's own equations, and
each step is asserted never to raise ER.
"""

from __future__ import annotations

from collections.abc import Callable

from jcmwb.errors import ConservativenessError, DataError
from jcmwb.monitoring import MonitoredData
from jcmwb.period import MonitoringPeriod
from jcmwb.trace import Correction

# Values are compared with a relative slack for floating-point noise only.
_EPS = 1e-9

EvaluateER = Callable[[dict[str, dict[str, float]]], float]


def sensitivity(totals: dict[str, dict[str, float]], evaluate: EvaluateER, name: str, point: str) -> int:
    """Sign of dER/dx for one monitored value: +1, -1 or 0 (measured, not assumed)."""
    base = evaluate(totals)
    bumped = {k: dict(v) for k, v in totals.items()}
    step = max(abs(bumped[name][point]) * 0.01, 1.0)
    bumped[name][point] += step
    changed = evaluate(bumped)
    scale = max(abs(base), abs(changed), 1.0)
    if abs(changed - base) <= _EPS * scale:
        return 0
    return 1 if changed > base else -1


def _assert_not_raised(before: float, after: float, what: str) -> None:
    if after > before + _EPS * max(abs(before), 1.0):
        raise ConservativenessError(f"{what} would raise ER_p from {before!r} to {after!r}; refused")


def apply_corrections(
    period: MonitoringPeriod,
    data: dict[str, MonitoredData],
    totals: dict[str, dict[str, float]],
    evaluate: EvaluateER,
) -> tuple[dict[str, dict[str, float]], list[Correction], list[str]]:
    """Apply calibration corrections, then conservative gap fills. Returns new totals, the log, notes."""
    permissible = period.spec.permissible_error_percent or 0.0
    current = {k: dict(v) for k, v in totals.items()}
    log: list[Correction] = []
    notes: list[str] = []
    start_er = evaluate(current)

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
                sign = sensitivity(current, evaluate, name, member)
                if sign == 0:
                    continue
                before = current[name][member]
                amount = before if part is None else part
                after = before - amount * error / 100 if sign > 0 else before + amount * error / 100
                trial = {k: dict(v) for k, v in current.items()}
                trial[name][member] = after
                er_before, er_after = evaluate(current), evaluate(trial)
                _assert_not_raised(er_before, er_after, f"calibration correction of {name} at {member}")
                current = trial
                direction = "reduced" if sign > 0 else "increased"
                share = "" if part is None else f" on the {amount:,.6g} {data[name].unit} metered by {cal.point}"
                log.append(
                    Correction(
                        name,
                        member,
                        "calibration",
                        before,
                        after,
                        data[name].unit,
                        f"calibration of {cal.point} on {cal.date} found an error of {cal.error_percent:+g}% (permissible {permissible:g}%): {direction} by {error:g}%{share}, the conservative direction"
                        if part is not None
                        else f"calibration on {cal.date} found an error of {cal.error_percent:+g}% (permissible {permissible:g}%): {direction} by {error:g}%, the conservative direction",
                        er_before,
                        er_after,
                    )
                )

    for name, series in data.items():
        for point, pdata in series.points.items():
            if not pdata.gaps:
                continue
            sign = sensitivity(current, evaluate, name, point)
            missing = pdata.missing
            if sign >= 0:
                notes.append(
                    f"{name} at {point}: {missing} missing value(s) left unfilled (more {name} would raise ER_p, so excluding them is conservative)"
                )
                continue
            if series.format == "register" or pdata.max_value is None:
                # Not an engine fault: the data cannot support a conservative result.
                raise DataError(
                    f"{name} at {point} has missing data and more {name} lowers ER_p, so the gap must be filled conservatively, which needs the missing readings",
                    file=series.file,
                    where=f"point {point}",
                    expected="readings covering the whole period (a reading at its start and at its end)" if series.format == "register" else "at least one value to fill from",
                    found="; ".join(g.describe() for g in pdata.gaps),
                )
            fill = pdata.max_value * missing
            before = current[name][point]
            trial = {k: dict(v) for k, v in current.items()}
            trial[name][point] = before + fill
            er_before, er_after = evaluate(current), evaluate(trial)
            _assert_not_raised(er_before, er_after, f"gap fill of {name} at {point}")
            current = trial
            log.append(
                Correction(
                    name,
                    point,
                    "gap fill",
                    before,
                    before + fill,
                    series.unit,
                    f"{missing} missing value(s) filled with the largest observed value {pdata.max_value:,.6g} each (more {name} lowers ER_p)",
                    er_before,
                    er_after,
                )
            )
    _assert_not_raised(start_er, evaluate(current), "the corrections together")
    return current, log, notes
