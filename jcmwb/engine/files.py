"""Reading input files safely: regular files only, size-capped, never blocking.

Every file a user names (a monitoring-period file, a spec, a data file) is read through
``read_input``: a FIFO would block the read forever and ``/dev/zero`` never ends, a folder
or a device is no file at all, and a file of gigabytes is no monitoring input. Each of
these is refused with one error naming the file, what was expected and what was found.
The file is opened without blocking and checked on the open descriptor, so what is checked
is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.numbers import format_number

MB = 2**20


def _kind(mode: int) -> str:
    """What a file is, in words, from its ``st_mode``."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def size_text(n: int) -> str:
    """``1536`` -> ``'1.5 kB'``: sizes in messages, binary multiples written as people read them."""
    for unit, scale in (("GB", 2**30), ("MB", MB), ("kB", 2**10)):
        if n >= scale:
            return f"{format_number(n / scale, 1)} {unit}"
    return f"{n} bytes"


def read_input(path: str | Path, *, limit: int, error: type[JcmwbError], what: str = "file", named_by: tuple[str, str] | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path
        The file; symbolic links are followed (a link to ``/dev/zero`` is a device).
    limit
        The largest size accepted, in bytes.
    error
        The error class raised (``InputError``, ``DataError``, ``SpecError``, ...).
    what
        What the file is, in the message (``"file"``, ``"data file"``).
    named_by
        ``(file, key)`` of the setting that named this file (e.g. the period file and
        ``monitored.EG_i_p.data``): errors then name that key, and the path in ``found``.

    Raises
    ------
    error
        The file does not exist, cannot be opened, is not a regular file (folder, FIFO,
        device, socket) or is larger than ``limit``.
    """
    path = Path(path)

    def fail(message: str, expected: str | None = None, found: str | None = None) -> JcmwbError:
        if named_by is None:
            return error(message, file=str(path), expected=expected, found=found)
        detail = f" ({found})" if found and found not in message else ""  # "a folder" is said once
        return error(message, file=named_by[0], where=named_by[1], expected=expected, found=f"{path}{detail}")

    regular = f"a regular {what} (not a folder, pipe or device)"
    irregular = "not a regular file" if what == "file" else f"{what} is not a regular file"

    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise fail(f"{what} not found") from exc
    except IsADirectoryError as exc:  # Windows refuses to open a folder; POSIX opens it and fstat says so
        raise fail(irregular, regular, "a folder") from exc
    except PermissionError as exc:
        raise fail(f"cannot read the {what}: permission denied") from exc
    except OSError as exc:
        raise fail(f"cannot open the {what} ({exc.strerror or type(exc).__name__})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise fail(irregular, regular, kind)
        if info.st_size > limit:
            raise fail(f"{what} too large", f"at most {size_text(limit)}", size_text(info.st_size))
    except BaseException:
        os.close(fd)  # os.fdopen refuses a folder's descriptor: close it by hand
        raise
    with os.fdopen(fd, "rb") as handle:
        try:
            # One byte more than allowed: a file that grows, or a /proc file that reports size 0,
            # is still bounded.
            data = handle.read(limit + 1)
        except OSError as exc:
            raise fail(f"cannot read the {what} ({exc.strerror or type(exc).__name__})") from exc
    if len(data) > limit:
        raise fail(f"{what} too large", f"at most {size_text(limit)}", f"more than {size_text(limit)}")
    return data


def decode_utf8(data: bytes, *, file: str, error: type[JcmwbError]) -> str:
    """UTF-8 text (a leading byte-order mark dropped); otherwise an error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            "not a UTF-8 text file",
            file=file,
            where=f"line {line}",
            expected="text saved as UTF-8",
            found=f"byte 0x{data[exc.start]:02x}",
        ) from exc
