"""One page's work folder: the uploaded files, the monitoring-period file, the outputs.

The app calculates once, in the page's kernel (``jcmwb.calculate`` on the monitoring-period
file the form wrote), shows the results from that Result, and writes the downloads from the
same Result through :func:`jcmwb.run.outputs.write_result_outputs`, the function the
notebook of ``jcmwb run`` calls in its kernel: the sheet is the bytes ``jcmwb run`` writes
for the same inputs. The notebook of record, its HTML rendering and the receipt come from
``jcmwb run`` itself (:func:`jcmwb.run.runner.run`, papermill), made only when the user asks
for them, since that re-runs the methodology notebook. Layout::

    <work>/<session>/input/<period>.yaml      the monitoring-period file
    <work>/<session>/input/<data files>        uploads (by their own names) and typed monthly totals
    <work>/<session>/output/                   MRS.xlsx, from the page's Result
    <work>/<session>/record/                   MRS.xlsx, notebook.ipynb, report.html, receipt.json (jcmwb run)
    <work>/<session>/project-<n>/              a project folder uploaded as a zip (the project view), unpacked

Both output folders are written as ``jcmwb run`` writes its own: in a staging folder moved
into place in one step, and only over a folder jcmwb wrote (``jcmwb.run.output_folder``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import shutil
import signal
import stat
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from jcmwb.engine.compute import Result
    from jcmwb.run.runner import RunOutcome


class TimeLimitExceeded(Exception):  # noqa: N818 - reads as what happened
    """A calculation of the page took longer than ``jcmwb app --timeout`` allows."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"stopped after {seconds} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop the block with :class:`TimeLimitExceeded` after ``seconds`` (wall clock).

    The page's callbacks run in the kernel's main thread, where a timer signal interrupts
    the calculation between two Python steps; elsewhere (a thread, a platform without
    ``setitimer``) the block runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# A project zip: at most this many files (a project has a few period files and their data).
MAX_ZIP_FILES = 1000
_CHUNK = 1 << 20


class ZipRefused(Exception):  # noqa: N818 - reads as what happened
    """An uploaded project zip that is not unpacked: ``key`` is the app's message, ``values`` its parts."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _member_parts(info: zipfile.ZipInfo) -> list[str]:
    """The folders and name of a zip member, checked: no absolute path, no ``..``, plain files and folders only."""
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        raise ZipRefused("zip_absolute", member=name)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ZipRefused("zip_parent", member=name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ZipRefused("zip_link", member=name)
    # No type bits (zips made by many tools, Python's writestr too): a plain file.
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ZipRefused("zip_special", member=name)
    if info.flag_bits & 0x1:
        raise ZipRefused("zip_encrypted", member=name)
    return parts


def unpack_zip(content: bytes | memoryview, target: Path, *, max_bytes: int, max_files: int = MAX_ZIP_FILES) -> None:
    """Unpack a zip into ``target`` (a new folder), or refuse it whole, writing nothing.

    Every member is checked before anything is written: no absolute path, no ``..``, no
    symbolic link or other special file, nothing encrypted, at most ``max_files`` files and
    ``max_bytes`` declared unpacked. The bytes actually unpacked are counted as well (the
    declared sizes of a crafted zip may lie), and each file is written below ``target`` only
    (checked on the resolved path). A refusal met while writing removes ``target``, which this
    function made.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ZipRefused("zip_not_zip") from exc
    files = []
    for info in members:
        parts = _member_parts(info)
        if parts and not info.is_dir():
            files.append((info, parts))
    if len(files) > max_files:
        raise ZipRefused("zip_too_many", count=len(files), limit=max_files)
    if sum(info.file_size for info, _ in files) > max_bytes:
        raise ZipRefused("zip_too_large")
    target.mkdir(parents=True)
    root = target.resolve()
    written = 0
    try:
        for info, parts in files:
            path = root.joinpath(*parts)
            if root not in path.resolve().parents:
                raise ZipRefused("zip_parent", member=info.filename)
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(path, "xb") as out:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise ZipRefused("zip_too_large")
                    out.write(chunk)
    except ZipRefused:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:  # a damaged member, a clash (two members, one name)
        shutil.rmtree(target, ignore_errors=True)
        raise ZipRefused("zip_not_zip") from exc


def project_root(folder: Path) -> Path:
    """The folder holding ``project.yaml`` in an unpacked zip: at its top or in one folder below."""
    found = sorted({p.parent for p in folder.rglob("project.yaml") if p.is_file()}, key=lambda p: (len(p.parts), str(p)))
    if not found:
        raise ZipRefused("zip_no_project")
    top = [p for p in found if len(p.parts) == len(found[0].parts)]
    if len(top) > 1:
        raise ZipRefused("zip_two_projects", folders=", ".join(p.relative_to(folder).as_posix() for p in top))
    return found[0]


def safe_name(name: str, fallback: str = "data") -> str:
    """A file name without folders or characters a shell or another system would stumble on."""
    base = Path(str(name).replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return cleaned or fallback


class Session:
    """The work folder of one page (one kernel)."""

    def __init__(self, work_root: str | Path) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.dir = Path(work_root).resolve() / f"{stamp}-{secrets.token_hex(4)}"
        self.input = self.dir / "input"
        self.output = self.dir / "output"
        self.record = self.dir / "record"
        self.uploads: dict[str, Path] = {}  # parameter -> its uploaded file

    def save_upload(self, parameter: str, name: str, content: bytes | memoryview) -> Path:
        """Keep an uploaded file under its own name (the sheet cites it); a clash gets a prefix."""
        self.input.mkdir(parents=True, exist_ok=True)
        target = self.input / safe_name(name)
        others = {p for k, p in self.uploads.items() if k != parameter}
        if target in others:
            target = self.input / f"{parameter}-{target.name}"
        previous = self.uploads.get(parameter)
        with open(target, "wb") as handle:
            handle.write(content)
        if previous is not None and previous != target and previous not in others:
            previous.unlink(missing_ok=True)
        self.uploads[parameter] = target
        return target

    def drop_upload(self, parameter: str) -> None:
        path = self.uploads.pop(parameter, None)
        if path is not None and path not in self.uploads.values():
            path.unlink(missing_ok=True)

    def write_text(self, name: str, text: str) -> Path:
        self.input.mkdir(parents=True, exist_ok=True)
        target = self.input / safe_name(name)
        target.write_text(text, encoding="utf-8")
        return target

    def write_period(self, mapping: dict[str, Any]) -> Path:
        """The monitoring-period file, named after the project and the period."""
        project = safe_name(str(mapping["project"]["id"]), "project")
        name = f"{project}_{mapping['period']['start']}_{mapping['period']['end']}.yaml"
        for old in self.input.glob("*.yaml") if self.input.exists() else []:
            if old.name != name:  # one period file per session: the current one
                old.unlink()
        header = "# Monitoring-period file written by the jcmwb app; run it again with: jcmwb run " + name + "\n"
        return self.write_text(name, header + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True, width=120))

    def write_outputs(self, result: Result) -> Path:
        """The outputs made from the page's Result (the sheet), by the writer ``jcmwb run`` uses; their folder."""
        from jcmwb.run.output_folder import check_output_folder, discard, publish, staging_folder
        from jcmwb.run.outputs import RESULT_JSON, write_result_outputs

        target = check_output_folder(self.output, self.uploads.values(), option="the app's output folder")
        staging = staging_folder(target)
        try:
            write_result_outputs(result, staging)
            # The kernel's summary is for the runner of jcmwb run; the page holds the Result itself.
            (staging / RESULT_JSON).unlink(missing_ok=True)
            publish(staging, target)
        except BaseException:
            discard(staging)
            raise
        return target

    def unpack_project(self, content: bytes | memoryview, *, max_bytes: int, max_files: int = MAX_ZIP_FILES) -> Path:
        """An uploaded project zip, unpacked into a new ``project-<n>/`` of this work folder; the folder of its project.yaml."""
        self.dir.mkdir(parents=True, exist_ok=True)
        n = 1
        while (self.dir / f"project-{n}").exists():
            n += 1
        target = self.dir / f"project-{n}"
        unpack_zip(content, target, max_bytes=max_bytes, max_files=max_files)
        return project_root(target)

    def make_record(self, period_file: Path) -> RunOutcome:
        """``jcmwb run period_file --out <session>/record``, in this process: the notebook of record, report, receipt."""
        from jcmwb.run.runner import run

        return run(period_file, self.record)
