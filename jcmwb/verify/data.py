"""Re-aggregation of the raw monitoring data (``jcmwb verify --data DIR``), compared with Table 1.

With a monitoring-period file for the sheet's methodology in the data folder, the engine
recomputes the period from it: the data read and corrected exactly as that file says
(calibration, gaps), which is what Table 1 reports. Without one, the data file that column
(h) cites is read on its own (its ``unit`` column gives the unit; ``reading`` in the header
means register readings, ``month`` monthly totals) over the period the sheet states,
without corrections. ER_p is then recomputed with the re-aggregated values in place of
Table 1's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.spec import Spec
from jcmwb.sheets.reader import MonitoredRow, ReportedSheet
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, Check, Finding
from jcmwb.verify.rebuild import is_not_given, is_total
from jcmwb.verify.symbols import equation_of, names
from jcmwb.verify.tolerance import agrees, number, ratio_hint, tolerance


def period_file_in(folder: Path, spec: Spec, sheet: ReportedSheet) -> tuple[Path, Any] | None:
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


def cited_file(files: list[Path], rows: list[MonitoredRow]) -> Path | None:
    """The data file whose name column (h) cites (the longest name first: a.csv vs aa.csv)."""
    sources = " ".join(r.source for r in rows)
    for file in sorted(files, key=lambda f: -len(f.name)):
        if re.search(rf"(?<![\w.-]){re.escape(file.name)}(?![\w.-])", sources):
            return file
    return None


def _head(file: Path) -> str:
    """The first 200 characters of a CSV file, lower-case, to tell its format by its header.

    Only a regular file is opened (a pipe named ``x.csv`` would block); the engine's reader
    then refuses anything else by name.
    """
    if not file.is_file():
        return ""
    with file.open("rb") as handle:
        return handle.read(200).decode("utf-8", errors="ignore").lstrip("\ufeff").lower()


def reaggregate(
    sheet: ReportedSheet,
    spec: Spec,
    raw: dict[str, Any],
    folder: Path,
    findings: list[Finding],
    checks: list[Check],
    *,
    declared: tuple[Path, Any] | None = None,
    engine: Any = None,
    engine_error: str = "",
) -> dict[str, dict[str, float]]:
    """Re-aggregate the raw monitoring data and compare it with Table 1.

    With a monitoring-period file for this methodology in ``folder``, the engine recomputes
    the period from it: the data read as that file says (unit, format, points, multipliers,
    day categories) and corrected as it says (calibration, gaps), which is what Table 1
    reports; the file's period is compared with the sheet's. Without one, the data files
    are found by the names cited in column (h) and read on their own (the unit from their
    ``unit`` column, the format from their header) over the period the sheet states; no
    corrections are applied then.

    ``declared`` (path, period) is the monitoring-period file to use instead of looking in
    ``folder`` (``--period``), ``engine`` its recomputation when already made (or
    ``engine_error``, why it could not be made).

    Returns the re-aggregated totals: parameter -> point -> value.
    """
    from jcmwb.engine.compute import calculate
    from jcmwb.engine.monitoring import read_monitored
    from jcmwb.engine.period import parse_period

    symbols = names(spec)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    stated = (raw["period"]["start"], raw["period"]["end"])
    by_param: dict[str, list] = {}
    for row in sheet.table1:
        name = symbols.get(row.parameter)
        if name and spec.parameters.get(name) is not None and spec.parameters[name].kind == "monitored" and not is_total(row) and not is_not_given(row, spec):
            by_param.setdefault(name, []).append(row)
    aggregated: dict[str, dict[str, float]] = {}
    if not by_param:
        return aggregated
    if declared is None:
        declared = period_file_in(folder, spec, sheet)
    if declared is not None:
        period_path, period = declared
        if engine is None and not engine_error:
            try:
                engine = calculate(period)
            except JcmwbError as exc:
                engine_error = exc.line()
        if engine_error:
            findings.append(Finding(NOTE, f"'{sheet.input_sheet}'!Table 1", "data", f"the monitoring-period file {period_path.name} could not be recomputed: {engine_error}"))
        file_period = (period.start.isoformat(), period.end.isoformat())
        if file_period != stated:
            first = sheet.table1[0].period
            findings.append(Finding(ERROR, first.ref, "period", f"the monitoring period stated in the sheet differs from the monitoring-period file {period_path.name}", expected=f"{file_period[0]} to {file_period[1]}", found=f"{stated[0]} to {stated[1]}"))
    for name, rows in by_param.items():
        first = rows[0]
        equation = equation_of(spec, name)
        data_file = cited_file(files, rows)
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
                head = _head(data_file) if data_file.suffix.lower() == ".csv" else ""
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
            found = number(row.value.value)
            tol = tolerance(total, row.value)
            checks[:] = [k for k in checks if k.cell != row.value.ref]
            checks.append(Check(f"{row.parameter} ({point})", "monitored, against the data", row.value.ref, row.value.value, total, str(row.unit.value or ""), basis))
            if found is None or not agrees(total, found, tol):
                hint = ratio_hint(total, found) if found is not None else ""
                if found is not None and point in raw_totals and agrees(round(raw_totals[point], 6), found, tol):
                    hint += " (it is the raw total: the corrections were not applied)"
                severity = INCONSISTENCY if spec.parameters[name].reported_only else ERROR  # a reported-only value enters no equation
                findings.append(Finding(severity, row.value.ref, row.parameter, f"monitored value differs from the re-aggregated data: {basis}{hint}", expected=total, found=found, tolerance=tol, equation=equation))
        for point, row in reported.items():
            if point not in totals:
                findings.append(Finding(ERROR, row.value.ref, row.parameter, f"monitoring point {point} is not in the data", found=point, equation=equation))
    return aggregated


def er_from_data(sheet: ReportedSheet, raw: dict[str, Any], aggregated: dict[str, dict[str, float]], findings: list[Finding]) -> float | None:
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
