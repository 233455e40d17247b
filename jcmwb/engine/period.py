"""The monitoring-period file: one project, one period (format: methodologies/README.md).

Read strictly and validated against the methodology spec: every key is known, every
parameter it names exists with the right kind, options are ones the spec allows, and every
monitored parameter is given except a reported-only one, which may be left out.
Data files are resolved relative to the period file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jcmwb.engine.errors import InputError
from jcmwb.engine.issuance import Allocation, parse_allocation
from jcmwb.engine.project import load_merged
from jcmwb.engine.spec import ID_PATTERN, Spec, load_spec
from jcmwb.engine.strict_yaml import load_yaml, yaml_date, yaml_yes_no
from jcmwb.engine.units import factor, parse_unit, plausible_max, strip_period

FORMATS = ("interval", "register", "monthly", "daily")
PROJECT_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass
class Calibration:
    point: str
    date: dt.date
    error_percent: float


@dataclass
class MonitoredInput:
    name: str
    option: str
    unit: str | None
    data: Path | None = None
    format: str = "interval"
    points: dict[str, str] = field(default_factory=dict)
    multipliers: dict[str, float] = field(default_factory=dict)
    interval: str | None = None
    calibration: list[Calibration] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)
    source: str = ""
    comments: str = ""


@dataclass
class FixedInput:
    name: str
    option: str | None = None
    value: float | None = None
    values: dict[str, float] = field(default_factory=dict)
    unit: str | None = None
    source: str = ""


@dataclass
class MonitoringPeriod:
    path: Path | None
    spec: Spec
    version: str
    project_id: str
    project_title: str
    partner_country: str
    start: dt.date
    end: dt.date
    fixed: dict[str, FixedInput]
    monitored: dict[str, MonitoredInput]
    eligibility: dict[str, bool]
    allocation: Allocation | None = None
    participants: str = ""
    alternatives: dict[str, str] = field(default_factory=dict)  # equation -> alternative in use
    version_named: bool = False  # the file names the version (else: the one in force at the start)
    plausible_max: dict[str, float] = field(default_factory=dict)  # unit -> bound, over units.PLAUSIBLE_MAX
    project_file: Path | None = None  # the project.yaml this period inherits from (jcmwb.engine.project)

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def file(self) -> str:
        """The period file, as error lines name it (a period given as a mapping has none)."""
        return period_file(self.path)


def period_file(path: Path | None) -> str:
    """How error lines name a period file: its path, or ``<monitoring period>`` for a mapping."""
    return str(path) if path else "<monitoring period>"


class _Check:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str, **kw: Any) -> InputError:
        return InputError(message, file=self.file, where=where, **kw)

    def mapping(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected a mapping", found=repr(value))
        unknown = [k for k in value if k not in required and k not in optional]
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}" if where else str(unknown[0]), "unknown key", expected="one of " + ", ".join(required + optional), found=repr(unknown[0]))
        for key in required:
            if key not in value:
                raise self.fail(where or "top level", f"missing key {key!r}")
        return dict(value)

    def text(self, value: Any, where: str) -> str:
        if value is None or isinstance(value, (bool, list, dict)):
            raise self.fail(where, "expected text", found=repr(value))
        return str(value)

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool):
            raise self.fail(where, "expected a number", found=repr(value))
        try:
            number = float(value)
        except OverflowError:  # an integer beyond the float range: not finite either
            number = math.inf
        except (TypeError, ValueError) as exc:
            raise self.fail(where, "expected a number", found=repr(value)) from exc
        # The one gate for numbers typed in the period file (values, fixed values, multipliers,
        # calibration): NaN and infinity (.nan, .inf, 1e400, "Infinity") are no measurement and
        # would only fail later, deep inside the calculation.
        if not math.isfinite(number):
            shown = f"an integer of {len(str(value)):,} digits" if isinstance(value, int) else repr(value)
            raise self.fail(where, "not a finite number", expected="a finite number", found=shown)
        return number

    def date(self, value: Any, where: str) -> dt.date:
        try:
            return yaml_date(value)
        except ValueError as exc:
            raise self.fail(where, "bad date", expected="YYYY-MM-DD", found=repr(value)) from exc

    def number_map(self, value: Any, where: str) -> dict[str, float]:
        if not isinstance(value, Mapping) or not value:
            raise self.fail(where, "expected a mapping of point -> number", found=repr(value))
        return {self.point_id(k, where): self.number(v, f"{where}.{k}") for k, v in value.items()}

    def point_id(self, value: Any, where: str) -> str:
        """A point id as written. YAML reads an unquoted ``yes:`` as true and ``01:`` as the
        number 1: str() would make them 'True' and '1', which match no point of the data."""
        if isinstance(value, str):
            return value
        kind = "true/false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else "a date" if isinstance(value, dt.date) else "no text"
        raise self.fail(
            where,
            f"a point id was read as {kind}, not as text: quote it",
            expected='the id in quotes, e.g. "yes": or "01": (YAML reads unquoted yes, no, on, off as true/false, and 01 as the number 1)',
            found=repr(value),
        )


def _answer(check: _Check, value: Any, where: str) -> bool:
    answer = yaml_yes_no(value, ("yes", "y", "true"), ("no", "n", "false"))
    if answer is None:
        raise check.fail(where, "expected yes or no", found=repr(value))
    return answer


def parse_period(raw: Any, *, path: Path | None = None, spec: Spec | None = None, base_dir: Path | None = None) -> MonitoringPeriod:
    """Validate a monitoring-period mapping against its methodology spec."""
    file = period_file(path)
    c = _Check(file)
    c.mapping(raw, "", ("methodology", "project", "period", "monitored"), ("version", "alternatives", "fixed", "eligibility", "allocation", "participants", "plausible_max"))
    methodology = c.text(raw["methodology"], "methodology")
    if spec is None and not ID_PATTERN.match(methodology):
        # An id, never a path: the spec is always read from the library.
        raise c.fail("methodology", "not a methodology id", expected="an id such as TH_AM001, one listed by `jcmwb list`", found=repr(methodology))
    if spec is None:
        try:
            spec = load_spec(methodology)
        except InputError:
            raise
        except Exception as exc:
            if getattr(exc, "where", None) == "methodology":
                raise c.fail("methodology", "unknown methodology", expected="one listed by `jcmwb list`", found=repr(methodology)) from exc
            raise
    elif spec.id != methodology:
        raise c.fail("methodology", "the file is for another methodology", expected=spec.id, found=repr(methodology))

    project = c.mapping(raw["project"], "project", ("id",), ("title", "partner_country"))
    period = c.mapping(raw["period"], "period", ("start", "end"))
    start = c.date(period["start"], "period.start")
    end = c.date(period["end"], "period.end")
    if end < start:
        raise c.fail("period.end", "the period ends before it starts", expected=f"a date on or after {start}", found=str(end))
    plausible = _plausible_max(c, raw.get("plausible_max"))

    version = spec.version_at(start).version
    if "version" in raw:
        version = c.text(raw["version"], "version")
        named = spec.version(version)
        if named is None:
            raise c.fail("version", "unknown version of the methodology", expected="one of " + ", ".join(v.version for v in spec.versions), found=repr(version))
        if named.approved > start:
            valid = [v.version for v in spec.versions if v.approved <= start]
            raise c.fail(
                "version",
                f"version {version} of {spec.id} was approved on {named.approved}, after the period starts",
                expected="a version approved on or before " + str(start) + (": " + ", ".join(valid) if valid else ""),
                found=repr(version),
            )

    # Equations with alternatives (e.g. metered energy, or rated power x hours x days): the
    # period selects one; what only the other alternatives use is then neither required nor allowed.
    full = spec
    alternatives: dict[str, str] = {}
    raw_alt = raw.get("alternatives") or {}
    if not isinstance(raw_alt, Mapping):
        raise c.fail("alternatives", "expected a mapping of equation -> alternative")
    for name, choice in raw_alt.items():
        eq = full.equations.get(str(name))
        if eq is None or not eq.alternatives:
            raise c.fail(f"alternatives.{name}", "not an equation with alternatives of " + full.id, expected="one of " + (", ".join(full.alternatives()) or "none in this methodology"), found=repr(name))
        if eq.selected_with:  # its alternative is the one selected for that equation
            raise c.fail(f"alternatives.{name}", f"{name} takes the alternative selected for {eq.selected_with}", expected=f"alternatives.{eq.selected_with} only", found=repr(name))
        alternatives[str(name)] = c.text(choice, f"alternatives.{name}")
        if alternatives[str(name)] not in eq.alternatives:
            raise c.fail(f"alternatives.{name}", "unknown alternative", expected="one of " + ", ".join(eq.alternatives), found=repr(choice))
    for name, eq in full.alternatives().items():
        alternatives.setdefault(name, eq.default_alternative)
    spec = full.resolve(alternatives)

    def unused(name: Any, where: str) -> None:
        """Refuse a parameter that only an alternative not selected uses."""
        if str(name) in full.parameters and str(name) not in spec.parameters:
            users = [f"{e}: {a}" for e, eq in full.alternatives().items() for a, alt in eq.alternatives.items() if str(name) in alt.formula.names]
            raise c.fail(
                where,
                f"{name} is not used with the alternatives selected (" + ", ".join(f"{e}: {a}" for e, a in alternatives.items()) + ")",
                expected=f"no {name}, or alternatives {'; '.join(users) or 'that use it'}",
                found=repr(name),
            )

    fixed: dict[str, FixedInput] = {}
    raw_fixed = raw.get("fixed") or {}
    if not isinstance(raw_fixed, Mapping):
        raise c.fail("fixed", "expected a mapping of parameter -> choice or value")
    for name, item in raw_fixed.items():
        where = f"fixed.{name}"
        unused(name, where)
        param = spec.parameters.get(str(name))
        if param is None or param.kind == "monitored":
            known = [p for p, v in spec.parameters.items() if v.kind != "monitored"]
            raise c.fail(where, "not a fixed ex ante parameter of " + spec.id, expected="one of " + ", ".join(known), found=repr(name))
        item = c.mapping(item, where, (), ("option", "value", "values", "unit", "source"))
        entry = FixedInput(str(name), unit=str(item["unit"]) if "unit" in item else None, source=str(item.get("source", "")))
        if "option" in item:
            if param.kind != "fixed_default":
                raise c.fail(f"{where}.option", "only default values have options")
            entry.option = c.text(item["option"], f"{where}.option")
            if entry.option not in param.choices:
                raise c.fail(f"{where}.option", "option not allowed", expected="one of " + ", ".join(param.choices), found=repr(entry.option))
        if "value" in item or "values" in item:
            if param.kind == "fixed_default" and not param.project_value:
                raise c.fail(where, f"{name} is a default of the methodology; choose an option instead of giving a value", expected="option: " + " | ".join(param.choices))
            if param.index and "values" not in item:
                raise c.fail(where, f"{name} is given per {param.index}", expected="values: {point: number}")
            if not param.index and "value" not in item:
                raise c.fail(where, f"{name} is a single value", expected="value: number")
            if "value" in item:
                entry.value = c.number(item["value"], f"{where}.value")
            else:
                entry.values = c.number_map(item["values"], f"{where}.values")
            _check_fixed_values(c, entry, param.unit, where, plausible)
            if not entry.source.strip():
                raise c.fail(f"{where}.source", "a project-specific value needs its source (e.g. the specification sheet)")
        fixed[str(name)] = entry
    for name, param in spec.parameters.items():
        if param.kind == "fixed_project" and name not in fixed:
            raise c.fail("fixed", f"missing project-specific parameter {name} ({param.description})", expected=f"fixed.{name}: {{value: ..., unit: {param.unit}, source: ...}}")

    monitored: dict[str, MonitoredInput] = {}
    if not isinstance(raw["monitored"], Mapping):
        raise c.fail("monitored", "expected a mapping of parameter -> data")
    for name, item in raw["monitored"].items():
        where = f"monitored.{name}"
        unused(name, where)
        param = spec.parameters.get(str(name))
        if param is None or param.kind != "monitored":
            known = [p for p, v in spec.parameters.items() if v.kind == "monitored"]
            raise c.fail(where, "not a monitored parameter of " + spec.id, expected="one of " + ", ".join(known), found=repr(name))
        item = c.mapping(item, where, ("option",), ("data", "format", "unit", "points", "multipliers", "interval", "calibration", "values", "source", "comments"))
        option = c.text(item["option"], f"{where}.option")
        if option not in param.options:
            raise c.fail(f"{where}.option", "monitoring option not allowed for this parameter", expected="one of " + ", ".join(param.options), found=repr(option))
        entry = MonitoredInput(str(name), option, str(item["unit"]) if "unit" in item else None, source=str(item.get("source", "")), comments=str(item.get("comments", "")))
        if ("data" in item) == ("values" in item):
            raise c.fail(where, "give either data (a CSV/XLSX file) or values (period totals per point)")
        if "data" in item:
            entry.data = (path.parent if path else (base_dir or Path.cwd())) / c.text(item["data"], f"{where}.data")
            entry.format = c.text(item.get("format", "daily" if param.categories else "interval"), f"{where}.format")
            if entry.format not in FORMATS:
                raise c.fail(f"{where}.format", "unknown data format", expected="one of " + ", ".join(FORMATS), found=repr(entry.format))
            if (entry.format == "daily") != bool(param.categories):
                expected = "format: daily (columns date, category)" if param.categories else "one of interval, register, monthly (daily is for the category of each day)"
                raise c.fail(f"{where}.format", f"{name} {'is' if param.categories else 'is not'} a category parameter", expected=expected, found=repr(entry.format))
            if param.split_by and entry.format != "interval":
                raise c.fail(f"{where}.format", f"{name} is split by the category of each day, which needs interval data", expected="format: interval", found=repr(entry.format))
        else:
            entry.values = c.number_map(item["values"], f"{where}.values")
            if entry.unit is None:
                raise c.fail(f"{where}.unit", "typed values need a unit", expected=param.unit)
        if "points" in item:
            if not isinstance(item["points"], Mapping) or not item["points"]:
                raise c.fail(f"{where}.points", "expected a mapping of point id -> description")
            entry.points = {c.point_id(k, f"{where}.points"): str(v) for k, v in item["points"].items()}
        if "multipliers" in item:
            if entry.format != "register":
                raise c.fail(f"{where}.multipliers", "multipliers apply to register readings (format: register)")
            entry.multipliers = c.number_map(item["multipliers"], f"{where}.multipliers")
            for point, multiplier in entry.multipliers.items():
                if not multiplier > 0:  # a negative one would turn the register's increase into a decrease
                    raise c.fail(f"{where}.multipliers.{point}", "a meter multiplier must be greater than zero", expected="a number > 0 (the CT/PT ratio or register factor)", found=f"{multiplier:g}")
        if entry.format == "register" and entry.points:
            # Without declared points the data name them: the register reader checks then.
            require_multipliers(entry, list(entry.points), file)
        if "interval" in item:
            entry.interval = c.text(item["interval"], f"{where}.interval")
            _check_interval(c, entry.interval, f"{where}.interval")
        for n, cal in enumerate(item.get("calibration") or []):
            cw = f"{where}.calibration[{n}]"
            cal = c.mapping(cal, cw, ("point", "date", "error_percent"))
            error = c.number(cal["error_percent"], f"{cw}.error_percent")
            # Signed either way (a meter may read 0.4 % low: -0.4); the correction uses its size,
            # in the conservative direction. At 100 % or more it would remove the whole reading or more.
            if not -100 < error < 100:
                raise c.fail(f"{cw}.error_percent", "calibration error out of range", expected="a percentage above -100 and below 100 (e.g. 0.4 or -0.4)", found=f"{error:g}")
            entry.calibration.append(Calibration(c.point_id(cal["point"], f"{cw}.point"), c.date(cal["date"], f"{cw}.date"), error))
        monitored[str(name)] = entry
    for name, param in spec.parameters.items():
        # A reported-only parameter enters no equation: the period may leave it out (the outputs
        # then say it was not given); when given, it was read as strictly as the others above.
        if param.kind == "monitored" and name not in monitored and not param.reported_only:
            raise c.fail("monitored", f"missing monitored parameter {name} ({param.description})", expected=f"monitored.{name}: {{option: ..., data: ...}}")

    eligibility: dict[str, bool] = {}
    raw_elig = raw.get("eligibility") or {}
    if not isinstance(raw_elig, Mapping):
        raise c.fail("eligibility", "expected a mapping of criterion id -> yes/no")
    known_ids = {cr.id for cr in spec.eligibility}
    for key, value in raw_elig.items():
        if str(key) not in known_ids:
            raise c.fail(f"eligibility.{key}", "unknown eligibility criterion", expected="one of " + ", ".join(sorted(known_ids)), found=repr(key))
        eligibility[str(key)] = _answer(c, value, f"eligibility.{key}")

    return MonitoringPeriod(
        path=path,
        spec=spec,
        version=version,
        project_id=_project_id(c, project["id"]),
        project_title=str(project.get("title", "")),
        partner_country=str(project.get("partner_country", spec.country)),
        start=start,
        end=end,
        fixed=fixed,
        monitored=monitored,
        eligibility=eligibility,
        allocation=parse_allocation(raw["allocation"], file=file) if raw.get("allocation") is not None else None,
        participants=str(raw.get("participants", "")),
        alternatives=alternatives,
        version_named="version" in raw,
        plausible_max=plausible,
    )


def require_multipliers(item: MonitoredInput, points: list[str], file: str | None) -> None:
    """Every point of register data needs its meter multiplier, 1 included.

    The quantity is the register difference times the multiplier (CT/PT ratio, register
    factor), and a multiplier left out is not 1: a chiller whose register counts 10 kWh per
    unit, left at 1, gave ER_p 49 instead of 146 without a word. So none is assumed.

    Raises
    ------
    InputError
        naming ``monitored.<name>.multipliers`` and every point without a multiplier.
    """
    missing = [p for p in points if p not in item.multipliers]
    if missing:
        raise InputError(
            "every point of register data needs its meter multiplier (none is assumed)",
            file=file,
            where=f"monitored.{item.name}.multipliers",
            expected="multipliers: {" + ", ".join(f"{p}: N" for p in missing) + "}, N the CT/PT ratio or register factor (1 if the register shows the quantity itself)",
            found=("no multiplier for " if item.multipliers else "no multipliers; none for ") + ", ".join(missing),
        )


def _check_interval(c: _Check, text: str, where: str) -> None:
    """A logging interval is a positive duration: a negative one (-15min, -1D) made every
    interval "present" and removed the gaps, and with them the conservative fills. Text that
    is no duration at all is left to the data reader, which names it ("bad interval")."""
    try:
        step = pd.Timedelta(text)
    except (ValueError, OverflowError):
        return
    if not step > pd.Timedelta(0) and not pd.isna(step):
        raise c.fail(where, "the interval must be a positive duration", expected="a duration greater than zero, such as 15min, 1h or 1D", found=repr(text))


def _plausible_max(c: _Check, raw: Any) -> dict[str, float]:
    """``plausible_max: {UNIT: N}``: bounds that replace those of units.PLAUSIBLE_MAX for a unit's dimension."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not raw:
        raise c.fail("plausible_max", "expected a mapping of unit -> largest plausible value", expected="e.g. {MWh: 2.0e9}", found=repr(raw))
    out: dict[str, float] = {}
    for unit, limit in raw.items():
        text = c.text(unit, "plausible_max")
        parse_unit(text, where=f"plausible_max.{text}", file=c.file)
        number = c.number(limit, f"plausible_max.{text}")
        if not number > 0:
            raise c.fail(f"plausible_max.{text}", "a plausibility bound must be greater than zero", expected="a number > 0", found=f"{number:g}")
        out[text] = number
    return out


def _check_fixed_values(c: _Check, entry: FixedInput, unit: str, where: str, plausible: Mapping[str, float]) -> None:
    """Project-specific values are ratings, capacities, efficiencies, COPs, lengths, calorific
    values from a specification sheet: each must be greater than zero, and plausible."""
    given = [(f"{where}.value", entry.value)] if entry.value is not None else [(f"{where}.values.{k}", v) for k, v in entry.values.items()]
    scale = factor(entry.unit or unit, unit, where=f"{where}.unit", file=c.file)
    limit, bound = plausible_max(unit, plausible)
    for place, number in given:
        if not number > 0:
            raise c.fail(place, f"a project-specific value of {entry.name} must be greater than zero", expected="a number > 0 (a rating, capacity, COP or efficiency from the specification sheet)", found=f"{number:g}")
        if number * scale > limit:
            shown = entry.unit or strip_period(unit)
            raise c.fail(place, f"implausibly large value of {entry.name}", expected=bound + "; if it is right, raise the bound with plausible_max in this file", found=f"{number:g}" + ("" if shown in ("-", "") else f" {shown}"))


def _project_id(c: _Check, value: Any) -> str:
    """A project id names an output folder, so it is a plain name: no folders, no dots alone."""
    text = c.text(value, "project.id")
    if not PROJECT_ID_PATTERN.fullmatch(text):
        raise c.fail("project.id", "not a valid project id", expected="letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters (e.g. TH014)", found=repr(text))
    return text


def load_period(path: str | Path) -> MonitoringPeriod:
    """Read and validate a monitoring-period YAML file.

    A period file beside a ``project.yaml`` inherits what that file says (docs/cycle.md, section 1):
    the merged mapping is validated, and a contradiction names both files.
    """
    path = Path(path).resolve()
    merged = load_merged(path)
    if merged is None:
        return parse_period(load_yaml(path, error=InputError), path=path)
    period = parse_period(merged[0], path=path)
    period.project_file = merged[2].path
    return period


# -- finding monitoring-period files -------------------------------------------------------------
def first_lines(path: Path) -> list[str] | None:
    """The first non-blank, non-comment lines of a YAML file; None when it cannot be read as
    UTF-8 text (a folder named x.yaml, a FIFO, a device, bad bytes, no permission).

    Only a regular file is opened, without blocking, and only its first 4 kB are read.
    """
    import codecs

    if not path.is_file():  # follows links; a FIFO is never opened here
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            # Incremental: a character cut at the 4 kB boundary is not a decoding error.
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(handle.read(4096), final=False)
    except (OSError, UnicodeDecodeError):
        return None
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def is_period_file(path: Path) -> bool:
    """A monitoring-period file starts with ``methodology:``; a spec (any name) with other keys.

    In a project folder (beside a ``project.yaml``) every other YAML file is a period file,
    which may leave ``methodology:`` to the project.
    """
    if path.name != "project.yaml" and (path.parent / "project.yaml").is_file():
        return True
    head = first_lines(path)
    if head is None:
        return True  # the period loader names the problem
    return not head or head[0].startswith("methodology:")


def period_files(folder: Path) -> list[Path]:
    """Monitoring-period files below ``folder``: YAML files whose first key is ``methodology``.

    A ``.yaml`` that cannot be read as text (not UTF-8, a folder or FIFO named x.yaml, no
    permission) is listed too: it may be a period file, and its run reports why it is not
    one, as that period's error, while the others run. Hidden folders below ``folder`` are skipped.
    """
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        head = first_lines(path)
        if head is None or (head and head[0].startswith("methodology:")):
            found.append(path)
    return found
