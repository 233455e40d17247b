"""Validation messages of the app: where each one goes, and how it reads.

The engine reports every problem as a ``JcmwbError`` naming the key of the
monitoring-period file it concerns (``where``: ``monitored.EG_i_p.unit``,
``fixed.COP_PJ_i.values``, ``period.start``) or the data file and its row (``file`` and
``where``: ``row 12, column value``). The form gives each of its fields a message slot
named by the same key, so a problem goes to the slot with the longest key that begins
its ``where``; a problem in a data file goes to the upload field of that file's parameter.
The message is said in plain words: the user's own file name, never a path of the
server, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jcmwb.engine.errors import JcmwbError

GENERAL = ""  # the slot beside the Calculate button
FIELD_ROOTS = ("monitored", "fixed", "period", "project", "eligibility", "version", "alternatives", "participants")


@dataclass
class Problem:
    """One message for one slot of the form (``GENERAL`` when no field fits)."""

    key: str
    text: str


def parse_number(text: str) -> float:
    """A number typed in a field: plain notation, a point for decimals.

    Thousands separators are refused rather than guessed: ``1,234`` is 1234 in English
    and 1.234 in much of Europe, and a wrong guess would go unnoticed into the sheet.
    """
    cleaned = str(text).strip()
    if not cleaned or "," in cleaned:
        raise ValueError(text)
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _candidates(where: str) -> list[str]:
    """``monitored.X.calibration[0].date`` -> itself, ``monitored.X.calibration[0]``, ... ``monitored``."""
    parts = [p for p in re.split(r"\.|(?=\[)", where) if p]
    out = []
    for n in range(len(parts), 0, -1):
        key = ""
        for part in parts[:n]:
            key += part if part.startswith("[") or not key else "." + part
        out.append(key)
    return out


def locate(exc: JcmwbError, slots: Iterable[str], data_files: Mapping[Path, str]) -> tuple[str, str]:
    """The slot for ``exc`` and what remains of its ``where`` below that slot's key.

    ``data_files`` maps each data file the period uses to the parameter it belongs to.
    """
    keys = set(slots)
    where = exc.where or ""
    parameter = data_files.get(Path(exc.file).resolve()) if exc.file else None
    if where.split(".")[0].split("[")[0] in FIELD_ROOTS:
        for key in _candidates(where):
            if key in keys:
                rest = where[len(key) :].lstrip(".")
                return key, rest
        return GENERAL, where
    if parameter is not None:
        key = f"monitored.{parameter}.data"
        return (key if key in keys else GENERAL), where
    return GENERAL, where


def plain(exc: JcmwbError, *, rest: str = "", file_names: Mapping[Path, str] | None = None, period_file: Path | None = None, lang: str = "en", spec: object = None) -> str:
    """The message in plain words: the user's file name, the place in it, what was expected and found.

    In Japanese the engine's English (message, place, expected, found) is said again through
    the catalog's patterns (``jcmwb.app.i18n.engine_text``); values quoted from the input stay as they are.
    """
    from jcmwb.app.i18n import engine_text
    from jcmwb.app.labels import spec_texts, t

    texts = spec_texts(spec, lang) if spec is not None else None
    lead: list[str] = []
    if exc.file:
        path = Path(exc.file).resolve()
        if file_names and path in file_names:
            lead.append(file_names[path])
        elif period_file is None or path != Path(period_file).resolve():
            lead.append(path.name)
    if rest:
        lead.append(engine_text(rest, lang, texts))
    message = engine_text(exc.message, lang, texts)
    message = message[:1].upper() + message[1:] if lang == "en" else message
    expected = None if exc.expected is None else engine_text(str(exc.expected), lang, texts)
    found = None if exc.found is None else engine_text(str(exc.found), lang, texts)
    if lang != "en":
        text = (t("list_separator", lang).join(lead) + t("place_separator", lang) if lead else "") + message
        text += t("sentence_end", lang) if not text.endswith(t("sentence_end", lang)) else ""
        if expected is not None:
            text += t("expected_is", lang, expected=expected)
        if found is not None:
            text += t("found_is", lang, found=found)
        return text
    text = (", ".join(lead) + ": " if lead else "") + message
    if expected is not None:
        text += f". Expected {expected}"
    if found is not None:
        text += ("; found " if expected is not None else ". Found ") + str(found)
    return text if text.endswith(".") else text + "."


def first_outside(path: Path, fmt: str, start: dt.date, end: dt.date) -> tuple[int, str] | None:
    """The first row of a data file outside the period (row number as in a spreadsheet, text).

    Only called when the engine has already counted such rows, to point at one of them.
    """
    import pandas as pd

    column = {"interval": "timestamp", "register": "timestamp", "monthly": "month"}.get(fmt)
    if column is None:
        return None
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except Exception:  # the engine read it a moment ago; pointing at a row is a courtesy only
        return None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if column not in frame.columns:
        return None
    text = frame[column].astype(str).str.strip()
    first, after = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    if fmt == "monthly":
        months = pd.to_datetime(text, format="%Y-%m", errors="coerce")
        outside = (months + pd.offsets.MonthEnd(0) < first) | (months >= after)
    else:
        stamps = pd.to_datetime(text, errors="coerce", format="mixed")
        outside = (stamps < first) | ((stamps > after) if fmt == "register" else (stamps >= after))
    hits = outside[outside.fillna(False)].index
    if len(hits) == 0:
        return None
    return int(hits[0]) + 2, str(text.iloc[hits[0]])
