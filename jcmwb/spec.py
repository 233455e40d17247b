"""Strict loader of methodology specs (``methodologies/<ID>/methodology.yaml``).

The spec is data: parameters, dated default values with source and status, equations
in the formula language, blocks of the calculation-process sheet, rounding and the
eligibility checklist. Loading rejects unknown and duplicate keys, bad dates,
undeclared symbols, dependency cycles and unit mismatches, each with a SpecError
naming the file and the key. The format is documented in ``methodologies/README.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jcmwb.errors import JcmwbError, SpecError
from jcmwb.formulas import Formula, Symbol, dependency_order
from jcmwb.units import parse_unit

ROOT = Path(__file__).resolve().parent.parent
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
OPTIONS = ("A", "B", "C")
ROUNDING = ("down", "up", "nearest", "none")
ID_PATTERN = re.compile(r"^[A-Z]{2}_[AP]M\d{3}$")
NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise SpecError(
                "duplicate key",
                file=getattr(loader, "jcmwb_file", None),
                where=f"line {key_node.start_mark.line + 1}",
                expected="each key once",
                found=f"{key!r} again (first on line {seen[key]})",
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path, error: type[JcmwbError] = SpecError) -> Any:
    """Read a YAML file strictly (duplicate keys refused); errors name the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error("file not found", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise error("not a UTF-8 text file", file=str(path)) from exc
    loader = _StrictLoader(text)
    loader.jcmwb_file = str(path)
    try:
        return loader.get_single_data()
    except SpecError as exc:
        raise error(exc.message, file=str(path), where=exc.where, expected=exc.expected, found=exc.found) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise error(f"not valid YAML ({getattr(exc, 'problem', exc)})", file=str(path), where=where) from exc
    finally:
        loader.dispose()


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
    name: str
    description: Text
    values: tuple[DatedValue, ...]


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

    def values_for(self, choice: str) -> tuple[DatedValue, ...]:
        return self.choices[choice].values


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


@dataclass(frozen=True)
class Version:
    version: str
    approved: dt.date


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

    def symbols(self) -> dict[str, Symbol]:
        table = {n: Symbol(n, p.unit, p.index, p.symbol) for n, p in self.parameters.items()}
        table.update({n: Symbol(n, e.unit, e.index, e.symbol) for n, e in self.equations.items()})
        return table

    def version_at(self, day: dt.date) -> Version:
        valid = [v for v in self.versions if v.approved <= day]
        return valid[-1] if valid else self.versions[0]

    def version(self, label: str) -> Version | None:
        return next((v for v in self.versions if v.version == label), None)

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
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str, **kw: Any) -> SpecError:
        return SpecError(message, file=self.file, where=where, **kw)

    def mapping(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping", found=type(value).__name__)
        unknown = sorted(set(value) - set(required) - set(optional), key=str)
        if unknown:
            raise self.fail(
                f"{where}.{unknown[0]}" if where else str(unknown[0]),
                "unknown key",
                expected="one of " + ", ".join(required + optional),
                found=repr(unknown[0]),
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
        return float(value)

    def date(self, value: Any, where: str) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
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


def _parameter(r: _Reader, name: str, raw: Any) -> Parameter:
    where = f"parameters.{name}"
    if not NAME_PATTERN.match(name):
        raise r.fail(where, "bad parameter name", expected="letters, digits and _", found=repr(name))
    r.mapping(
        raw,
        where,
        ("symbol", "description", "unit", "kind"),
        ("index", "options", "values", "choices", "default_choice", "lookup_by", "project_value", "fuel_type", "frequency", "measurement"),
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
    if kind == "fixed_default":
        if ("values" in raw) == ("choices" in raw):
            raise r.fail(where, "a fixed_default parameter needs either values or choices")
        if "values" in raw:
            p.choices = {"default": Choice("default", p.description, _dated_values(r, raw["values"], f"{where}.values", bool(p.lookup_by)))}
        else:
            if not isinstance(raw["choices"], dict) or not raw["choices"]:
                raise r.fail(f"{where}.choices", "expected a mapping of named choices")
            for cname, craw in raw["choices"].items():
                cw = f"{where}.choices.{cname}"
                r.mapping(craw, cw, ("description", "values"))
                p.choices[str(cname)] = Choice(str(cname), r.text(craw["description"], f"{cw}.description"), _dated_values(r, craw["values"], f"{cw}.values", bool(p.lookup_by)))
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
    r.mapping(raw, where, ("symbol", "description", "formula", "unit", "block"), ("index", "rounding", "floor_at_zero", "fuel_type"))
    return Equation(
        name=name,
        symbol=r.string(raw["symbol"], f"{where}.symbol"),
        description=r.text(raw["description"], f"{where}.description"),
        formula=Formula(r.string(raw["formula"], f"{where}.formula"), where=f"{where}.formula", file=r.file),
        unit=r.unit(raw["unit"], f"{where}.unit"),
        block=r.choice_of(raw["block"], BLOCKS, f"{where}.block"),
        index=r.string(raw["index"], f"{where}.index") if raw.get("index") is not None else None,
        rounding=r.choice_of(raw.get("rounding", "none"), ROUNDING, f"{where}.rounding"),
        floor_at_zero=bool(raw.get("floor_at_zero", False)),
        fuel_type=r.string(raw.get("fuel_type", ""), f"{where}.fuel_type"),
    )


TOP_REQUIRED = ("id", "title", "family", "sectoral_scope", "country", "versions", "parameters", "equations", "result")
TOP_OPTIONAL = ("summary", "eligibility", "references", "permissible_error_percent", "indices")


def parse_spec(raw: Any, file: str = "<spec>") -> Spec:
    """Validate a spec mapping (as read from YAML) and return a Spec."""
    r = _Reader(file)
    r.mapping(raw, "", TOP_REQUIRED, TOP_OPTIONAL)
    spec_id = r.string(raw["id"], "id")
    if not ID_PATTERN.match(spec_id):
        raise r.fail("id", "bad methodology id", expected="like TH_AM001", found=repr(spec_id))
    versions = []
    if not isinstance(raw["versions"], list) or not raw["versions"]:
        raise r.fail("versions", "expected a list of versions")
    for n, v in enumerate(raw["versions"]):
        r.mapping(v, f"versions[{n}]", ("version", "approved"))
        label = r.string(v["version"], f"versions[{n}].version")
        if not re.match(r"^\d{2}\.\d$", label):
            raise r.fail(f"versions[{n}].version", "bad version", expected='like "01.0" (quoted)', found=repr(v["version"]))
        versions.append(Version(label, r.date(v["approved"], f"versions[{n}].approved")))
    if [v.approved for v in versions] != sorted(v.approved for v in versions):
        raise r.fail("versions", "versions must be listed oldest first")

    if not isinstance(raw["parameters"], dict) or not raw["parameters"]:
        raise r.fail("parameters", "expected a mapping of parameters")
    if not isinstance(raw["equations"], dict) or not raw["equations"]:
        raise r.fail("equations", "expected a mapping of equations")
    parameters = {str(k): _parameter(r, str(k), v) for k, v in raw["parameters"].items()}
    equations = {str(k): _equation(r, str(k), v) for k, v in raw["equations"].items()}
    clash = set(parameters) & set(equations)
    if clash:
        raise r.fail(f"equations.{sorted(clash)[0]}", "a name is both a parameter and an equation")

    for p in parameters.values():
        if p.lookup_by:
            target = parameters.get(p.lookup_by)
            if target is None or target.kind != "fixed_project":
                raise r.fail(f"parameters.{p.name}.lookup_by", "must name a fixed_project parameter", found=repr(p.lookup_by))
            if target.index != p.index:
                raise r.fail(f"parameters.{p.name}.lookup_by", "the looked-up parameter must have the same index", found=repr(target.index))

    result = r.string(raw["result"], "result")
    if result not in equations:
        raise r.fail("result", "the result must name an equation", found=repr(result))
    spec = Spec(
        id=spec_id,
        title=r.text(raw["title"], "title"),
        family=r.string(raw["family"], "family"),
        sectoral_scope=int(r.number(raw["sectoral_scope"], "sectoral_scope")),
        country=r.string(raw["country"], "country"),
        versions=tuple(versions),
        parameters=parameters,
        equations=equations,
        result=result,
        order=[],
        summary=r.text(raw.get("summary", ""), "summary"),
        references=tuple(r.string(x, f"references[{n}]") for n, x in enumerate(raw.get("references") or [])),
        permissible_error_percent=r.number(raw["permissible_error_percent"], "permissible_error_percent") if "permissible_error_percent" in raw else None,
    )
    for n, item in enumerate(raw.get("eligibility") or []):
        r.mapping(item, f"eligibility[{n}]", ("id", "text"))
        spec.eligibility += (Criterion(r.string(item["id"], f"eligibility[{n}].id"), r.text(item["text"], f"eligibility[{n}].text")),)
    for key, label in (raw.get("indices") or {}).items():
        spec.indices[str(key)] = r.text(label, f"indices.{key}")

    symbols = spec.symbols()
    for eq in equations.values():
        eq.formula.check(symbols, eq.unit, eq.index)
    spec.order = dependency_order({n: e.formula.names & set(equations) for n, e in equations.items()}, file=file)
    return spec


def load_spec(path_or_id: str | Path) -> Spec:
    """Load a spec by methodology id (``TH_AM001``) or by path to its YAML file."""
    path = Path(path_or_id)
    if not path.suffix and ID_PATTERN.match(str(path_or_id)):
        path = METHODOLOGIES / str(path_or_id) / "methodology.yaml"
        if not path.exists():
            raise SpecError("unknown methodology", where="methodology", expected="one listed by `jcmwb list`", found=repr(str(path_or_id)))
    raw = load_yaml(path)
    spec = parse_spec(raw, file=str(path))
    spec.path = path
    spec.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return spec


def catalogue() -> list[Spec]:
    """Every methodology under ``methodologies/``, by id."""
    return [load_spec(p) for p in sorted(METHODOLOGIES.glob("*/methodology.yaml"))]
