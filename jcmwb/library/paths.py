"""Where the methodology libraries are: specs (``methodologies/``) and their notebooks (``notebooks/``).

A library is a folder holding ``methodologies/<ID>/methodology.yaml`` and, beside it,
``notebooks/<ID>.ipynb`` (and, for authors, ``data/examples/<ID>/`` and ``tests/cases/<ID>/``).
jcmwb looks for a methodology id in these libraries, first match wins:

1. the folders named by ``JCMWB_LIBRARY`` (``os.pathsep``-separated; ``jcmwb new --library``
   names one);
2. the working directory, when it holds a ``methodologies/`` folder (an author's own library,
   where ``jcmwb new`` writes);
3. jcmwb's own library: the checkout the package runs from (an editable install), or the
   copy shipped inside the installed package (a wheel).

A methodology is always named by its id and resolved inside one of these folders; a link
that leads out of its library is not followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CHECKOUT = PACKAGE.parent
BUNDLED = PACKAGE / "_library"
ENVIRONMENT = "JCMWB_LIBRARY"


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "methodologies").is_dir()


# jcmwb's own library: the checkout when running from one, else the copy in the wheel.
HOME = CHECKOUT if _is_checkout(CHECKOUT) else BUNDLED


def methodology_folders(home: Path) -> list[Path]:
    """The ``methodologies/`` folders searched for an id, in order, ending with ``home``."""
    folders: list[Path] = []
    named = [Path(p) / "methodologies" for p in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if p]
    # jcmwb's own library (the checkout or the wheel's copy) is always `home`, searched last,
    # also when the working directory is the checkout.
    own = {(CHECKOUT / "methodologies").resolve(), (BUNDLED / "methodologies").resolve()}
    for folder in [*named, Path.cwd() / "methodologies"]:
        if folder.is_dir() and folder.resolve() not in own and folder.resolve() not in [f.resolve() for f in folders]:
            folders.append(folder)
    folders.append(Path(home))
    return folders


def library_of(spec_file: Path) -> Path:
    """The library folder that holds a spec file (``<library>/methodologies/<ID>/methodology.yaml``)."""
    return Path(spec_file).resolve().parent.parent.parent


def notebook_of(spec_id: str, spec_file: Path | None, home: Path) -> Path:
    """The methodology notebook: in the library of its spec (``<library>/notebooks/<ID>.ipynb``)."""
    library = library_of(spec_file) if spec_file is not None else Path(home).parent
    return library / "notebooks" / f"{spec_id}.ipynb"


@contextmanager
def searching(library: Path) -> Iterator[None]:
    """Put ``library`` first in the search for the duration (for a kernel started meanwhile,
    which inherits the environment and runs in another working directory)."""
    before = os.environ.get(ENVIRONMENT)
    os.environ[ENVIRONMENT] = os.pathsep.join([str(Path(library).resolve()), *filter(None, (before or "").split(os.pathsep))])
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = before
