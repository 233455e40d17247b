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
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcmwb.engine import spec as _spec_module
from jcmwb.engine.errors import InputError, SpecError
from jcmwb.engine.facts import (
    FACTS_FILE,
    NOT_SEEN,
    RUNNABLE,
    Facts,
    NotRunnableError,
    clean,
    facts_path,
    load_facts,
    not_runnable,
)
from jcmwb.engine.spec import Spec, load_spec

RUNNABLE_LABELS = {
    "official": "runnable (official structure)",
    "inferred": "runnable (structure inferred from the family, official text not seen)",
    "catalogued": "catalogued only",
}
FORMATS = ("table", "csv", "json")
def _library() -> Path:
    # Read at each call, as load_spec does: the library folder is the spec module's.
    return _spec_module.METHODOLOGIES


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

    ``root`` is one ``methodologies/`` folder; by default every library of the search path
    (an author's library first; an id of two libraries is the first one's, as for specs).
    A folder with a spec but no facts is an error too: every methodology jcmwb runs is in the
    catalogue with its official facts (or says it is not approved).
    """
    roots = [Path(root)] if root is not None else _spec_module.library_folders()
    entries: dict[str, Entry] = {}
    for library in roots:
        for folder in sorted(p for p in library.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            if folder.name in entries:
                continue
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
            entries[folder.name] = Entry(facts, spec)
    return [entries[key] for key in sorted(entries)]


# -- rendering ------------------------------------------------------------------------------------
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
    "Facts",
    "NotRunnableError",
    "clean",
    "facts_path",
    "load_catalogue",
    "load_facts",
    "not_runnable",
    "render",
    "summary",
]
