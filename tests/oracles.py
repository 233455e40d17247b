"""The independent oracles of the test suite, and the rule that they cannot be skipped silently.

LibreOffice recalculates every produced sheet (the spreadsheet oracle) and Chromium drives
the app (the browser tests). Without them those tests would skip and the run would still be
green, so ``make test`` (``tests/run.sh``) runs ``python tests/oracles.py`` first: a missing
oracle fails the run with the command that installs it. Whoever knowingly runs without one
sets ``JCMWB_SKIP_ORACLES`` (``libreoffice``, ``chromium``, or both, comma-separated); the
skip is then printed again at the end of the run (``python tests/oracles.py --summary``).

``tests/conftest.py`` applies the same rule inside pytest: a test skipped because an oracle is
missing fails, unless that oracle is opted out.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OPT_OUT = "JCMWB_SKIP_ORACLES"


@dataclass(frozen=True)
class Oracle:
    name: str  # as written in JCMWB_SKIP_ORACLES
    what: str
    executables: tuple[str, ...]  # any one on PATH
    fixed_paths: tuple[str, ...]  # or any one of these files (Playwright is pointed at /usr/bin/chromium)
    install: str
    skip_reason: str  # the text (lower case) of the tests' skip reason when it is missing

    def present(self, which: Callable[[str], str | None] = shutil.which) -> bool:
        return any(which(e) for e in self.executables) or any(Path(p).exists() for p in self.fixed_paths)


ORACLES: tuple[Oracle, ...] = (
    Oracle(
        "libreoffice",
        "LibreOffice (soffice), the spreadsheet oracle that recalculates every produced sheet",
        ("soffice", "libreoffice"),
        (),
        "apt-get install -y --no-install-recommends libreoffice-calc",
        "libreoffice is not installed",
    ),
    Oracle(
        "chromium",
        "Chromium, the browser the app tests drive",
        ("chromium",),
        ("/usr/bin/chromium",),
        "apt-get install -y chromium",
        "chromium is not installed",
    ),
)


class OptOutError(ValueError):
    pass


def opted_out(environ: dict[str, str] | os._Environ[str] = os.environ) -> set[str]:
    """The oracles named in JCMWB_SKIP_ORACLES; an unknown name is an error, not ignored."""
    names = {n.strip().lower() for n in environ.get(OPT_OUT, "").split(",") if n.strip()}
    known = {o.name for o in ORACLES}
    unknown = sorted(names - known)
    if unknown:
        raise OptOutError(f"{OPT_OUT}: unknown oracle {', '.join(map(repr, unknown))}; expected a comma-separated list of {', '.join(sorted(known))}")
    return names


def check(environ: dict[str, str] | os._Environ[str] = os.environ, which: Callable[[str], str | None] = shutil.which) -> tuple[int, list[str]]:
    """(exit status, lines to print): 1 when an oracle is missing and not opted out."""
    try:
        skipped = opted_out(environ)
    except OptOutError as exc:
        return 1, [f"error: {exc}"]
    lines, status = [], 0
    for oracle in ORACLES:
        if oracle.present(which):
            continue
        if oracle.name in skipped:
            lines.append(f"note: {oracle.what} is missing; its tests are skipped ({OPT_OUT} names {oracle.name})")
            continue
        status = 1
        lines.append(
            f"error: {oracle.what} is missing, so its tests cannot run; install it (as root): {oracle.install}"
            f" (or run `make test-tools` as root), or set {OPT_OUT}={oracle.name} to run without it knowingly"
        )
    return status, lines


def summary(environ: dict[str, str] | os._Environ[str] = os.environ, which: Callable[[str], str | None] = shutil.which) -> list[str]:
    """The lines printed at the end of a run: each opted-out oracle that is missing."""
    try:
        skipped = opted_out(environ)
    except OptOutError:
        return []
    return [
        f"SKIPPED ORACLE: {o.name} ({OPT_OUT}): {o.what} is missing and its tests did not run; install it with: {o.install}"
        for o in ORACLES
        if o.name in skipped and not o.present(which)
    ]


def oracle_of_skip(reason: str) -> Oracle | None:
    """The oracle whose absence a test's skip reason states, if any."""
    text = reason.lower()
    return next((o for o in ORACLES if o.skip_reason in text), None)


def main(argv: list[str]) -> int:
    if argv[1:] == ["--summary"]:
        for line in summary():
            print(line)
        return 0
    status, lines = check()
    for line in lines:
        print(line, file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
