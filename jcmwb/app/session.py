"""One page's work folder: the uploaded files, the monitoring-period file, the outputs.

The app does not calculate the downloads itself: it writes what the user entered as a
monitoring-period file beside the uploaded data, exactly as a user of the command line
would, and runs ``jcmwb run`` on it. The downloads are therefore the files ``jcmwb run``
produces for those inputs, by construction. Layout::

    <work>/<session>/input/<period>.yaml      the monitoring-period file
    <work>/<session>/input/<data files>        uploads (by their own names) and typed monthly totals
    <work>/<session>/output/                   MRS.xlsx, notebook.ipynb, report.html, receipt.json
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jcmwb.engine.spec import ROOT

OUTPUTS = ("MRS.xlsx", "receipt.json", "report.html", "notebook.ipynb")


def safe_name(name: str, fallback: str = "data") -> str:
    """A file name without folders or characters a shell or another system would stumble on."""
    base = Path(str(name).replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return cleaned or fallback


@dataclass
class RunFiles:
    """What ``jcmwb run`` left: the output folder, or the reason it failed."""

    out_dir: Path | None
    error: str | None = None
    timed_out: bool = False

    def file(self, name: str) -> Path:
        assert self.out_dir is not None
        return self.out_dir / name


class Session:
    """The work folder of one page (one kernel)."""

    def __init__(self, work_root: str | Path) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.dir = Path(work_root).resolve() / f"{stamp}-{secrets.token_hex(4)}"
        self.input = self.dir / "input"
        self.output = self.dir / "output"
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

    def run(self, period_file: Path, timeout: int) -> RunFiles:
        """``jcmwb run period_file --out <session>/output``, stopped after ``timeout`` seconds."""
        command = [sys.executable, "-m", "jcmwb.cli", "run", str(period_file), "--out", str(self.output)]
        # A process group of its own: on timeout the notebook's kernel is stopped with it.
        process = subprocess.Popen(command, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return RunFiles(None, timed_out=True)
        if process.returncode != 0:
            lines = [line.removeprefix("error: ") for line in stderr.splitlines() if line.strip()]
            return RunFiles(None, error=lines[-1] if lines else f"jcmwb run ended with exit code {process.returncode}")
        return RunFiles(self.output)
