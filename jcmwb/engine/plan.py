"""Ex ante estimates for the Monitoring Plan Sheet: ER per calendar year of the crediting period.

``ex_ante:`` in ``project.yaml`` gives a yearly estimate per monitored parameter and point::

    ex_ante:
      monitored:
        EG_i_p: {option: C, unit: MWh, per_year: {PV-1: 4100, PV-2: 4100}, source: "PVsyst P50 yield"}
      fixed: {EF_RE: {option: grid}}     # as in a period file
      alternatives: {}                   # as in a period file

or ``from_example: true``, a profile derived from the methodology's bundled example
(``data/examples/<ID>/``): its totals per point over its period, scaled to 365 days, with its
options, fixed values and alternatives unless ``ex_ante`` gives its own.

Each calendar year of the crediting period is a period of its own: the yearly estimate times
the year's share in the crediting period (days in it / days of the year), calculated with the
same spec, engine and trace as a monitoring period (``calculate``), so the defaults in force
in that year apply and provisional ones are flagged.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcmwb.engine.compute import MONITORED_DECIMALS, Result, calculate
from jcmwb.engine.errors import InputError
from jcmwb.engine.period import load_period, period_files
from jcmwb.engine.project import ProjectFile
from jcmwb.engine.spec import ROOT, load_spec
from jcmwb.engine.units import strip_period
from jcmwb.engine.vintage import Part, calendar_parts

EXAMPLES = ROOT / "data" / "examples"


@dataclass
class Estimate:
    """A monitored parameter's yearly estimate per point."""

    name: str
    option: str
    unit: str
    per_year: dict[str, float]
    source: str


@dataclass
class PlanYear:
    """One calendar year of the crediting period and its ex ante calculation."""

    part: Part
    days_in_year: int
    result: Result

    @property
    def fraction(self) -> float:
        return self.part.days / self.days_in_year


@dataclass
class Plan:
    info: ProjectFile
    estimates: list[Estimate]
    years: list[PlanYear]
    basis: str  # where the estimates come from


def _fail(info: ProjectFile, where: str, message: str, **kw: Any) -> InputError:
    return InputError(message, file=str(info.path), where=where, **kw)


def _example(info: ProjectFile) -> tuple[Path, Result]:
    folder = EXAMPLES / info.methodology
    files = period_files(folder) if folder.is_dir() else []
    if not files:
        raise _fail(info, "ex_ante.from_example", f"no bundled example of {info.methodology}", expected="ex_ante.monitored with a yearly estimate per parameter and point")
    return files[0], calculate(load_period(files[0]))


def make_plan(info: ProjectFile) -> Plan:
    """The ex ante calculation of every calendar year of the crediting period."""
    ex = info.ex_ante
    if not ex:
        raise _fail(info, "ex_ante", "no ex ante estimates", expected="ex_ante: {monitored: {PARAM: {option, unit, per_year: {point: value}}}} or {from_example: true}")
    if info.crediting_start is None or info.crediting_end is None:
        raise _fail(info, "crediting_period", "the Monitoring Plan Sheet estimates ER per year of the crediting period", expected="crediting_period: {start: YYYY-MM-DD, end: YYYY-MM-DD}")
    spec = load_spec(info.methodology)
    from_example = ex.get("from_example", False)
    if not isinstance(from_example, bool):
        raise _fail(info, "ex_ante.from_example", "expected true or false", found=repr(from_example))
    if from_example == ("monitored" in ex):
        raise _fail(info, "ex_ante", "give either monitored (yearly estimates) or from_example: true", found=", ".join(map(str, ex)) or "neither")
    fixed = ex.get("fixed")
    alternatives = ex.get("alternatives")
    estimates: list[Estimate] = []
    if from_example:
        path, example = _example(info)
        basis = f"profile of the bundled example {path.relative_to(ROOT).as_posix()} ({example.period.start} to {example.period.end}, {example.period.days} days), scaled to 365 days"
        scale = 365.0 / example.period.days
        for name, item in example.period.monitored.items():
            values = example.values[name]
            per_point = values if isinstance(values, dict) else {next(iter(example.monitored[name].points)): values}
            estimates.append(Estimate(name, item.option, strip_period(spec.parameters[name].unit), {p: round(v * scale, MONITORED_DECIMALS) for p, v in per_point.items()}, basis))
        if fixed is None:
            fixed = {n: {k: v for k, v in vars(f).items() if k in ("option", "value", "values", "unit", "source") and v not in (None, {}, "")} for n, f in example.period.fixed.items()}
        if alternatives is None:
            alternatives = dict(example.period.alternatives)
    else:
        basis = "yearly estimates in project.yaml (ex_ante.monitored)"
        monitored = ex["monitored"]
        if not isinstance(monitored, Mapping) or not monitored:
            raise _fail(info, "ex_ante.monitored", "expected a mapping of parameter -> {option, unit, per_year}", found=repr(monitored))
        for name, item in monitored.items():
            where = f"ex_ante.monitored.{name}"
            if not isinstance(item, Mapping):
                raise _fail(info, where, "expected {option, unit, per_year: {point: value}, source}", found=repr(item))
            unknown = [k for k in item if k not in ("option", "unit", "per_year", "source")]
            if unknown:
                raise _fail(info, f"{where}.{unknown[0]}", "unknown key", expected="one of option, unit, per_year, source", found=repr(unknown[0]))
            for key in ("option", "unit", "per_year"):
                if key not in item:
                    raise _fail(info, where, f"missing key {key!r}")
            per_year = item["per_year"]
            if not isinstance(per_year, Mapping) or not per_year:
                raise _fail(info, f"{where}.per_year", "expected a mapping of point -> yearly estimate", found=repr(per_year))
            values: dict[str, float] = {}
            for point, value in per_year.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                    raise _fail(info, f"{where}.per_year.{point}", "expected a number, zero or more", found=repr(value))
                values[str(point)] = float(value)
            estimates.append(Estimate(str(name), str(item["option"]), str(item["unit"]), values, str(item.get("source", "ex ante estimate"))))
    years = []
    for part in calendar_parts(info.crediting_start, info.crediting_end):
        days = 366 if calendar.isleap(part.year) else 365
        raw: dict[str, Any] = {
            "methodology": info.methodology,
            "project": {"id": info.project_id, "title": info.title, "partner_country": info.partner_country},
            "period": {"start": part.start.isoformat(), "end": part.end.isoformat()},
            "monitored": {
                e.name: {"option": e.option, "unit": e.unit, "values": {p: round(v * part.days / days, MONITORED_DECIMALS) for p, v in e.per_year.items()}, "source": e.source}
                for e in estimates
            },
        }
        if info.version:
            raw["version"] = info.version
        if fixed:
            raw["fixed"] = fixed
        if alternatives:
            raw["alternatives"] = alternatives
        try:
            result = calculate(raw, base_dir=info.folder)
        except InputError as exc:
            where = exc.where or ""
            if where.split(".")[0] in ("monitored", "fixed", "alternatives"):
                where = "ex_ante." + where
            raise InputError(f"{exc.message} (ex ante, {part.year})", file=str(info.path), where=where, expected=exc.expected, found=exc.found) from exc
        years.append(PlanYear(part, days, result))
    return Plan(info, estimates, years, basis)
