"""The project folder: ``project.yaml`` and the period files that inherit from it (docs/cycle.md, section 1).

``project.yaml`` holds what registration fixes::

    project: {id: TH014, title: "...", partner_country: TH}
    methodology: TH_AM001
    version: "01.0"                    # optional
    participants: "..."
    allocation: {JP: "50%", TH: "50%", rounding: {JP: up}}
    registration: {reference_number: TH014, date: "2020-03-02"}          # optional
    crediting_period: {start: "2021-01-01", end: "2030-12-31"}          # optional
    ex_ante: {...}                     # optional: estimates for the Monitoring Plan Sheet
    sd: {list: KG, answers: {"1": not identified, "2": {identified: yes, comment: "..."}}}
    authorization: {id: JCM-TH014, party: Thailand, acquiring_entity: "...", status: Authorized}

Every other ``*.yaml`` in the folder is a monitoring-period file. It may leave out anything
``project.yaml`` says (``methodology``, ``version``, ``project``, ``participants``,
``allocation``); when it repeats one with another value, that is an error naming both files.
A period file may add its own SD answers (``sd.answers``) and the per-issuance elements of
its authorization (``authorization.date``, ``status``, ``vintages``), under the same rule.

This module reads ``project.yaml`` strictly and merges a period file with it. It does not
parse periods (``jcmwb.engine.period`` does, and calls :func:`merge_period` when a period file
sits beside a ``project.yaml``); the cycle over all periods is ``jcmwb.engine.cycle``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import InputError
from jcmwb.engine.issuance import Allocation, parse_allocation
from jcmwb.engine.spec import ID_PATTERN, load_spec, load_yaml
from jcmwb.engine.strict_yaml import yaml_date, yaml_yes_no

PROJECT_FILE = "project.yaml"
# The same rule as jcmwb.engine.period.PROJECT_ID_PATTERN (period.py imports this module, so
# the pattern cannot be imported from there); the merged period is checked by period.py again.
_PROJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# The SD check lists, one YAML file per partner country (data, not code).
SD_LISTS = Path(__file__).resolve().parents[1] / "library" / "sd"

PROJECT_KEYS = ("project", "methodology", "version", "participants", "allocation", "registration", "crediting_period", "ex_ante", "sd", "authorization")
# What a period file may repeat from project.yaml (with the same value).
INHERITED = ("methodology", "version", "project", "participants", "allocation")
# What only project.yaml may say.
PROJECT_ONLY = ("registration", "crediting_period", "ex_ante")
# The period's own additions, read here and not by the period loader.
PERIOD_EXTRAS = ("sd", "authorization")
AUTHORIZATION_KEYS = ("id", "party", "version", "date", "status", "acquiring_entity", "acquiring_party", "vintages")
EX_ANTE_KEYS = ("monitored", "from_example", "fixed", "alternatives")

# Parties of the JCM by the code used in period files (partner_country), as the common
# nomenclature names them (the JCM country codes).
PARTIES = {
    "JP": "Japan", "MN": "Mongolia", "BD": "Bangladesh", "ET": "Ethiopia", "KE": "Kenya", "MV": "Maldives", "VN": "Viet Nam",
    "LA": "Lao PDR", "ID": "Indonesia", "CR": "Costa Rica", "PW": "Palau", "KH": "Cambodia", "MX": "Mexico", "SA": "Saudi Arabia",
    "CL": "Chile", "MM": "Myanmar", "TH": "Thailand", "PH": "Philippines", "SN": "Senegal", "TN": "Tunisia", "AZ": "Azerbaijan",
    "MD": "Moldova", "GE": "Georgia", "LK": "Sri Lanka", "UZ": "Uzbekistan", "PG": "Papua New Guinea", "AE": "United Arab Emirates",
    "KG": "Kyrgyz Republic", "KZ": "Kazakhstan", "UA": "Ukraine", "TZ": "Tanzania", "IN": "India", "OM": "Oman",
}  # fmt: skip


@dataclass(frozen=True)
class SdItem:
    """One numbered item of a country's "Check list for contribution to SD"."""

    number: str
    category: str
    text: str


@dataclass(frozen=True)
class SdList:
    """A partner country's SD check list, as data (``jcmwb/library/sd/<CC>.yaml`` or a project's file)."""

    name: str
    country: str
    source: str
    note: str
    items: tuple[SdItem, ...]
    path: Path

    def item(self, number: str) -> SdItem | None:
        return next((i for i in self.items if i.number == number), None)


@dataclass(frozen=True)
class SdAnswer:
    """An item answered: identified or not, the comment, and where the answer was given."""

    identified: bool
    comment: str
    reference: str  # "registration" (project.yaml) or "monitoring" (the period file)


@dataclass
class ProjectFile:
    """``project.yaml``, read strictly."""

    path: Path
    raw: dict[str, Any]
    project_id: str
    title: str
    partner_country: str
    methodology: str
    version: str | None
    participants: str
    allocation: Allocation | None
    reference_number: str | None = None
    registration_date: dt.date | None = None
    crediting_start: dt.date | None = None
    crediting_end: dt.date | None = None
    ex_ante: dict[str, Any] = field(default_factory=dict)
    sd_list: SdList | None = None
    sd_answers: dict[str, SdAnswer] = field(default_factory=dict)
    authorization: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def party_name(self) -> str:
        return PARTIES.get(self.partner_country, self.partner_country)


@dataclass
class PeriodExtras:
    """What a period file adds to project.yaml for the cycle: SD answers and authorization elements."""

    sd_answers: dict[str, SdAnswer] = field(default_factory=dict)
    authorization: dict[str, Any] = field(default_factory=dict)


# -- small strict readers -------------------------------------------------------------------------
def _fail(file: Path | str, where: str, message: str, **kw: Any) -> InputError:
    return InputError(message, file=str(file), where=where, **kw)


def _mapping(file: Path, value: Any, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(file, where or "top level", "expected a mapping", found=_shown(value))
    for key in value:
        if key not in allowed:
            raise _fail(file, f"{where}.{key}" if where else str(key), "unknown key", expected="one of " + ", ".join(allowed), found=repr(key))
    for key in required:
        if key not in value:
            raise _fail(file, where or "top level", f"missing key {key!r}", expected=f"{key}: ...")
    return dict(value)


def _text(file: Path, value: Any, where: str) -> str:
    if value is None or isinstance(value, (bool, list, Mapping)) or isinstance(value, float) and not math.isfinite(value):
        raise _fail(file, where, "expected text", found=_shown(value))
    return str(value)


def _date(file: Path, value: Any, where: str) -> dt.date:
    try:
        return yaml_date(value)
    except ValueError:
        raise _fail(file, where, "bad date", expected="YYYY-MM-DD", found=_shown(value)) from None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _yes_no(file: Path, value: Any, where: str) -> bool:
    answer = yaml_yes_no(value, ("yes", "true", "identified"), ("no", "false", "not identified"))
    if answer is not None:
        return answer
    raise _fail(file, where, "expected yes or no", expected="yes (identified) or no (not identified)", found=_shown(value))


# -- the SD check lists -----------------------------------------------------------------------------
def sd_list_names() -> list[str]:
    """The countries whose SD check list jcmwb ships."""
    return sorted(p.stem for p in SD_LISTS.glob("*.yaml"))


def load_sd_list(name: str, *, base: Path | None = None, file: Path | None = None, where: str = "sd.list") -> SdList:
    """A country's list by its code (``KG``), or a project's own list file relative to ``base``."""
    shipped = SD_LISTS / f"{name}.yaml"
    if re.fullmatch(r"[A-Z]{2}", name):
        if not shipped.is_file():
            raise _fail(
                file or "<project>",
                where,
                f"no SD check list for {name} is shipped: the Kyrgyz list of the seed form is the only one published in jcmwb's sources",
                expected="one of " + ", ".join(sd_list_names()) + ", or a YAML file with your country's items (relative to project.yaml)",
                found=repr(name),
            )
        path = shipped
    else:
        folder = (base or Path.cwd()).resolve()
        path = (folder / name).resolve()
        if folder not in path.parents:  # the list is an input of the project: it lives in its folder
            raise _fail(file or "<project>", where, "an SD check list file must be inside the project folder", expected=f"a file in {folder}", found=repr(name))
        if not path.is_file():
            raise _fail(file or "<project>", where, "SD check list file not found", expected="a country code (" + ", ".join(sd_list_names()) + ") or a YAML file beside project.yaml", found=repr(name))
    raw = load_yaml(path, error=InputError)
    data = _mapping(path, raw, "", ("country", "name", "source", "note", "items"), ("name", "source", "items"))
    items_raw = data["items"]
    if not isinstance(items_raw, Mapping) or not items_raw:
        raise _fail(path, "items", "expected a mapping of item number -> {category, text}", found=_shown(items_raw))
    items = []
    for number, item in items_raw.items():
        if isinstance(number, bool) or not isinstance(number, (int, str)) or not str(number).strip():
            raise _fail(path, f"items.{number}", "an item number is a number or text", found=_shown(number))
        entry = _mapping(path, item, f"items.{number}", ("category", "text"), ("text",))
        items.append(SdItem(str(number), _text(path, entry.get("category", ""), f"items.{number}.category"), _text(path, entry["text"], f"items.{number}.text")))
    return SdList(
        _text(path, data["name"], "name"),
        _text(path, data.get("country", ""), "country"),
        _text(path, data["source"], "source"),
        _text(path, data.get("note", ""), "note"),
        tuple(items),
        path,
    )


def _sd_answers(file: Path, raw: Any, where: str, sd_list: SdList | None, reference: str) -> dict[str, SdAnswer]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _fail(file, where, "expected a mapping of item number -> answer", expected='e.g. {"1": no, "2": {identified: yes, comment: "..."}}', found=_shown(raw))
    out: dict[str, SdAnswer] = {}
    for number, answer in raw.items():
        key = str(number)
        at = f"{where}.{key}"
        if sd_list is not None and sd_list.item(key) is None:
            raise _fail(file, at, f"unknown SD item of the list {sd_list.name}", expected="one of " + ", ".join(i.number for i in sd_list.items), found=repr(number))
        if isinstance(answer, Mapping):
            entry = _mapping(file, answer, at, ("identified", "comment"), ("identified",))
            identified = _yes_no(file, entry["identified"], f"{at}.identified")
            comment = _text(file, entry.get("comment", ""), f"{at}.comment").strip()
        else:
            identified, comment = _yes_no(file, answer, at), ""
        if identified and not comment:
            raise _fail(file, at, "an item answered Identified needs a comment (what was identified and what is done about it)", expected='{identified: yes, comment: "..."}', found="identified, without a comment")
        out[key] = SdAnswer(identified, comment, reference)
    return out


# -- project.yaml -------------------------------------------------------------------------------------
def load_project_file(path: str | Path) -> ProjectFile:
    """Read and validate ``project.yaml`` (a file, or the folder holding it)."""
    path = Path(path).resolve()
    if path.is_dir():
        path = path / PROJECT_FILE
    if not path.is_file():
        raise _fail(path, "", "no project.yaml", expected="a project folder holding project.yaml and its monitoring-period files (docs/cycle.md)", found="no such file")
    raw = load_yaml(path, error=InputError)
    data = _mapping(path, raw, "", PROJECT_KEYS, ("project", "methodology"))
    project = _mapping(path, data["project"], "project", ("id", "title", "partner_country"), ("id",))
    project_id = _text(path, project["id"], "project.id")
    if not _PROJECT_ID.fullmatch(project_id):
        raise _fail(path, "project.id", "not a valid project id", expected="letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters (e.g. TH014)", found=repr(project_id))
    methodology = _text(path, data["methodology"], "methodology")
    if not ID_PATTERN.match(methodology):
        raise _fail(path, "methodology", "not a methodology id", expected="an id such as TH_AM001, one listed by `jcmwb list`", found=repr(methodology))
    try:
        spec = load_spec(methodology)
    except InputError:
        raise
    except Exception as exc:  # the library's error names no file: this one does
        if getattr(exc, "where", None) == "methodology":
            raise _fail(path, "methodology", "unknown methodology", expected="one listed by `jcmwb list`", found=repr(methodology)) from exc
        raise
    version = None
    if data.get("version") is not None:
        version = _text(path, data["version"], "version")
        if spec.version(version) is None:
            raise _fail(path, "version", "unknown version of the methodology", expected="one of " + ", ".join(v.version for v in spec.versions), found=repr(version))
    country = _text(path, project.get("partner_country", spec.country), "project.partner_country")
    info = ProjectFile(
        path=path,
        raw=data,
        project_id=project_id,
        title=_text(path, project.get("title", ""), "project.title"),
        partner_country=country,
        methodology=methodology,
        version=version,
        participants=_text(path, data.get("participants", ""), "participants"),
        allocation=parse_allocation(data["allocation"], file=str(path)) if data.get("allocation") is not None else None,
    )
    if data.get("registration") is not None:
        reg = _mapping(path, data["registration"], "registration", ("reference_number", "date"))
        if "reference_number" in reg:
            info.reference_number = _text(path, reg["reference_number"], "registration.reference_number")
        if "date" in reg:
            info.registration_date = _date(path, reg["date"], "registration.date")
    if data.get("crediting_period") is not None:
        cp = _mapping(path, data["crediting_period"], "crediting_period", ("start", "end"), ("start", "end"))
        info.crediting_start = _date(path, cp["start"], "crediting_period.start")
        info.crediting_end = _date(path, cp["end"], "crediting_period.end")
        if info.crediting_end < info.crediting_start:
            raise _fail(path, "crediting_period.end", "the crediting period ends before it starts", expected=f"a date on or after {info.crediting_start}", found=str(info.crediting_end))
    if data.get("ex_ante") is not None:
        info.ex_ante = _mapping(path, data["ex_ante"], "ex_ante", EX_ANTE_KEYS)
    if data.get("sd") is not None:
        sd = _mapping(path, data["sd"], "sd", ("list", "answers"))
        name = _text(path, sd.get("list", country), "sd.list")
        info.sd_list = load_sd_list(name, base=path.parent, file=path)
        info.sd_answers = _sd_answers(path, sd.get("answers"), "sd.answers", info.sd_list, "registration")
    if data.get("authorization") is not None:
        info.authorization = _authorization(path, data["authorization"], info)
    return info


def _authorization(file: Path, raw: Any, info: ProjectFile, *, period: bool = False) -> dict[str, Any]:
    """The elements of the A6.2 authorization template that are inputs (the rest comes from the ledger)."""
    data = _mapping(file, raw, "authorization", AUTHORIZATION_KEYS)
    out: dict[str, Any] = {}
    for key, value in data.items():
        where = f"authorization.{key}"
        if key == "date":
            out[key] = _date(file, value, where)
        elif key == "vintages":
            if not period:
                raise _fail(file, where, "the vintages an authorization covers belong to an issuance, in its period file", expected="authorization.vintages in a period file")
            if not isinstance(value, list) or not value:
                raise _fail(file, where, "expected a list of calendar years", expected="e.g. [2021]", found=_shown(value))
            years = []
            for n, year in enumerate(value):
                if isinstance(year, bool) or not isinstance(year, int):
                    raise _fail(file, f"{where}[{n}]", "a vintage is a calendar year", expected="a year such as 2021", found=_shown(year))
                years.append(year)
            out[key] = years
        else:
            out[key] = _text(file, value, where)
    if "id" in out and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", out["id"]):
        raise _fail(file, "authorization.id", "not a valid authorization id", expected="letters, digits, '-', '_' or '.', e.g. JCM-TH014", found=repr(out["id"]))
    party = out.get("acquiring_party", "JP")
    if info.allocation is not None and party not in info.allocation.shares:
        raise _fail(file, "authorization.acquiring_party", "the acquiring party has no share in the allocation", expected="one of " + ", ".join(info.allocation.shares), found=repr(party))
    return out


# -- a period file beside project.yaml -----------------------------------------------------------------
def project_beside(period_file: Path) -> Path | None:
    """The ``project.yaml`` of the folder holding ``period_file``, if there is one."""
    candidate = Path(period_file).resolve().parent / PROJECT_FILE
    return candidate if candidate.is_file() else None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return set(map(str, a)) == set(map(str, b)) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return float(a) == float(b)
    return str(a).strip() == str(b).strip()


def _conflict(period_file: Path, project_file: Path, where: str, ours: Any, theirs: Any) -> InputError:
    return InputError(
        f"contradicts {project_file}",
        file=str(period_file),
        where=where,
        expected=f"{_shown(theirs)} as {project_file.name} says, or leave it out",
        found=_shown(ours),
    )


def merge_period(info: ProjectFile, raw: Any, period_file: Path) -> tuple[dict[str, Any], PeriodExtras]:
    """A period file's mapping completed from ``project.yaml``, and the period's SD and authorization additions.

    A value the period repeats must equal the project's (a mapping key by key); otherwise an
    :class:`InputError` names both files.
    """
    period_file = Path(period_file)
    if not isinstance(raw, Mapping):
        raise _fail(period_file, "top level", "expected a mapping (a monitoring-period file)", found=_shown(raw))
    raw = dict(raw)
    for key in PROJECT_ONLY:
        if key in raw:
            raise _fail(period_file, key, f"{key} is fixed at registration: it belongs in {info.path.name}, not in a period file", expected=f"{key} in {info.path}", found=repr(key))
    merged = {k: v for k, v in raw.items() if k not in PERIOD_EXTRAS}
    for key in INHERITED:
        theirs = info.raw.get(key)
        if theirs is None:
            continue
        if key not in raw:
            merged[key] = theirs
            continue
        ours = raw[key]
        if key == "project" and isinstance(ours, Mapping) and isinstance(theirs, Mapping):
            for sub, value in ours.items():
                if sub in theirs and not _same(value, theirs[sub]):
                    raise _conflict(period_file, info.path, f"project.{sub}", value, theirs[sub])
            merged[key] = {**theirs, **ours}
        elif key == "allocation":
            mine = parse_allocation(ours, file=str(period_file))
            if mine != info.allocation:
                raise _conflict(period_file, info.path, "allocation", ours, theirs)
        elif not _same(ours, theirs):
            raise _conflict(period_file, info.path, key, ours, theirs)
    extras = PeriodExtras()
    if raw.get("sd") is not None:
        sd = _mapping(period_file, raw["sd"], "sd", ("list", "answers"))
        sd_list = info.sd_list
        if sd_list is None:  # the check list is the project's: every period's report uses the same
            raise _fail(period_file, "sd", f"SD answers need the project's check list: sd in {info.path.name}", expected=f"sd: {{list: ...}} in {info.path}", found="sd in the period file only")
        if "list" in sd:
            name = _text(period_file, sd["list"], "sd.list")
            if name != info.raw["sd"].get("list", info.partner_country):
                raise _conflict(period_file, info.path, "sd.list", name, info.raw["sd"].get("list", info.partner_country))
        answers = _sd_answers(period_file, sd.get("answers"), "sd.answers", sd_list, "monitoring")
        for number, answer in answers.items():
            given = info.sd_answers.get(number)
            if given is not None and (given.identified, given.comment) != (answer.identified, answer.comment):
                shown = lambda a: "identified: " + a.comment if a.identified else "not identified"  # noqa: E731
                raise _conflict(period_file, info.path, f"sd.answers.{number}", shown(answer), shown(given))
        extras.sd_answers = answers
    if raw.get("authorization") is not None:
        mine = _authorization(period_file, raw["authorization"], info, period=True)
        for key, value in mine.items():
            if key in info.authorization and not _same(value, info.authorization[key]):
                raise _conflict(period_file, info.path, f"authorization.{key}", value, info.authorization[key])
        extras.authorization = mine
    return merged, extras


def load_merged(period_file: Path) -> tuple[dict[str, Any], PeriodExtras, ProjectFile] | None:
    """The merged mapping of a period file that sits beside a project.yaml, else None."""
    period_file = Path(period_file).resolve()
    project = project_beside(period_file)
    if project is None:
        return None
    if period_file.name == PROJECT_FILE:
        raise _fail(period_file, "", "this is a project file, not a monitoring-period file", expected="`jcmwb project FOLDER` for the whole project, or `jcmwb run` on one of its period files")
    info = load_project_file(project)
    raw = load_yaml(period_file, error=InputError)
    merged, extras = merge_period(info, raw, period_file)
    return merged, extras, info
