"""Verification for TPEs: recompute a submitted Monitoring Report Sheet and list every discrepancy.

``verify_sheet`` reads a sheet (``jcmwb.sheetreader``), rebuilds the monitoring period from
what it reports (Table 1 monitored values with their units and options, Table 2 project
values and the default options named), recomputes everything with the engine using the
spec's defaults for that period, and compares each reported number. ``verify_receipt``
re-runs a calculation from the files a receipt names and compares hashes byte for byte.

Severities
----------
error
    changes the credited amount: the reported ER_p differs from the recomputed one, or a
    finding feeds into ER_p (a default replaced, a monitored value that disagrees with the data).
inconsistency
    wrong but without effect on ER_p (a stale subtotal, a period text that disagrees).
note
    for the TPE's attention (a formula replaced by a typed number of the same value).

Tolerance: a reported number agrees when it is within ``max(1e-9 x |expected|, 5e-7)``,
i.e. beyond the 6 decimals monitored totals carry; ER_p must agree exactly.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.errors import InputError, JcmwbError, SheetError
from jcmwb.sheetreader import ReportedSheet, period_of, read_sheet
from jcmwb.spec import Spec, load_spec
from jcmwb.units import strip_period
from jcmwb.workbook import plain_symbol

ERROR, INCONSISTENCY, NOTE = "error", "inconsistency", "note"
REL_TOL, ABS_TOL = 1e-9, 5e-7


@dataclass
class Finding:
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
        if isinstance(self.expected, (int, float)) and isinstance(self.found, (int, float)):
            return float(self.found) - float(self.expected)
        return None


@dataclass
class Verification:
    sheet: str
    methodology: str
    version: str
    reference: str
    period: tuple[str, str] | None
    er_reported: float | None
    er_recomputed: float | None
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    checks: list[dict[str, Any]] = field(default_factory=list)
    provisional: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def agrees(self) -> bool:
        return not any(f.severity in (ERROR, INCONSISTENCY) for f in self.findings)

    @property
    def materiality_percent(self) -> float | None:
        if self.er_reported is None or self.er_recomputed is None:
            return None
        if self.er_recomputed == 0:
            return 0.0 if self.er_reported == 0 else math.inf
        return 100.0 * (self.er_reported - self.er_recomputed) / self.er_recomputed


def _close(expected: float, found: float) -> bool:
    return math.isclose(expected, found, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _tolerance(expected: float) -> float:
    return max(REL_TOL * abs(expected), ABS_TOL)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _symbols(spec: Spec) -> dict[str, str]:
    """Printed symbol (and code name) -> spec name."""
    table = {}
    for name, item in [*spec.parameters.items(), *spec.equations.items()]:
        table[plain_symbol(item.symbol)] = name
        table[name] = name
    return table


def _mapping(sheet: ReportedSheet, spec: Spec, findings: list[Finding], choices: dict[str, str]) -> dict[str, Any]:
    """The monitoring period the sheet reports, as a mapping for ``jcmwb.calculate``."""
    symbols = _symbols(spec)
    periods = [period_of(str(r.period.value)) for r in sheet.table1]
    start, end = next((p for p in periods if p), (None, None)) or (None, None)
    if start is None:
        where = sheet.table1[0].period.ref if sheet.table1 else sheet.input_sheet
        raise SheetError("no monitoring period in Table 1 column (a)", file=str(sheet.path), where=where, expected="'YYYY-MM-DD to YYYY-MM-DD'")
    monitored: dict[str, dict[str, Any]] = {}
    for row in sheet.table1:
        name = symbols.get(row.parameter)
        if name is None or spec.parameters.get(name) is None or spec.parameters[name].kind != "monitored":
            findings.append(Finding(INCONSISTENCY, row.value.ref, row.parameter, "not a monitored parameter of the methodology", expected="one of " + ", ".join(plain_symbol(p.symbol) for p in spec.parameters.values() if p.kind == "monitored"), found=row.parameter))
            continue
        param = spec.parameters[name]
        value = _number(row.value.value)
        if value is None:
            raise SheetError("monitored value is not a number", file=str(sheet.path), where=row.value.ref, expected="a number", found=repr(row.value.value))
        unit_text = str(row.unit.value or "").strip()
        if strip_period(unit_text) != strip_period(param.unit):
            findings.append(Finding(ERROR, row.unit.ref, row.parameter, "unit differs from the methodology's (a kWh/MWh slip?)", expected=param.unit, found=unit_text, equation=f"{name} in {param.unit}"))
            unit_text = param.unit  # the number is taken as the column claims to be reported
        entry = monitored.setdefault(name, {"option": row.option or param.options[0], "unit": strip_period(param.unit), "values": {}})
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
                raise SheetError("fixed value is not a number", file=str(sheet.path), where=row.value.ref, found=repr(row.value.value))
            entry = fixed.setdefault(name, {"unit": strip_period(param.unit), "source": row.source or "as reported in the sheet"})
            if param.index:
                entry.setdefault("values", {})[row.member or ""] = value
            else:
                entry["value"] = value
        elif param.kind == "fixed_default" and name not in fixed:
            option = next((o for o in param.choices if f"option: {o}" in row.status or row.status.strip() == o), None)
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


def _alternative_sets(spec: Spec) -> list[dict[str, str]]:
    equations = {n: list(e.alternatives) for n, e in spec.equations.items() if getattr(e, "alternatives", None)}
    if not equations:
        return [{}]
    names = list(equations)
    return [dict(zip(names, combo)) for combo in itertools.product(*(equations[n] for n in names))]


def _calculate(sheet: ReportedSheet, spec: Spec, findings: list[Finding]) -> tuple[Any, dict[str, Any]]:
    """Recompute; with equation alternatives, the one whose parameters the sheet reports."""
    from jcmwb.compute import calculate

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
    raise SheetError(f"the reported values cannot be recomputed: {last.message}", file=str(sheet.path), where=sheet.input_sheet, expected=last.expected, found=last.found)


def _check_defaults(sheet: ReportedSheet, spec: Spec, result: Any, raw: dict[str, Any], findings: list[Finding]) -> None:
    """Reported defaults against the spec's values for the period; is a difference conservative?"""
    from jcmwb.compute import calculate

    symbols = _symbols(spec)
    for row in sheet.table2:
        name = symbols.get(row.parameter)
        if not name or spec.parameters[name].kind != "fixed_default":
            continue
        fixed = result.fixed[name]
        expected = fixed.value[row.member] if isinstance(fixed.value, dict) and row.member in fixed.value else fixed.value
        if isinstance(expected, dict):
            continue
        found = _number(row.value.value)
        sheet_check = {"parameter": row.parameter, "cell": row.value.ref, "expected": expected, "found": found}
        if found is not None and _close(expected, found):
            sheet_check["result"] = "agrees"
        else:
            # Would the reported default change ER_p? Recompute with it, as a project value.
            severity, effect = INCONSISTENCY, ""
            if found is not None:
                param = spec.parameters[name]
                trial = json.loads(json.dumps(raw))
                source = {"source": "reported in the sheet", "unit": strip_period(param.unit)}
                trial["fixed"][name] = {**source, "values": {**{m: v for m, v in fixed.value.items()}, row.member: found}} if isinstance(fixed.value, dict) else {**source, "value": found}
                try:
                    spec_copy = load_spec(spec.path or spec.id)
                    spec_copy.parameters[name].project_value = True
                    from jcmwb.period import parse_period

                    other = calculate(parse_period(trial, spec=spec_copy, base_dir=sheet.path.parent))
                    if other.er != result.er:
                        severity = ERROR
                        direction = "raises" if other.er > result.er else "lowers"
                        effect = f"; with it ER_p would be {other.er:,.0f} instead of {result.er:,.0f} ({direction} it{', not conservative' if other.er > result.er else ''})"
                except JcmwbError:
                    severity = ERROR
            findings.append(
                Finding(severity, row.value.ref, row.parameter, f"default value differs from the methodology's for this period ({fixed.source}){effect}", expected=expected, found=row.value.value, tolerance=_tolerance(expected), equation=name)
            )
            sheet_check["result"] = "differs"
        sheet_check["status"] = fixed.status or ""
        # kept for the draft report
        result.__dict__.setdefault("_default_checks", []).append(sheet_check)


def _expected_value(result: Any, name: str, member: str | None) -> float | None:
    value = result.values.get(name)
    if isinstance(value, dict):
        return value.get(member) if member is not None else None
    return value


def verify_sheet(path: str | Path, *, data: str | Path | None = None) -> Verification:
    """Recompute a Monitoring Report Sheet and compare every reported number."""
    sheet = read_sheet(path)
    try:
        spec = load_spec(sheet.methodology)
    except JcmwbError as exc:
        raise SheetError("unknown methodology in the header line", file=str(sheet.path), where=f"{sheet.input_sheet}!A1", expected="one listed by `jcmwb list`", found=sheet.methodology) from exc
    if spec.version(sheet.version) is None:
        raise SheetError("unknown version of the methodology", file=str(sheet.path), where=f"{sheet.input_sheet}!A1", expected=", ".join(v.version for v in spec.versions), found=sheet.version)
    findings: list[Finding] = []
    result, raw = _calculate(sheet, spec, findings)
    period = (raw["period"]["start"], raw["period"]["end"])
    out = Verification(str(sheet.path), spec.id, sheet.version, sheet.reference, period, None, result.er, findings, provisional=result.provisional)
    symbols = _symbols(spec)

    # The period stated in every row of Table 1 and in Table 3 must be one and the same.
    for row in sheet.table1:
        stated = period_of(str(row.period.value))
        if stated != period:
            findings.append(Finding(INCONSISTENCY, row.period.ref, row.parameter, "monitoring period differs from the rest of the sheet", expected=f"{period[0]} to {period[1]}", found=row.period.value))
    if sheet.result_period is not None and period_of(str(sheet.result_period.value)) != period:
        findings.append(Finding(INCONSISTENCY, sheet.result_period.ref, "period", "monitoring period in Table 3 differs from Table 1", expected=f"{period[0]} to {period[1]}", found=sheet.result_period.value))

    _check_defaults(sheet, spec, result, raw, findings)
    out.checks = result.__dict__.pop("_default_checks", [])

    # Every number of the calculation-process sheet.
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
        out.checked += 1
        found = _number(row.value.value)
        equation = spec.equations[name].formula.text if name in spec.equations else ""
        changes_er = name == spec.result or _feeds_result(spec, name)
        if found is None:
            findings.append(Finding(ERROR if changes_er else INCONSISTENCY, row.value.ref, row.parameter, "no value where the methodology's number is expected", expected=expected, found=row.value.value, equation=equation))
        elif not _close(expected, found) or (name == spec.result and expected != found):
            message = "reported value differs from the recomputed one" + _rounding_hint(spec, result, name, found)
            findings.append(Finding(ERROR if changes_er else INCONSISTENCY, row.value.ref, row.parameter, message, expected=expected, found=found, tolerance=_tolerance(expected), equation=f"{name} = {equation}" if equation else name))
        if name in spec.equations and row.value.formula is None and sheet.calc_sheet and _produced_by_jcmwb(sheet):
            same = found is not None and _close(expected, found)
            findings.append(
                Finding(NOTE if same else (ERROR if changes_er else INCONSISTENCY), row.value.ref, row.parameter, "a typed number where the methodology's formula is expected", expected=f"={equation}", found=row.value.value, equation=f"{name} = {equation}")
            )
    out.checked += len(sheet.table1)
    _check_references(sheet, findings)

    # Table 3: the credited amount.
    if sheet.result is not None:
        out.er_reported = _number(sheet.result.value)
        if out.er_reported is None:
            findings.append(Finding(ERROR, sheet.result.ref, spec.result, "no emission reductions reported in Table 3", expected=result.er, found=sheet.result.value))
        elif out.er_reported != result.er:
            hint = _rounding_hint(spec, result, spec.result, out.er_reported)
            findings.append(Finding(ERROR, sheet.result.ref, spec.result, "reported emission reductions differ from the recomputed ones" + hint, expected=result.er, found=out.er_reported, tolerance=0.0, equation=f"{spec.result} = {spec.equations[spec.result].formula.text}"))
    else:
        findings.append(Finding(ERROR, sheet.input_sheet, spec.result, "no Table 3 (ex-post result) in the sheet"))

    if data is not None:
        _check_data(sheet, spec, raw, Path(data), findings)
    out.title = sheet.title
    return out


def _rounding_hint(spec: Spec, result: Any, name: str, found: float) -> str:
    eq = spec.equations.get(name)
    raw = result.nodes[name].unrounded if name in result.nodes else None
    if eq is None or raw is None or eq.rounding == "none":
        return ""
    if found == math.ceil(raw) and found != math.floor(raw):
        return f" (rounded up from {raw:,.6f}; the methodology rounds {eq.rounding})"
    if found == round(raw) and eq.rounding != "nearest":
        return f" (rounded to nearest from {raw:,.6f}; the methodology rounds {eq.rounding})"
    return ""


CELL_REFERENCE = re.compile(r"'([^']+)'!\$?([A-Z]+)\$?(\d+)")


def _check_references(sheet: ReportedSheet, findings: list[Finding]) -> None:
    """Each input a formula refers to must still be a number (a deleted row leaves a hole)."""
    import openpyxl

    book = openpyxl.load_workbook(sheet.path, data_only=True)
    for row in sheet.calc:
        for target_sheet, col, line in CELL_REFERENCE.findall(row.value.formula or ""):
            if target_sheet not in book.sheetnames:
                continue
            value = book[target_sheet][f"{col}{line}"].value
            if _number(value) is None:
                findings.append(
                    Finding(ERROR, f"'{target_sheet}'!{col}{line}", row.parameter, f"the formula in {row.value.ref} uses this cell, which holds no number (row deleted or overwritten?)", expected="a number", found=repr(value))
                )


def _produced_by_jcmwb(sheet: ReportedSheet) -> bool:
    return any(r.value.formula for r in sheet.calc)


def _feeds_result(spec: Spec, name: str) -> bool:
    target = spec.result
    seen: set[str] = set()
    stack = [target]
    while stack:
        current = stack.pop()
        if current == name:
            return True
        if current in seen or current not in spec.equations:
            continue
        seen.add(current)
        stack.extend(spec.equations[current].formula.names)
    return False


def _check_data(sheet: ReportedSheet, spec: Spec, raw: dict[str, Any], folder: Path, findings: list[Finding]) -> None:
    """Re-aggregate the raw monitoring data and compare it with Table 1.

    The data files are found by the names cited in column (h). How to read them (unit,
    format, points, multipliers) comes from a monitoring-period file in the folder when
    there is one; otherwise from the file itself (a unit column) and the sheet.
    """
    from jcmwb.cli import period_files
    from jcmwb.monitoring import read_monitored
    from jcmwb.period import load_period, parse_period

    symbols = _symbols(spec)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    declared = None
    for candidate in period_files(folder):
        try:
            loaded = load_period(candidate)
        except JcmwbError:
            continue
        if loaded.spec.id == spec.id:
            declared = loaded
            break
    by_param: dict[str, list] = {}
    for row in sheet.table1:
        name = symbols.get(row.parameter)
        if name:
            by_param.setdefault(name, []).append(row)
    for name, rows in by_param.items():
        source = rows[0].source
        data_file = next((f for f in files if f.name in source), None)
        if data_file is None:
            findings.append(Finding(NOTE, rows[0].value.ref, rows[0].parameter, f"no data file named in column (h) found in {folder}", found=source))
            continue
        try:
            if declared is not None and name in declared.monitored and declared.monitored[name].data and Path(declared.monitored[name].data).name == data_file.name:
                period, item = declared, declared.monitored[name]
            else:
                head = data_file.read_text(errors="ignore")[:200].lower() if data_file.suffix.lower() == ".csv" else ""
                fmt = "register" if "reading" in head else ("monthly" if head.startswith("month") else "interval")
                period_raw = json.loads(json.dumps(raw))
                period_raw["monitored"][name] = {"option": rows[0].option or "C", "data": data_file.name, "format": fmt}
                period = parse_period(period_raw, base_dir=folder)
                item = period.monitored[name]
            series = read_monitored(item, spec.parameters[name], period)
        except JcmwbError as exc:
            findings.append(Finding(NOTE, rows[0].value.ref, rows[0].parameter, f"the data could not be re-aggregated (put the monitoring-period file in the data folder): {exc.line()}"))
            continue
        reported = {r.point: r for r in rows}
        for point, pdata in series.points.items():
            if point not in reported:
                findings.append(Finding(ERROR, f"'{sheet.input_sheet}'!Table 1", rows[0].parameter, f"monitoring point {point} is in the data ({data_file.name}) but has no row in Table 1 (row deleted?)", expected=round(pdata.total, 6), found="no row"))
                continue
            found = _number(reported[point].value.value)
            if found is None or not _close(round(pdata.total, 6), found):
                findings.append(
                    Finding(ERROR, reported[point].value.ref, rows[0].parameter, f"monitored value differs from the total of {data_file.name} ({pdata.rows})", expected=round(pdata.total, 6), found=found, tolerance=_tolerance(pdata.total))
                )
        for point, row in reported.items():
            if point not in series.points:
                findings.append(Finding(ERROR, row.value.ref, row.parameter, f"monitoring point {point} is not in the data {data_file.name}"))


# -- receipts --------------------------------------------------------------------------------
@dataclass
class ReceiptCheck:
    receipt: str
    findings: list[Finding] = field(default_factory=list)
    rerun_dir: str | None = None

    @property
    def agrees(self) -> bool:
        return not any(f.severity in (ERROR, INCONSISTENCY) for f in self.findings)


def verify_receipt(path: str | Path) -> ReceiptCheck:
    """Re-run the calculation a receipt describes; every input hash and output hash must match."""
    from jcmwb import __version__
    from jcmwb.runner import ROOT, run, sha256

    path = Path(path)
    try:
        receipt = json.loads(path.read_text(encoding="utf-8"))
        inputs = receipt["inputs"]
        outputs = receipt["outputs"]
        method = receipt["methodology"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError("not a jcmwb receipt", file=str(path), expected="receipt.json written by `jcmwb run`", found=type(exc).__name__) from exc
    check = ReceiptCheck(str(path))

    def resolve(name: str) -> Path:
        candidate = Path(name)
        return candidate if candidate.is_absolute() else ROOT / candidate

    if receipt.get("jcmwb_version") != __version__:
        check.findings.append(Finding(NOTE, "jcmwb_version", "jcmwb", "the receipt was written by another jcmwb version", expected=receipt.get("jcmwb_version"), found=__version__))
    spec_path = resolve(method["spec"]) if method.get("spec") else None
    if spec_path is None or not spec_path.exists() or sha256(spec_path) != method["spec_sha256"]:
        check.findings.append(Finding(ERROR, str(spec_path), method["id"], "the methodology spec differs from the one the receipt names", expected=method["spec_sha256"], found=sha256(spec_path) if spec_path and spec_path.exists() else "missing"))
    changed = False
    for item in inputs:
        file = resolve(item["path"])
        if not file.exists():
            check.findings.append(Finding(ERROR, str(file), item["role"], "input file missing", expected=item["sha256"], found="missing"))
            changed = True
        elif sha256(file) != item["sha256"]:
            check.findings.append(Finding(ERROR, str(file), item["role"], "input file changed since the receipt was written", expected=item["sha256"], found=sha256(file)))
            changed = True
    period_file = resolve(inputs[0]["path"])
    if not period_file.exists():
        return check
    # Re-run beside the original output folder: the notebook refers to its inputs by a path
    # relative to its output folder, so the same relative layout gives the same bytes.
    work = Path(tempfile.mkdtemp(prefix=f".{path.parent.name}.rerun-", dir=path.parent.parent))
    try:
        outcome = run(period_file, work)
    except JcmwbError as exc:
        shutil.rmtree(work, ignore_errors=True)
        check.findings.append(Finding(ERROR, str(period_file), "run", f"the re-run failed: {exc.line()}"))
        return check
    check.rerun_dir = str(outcome.out_dir)
    for name, digest in outputs.items():
        produced = outcome.out_dir / name
        found = sha256(produced) if produced.exists() else "missing"
        if found != digest:
            check.findings.append(Finding(INCONSISTENCY if changed else ERROR, name, "output", "re-run output differs byte for byte" + (" (an input changed)" if changed else ""), expected=digest, found=found))
    if receipt.get("result", {}).get("value") != outcome.er:
        check.findings.append(Finding(ERROR, "result", method["id"], "re-run ER_p differs", expected=receipt.get("result", {}).get("value"), found=outcome.er))
    shutil.rmtree(work, ignore_errors=True)
    return check


# -- reports (renderers: they never compute) -------------------------------------------------
def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
    return str(value)


def report_markdown(v: Verification) -> str:
    lines = [
        f"# Verification of {Path(v.sheet).name}",
        "",
        f"- Methodology: JCM_{v.methodology}_ver{v.version}",
        f"- Reference number: {v.reference}",
        f"- Monitoring period: {v.period[0]} to {v.period[1]}" if v.period else "- Monitoring period: not stated",
        f"- ER_p reported: {_fmt(v.er_reported)} tCO2; recomputed: {_fmt(v.er_recomputed)} tCO2; materiality: "
        + ("n/a" if v.materiality_percent is None else f"{v.materiality_percent:+.3f} %"),
        f"- Outcome: **{'the sheet agrees with the recomputation' if v.agrees else 'DISCREPANCIES FOUND'}** ({len(v.findings)} finding(s); {v.checked} values checked)",
    ]
    if v.provisional:
        lines.append(f"- Recomputed with PROVISIONAL default value(s): {', '.join(v.provisional)} (not yet confirmed against the official methodology)")
    lines += ["", "| # | severity | cell | parameter | expected | found | difference | tolerance | equation | finding |", "|---|---|---|---|---|---|---|---|---|---|"]
    for n, f in enumerate(v.findings, start=1):
        lines.append(f"| {n} | {f.severity} | {f.cell} | {f.parameter} | {_fmt(f.expected)} | {_fmt(f.found)} | {_fmt(f.difference)} | {_fmt(f.tolerance)} | {f.equation} | {f.message} |")
    if not v.findings:
        lines.append("| | | | | | | | | | no findings |")
    return "\n".join(lines) + "\n"


def write_reports(v: Verification, out_dir: Path, *, tpe: str = "", participant: str = "") -> list[Path]:
    """verification.md, verification.xlsx and the draft report (Markdown and HTML), atomically."""
    import mistune
    import xlsxwriter

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []

    def atomic(name: str, writer: Any) -> None:
        handle, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
        os.close(handle)
        try:
            writer(Path(tmp))
            os.replace(tmp, out_dir / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(out_dir / name)

    text = report_markdown(v)
    atomic("verification.md", lambda p: p.write_text(text, encoding="utf-8"))

    def workbook(p: Path) -> None:
        book = xlsxwriter.Workbook(str(p))
        bold = book.add_format({"bold": True})
        ws = book.add_worksheet("Summary")
        rows = [
            ("Sheet", Path(v.sheet).name),
            ("Methodology", f"JCM_{v.methodology}_ver{v.version}"),
            ("Reference number", v.reference),
            ("Monitoring period", f"{v.period[0]} to {v.period[1]}" if v.period else ""),
            ("ER_p reported [tCO2]", v.er_reported),
            ("ER_p recomputed [tCO2]", v.er_recomputed),
            ("Materiality [%]", v.materiality_percent),
            ("Outcome", "agrees" if v.agrees else "discrepancies found"),
        ]
        for r, (k, val) in enumerate(rows):
            ws.write(r, 0, k, bold)
            ws.write(r, 1, val if val is not None and not (isinstance(val, float) and math.isinf(val)) else "")
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 40)
        fs = book.add_worksheet("Findings")
        headers = ["#", "Severity", "Cell", "Parameter", "Expected", "Found", "Difference", "Tolerance", "Equation", "Finding"]
        for c, h in enumerate(headers):
            fs.write(0, c, h, bold)
        for n, f in enumerate(v.findings, start=1):
            for c, val in enumerate([n, f.severity, f.cell, f.parameter, f.expected, f.found, f.difference, f.tolerance, f.equation, f.message]):
                fs.write(n, c, val if isinstance(val, (int, float)) and not isinstance(val, bool) else ("" if val is None else str(val)))
        fs.set_column(2, 3, 24)
        fs.set_column(8, 9, 60)
        book.close()

    atomic("verification.xlsx", workbook)
    draft = draft_report(v, tpe=tpe, participant=participant)
    atomic("verification-report-draft.md", lambda p: p.write_text(draft, encoding="utf-8"))
    html = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Verification report (draft)</title><style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 6px}</style></head><body>" + mistune.html(draft) + "</body></html>\n"
    atomic("verification-report-draft.html", lambda p: p.write_text(html, encoding="utf-8"))
    return written


def draft_report(v: Verification, *, tpe: str = "", participant: str = "") -> str:
    """The calculation part of a draft verification report; the opinion is left to the TPE."""
    lines = [
        "# Verification report (DRAFT: calculation part)",
        "",
        "## General information",
        "",
        "| item | |",
        "|---|---|",
        f"| Title of the project | {v.title or '(from the PDD)'} |",
        f"| Reference number | {v.reference} |",
        f"| Methodology | JCM_{v.methodology}_ver{v.version} |",
        f"| Monitoring period | {v.period[0]} to {v.period[1]} |" if v.period else "| Monitoring period | |",
        f"| Third-party entity | {tpe or '(TPE name)'} |",
        f"| Project participant(s) | {participant or '(project participants)'} |",
        "",
        "## Recalculation of emission reductions",
        "",
        f"The Monitoring Report Sheet was recomputed independently with jcmwb from its reported inputs and the methodology's default values for the period. ER_p reported: {_fmt(v.er_reported)} tCO2; recomputed: {_fmt(v.er_recomputed)} tCO2; difference "
        + ("n/a" if v.materiality_percent is None else f"{v.materiality_percent:+.3f} %")
        + ".",
        "",
        "## Check of default values",
        "",
        "| parameter | cell | value in the methodology | value reported | status of the methodology value | result |",
        "|---|---|---|---|---|---|",
    ]
    for c in v.checks:
        lines.append(f"| {c['parameter']} | {c['cell']} | {_fmt(c['expected'])} | {_fmt(c['found'])} | {c.get('status', '')} | {c['result']} |")
    lines += ["", "## Findings", "", report_markdown(v).split("\n\n", 1)[1] if "\n\n" in report_markdown(v) else "", "## Opinion", "", "> TO BE WRITTEN BY THE TPE. jcmwb provides the recomputed evidence above; it gives no opinion.", ""]
    return "\n".join(lines)


# -- command line --------------------------------------------------------------------------------
def cmd_verify(args: argparse.Namespace) -> int:
    if args.receipt:
        check = verify_receipt(args.receipt)
        for f in check.findings:
            print(f"{f.severity.upper():13} {f.cell}: {f.message}; expected {_fmt(f.expected)}, found {_fmt(f.found)}")
        print("receipt re-run: outputs identical byte for byte" if check.agrees else "receipt re-run: DIFFERENCES FOUND")
        return 0 if check.agrees else 1
    if not args.sheet:
        raise InputError("nothing to verify", expected="jcmwb verify SHEET.xlsx [--data DIR] or jcmwb verify --receipt receipt.json")
    v = verify_sheet(args.sheet, data=args.data)
    out = Path(args.out) if args.out else Path(args.sheet).resolve().parent
    written = write_reports(v, out, tpe=args.tpe or "", participant=args.participant or "")
    print(f"{v.methodology} ver{v.version} {v.reference}: ER_p reported {_fmt(v.er_reported)}, recomputed {_fmt(v.er_recomputed)} tCO2")
    for f in v.findings:
        print(f"{f.severity.upper():13} {f.cell} {f.parameter}: {f.message}; expected {_fmt(f.expected)}, found {_fmt(f.found)}")
    print(("AGREES" if v.agrees else "DISCREPANCIES FOUND") + f": report in {', '.join(p.name for p in written)} ({out})")
    return 0 if v.agrees else 1


def register(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("verify", help="recompute a Monitoring Report Sheet (or re-run a receipt) and report every discrepancy")
    p.add_argument("sheet", nargs="?", help="MRS.xlsx (produced by jcmwb, or laid out in the official columns (a)-(k))")
    p.add_argument("--data", help="folder with the monitoring data files named in Table 1 column (h): re-aggregate and compare")
    p.add_argument("--receipt", help="receipt.json: re-run the calculation and compare every hash")
    p.add_argument("--out", help="folder for verification.md/.xlsx and the draft report (default: beside the sheet)")
    p.add_argument("--tpe", help="name of the third-party entity, for the draft report")
    p.add_argument("--participant", help="project participant(s), for the draft report")
    p.set_defaults(func=cmd_verify)
