"""The engine: a spec and a monitoring period in, a Result with a trace out.

Order of work: resolve fixed values (defaults valid on the period's start, project
values) -> read monitored data -> conservative corrections -> evaluate the equations
in dependency order -> rounding of the result as the spec says.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.engine.corrections import apply_corrections
from jcmwb.engine.errors import InputError
from jcmwb.engine.formulas import FitError
from jcmwb.engine.issuance import allocate
from jcmwb.engine.monitoring import MonitoredData, read_monitored
from jcmwb.engine.numbers import format_number, format_significant, round_whole
from jcmwb.engine.period import MonitoringPeriod, load_period, parse_period
from jcmwb.engine.spec import DatedValue, Spec
from jcmwb.engine.trace import Correction, TraceNode, explain
from jcmwb.engine.units import factor, strip_period

# A reported-only parameter (methodologies/README.md 2.2), as the outputs describe it, and what
# Table 1 shows for one the period leaves out (the verifier reads that text back).
REPORTED_ONLY = "reported only, it enters no equation of the methodology"
NOT_GIVEN = "not given"

# Monitored totals are carried at 1e-6 of their unit (Wh for MWh): the value shown in the
# sheet is then exactly the value used, and a spreadsheet reads it back without loss.
MONITORED_DECIMALS = 6


@dataclass
class FixedValue:
    name: str
    value: float | dict[str, float]
    unit: str
    source: str
    status: str | None
    choice: str | None = None
    applies_from: dt.date | None = None
    member_sources: dict[str, str] = field(default_factory=dict)  # a default with one value per category


@dataclass
class Result:
    """Everything one calculation produced: values, units, trace, data quality."""

    spec: Spec
    period: MonitoringPeriod
    values: dict[str, Any]
    nodes: dict[str, TraceNode]
    indices: dict[str, list[str]]
    monitored: dict[str, MonitoredData]
    fixed: dict[str, FixedValue]
    raw_totals: dict[str, dict[str, float]]
    corrections: list[Correction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    allocation: dict[str, int] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.period.version

    @property
    def result_name(self) -> str:
        return self.spec.result

    @property
    def er(self) -> float:
        return float(self.values[self.spec.result])

    def value(self, name: str) -> Any:
        return self.values[name]

    def unit(self, name: str) -> str:
        return self.nodes[name].unit

    @property
    def provisional(self) -> list[str]:
        """Defaults used in this calculation whose value is provisional."""
        return [n for n, f in self.fixed.items() if f.status == "provisional"]

    @property
    def gaps(self) -> list:
        return [g for d in self.monitored.values() for g in d.gaps]

    def explain(self, name: str | None = None) -> str:
        return explain(self.nodes, name or self.spec.result)

    def monthly(self, name: str) -> dict[str, float]:
        """Monthly totals of a monitored parameter over all its points (before corrections)."""
        out: dict[str, float] = {}
        for pdata in self.monitored[name].points.values():
            for month, v in pdata.monthly.items():
                out[month] = out.get(month, 0.0) + v
        return dict(sorted(out.items()))

    def summary(self) -> dict[str, Any]:
        return {
            "methodology": self.spec.id,
            "version": self.version,
            "project": self.period.project_id,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "values": {n: {"value": self.values[n], "unit": self.nodes[n].unit} for n in self.spec.equations},
            "provisional_defaults": self.provisional,
            "warnings": list(self.warnings),
            "gaps": len(self.gaps),
            "allocation": dict(self.allocation),
        }


def _dated(values: tuple[DatedValue, ...], period: MonitoringPeriod, name: str) -> DatedValue:
    valid = [v for v in values if v.start <= period.start]
    file = str(period.path) if period.path else None
    if not valid:
        raise InputError(f"no default value of {name} applies on {period.start}", file=file, where="period.start", expected=f"a period starting on or after {values[0].start}")
    changes = [v for v in values if period.start < v.start <= period.end]
    if changes:
        raise InputError(
            f"the default value of {name} changes on {changes[0].start}, inside the period",
            file=file,
            where="period",
            expected=f"a period ending before {changes[0].start} or starting on or after it (split the period there)",
            found=f"{period.start} to {period.end}",
        )
    return valid[-1]


def _check_version(period: MonitoringPeriod) -> None:
    """A revision approved inside the period: which version applies is not defined by the
    period's start alone, so the period is split at the approval date or names its version."""
    spec = period.spec
    revised = spec.versions_approved_within(period.start, period.end)
    if revised and not period.version_named:
        first = revised[0]
        raise InputError(
            f"version {first.version} of {spec.id} was approved on {first.approved}, inside the period",
            file=str(period.path) if period.path else None,
            where="period",
            expected=f'a period ending before {first.approved} or starting on or after it (split the period there), or the version applied named (version: "{period.version}" or "{first.version}")',
            found=f"{period.start} to {period.end}",
        )


def _resolve_fixed(spec: Spec, period: MonitoringPeriod, members: dict[str, list[str]]) -> dict[str, FixedValue]:
    file = str(period.path) if period.path else None
    out: dict[str, FixedValue] = {}
    project = [p for p in spec.parameters.values() if p.kind == "fixed_project"]
    defaults = [p for p in spec.parameters.values() if p.kind == "fixed_default"]
    for param in project + defaults:
        given = period.fixed.get(param.name)
        target = strip_period(param.unit)
        if given is not None and (given.value is not None or given.values):
            scale = factor(given.unit or param.unit, target, where=f"fixed.{param.name}.unit", file=file)
            if param.index:
                expected = members.get(param.index, [])
                missing = [m for m in expected if m not in given.values]
                extra = [m for m in given.values if m not in expected]
                if missing or extra:
                    raise InputError(
                        f"{param.name} must be given for every {param.index} that is monitored",
                        file=file,
                        where=f"fixed.{param.name}.values",
                        expected=", ".join(expected),
                        found=", ".join(given.values) or "none",
                    )
                value: Any = {m: given.values[m] * scale for m in expected}
            else:
                value = given.value * scale
            out[param.name] = FixedValue(param.name, value, param.unit, given.source, None if param.kind == "fixed_project" else "project-specific")
            continue
        if param.kind == "fixed_project":  # parse_period guarantees presence; be explicit anyway
            raise InputError(f"missing project-specific parameter {param.name}", file=file, where="fixed")
        choice = given.option if given and given.option else param.default_choice
        per_member = param.choices[choice].members
        if per_member:  # one dated value per category (methodologies/README.md 2.8)
            used = {m: _dated(per_member[m], period, f"{param.name} ({m})") for m in members.get(param.index, per_member)}
            sources = list(dict.fromkeys(f"{m}: {d.source}" for m, d in used.items()))
            status = "provisional" if any(d.provisional for d in used.values()) else "confirmed"
            start = max((d.start for d in used.values()), default=None)
            value = {m: d.value for m, d in used.items()}
            out[param.name] = FixedValue(param.name, value, param.unit, "; ".join(sources), status, choice, start, {m: d.source for m, d in used.items()})
            continue
        dated = _dated(param.values_for(choice), period, param.name)
        if dated.table:
            keys = out[param.lookup_by].value
            value = {}
            for member, key in keys.items():
                row = next((r for r in dated.table if r.contains(key)), None)
                if row is None:
                    raise InputError(
                        f"no default {param.name} for {param.lookup_by} = {key:g} at {member}",
                        file=file,
                        where=f"fixed.{param.lookup_by}.values.{member}",
                        expected="a value inside the ranges of the methodology's table",
                        found=f"{key:g}",
                    )
                value[member] = row.value
        elif param.index:
            value = {m: dated.value for m in members.get(param.index, [])}
        else:
            value = dated.value
        out[param.name] = FixedValue(param.name, value, param.unit, dated.source, dated.status, choice, dated.start)
    return out


class _Model:
    """Evaluates the spec's equations on given values (used for the result and for sensitivities)."""

    def __init__(self, spec: Spec, indices: dict[str, list[str]], file: str | None = None) -> None:
        self.spec = spec
        self.indices = indices
        self.symbols = spec.symbols()
        self.file = file  # the monitoring-period file, named when a value overflows

    def evaluate(self, inputs: Mapping[str, Any], *, rounding: bool = True) -> tuple[dict[str, Any], dict[str, float]]:
        values = dict(inputs)
        unrounded: dict[str, float] = {}
        for name in self.spec.order:
            eq = self.spec.equations[name]
            if eq.index:
                values[name] = {m: self._finite(name, values, {eq.index: m}) for m in self.indices.get(eq.index, [])}
                continue
            raw = self._finite(name, values)
            unrounded[name] = raw
            values[name] = finish(raw, eq.rounding, eq.floor_at_zero) if rounding else raw
        return values, unrounded

    def _finite(self, name: str, values: Mapping[str, Any], binding: dict[str, str] | None = None) -> float:
        """One equation's value, checked finite: inputs that are each finite can still overflow
        (1.7e308 + 1.7e308), and infinity must not reach rounding, the sheet or the credits."""
        eq = self.spec.equations[name]
        try:
            raw = eq.formula.evaluate(values, self.symbols, self.indices, eq.unit, binding)
        except OverflowError:  # floor(), helpers or int conversion of an infinite intermediate
            raw = math.inf
        except FitError as exc:  # a fit over values the period file gives (e.g. a historical table)
            raise InputError(
                f"{name}: no least-squares line through the data",
                file=self.file,
                where=f"equation {name} = {eq.formula.text}",
                expected="at least two members whose X values differ",
                found=str(exc),
            ) from exc
        if math.isfinite(raw):
            return raw
        shown = []
        for used in sorted(eq.formula.names & set(values)):
            value = values[used]
            if isinstance(value, Mapping) and value:
                member, largest = max(value.items(), key=lambda kv: abs(kv[1]))
                shown.append(f"{used} up to {format_significant(largest, grouping=False)} (at {member})")
            elif not isinstance(value, Mapping):
                shown.append(f"{used} = {format_significant(value, grouping=False)}")
        at = f" for {', '.join(f'{k} = {v}' for k, v in binding.items())}" if binding else ""
        raise InputError(
            f"{name}{at} is not a finite number: the calculation overflows",
            file=self.file,
            where=f"equation {name} = {eq.formula.text}",
            expected=f"inputs whose {name} stays below 1.8e308 {eq.unit}",
            found=", ".join(shown) or "no inputs",
        )


def finish(raw: float, rounding: str, floor_at_zero: bool) -> float:
    """Apply an equation's rounding rule, then the floor at zero if the spec asks for it."""
    value = round_whole(raw, rounding)
    if floor_at_zero:
        value = max(value, 0.0)
    return value


def _members(spec: Spec, period: MonitoringPeriod, data: dict[str, MonitoredData]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for name, series in data.items():
        index = spec.parameters[name].index
        if not index:
            continue
        points = list(series.points)
        if index in members and set(members[index]) != set(points):
            raise InputError(
                f"{name} and {owner[index]} must cover the same {index}",
                file=str(period.path) if period.path else None,
                where=f"monitored.{name}",
                expected=", ".join(members[index]),
                found=", ".join(points),
            )
        members.setdefault(index, points)
        owner.setdefault(index, name)
    for param in spec.parameters.values():
        if param.index and param.index not in members:
            given = period.fixed.get(param.name)
            if given and given.values:
                members[param.index] = list(given.values)
    return members


def _read_all(spec: Spec, period: MonitoringPeriod) -> dict[str, MonitoredData]:
    """Every monitored parameter's data; category parameters first, so that a parameter
    split by day category can be totalled by the category of each day."""
    read: dict[str, MonitoredData] = {}
    for name, item in period.monitored.items():
        if spec.parameters[name].categories:
            read[name] = read_monitored(item, spec.parameters[name], period)
    for name, item in period.monitored.items():
        param = spec.parameters[name]
        if name not in read:
            days = read[param.split_by].day_categories if param.split_by else None
            read[name] = read_monitored(item, param, period, days)
    return {name: read[name] for name in period.monitored}


def calculate(source: str | Path | Mapping[str, Any] | MonitoringPeriod, *, base_dir: str | Path | None = None) -> Result:
    """Calculate a monitoring period: a path to its YAML file, a mapping, or a parsed period.

    A mapping's data paths are relative to ``base_dir`` (default: the working directory).
    """
    if isinstance(source, MonitoringPeriod):
        period = source
    elif isinstance(source, Mapping):
        period = parse_period(source, base_dir=Path(base_dir or Path.cwd()).resolve())
    else:
        period = load_period(source)
    spec = period.spec

    data = _read_all(spec, period)
    indices = _members(spec, period, data)
    fixed = _resolve_fixed(spec, period, indices)
    _check_version(period)  # after the defaults: a default changing inside the period is the more specific message

    raw_totals = {name: {p: round(d.total, MONITORED_DECIMALS) for p, d in series.points.items()} for name, series in data.items()}
    model = _Model(spec, indices, file=str(period.path) if period.path else None)

    def monitored_values(totals: dict[str, dict[str, float]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, per_point in totals.items():
            out[name] = per_point if spec.parameters[name].index else next(iter(per_point.values()))
        return out

    fixed_values = {n: f.value for n, f in fixed.items()}

    def er_of(totals: dict[str, dict[str, float]]) -> float:
        _, unrounded = model.evaluate({**fixed_values, **monitored_values(totals)}, rounding=False)
        return unrounded[spec.result]

    totals, corrections, notes = apply_corrections(period, data, raw_totals, er_of)
    totals = {n: {p: round(v, MONITORED_DECIMALS) for p, v in t.items()} for n, t in totals.items()}
    values, unrounded = model.evaluate({**fixed_values, **monitored_values(totals)})

    result = Result(spec, period, values, {}, indices, data, fixed, raw_totals, corrections, notes)
    for series in data.values():
        result.notes.extend(f"{series.name}: {n}" for n in series.notes)
    result.notes.extend(not_given_note(spec, name) for name in not_given(spec, period))
    _build_trace(result, unrounded)
    _eligibility(result)
    if period.allocation is not None:
        # Credits are whole tonnes: the split applies to the rounded result.
        result.allocation = allocate(result.er, period.allocation) if result.er == int(result.er) else {}
        if not result.allocation:
            result.warnings.append(f"no credit allocation: {spec.result} is not a whole number of tonnes (the spec does not round it)")
    for name, choice in period.alternatives.items():
        alternative = spec.equations[name].alternatives[choice]
        result.notes.append(f"{name} by its alternative '{choice}': {alternative.description} ({name} = {alternative.formula.text})")
    version = spec.version(period.version)
    if version is not None and version.provisional:
        result.warnings.append(
            f"PROVISIONAL version data: JCM_{spec.id} ver{version.version} and its approval date {version.approved} are not confirmed (see versions in the methodology spec)"
        )
    if spec.structure_inferred:
        # Every output shows the warnings (CLI, notebook, MRS, app): a result from equations
        # inferred from the family must never read as the official methodology's.
        result.warnings.append(
            f"STRUCTURE INFERRED: the equations of JCM_{spec.id} are inferred from its family, the official methodology text was not seen; "
            f"confirm them against the official methodology before use ({spec.structure_source.strip()})"
        )
    if result.provisional:
        result.warnings.append("PROVISIONAL default value(s) used: " + ", ".join(result.provisional) + " (not yet confirmed against the official methodology)")
    return result


def _build_trace(result: Result, unrounded: dict[str, float]) -> None:
    spec = result.spec
    symbols = spec.symbols()
    nodes: dict[str, TraceNode] = {}
    for name, param in spec.parameters.items():
        if param.kind == "monitored":
            if name not in result.monitored:  # reported only and not given: no value to trace (a note says so)
                continue
            series = result.monitored[name]
            fixes = [c for c in result.corrections if c.parameter == name]
            sources = "; ".join(p.rows for p in series.points.values())
            node = TraceNode(name, param.symbol, "monitored", param.unit, result.values[name], str(param.description), source=f"option {series.option}: {sources}", corrections=fixes)
            if param.reported_only:
                node.notes.append(REPORTED_ONLY)
            for gap in series.gaps:
                node.notes.append("gap: " + gap.describe())
        else:
            fv = result.fixed[name]
            label = f"{fv.source}" + (f" [choice: {fv.choice}, applies from {fv.applies_from}]" if fv.choice else "")
            node = TraceNode(name, param.symbol, param.kind, param.unit, fv.value, str(param.description), source=label, status=fv.status, provisional=fv.status == "provisional")
        nodes[name] = node
    for name in spec.order:
        eq = spec.equations[name]
        inputs = sorted(eq.formula.names)
        node = TraceNode(
            name,
            eq.symbol,
            "equation",
            eq.unit,
            result.values[name],
            str(eq.description),
            formula=eq.formula.text,
            latex=eq.formula.to_latex(symbols),
            inputs=inputs,
            provisional=any(nodes[i].provisional for i in inputs),
            unrounded=unrounded.get(name),
        )
        if eq.alternative:
            node.notes.append(f"alternative '{eq.alternative}' of {len(eq.alternatives)}: {eq.alternatives[eq.alternative].description}")
        raw = unrounded.get(name)
        if raw is not None and eq.rounding != "none" and raw != result.values[name]:
            # Six decimals, as monitored totals carry: no binary-float tail in what people read.
            node.notes.append(f"rounded {eq.rounding} from {format_number(raw, 6, trim=True, grouping=False)} {eq.unit}")
        if eq.floor_at_zero and raw is not None and raw < 0:
            message = f"{name} computed as {format_number(raw, 3)} {eq.unit}, which is negative: credited as zero"
            node.notes.append(message)
            result.warnings.append(message)
        nodes[name] = node
    result.nodes = nodes


def not_given(spec: Spec, period: MonitoringPeriod) -> list[str]:
    """The reported-only parameters the period leaves out, in the spec's order."""
    return [n for n in spec.reported_only() if n not in period.monitored]


def not_given_note(spec: Spec, name: str) -> str:
    """The note of a reported-only parameter the period leaves out: a note, not a warning, since ER_p does not depend on it."""
    param = spec.parameters[name]
    return f"{name} ({param.description}) {NOT_GIVEN} in the monitoring-period file: {REPORTED_ONLY}, so {spec.result} does not depend on it; Table 1 shows its row as {NOT_GIVEN}"


def _eligibility(result: Result) -> None:
    """A methodology applies only to projects that satisfy all of its eligibility criteria, so
    a criterion answered NO or not answered at all is a warning, shown by every output (the
    command line, the MRS, the notebook, the app). Not an error: eligibility is established
    at validation, and the period's answers confirm it (methodologies/README.md 3.6)."""
    answers = result.period.eligibility
    for criterion in result.spec.eligibility:
        answer = answers.get(criterion.id)
        if answer is None:
            result.warnings.append(
                f"eligibility criterion {criterion.id} not answered: {criterion.text} (the methodology applies only to projects that meet all its criteria;"
                f' answer it yes or no under eligibility: in the monitoring-period file, e.g. "{criterion.id}": yes)'
            )
        elif answer is False:
            result.warnings.append(f"eligibility criterion {criterion.id} answered NO: {criterion.text}")
