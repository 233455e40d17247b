"""What-if: a methodology spec with a changed default value, in memory (``jcmwb impact``).

A JC revising a default, or a methodology author weighing one, asks what the new value does
to every period already monitored. ``--set TH_AM001.EF_RE.grid=0.5`` names a ``fixed_default``
parameter of a methodology, the choice whose value changes (without it the parameter must have
a single choice) and the new value in the parameter's unit. :func:`parse_overrides` checks it
against the spec; :func:`apply` derives the modified :class:`~jcmwb.engine.spec.Spec` with
``dataclasses.replace``: every dated value of that choice becomes the new value, with status
``what-if`` and source ``--set on the command line``, so whichever dated value is in force for a
period, that period calculates with the new one. Nothing is written and no file is read twice:
the spec files stay as they are.

:func:`assess_period` and :func:`assess_project` calculate a period (or every period of a
project folder, with its calendar-year vintages) before and after, and return
:class:`PeriodImpact` records: ER_p before and after, the difference, and the credits per party
(and per vintage) before and after. These are what-if numbers, never the calculation of record
(that is the notebook ``jcmwb run`` executes); every renderer of them says so (:data:`NOT_OF_RECORD`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jcmwb.engine.compute import Result, calculate
from jcmwb.engine.cycle import CyclePeriod, issue, load_project
from jcmwb.engine.errors import InputError, JcmwbError, SpecError
from jcmwb.engine.period import MonitoringPeriod, load_period
from jcmwb.engine.spec import ID_PATTERN, Spec, load_spec
from jcmwb.engine.vintage import notice_period

WHAT_IF = "what-if"  # the status of a changed value (the spec's own are confirmed | provisional)
SOURCE = "--set on the command line"
NOT_OF_RECORD = (
    "WHAT-IF numbers, not the calculation of record: calculated in-process by jcmwb impact with a changed default value; "
    "the calculation of record is the notebook jcmwb run executes, and no input or report of record was changed"
)
SYNTAX = "METHODOLOGY.PARAM[.option]=VALUE, e.g. TH_AM001.EF_RE.grid=0.5"
AFFECTED, UNAFFECTED, ERROR = "affected", "unaffected", "error"

_TARGET = re.compile(r"^([^.=\s]+)\.([^.=\s]+)(?:\.([^=\s]+))?$")


@dataclass(frozen=True)
class Override:
    """One ``--set``: a default value of a methodology, changed."""

    methodology: str
    parameter: str
    choice: str  # the choice whose value changes (the single one when the parameter has no choices)
    value: float
    unit: str  # the parameter's unit: VALUE is in it
    text: str  # as typed, for messages
    named_choice: bool = True  # False when the parameter has a single choice and --set named none

    @property
    def target(self) -> str:
        """``TH_AM001.EF_RE.grid`` (``XX.P`` for a parameter without choices)."""
        return f"{self.methodology}.{self.parameter}" + (f".{self.choice}" if self.named_choice else "")

    def describe(self) -> str:
        """``TH_AM001.EF_RE.grid = 0.5 tCO2/MWh``."""
        return f"{self.target} = {self.value:g} {self.unit}"


def _fail(text: str, message: str, *, expected: str | None = None, found: str | None = None) -> InputError:
    return InputError(message, where="--set", expected=expected, found=found if found is not None else repr(text))


def _number(text: str, raw: str, unit: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise _fail(text, f"not a number: {raw!r}", expected=f"a number in the parameter's unit ({unit}), e.g. 0.5") from None
    if not math.isfinite(value):  # float() reads nan, inf and 1e400 (inf) without complaint
        raise _fail(text, f"not a finite number: {raw!r}", expected=f"a finite number in the parameter's unit ({unit})")
    return value


def parse_override(text: str, *, load: Callable[[str], Spec] = load_spec) -> Override:
    """Read one ``--set`` and check it against its methodology's spec.

    Raises
    ------
    InputError
        (``where="--set"``) the text is not ``METHODOLOGY.PARAM[.option]=VALUE``; the
        methodology is unknown; the parameter is not one of its parameters or is not a default
        (monitored, or project-specific); the option is unknown, or missing for a parameter with
        several choices; the default is a table or has one value per category; the value is not
        a finite number.
    """
    left, sep, raw = str(text).partition("=")
    match = _TARGET.match(left.strip()) if sep else None
    if match is None:
        raise _fail(text, "not a default value to change", expected=SYNTAX)
    methodology, name, option = match.groups()
    if not ID_PATTERN.match(methodology):
        raise _fail(text, f"not a methodology id: {methodology!r}", expected="an id listed by `jcmwb list`, e.g. TH_AM001")
    try:
        spec = load(methodology)
    except SpecError as exc:
        if exc.where != "methodology":  # the spec exists and is broken: its own error says where
            raise
        raise _fail(text, f"{exc.message}: {methodology!r}", expected=exc.expected or "a methodology listed by `jcmwb list`") from None
    except JcmwbError as exc:  # approved but not runnable (no spec): say why
        raise _fail(text, f"{methodology} cannot be calculated: {exc.message}", expected="a runnable methodology listed by `jcmwb list`") from None
    defaults = [n for n, p in spec.parameters.items() if p.kind == "fixed_default"]
    shown = ", ".join(defaults) or "none in this methodology"
    param = spec.parameters.get(name)
    if param is None:
        raise _fail(text, f"{methodology} has no parameter {name!r}", expected=f"one of its default parameters: {shown}")
    if param.kind != "fixed_default":
        kind = "a monitored parameter" if param.kind == "monitored" else "a project-specific parameter (fixed in each period file)"
        raise _fail(text, f"{name} of {methodology} is {kind}, not a default value", expected=f"one of its default parameters: {shown}")
    choices = list(param.choices)
    if option is None:
        if len(choices) > 1:
            raise _fail(text, f"{name} of {methodology} has {len(choices)} choices: name the one to change", expected=" or ".join(f"{methodology}.{name}.{c}=VALUE" for c in choices))
        choice, named = choices[0], False
    elif option not in param.choices:
        raise _fail(text, f"{name} of {methodology} has no choice {option!r}", expected="one of " + ", ".join(choices))
    else:
        choice, named = option, True
    picked = param.choices[choice]
    if picked.members:
        raise _fail(text, f"{name} of {methodology} has one value per category ({', '.join(picked.members)}); one number cannot set them", expected="a default with one value per period")
    if any(v.table for v in picked.values):
        raise _fail(text, f"{name} of {methodology} is looked up in a table by {param.lookup_by}; one number cannot replace the table", expected="a default with one value per period")
    value = _number(text, raw, param.unit)
    return Override(methodology, name, choice, value, param.unit, str(text), named)


def parse_overrides(texts: Iterable[str], *, load: Callable[[str], Spec] = load_spec) -> tuple[Override, ...]:
    """Every ``--set``, checked; the same default set twice is refused."""
    out: list[Override] = []
    for text in texts:
        override = parse_override(text, load=load)
        twice = next((o for o in out if (o.methodology, o.parameter, o.choice) == (override.methodology, override.parameter, override.choice)), None)
        if twice is not None:
            raise _fail(text, f"{override.target} is set twice", expected="one --set per default value", found=f"{twice.text!r} and {text!r}")
        out.append(override)
    if not out:
        raise InputError("no default value to change", where="--set", expected=SYNTAX)
    return tuple(out)


def apply(spec: Spec, overrides: Iterable[Override]) -> Spec:
    """``spec`` with the overrides for its methodology applied (the others are ignored); the spec is not changed."""
    parameters = dict(spec.parameters)
    for o in overrides:
        if o.methodology != spec.id or o.parameter not in parameters:
            continue
        param = parameters[o.parameter]
        choice = param.choices[o.choice]
        values = tuple(dataclasses.replace(v, value=o.value, status=WHAT_IF, source=SOURCE) for v in choice.values)
        choices = {**param.choices, o.choice: dataclasses.replace(choice, values=values)}
        parameters[o.parameter] = dataclasses.replace(param, choices=choices)
    if parameters == spec.parameters:
        return spec
    # No file holds this spec: its hash would claim one does.
    return dataclasses.replace(spec, parameters=parameters, sha256="")


def effect(period: MonitoringPeriod, overrides: Iterable[Override]) -> tuple[list[Override], str]:
    """The overrides that change this period's calculation, and, when none does, why not."""
    spec = period.spec
    ours = [o for o in overrides if o.methodology == spec.id]
    if not ours:
        return [], f"methodology {spec.id} is not changed"
    touching: list[Override] = []
    reasons: list[str] = []
    for o in ours:
        param = spec.parameters.get(o.parameter)
        given = period.fixed.get(o.parameter)
        if param is None:
            reasons.append(f"{o.parameter} is not used by the equation alternatives the period selects")
        elif given is not None and (given.value is not None or given.values):
            reasons.append(f"the period gives its own project-specific {o.parameter}")
        elif ((given.option if given else None) or param.default_choice) != o.choice:
            reasons.append(f"the period uses {o.parameter} choice {(given.option if given else None) or param.default_choice!r}, not {o.choice!r}")
        else:
            touching.append(o)
    return touching, "; ".join(reasons)


# -- records of the impact -----------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """A default value of one period, before and after."""

    target: str
    unit: str
    before: str  # as the period used it, e.g. "0.4 (provisional)"
    after: float


@dataclass(frozen=True)
class Credits:
    """One party's credits of one period (or of one calendar year of it), before and after."""

    vintage: str  # "01/Jan/2021 – 31/Dec/2021"
    year: int | None  # the calendar year of a project's vintage; None: the whole period, not split
    party: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class PeriodImpact:
    """What the change does to one monitoring period."""

    file: str  # relative to the folder assessed
    status: str  # affected | unaffected | error
    note: str = ""  # why unaffected, the error, or what is missing (no allocation)
    project: str = ""
    project_folder: str = ""  # for a period of a project folder: the folder, relative
    methodology: str = ""
    version: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""
    er_before: float | None = None
    er_after: float | None = None
    changes: tuple[Change, ...] = ()
    credits: tuple[Credits, ...] = ()
    inputs: tuple[str, ...] = ()  # the files read (absolute), so that no output folder may hold one

    @property
    def difference(self) -> float | None:
        """ER after - ER before, in the result's unit."""
        if self.er_before is None or self.er_after is None:
            return None
        return self.er_after - self.er_before

    @property
    def difference_percent(self) -> float | None:
        """The difference in % of ER before; None when ER before is zero."""
        if self.difference is None or not self.er_before:
            return None
        return self.difference / self.er_before * 100.0

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}" if self.start and self.end else ""

    def sort_key(self) -> tuple:
        return (self.project_folder, self.project, self.start or dt.date.min, self.file)


def totals(impacts: Iterable[PeriodImpact]) -> tuple[float, float, float]:
    """ER before, ER after and their difference, over the periods that have both."""
    both = [i for i in impacts if i.er_before is not None and i.er_after is not None]
    before = math.fsum(i.er_before or 0.0 for i in both)
    after = math.fsum(i.er_after or 0.0 for i in both)
    return before, after, after - before


def _fixed_text(result: Result, name: str) -> str:
    fixed = result.fixed[name]
    value = fixed.value
    if isinstance(value, dict):
        distinct = sorted(set(value.values()))
        number = f"{distinct[0]:g}" if len(distinct) == 1 else ", ".join(f"{m}: {v:g}" for m, v in value.items())
    else:
        number = f"{value:g}"
    return number + (f" ({fixed.status})" if fixed.status else "")


def _changes(before: Result, touching: Sequence[Override]) -> tuple[Change, ...]:
    return tuple(Change(o.target, o.unit, _fixed_text(before, o.parameter), o.value) for o in touching)


def _party_credits(label: str, before: dict[str, int], after: dict[str, int]) -> tuple[Credits, ...]:
    parties = list(dict.fromkeys([*before, *after]))
    return tuple(Credits(label, None, p, before.get(p, 0), after.get(p, 0)) for p in parties)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def assess_period(path: str | Path, overrides: Sequence[Override], root: str | Path) -> PeriodImpact:
    """One monitoring-period file before and after the change (calculated only when it is affected).

    Raises
    ------
    JcmwbError
        the period file or its data is bad (as ``jcmwb check``/``run`` would say).
    """
    root = Path(root).resolve()
    period = load_period(path)
    read = [Path(path), *([period.project_file] if period.project_file else []), *(item.data for item in period.monitored.values() if item.data is not None)]
    base = PeriodImpact(
        _relative(Path(path), root),
        UNAFFECTED,
        project=period.project_id,
        methodology=period.spec.id,
        version=period.version,
        start=period.start,
        end=period.end,
        inputs=tuple(dict.fromkeys(str(Path(f).resolve()) for f in read)),
    )
    touching, reason = effect(period, overrides)
    if not touching:
        return dataclasses.replace(base, note=reason)
    before = calculate(period)
    after = calculate(dataclasses.replace(period, spec=apply(period.spec, touching)))
    note = "" if period.allocation else "no credit allocation in the period file: credits per party not shown"
    if period.allocation and not (before.allocation and after.allocation):
        note = f"no credit allocation: {before.spec.result} is not a whole number of tonnes"
    return dataclasses.replace(
        base,
        status=AFFECTED,
        note=note,
        unit=before.unit(before.spec.result),
        er_before=before.er,
        er_after=after.er,
        changes=_changes(before, touching),
        credits=_party_credits(notice_period(period.start, period.end), before.allocation, after.allocation),
    )


def assess_project(folder: str | Path, overrides: Sequence[Override], root: str | Path) -> list[PeriodImpact]:
    """Every period of a project folder before and after, with its credits per calendar year and party.

    A period the change does not touch keeps its ER, but its credits are listed too: the project's
    ledger is one. Nothing is calculated when no period is touched.

    Raises
    ------
    JcmwbError
        the project folder, a period file or its data is bad (as ``jcmwb project`` would say).
    """
    root = Path(root).resolve()
    project = load_project(folder)
    shown = _relative(project.folder, root)
    effects = {cp.label: effect(cp.period, overrides) for cp in project.periods}

    inputs = tuple(str(f) for f in project.inputs())

    def record(cp: CyclePeriod, status: str, note: str) -> PeriodImpact:
        p = cp.period
        return PeriodImpact(_relative(cp.file, root), status, note, p.project_id, shown, p.spec.id, p.version, p.start, p.end, inputs=inputs)

    if not any(touching for touching, _ in effects.values()):
        return [record(cp, UNAFFECTED, effects[cp.label][1]) for cp in project.periods]
    changed = dataclasses.replace(
        project,
        periods=[dataclasses.replace(cp, period=dataclasses.replace(cp.period, spec=apply(cp.period.spec, effects[cp.label][0]))) for cp in project.periods],
    )
    results_before = {cp.label: calculate(cp.period) for cp in project.periods}
    results_after = {cp.label: calculate(cp.period) if effects[cp.label][0] else results_before[cp.label] for cp in changed.periods}
    issued_before = issue(project, results_before, calculate)
    issued_after = issue(changed, results_after, calculate)
    out = []
    for cp, before, after in zip(project.periods, issued_before, issued_after):
        touching, reason = effects[cp.label]
        credits = tuple(
            Credits(vb.part.label, vb.year, party, vb.parties.get(party, 0), va.parties.get(party, 0))
            for vb, va in zip(before.vintages, after.vintages)
            for party in dict.fromkeys([*vb.parties, *va.parties])
        )
        out.append(
            dataclasses.replace(
                record(cp, AFFECTED if touching else UNAFFECTED, reason),
                unit=before.unit,
                er_before=float(before.er),
                er_after=float(after.er),
                changes=_changes(results_before[cp.label], touching),
                credits=credits,
            )
        )
    return out

