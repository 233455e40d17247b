"""The app in English and Japanese: gettext catalogs, and the engine's messages said in Japanese.

The Japanese texts live in one gettext catalog, ``locale/ja/LC_MESSAGES/jcmwb.po``
(compiled to ``jcmwb.mo``, which is what is read at run time, with Python's ``gettext``).
It holds two kinds of entries:

- **the app's own words** (``msgctxt`` = the key of ``jcmwb.app.labels.WORDS``, ``msgid`` =
  the English text): section titles, labels, hints, buttons, status lines;
- **the engine's sentence patterns** (``msgctxt "engine"``): the engine speaks English (it is
  the command line's language, and its messages are not changed for the app); every message,
  "expected" and "found" text, note, warning, gap and correction the engine can produce is a
  pattern such as ``{name} at {point}: {missing} missing value(s) left unfilled ({why})``.
  The app matches the engine's English text against the patterns, and says it again in
  Japanese with the same values, each value itself translated when it is a sentence of the
  engine (``why``) or a text of the methodology's spec that has a Japanese version.

The patterns are read from the engine's source (:func:`engine_patterns`: the literal and
f-string arguments of its errors, notes and warnings, and its ``describe`` methods, as
``xgettext`` would collect them), plus a few texts built elsewhere (:data:`EXTRA_PATTERNS`).
``tests/test_app_japanese.py`` fails on any pattern without a Japanese translation, so a new
engine message is translated when it is written. ``python -m jcmwb.app.translate --update``
adds the new msgids to the catalog (empty, to translate) and compiles it (Babel).
"""

from __future__ import annotations

import ast
import functools
import gettext
import re
from dataclasses import dataclass
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "jcmwb"
ENGINE = "engine"  # the msgctxt of the engine's patterns
ENGINE_SOURCE = Path(__file__).resolve().parent.parent / "engine"
# The engine modules whose messages reach the app (a monitoring period's validation and calculation).
ENGINE_MODULES = ("compute", "corrections", "files", "formulas", "helpers", "issuance", "monitoring", "numbers", "period", "strict_yaml", "trace", "units")
# Engine texts made outside an error, note or describe(): interval labels, sources of values, kinds of corrections.
EXTRA_PATTERNS = (
    "{n}-day",
    "{n}-hour",
    "{n}-minute",
    "{n}-second",
    "register span",
    "gap fill",
    "calibration",
    "option {option}: {sources}",
    "{name} rows {first}-{last}",
    "{name} row {row}",
    "{name}: no rows",
    "monitored.{name}.values.{point} in {file}",
    "{source} [choice: {choice}, applies from {date}]",
    "row {row}, column {column}",
    "row {row}",
    "column {column}",
    "point {point}",
    "{data}, point {point} ({rows})",
    "increased",
    "reduced",
    # the rounding of an equation, said as a whole (its rule is one word of the spec)
    "rounded down from {value2} {unit}",
    "rounded up from {value2} {unit}",
    "rounded nearest from {value2} {unit}",
    # a decreasing register reading (monitoring.py builds the unit in with a conditional, which the collector cannot split)
    "{shown}, below {before} at row {row}",
    "{shown}, below {before} {unit} at row {row}",
    # the note of a reported-only parameter (jcmwb.engine.compute.REPORTED_ONLY, a constant)
    "reported only, it enters no equation of the methodology",
    # the warnings of a project's cycle (jcmwb/engine/cycle.py), shown by the project view
    "SD check list ({name}): item(s) {items} not answered for the period {start} to {end}",
    "gap of {days} day(s) between {before} (ends {end}) and {after} (starts {start}): {first} to {last} is in no monitoring period, so no credits for it",
    "{file}: the period {start} to {end} lies {days} day(s) outside the crediting period {first} to {last} (the JC issues no credits for them)",
)
# Placeholders whose value is the engine's own sentence (translated in turn); others are values.
_CALLS = ("Error", "fail")
_KEYWORDS = ("expected", "found", "where", "source")
# Parameters of an engine helper that receive a sentence (passed on to an error).
_SENTENCE_ARGUMENTS = ("message", "what", "expected", "reason", "problem", "negative")
# Functions whose return value is a sentence (a gap, a correction, a plausibility bound).
_SENTENCE_FUNCTIONS = ("describe", "plausible_max")
# Variables holding a part of a sentence that is assembled in steps (corrections.py).
_PARTS = ("why", "largest", "share", "including", "direction")


# -- the catalog ------------------------------------------------------------------------------------
@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: none, the texts are the msgids)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE, languages=[lang], fallback=True)


def word(key: str, english: str, lang: str) -> str:
    """The app's word ``key`` (English ``english``) in ``lang``; English when the catalog lacks it."""
    return catalog(lang).pgettext(key, english)


def has_word(key: str, english: str, lang: str) -> bool:
    """Whether the catalog of ``lang`` translates the app's word ``key``."""
    return catalog(lang).pgettext(key, english) != english or lang == "en"


# -- the engine's patterns -----------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    """One sentence pattern of the engine, as a ``str.format`` template (the msgid) and a regex."""

    msgid: str
    regex: re.Pattern[str]
    literal: int  # letters outside placeholders: the more, the more specific

    def match(self, text: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(text)
        return found.groupdict() if found else None


_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def compile_pattern(msgid: str) -> Pattern | None:
    """The regex of a pattern; None for a pattern without words of its own (``{message}``)."""
    parts, seen, position, letters = [], set(), 0, 0
    for field in _FIELD.finditer(msgid):
        literal = msgid[position : field.start()]
        letters += sum(c.isalpha() for c in literal)
        parts.append(re.escape(literal))
        if field.group(0) in ("{{", "}}"):
            parts.append(re.escape(field.group(0)[0]))
        elif field.group(1) in seen:
            parts.append(f"(?P={field.group(1)})")
        else:
            seen.add(field.group(1))
            parts.append(f"(?P<{field.group(1)}>.*?)")
        position = field.end()
    tail = msgid[position:]
    letters += sum(c.isalpha() for c in tail)
    parts.append(re.escape(tail))
    words = _FIELD.sub("", msgid)
    # A text without words of its own ({message}) or a key of the period file (period.start,
    # monitored.{name}) is not a sentence: it is shown as it is.
    if letters < 3 or (" " not in words.strip() and msgid not in EXTRA_PATTERNS):
        return None
    return Pattern(msgid, re.compile("".join(parts), re.DOTALL), letters)


def _name(node: ast.expr, index: int) -> str:
    """A placeholder name for an f-string field: its variable or attribute name, else ``value``."""
    target = node
    while isinstance(target, ast.Subscript):
        target = target.value
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return f"value{index}"


def _templates(node: ast.expr, names: dict[str, str]) -> list[str]:
    """The ``str.format`` templates an expression can produce (both branches of a conditional)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value.replace("{", "{{").replace("}", "}}")]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _templates(node.left, names) for b in _templates(node.right, names)]
    if isinstance(node, ast.IfExp):
        return _templates(node.body, names) + _templates(node.orelse, names)
    if isinstance(node, ast.JoinedStr):
        out = [""]
        for value in node.values:
            if isinstance(value, ast.Constant):
                out = [o + str(value.value).replace("{", "{{").replace("}", "}}") for o in out]
            elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.IfExp):
                out = [o + t for o in out for t in _templates(value.value, names)]
            else:
                out = [o + "{" + _field(value.value, names) + "}" for o in out]  # type: ignore[attr-defined]
        return out
    return ["{" + _field(node, names) + "}"]


def _field(node: ast.expr, names: dict[str, str]) -> str:
    source = ast.dump(node)
    if source not in names:
        name = _name(node, len(names) + 1)
        while name in names.values():
            name = f"{name}{len(names) + 1}"
        names[source] = name
    return names[source]


def _collect(tree: ast.AST) -> list[str]:
    # The module's own helpers that take a sentence as an argument (``_calendar(..., message, expected, ...)``).
    helpers = {
        f.name: [a.arg for a in f.args.args]
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and any(a.arg in _SENTENCE_ARGUMENTS for a in f.args.args)
    }
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arguments: list[ast.expr] = []
            if name in helpers and isinstance(func, ast.Name):
                params = helpers[name]
                arguments += [a for a, p in zip(node.args, params) if p in _SENTENCE_ARGUMENTS and not isinstance(a, ast.Name)]
                arguments += [k.value for k in node.keywords if k.arg in _SENTENCE_ARGUMENTS and not isinstance(k.value, ast.Name)]
            elif name.endswith(_CALLS):
                if node.args:
                    arguments.append(node.args[-1] if name == "fail" else node.args[0])
                arguments += [k.value for k in node.keywords if k.arg in _KEYWORDS]
            elif name in ("append", "extend") and isinstance(func, ast.Attribute):
                owner = func.value
                if (getattr(owner, "id", None) or getattr(owner, "attr", None)) in ("notes", "warnings") and node.args:
                    argument = node.args[0]
                    if isinstance(argument, ast.GeneratorExp):
                        argument = argument.elt
                    arguments.append(argument)
            elif name == "TraceNode":
                arguments += [k.value for k in node.keywords if k.arg == "source"]
            elif name == "Correction":  # its reason, the 7th field
                arguments += node.args[6:7] + [k.value for k in node.keywords if k.arg == "reason"]
            elif name == "Bound":  # a plausibility bound's reason, the 3rd field
                arguments += node.args[2:3]
            for argument in arguments:
                out += _templates(argument, {})
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in _PARTS for t in node.targets):
            out += _templates(node.value, {})  # a part of a sentence built in steps (a gap note's why)
        elif isinstance(node, ast.FunctionDef) and node.name in _SENTENCE_FUNCTIONS:
            for item in ast.walk(node):
                if isinstance(item, ast.Return) and item.value is not None:
                    values = item.value.elts if isinstance(item.value, ast.Tuple) else [item.value]  # (limit, text)
                    for value in values:
                        out += _templates(value, {})
    return out


@functools.cache
def engine_msgids() -> tuple[str, ...]:
    """Every sentence pattern the engine can say to the app's user (msgids, in source order, once each)."""
    found: list[str] = []
    for module in ENGINE_MODULES:
        path = ENGINE_SOURCE / f"{module}.py"
        if path.exists():
            found += _collect(ast.parse(path.read_text(encoding="utf-8")))
    found += EXTRA_PATTERNS
    return tuple(dict.fromkeys(m for m in found if compile_pattern(m) is not None))


@functools.cache
def engine_patterns() -> tuple[Pattern, ...]:
    """The engine's patterns, the most specific first."""
    patterns = [p for m in engine_msgids() if (p := compile_pattern(m)) is not None]
    return tuple(sorted(patterns, key=lambda p: -p.literal))


def engine_text(text: str, lang: str, spec_texts: dict[str, str] | None = None) -> str:
    """An English text of the engine in ``lang``: the pattern it matches, said again with its values.

    A value is itself translated when it is a sentence of the engine or, with ``spec_texts``
    (English -> ``lang`` for the methodology's own texts), a text of the spec. A text no
    pattern matches (a point id, a number, a unit) is returned as it is. When several patterns
    match (``missing parameter {name}`` and ``missing parameter {name} ({description})``), the
    reading that leaves the fewest Latin letters wins: the one whose every part was understood.
    """
    if lang == "en" or not text:
        return text
    return _Translator(catalog(lang), spec_texts or {}).say(text, 0)


_LATIN = re.compile(r"[A-Za-z]")


class _Translator:
    def __init__(self, translations: gettext.NullTranslations, spec_texts: dict[str, str]) -> None:
        self.translations = translations
        self.spec_texts = spec_texts
        self.done: dict[str, str] = {}

    def say(self, text: str, depth: int) -> str:
        if text in self.spec_texts:
            return self.spec_texts[text]
        if text in self.done or depth > 6 or not text.strip():
            return self.done.get(text, text)
        best, score = text, len(_LATIN.findall(text))
        for pattern in engine_patterns():
            values = pattern.match(text)
            if values is None:
                continue
            template = self.translations.pgettext(ENGINE, pattern.msgid)
            if template == pattern.msgid and _LATIN.search(_FIELD.sub("", template)):
                continue  # not translated: another pattern may be
            try:
                said = template.format(**{k: self.say(v, depth + 1) for k, v in values.items()})
            except (KeyError, IndexError, ValueError):
                continue
            latin = len(_LATIN.findall(said))
            if latin < score:
                best, score = said, latin
            if score == 0:
                break
        self.done[text] = best
        return best


# -- keeping the catalog (``python -m jcmwb.app.translate --update``) -----------------------------------------
def po_path(lang: str = "ja") -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(lang: str = "ja") -> bytes:
    """The ``.mo`` bytes of ``jcmwb.po`` (Babel), the same for the same catalog."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as handle:
        messages = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    return buffer.getvalue()


def compile_catalog(lang: str = "ja") -> Path:
    """Compile ``jcmwb.po`` to ``jcmwb.mo``, the file read at run time."""
    target = po_path(lang).with_suffix(".mo")
    target.write_bytes(compiled(lang))
    catalog.cache_clear()
    return target
