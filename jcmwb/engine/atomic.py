"""Writing a file atomically: a reader sees the old content or the new, never a part.

The one implementation for every writer of jcmwb (the sheet writer, the notebook generator,
the run's outputs and receipt): the content is written to a temporary file in the target's
folder, then moved over the target in one step (``os.replace``); on any failure the temporary
file is removed and the target is left as it was. The engine writes nothing itself; this
module is here, at the bottom of the layers, so that every renderer can import it without
importing ``jcmwb.run``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: str | Path, write: Callable[[Path], object], *, suffix: str = "") -> Path:
    """Make ``path`` by calling ``write(temporary_path)``, then move the result into place.

    Parameters
    ----------
    path
        the file to make or replace; its folder must exist.
    write
        writes the complete content to the path it is given (a library's own
        ``save``/``write``, for formats written by name such as .xlsx).
    suffix
        the temporary file's ending, for writers that choose the format by it.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or ".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
