"""The command line: ``jcmwb --help`` lists the verbs.

Errors are one line naming the file, row or parameter, what was expected and what was
found. Exit codes: 0 done, 1 a run or check failed, 2 bad input. No traceback unless
``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from jcmwb import __version__
from jcmwb.engine.errors import InputError, JcmwbError, SpecError
from jcmwb.engine.numbers import format_number

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


# -- run ------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from jcmwb.run.output_folder import listing
    from jcmwb.run.runner import display_path, run

    outcome = run(args.file, args.out)
    summary = outcome.summary  # the notebook kernel's Result: the run's one calculation
    period = summary["period"]
    print(f"{outcome.result_name} = {format_number(outcome.er, whole=True)} {outcome.unit}  ({summary['methodology']} ver{summary['version']}, {summary['project']}, {period['start']}_{period['end']})")
    for warning in summary["warnings"]:
        print(f"warning: {warning}")
    if summary["gaps"]:
        print(f"note: {summary['gaps']} gap(s) in the monitoring data (reported in the sheet, not filled unless conservative)")
    print(f"outputs: {display_path(outcome.out_dir)}/ (" + ", ".join(listing(outcome.out_dir)) + ")")
    return EXIT_OK


# -- list -----------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from jcmwb.library.catalogue import render

    # The catalogue: every approved id with its official facts, runnable or not (jcmwb/library/catalogue.py).
    sys.stdout.write(render(args.format))
    return EXIT_OK


# -- check ----------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    from jcmwb.engine.period import is_period_file
    from jcmwb.engine.spec import load_spec, spec_files

    targets = args.targets or [str(p) for p in spec_files()]
    problems = 0
    for target in targets:
        path = Path(target)
        try:
            if path.name == "project.yaml":
                from jcmwb.engine.project import load_project_file

                project = load_project_file(path)
                print(f"ok  {target}: project {project.project_id}")
            elif path.suffix in (".yaml", ".yml") and path.name != "methodology.yaml" and is_period_file(path):
                from jcmwb.engine.compute import calculate

                result = calculate(path)
                print(f"ok  {target}: {result.spec.result} = {format_number(result.er, whole=True)}")
            else:
                spec = load_spec(target)
                print(f"ok  {spec.id} ({len(spec.parameters)} parameters, {len(spec.equations)} equations)")
        except JcmwbError as exc:
            found = getattr(exc, "problems", None) or [exc]  # a spec reports every problem at once
            problems += len(found)
            for problem in found:
                print(f"ERROR {problem.line()}")
            if len(found) > 1:
                print(f"      {len(found)} problems in {target}")
    if problems:
        print(f"{problems} problem(s) found")
    return EXIT_OK if problems == 0 else EXIT_BAD_INPUT


# -- new ------------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    from jcmwb.library.scaffold import scaffold
    from jcmwb.run.runner import display_path

    written = scaffold(args.id, execute=not args.no_execute, library=args.library)
    print(f"scaffolded {args.id}:")
    for path in written:
        print(f"  {display_path(path)}")
    prefix = f"JCMWB_LIBRARY={args.library} " if args.library else ""
    spec = next(p for p in written if p.name == "methodology.yaml")
    period = next(p for p in written if p.suffix == ".yaml" and p.parent.parent.name == "examples")
    print(f"next: edit {display_path(spec)} (see methodologies/README.md), then\n  {prefix}jcmwb check {args.id}\n  {prefix}jcmwb run {display_path(period)}")
    return EXIT_OK


# -- batch ----------------------------------------------------------------------------------
def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from jcmwb.engine.period import period_files
    from jcmwb.run.batch import run_all
    from jcmwb.run.runner import display_path

    folder = Path(args.folder)
    if not folder.is_dir():
        raise InputError("not a folder", file=str(folder), expected="a folder containing monitoring-period YAML files")
    files = period_files(folder)
    if not files:
        raise InputError("no monitoring-period files found", file=str(folder), expected="*.yaml files starting with 'methodology:'")
    where = f"on the Dask cluster at {args.scheduler}" if args.scheduler else f"with {max(1, min(args.jobs or (os.cpu_count() or 1), len(files)))} worker(s)"
    print(f"running {len(files)} monitoring period(s) {where}", flush=True)
    started = time.perf_counter()
    failures = 0
    # The bar shows on a terminal only (stderr); every period also gets a line of its own on stdout.
    with tqdm(total=len(files), unit="period", disable=None, file=sys.stderr, leave=False) as bar:
        for done, outcome in enumerate(run_all(files, reports=args.reports, jobs=args.jobs, scheduler=args.scheduler), start=1):
            failures += not outcome.ok
            shown = f"{outcome.result_name} = {format_number(outcome.er, whole=True)} {outcome.unit} -> {display_path(Path(outcome.out_dir))}/" if outcome.ok else outcome.message
            marks = ("#" * (20 * done // len(files))).ljust(20)
            bar.write(f"[{marks}] {done}/{len(files)} {'ok   ' if outcome.ok else 'ERROR'} {outcome.path}: {shown}", file=sys.stdout)
            bar.update()
    sys.stdout.flush()
    print(f"done in {format_number(time.perf_counter() - started, 1, grouping=False)} s: {len(files) - failures} ok, {failures} failed")
    return EXIT_OK if failures == 0 else EXIT_FAILED


# -- entry point ----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jcmwb", description="Jupyter workbench for JCM monitoring calculations.")
    parser.add_argument("--version", action="version", version=f"jcmwb {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    p = verbs.add_parser("run", help="validate a monitoring-period file and run its notebook; writes MRS.xlsx, notebook, HTML, receipt")
    p.add_argument("file", help="monitoring-period YAML file")
    p.add_argument("--out", help="output folder (default reports/<project>/<start>_<end>/)")
    p.set_defaults(func=cmd_run)

    p = verbs.add_parser("list", help="the catalogue: every approved JCM methodology with its official facts, runnable or not")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="table (default), or csv/json with every fact's source")
    p.set_defaults(func=cmd_list)

    p = verbs.add_parser("check", help="check methodology specs (ids or paths) or monitoring-period files without running")
    p.add_argument("targets", nargs="*", help="methodology ids, spec paths or monitoring-period files (default: every spec)")
    p.set_defaults(func=cmd_check)

    p = verbs.add_parser("new", help="scaffold a methodology: spec, notebook, example data, case")
    p.add_argument("id", help="methodology id, e.g. TH_AM020")
    p.add_argument("--no-execute", action="store_true", help="do not execute the generated notebook")
    p.add_argument("--library", default=None, help="library folder to write into (default: the working directory); set JCMWB_LIBRARY to it to use it from elsewhere")
    p.set_defaults(func=cmd_new)

    p = verbs.add_parser("batch", help="run every monitoring-period file below a folder, in parallel")
    p.add_argument("folder")
    p.add_argument("--jobs", type=int, default=None, help="parallel runs (default: number of CPUs)")
    p.add_argument("--reports", default=None, help="folder for the outputs (default: reports/); each run writes <project>/<start>_<end>/ in it")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on a Dask distributed cluster (e.g. tcp://10.0.0.5:8786; needs jcmwb[cluster]); the workers must see the same files")
    p.set_defaults(func=cmd_batch)

    for register in EXTRA_VERBS:
        register(verbs)
    return parser


# Verbs that live in their own modules register here (one line each).
EXTRA_VERBS: list[Callable[[argparse._SubParsersAction], None]] = []
from jcmwb.app import register as _register_app  # noqa: E402

EXTRA_VERBS.append(_register_app)
from jcmwb.verify.cli import register as _register_verify  # noqa: E402

EXTRA_VERBS.append(_register_verify)
from jcmwb.run.project import register as _register_project  # noqa: E402

EXTRA_VERBS.append(_register_project)
from jcmwb.run.impact import register as _register_impact  # noqa: E402

EXTRA_VERBS.append(_register_impact)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK
    try:
        return args.func(args)
    except JcmwbError as exc:
        if args.debug:
            raise
        print(f"error: {exc.line()}", file=sys.stderr)
        bad_input = isinstance(exc, (InputError, SpecError))
        return EXIT_BAD_INPUT if bad_input else EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
