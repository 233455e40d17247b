"""Renderers of a verification: the discrepancy report and the draft verification report.

``write_reports`` writes into one folder, published in one step (``jcmwb.run.output_folder``):

``verification.md`` and ``verification.xlsx``
    the discrepancy report: a summary (ER_p reported and recomputed, materiality) and one
    row per finding (severity, cell, parameter, expected, found, difference, tolerance,
    equation, finding).
``verification-report-draft.md`` and ``.html``
    the calculation part of a draft verification report: general information, the
    recalculation of ER_p, a per-parameter check table, the findings, and the opinion left
    to the TPE as a clearly marked placeholder beside the recomputed evidence.

Renderers only format what the checks found (``jcmwb.verify.findings``); they never compute.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcmwb.verify.findings import CAR, CL, ERROR, FAR, INCONSISTENCY, NOTE, Finding, Verification
from jcmwb.verify.tolerance import is_number

if TYPE_CHECKING:
    from jcmwb.verify.receipt import ReceiptCheck

OPINION_PLACEHOLDER = "TO BE WRITTEN BY THE TPE"
REPORT_FILES = ("verification.md", "verification.xlsx", "verification-report-draft.md", "verification-report-draft.html")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def fmt(value: Any) -> str:
    """A number as the reports print it: thousands separators, up to 6 decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, (int, float)):
        value = float(value)
        if value.is_integer():
            return f"{value:,.0f}"
        if abs(value) < 1e-6:
            return f"{value:.3g}"
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    return str(value)


def _tolerance(value: float | None) -> str:
    if value is None:
        return ""
    return "0 (exact)" if value == 0 else f"{value:.3g}"


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return fmt(text).replace("|", "\\|").replace("\n", " ")


def _materiality(v: Verification) -> str:
    return "n/a" if v.materiality_percent is None else f"{v.materiality_percent:+.3f} %"


def materiality_line(v: Verification) -> str:
    """``materiality +0.000 % against the threshold of 5 % (jcmwb default, ...): PASS``."""
    if v.materiality_threshold is None:
        return "materiality: not assessed"
    verdict = {True: "PASS", False: "FAIL", None: "not assessed (no ER_p reported)"}[v.materiality_passes]
    return f"materiality {_materiality(v)} against the threshold of {v.materiality_threshold:g} % ({v.materiality_basis}): {verdict}"


def _classes(v: Verification) -> str:
    remaining = v.count_class(CAR) + v.count_class(CL)
    return f"{v.count_class(CAR)} CAR, {v.count_class(CL)} CL, {v.count_class(FAR)} FAR; " + ("no CAR or CL remaining" if not remaining else "CAR or CL remaining")


def _outcome(v: Verification) -> str:
    counts = f"{v.count(ERROR)} error(s), {v.count(INCONSISTENCY)} inconsistency(ies), {v.count(NOTE)} note(s); {v.checked} values checked"
    return f"**{'the sheet agrees with the recomputation' if v.agrees else 'DISCREPANCIES FOUND'}** ({counts})"


def findings_table(v: Verification) -> list[str]:
    """The findings as Markdown table lines."""
    lines = ["| # | class | severity | cell | parameter | expected | found | difference | tolerance | equation | finding |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, f in enumerate(v.findings, start=1):
        lines.append(
            f"| {n} | {f.action_class} | {f.severity} | {_cell(f.cell)} | {_cell(f.parameter)} | {_cell(f.expected)} | {_cell(f.found)} | {_cell(f.difference)} | {_tolerance(f.tolerance)} | {_cell(f.equation)} | {_cell(f.message)} |"
        )
    if not v.findings:
        lines.append("| | | | | | | | | | | no findings |")
    return lines


def report_markdown(v: Verification) -> str:
    """``verification.md``: the summary and one row per finding."""
    lines = [
        f"# Verification of {Path(v.sheet).name}",
        "",
        f"- Methodology: JCM_{v.methodology}_ver{v.version}",
        f"- Reference number: {v.reference}",
        f"- Monitoring period: {v.period[0]} to {v.period[1]}" if v.period else "- Monitoring period: not stated",
        f"- ER_p reported: {fmt(v.er_reported) or 'not stored'} {v.er_unit}; recomputed: {fmt(v.er_recomputed)} {v.er_unit}; materiality: {_materiality(v)}",
        f"  - recomputed from the sheet's own inputs (Table 1, Table 2, the methodology's defaults): {fmt(v.er_from_inputs)} {v.er_unit}",
        *([f"  - recomputed from the re-aggregated monitoring data instead of Table 1: {fmt(v.er_from_data)} {v.er_unit}"] if v.er_from_data is not None else []),
        f"- Outcome: {_outcome(v)}",
        f"- {materiality_line(v)}",
        f"- Findings by class: {_classes(v)}",
        f"- Raw data re-aggregated from: {v.data}" if v.data else "- Raw data: not re-aggregated (no --data folder given)",
    ]
    if v.provisional:
        lines.append(f"- Recomputed with PROVISIONAL default value(s): {', '.join(v.provisional)} (not yet confirmed against the official methodology)")
    lines += ["", *findings_table(v), "", _TOLERANCE_NOTE]
    return "\n".join(lines) + "\n"


_TOLERANCE_NOTE = (
    "Severities: *error* changes the credited amount; *inconsistency* is wrong without changing it; "
    "*note* is for the TPE's attention. Classes (a jcmwb rule, provisional): every error and inconsistency is a "
    "CAR (corrective action request), a note a CL (clarification request) unless its check makes it a FAR "
    "(forward action request: for the next monitoring period). Tolerance: max(1e-6 x |expected|, half a unit of the last decimal "
    "the cell displays); a rounded result (ER_p) must agree exactly."
)


def draft_report(v: Verification, *, tpe: str = "", participants: str = "") -> str:
    """The calculation part of a draft verification report (Markdown); the opinion is left to the TPE."""
    period = f"{v.period[0]} to {v.period[1]}" if v.period else "(not stated)"
    lines = [
        "# Verification report (DRAFT: calculation part)",
        "",
        "> DRAFT prepared with jcmwb from an independent recomputation of the Monitoring Report Sheet. "
        "Every statement below is evidence for the TPE; the verification opinion is the TPE's alone.",
        "",
        "## A. General information",
        "",
        "| item | |",
        "|---|---|",
        f"| Title of the project | {_cell(v.title) or '(title of the project, from the PDD)'} |",
        f"| Reference number | {_cell(v.reference)} |",
        f"| Methodology | JCM_{v.methodology}_ver{v.version} |",
        f"| Monitoring period | {period} |",
        f"| Third-party entity (TPE) | {_cell(tpe) or '(name of the TPE)'} |",
        f"| Project participant(s) | {_cell(participants or v.participants) or '(project participants)'} |",
        f"| Monitoring Report Sheet verified | {Path(v.sheet).name} |",
        f"| Monitoring data re-aggregated | {v.data or 'no (values of Table 1 taken as reported)'} |",
        "",
        "## B. Recalculation of emission reductions",
        "",
        "| | value |",
        "|---|---|",
        f"| ER_p reported in the sheet | {fmt(v.er_reported)} {v.er_unit} |",
        f"| ER_p recomputed from the sheet's own inputs and the methodology's defaults | {fmt(v.er_from_inputs)} {v.er_unit} |",
        f"| ER_p recomputed from the re-aggregated monitoring data | {fmt(v.er_from_data) + ' ' + v.er_unit if v.er_from_data is not None else 'not re-aggregated'} |",
        f"| ER_p recomputed, used for the materiality (from the data where re-aggregated) | {fmt(v.er_recomputed)} {v.er_unit} |",
        f"| difference (reported - recomputed) | {fmt(None if v.er_reported is None or v.er_recomputed is None else v.er_reported - v.er_recomputed)} {v.er_unit} |",
        f"| materiality | {_materiality(v)} |",
        f"| materiality threshold | {_cell(materiality_line(v).split(' against ', 1)[-1])} |",
        f"| findings | {v.count(ERROR)} error(s), {v.count(INCONSISTENCY)} inconsistency(ies), {v.count(NOTE)} note(s) |",
        f"| findings by class | {_classes(v)} |",
        "",
    ]
    if v.provisional:
        lines += [f"The recomputation used PROVISIONAL default value(s) ({', '.join(v.provisional)}), not yet confirmed against the official methodology: confirm them before relying on this draft.", ""]
    lines += [
        "## C. Per-parameter checks",
        "",
        "| parameter | kind | cell | reported | recomputed / expected | unit | basis | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in v.checks:
        lines.append(f"| {_cell(c.parameter)} | {_cell(c.what)} | {_cell(c.cell)} | {_cell(c.reported)} | {_cell(c.recomputed)} | {_cell(c.unit)} | {_cell(c.basis)} | {c.result} |")
    lines += ["", "## D. Findings", "", *findings_table(v), "", _TOLERANCE_NOTE, ""]
    evidence = (
        f"ER_p recomputed: {fmt(v.er_recomputed)} {v.er_unit}; reported: {fmt(v.er_reported)} {v.er_unit} ({_materiality(v)}). "
        f"{v.count(ERROR)} error(s) in the credited amount, {v.count(INCONSISTENCY)} inconsistency(ies), {v.count(NOTE)} note(s); "
        f"{v.checked} values checked. {materiality_line(v)}. Findings by class: {_classes(v)}. " + ("The sheet agrees with the recomputation." if v.agrees else "The sheet does NOT agree with the recomputation: see section D.")
    )
    lines += [
        "## E. Verification opinion",
        "",
        "| opinion of the TPE | recomputed evidence (jcmwb) |",
        "|---|---|",
        f"| **[{OPINION_PLACEHOLDER}]** (positive or negative opinion, level of assurance, reasons) | {_cell(evidence)} |",
        "",
    ]
    return "\n".join(lines)


def _html(markdown: str, title: str) -> str:
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table"])
    style = "body{font-family:sans-serif;max-width:80em;margin:1em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}blockquote{border-left:4px solid #c00;margin-left:0;padding-left:1em}"
    return f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{style}</style></head><body>\n{render(markdown)}</body></html>\n"


def _table(sheet: Any, headers: tuple[str, ...], rows: list[tuple[Any, ...]], bold: Any, number: Any, wrap: Any) -> None:
    """A header row, then one row per item: numbers as numbers, everything else as text."""
    for c, h in enumerate(headers):
        sheet.write(0, c, h, bold)
    for n, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if is_number(value):
                sheet.write_number(n, c, value, number)
            else:
                sheet.write_string(n, c, "" if value is None else str(value), wrap)


def _workbook(v: Verification, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    # A fixed document date (the end of the period): the same verification gives the same bytes.
    created = dt.datetime.combine(dt.date.fromisoformat(v.period[1]), dt.time()) if v.period else dt.datetime(2000, 1, 1)
    book.set_properties({"title": f"Verification of {Path(v.sheet).name}", "author": "jcmwb verify", "created": created})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    number = book.add_format({"num_format": "#,##0.000###", "valign": "top"})
    summary = book.add_worksheet("Summary")
    rows = [
        ("Sheet", Path(v.sheet).name),
        ("Methodology", f"JCM_{v.methodology}_ver{v.version}"),
        ("Reference number", v.reference),
        ("Monitoring period", f"{v.period[0]} to {v.period[1]}" if v.period else ""),
        (f"ER_p reported [{v.er_unit}]", v.er_reported),
        (f"ER_p recomputed [{v.er_unit}]", v.er_recomputed),
        (f"ER_p from the sheet's inputs [{v.er_unit}]", v.er_from_inputs),
        (f"ER_p from the data [{v.er_unit}]", v.er_from_data if v.er_from_data is not None else "not re-aggregated"),
        ("Materiality [%]", v.materiality_percent),
        ("Outcome", "agrees" if v.agrees else "discrepancies found"),
        ("Errors / inconsistencies / notes", f"{v.count(ERROR)} / {v.count(INCONSISTENCY)} / {v.count(NOTE)}"),
        ("Materiality threshold [%]", v.materiality_threshold),
        ("Materiality assessment", materiality_line(v)),
        ("CAR / CL / FAR", f"{v.count_class(CAR)} / {v.count_class(CL)} / {v.count_class(FAR)}"),
        ("Raw data re-aggregated from", v.data or "(not given)"),
        ("Provisional defaults used", ", ".join(v.provisional) or "none"),
    ]
    for r, (key, value) in enumerate(rows):
        summary.write(r, 0, key, bold)
        if is_number(value) and math.isfinite(value):
            summary.write_number(r, 1, value, number)
        else:
            summary.write_string(r, 1, "" if value is None else str(value))
    summary.set_column(0, 0, 32)
    summary.set_column(1, 1, 48)
    sheet = book.add_worksheet("Findings")
    findings = [(n, f.severity, f.cell, f.parameter, f.expected, f.found, f.difference, f.tolerance, f.equation, f.message, f.action_class) for n, f in enumerate(v.findings, start=1)]
    _table(sheet, ("#", "Severity", "Cell", "Parameter", "Expected", "Found", "Difference", "Tolerance", "Equation", "Finding", "Class"), findings, bold, number, wrap)
    sheet.set_column(1, 1, 13)
    sheet.set_column(2, 3, 26)
    sheet.set_column(4, 7, 16)
    sheet.set_column(8, 9, 60)
    sheet.freeze_panes(1, 0)
    checks = book.add_worksheet("Checks")
    lines = [(k.parameter, k.what, k.cell, k.reported, k.recomputed, k.unit, k.basis, k.result) for k in v.checks]
    _table(checks, ("Parameter", "Kind", "Cell", "Reported", "Recomputed / expected", "Unit", "Basis", "Result"), lines, bold, number, wrap)
    checks.set_column(0, 2, 24)
    checks.set_column(3, 5, 16)
    checks.set_column(6, 6, 50)
    checks.set_column(7, 7, 22)
    book.close()


def write_reports(v: Verification, out_dir: str | Path, *, tpe: str = "", participants: str = "") -> list[Path]:
    """Write verification.md, verification.xlsx and the draft report (.md, .html) into one folder.

    The files are written into a staging folder beside ``out_dir`` and moved into place in
    one step (``jcmwb.run.output_folder.publish``): a reader never sees half a report, and a
    failure leaves the old folder as it was.

    Parameters
    ----------
    v
        The verification to render.
    out_dir
        The folder: new, empty, or written by jcmwb before (then replaced whole).
    tpe, participants
        Names for the draft report's general information.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        ``out_dir`` is a file, a link, or a folder with files jcmwb did not write.
    """
    from jcmwb.run.output_folder import check_output_folder, discard, publish, staging_folder

    target = check_output_folder(out_dir)
    text = report_markdown(v)
    draft = draft_report(v, tpe=tpe, participants=participants)
    staging = staging_folder(target)
    try:
        (staging / "verification.md").write_text(text, encoding="utf-8")
        _workbook(v, staging / "verification.xlsx")
        (staging / "verification-report-draft.md").write_text(draft, encoding="utf-8")
        (staging / "verification-report-draft.html").write_text(_html(draft, f"Verification report (draft): {v.reference}"), encoding="utf-8")
        publish(staging, target)
    except BaseException:
        discard(staging)
        raise
    return [target / name for name in REPORT_FILES]


def _line(text: Any) -> str:
    """Text safe on one terminal line: control characters (newlines, escape sequences) escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), fmt(text))


def finding_line(f: Finding, *, parameter: bool = True) -> str:
    """One finding on one line: severity, cell, parameter, message, expected and found."""
    text = f"{f.severity.upper():13} {_line(f.cell)}" + (f" {_line(f.parameter)}" if parameter else "") + f": {_line(f.message)}"
    if f.expected is not None:
        text += f"; expected {_line(f.expected)}"
    if f.found is not None:
        text += f"{',' if f.expected is not None else ';'} found {_line(f.found)}"
    return text


def receipt_lines(check: ReceiptCheck) -> list[str]:
    """What ``jcmwb verify --receipt`` prints: each input and output, the findings, the verdict."""
    lines = [f"receipt {_line(check.receipt)}"]
    for item in check.inputs:
        found = item["found"]
        state = "unchanged" if found == item["expected"] else {"missing": "MISSING", "not an input": "NOT READ"}.get(found, "CHANGED")
        lines.append(f"  input  {state:9} {_line(item['role'])}: {_line(item['path'])}")
    identical = True
    for item in check.outputs:
        same = item["found"] == item["expected"]
        identical = identical and same
        beside = item.get("beside")
        where = ""
        if beside == "this file" or beside is None:
            where = ""
        elif beside == "missing":
            where = " (not beside the receipt)"
        else:
            where = " (beside the receipt: " + ("identical" if beside == item["expected"] else "CHANGED") + ")"
        lines.append(f"  output {'identical' if same else 'DIFFERS':9} {_line(item['name'])}{where}")
    lines.extend(finding_line(f, parameter=False) for f in check.findings)
    if check.er_rerun is not None:
        lines.append(f"ER_p in the receipt {fmt(check.er_receipt)}, re-run {fmt(check.er_rerun)}")
    if not check.agrees:
        lines.append("receipt re-run: DIFFERENCES FOUND")
    elif identical:
        lines.append("receipt re-run: outputs identical byte for byte")
    else:
        lines.append("receipt re-run: agrees; outputs differ only for the reasons in the notes above")
    return lines
