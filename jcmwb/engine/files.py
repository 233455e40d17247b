"""Reading input files safely: regular files only, size-capped, never blocking.

Every file a user names (a monitoring-period file, a spec, a data file) is read through
``read_input``: a FIFO would block the read forever and ``/dev/zero`` never ends, a folder
or a device is no file at all, and a file of gigabytes is no monitoring input. Each of
these is refused with one error naming the file, what was expected and what was found.
The file is opened without blocking and checked on the open descriptor, so what is checked
is what is read.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from jcmwb.engine.errors import DataError, JcmwbError
from jcmwb.engine.numbers import format_number

MB = 2**20
# An .xlsx may unpack to this many times the largest file read: a few kB of ZIP can unpack to
# gigabytes, and a workbook's reader holds it all in memory.
XLSX_UNPACK_FACTOR = 4
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # OLE/CDF compound file: encrypted OOXML, or .xls


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


def check_workbook(data: bytes, file: str, *, limit: int, csv: bool = True) -> None:
    """Refuse what is no readable .xlsx before a reader sees it, each with its own message.

    An .xlsx is a ZIP container. An encrypted (password-protected) one is an OLE compound
    file holding an ``EncryptedPackage`` stream, which the readers report as a missing
    import or a bad ZIP; an old .xls renamed .xlsx is an OLE file without it. A ZIP that
    unpacks to more than :data:`XLSX_UNPACK_FACTOR` times ``limit`` is refused before it is
    unpacked (Python's ZIP reader stops at each member's declared size, so the declared sizes
    bound what a reader can unpack).

    Parameters
    ----------
    data
        The file's bytes (from :func:`read_input`, at most ``limit`` of them).
    file
        The file, for the message.
    limit
        The largest file accepted [bytes].
    csv
        Whether a CSV would do instead (a data file), said in what was expected.

    Raises
    ------
    DataError
        For an encrypted workbook, an .xls, a file that is no ZIP, a damaged ZIP, or one that
        unpacks beyond the bound. (The messages are the engine's; the app translates them.)
    """
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DataError(
                "encrypted or password-protected workbook",
                file=file,
                expected=f"an .xlsx without a password (open it in Excel, remove the password under File > Info > Protect Workbook, save){', or a CSV' if csv else ''}",
                found="an encrypted workbook",
            )
        raise DataError("not an .xlsx workbook", file=file, expected=f"an Excel 2007+ .xlsx (save it as .xlsx){', or a CSV' if csv else ''}", found="an Excel 97-2003 (.xls) or other OLE file")
    if not data.startswith(b"PK\x03\x04"):
        raise DataError("not an .xlsx workbook", file=file, expected=f"an Excel .xlsx file (a ZIP container){', or a CSV' if csv else ''}", found=f"a file starting with {data[:8]!r}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError("damaged .xlsx workbook", file=file, expected="a complete .xlsx file", found=f"a broken ZIP container ({exc})") from exc
    if unpacked > XLSX_UNPACK_FACTOR * limit:
        raise DataError("workbook too large once unpacked", file=file, expected=f"at most {size_text(XLSX_UNPACK_FACTOR * limit)} unpacked", found=size_text(unpacked))
