"""The receipt of a run (``receipt.json``): its format, where its paths point, its strict reader.

``jcmwb run`` writes a receipt beside its outputs (``jcmwb.run.runner.make_receipt``);
``jcmwb verify --receipt`` reads it here and re-runs it (``jcmwb.verify.receipt.verify_receipt``).

Format 2
--------
Every path is written relative to the folder that holds ``receipt.json``, with ``/``, no
``.`` part, and ``..`` only at the start: ``../../../data/examples/TH_AM001/x.yaml``. So a
receipt stays checkable when the whole tree (say a repository with its ``reports/``) is
copied anywhere, and when the receipt's folder is copied together with its inputs at the
same relative positions.

- ``outputs`` maps plain file names in the receipt's folder (never a path) to their sha256:
  exactly the files a run writes (``jcmwb.run.outputs.HASHED``); ``receipt.json`` is an output
  too, but its hash cannot be inside itself: it is checked by re-running and comparing the
  re-run's receipt with it.
- ``inputs`` lists the monitoring-period file, then every data file it names. A checker
  derives that list from the period file itself and does not read a path the receipt adds.
- ``methodology.spec`` and ``notebook.path`` name the library's files (relative to the
  jcmwb library root) for the reader; a checker finds the spec and the notebook by
  methodology id in the library, never by a path from the receipt.

A receipt that is not of this form is refused by :func:`read_receipt` with one
:class:`~jcmwb.engine.errors.InputError` naming the key (exit code 2 at the command line).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import InputError

FORMAT = 2
RECEIPT = "receipt.json"
# A receipt is a few kilobytes; anything far larger is not one (and is not read into memory).
MAX_BYTES = 1 << 20
SHA256 = re.compile(r"[0-9a-f]{64}")
PERIOD_ROLE = "monitoring period"
PERIOD_SUFFIXES = (".yaml", ".yml")
# The keys of format 2, each with what it must hold; every one is required, no other allowed.
TOP = ("receipt", "jcmwb_version", "python", "packages", "methodology", "project", "period", "notebook", "inputs", "outputs", "result", "provisional_defaults", "warnings")
# Keys whose difference comes from the machine, not from the inputs: they are notes, not errors.
ENVIRONMENT = ("jcmwb_version", "python", "packages")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# -- paths ------------------------------------------------------------------------------------
def receipt_path(target: str | Path, receipt_dir: str | Path) -> str:
    """``target`` as a receipt writes it: relative to the receipt's folder, with ``/``.

    Both paths are resolved first, so a link in either gives the path between the real files.
    """
    return Path(os.path.relpath(Path(target).resolve(), Path(receipt_dir).resolve())).as_posix()


def relative_path_problem(text: str) -> str | None:
    """Why ``text`` is not a path of the receipt's form (None when it is).

    Examples
    --------
    >>> relative_path_problem("../../data/period.yaml") is None
    True
    >>> relative_path_problem("/etc/passwd")
    'an absolute path'
    >>> relative_path_problem("data/../../x.csv")
    "'..' after a folder name"
    """
    if not text:
        return "an empty path"
    if "\\" in text or _CONTROL.search(text):
        return "a backslash or a control character"
    if text.startswith("/") or re.match(r"[A-Za-z]:", text):
        return "an absolute path"
    climbing = True
    for part in text.split("/"):
        if part == "..":
            if not climbing:
                return "'..' after a folder name"
        elif part in ("", "."):
            return "an empty or '.' part"
        else:
            climbing = False
    return "a path to a folder, not to a file" if climbing else None


def plain_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain file name in the receipt's folder (None when it is)."""
    if name in ("", ".", ".."):
        return "not a file name"
    if "/" in name or "\\" in name:
        return "a path"
    if _CONTROL.search(name):
        return "a control character in the name"
    return None


def resolve(receipt_dir: Path, text: str) -> Path:
    """Where a receipt path (already checked by :func:`relative_path_problem`) points."""
    return Path(os.path.normpath(receipt_dir / text))


# -- showing text from a receipt ----------------------------------------------------------------
def shown(value: Any, limit: int = 80) -> str:
    """Text from a receipt, safe on one line: control characters escaped, long text cut."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, _Bad):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({shown(value)})"
    if isinstance(value, str):
        return f"a string ({shown(value)!r})" if value else "an empty string"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# -- the strict reader ----------------------------------------------------------------------------
class _Bad:
    """A JSON number that no receipt holds (NaN, infinity, beyond a double), kept to name its key."""

    def __init__(self, text: str) -> None:
        self.text = text


class _Object(dict):
    """A JSON object that remembers the keys it was given twice."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object()
    out.duplicates = []
    for key, value in pairs:
        if key in out:
            out.duplicates.append(key)
        out[key] = value
    return out


def _float(text: str) -> float | _Bad:
    value = float(text)
    return value if math.isfinite(value) else _Bad(f"{shown(text, 30)} (beyond the range of a number)")


def _int(text: str) -> int | _Bad:
    try:
        value = int(text)
        float(value)
    except (ValueError, OverflowError):
        return _Bad(f"a number of {len(text.lstrip('-'))} digits (beyond the range of a number)")
    return value


def _constant(text: str) -> _Bad:
    return _Bad(f"{text} (not a number)")


def key_path(where: str, key: str | int) -> str:
    """The path of a key as messages name it: ``inputs[0].path``, ``outputs["MRS.xlsx"]``."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{where}.{key}" if where else key
    return f"{where}[{json.dumps(shown(key, 40), ensure_ascii=False)}]"


def _first_oddity(document: Any) -> tuple[str, str, str] | None:
    """The first bad number or duplicate key: (key path, expected, found); iterative, as nesting is unbounded."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _Bad):
            return where or "(the whole file)", "a finite number", value.text
        if isinstance(value, _Object):
            if value.duplicates:
                return key_path(where, value.duplicates[0]), "each key once", "a key given twice"
            stack.extend((key_path(where, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((key_path(where, n), v) for n, v in reversed(list(enumerate(value))))
    return None


class _Reader:
    """Type checks of one receipt, each failure one InputError naming the key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str, expected: str, value: Any = None, *, found: str | None = None) -> InputError:
        return InputError(message, file=self.file, where=where or None, expected=expected, found=found if found is not None else _describe(value))

    def mapping(self, value: Any, where: str, keys: tuple[str, ...] | None, expected: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "not a mapping", expected, value)
        if keys is not None:
            missing = [k for k in keys if k not in value]
            if missing:
                raise self.fail(key_path(where, missing[0]), "missing key", f"a receipt written by `jcmwb run` (keys: {', '.join(keys)})", found="no such key")
            unknown = [k for k in value if k not in keys]
            if unknown:
                raise self.fail(key_path(where, unknown[0]), "unknown key", "one of " + ", ".join(keys), found=repr(shown(unknown[0], 40)))
        return value

    def text(self, value: Any, where: str, *, null: bool = False) -> str | None:
        if value is None and null:
            return None
        if not isinstance(value, str):
            raise self.fail(where, "not a text", "a string" + (" or null" if null else ""), value)
        return value

    def digest(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not SHA256.fullmatch(value):
            raise self.fail(where, "not a sha256", "64 lower-case hexadecimal digits", value)
        return value

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, "not a number", "a number", value)
        return value

    def texts(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(where, "not a list", "a list of texts", value)
        for n, item in enumerate(value):
            self.text(item, key_path(where, n))
        return value


def read_receipt(path: str | Path) -> dict[str, Any]:
    """Read ``receipt.json`` strictly: format 2, every key, each of its type, paths of the receipt's form.

    Parameters
    ----------
    path
        The receipt file.

    Returns
    -------
    dict
        The receipt as written.

    Raises
    ------
    InputError
        Not a regular file, larger than 1 MiB, not UTF-8 JSON, NaN or a number beyond a
        double, a key given twice, a key missing, unknown or of the wrong type, a path not
        relative to the receipt's folder, an output that is not a plain file name. The
        message names the key (``inputs[0].path``), what was expected and what was found.
    """
    path = Path(path)
    file = str(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise InputError("file not found", file=file, where="--receipt", expected="receipt.json written by `jcmwb run`") from exc
    except OSError as exc:
        raise InputError("cannot be read", file=file, where="--receipt", expected="a readable receipt.json", found=exc.strerror or type(exc).__name__) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a receipt", file=file, where="--receipt", expected=f"the {RECEIPT} file inside it", found="a folder")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block or never end: they are not opened.
        raise InputError("not a regular file", file=file, where="--receipt", expected="receipt.json written by `jcmwb run`", found="a device, pipe or socket")
    if info.st_size > MAX_BYTES:
        raise InputError("too large for a receipt", file=file, expected=f"at most {MAX_BYTES} bytes", found=f"{info.st_size} bytes")
    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_BYTES + 1).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", file=file, expected="receipt.json written by `jcmwb run`", found=f"byte {exc.start} is not UTF-8") from exc
    except OSError as exc:
        raise InputError("cannot be read", file=file, expected="a readable receipt.json", found=exc.strerror or type(exc).__name__) from exc
    try:
        document = json.loads(text, object_pairs_hook=_object, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError("not JSON", file=file, where=f"line {exc.lineno} column {exc.colno}", expected="receipt.json written by `jcmwb run`", found=shown(exc.msg)) from exc
    except RecursionError as exc:
        raise InputError("not a receipt: nested too deeply", file=file, expected="receipt.json written by `jcmwb run`", found="more nesting than JSON can be read with") from exc
    oddity = _first_oddity(document)
    if oddity is not None:
        raise InputError("not a valid value", file=file, where=oddity[0], expected=oddity[1], found=oddity[2])
    return _check(document, _Reader(file))


def _check(document: Any, r: _Reader) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise r.fail("", "not a jcmwb receipt", "a JSON object written by `jcmwb run`", document)
    if "receipt" not in document:
        raise r.fail("receipt", "not a jcmwb receipt", f"a key 'receipt' with the format, {FORMAT}", found="no such key")
    version = document["receipt"]
    if isinstance(version, int) and not isinstance(version, bool) and version == 1:
        raise r.fail("receipt", "a receipt of format 1 (paths relative to the repository), which cannot be checked where it is copied", f"format {FORMAT}: run `jcmwb run` again to write one", found="format 1")
    if not isinstance(version, int) or isinstance(version, bool) or version != FORMAT:
        raise r.fail("receipt", "unknown receipt format", str(FORMAT), version)
    r.mapping(document, "", TOP, "a receipt")
    r.text(document["jcmwb_version"], "jcmwb_version")
    r.text(document["python"], "python")
    for name, version_text in r.mapping(document["packages"], "packages", None, "package name -> version").items():
        r.text(version_text, key_path("packages", name))
    method = r.mapping(document["methodology"], "methodology", ("id", "version", "spec", "spec_sha256"), "the methodology of the run")
    r.text(method["id"], "methodology.id")
    r.text(method["version"], "methodology.version")
    r.text(method["spec"], "methodology.spec", null=True)
    r.digest(method["spec_sha256"], "methodology.spec_sha256")
    project = r.mapping(document["project"], "project", ("id", "title"), "the project's id and title")
    r.text(project["id"], "project.id")
    r.text(project["title"], "project.title", null=True)
    period = r.mapping(document["period"], "period", ("start", "end"), "the period's start and end")
    r.text(period["start"], "period.start")
    r.text(period["end"], "period.end")
    notebook = r.mapping(document["notebook"], "notebook", ("path", "sha256"), "the notebook's path and sha256")
    r.text(notebook["path"], "notebook.path", null=True)
    r.digest(notebook["sha256"], "notebook.sha256")
    for where, value in (("methodology.spec", method["spec"]), ("notebook.path", notebook["path"])):
        problem = relative_path_problem(value) if value is not None else None
        if problem:
            raise r.fail(where, "not a path in the library", "a relative path such as methodologies/<ID>/methodology.yaml, or null", found=f"{problem}: {shown(value)!r}")
    inputs = document["inputs"]
    if not isinstance(inputs, list):
        raise r.fail("inputs", "not a list", "a list of {role, path, sha256}, the monitoring-period file first", inputs)
    for n, item in enumerate(inputs):
        where = key_path("inputs", n)
        r.mapping(item, where, ("role", "path", "sha256"), "an input entry")
        r.text(item["role"], f"{where}.role")
        r.text(item["path"], f"{where}.path")
        problem = relative_path_problem(item["path"])
        if problem:
            raise r.fail(f"{where}.path", "not a path relative to the receipt's folder", "a relative path such as ../../data/period.yaml", found=f"{problem}: {shown(item['path'])!r}")
        r.digest(item["sha256"], f"{where}.sha256")
    outputs = document["outputs"]
    if not isinstance(outputs, dict):
        raise r.fail("outputs", "not a mapping", "file name -> sha256", outputs)
    for name, digest in outputs.items():
        problem = plain_name_problem(name)
        if problem:
            raise r.fail(key_path("outputs", name), "not a file name in the receipt's folder", "a plain file name such as MRS.xlsx", found=f"{problem}: {shown(name)!r}")
        r.digest(digest, key_path("outputs", name))
    result = r.mapping(document["result"], "result", ("name", "value", "unit", "values"), "the result: name, value, unit, values")
    r.text(result["name"], "result.name")
    r.number(result["value"], "result.value")
    r.text(result["unit"], "result.unit")
    for name, value in r.mapping(result["values"], "result.values", None, "equation -> value").items():
        where = key_path("result.values", name)
        if isinstance(value, dict):
            for member, number in value.items():
                r.number(number, key_path(where, member))
        else:
            r.number(value, where)
    r.texts(document["provisional_defaults"], "provisional_defaults")
    r.texts(document["warnings"], "warnings")
    return document


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


def differences(receipt: Any, rerun: Any, where: str = "") -> list[tuple[str, Any, Any]]:
    """Where two receipts differ: (key path, the receipt's value, the re-run's value).

    A key present in one only is a difference, with :data:`ABSENT` on the other side;
    numbers compare by value (``1440`` equals ``1440.0``).
    """
    if isinstance(receipt, dict) and isinstance(rerun, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in [*receipt, *(k for k in rerun if k not in receipt)]:
            out.extend(differences(receipt.get(key, ABSENT), rerun.get(key, ABSENT), key_path(where, key)))
        return out
    if isinstance(receipt, list) and isinstance(rerun, list) and len(receipt) == len(rerun):
        return [d for n, (a, b) in enumerate(zip(receipt, rerun, strict=True)) for d in differences(a, b, key_path(where, n))]
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (receipt, rerun))
    same = receipt == rerun if numbers else (type(receipt) is type(rerun) and receipt == rerun)
    return [] if same else [(where or "(the whole receipt)", receipt, rerun)]
