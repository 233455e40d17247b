"""The official catalogue: every public approved JCM methodology, runnable or not.

Each methodology folder holds ``facts.yaml`` (format: ``methodologies/README.md`` section 7):
the official title, versions with approval dates, status, sectoral scope, proponent, partner
country and page, each fact with the URL it was read from or ``seen: false`` where it was not
found; and whether jcmwb can calculate it (``runnable``: ``official``, ``inferred`` or
``catalogued``, with the reason). A folder with facts but no ``methodology.yaml`` is an
approved methodology that jcmwb lists but cannot run.

``load_facts`` reads one file strictly (unknown keys, missing keys and bad values are a
``SpecError`` naming the file and the key); ``load_catalogue`` reads every one and checks it
against the spec beside it; ``render`` gives the catalogue as a table, CSV or JSON, which is
what ``jcmwb list`` prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcmwb.engine import spec as _spec_module
from jcmwb.engine.errors import InputError, SpecError
from jcmwb.engine.spec import Spec, load_spec, load_yaml

FACTS_FILE = "facts.yaml"
RUNNABLE = ("official", "inferred", "catalogued")
RUNNABLE_LABELS = {
    "official": "runnable (official structure)",
    "inferred": "runnable (structure inferred from the family, official text not seen)",
    "catalogued": "catalogued only",
}
FORMATS = ("table", "csv", "json")
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


class NotRunnableError(SpecError, InputError):
    """A methodology that is catalogued (approved, facts known) but has no spec to run.

    Both a SpecError (there is no spec) and an InputError (the period file names a
    methodology that cannot be calculated): callers that catch either see it, and the period
    loader passes it on as it is, so the reason reaches the user instead of "unknown methodology".
    """

    kind = "catalogued"


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


def _library() -> Path:
    # Read at each call, as load_spec does: the library folder is the spec module's.
    return _spec_module.METHODOLOGIES


def facts_path(methodology_id: str, library: Path | None = None) -> Path:
    """Where the facts of an id are kept: ``methodologies/<ID>/facts.yaml``."""
    return (_library() if library is None else Path(library)) / methodology_id / FACTS_FILE


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


# -- the catalogue: facts and specs together ------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One id of the catalogue: its facts, and its spec where jcmwb can run it."""

    facts: Facts
    spec: Spec | None

    @property
    def id(self) -> str:
        return self.facts.id

    @property
    def family(self) -> str:
        return self.spec.family if self.spec else self.facts.family


def _check_against_spec(facts: Facts, spec: Spec | None) -> None:
    """The facts and the spec beside them must tell the same story (what was seen, the spec must say)."""
    file = str(facts.path)
    if facts.runnable == "catalogued":
        if spec is not None:
            raise SpecError(
                "a spec exists, so the methodology is runnable",
                file=file,
                where="runnable",
                expected="official or inferred (and no reason unless inferred)",
                found="catalogued",
            )
        return
    if spec is None:
        raise SpecError(
            f"runnable: {facts.runnable} needs a spec",
            file=file,
            where="runnable",
            expected=f"methodologies/{facts.id}/methodology.yaml",
            found="no spec",
        )
    structure = getattr(spec, "structure", "official")
    if structure != facts.runnable:
        raise SpecError("the spec says otherwise", file=file, where="runnable", expected=f"{structure} (the spec's structure)", found=facts.runnable)

    def differ(where: str, fact_value: object, spec_value: object) -> SpecError:
        return SpecError(
            "the spec disagrees with the official facts: correct methodology.yaml",
            file=file,
            where=where,
            expected=repr(fact_value),
            found=f"{spec_value!r} in methodology.yaml",
        )

    # A proposal's spec keeps its own title, which must say it is not approved (the proposal's
    # title alone would read as an approved methodology's).
    if facts.approved and facts.title.seen and str(spec.title) != facts.title.value:
        raise differ("title", facts.title.value, str(spec.title))
    if facts.sectoral_scope.seen and spec.sectoral_scope != facts.sectoral_scope.value:
        raise differ("sectoral_scope", facts.sectoral_scope.value, spec.sectoral_scope)
    if facts.partner_country.seen and spec.country != facts.partner_country.value:
        raise differ("partner_country", facts.partner_country.value, spec.country)
    if facts.family and spec.family != facts.family:
        raise differ("family", facts.family, spec.family)
    for n, v in enumerate(facts.versions):
        if not v.version.seen:
            continue
        version = spec.version(v.version.value)
        if version is None:
            raise differ(f"versions[{n}].version", v.version.value, ", ".join(x.version for x in spec.versions))
        if v.approved.seen and (version.approved != v.approved.value or version.provisional):
            shown = f"{version.approved}" + (" (provisional)" if version.provisional else "")
            raise differ(f"versions[{n}].approved", v.approved.value.isoformat(), shown)


def load_catalogue(root: Path | None = None) -> list[Entry]:
    """Every methodology folder with a ``facts.yaml``, by id, each checked against its spec.

    A folder with a spec but no facts is an error too: every methodology jcmwb runs is in the
    catalogue with its official facts (or says it is not approved).
    """
    root = _library() if root is None else Path(root)
    entries = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        facts_file, spec_file = folder / FACTS_FILE, folder / "methodology.yaml"
        if not facts_file.is_file():
            if spec_file.is_file():
                raise SpecError(
                    "a methodology without its catalogue facts", file=str(folder), expected=f"{FACTS_FILE} beside methodology.yaml", found="no facts.yaml"
                )
            continue
        facts = load_facts(facts_file)
        spec = load_spec(spec_file) if spec_file.is_file() else None
        _check_against_spec(facts, spec)
        entries.append(Entry(facts, spec))
    return entries


def not_runnable(methodology_id: str, library: Path | None = None) -> NotRunnableError | None:
    """The error for an id that is catalogued only (no spec), or None when it is not one.

    ``library`` is the methodologies folder (default: the spec loader's). A facts file that
    cannot be read is itself the error (it names the file and key).
    """
    library = _library() if library is None else Path(library)
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


# -- rendering ------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """A text from a facts file, safe on a terminal: control characters shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def _csv_cell(text: str) -> str:
    # A cell starting with = + - @ would run as a formula when the CSV is opened in a spreadsheet.
    text = clean(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _provisional_defaults(spec: Spec) -> str:
    defaults = [p for p in spec.parameters.values() if p.kind == "fixed_default"]
    return f"{len(spec.provisional_defaults())} of {sum(len(p.choices) for p in defaults) or len(defaults)}"


def _spec_versions(spec: Spec) -> str:
    """The versions the spec calculates with; * marks one whose number or date is a placeholder."""
    return ", ".join(v.version + ("*" if v.provisional else "") for v in spec.versions)


def _record(entry: Entry) -> dict[str, Any]:
    """One id as plain data (the JSON form; CSV and table flatten it)."""
    f = entry.facts
    record: dict[str, Any] = {
        "id": f.id,
        "approved": f.approved,
        "runnable": f.runnable,
        "reason": f.reason,
        "family": entry.family,
        **{key: fact.as_dict() for key, fact in f.facts().items()},
        "versions": [{"version": v.version.as_dict(), "approved": v.approved.as_dict()} for v in f.versions],
        "notes": list(f.notes),
        "spec_versions": [v.version for v in entry.spec.versions] if entry.spec else [],
        "provisional_defaults": _provisional_defaults(entry.spec) if entry.spec else None,
    }
    return record


def _versions_text(facts: Facts) -> str:
    return "; ".join(v.show() for v in facts.versions)


def _version_sources(facts: Facts) -> str:
    urls: list[str] = []
    for v in facts.versions:
        for url in (*v.version.sources, *v.approved.sources):
            if url not in urls:
                urls.append(url)
    return " ".join(urls) or NOT_SEEN


CSV_COLUMNS = (
    "id",
    "approved",
    "runnable",
    "reason",
    "family",
    "title",
    "title_source",
    "versions",
    "versions_source",
    "status",
    "status_source",
    "sectoral_scope",
    "sectoral_scope_source",
    "proponent",
    "proponent_source",
    "partner_country",
    "partner_country_source",
    "page",
    "page_source",
    "provisional_defaults",
    "notes",
)


def _csv_row(entry: Entry) -> list[str]:
    f = entry.facts
    row: dict[str, str] = {
        "id": f.id,
        "approved": "yes" if f.approved else "no (proposed, not approved)",
        "runnable": f.runnable,
        "reason": f.reason,
        "family": entry.family,
        "versions": _versions_text(f),
        "versions_source": _version_sources(f),
        "provisional_defaults": _provisional_defaults(entry.spec) if entry.spec else "",
        "notes": " | ".join(f.notes),
    }
    for key, fact in f.facts().items():
        row[key] = fact.show()
        row[f"{key}_source"] = " ".join(fact.sources) or NOT_SEEN
    return [_csv_cell(row[c]) for c in CSV_COLUMNS]


def summary(entries: Sequence[Entry]) -> str:
    """One sentence: how many approved ids are runnable (official, inferred) or catalogued only."""
    approved = [e for e in entries if e.facts.approved]
    counts = {r: sum(1 for e in approved if e.facts.runnable == r) for r in RUNNABLE}
    text = (
        f"{len(approved)} approved methodologies: {counts['official']} runnable (official structure), "
        f"{counts['inferred']} runnable (inferred structure), {counts['catalogued']} catalogued only."
    )
    others = [e.id for e in entries if not e.facts.approved]
    if others:
        text += f" Not approved (proposed, kept runnable under a non-JCM id): {', '.join(others)}."
    return text


def _table(entries: Sequence[Entry]) -> str:
    rows = [("ID", "RUNNABLE", "OFFICIAL VERSION (APPROVED)", "SCOPE", "STATUS", "PROPONENT", "FAMILY", "SPEC VERSIONS", "PROV. DEFAULTS", "TITLE")]
    for e in entries:
        f = e.facts
        runnable = f.runnable if f.approved else f"{f.runnable}, NOT APPROVED"
        rows.append(
            (
                f.id,
                runnable,
                _versions_text(f),
                f.sectoral_scope.show(),
                f.status.show(),
                f.proponent.show(),
                e.family or "-",
                _spec_versions(e.spec) if e.spec else "-",
                _provisional_defaults(e.spec) if e.spec else "-",
                f.title.show(),
            )
        )
    rows = [tuple(clean(cell) for cell in row) for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    lines += ["", summary(entries), ""]
    explained = [e for e in entries if e.facts.reason]
    if explained:
        lines.append("Why a methodology is inferred or catalogued only:")
        lines += [f"  {e.id}: {clean(e.facts.reason)}" for e in explained]
        lines.append("")
    if any(v.provisional for e in entries if e.spec for v in e.spec.versions):
        lines.append("* version whose number or approval date is not confirmed (see versions in its methodology.yaml).")
    lines.append(
        "'not seen': not found in the public sources read (not: does not exist). "
        "Every fact's source URL: jcmwb list --format csv (or json). "
        "Provisional defaults are placeholders pending confirmation against the official documents."
    )
    return "\n".join(lines) + "\n"


def render(fmt: str = "table", entries: Sequence[Entry] | None = None) -> str:
    """The catalogue as text: ``table`` (for people), ``csv`` or ``json`` (for tooling).

    Every text from a facts file is shown with control characters escaped; CSV cells that a
    spreadsheet would run as formulas are prefixed with ``'``.
    """
    if fmt not in FORMATS:
        raise InputError("unknown format", where="--format", expected=", ".join(FORMATS), found=repr(fmt))
    entries = load_catalogue() if entries is None else entries
    if fmt == "json":
        return json.dumps({"methodologies": [_record(e) for e in entries], "summary": summary(entries)}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_row(e) for e in entries)
        return out.getvalue()
    return _table(entries)


__all__ = [
    "Entry",
    "Fact",
    "Facts",
    "NotRunnableError",
    "VersionFacts",
    "facts_path",
    "load_catalogue",
    "load_facts",
    "not_runnable",
    "render",
    "summary",
]
