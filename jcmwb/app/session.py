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

Both output folders are written as ``jcmwb run`` writes its own: in a staging folder moved
into place in one step, and only over a folder jcmwb wrote (``jcmwb.run.output_folder``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import signal
import threading
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

    def make_record(self, period_file: Path) -> RunOutcome:
        """``jcmwb run period_file --out <session>/record``, in this process: the notebook of record, report, receipt."""
        from jcmwb.run.runner import run

        return run(period_file, self.record)
