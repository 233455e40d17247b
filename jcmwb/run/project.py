"""The project cycle from the command line: ``jcmwb project PROJECT_DIR`` and ``jcmwb plan PROJECT_DIR``.

``jcmwb project`` reads the project folder (``jcmwb.engine.cycle.load_project``: every period
merged with ``project.yaml`` and checked together), calculates every period and its
calendar-year parts in-process (so bad data fails before any kernel starts and nothing is
written), then runs every period's notebook with :func:`jcmwb.run.runner.run` (the calculation
of record, the same outputs as ``jcmwb run``) into ``DIR/<project id>/<start>_<end>/`` and
writes the project's own outputs beside them (:data:`PROJECT_OUTPUTS`). Everything goes into one
staging folder that is published in one step (``jcmwb.run.output_folder``).

``jcmwb plan`` writes the Monitoring Plan Sheet (``MPS.xlsx``) of the ex ante estimates into
``DIR/<project id>-plan/``; ``jcmwb project`` writes it too when ``ex_ante`` is given.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.engine.compute import calculate
from jcmwb.engine.cycle import Issuance, Project, issue, load_project
from jcmwb.engine.errors import InputError, RunError
from jcmwb.engine.numbers import format_number
from jcmwb.engine.plan import Plan, make_plan
from jcmwb.engine.project import load_project_file
from jcmwb.run.output_folder import MARKER, check_output_folder, discard, listing, publish, staging_folder
from jcmwb.run.outputs import write_text_atomically
from jcmwb.run.runner import REPORTS, RunOutcome, display_path, run


@dataclass(frozen=True)
class ProjectOutput:
    """One file of a project's output folder (beside the period folders)."""

    name: str  # "{label}" is replaced by each period's <start>_<end>
    per_period: bool
    description: str


PROJECT_OUTPUTS: tuple[ProjectOutput, ...] = (
    ProjectOutput("ledger.csv", False, "credits per period x calendar year x party (period_start,period_end,year,vintage_start,vintage_end,party,credits)"),
    ProjectOutput("ledger.xlsx", False, "the ledger with totals per period, party and year as live formulas, and a chart"),
    ProjectOutput("ledger.png", False, "chart of credits per period and party"),
    ProjectOutput("project.json", False, "everything above as data: periods, ER_p, vintages, parties, authorization records, warnings"),
    ProjectOutput("MPS.xlsx", False, "the Monitoring Plan Sheet (ex ante), when project.yaml gives ex_ante"),
    ProjectOutput("issuance-request_{label}.md", True, "the figures for the Credits Issuance Request and the allocation notification"),
    ProjectOutput("sd-report_{label}.md", True, "the SD implementation report's check list (B.1), when project.yaml gives sd"),
    ProjectOutput("authorization_{label}.md", True, "the authorization record of the issuance, when authorization is given"),
)


@dataclass
class ProjectOutcome:
    out_dir: Path
    project: Project
    issuances: list[Issuance]
    warnings: list[str]
    runs: dict[str, RunOutcome] = field(default_factory=dict)


def issuance_warnings(project: Project, issuance: Issuance) -> list[str]:
    """What every output about this issuance shows: the project's warnings and the period's."""
    return list(dict.fromkeys([*project.warnings, *issuance.warnings]))


def all_warnings(project: Project, issuances: list[Issuance]) -> list[str]:
    out = list(project.warnings)
    for issuance in issuances:
        out.extend(f"{issuance.label}: {w}" for w in issuance.warnings if w not in project.warnings)
    return list(dict.fromkeys(out))


def prepare(folder: str | Path) -> tuple[Project, list[Issuance], Plan | None]:
    """Read, check and calculate a project in-process; raises on bad input, writes nothing."""
    project = load_project(folder)
    results = {cp.label: calculate(cp.period) for cp in project.periods}
    issuances = issue(project, results, calculate)
    plan = make_plan(project.info) if project.info.ex_ante else None
    return project, issuances, plan


def run_project(folder: str | Path, out: str | Path | None = None, *, execute: Callable[..., RunOutcome] = run) -> ProjectOutcome:
    """Every period of a project, then its ledger and documents, into ``out/<project id>/``."""
    project, issuances, plan = prepare(folder)
    target = Path(out if out else REPORTS) / project.info.project_id
    out_dir = _output_folder(target, project, option="--out" if out else "--reports")
    warnings = all_warnings(project, issuances)
    staging = staging_folder(out_dir)
    outcome = ProjectOutcome(out_dir, project, issuances, warnings)
    try:
        for cp, issuance in zip(project.periods, issuances):
            done = execute(cp.file, staging / cp.label)
            if done.er != issuance.er:  # one engine: the kernel and this process must agree
                raise RunError(f"the notebook's {done.result_name} ({done.er}) differs from the engine's ({issuance.er})", file=str(cp.file))
            outcome.runs[cp.label] = done
        write_project_outputs(project, issuances, plan, warnings, staging)
        publish(staging, out_dir)
    except BaseException:
        discard(staging)
        raise
    return outcome


def _output_folder(target: Path, project: Project, option: str) -> Path:
    """``check_output_folder``, with a plain word for the common case of earlier ``jcmwb run`` outputs.

    ``jcmwb run`` of a period writes ``reports/<project id>/<start>_<end>/`` without a marker on
    ``reports/<project id>/`` itself, so that folder is not jcmwb's as a whole and is refused:
    say why, and what to do.
    """
    try:
        return check_output_folder(target, project.inputs(), option=option)
    except InputError:
        entries = sorted(target.iterdir()) if target.is_dir() and not target.is_symlink() and not (target / MARKER).exists() else []
        if entries and all(e.is_dir() and not e.is_symlink() and (e / MARKER).is_file() for e in entries):
            raise InputError(
                "the output folder holds outputs of single runs (jcmwb run) but was not written by jcmwb project; jcmwb replaces only folders it wrote as a whole",
                file=str(target),
                where=option,
                expected=f"that folder removed or moved away (jcmwb run writes it again), or another {option} folder",
                found=", ".join(e.name for e in entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else ""),
            ) from None
        raise


def write_project_outputs(project: Project, issuances: list[Issuance], plan: Plan | None, warnings: list[str], folder: Path) -> list[Path]:
    """The project-level outputs (:data:`PROJECT_OUTPUTS`) into ``folder``."""
    from jcmwb.sheets import documents, ledger

    written = [
        ledger.write_csv(issuances, folder / "ledger.csv"),
        ledger.write_xlsx(project, issuances, warnings, folder / "ledger.xlsx"),
        ledger.write_chart(project, issuances, folder / "ledger.png"),
    ]
    if plan is not None:
        from jcmwb.sheets.mps import write_mps

        written.append(write_mps(plan, folder / "MPS.xlsx"))
    for issuance in issuances:
        shown = issuance_warnings(project, issuance)
        docs = {"issuance-request_{label}.md": documents.issuance_request(project, issuance, len(issuances), shown)}
        if project.info.sd_list is not None:
            docs["sd-report_{label}.md"] = documents.sd_report(project, issuance, shown)
        if issuance.authorization is not None:
            docs["authorization_{label}.md"] = documents.authorization_record(project, issuance, shown)
        for pattern, text in docs.items():
            path = folder / pattern.format(label=issuance.label)
            write_text_atomically(path, text)
            written.append(path)
    path = folder / "project.json"
    write_text_atomically(path, json.dumps(project_summary(project, issuances, warnings), indent=2, ensure_ascii=False) + "\n")
    written.append(path)
    return written


def project_summary(project: Project, issuances: list[Issuance], warnings: list[str]) -> dict[str, Any]:
    """The project's issuances as plain data (paths relative to the project folder)."""
    info = project.info
    return {
        "project": {"id": info.project_id, "title": info.title, "partner_country": info.partner_country, "reference_number": info.reference_number},
        "methodology": info.methodology,
        "crediting_period": {"start": str(info.crediting_start), "end": str(info.crediting_end)} if info.crediting_start else None,
        "periods": [
            {
                "issuance": i.cycle.sequence,
                "file": i.cycle.file.relative_to(project.folder).as_posix(),
                "start": i.period.start.isoformat(),
                "end": i.period.end.isoformat(),
                "monitoring_period": i.notice,
                "methodology_version": i.version,
                "er": i.er,
                "unit": i.unit,
                "parties": i.parties,
                "vintages": [
                    {"year": v.year, "start": v.part.start.isoformat(), "end": v.part.end.isoformat(), "vintage": v.part.label, "raw": v.raw, "share": v.exact, "credits": v.credits, "parties": v.parties}
                    for v in i.vintages
                ],
                "authorization": i.authorization.as_dict() if i.authorization else None,
                "sd_unanswered": [w for w in i.warnings if w.startswith("SD check list")],
                "warnings": issuance_warnings(project, i),
            }
            for i in issuances
        ],
        "totals": {
            "credits": sum(i.er for i in issuances),
            "by_party": {p: sum(i.parties.get(p, 0) for i in issuances) for p in dict.fromkeys(p for i in issuances for p in i.parties)},
            "by_year": {str(y): sum(v.credits for i in issuances for v in i.vintages if v.year == y) for y in sorted({v.year for i in issuances for v in i.vintages})},
        },
        "warnings": warnings,
    }


def run_plan(folder: str | Path, out: str | Path | None = None) -> tuple[Path, Plan]:
    """``MPS.xlsx`` of the project's ex ante estimates into ``out/<project id>-plan/``."""
    from jcmwb.sheets.mps import write_mps

    info = load_project_file(folder)
    plan = make_plan(info)
    inputs = [info.path]
    out_dir = check_output_folder(Path(out if out else REPORTS) / f"{info.project_id}-plan", inputs, option="--out" if out else "--reports")
    staging = staging_folder(out_dir)
    try:
        write_mps(plan, staging / "MPS.xlsx")
        publish(staging, out_dir)
    except BaseException:
        discard(staging)
        raise
    return out_dir, plan


# -- the verbs ------------------------------------------------------------------------------------
def cmd_project(args: argparse.Namespace) -> int:
    outcome = run_project(args.folder, args.out)
    project = outcome.project
    info = project.info
    print(f"project {info.project_id}: {len(outcome.issuances)} monitoring period(s), JCM_{info.methodology}")
    for i in outcome.issuances:
        parties = ", ".join(f"{p} {format_number(n, 0)}" for p, n in i.parties.items())
        years = ", ".join(f"{v.year}: {format_number(v.credits, 0)}" for v in i.vintages)
        print(f"  {i.label}  ER_p = {format_number(i.er, 0)} {i.unit}  ({parties}; by year {years})")
        if i.authorization is not None:
            a = i.authorization
            print(f"    authorization {a.authorization_id}: {format_number(a.quantity, 0)} {a.unit} to {a.acquiring_party}, vintage " + "; ".join(v for v, _ in a.vintages) + f", {a.status}")
    total = sum(i.er for i in outcome.issuances)
    print(f"  total {format_number(total, 0)} tCO2")
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    print(f"outputs: {display_path(outcome.out_dir)}/ (" + ", ".join(listing(outcome.out_dir)) + ")")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    out_dir, plan = run_plan(args.folder, args.out)
    print(f"Monitoring Plan Sheet of {plan.info.project_id} (JCM_{plan.info.methodology}), ex ante ER by calendar year:")
    for year in plan.years:
        print(f"  {year.part.year}  {year.part.start} to {year.part.end}  {format_number(year.result.er, 0)} tCO2")
    print(f"  total {format_number(sum(y.result.er for y in plan.years), 0)} tCO2")
    provisional = sorted({n for y in plan.years for n in y.result.provisional})
    if provisional:
        print("warning: PROVISIONAL default value(s) used: " + ", ".join(provisional) + " (not yet confirmed against the official methodology)")
    print(f"outputs: {display_path(out_dir)}/ (" + ", ".join(listing(out_dir)) + ")")
    return 0


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``plan`` and ``project`` to the command line (jcmwb.cli.EXTRA_VERBS)."""
    p = verbs.add_parser("plan", help="the Monitoring Plan Sheet (MPS.xlsx) of a project folder's ex ante estimates")
    p.add_argument("folder", metavar="PROJECT_DIR", help="a project folder holding project.yaml")
    p.add_argument("--out", help="folder for the outputs (default reports/); writes <project id>-plan/ in it")
    p.set_defaults(func=cmd_plan)
    p = verbs.add_parser("project", help="every period of a project folder, then the ledger, issuance summaries, SD reports, authorization records")
    p.add_argument("folder", metavar="PROJECT_DIR", help="a project folder holding project.yaml and its monitoring-period files")
    p.add_argument("--out", help="folder for the outputs (default reports/); writes <project id>/ in it")
    p.set_defaults(func=cmd_project)
