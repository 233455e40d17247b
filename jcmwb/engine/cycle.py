"""The project cycle: every period of a project folder, checked together, then issued by vintage.

``load_project(folder)`` reads ``project.yaml`` and every period file beside it (each merged
with the project, strictly) and checks them together:

* periods do not overlap (an error names both files);
* a gap between two periods, and a period outside the crediting period, are warnings;
* a period straddling a change of methodology version or default is refused by the engine, as
  for a single period;
* the vintages an authorization names lie inside its period;
* an SD item left unanswered is a warning of that period.

``issue(project, results)`` turns each period's Result into an :class:`Issuance`: ER_p split by
calendar year (``jcmwb.engine.vintage``) and by party (the allocation), the SD answers and the
authorization record. Renderers (the ledger, the summaries) take these and never compute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcmwb.engine.errors import InputError
from jcmwb.engine.period import MonitoringPeriod, parse_period
from jcmwb.engine.project import PARTIES, PROJECT_FILE, PeriodExtras, ProjectFile, SdAnswer, load_merged, load_project_file
from jcmwb.engine.vintage import Vintage, allocate_by_year, notice_period, split_period

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result

AUTHORIZATION_VERSION = "01.0"  # A6.2-TMPL-RPTG-004, Version 01.0
NOT_AUTHORIZED = "not yet authorized"


@dataclass
class CyclePeriod:
    """One monitoring period of the project, in date order."""

    file: Path
    period: MonitoringPeriod
    extras: PeriodExtras
    sequence: int = 0  # 1, 2, ... in date order: the issuance number
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.period.label

    def sd_answers(self, project: ProjectFile) -> dict[str, SdAnswer]:
        return {**project.sd_answers, **self.extras.sd_answers}


@dataclass
class Project:
    """A project folder, read and checked."""

    info: ProjectFile
    periods: list[CyclePeriod]
    warnings: list[str] = field(default_factory=list)  # about the project as a whole (gaps, crediting period)

    @property
    def folder(self) -> Path:
        return self.info.folder

    def inputs(self) -> list[Path]:
        """Every file the project reads: project.yaml, an own SD list, the period files and their data."""
        files = [self.info.path]
        if self.info.sd_list is not None and self.info.sd_list.path.parent == self.folder:
            files.append(self.info.sd_list.path)
        for cp in self.periods:
            files.append(cp.file)
            files.extend(item.data for item in cp.period.monitored.values() if item.data is not None)
        return list(dict.fromkeys(Path(f).resolve() for f in files))


def period_files(folder: Path) -> list[Path]:
    """The monitoring-period files of a project folder: every ``*.yaml``/``*.yml`` in it but project.yaml."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name != PROJECT_FILE and not p.name.startswith(".") and p.is_file())


def load_project(folder: str | Path) -> Project:
    """Read and check a project folder (nothing is calculated or written)."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise InputError("not a folder", file=str(folder), expected="a project folder holding project.yaml and its monitoring-period files")
    info = load_project_file(folder / PROJECT_FILE)
    files = period_files(folder)
    if info.sd_list is not None:  # the project's own SD check list is no period
        files = [f for f in files if f.resolve() != info.sd_list.path]
    if not files:
        raise InputError("no monitoring-period files in the project folder", file=str(folder), expected=f"*.yaml files beside {PROJECT_FILE}, one per monitoring period")
    periods: list[CyclePeriod] = []
    for path in files:
        merged = load_merged(path)
        assert merged is not None  # project.yaml is there: load_project_file read it
        raw, extras, _ = merged
        period = parse_period(raw, path=path)
        period.project_file = info.path
        if period.allocation is None:
            raise InputError(
                "no credit allocation: the ledger splits each period's credits by party",
                file=str(path),
                where="allocation",
                expected=f'allocation in {info.path.name} (e.g. {{JP: "50%", {info.partner_country}: "50%", rounding: {{JP: up}}}})',
            )
        periods.append(CyclePeriod(path, period, extras))
    periods.sort(key=lambda cp: (cp.period.start, cp.period.end, cp.file.name))
    project = Project(info, periods)
    _check_order(project)
    for n, cp in enumerate(project.periods, start=1):
        cp.sequence = n
        _check_crediting(project, cp)
        _check_vintages(cp)
        _check_sd(project, cp)
    return project


def _check_order(project: Project) -> None:
    latest: CyclePeriod | None = None
    for cp in project.periods:
        if latest is not None and cp.period.start <= latest.period.end:
            raise InputError(
                f"the period overlaps the period of {latest.file} ({latest.period.start} to {latest.period.end})",
                file=str(cp.file),
                where="period",
                expected=f"a period starting after {latest.period.end}: each day is monitored in one period only",
                found=f"{cp.period.start} to {cp.period.end}",
            )
        if latest is not None and cp.period.start > latest.period.end + dt.timedelta(days=1):
            first, last = latest.period.end + dt.timedelta(days=1), cp.period.start - dt.timedelta(days=1)
            days = (last - first).days + 1
            project.warnings.append(
                f"gap of {days} day(s) between {latest.file.name} (ends {latest.period.end}) and {cp.file.name} (starts {cp.period.start}): {first} to {last} is in no monitoring period, so no credits for it"
            )
        if latest is None or cp.period.end > latest.period.end:
            latest = cp


def _check_crediting(project: Project, cp: CyclePeriod) -> None:
    info = project.info
    if info.crediting_start is None or info.crediting_end is None:
        return
    start, end = cp.period.start, cp.period.end
    before = max(0, (min(end, info.crediting_start - dt.timedelta(days=1)) - start).days + 1) if start < info.crediting_start else 0
    after = max(0, (end - max(start, info.crediting_end + dt.timedelta(days=1))).days + 1) if end > info.crediting_end else 0
    if before or after:
        message = (
            f"{cp.file.name}: the period {start} to {end} lies {before + after} day(s) outside the crediting period {info.crediting_start} to {info.crediting_end}"
            " (the JC issues no credits for them)"
        )
        cp.warnings.append(message)
        project.warnings.append(message)


def _check_vintages(cp: CyclePeriod) -> None:
    years = cp.extras.authorization.get("vintages")
    if not years:
        return
    inside = list(range(cp.period.start.year, cp.period.end.year + 1))
    for n, year in enumerate(years):
        if year not in inside:
            raise InputError(
                "vintage outside the period",
                file=str(cp.file),
                where=f"authorization.vintages[{n}]",
                expected=f"a calendar year of the period {cp.period.start} to {cp.period.end}: " + ", ".join(map(str, inside)),
                found=str(year),
            )
    if len(set(years)) != len(years):
        raise InputError("a vintage is named twice", file=str(cp.file), where="authorization.vintages", expected="each year once", found=str(years))


def _check_sd(project: Project, cp: CyclePeriod) -> None:
    sd_list = project.info.sd_list
    if sd_list is None:
        return
    answers = cp.sd_answers(project.info)
    missing = [item.number for item in sd_list.items if item.number not in answers]
    if missing:
        cp.warnings.append(f"SD check list ({sd_list.name}): item(s) {', '.join(missing)} not answered for the period {cp.period.start} to {cp.period.end}")


# -- issuance ----------------------------------------------------------------------------------------
@dataclass
class Authorization:
    """One authorization record (A6.2 voluntary standardized template, section I.A, and the transfer notice)."""

    party: str
    authorization_id: str
    project_authorization_id: str
    date: dt.date | None
    version: str
    quantity: int
    unit: str
    vintages: list[tuple[str, int]]  # (vintage as printed, credits of the acquiring party)
    acquiring_party: str
    acquiring_entity: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "authorization_id": self.authorization_id,
            "project_authorization_id": self.project_authorization_id,
            "authorization_date": self.date.isoformat() if self.date else None,
            "version": self.version,
            "quantity": self.quantity,
            "unit": self.unit,
            "vintages": [{"vintage": v, "quantity": q} for v, q in self.vintages],
            "acquiring_party": self.acquiring_party,
            "acquiring_entity": self.acquiring_entity,
            "status": self.status,
        }


@dataclass
class Issuance:
    """One period's credits as issued: ER_p, by calendar year and by party."""

    cycle: CyclePeriod
    er: int
    unit: str
    version: str
    vintages: list[Vintage]
    parties: dict[str, int]
    provisional: list[str]
    warnings: list[str]
    authorization: Authorization | None = None

    @property
    def period(self) -> MonitoringPeriod:
        return self.cycle.period

    @property
    def label(self) -> str:
        return self.cycle.label

    @property
    def notice(self) -> str:
        return notice_period(self.period.start, self.period.end)

    def ledger_rows(self) -> list[dict[str, Any]]:
        """One row per calendar year x party: ``period_start, period_end, year, party, credits`` and the vintage's dates."""
        return [
            {
                "period_start": self.period.start.isoformat(),
                "period_end": self.period.end.isoformat(),
                "year": v.year,
                "vintage_start": v.part.start.isoformat(),
                "vintage_end": v.part.end.isoformat(),
                "party": party,
                "credits": credits,
            }
            for v in self.vintages
            for party, credits in v.parties.items()
        ]


def issue(project: Project, results: Mapping[str, Result], calculate: Callable[[Any], Any]) -> list[Issuance]:
    """Each period's issuance from its Result (``results`` keyed by the period's label).

    ``calculate`` computes the calendar-year parts of a period that spans a year end.
    """
    out: list[Issuance] = []
    for cp in project.periods:
        result = results[cp.label]
        er = result.er
        vintages = split_period(cp.period, er, calculate)
        allocation = cp.period.allocation
        assert allocation is not None  # load_project requires it
        by_year = allocate_by_year([v.credits for v in vintages], allocation)
        for vintage, parties in zip(vintages, by_year):
            vintage.parties = parties
        parties = {p: sum(v.parties[p] for v in vintages) for p in allocation.shares}
        issuance = Issuance(cp, int(er), result.unit(result.spec.result), result.version, vintages, parties, result.provisional, [*result.warnings, *cp.warnings])
        issuance.authorization = _authorization(project, issuance)
        out.append(issuance)
    return out


def _authorization(project: Project, issuance: Issuance) -> Authorization | None:
    info = project.info
    given = {**info.authorization, **issuance.cycle.extras.authorization}
    if not info.authorization and not issuance.cycle.extras.authorization:
        return None
    party = given.get("acquiring_party", "JP")
    if party not in issuance.parties:
        raise InputError(
            "the acquiring party has no share in the allocation",
            file=str(issuance.cycle.file),
            where="authorization.acquiring_party",
            expected="one of " + ", ".join(issuance.parties),
            found=repr(party),
        )
    years = given.get("vintages") or [v.year for v in issuance.vintages]
    chosen = [v for v in issuance.vintages if v.year in years]
    project_id = given.get("id") or f"JCM-{info.reference_number or info.project_id}"
    return Authorization(
        party=given.get("party", PARTIES.get(info.partner_country, info.partner_country)),
        authorization_id=f"{project_id}-{issuance.cycle.sequence:03d}",
        project_authorization_id=project_id,
        date=given.get("date"),
        version=given.get("version", AUTHORIZATION_VERSION),
        quantity=sum(v.parties[party] for v in chosen),
        unit="tCO2eq",
        vintages=[(v.part.label, v.parties[party]) for v in chosen],
        acquiring_party=party,
        acquiring_entity=given.get("acquiring_entity", ""),
        status=given.get("status", NOT_AUTHORIZED),
    )
