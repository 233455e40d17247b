"""The official facts of an approved JCM methodology (``methodologies/<ID>/facts.yaml``).

Each fact (title, versions with approval dates, status, sectoral scope, proponent, partner
country, page) carries the URL it was read from, or ``seen: false`` where it was not found;
``runnable`` says whether jcmwb can calculate the methodology (``official``, ``inferred`` or
``catalogued``, with the reason). The format is ``methodologies/README.md`` section 7.
``load_facts`` reads one file strictly: unknown keys, missing keys and bad values are a
``SpecError`` naming the file and the key. The catalogue (``jcmwb.library.catalogue``) puts
facts and specs together; the spec loader asks :func:`not_runnable` why an id has no spec.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import InputError, SpecError
from jcmwb.engine.strict_yaml import load_yaml

FACTS_FILE = "facts.yaml"
RUNNABLE = ("official", "inferred", "catalogued")
NOT_SEEN = "not seen"
SCOPES = {1: "Energy industries", 2: "Energy distribution", 3: "Energy demand", 14: "REDD-plus"}
COUNTRIES = {
    "CL": "Chile",
    "CR": "Costa Rica",
    "ID": "Indonesia",
    "KE": "Kenya",
    "KH": "Cambodia",
    "LA": "Lao PDR",
    "MM": "Myanmar",
    "MN": "Mongolia",
    "MV": "Maldives",
    "PH": "Philippines",
    "SA": "Saudi Arabia",
    "TH": "Thailand",
    "VN": "Viet Nam",
}

TOP_REQUIRED = ("id", "approved", "title", "versions", "status", "sectoral_scope", "proponent", "partner_country", "page", "runnable")
TOP_OPTIONAL = ("reason", "family", "notes")
APPROVED_ID = re.compile(r"^[A-Z]{2}_AM\d{3}$")
VERSION_LABEL = re.compile(r"^\d{2}\.\d$")
URL = re.compile(r"^https?://\S+$")
FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")


class NotRunnableError(SpecError, InputError, kind="catalogued"):
    """A methodology that is catalogued (approved, facts known) but has no spec to run.

    Both a SpecError (there is no spec) and an InputError (the period file names a
    methodology that cannot be calculated): callers that catch either see it, and the period
    loader passes it on as it is, so the reason reaches the user instead of "unknown methodology".
    """


# -- the facts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """One fact of the catalogue: its value and the URL(s) it was read from, or not seen."""

    seen: bool
    value: Any = None
    sources: tuple[str, ...] = ()
    note: str = ""

    def show(self) -> str:
        """The value as text, or ``not seen``."""
        if not self.seen:
            return NOT_SEEN
        return self.value.isoformat() if isinstance(self.value, dt.date) else str(self.value)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seen": self.seen, "value": self.show() if self.seen else None, "source": list(self.sources)}
        if isinstance(self.value, int) and self.seen:
            out["value"] = self.value
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class VersionFacts:
    version: Fact
    approved: Fact

    def show(self) -> str:
        label = self.version.show() if self.version.seen else "version not seen"
        date = self.approved.show() if self.approved.seen else "date not seen"
        return f"{label} ({date})"


@dataclass(frozen=True)
class Facts:
    """The official facts of one methodology id, as read from its ``facts.yaml``."""

    id: str
    approved: bool
    title: Fact
    versions: tuple[VersionFacts, ...]
    status: Fact
    sectoral_scope: Fact
    proponent: Fact
    partner_country: Fact
    page: Fact
    runnable: str
    reason: str = ""
    family: str = ""
    notes: tuple[str, ...] = ()
    path: Path | None = None

    def facts(self) -> dict[str, Fact]:
        """The single-valued facts by key, in file order (versions apart)."""
        return {
            "title": self.title,
            "status": self.status,
            "sectoral_scope": self.sectoral_scope,
            "proponent": self.proponent,
            "partner_country": self.partner_country,
            "page": self.page,
        }


class _Reader:
    """Strict checks for one facts file: each failure is a SpecError naming the file and the key."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)

    def fail(self, where: str, message: str, **kw: Any) -> SpecError:
        return SpecError(message, file=self.file, where=where or None, **kw)

    def mapping(self, value: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping", found=type(value).__name__)
        for key in value:
            if key not in required and key not in optional:
                prefix = f"{where}." if where else ""
                raise self.fail(f"{prefix}{key}", "unknown key", expected="one of " + ", ".join((*required, *optional)), found=repr(key))
        for key in required:
            if key not in value:
                raise self.fail(where, f"missing key '{key}'", expected=", ".join(required))
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty text", found=repr(value))
        return value

    def sources(self, value: Any, where: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise self.fail(where, "expected a URL or a list of URLs", found="an empty list")
        for item in items:
            if not isinstance(item, str) or not URL.match(item):
                raise self.fail(where, "expected a URL (http:// or https://)", found=repr(item))
        return tuple(items)

    def fact(self, raw: Any, where: str, kind: str) -> Fact:
        """``{seen: true, value, source, note?}`` or ``{seen: false, note?}``."""
        if not isinstance(raw, dict) or "seen" not in raw:
            raise self.fail(where, "expected a fact", expected="{seen: true, value: ..., source: URL} or {seen: false, note: ...}", found=repr(raw))
        seen = raw["seen"]
        if not isinstance(seen, bool):
            raise self.fail(f"{where}.seen", "expected true or false", found=repr(seen))
        if not seen:
            for key in ("value", "source"):
                if key in raw:  # never a value for a fact that was not seen: that would be a guess
                    raise self.fail(
                        f"{where}.{key}", f"a fact not seen has no {key}", expected="seen: true with value and source, or seen: false", found=repr(raw[key])
                    )
            self.mapping(raw, where, ("seen",), ("note",))
            return Fact(False, note=self.text(raw["note"], f"{where}.note") if "note" in raw else "")
        self.mapping(raw, where, ("seen", "value", "source"), ("note",))
        value = self.value(raw["value"], f"{where}.value", kind)
        note = self.text(raw["note"], f"{where}.note") if "note" in raw else ""
        return Fact(True, value, self.sources(raw["source"], f"{where}.source"), note)

    def value(self, value: Any, where: str, kind: str) -> Any:
        if kind == "date":
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise self.fail(where, "expected a date", expected="YYYY-MM-DD", found=repr(value))
            return value
        if kind == "scope":
            if isinstance(value, bool) or value not in SCOPES:
                raise self.fail(where, "unknown sectoral scope", expected="one of " + ", ".join(str(s) for s in SCOPES), found=repr(value))
            return value
        text = self.text(value, where)
        if kind == "version" and not VERSION_LABEL.match(text):
            raise self.fail(where, "bad version", expected='like "01.0" (quoted)', found=repr(value))
        if kind == "url" and not URL.match(text):
            raise self.fail(where, "expected a URL (http:// or https://)", found=repr(value))
        return text


def facts_path(methodology_id: str, library: Path) -> Path:
    """Where the facts of an id are kept: ``<library>/<ID>/facts.yaml``."""
    return Path(library) / methodology_id / FACTS_FILE


def load_facts(path: str | Path) -> Facts:
    """Read one ``facts.yaml`` strictly.

    Raises
    ------
    SpecError
        Naming the file and the key: an unknown or missing key, a fact without its source,
        a value of the wrong kind, an id that is not the folder's, a partner country that is
        not the id's, an approved flag that the id's form contradicts, a reason missing (or
        given for an official structure).
    """
    path = Path(path)
    r = _Reader(path)
    raw = load_yaml(path)
    r.mapping(raw, "", TOP_REQUIRED, TOP_OPTIONAL)
    mid = r.text(raw["id"], "id")
    if mid != path.parent.name:
        raise r.fail("id", "the id is not the folder's", expected=repr(path.parent.name), found=repr(mid))
    approved = raw["approved"]
    if not isinstance(approved, bool):
        raise r.fail("approved", "expected true or false", found=repr(approved))
    # An id of the approved form (XX_AMnnn) is a claim: only an approved methodology may carry one.
    if approved != bool(APPROVED_ID.match(mid)):
        expected = "an id like TH_AM001 for an approved methodology" if approved else "an id that is not of the approved form XX_AMnnn"
        raise r.fail("approved", f"approved: {str(approved).lower()} does not fit the id", expected=expected, found=repr(mid))

    versions_raw = raw["versions"]
    if not isinstance(versions_raw, list) or not versions_raw:
        raise r.fail("versions", "expected a list of versions", found=repr(versions_raw))
    versions = []
    for n, item in enumerate(versions_raw):
        where = f"versions[{n}]"
        r.mapping(item, where, ("version", "approved"))
        versions.append(VersionFacts(r.fact(item["version"], f"{where}.version", "version"), r.fact(item["approved"], f"{where}.approved", "date")))
    seen_dates = [v.approved.value for v in versions if v.approved.seen]
    if seen_dates != sorted(seen_dates):
        raise r.fail("versions", "versions must be listed oldest first", found=", ".join(d.isoformat() for d in seen_dates))

    country = r.fact(raw["partner_country"], "partner_country", "text")
    if country.seen and country.value != mid[:2]:
        raise r.fail("partner_country.value", "the partner country is not the id's", expected=repr(mid[:2]), found=repr(country.value))
    runnable = raw["runnable"]
    if runnable not in RUNNABLE:
        raise r.fail("runnable", "unknown value", expected="one of " + ", ".join(RUNNABLE), found=repr(runnable))
    reason = r.text(raw["reason"], "reason") if "reason" in raw else ""
    if runnable != "official" and not reason:
        raise r.fail("reason", f"runnable: {runnable} needs its reason", expected="why the structure is inferred or why it cannot run")
    if runnable == "official" and reason:
        raise r.fail("reason", "runnable: official takes no reason (use notes for known gaps)")
    family = raw.get("family", "")
    if "family" in raw and (not isinstance(family, str) or not FAMILY.match(family)):
        raise r.fail("family", "bad family name", expected="lower-case letters, digits and _", found=repr(family))
    notes_raw = raw.get("notes", [])
    if not isinstance(notes_raw, list):
        raise r.fail("notes", "expected a list of texts", found=repr(notes_raw))
    notes = tuple(r.text(note, f"notes[{n}]") for n, note in enumerate(notes_raw))
    return Facts(
        id=mid,
        approved=approved,
        title=r.fact(raw["title"], "title", "text"),
        versions=tuple(versions),
        status=r.fact(raw["status"], "status", "text"),
        sectoral_scope=r.fact(raw["sectoral_scope"], "sectoral_scope", "scope"),
        proponent=r.fact(raw["proponent"], "proponent", "text"),
        partner_country=country,
        page=r.fact(raw["page"], "page", "url"),
        runnable=runnable,
        reason=reason,
        family=family,
        notes=notes,
        path=path,
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """A text from a facts file, safe on a terminal: control characters shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def not_runnable(methodology_id: str, library: Path) -> NotRunnableError | None:
    """The error for an id that is catalogued only (no spec), or None when it is not one.

    ``library`` is the methodologies folder. A facts file that
    cannot be read is itself the error (it names the file and key).
    """
    library = Path(library)
    path = facts_path(methodology_id, library)
    if not path.is_file() or library.resolve() not in path.resolve().parents:
        return None  # a link out of the library is not the library's
    facts = load_facts(path)
    if facts.runnable != "catalogued":
        return None  # runnable ids have a spec: a missing or foreign one stays "unknown methodology"
    title = facts.title.show() if facts.title.seen else "title not seen"
    reason = (facts.reason or "it has no spec").rstrip(".")
    return NotRunnableError(
        f"{facts.id} ({clean(title)}) is in the catalogue but jcmwb cannot calculate it: {clean(reason)}",
        where="methodology",
        expected="a runnable methodology (`jcmwb list` shows which)",
        found=f"{facts.id}, runnable: {facts.runnable} (no methodology.yaml)",
    )
