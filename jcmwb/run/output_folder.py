"""Output folders: jcmwb replaces only what it wrote itself, and publishes in one step.

Every folder jcmwb writes (a run's outputs, a verification report, the app's downloads)
carries a marker file, ``.jcmwb-output``, listing the files jcmwb put there. A folder may
be replaced only when it is absent, empty, or carries that marker and holds nothing
else; anything else is refused with an :class:`~jcmwb.engine.errors.InputError` (exit 2), so a
mistyped ``--out .`` can never delete a user's files. A folder that holds an input of the
run is refused as well, and a symbolic link is never followed out: the link itself is
refused.

Outputs are written into a staging folder beside the target and moved into place with
``os.replace``. A run killed half-way (``kill -9``) leaves its staging folder behind; the
next run on the same target removes such leftovers, but only those whose owning process
is gone and that carry the staging marker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from jcmwb.engine.errors import InputError, RunError

MARKER = ".jcmwb-output"
STAGING_MARKER = ".jcmwb-staging"
# How many foreign names an error lists before it says "and N more".
SHOWN = 5


def _absolute(path: str | Path) -> Path:
    """The absolute path with its parents resolved but not its last part (a link stays a link)."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name if absolute.name else absolute


def _marked_files(folder: Path) -> set[str] | None:
    """The files the marker says jcmwb wrote, or None when the folder has no valid marker."""
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("written_by") != "jcmwb" or not isinstance(content.get("files"), list):
        return None
    return {name for name in content["files"] if isinstance(name, str) and "/" not in name and name not in ("", ".", "..")}


def foreign_entries(folder: Path) -> list[str]:
    """Names in ``folder`` that jcmwb did not write there (every name, when there is no marker)."""
    entries = sorted(p.name for p in folder.iterdir())
    ours = _marked_files(folder)
    if ours is None:
        return entries
    ours.add(MARKER)
    return [name for name in entries if name not in ours or (folder / name).is_symlink() or not _own_entry(folder / name)]


def _own_entry(path: Path) -> bool:
    """A file, or a folder that is itself wholly jcmwb's (a project's period folders: jcmwb project)."""
    return path.is_file() or (path.is_dir() and _marked_files(path) is not None and not foreign_entries(path))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(out_dir: str | Path, inputs: Iterable[str | Path] = (), *, option: str = "--out") -> Path:
    """Refuse an output folder jcmwb may not replace; return its absolute path.

    Parameters
    ----------
    out_dir
        The folder the outputs are to go to (need not exist).
    inputs
        The run's input files: none may lie inside the output folder.
    option
        How the user named the folder (``--out``, ``--reports``), for the message.

    Raises
    ------
    InputError
        The folder is a link, a file, holds files jcmwb did not write, or holds an input.
    """
    target = _absolute(out_dir)
    shown = str(out_dir)
    if target.is_symlink():
        raise InputError("the output folder is a symbolic link; jcmwb does not write through links", file=shown, where=option, expected="a real folder, or a new name", found=f"a link to {os.readlink(target)}")
    if target.exists() and not target.is_dir():
        raise InputError("the output folder is a file", file=shown, where=option, expected="a folder (new, empty, or written by jcmwb)", found="a file")
    if target == Path(target.anchor):
        raise InputError("the output folder is the file-system root", file=shown, where=option, expected="a folder of its own, e.g. reports/<project>")
    for item in inputs:
        real = Path(item).resolve()
        if _inside(real, target.resolve() if target.exists() else target):
            raise InputError("the output folder holds an input of this run; jcmwb would replace it", file=shown, where=option, expected="a folder that holds no input", found=str(item))
    if target.is_dir():
        try:
            foreign = foreign_entries(target)
        except OSError as exc:
            raise InputError("the output folder cannot be read", file=shown, where=option, expected="a readable folder", found=exc.strerror or type(exc).__name__) from exc
        if foreign:
            listed = ", ".join(foreign[:SHOWN]) + (f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else "")
            raise InputError(
                "the output folder holds files jcmwb did not write; jcmwb replaces only its own folders",
                file=shown,
                where=option,
                expected="a new or empty folder, or one written by jcmwb",
                found=listed,
            )
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftover_pid(name: str, target: Path) -> int | None:
    match = re.fullmatch(re.escape(f".{target.name}.") + r"(?:staging|old)-(\d+)-.+", name)
    return int(match.group(1)) if match else None


def clean_leftovers(target: Path) -> list[Path]:
    """Remove staging folders beside ``target`` left by runs that were killed; returns what was removed.

    Only folders named like jcmwb's staging folders for this target, whose process is gone,
    and which carry the staging marker (or are empty: killed before the marker was written).
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for entry in target.parent.iterdir():
        pid = _leftover_pid(entry.name, target)
        if pid is None or _alive(pid) or entry.is_symlink() or not entry.is_dir():
            continue
        contents = list(entry.iterdir())
        marked = (entry / STAGING_MARKER).is_file() or (entry / "old" / MARKER).is_file()
        if marked or not contents:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


# Folders a staging folder's run created above it (e.g. ``reports/<project>/``): a run that fails
# removes them again if they are still empty, so a failed run leaves nothing behind.
_CREATED_PARENTS: dict[Path, list[Path]] = {}


def staging_folder(out_dir: str | Path) -> Path:
    """A new private folder beside ``out_dir`` to write the outputs into; stale ones are cleaned first."""
    target = _absolute(out_dir)
    created = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
        (staging / STAGING_MARKER).touch()
        _CREATED_PARENTS[staging] = created  # deepest first
    except OSError as exc:
        raise InputError("cannot write beside the output folder", file=str(target.parent), expected="a folder you may write to", found=exc.strerror or type(exc).__name__) from exc
    return staging


def _publish_permissions(folder: Path) -> None:
    """Temporary files are private (0600); published outputs follow the user's umask."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    for item in folder.iterdir():
        item.chmod((0o777 if item.is_dir() else 0o666) & ~umask)  # a folder needs its x bit to be entered


def publish(staging: Path, out_dir: str | Path) -> Path:
    """Move the staging folder into place as ``out_dir`` in one step, with the marker.

    ``out_dir`` is checked again just before it is replaced, so a folder that gained other
    files since the run started is still refused.
    """
    target = check_output_folder(out_dir)
    _CREATED_PARENTS.pop(staging, None)
    (staging / STAGING_MARKER).unlink(missing_ok=True)
    files = sorted(p.name for p in staging.iterdir() if p.name != MARKER)
    (staging / MARKER).write_text(json.dumps({"written_by": "jcmwb", "files": files}, indent=1) + "\n", encoding="utf-8")
    _publish_permissions(staging)
    try:
        if target.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
            os.replace(target, trash / "old")
            os.replace(staging, target)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(staging, target)
    except OSError as exc:
        raise RunError("the output folder changed while jcmwb was writing it (another run at the same time?)", file=str(target), found=exc.strerror or type(exc).__name__) from exc
    return target


def discard(staging: Path) -> None:
    """Remove a staging folder this process made (after a failure), and the empty folders it needed."""
    if (staging / STAGING_MARKER).exists() or (staging / MARKER).exists():
        shutil.rmtree(staging, ignore_errors=True)
    for folder in _CREATED_PARENTS.pop(staging, []):
        try:
            folder.rmdir()  # only an empty folder: another run may have put its outputs there meanwhile
        except OSError:
            break


def listing(folder: Path) -> list[str]:
    """The files of an output folder as a user should see them (without the marker)."""
    return sorted(p.name for p in folder.iterdir() if p.name != MARKER)
