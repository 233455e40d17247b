"""``jcmwb impact DIR --set METHODOLOGY.PARAM[.option]=VALUE``: what a changed default does to every period.

Every monitoring-period file below DIR (:func:`jcmwb.engine.period.period_files`) and every
project folder below it (a folder holding ``project.yaml``: its periods with their calendar-year
vintages, :func:`jcmwb.engine.whatif.assess_project`) is one unit of work. Each unit is
calculated in-process with :func:`jcmwb.calculate` before and after the change
(:mod:`jcmwb.engine.whatif`), on the same executor as ``jcmwb batch``: a local process pool, or
a Dask distributed cluster with ``scheduler`` (the workers must see the same files at the same
paths). A unit that fails is that unit's error; the others go on.

What-if numbers are not the calculation of record: no notebook runs, no input and no report of
record is touched, and everything is written into one output folder of its own
(:data:`IMPACT_OUTPUTS`, default ``reports/impact/``), staged and published in one step
(:mod:`jcmwb.run.output_folder`). A bad ``--set`` is refused before anything is read or written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jcmwb.engine.errors import InputError, JcmwbError
from jcmwb.engine.numbers import format_number
from jcmwb.engine.period import period_files
from jcmwb.engine.project import PROJECT_FILE
from jcmwb.engine.whatif import AFFECTED, ERROR, NOT_OF_RECORD, UNAFFECTED, Override, PeriodImpact, assess_period, assess_project, parse_overrides
from jcmwb.run.batch import map_completed
from jcmwb.run.output_folder import check_output_folder, discard, listing, publish, staging_folder
from jcmwb.run.runner import REPORTS, display_path

IMPACT_OUTPUTS: tuple[tuple[str, str], ...] = (
    ("impact.csv", "one row per period: status, the change, ER_p before and after, difference in t and %"),
    ("impact-credits.csv", "one row per period x vintage x party: credits before and after"),
    ("impact.md", "both tables, the unaffected periods and the errors, for reading"),
    ("impact.xlsx", "both tables; differences and totals as live formulas"),
    ("impact.png", "ER_p before and after per affected period"),
)
DEFAULT_FOLDER = "impact"  # below reports/


@dataclass(frozen=True)
class Unit:
    """One unit of work: a monitoring-period file, or a project folder."""

    kind: str  # "period" | "project"
    path: str  # absolute


@dataclass
class UnitOutcome:
    unit: Unit
    impacts: list[PeriodImpact]
    inputs: list[str] = field(default_factory=list)  # every file the unit read: none may lie in the output folder


@dataclass
class ImpactOutcome:
    out_dir: Path
    overrides: tuple[Override, ...]
    impacts: list[PeriodImpact]

    def count(self, status: str) -> int:
        return sum(i.status == status for i in self.impacts)


def find_units(folder: Path) -> list[Unit]:
    """The project folders below ``folder`` (``folder`` itself included) and the other period files."""
    folder = folder.resolve()
    projects = sorted(p.parent for p in folder.rglob(PROJECT_FILE) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    # A period file beside a project.yaml belongs to that project (load_project reads them all).
    periods = [p for p in period_files(folder) if p.parent.resolve() not in projects]
    units = [Unit("project", str(p)) for p in projects] + [Unit("period", str(p.resolve())) for p in periods]
    return sorted(units, key=lambda u: u.path)


def _relative(path: str, root: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def assess_unit(unit: Unit, overrides: Sequence[Override], root: str) -> UnitOutcome:
    """One unit before and after; never raises (one unit's failure is its error row, the others go on)."""
    try:
        if unit.kind == "project":
            impacts = assess_project(unit.path, overrides, root)
        else:
            impacts = [assess_period(unit.path, overrides, root)]
    except JcmwbError as exc:
        impacts = [PeriodImpact(_relative(unit.path, root), ERROR, exc.line())]
    except Exception as exc:  # a bug on one input must not stop the other periods: reported, counted as failed
        impacts = [PeriodImpact(_relative(unit.path, root), ERROR, f"internal error ({type(exc).__name__}: {exc}); please report it with this file")]
    # A unit that failed names only itself: the folder assessed, checked as a whole, holds it.
    inputs = list(dict.fromkeys(f for i in impacts for f in i.inputs)) or [unit.path]
    return UnitOutcome(unit, impacts, inputs)


def _died(unit: Unit, root: str, exc: BaseException) -> UnitOutcome:
    return UnitOutcome(unit, [PeriodImpact(_relative(unit.path, root), ERROR, f"the process assessing it stopped ({type(exc).__name__}: {exc})")], [unit.path])


def assess_all(units: Sequence[Unit], overrides: tuple[Override, ...], root: str, *, jobs: int | None = None, scheduler: str | None = None) -> Iterator[UnitOutcome]:
    """Every unit, yielding each outcome as it completes (locally, or on ``scheduler``: jcmwb batch's executor)."""
    return map_completed(assess_unit, units, died=lambda unit, exc: _died(unit, root, exc), jobs=jobs, scheduler=scheduler, overrides=overrides, root=root)


def run_impact(
    folder: str | Path,
    sets: Sequence[str],
    out: str | Path | None = None,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int, UnitOutcome], None] | None = None,
) -> ImpactOutcome:
    """Assess every unit below ``folder`` with the ``--set`` changes and write the what-if outputs.

    Raises
    ------
    InputError
        a bad ``--set``, ``--jobs`` or folder, or an output folder jcmwb may not replace;
        nothing is written then.
    """
    overrides = parse_overrides(sets)  # first: a bad --set reads and writes nothing
    if jobs is not None and jobs < 1:
        raise InputError("not a number of parallel workers", where="--jobs", expected="a whole number of 1 or more", found=str(jobs))
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", file=str(folder), expected="a folder holding monitoring-period files or project folders")
    root = root.resolve()
    units = find_units(root)
    if not units:
        raise InputError("no monitoring-period files or project folders found", file=str(folder), expected=f"*.yaml files starting with 'methodology:', or folders holding {PROJECT_FILE}")
    option = "--out" if out else "--reports"
    target = Path(out) if out else REPORTS / DEFAULT_FOLDER
    # The folder assessed is an input as a whole: the output folder may neither be it nor hold it.
    check_output_folder(target, [root, *(u.path for u in units)], option=option)
    impacts: list[PeriodImpact] = []
    inputs: list[str] = [str(root)]
    for done, outcome in enumerate(assess_all(units, overrides, str(root), jobs=jobs, scheduler=scheduler), start=1):
        impacts.extend(outcome.impacts)
        inputs.extend(outcome.inputs)
        if progress is not None:
            progress(done, len(units), outcome)
    out_dir = check_output_folder(target, inputs, option=option)
    write_impact_outputs(impacts, overrides, display_path(root), out_dir)
    return ImpactOutcome(out_dir, overrides, impacts)


def write_impact_outputs(impacts: list[PeriodImpact], overrides: Sequence[Override], folder: str, out_dir: Path) -> Path:
    """:data:`IMPACT_OUTPUTS` into a staging folder, published as ``out_dir`` in one step."""
    from jcmwb.sheets import impact as render

    staging = staging_folder(out_dir)
    try:
        render.write_csv(impacts, staging / "impact.csv")
        render.write_credits_csv(impacts, staging / "impact-credits.csv")
        render.write_markdown(impacts, overrides, folder, staging / "impact.md")
        render.write_xlsx(impacts, overrides, folder, staging / "impact.xlsx")
        render.write_chart(impacts, overrides, staging / "impact.png")
        return publish(staging, out_dir)
    except BaseException:
        discard(staging)
        raise


# -- the verb ----------------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return format_number(value, whole=True)


def _line(impact: PeriodImpact) -> str:
    if impact.status == ERROR:
        return f"{impact.file}: {impact.note}"
    if impact.status == UNAFFECTED and impact.er_before is None:
        return f"{impact.file}: unaffected ({impact.note})"
    share = impact.difference_percent
    shown = f"{impact.file}: ER_p {_fmt(impact.er_before)} -> {_fmt(impact.er_after)} {impact.unit} ({'+' if (impact.difference or 0) > 0 else ''}{_fmt(impact.difference)} t"
    shown += f", {share:+.2f} %)" if share is not None else ")"
    credits = "; ".join(f"{c.party} {c.before:,} -> {c.after:,}" + (f" ({c.year})" if c.year is not None else "") for c in impact.credits)
    return shown + (f"; credits {credits}" if credits else "") + ("" if impact.status == AFFECTED else " unaffected")


def cmd_impact(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    started = time.perf_counter()
    failures = 0
    bar: tqdm | None = None

    def progress(done: int, total: int, outcome: UnitOutcome) -> None:
        nonlocal bar, failures
        if bar is None:
            bar = tqdm(total=total, unit="unit", disable=None, file=sys.stderr, leave=False)
        marks = ("#" * (20 * done // total)).ljust(20)
        for impact in outcome.impacts:
            failures += impact.status == ERROR
            state = {AFFECTED: "ok   ", UNAFFECTED: "same ", ERROR: "ERROR"}[impact.status]
            bar.write(f"[{marks}] {done}/{total} {state} {_line(impact)}", file=sys.stdout)
        bar.update()

    try:
        outcome = run_impact(args.folder, args.set, args.out, jobs=args.jobs, scheduler=args.scheduler, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    sys.stdout.flush()
    print(f"{'; '.join(o.describe() for o in outcome.overrides)}: {outcome.count(AFFECTED)} period(s) affected, {outcome.count(UNAFFECTED)} unaffected, {failures} failed ({format_number(time.perf_counter() - started, 1, grouping=False)} s)")
    print(f"note: {NOT_OF_RECORD}")
    print(f"outputs: {display_path(outcome.out_dir)}/ (" + ", ".join(listing(outcome.out_dir)) + ")")
    return 0 if failures == 0 else 1


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``impact`` to the command line (jcmwb.cli.EXTRA_VERBS)."""
    p = verbs.add_parser("impact", help="what a changed default does to every period below a folder: ER and credits before/after (what-if; changes no input)")
    p.add_argument("folder", metavar="DIR", help="a folder of monitoring-period files and/or project folders (or one project folder)")
    p.add_argument("--set", action="append", required=True, metavar="METHODOLOGY.PARAM[.option]=VALUE", help="a default value to change, in the parameter's unit, e.g. TH_AM001.EF_RE.grid=0.5 (repeatable)")
    p.add_argument("--out", default=None, help=f"folder for the outputs (default reports/{DEFAULT_FOLDER}/); only a folder jcmwb wrote is replaced")
    p.add_argument("--jobs", type=int, default=None, help="parallel workers (default: number of CPUs)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on a Dask distributed cluster (e.g. tcp://10.0.0.5:8786; needs jcmwb[cluster]); the workers must see the same files")
    p.set_defaults(func=cmd_impact)
