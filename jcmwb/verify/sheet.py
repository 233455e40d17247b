"""Verification for TPEs: recompute a submitted Monitoring Report Sheet and list every discrepancy.

``verify_sheet`` reads a sheet (``jcmwb.sheets.reader``), rebuilds the monitoring period from
what it reports (``jcmwb.verify.rebuild``), recomputes everything with the engine using the
spec's defaults for that period, and runs each check of ``jcmwb.verify.checks.CHECKS`` in
order: reported numbers, formulas and labels against the recomputation, and with ``data=DIR``
Table 1 against the raw monitoring data re-aggregated (``jcmwb.verify.data``). Severities are
explained in ``jcmwb.verify.findings``, tolerances in ``jcmwb.verify.tolerance``; the reports
are written by ``jcmwb.verify.report``, receipts re-run by ``jcmwb.verify.receipt``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jcmwb.engine.errors import InputError, JcmwbError, SheetError
from jcmwb.engine.spec import load_spec
from jcmwb.sheets.reader import read_sheet
from jcmwb.verify import checks
from jcmwb.verify.data import period_file_in
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, SEVERITIES, Finding, Verification
from jcmwb.verify.options import TpeOptions, parse_every, parse_materiality
from jcmwb.verify.rebuild import recompute
from jcmwb.verify.symbols import printed

CHECK_ORDER = ("monitored", "project value", "default", "equation", "result")  # the draft report's table, top to bottom
RESULT_TEXT = {ERROR: "differs (error)", INCONSISTENCY: "differs (inconsistency)", NOTE: "agrees (see note)"}


def verify_sheet(
    path: str | Path,
    *,
    data: str | Path | None = None,
    period: str | Path | None = None,
    materiality: str | None = None,
    calibration_every: list[str] | None = None,
) -> Verification:
    """Recompute a Monitoring Report Sheet and compare every reported number.

    Parameters
    ----------
    path
        The sheet (.xlsx): written by jcmwb, or laid out by hand in the official columns.
    data
        Optional folder with the monitoring data files named in Table 1 column (h).
    period
        Optional monitoring-period file of the sheet (else the one in ``data``, if any): its
        calibration dates, eligibility answers, data gaps and data files are checked too.
    materiality
        ``--materiality PERCENT`` as typed (None: the default, ``jcmwb.verify.options``).
    calibration_every
        ``--calibration-every [PARAMETER=]DURATION`` as typed, each once.

    Returns
    -------
    Verification
        The recomputed and reported ER_p, every finding, and the per-parameter checks.

    Raises
    ------
    SheetError
        When the sheet cannot be read or recomputed (the message names sheet and cell).
    InputError
        When ``data`` is not a folder, ``period`` not a monitoring-period file of the sheet's
        methodology, or an option's value is bad (the message names the option).
    """
    threshold, source = parse_materiality(materiality)
    every = parse_every(calibration_every)
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
    monitored = {n: n for n, p in spec.parameters.items() if p.kind == "monitored"}
    every = parse_every(calibration_every, {**monitored, **{printed(spec, n): n for n in monitored}})
    declared = _period_file(period, spec) if period is not None else None
    if declared is None and data is not None:
        declared = period_file_in(Path(data), spec, sheet)
    findings: list[Finding] = []
    result, raw = recompute(sheet, spec, findings)
    used = result.spec
    period = (raw["period"]["start"], raw["period"]["end"])
    out = Verification(str(sheet.path), spec.id, sheet.version, sheet.reference, period, None, result.er, findings, provisional=list(result.provisional))
    out.title, out.participants = sheet.title, sheet.participants
    out.er_unit = used.equations[used.result].unit
    out.produced_by_jcmwb = sheet.has_formulas
    out.er_from_inputs = result.er
    out.data = str(data) if data is not None else None
    options = TpeOptions(threshold, source, every)
    ctx = checks.Context(sheet, used, result, raw, out, Path(data) if data is not None else None, options=options, period=declared)
    for check in checks.CHECKS:
        check(ctx)
    _rank(out)
    return out


def _period_file(path: str | Path, spec: Any) -> tuple[Path, Any]:
    """``--period FILE``: the monitoring-period file, read strictly, of the sheet's methodology."""
    from jcmwb.engine.period import load_period

    file = Path(path)
    if not file.is_file():
        raise InputError("no such monitoring-period file", file=str(file), where="--period", expected="the monitoring-period YAML file of the sheet")
    loaded = load_period(file)
    if loaded.spec.id != spec.id:
        raise InputError("the monitoring-period file is for another methodology", file=str(file), where="methodology", expected=spec.id, found=loaded.spec.id)
    return file, loaded


def _rank(v: Verification) -> None:
    """Each check line takes the worst finding on its cell; findings and check lines in report order."""
    worst: dict[str, int] = {}
    for f in v.findings:
        rank = SEVERITIES.index(f.severity)
        worst[f.cell] = min(rank, worst.get(f.cell, rank))
    for check in v.checks:
        # A TPE check line states its own result; another finding on the same cell is not its.
        if check.cell in worst and not check.what.endswith("(TPE)"):
            check.result = RESULT_TEXT[SEVERITIES[worst[check.cell]]]
    v.findings.sort(key=lambda f: SEVERITIES.index(f.severity))
    v.checks.sort(key=lambda k: next((n for n, kind in enumerate(CHECK_ORDER) if k.what.startswith(kind)), len(CHECK_ORDER)))
