"""``jcmwb verify``: the command line of verification (sheets and receipts).

Exit codes: 0 when the sheet (or receipt) agrees, 1 when it does not, 2 when it cannot be
read (one error line naming the file and cell or key, no traceback).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from jcmwb.engine.errors import InputError
from jcmwb.verify.findings import CAR, CL, ERROR, FAR, INCONSISTENCY
from jcmwb.verify.receipt import verify_receipt
from jcmwb.verify.report import finding_line, fmt, materiality_line, receipt_lines, write_reports
from jcmwb.verify.sheet import verify_sheet


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

    if args.receipt:
        if args.sheet or args.data or args.period or args.materiality is not None or args.calibration_every:
            raise InputError("a receipt is verified on its own", where="--receipt", expected="jcmwb verify --receipt receipt.json [--out DIR]", found="a sheet, --data, --period, --materiality or --calibration-every as well")
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
    v = verify_sheet(args.sheet, data=args.data, period=args.period, materiality=args.materiality, calibration_every=args.calibration_every)
    written = write_reports(v, out, tpe=args.tpe or "", participants=args.participant or "")
    materiality = "n/a" if v.materiality_percent is None else f"{v.materiality_percent:+.3f} %"
    print(f"{v.methodology} ver{v.version} {v.reference}: ER_p reported {fmt(v.er_reported) or 'n/a'}, recomputed {fmt(v.er_recomputed)} {v.er_unit} (materiality {materiality})")
    print(materiality_line(v))
    for f in v.findings:
        print(f"{f.action_class:3} {finding_line(f)}")
    print(f"findings by class: {v.count_class(CAR)} CAR, {v.count_class(CL)} CL, {v.count_class(FAR)} FAR")
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
    p.add_argument("--period", metavar="FILE", help="the monitoring-period file (YAML) of the sheet: check its calibration dates, eligibility answers, data gaps and outliers (default: the one in --data, if any)")
    p.add_argument("--materiality", metavar="PERCENT", help="materiality threshold in %% of the recomputed ER_p (default 5, a jcmwb choice, provisional: see docs/verify.md)")
    p.add_argument(
        "--calibration-every",
        metavar="[PARAM=]DURATION",
        action="append",
        help="required calibration interval, e.g. 1y, 6m, 90d, or EG_i_p=1y for one parameter (repeatable); no default: the methodologies read state none",
    )
    p.add_argument("--tpe", metavar="NAME", help="name of the third-party entity, for the draft verification report")
    p.add_argument("--participant", metavar="NAME", help="project participant(s), for the draft verification report")
    p.set_defaults(func=cmd_verify)
