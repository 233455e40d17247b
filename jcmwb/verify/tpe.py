"""What a TPE checks beyond the arithmetic: calibration, data completeness, eligibility,
plausibility and outliers of the monitored data, and the materiality of a misstatement.

Each check is one function ``check_x(ctx: Context) -> None`` in ``BEFORE_DATA`` or
``AFTER_DATA``, which ``jcmwb.verify.checks.CHECKS`` runs around ``check_data``. All but the
materiality and the COP range need the monitoring-period file (``--period FILE``, or the one
for this methodology in the ``--data`` folder); without it each says "not checked" in the
per-parameter table, and makes no finding.

Numbers used here, with their basis (none is a JCM rule):

* materiality threshold: ``jcmwb.verify.options`` (default 5 %, provisional);
* calibration interval: none by default (``--calibration-every``), since no methodology
  document read states one;
* outliers: the modified z-score ``0.6745 (x - median) / MAD`` of Iglewicz and Hoaglin
  (1993, *How to Detect and Handle Outliers*, ASQC), flagged when ``|z| > 3.5``, their
  recommended cut-off (status: confirmed as to the source, a statistical convention);
  where MAD is 0 (more than half the values equal) the mean absolute deviation times
  1.253314 stands in for it (its ratio to the standard deviation for normal data, sqrt(pi/2));
* COP range: ``COP_RANGE`` below (provisional).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jcmwb.engine.errors import JcmwbError
from jcmwb.verify.context import Context
from jcmwb.verify.findings import ERROR, FAR, NOTE, Check, Finding
from jcmwb.verify.rebuild import is_total
from jcmwb.verify.symbols import equation_of, names, printed
from jcmwb.verify.tolerance import number

Z_CUTOFF = 3.5  # Iglewicz and Hoaglin (1993): |modified z| above it is a potential outlier
Z_FACTOR = 0.6745  # the 0.75 quantile of the standard normal: makes MAD comparable to a standard deviation
MEAN_AD_FACTOR = 1.253314  # sqrt(pi / 2): standard deviation / mean absolute deviation, normal data
MIN_VALUES = 5  # fewer values per meter tell nothing about an outlier (a jcmwb choice)
SHOWN_ROWS = 8  # flagged rows named in a finding; the count says how many more

# (lowest, highest) plausible COP of the electric vapour-compression equipment of the chiller,
# refrigerator and heat-pump methodologies. Status provisional. Highest: the Carnot limit
# T_cold / (T_hot - T_cold) for chilled water at 7 C and condenser water at 30 C,
# 280.15 K / 23 K = 12.2 (arithmetic; the two temperatures are a jcmwb choice of typical design
# conditions), which no real machine reaches. Lowest: 1.0, a jcmwb choice below the lowest COP
# seen in the sources read, 1.32 (reference refrigerator of an ID_AM003 PDD).
COP_RANGE = (1.0, 280.15 / (303.15 - 280.15))
COP_RANGE_SOURCE = (
    "plausible range 1.0 to 12.2, status provisional: 12.2 is the Carnot limit for chilled water at 7 C and condenser water at 30 C "
    "(280.15 K / 23 K), 1.0 a jcmwb choice below the lowest COP in the sources read (1.32, a reference refrigerator)"
)

KIND = {
    "eligibility": "eligibility (TPE)",
    "calibration": "calibration (TPE)",
    "gaps": "data completeness (TPE)",
    "cop": "plausibility (TPE)",
    "outliers": "outliers (TPE)",
    "materiality": "materiality (TPE)",
}
NO_PERIOD = "no monitoring-period file (give --period FILE, or a --data folder that holds it)"


def period_result(ctx: Context) -> Any:
    """The engine's recomputation of the monitoring-period file, made once (None if it fails)."""
    from jcmwb.engine.compute import calculate

    if ctx.period is None or ctx.period_result is not None or ctx.period_error:
        return ctx.period_result
    try:
        ctx.period_result = calculate(ctx.period[1])
    except JcmwbError as exc:
        ctx.period_error = exc.line()
    return ctx.period_result


def _not_checked(ctx: Context, kind: str, why: str) -> None:
    ctx.checks.append(Check("-", KIND[kind], "-", None, None, basis=why, result=f"not checked: {why.split(' (')[0]}"))


def _period_where(ctx: Context, key: str) -> str:
    """``period.yaml: monitored.EG_i_p.calibration``: where in the period file a finding points."""
    assert ctx.period is not None
    return f"{ctx.period[0].name}: {key}"


def _row_ref(ctx: Context, name: str, point: str | None = None) -> str | None:
    """The Table 1 value cell of ``name`` at ``point`` (its first row without a point)."""
    for row in ctx.sheet.table1:
        if names(ctx.spec).get(row.parameter) == name and not is_total(row) and (point is None or row.point == point):
            return row.value.ref
    return None


def _days(days: list[dt.date]) -> str:
    """Consecutive days as spans: ``2022-01-01 to 2022-01-03, 2022-02-10``."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return ", ".join(a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}" for a, b in spans)


# -- the monitoring-period file against the sheet --------------------------------------------------
def check_period_file(ctx: Context) -> None:
    """A ``--period`` file (without ``--data``, which compares it itself) states the sheet's period."""
    if ctx.period is None or ctx.data is not None:
        return
    path, period = ctx.period
    stated = ctx.verification.period
    found = (period.start.isoformat(), period.end.isoformat())
    if stated is not None and found != stated:
        ref = ctx.sheet.table1[0].period.ref
        message = f"the monitoring period stated in the sheet differs from the monitoring-period file {path.name}"
        ctx.findings.append(Finding(ERROR, ref, "period", message, expected=f"{found[0]} to {found[1]}", found=f"{stated[0]} to {stated[1]}"))


# -- eligibility ---------------------------------------------------------------------------------
def check_eligibility(ctx: Context) -> None:
    """Every eligibility criterion of the methodology answered in the period file; NO is a CAR, none a CL."""
    criteria = ctx.spec.eligibility
    if not criteria:
        return
    if ctx.period is None:
        _not_checked(ctx, "eligibility", NO_PERIOD)
        return
    answers = ctx.period[1].eligibility
    for criterion in criteria:
        where = _period_where(ctx, f"eligibility.{criterion.id}")
        text = str(criterion.text).rstrip(".")
        answer = answers.get(criterion.id)
        shown = "not answered" if answer is None else ("yes" if answer else "NO")
        ctx.checks.append(Check(f"criterion {criterion.id}", KIND["eligibility"], where, shown, "yes", basis=text, result="agrees" if answer else "differs"))
        if answer is None:
            message = f"eligibility criterion {criterion.id} not answered in the monitoring-period file: {text}"
            ctx.findings.append(Finding(NOTE, where, f"criterion {criterion.id}", message, expected="yes (with the evidence)", found="no answer"))
        elif answer is False:
            message = f"eligibility criterion {criterion.id} answered NO: the methodology applies only to projects that meet all its criteria: {text}"
            ctx.findings.append(Finding(ERROR, where, f"criterion {criterion.id}", message, expected="yes", found="no"))


# -- calibration ---------------------------------------------------------------------------------
def _meters(ctx: Context, name: str, item: Any) -> list[str]:
    """The meters of a monitored parameter: as the period file names them, else as its data holds them."""
    if item.points:
        return list(item.points)
    meters = {c.point for c in item.calibration}
    result = period_result(ctx)
    if result is not None and name in result.monitored:
        for point, pdata in result.monitored[name].points.items():
            meters.update(pdata.parts or [point])
    return sorted(meters)


def uncovered_days(dates: list[dt.date], every: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` that no calibration covers.

    A calibration on day d covers d up to and including ``every.after(d)``, its due date.
    """
    out = []
    day = start
    while day <= end:
        if not any(d <= day <= every.after(d) for d in dates):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def check_calibration(ctx: Context) -> None:
    """Each meter's calibration dates (``monitored.<name>.calibration``) against the required interval.

    Days of the period that no calibration covers are a CAR: their readings are to be corrected
    conservatively, or the calibration evidence provided. A meter of option C without any record
    is a CL. A next calibration that falls due before the end of a next period of the same length
    is a FAR. Without an interval (``--calibration-every``) the dates are listed, not judged.
    """
    if ctx.period is None:
        _not_checked(ctx, "calibration", NO_PERIOD)
        return
    period = ctx.period[1]
    length = period.end - period.start
    for name, item in period.monitored.items():
        label = printed(ctx.spec, name)
        every = ctx.options.every(name)
        where = _period_where(ctx, f"monitored.{name}.calibration")
        if item.data is None:
            ctx.checks.append(Check(label, KIND["calibration"], where, None, None, basis="values typed in the period file, no data file", result="not checked: no meter named"))
            continue
        for meter in _meters(ctx, name, item):
            dates = sorted(c.date for c in item.calibration if c.point == meter)
            ref = _row_ref(ctx, name, meter) or where
            shown = ", ".join(d.isoformat() for d in dates) or "none"
            required = f"every {every.words} (--calibration-every {every})" if every else "interval unknown"
            if not dates:
                ctx.checks.append(Check(f"{label} ({meter})", KIND["calibration"], ref, shown, required, basis=f"option {item.option}", result="no record"))
                if item.option == "C":
                    message = f"no calibration record for meter {meter} (option C: the participants' own measurement with calibrated equipment); provide the calibration certificate"
                    ctx.findings.append(Finding(NOTE, ref, f"{label} ({meter})", message, expected="a calibration date", found="none", equation=equation_of(ctx.spec, name)))
                continue
            if every is None:
                ctx.checks.append(Check(f"{label} ({meter})", KIND["calibration"], ref, shown, required, basis="no calibration interval stated in the methodology spec; give --calibration-every", result="not checked: frequency unknown"))
                continue
            gaps = uncovered_days(dates, every, period.start, period.end)
            due = every.after(dates[-1])
            ctx.checks.append(Check(f"{label} ({meter})", KIND["calibration"], ref, shown, required, basis=f"next due {due.isoformat()}", result=f"{len(gaps)} day(s) not covered" if gaps else "agrees"))
            if gaps:
                covered_to = max((every.after(d) for d in dates if d <= gaps[0]), default=None)
                last = f"the calibration of {covered_to and max(d for d in dates if d <= gaps[0]).isoformat()} was due again on {covered_to.isoformat()}" if covered_to else f"the first calibration is of {dates[0].isoformat()}"
                message = (
                    f"calibration of meter {meter} not valid on {len(gaps)} day(s) of the period ({_days(gaps)}): {last}, at an interval of {every.words}; "
                    "the readings of those days are to be corrected conservatively, or the calibration evidence provided"
                )
                ctx.findings.append(Finding(ERROR, ref, f"{label} ({meter})", message, expected=f"a calibration at most {every.words} old on each day", found=shown, equation=equation_of(ctx.spec, name)))
            elif due <= period.end + length + dt.timedelta(days=1):
                message = f"the next calibration of meter {meter} is due on {due.isoformat()}, within a next monitoring period of the same length: calibrate by then"
                ctx.findings.append(Finding(NOTE, ref, f"{label} ({meter})", message, expected=f"a calibration by {due.isoformat()}", found=dates[-1].isoformat(), action=FAR))


# -- data completeness -----------------------------------------------------------------------------
def check_gaps(ctx: Context) -> None:
    """Each data gap the engine found, its treatment and its effect on ER_p [tCO2], as the engine logged them.

    The effect of a fill is ``er_after - er_before`` of its logged correction (ER_p before
    rounding); a gap left out changes nothing (ER_p is what the values present give), and the
    engine's note says why leaving it out is conservative. Either way the gap is treated
    conservatively: a FAR (reduce data loss), not a CAR.
    """
    if ctx.period is None:
        _not_checked(ctx, "gaps", NO_PERIOD)
        return
    result = period_result(ctx)
    if result is None:
        _not_checked(ctx, "gaps", f"the monitoring-period file could not be recomputed ({ctx.period_error})")
        return
    for name, series in result.monitored.items():
        label = printed(ctx.spec, name)
        for point, pdata in series.points.items():
            ref = _row_ref(ctx, name, point) or _row_ref(ctx, name) or _period_where(ctx, f"monitored.{name}")
            expected = f" of {pdata.expected:,}" if pdata.expected else ""
            if not pdata.gaps:
                ctx.checks.append(Check(f"{label} ({point})", KIND["gaps"], ref, f"0 missing{expected}", 0.0, "tCO2", pdata.rows, result="agrees"))
                continue
            fills = [c for c in result.corrections if c.parameter == name and c.point == point and c.kind == "gap fill"]
            effect = sum(c.er_after - c.er_before for c in fills if c.er_after is not None and c.er_before is not None)
            note = next((n for n in result.notes if n.startswith(f"{name} at {point}:")), "")
            treatment = fills[0].reason if fills else (note.split(": ", 1)[1] if note else "left out")
            spans = "; ".join(g.describe() for g in pdata.gaps)
            share = f" ({100 * pdata.missing / pdata.expected:.2f} %)" if pdata.expected else ""
            ctx.checks.append(Check(f"{label} ({point})", KIND["gaps"], ref, f"{pdata.missing:,} missing{expected}", round(effect, 6), "tCO2", treatment, result="treated conservatively"))
            shown = f"effect on ER_p before rounding {effect:+,.6f} tCO2" if fills else "no effect on ER_p (left out)"
            message = f"{pdata.missing:,}{expected} values missing{share} ({spans}); {treatment}; {shown}"
            ctx.findings.append(Finding(NOTE, ref, f"{label} ({point})", message, expected=f"no missing {series.interval or ''} value".replace("  ", " "), found=f"{pdata.missing} missing", equation=equation_of(ctx.spec, name), action=FAR))


# -- plausibility: COP -------------------------------------------------------------------------------
def check_cop(ctx: Context) -> None:
    """Every COP in Table 2 (project or default) within ``COP_RANGE``; outside it is a CL."""
    low, high = COP_RANGE
    symbols = names(ctx.spec)
    for row in ctx.sheet.table2:
        name = symbols.get(row.parameter)
        value = number(row.value.value)
        if not name or not name.upper().startswith("COP") or value is None:
            continue
        label = row.parameter + (f" ({row.member})" if row.member else "")
        inside = low <= value <= high
        ctx.checks.append(Check(label, KIND["cop"], row.value.ref, value, f"{low:g} to {high:.1f}", row.unit, COP_RANGE_SOURCE, result="agrees" if inside else "outside the range"))
        if not inside:
            side = "above the Carnot limit for typical chiller conditions" if value > high else "below any COP of the equipment of these methodologies"
            ctx.findings.append(Finding(NOTE, row.value.ref, label, f"implausible COP: {side}; provide the manufacturer's specification ({COP_RANGE_SOURCE})", expected=f"{low:g} to {high:.1f}", found=value, equation=equation_of(ctx.spec, name)))


# -- plausibility: outliers ------------------------------------------------------------------------------
def modified_z(values: np.ndarray) -> np.ndarray | None:
    """Iglewicz-Hoaglin modified z-scores of ``values``; None when every value is the same."""
    median = float(np.median(values))
    deviations = np.abs(values - median)
    mad = float(np.median(deviations))
    if mad > 0:
        return Z_FACTOR * (values - median) / mad
    mean_ad = float(np.mean(deviations))
    if mean_ad == 0:
        return None
    return (values - median) / (MEAN_AD_FACTOR * mean_ad)


def by_weekday_z(values: np.ndarray, days: list[str]) -> np.ndarray | None:
    """Modified z-scores of daily ``values``, each within the days of its weekday (``days``: YYYY-MM-DD).

    A weekday whose values are all the same scores 0; None when every weekday is so.
    """
    weekdays = pd.to_datetime(pd.Series(days), format="%Y-%m-%d").dt.day_of_week.to_numpy()
    z = np.zeros(len(values))
    scored = False
    for weekday in np.unique(weekdays):
        at = np.flatnonzero(weekdays == weekday)
        part = modified_z(values[at])
        if part is not None:
            z[at] = part
            scored = True
    return z if scored else None


def _read(path: Path) -> pd.DataFrame:
    """The data file as text with its file row numbers (the engine has already read it once)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, sheet_name=0, engine="openpyxl")
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame["row"] = range(2, len(frame) + 2)
    return frame


def _rows(rows: list[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {min(rows)}-{max(rows)}"


def observations(frame: pd.DataFrame, fmt: str) -> dict[str, list[tuple[str, float, str]]]:
    """Per meter, the values an outlier is looked for in: (label, value, file rows).

    Interval data: each day's total, over the days with every interval present (a day with
    missing values is the data-completeness check's); monthly data: each row; register data:
    the consumption per day between consecutive readings.
    """
    out: dict[str, list[tuple[str, float, str]]] = {}
    if "point" not in frame.columns:
        return out
    value_column = "reading" if fmt == "register" else "value"
    frame = frame.assign(v=pd.to_numeric(frame.get(value_column, pd.Series(dtype=str)).astype(str).str.replace(",", ""), errors="coerce")).dropna(subset=["v"])
    for point, part in frame.groupby("point", sort=True):
        point = str(point)
        if fmt == "monthly":
            out[point] = [(str(m), float(v), f"row {r}") for m, v, r in zip(part["month"], part["v"], part["row"])]
        elif fmt == "register":
            stamps = pd.to_datetime(part["timestamp"].str[:19], errors="coerce")
            part = part.assign(t=stamps).dropna(subset=["t"]).sort_values("t")
            t, v, r = list(part["t"]), list(part["v"]), list(part["row"])
            series = []
            for k in range(1, len(t)):
                days = (t[k] - t[k - 1]).total_seconds() / 86400
                if days > 0:
                    series.append((f"{t[k - 1]:%Y-%m-%d} to {t[k]:%Y-%m-%d}", (v[k] - v[k - 1]) / days, _rows([r[k - 1], r[k]])))
            out[point] = series
        else:
            days = part["timestamp"].astype(str).str[:10]
            grouped = part.assign(day=days).groupby("day", sort=True)
            counts = grouped["v"].count()
            full = int(counts.max())
            out[point] = [(str(day), float(g["v"].sum()), _rows(list(g["row"]))) for day, g in grouped if len(g) == full]
    return out


def check_outliers(ctx: Context) -> None:
    """Values of the monitored data far from the rest of their meter's: a CL listing the file rows.

    The modified z-score (module docstring) of each meter's daily totals (monthly values,
    daily consumption between register readings); ``|z| > 3.5`` is flagged. A flag is a
    question, not an error: a shutdown month or a sunny day may explain it.
    """
    if ctx.period is None:
        _not_checked(ctx, "outliers", NO_PERIOD)
        return
    for name, item in ctx.period[1].monitored.items():
        if item.data is None:
            continue
        label = printed(ctx.spec, name)
        try:
            frame = _read(item.data)
        except (OSError, ValueError) as exc:
            _not_checked(ctx, "outliers", f"{item.data.name} could not be read ({exc})")
            continue
        for meter, series in observations(frame, item.format).items():
            ref = _row_ref(ctx, name, meter) or _row_ref(ctx, name) or _period_where(ctx, f"monitored.{name}")
            what = {"monthly": "monthly values", "register": "daily consumption between readings"}.get(item.format, "daily totals (complete days)")
            basis = f"{item.data.name}: {len(series)} {what}; modified z-score, |z| > {Z_CUTOFF:g} flagged (Iglewicz and Hoaglin 1993)"
            if len(series) < MIN_VALUES:
                ctx.checks.append(Check(f"{label} ({meter})", KIND["outliers"], ref, len(series), None, basis=basis, result=f"not tested: fewer than {MIN_VALUES} values"))
                continue
            values = np.array([v for _, v, _ in series], dtype=float)
            weekly = item.format not in ("monthly", "register") and len(series) >= 7 * MIN_VALUES
            if weekly:  # a plant's Sundays are not outliers of its weekdays: each day is compared with its own weekday
                basis += ", each day against the same weekday"
            z = by_weekday_z(values, [when for when, _, _ in series]) if weekly else modified_z(values)
            flagged = [] if z is None else [(series[k], float(z[k])) for k in np.flatnonzero(np.abs(z) > Z_CUTOFF)]
            ctx.checks.append(Check(f"{label} ({meter})", KIND["outliers"], ref, f"{len(flagged)} flagged", f"median {np.median(values):,.6g}", "", basis, result="agrees" if not flagged else f"{len(flagged)} to explain"))
            if not flagged:
                continue
            shown = "; ".join(f"{item.data.name} {rows} ({when}: {value:,.6g}, z {score:+.1f})" for (when, value, rows), score in flagged[:SHOWN_ROWS])
            more = f"; and {len(flagged) - SHOWN_ROWS} more" if len(flagged) > SHOWN_ROWS else ""
            centre = "the median of the same weekday" if weekly else f"its median {np.median(values):,.6g}"
            message = f"{len(flagged)} of {len(series)} {what} of meter {meter} far from {centre} (|modified z| > {Z_CUTOFF:g}): {shown}{more}; explain them (shutdown, meter fault, data error)"
            ctx.findings.append(Finding(NOTE, ref, f"{label} ({meter})", message, expected=f"|z| <= {Z_CUTOFF:g}", found=f"{len(flagged)} value(s) flagged", equation=equation_of(ctx.spec, name)))


# -- materiality ------------------------------------------------------------------------------------
def check_materiality(ctx: Context) -> None:
    """|100 x (reported - recomputed) / recomputed| against the threshold: above it, a CAR."""
    v = ctx.verification
    v.materiality_threshold, v.materiality_basis = ctx.options.materiality, ctx.options.materiality_source
    m = v.materiality_percent
    ref = ctx.sheet.result.ref if ctx.sheet.result is not None else f"'{ctx.sheet.input_sheet}'!Table 3"
    threshold = f"at most {v.materiality_threshold:g} % either way"
    if m is None:
        ctx.checks.append(Check("materiality", KIND["materiality"], ref, None, threshold, "%", v.materiality_basis, result="not assessed: no ER_p reported"))
        return
    passes = bool(v.materiality_passes)
    ctx.checks.append(Check("materiality", KIND["materiality"], ref, m if math.isfinite(m) else "inf", threshold, "%", v.materiality_basis, result="PASS" if passes else "FAIL"))
    if not passes:
        message = f"misstatement of {m:+.3f} % of the recomputed ER_p, above the materiality threshold of {v.materiality_threshold:g} % ({v.materiality_basis})"
        ctx.findings.append(Finding(ERROR, ref, ctx.spec.result, message, expected=v.er_recomputed, found=v.er_reported, equation=equation_of(ctx.spec, ctx.spec.result)))


BEFORE_DATA: tuple[Callable[[Context], None], ...] = (check_period_file, check_eligibility, check_calibration, check_gaps, check_cop, check_outliers)
AFTER_DATA: tuple[Callable[[Context], None], ...] = (check_materiality,)
