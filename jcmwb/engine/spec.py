"""Strict loader of methodology specs (``methodologies/<ID>/methodology.yaml``).

The spec is data: parameters, dated default values with source and status, equations
in the formula language, blocks of the calculation-process sheet, rounding and the
eligibility checklist. Loading rejects unknown and duplicate keys, bad dates,
undeclared symbols, dependency cycles and unit mismatches, each with a SpecError
naming the file and the key. The format is documented in ``methodologies/README.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import JcmwbError, SpecError, SpecErrors
from jcmwb.engine.facts import not_runnable
from jcmwb.engine.formulas import Formula, Symbol, dependency_order
from jcmwb.engine.strict_yaml import ReportedBadDate, load_yaml, yaml_date
from jcmwb.engine.units import parse_unit, same_dimension
from jcmwb.library import paths

# jcmwb's own library (the checkout, or the copy in the installed wheel); authors' libraries
# come first in the search (jcmwb.library.paths).
ROOT = paths.HOME
METHODOLOGIES = ROOT / "methodologies"

KINDS = ("monitored", "fixed_default", "fixed_project")
BLOCKS = ("emission_reductions", "defaults", "reference", "project")
BLOCK_TITLES = {
    "emission_reductions": "Calculations for emission reductions",
    "defaults": "Selected default values, etc.",
    "reference": "Calculations for reference emissions",
    "project": "Calculations of the project emissions",
}
STATUSES = ("confirmed", "provisional")
# Where a spec's equations come from: the official methodology's own summary or text, or
# inferred from a methodology of the same family because the official text was not seen.
STRUCTURES = ("official", "inferred")
OPTIONS = ("A", "B", "C")
ROUNDING = ("down", "up", "nearest", "none")
# XX_AMnnn (approved), XX_PMnnn (proposed), or XX_PM_NAME: a proposed, never approved methodology
# that jcmwb keeps runnable under an id no JCM body assigned (MN_PM_HOB; see the catalogue facts).
ID_PATTERN = re.compile(r"^[A-Z]{2}_(?:[AP]M\d{3}|PM_[A-Z]{2,10})$")
NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


# -- small value types ------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A label in English and, where given, Japanese."""

    en: str
    ja: str | None = None

    def __call__(self, lang: str = "en") -> str:
        return self.ja if lang == "ja" and self.ja else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class RangeRow:
    low: float | None
    high: float | None
    value: float

    def contains(self, x: float) -> bool:
        return (self.low is None or x >= self.low) and (self.high is None or x < self.high)


@dataclass(frozen=True)
class DatedValue:
    """A default value applying from ``start``: a number, or a table looked up by another parameter."""

    start: dt.date
    source: str
    status: str
    value: float | None = None
    table: tuple[RangeRow, ...] = ()

    @property
    def provisional(self) -> bool:
        return self.status != "confirmed"


@dataclass(frozen=True)
class Choice:
    """A named alternative of a default. ``members``: one list of dated values per member of
    a category index (e.g. an emission factor per day category); ``values`` then holds them all."""

    name: str
    description: Text
    values: tuple[DatedValue, ...]
    members: dict[str, tuple[DatedValue, ...]] = field(default_factory=dict)


@dataclass
class Parameter:
    name: str
    symbol: str
    description: Text
    unit: str
    kind: str
    index: str | None = None
    options: tuple[str, ...] = ()
    choices: dict[str, Choice] = field(default_factory=dict)
    default_choice: str | None = None
    lookup_by: str | None = None
    project_value: bool = False
    fuel_type: str = ""
    frequency: str = ""
    measurement: str = ""
    # Day categories (methodologies/README.md 2.8): a category parameter lists its categories
    # (the members of its index); a parameter split_by it is totalled per category of each day.
    categories: dict[str, Text] = field(default_factory=dict)
    split_by: str | None = None
    # Reported only (methodologies/README.md 2.2): a monitored parameter that the official sheets
    # list in Table 1 but whose role in the equations was not seen, so no equation may use it;
    # a period may leave it out.
    reported_only: bool = False

    def values_for(self, choice: str) -> tuple[DatedValue, ...]:
        return self.choices[choice].values


@dataclass(frozen=True)
class Alternative:
    """One of an equation's alternative formulas; the monitoring period selects one."""

    name: str
    description: Text
    formula: Formula


@dataclass
class Equation:
    name: str
    symbol: str
    description: Text
    formula: Formula
    unit: str
    block: str
    index: str | None = None
    rounding: str = "none"
    floor_at_zero: bool = False
    fuel_type: str = ""
    # Alternatives (e.g. metered energy, or rated power x hours x days): ``formula`` is the
    # default alternative's until a period selects one (``Spec.resolve``); ``alternative``
    # then names the one in use.
    alternatives: dict[str, Alternative] = field(default_factory=dict)
    default_alternative: str | None = None
    alternative: str | None = None
    # Alternatives selected together (methodologies/README.md 2.4): an equation ``selected_with``
    # another takes the alternative of the same name that the period selects for that one, so
    # e.g. the reference and the project side of an equipment type are counted or left out together.
    selected_with: str | None = None


@dataclass(frozen=True)
class Version:
    version: str
    approved: dt.date
    status: str = "confirmed"
    source: str = ""

    @property
    def provisional(self) -> bool:
        return self.status != "confirmed"


@dataclass(frozen=True)
class Criterion:
    id: str
    text: Text


@dataclass
class Spec:
    id: str
    title: Text
    family: str
    sectoral_scope: int
    country: str
    versions: tuple[Version, ...]
    parameters: dict[str, Parameter]
    equations: dict[str, Equation]
    result: str
    order: list[str]
    eligibility: tuple[Criterion, ...] = ()
    references: tuple[str, ...] = ()
    summary: Text = Text("")
    permissible_error_percent: float | None = None
    path: Path | None = None
    sha256: str = ""
    indices: dict[str, Text] = field(default_factory=dict)
    structure: str = "official"  # one of STRUCTURES
    structure_source: str = ""  # with "inferred": the family it follows and what was not seen

    @property
    def structure_inferred(self) -> bool:
        """True when the equations are inferred from the family: the official text was not seen."""
        return self.structure == "inferred"

    def symbols(self) -> dict[str, Symbol]:
        table = {n: Symbol(n, p.unit, p.index, p.symbol) for n, p in self.parameters.items()}
        table.update({n: Symbol(n, e.unit, e.index, e.symbol) for n, e in self.equations.items()})
        return table

    def version_at(self, day: dt.date) -> Version:
        valid = [v for v in self.versions if v.approved <= day]
        return valid[-1] if valid else self.versions[0]

    def version(self, label: str) -> Version | None:
        return next((v for v in self.versions if v.version == label), None)

    def versions_approved_within(self, start: dt.date, end: dt.date) -> list[Version]:
        """Versions approved after ``start`` and on or before ``end`` (a period across a revision)."""
        return [v for v in self.versions if start < v.approved <= end]

    def alternatives(self) -> dict[str, Equation]:
        """The equations whose alternative a period selects, by name (not those ``selected_with`` another)."""
        return {n: e for n, e in self.equations.items() if e.alternatives and not e.selected_with}

    def _selected(self, choices: Mapping[str, str]) -> dict[str, Alternative]:
        """The alternative in use of every equation that has alternatives: chosen, followed or default."""

        def choice(name: str, eq: Equation) -> str:
            leader = eq.selected_with or name
            return choices.get(leader) or self.equations[leader].default_alternative or ""

        return {n: e.alternatives[choice(n, e)] for n, e in self.equations.items() if e.alternatives}

    def inactive(self, choices: Mapping[str, str]) -> set[str]:
        """Parameters and equations used only by alternatives that ``choices`` does not select.

        ``choices`` maps an equation to the alternative selected (others: their default).
        A name referred to by no formula at all stays active (e.g. a total shown for reading).
        """
        selected = self._selected(choices)

        def active_formula(name: str) -> Formula:
            return selected[name].formula if name in selected else self.equations[name].formula

        candidates = {x for n, e in selected.items() for alt in self.equations[n].alternatives.values() if alt is not e for x in alt.formula.names}
        inactive: set[str] = set()
        while True:
            used = {x for n in self.equations if n not in inactive for x in active_formula(n).names}
            used |= {p.lookup_by for n, p in self.parameters.items() if n not in inactive and p.lookup_by}
            newly = {x for x in candidates - inactive if x not in used and x != self.result and (x in self.parameters or x in self.equations)}
            if not newly:
                return inactive
            inactive |= newly
            for x in newly & set(self.equations):  # what only an unused equation used is unused too
                candidates |= {y for alt in self.equations[x].alternatives.values() for y in alt.formula.names} | self.equations[x].formula.names
            # A default looked up by a project value (COP_RE by capacity): the capacity is unused with it.
            candidates |= {self.parameters[x].lookup_by for x in newly & set(self.parameters) if self.parameters[x].lookup_by}

    def resolve(self, choices: Mapping[str, str]) -> Spec:
        """This spec with each equation's selected alternative as its formula, without what it no longer uses."""
        if not self.alternatives():
            return self
        inactive = self.inactive(choices)
        selected = self._selected(choices)
        equations: dict[str, Equation] = {}
        for name, eq in self.equations.items():
            if name in inactive:
                continue
            if eq.alternatives:
                alt = selected[name]
                eq = dataclasses.replace(eq, formula=alt.formula, alternative=alt.name)
            equations[name] = eq
        parameters = {n: p for n, p in self.parameters.items() if n not in inactive}
        order = dependency_order({n: e.formula.names & set(equations) for n, e in equations.items()}, file=str(self.path) if self.path else None)
        return dataclasses.replace(self, parameters=parameters, equations=equations, order=order)

    def reported_only(self) -> list[str]:
        """The monitored parameters that are reported only: read, checked and shown, used by no equation."""
        return [n for n, p in self.parameters.items() if p.reported_only]

    def provisional_defaults(self) -> list[str]:
        out = []
        for p in self.parameters.values():
            for choice in p.choices.values():
                if any(v.provisional for v in choice.values):
                    out.append(p.name if len(p.choices) == 1 else f"{p.name} ({choice.name})")
        return out

    @property
    def directory(self) -> Path:
        return self.path.parent if self.path else METHODOLOGIES / self.id


# -- strict reading -----------------------------------------------------------------------
class _Reader:
    """Reads a spec mapping. Problems that do not stop the reading of what follows (an unknown
    key, a bad formula in one equation, ...) are collected in ``problems``; ``guard`` runs one
    independent part and records its error, so one load reports every problem."""

    def __init__(self, file: str, problems: list[SpecError] | None = None) -> None:
        self.file = file
        self.problems: list[SpecError] = problems if problems is not None else []

    def fail(self, where: str, message: str, **kw: Any) -> SpecError:
        return SpecError(message, file=self.file, where=where, **kw)

    def guard(self, function: Any, *args: Any, default: Any = None) -> Any:
        """``function(*args)``, or ``default`` after recording the SpecError it raised."""
        try:
            return function(*args)
        except SpecError as exc:
            self.problems.extend(getattr(exc, "problems", [exc]))
            return default

    def mapping(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping", found=type(value).__name__)
        for key in sorted(set(value) - set(required) - set(optional), key=str):  # recorded; reading goes on
            self.problems.append(
                self.fail(f"{where}.{key}" if where else str(key), "unknown key", expected="one of " + ", ".join(required + optional), found=repr(key))
            )
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(where or "top level", f"missing key {missing[0]!r}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(where, "expected text", found=type(value).__name__)
        return str(value)

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, "expected a number", found=repr(value))
        try:
            number = float(value)
        except OverflowError:  # an integer beyond the float range
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(where, "not a finite number", expected="a finite number", found=repr(value) if isinstance(value, float) else f"an integer of {len(str(value))} digits")
        return number

    def date(self, value: Any, where: str) -> dt.date:
        if isinstance(value, ReportedBadDate):
            return dt.date.min  # already among the problems: the spec is refused anyway
        try:
            return yaml_date(value)
        except ValueError as exc:
            raise self.fail(where, "bad date", expected="YYYY-MM-DD", found=repr(value)) from exc

    def text(self, value: Any, where: str) -> Text:
        if isinstance(value, dict):
            self.mapping(value, where, ("en",), ("ja",))
            return Text(self.string(value["en"], f"{where}.en"), self.string(value["ja"], f"{where}.ja") if "ja" in value else None)
        return Text(self.string(value, where))

    def unit(self, value: Any, where: str) -> str:
        text = self.string(value, where)
        try:
            parse_unit(text, where=where, file=self.file)
        except JcmwbError as exc:
            raise self.fail(where, "unknown unit", expected="a unit such as MWh/p, tCO2/MWh, - (dimensionless)", found=repr(text)) from exc
        return text

    def choice_of(self, value: Any, allowed: tuple[str, ...], where: str) -> str:
        text = self.string(value, where)
        if text not in allowed:
            raise self.fail(where, "value not allowed", expected="one of " + ", ".join(allowed), found=repr(text))
        return text


def _dated_values(r: _Reader, raw: Any, where: str, has_lookup: bool) -> tuple[DatedValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise r.fail(where, "expected a list of dated values", found=repr(raw))
    out = []
    for n, item in enumerate(raw):
        w = f"{where}[{n}]"
        r.mapping(item, w, ("from", "source", "status"), ("value", "table", "note"))
        status = r.choice_of(item["status"], STATUSES, f"{w}.status")
        source = r.string(item["source"], f"{w}.source")
        if not source.strip():
            raise r.fail(f"{w}.source", "a default value needs its source")
        if ("value" in item) == ("table" in item):
            raise r.fail(w, "give either value or table")
        table: tuple[RangeRow, ...] = ()
        value = None
        if "table" in item:
            if not has_lookup:
                raise r.fail(f"{w}.table", "a table needs lookup_by on the parameter")
            rows = []
            for k, row in enumerate(item["table"] or []):
                rw = f"{w}.table[{k}]"
                r.mapping(row, rw, ("value",), ("min", "max"))
                rows.append(
                    RangeRow(
                        r.number(row["min"], f"{rw}.min") if "min" in row else None,
                        r.number(row["max"], f"{rw}.max") if "max" in row else None,
                        r.number(row["value"], f"{rw}.value"),
                    )
                )
            if not rows:
                raise r.fail(f"{w}.table", "a table needs rows")
            table = tuple(rows)
        else:
            value = r.number(item["value"], f"{w}.value")
        out.append(DatedValue(r.date(item["from"], f"{w}.from"), source, status, value, table))
    starts = [v.start for v in out]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise r.fail(where, "dated values must be in increasing order of their from dates", found=", ".join(map(str, starts)))
    return tuple(out)


def _choice(r: _Reader, name: str, description: Text, raw: Any, where: str, has_lookup: bool) -> Choice:
    """A list of dated values, or a mapping member -> list of dated values (per category)."""
    if not isinstance(raw, dict):
        return Choice(name, description, _dated_values(r, raw, where, has_lookup))
    if has_lookup:
        raise r.fail(where, "values per member cannot be combined with lookup_by", expected="a list of dated values")
    if not raw:
        raise r.fail(where, "expected a list of dated values, or a mapping category -> list of dated values")
    members = {str(m): _dated_values(r, v, f"{where}.{m}", False) for m, v in raw.items()}
    return Choice(name, description, tuple(v for vs in members.values() for v in vs), members)


def _parameter(r: _Reader, name: str, raw: Any) -> Parameter:
    where = f"parameters.{name}"
    if not NAME_PATTERN.match(name):
        raise r.fail(where, "bad parameter name", expected="letters, digits and _", found=repr(name))
    r.mapping(
        raw,
        where,
        ("symbol", "description", "unit", "kind"),
        ("index", "options", "values", "choices", "default_choice", "lookup_by", "project_value", "fuel_type", "frequency", "measurement", "categories", "split_by", "reported_only"),
    )
    kind = r.choice_of(raw["kind"], KINDS, f"{where}.kind")
    p = Parameter(
        name=name,
        symbol=r.string(raw["symbol"], f"{where}.symbol"),
        description=r.text(raw["description"], f"{where}.description"),
        unit=r.unit(raw["unit"], f"{where}.unit"),
        kind=kind,
        index=r.string(raw["index"], f"{where}.index") if raw.get("index") is not None else None,
        lookup_by=r.string(raw["lookup_by"], f"{where}.lookup_by") if "lookup_by" in raw else None,
        project_value=bool(raw.get("project_value", False)),
        fuel_type=r.string(raw.get("fuel_type", ""), f"{where}.fuel_type"),
        frequency=r.string(raw.get("frequency", ""), f"{where}.frequency"),
        measurement=r.string(raw.get("measurement", ""), f"{where}.measurement"),
    )
    if kind == "monitored":
        options = raw.get("options", list(OPTIONS))
        if not isinstance(options, list) or not options:
            raise r.fail(f"{where}.options", "expected a list of monitoring options", found=repr(options))
        p.options = tuple(r.choice_of(o, OPTIONS, f"{where}.options") for o in options)
    elif "options" in raw:
        raise r.fail(f"{where}.options", "monitoring options apply to monitored parameters only")
    for key in ("categories", "split_by", "reported_only"):
        if key in raw and kind != "monitored":
            raise r.fail(f"{where}.{key}", f"{key} applies to monitored parameters only", expected="kind: monitored, or no " + key, found=f"kind: {kind}")
    if "reported_only" in raw:
        if not isinstance(raw["reported_only"], bool):
            raise r.fail(f"{where}.reported_only", "expected true or false", found=repr(raw["reported_only"]))
        p.reported_only = raw["reported_only"]
        if p.reported_only and "categories" in raw:
            # The days of each category are totals that the parameters split by it are made of.
            raise r.fail(f"{where}.reported_only", "a category parameter cannot be reported only: the parameters split by it use its categories", expected="no categories, or no reported_only")
    if "categories" in raw:
        if not isinstance(raw["categories"], dict) or not raw["categories"]:
            raise r.fail(f"{where}.categories", "expected a mapping of category name -> description", found=repr(raw["categories"]))
        if not p.index:
            raise r.fail(f"{where}.index", "a category parameter needs an index: the categories are its members", expected="e.g. index: k")
        if "split_by" in raw:
            raise r.fail(f"{where}.split_by", "a category parameter cannot itself be split by categories")
        if not same_dimension(p.unit, "day"):
            raise r.fail(f"{where}.unit", "a category parameter counts days", expected="day", found=repr(p.unit))
        for cname, text in raw["categories"].items():
            if not NAME_PATTERN.match(str(cname)):
                raise r.fail(f"{where}.categories.{cname}", "bad category name", expected="letters, digits and _", found=repr(cname))
            p.categories[str(cname)] = r.text(text, f"{where}.categories.{cname}")
    if "split_by" in raw:
        p.split_by = r.string(raw["split_by"], f"{where}.split_by")
    if kind == "fixed_default":
        if ("values" in raw) == ("choices" in raw):
            raise r.fail(where, "a fixed_default parameter needs either values or choices")
        if "values" in raw:
            p.choices = {"default": _choice(r, "default", p.description, raw["values"], f"{where}.values", bool(p.lookup_by))}
        else:
            if not isinstance(raw["choices"], dict) or not raw["choices"]:
                raise r.fail(f"{where}.choices", "expected a mapping of named choices")
            for cname, craw in raw["choices"].items():
                cw = f"{where}.choices.{cname}"
                r.mapping(craw, cw, ("description", "values"))
                p.choices[str(cname)] = _choice(r, str(cname), r.text(craw["description"], f"{cw}.description"), craw["values"], f"{cw}.values", bool(p.lookup_by))
        p.default_choice = r.string(raw.get("default_choice", next(iter(p.choices))), f"{where}.default_choice")
        if p.default_choice not in p.choices:
            raise r.fail(f"{where}.default_choice", "unknown choice", expected="one of " + ", ".join(p.choices), found=repr(p.default_choice))
    else:
        for key in ("values", "choices", "default_choice", "lookup_by"):
            if key in raw:
                raise r.fail(f"{where}.{key}", f"{key} applies to fixed_default parameters only")
    return p


def _equation(r: _Reader, name: str, raw: Any) -> Equation:
    where = f"equations.{name}"
    if not NAME_PATTERN.match(name):
        raise r.fail(where, "bad equation name", expected="letters, digits and _", found=repr(name))
    r.mapping(raw, where, ("symbol", "description", "unit", "block"), ("formula", "alternatives", "default_alternative", "selected_with", "index", "rounding", "floor_at_zero", "fuel_type"))
    alternatives: dict[str, Alternative] = {}
    if ("formula" in raw) == ("alternatives" in raw):
        raise r.fail(where, "give either formula or alternatives", expected="formula: ... | alternatives: {name: {description: ..., formula: ...}, ...}")
    if "alternatives" in raw:
        if not isinstance(raw["alternatives"], dict) or len(raw["alternatives"]) < 2:
            raise r.fail(f"{where}.alternatives", "expected a mapping of two or more named alternatives", found=repr(raw["alternatives"]))
        for aname, araw in raw["alternatives"].items():
            aw = f"{where}.alternatives.{aname}"
            if not NAME_PATTERN.match(str(aname)):
                raise r.fail(aw, "bad alternative name", expected="letters, digits and _", found=repr(aname))
            r.mapping(araw, aw, ("description", "formula"))
            formula = Formula(r.string(araw["formula"], f"{aw}.formula"), where=f"{aw}.formula", file=r.file)
            alternatives[str(aname)] = Alternative(str(aname), r.text(araw["description"], f"{aw}.description"), formula)
        if "selected_with" in raw and "default_alternative" in raw:
            raise r.fail(f"{where}.default_alternative", "an equation selected_with another takes that one's default", expected="no default_alternative here")
        default = r.string(raw.get("default_alternative", next(iter(alternatives))), f"{where}.default_alternative")
        if default not in alternatives:
            raise r.fail(f"{where}.default_alternative", "unknown alternative", expected="one of " + ", ".join(alternatives), found=repr(default))
        formula = alternatives[default].formula
    else:
        for key in ("default_alternative", "selected_with"):
            if key in raw:
                raise r.fail(f"{where}.{key}", f"{key} applies to equations with alternatives only")
        default = None
        formula = Formula(r.string(raw["formula"], f"{where}.formula"), where=f"{where}.formula", file=r.file)
    return Equation(
        name=name,
        symbol=r.string(raw["symbol"], f"{where}.symbol"),
        description=r.text(raw["description"], f"{where}.description"),
        formula=formula,
        unit=r.unit(raw["unit"], f"{where}.unit"),
        block=r.choice_of(raw["block"], BLOCKS, f"{where}.block"),
        index=r.string(raw["index"], f"{where}.index") if raw.get("index") is not None else None,
        rounding=r.choice_of(raw.get("rounding", "none"), ROUNDING, f"{where}.rounding"),
        floor_at_zero=bool(raw.get("floor_at_zero", False)),
        fuel_type=r.string(raw.get("fuel_type", ""), f"{where}.fuel_type"),
        alternatives=alternatives,
        default_alternative=default,
        selected_with=r.string(raw["selected_with"], f"{where}.selected_with") if "selected_with" in raw else None,
    )


def _check_selected_with(r: _Reader, eq: Equation, equations: dict[str, Equation]) -> None:
    """``selected_with`` names an equation whose alternatives the period selects, with the same names."""
    where = f"equations.{eq.name}.selected_with"
    leader = equations.get(str(eq.selected_with))
    if leader is None or not leader.alternatives or leader.selected_with:
        known = ", ".join(n for n, e in equations.items() if e.alternatives and not e.selected_with and n != eq.name) or "none in this spec"
        raise r.fail(where, "must name another equation whose alternative the period selects", expected=f"one of: {known}", found=repr(eq.selected_with))
    if list(eq.alternatives) != list(leader.alternatives):
        raise r.fail(f"equations.{eq.name}.alternatives", f"an equation selected with {leader.name} has the same alternatives, in the same order", expected=", ".join(leader.alternatives), found=", ".join(eq.alternatives))
    eq.default_alternative = leader.default_alternative
    eq.formula = eq.alternatives[str(leader.default_alternative)].formula


def _formulas(eq: Equation) -> list[Formula]:
    """Every formula of an equation: its one formula, or each alternative's."""
    return [a.formula for a in eq.alternatives.values()] if eq.alternatives else [eq.formula]


def _check_categories(r: _Reader, parameters: dict[str, Parameter]) -> None:
    """split_by names a category parameter of the same index; per-member defaults cover its categories."""
    owners: dict[str, Parameter] = {}
    for p in parameters.values():
        if p.categories:
            if p.index in owners:
                raise r.fail(f"parameters.{p.name}.index", f"index {p.index} already has categories (from {owners[p.index].name})", expected="one category parameter per index")
            owners[p.index] = p
    for p in parameters.values():
        if p.split_by:
            target = parameters.get(p.split_by)
            if target is None or not target.categories:
                known = ", ".join(o.name for o in owners.values()) or "none in this spec"
                raise r.fail(f"parameters.{p.name}.split_by", "must name a monitored parameter with categories", expected=f"one of: {known}", found=repr(p.split_by))
            if p.index != target.index:
                raise r.fail(f"parameters.{p.name}.index", f"a parameter split by {target.name} is indexed by its categories", expected=repr(target.index), found=repr(p.index))
        for choice in p.choices.values():
            if not choice.members:
                continue
            where = f"parameters.{p.name}.values" if len(p.choices) == 1 and "default" in p.choices else f"parameters.{p.name}.choices.{choice.name}.values"
            owner = owners.get(p.index) if p.index else None
            if owner is None:
                raise r.fail(where, "values per member need an index whose members are categories", expected="index: the index of a parameter with categories")
            if set(choice.members) != set(owner.categories):
                raise r.fail(where, f"values per member must cover exactly the categories of {owner.name}", expected=", ".join(owner.categories), found=", ".join(choice.members))


TOP_REQUIRED = ("id", "title", "family", "sectoral_scope", "country", "versions", "parameters", "equations", "result")
TOP_OPTIONAL = ("summary", "eligibility", "references", "permissible_error_percent", "indices", "structure")


def parse_spec(raw: Any, file: str = "<spec>", problems: list[SpecError] | None = None) -> Spec:
    """Validate a spec mapping (as read from YAML) and return a Spec.

    Independent problems are all collected (an unknown key, a bad date, an undeclared
    symbol or a unit mismatch in each of several formulas, ...): one problem is raised as
    itself, several as ``SpecErrors``, which reads as the first and lists them all in
    ``problems``. ``problems`` may hold problems found earlier (while reading the YAML).
    """
    r = _Reader(file, problems)
    spec = r.guard(_parse, r, raw)
    if r.problems:
        raise r.problems[0] if len(r.problems) == 1 else SpecErrors(r.problems)
    return spec


def _spec_id(r: _Reader, value: Any) -> str:
    spec_id = r.string(value, "id")
    if not ID_PATTERN.match(spec_id):
        raise r.fail("id", "bad methodology id", expected="like TH_AM001", found=repr(spec_id))
    return spec_id


def _version(r: _Reader, n: int, v: Any) -> Version:
    w = f"versions[{n}]"
    r.mapping(v, w, ("version", "approved"), ("status", "source"))
    label = r.string(v["version"], f"{w}.version")
    if not re.match(r"^\d{2}\.\d$", label):
        raise r.fail(f"{w}.version", "bad version", expected='like "01.0" (quoted)', found=repr(v["version"]))
    status = r.choice_of(v.get("status", "confirmed"), STATUSES, f"{w}.status")
    source = r.string(v.get("source", ""), f"{w}.source")
    if status == "provisional" and not source.strip():
        raise r.fail(f"{w}.source", "a provisional version needs its source: where the date comes from and what is not confirmed")
    return Version(label, r.date(v["approved"], f"{w}.approved"), status, source)


def _structure(r: _Reader, raw: Any) -> tuple[str, str]:
    r.mapping(raw, "structure", ("status", "source"))
    status = r.choice_of(raw["status"], STRUCTURES, "structure.status")
    source = r.string(raw["source"], "structure.source")
    if status == "inferred" and not source.strip():
        raise r.fail("structure.source", "an inferred structure needs its source: the family it follows and what was not seen")
    return status, source


def _versions(r: _Reader, raw: Any) -> list[Version]:
    if not isinstance(raw, list) or not raw:
        raise r.fail("versions", "expected a list of versions")
    versions = [v for v in (r.guard(_version, r, n, item) for n, item in enumerate(raw)) if v is not None]
    dates = [v.approved for v in versions]
    if dt.date.min not in dates and dates != sorted(dates):
        r.problems.append(r.fail("versions", "versions must be listed oldest first"))
    return versions


def _check_lookup(r: _Reader, p: Parameter, parameters: dict[str, Parameter]) -> None:
    target = parameters.get(p.lookup_by)
    if target is None or target.kind != "fixed_project":
        raise r.fail(f"parameters.{p.name}.lookup_by", "must name a fixed_project parameter", found=repr(p.lookup_by))
    if target.index != p.index:
        raise r.fail(f"parameters.{p.name}.lookup_by", "the looked-up parameter must have the same index", found=repr(target.index))


def _parse(r: _Reader, raw: Any) -> Spec:
    r.mapping(raw, "", TOP_REQUIRED, TOP_OPTIONAL)
    spec_id = r.guard(_spec_id, r, raw["id"], default="")
    versions = r.guard(_versions, r, raw["versions"], default=[])
    for key in ("parameters", "equations"):
        if not isinstance(raw[key], dict) or not raw[key]:
            raise r.fail(key, f"expected a mapping of {key}")
    # Each parameter and equation is read on its own; a name that failed is left out of the
    # checks that refer to it, so one mistake is reported once, not once per formula using it.
    failed: set[str] = set()

    def each(section: str, read: Callable[[_Reader, str, Any], Any]) -> dict[str, Any]:
        """Every entry of ``raw[section]`` read by ``read``; the names that failed go to ``failed``."""
        entries: dict[str, Any] = {}
        for key, value in raw[section].items():
            entry = r.guard(read, r, str(key), value)
            if entry is None:
                failed.add(str(key))
            else:
                entries[str(key)] = entry
        return entries

    parameters: dict[str, Parameter] = each("parameters", _parameter)
    equations: dict[str, Equation] = each("equations", _equation)
    for name in sorted(set(parameters) & set(equations)):
        r.problems.append(r.fail(f"equations.{name}", "a name is both a parameter and an equation"))
    for p in parameters.values():
        if p.lookup_by and p.lookup_by not in failed:
            r.guard(_check_lookup, r, p, parameters)
    r.guard(_check_categories, r, parameters)
    for eq in equations.values():
        if eq.selected_with and eq.selected_with not in failed:
            r.guard(_check_selected_with, r, eq, equations)

    result = r.guard(r.string, raw["result"], "result", default="")
    if result and result not in equations and result not in failed:
        r.problems.append(r.fail("result", "the result must name an equation", found=repr(result)))
    number = r.guard(r.number, raw["sectoral_scope"], "sectoral_scope", default=0.0)
    spec = Spec(
        id=spec_id,
        title=r.guard(r.text, raw["title"], "title", default=Text("")),
        family=r.guard(r.string, raw["family"], "family", default=""),
        sectoral_scope=int(number),
        country=r.guard(r.string, raw["country"], "country", default=""),
        versions=tuple(versions),
        parameters=parameters,
        equations=equations,
        result=result,
        order=[],
        summary=r.guard(r.text, raw.get("summary", ""), "summary", default=Text("")),
        references=tuple(r.guard(r.string, x, f"references[{n}]", default="") for n, x in enumerate(raw.get("references") or [])),
        permissible_error_percent=r.guard(r.number, raw["permissible_error_percent"], "permissible_error_percent") if "permissible_error_percent" in raw else None,
    )
    if "structure" in raw:
        spec.structure, spec.structure_source = r.guard(_structure, r, raw["structure"], default=("official", ""))

    def criterion(n: int, item: Any) -> Criterion:
        r.mapping(item, f"eligibility[{n}]", ("id", "text"))
        return Criterion(r.string(item["id"], f"eligibility[{n}].id"), r.text(item["text"], f"eligibility[{n}].text"))

    spec.eligibility = tuple(c for c in (r.guard(criterion, n, item) for n, item in enumerate(raw.get("eligibility") or [])) if c is not None)
    for key, label in (raw.get("indices") or {}).items():
        text = r.guard(r.text, label, f"indices.{key}")
        if text is not None:
            spec.indices[str(key)] = text

    symbols = spec.symbols()
    reported = set(spec.reported_only())
    for eq in equations.values():
        for formula in _formulas(eq):
            if not formula.names & failed:
                r.guard(formula.check, symbols, eq.unit, eq.index)
            for name in sorted(formula.names & reported):
                r.problems.append(
                    r.fail(formula.where, f"{name} is reported only: no equation may use it", expected=f"a formula without {name}, or {name} without reported_only", found=formula.text)
                )
    dependencies = {n: {x for f in _formulas(e) for x in f.names} & set(equations) for n, e in equations.items()}
    spec.order = r.guard(lambda: dependency_order(dependencies, file=r.file), default=[])
    return spec


def load_spec(path_or_id: str | Path) -> Spec:
    """Load a spec by methodology id (``TH_AM001``) or by path to its YAML file."""
    path = Path(path_or_id)
    if not path.suffix and ID_PATTERN.match(str(path_or_id)):
        found = spec_file(str(path_or_id))
        if found is None:
            catalogued = not_runnable(str(path_or_id), METHODOLOGIES)  # approved, in the catalogue, but no spec: say why
            if catalogued is not None:
                raise catalogued
            raise SpecError("unknown methodology", where="methodology", expected="one listed by `jcmwb list`", found=repr(str(path_or_id)))
        path = found
    problems: list[SpecError] = []  # duplicate keys and impossible dates, reported with the rest
    raw = load_yaml(path, problems=problems)
    problems.sort(key=lambda p: int(str(p.where).split()[-1]) if str(p.where).startswith("line ") else 0)  # file order, not construction order
    spec = parse_spec(raw, file=str(path), problems=problems)
    spec.path = path
    spec.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return spec


def library_folders() -> list[Path]:
    """The ``methodologies/`` folders searched for a methodology id, first match wins."""
    return paths.methodology_folders(METHODOLOGIES)


def spec_file(spec_id: str) -> Path | None:
    """``<library>/methodologies/<ID>/methodology.yaml`` of the first library that has it.

    A link that leads out of its library is not that library's methodology.
    """
    for folder in library_folders():
        path = folder / spec_id / "methodology.yaml"
        if path.is_file() and folder.resolve() in path.resolve().parents:
            return path
    return None


def spec_files() -> list[Path]:
    """Every methodology spec of every library, one per id (the first library's), by id."""
    found: dict[str, Path] = {}
    for folder in library_folders():
        for path in sorted(folder.glob("*/methodology.yaml")):
            found.setdefault(path.parent.name, path)
    return [found[key] for key in sorted(found)]


def catalogue() -> list[Spec]:
    """Every methodology of the libraries, by id."""
    return [load_spec(p) for p in spec_files()]
