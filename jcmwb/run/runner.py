"""Headless runs: validate, execute the methodology notebook with papermill, write the outputs.

``run(period_file)`` validates the monitoring-period file and its data in-process first,
so bad input fails before any kernel starts and leaves nothing behind. The notebook then
runs in a staging folder beside the output folder and writes ``MRS.xlsx``; the runner adds
an HTML rendering without code and ``receipt.json``, and moves the folder into place in
one step. A notebook that fails after validation is kept in ``<out>.failed/`` for
inspection (as papermill does), never in the output folder.

Everything written is reproducible: the notebook is executed with paths relative to the
output folder and without timestamps, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from jcmwb import __version__
from jcmwb.engine import errors
from jcmwb.engine.errors import InputError, JcmwbError, RunError, SpecError
from jcmwb.engine.period import MonitoringPeriod, load_period
from jcmwb.engine.spec import METHODOLOGIES, ROOT
from jcmwb.library.paths import library_of, notebook_of, searching
from jcmwb.run import warm
from jcmwb.run.kernels import QUIET_KERNEL, is_start_failure, manager_class, start_timeout, start_with_retries
from jcmwb.run.output_folder import STAGING_MARKER, check_output_folder, discard, foreign_entries, publish, staging_folder
from jcmwb.run.outputs import HASHED, RECEIPT, RESULT_JSON, read_summary, write_text_atomically

# Outputs go below the working directory unless --out or --reports says otherwise.
REPORTS = Path("reports")
# Seconds a single cell may run; a year of 15-minute data for many points takes far less.
EXECUTION_TIMEOUT = 1800
PACKAGES = ("pandas", "pint", "xlsxwriter", "openpyxl", "papermill", "nbconvert", "matplotlib", "numpy", "pyyaml")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """A path relative to the working directory when inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def default_output(period: MonitoringPeriod, reports: Path | None = None) -> Path:
    """``reports/<project>/<start>_<end>/``."""
    return (reports or Path.cwd() / REPORTS) / period.project_id / period.label


def input_files(period: MonitoringPeriod) -> list[tuple[str, Path]]:
    """Every input of a run: the monitoring-period file and each data file it names."""
    files: list[tuple[str, Path]] = []
    if period.path:
        files.append(("monitoring period", Path(period.path)))
    if period.project_file:  # what the period inherits (jcmwb.engine.project)
        files.append(("project", Path(period.project_file)))
    for item in period.monitored.values():
        if item.data is not None and all(p != Path(item.data) for _, p in files):
            files.append((f"data for {item.name}", Path(item.data)))
    return files


@dataclass
class RunOutcome:
    """Where a run's outputs are, and its result as the kernel computed it."""

    out_dir: Path
    summary: dict[str, Any]  # jcmwb.engine.compute.Result.summary(), from the kernel
    receipt: dict[str, Any]

    @property
    def result_name(self) -> str:
        return self.receipt["result"]["name"]

    @property
    def er(self) -> float:
        return self.summary["values"][self.result_name]["value"]

    @property
    def unit(self) -> str:
        return self.summary["values"][self.result_name]["unit"]


def run(period_file: str | Path, out: str | Path | None = None, *, notebook: str | Path | None = None, reports: str | Path | None = None) -> RunOutcome:
    """Validate one monitoring period and run its notebook, the calculation of record.

    The period file is read and checked here (strictly, against its spec) before any kernel
    starts; the calculation itself runs once, in the notebook's kernel. A bad input found
    there (the monitoring data) is raised here as the same error, and nothing is written.
    """
    with warm.ahead():  # the kernel starts while the period is validated (jcmwb.run.warm)
        return _run(period_file, out, notebook, reports)


def _run(period_file: str | Path, out: str | Path | None, notebook: str | Path | None, reports: str | Path | None) -> RunOutcome:
    period = load_period(period_file)
    spec = period.spec
    nb_path = Path(notebook) if notebook else notebook_of(spec.id, spec.path, METHODOLOGIES)
    if not nb_path.exists():
        raise RunError(f"no notebook for {spec.id}", file=str(nb_path), expected=f"notebooks/{spec.id}.ipynb (python -m jcmwb.run.notebook --generate {spec.id})")
    inputs = [path for _, path in input_files(period)]
    out_dir = check_output_folder(out if out else default_output(period, Path(reports) if reports else None), inputs, option="--out" if out else "--reports")
    staging = staging_folder(out_dir)
    try:
        _execute(nb_path, staging, out_dir, Path(period.path), library_of(spec.path) if spec.path else ROOT)
        summary = read_summary(staging)
        (staging / RESULT_JSON).unlink()
        _html(staging / "notebook.ipynb", staging / "report.html")
        receipt = make_receipt(summary, period, nb_path, staging)
        write_text_atomically(staging / RECEIPT, json.dumps(receipt, indent=2) + "\n")
        publish(staging, out_dir)
    except BaseException:
        discard(staging)
        raise
    _remove_failed(out_dir)
    return RunOutcome(out_dir, summary, receipt)


def _input_error(exc: Exception) -> JcmwbError | None:
    """The kernel's error as the engine raised it, when it is one of jcmwb's input errors."""
    kind = getattr(errors, str(getattr(exc, "ename", "")), None)
    if isinstance(kind, type) and issubclass(kind, (InputError, SpecError)):
        try:
            return kind(str(exc.evalue))  # the one-line message, as it was built in the kernel
        except TypeError:
            return InputError(str(exc.evalue))
    return None


def _execute(nb_path: Path, staging: Path, out_dir: Path, period_file: Path, library: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from jcmwb.run.notebook import KERNEL, scrub

    # Relative to the final folder, which has the same parent as the staging folder.
    relative = os.path.relpath(period_file.resolve(), out_dir)
    executed = staging / "notebook.ipynb"
    try:
        timeout = start_timeout()  # before any kernel of its own starts
        with searching(library):  # the kernel finds the spec's library whatever its working directory

            def execute(attempt: int) -> None:
                # A warm kernel first (started again by its pool if it failed); one of its own after.
                kernel = warm.take(staging, nb_path) if attempt == 1 else None
                try:
                    papermill.execute_notebook(
                        str(nb_path),
                        str(executed),
                        parameters={"period_file": relative, "output_dir": "."},
                        kernel_name=KERNEL,
                        cwd=str(staging),
                        progress_bar=False,
                        log_output=False,
                        start_timeout=timeout,
                        execution_timeout=EXECUTION_TIMEOUT,
                        extra_arguments=QUIET_KERNEL,
                        kernel_manager_class=manager_class(),
                        **warm.engine(kernel),
                    )
                finally:
                    if kernel is not None:  # papermill failed before its engine took the kernel
                        kernel.close()

            start_with_retries(execute, kernel_name=KERNEL, timeout=timeout, file=str(nb_path))
    except PapermillExecutionError as exc:
        bad_input = _input_error(exc)
        if bad_input is not None:
            raise bad_input from None
        kept = _keep_failed(executed, out_dir)
        raise RunError(f"the notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}", file=str(nb_path), where=f"failed notebook kept in {kept}") from exc
    import nbformat

    book = scrub(nbformat.read(str(executed), as_version=4))
    book.metadata.pop("widgets", None)
    nbformat.write(book, str(executed))


# A kernel that fails at start-up prints its traceback and nbclient logs it (through papermill's
# logger); the retry above, or one structured error, is what the user should see instead.
def _not_a_kernel_start_failure(record: logging.LogRecord) -> bool:
    return not is_start_failure(record.getMessage())


logging.getLogger("papermill").addFilter(_not_a_kernel_start_failure)


def _html(notebook: Path, target: Path) -> None:
    # Readable offline: equations as MathML, no script from a CDN (jcmwb.run.html_report).
    from jcmwb.run.html_report import write_report

    write_report(notebook, target)


def _failed_folder(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".failed")


def _keep_failed(executed: Path, out_dir: Path) -> Path:
    """Keep a failed notebook in ``<out>.failed/`` (papermill's habit), never in the output folder.

    When ``<out>.failed`` holds something jcmwb did not write, the notebook stays in its own
    uniquely named folder instead.
    """
    failed = _failed_folder(out_dir)
    holder = staging_folder(failed)
    if executed.exists():
        shutil.copy2(executed, holder / "notebook.ipynb")
    try:
        return publish(holder, failed)
    except InputError:
        (holder / STAGING_MARKER).unlink(missing_ok=True)
        kept = Path(tempfile.mkdtemp(prefix=f"{failed.name}-", dir=failed.parent))
        os.replace(holder, kept / "failed")
        return kept / "failed"


def _remove_failed(out_dir: Path) -> None:
    """A successful run removes the failed notebook of an earlier attempt, if jcmwb wrote it."""
    failed = _failed_folder(out_dir)
    if failed.is_dir() and not failed.is_symlink() and not foreign_entries(failed):
        shutil.rmtree(failed, ignore_errors=True)


def make_receipt(summary: dict[str, Any], period: MonitoringPeriod, notebook: Path, out_dir: Path) -> dict[str, Any]:
    """What is needed to re-run offline and to prove the outputs came from these inputs.

    The format is ``jcmwb.run.receipts``' (format 2). Input paths are relative to ``out_dir``,
    the folder that holds the outputs (the staging folder during a run: it sits beside the
    final folder, so the paths are the same), so the receipt reads the same wherever the
    tree is copied. The spec and notebook are named by their place in the library, which
    does not depend on where the outputs go; ``receipt.json`` itself is not among the
    hashed outputs, since its hash cannot be inside itself.
    """
    from jcmwb.run.receipts import FORMAT, receipt_path

    def library(path: Path | None) -> str | None:
        if path is None:
            return None
        try:  # its place in its library (methodologies/<ID>/..., notebooks/<ID>.ipynb)
            return Path(path).resolve().relative_to(library_of(spec.path) if spec.path else ROOT).as_posix()
        except ValueError:
            return None  # not the library's: the checker uses the library's by id anyway

    spec = period.spec
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "receipt": FORMAT,
        "jcmwb_version": __version__,
        "python": platform.python_version(),
        "packages": packages,
        "methodology": {
            "id": spec.id,
            "version": summary["version"],
            "spec": library(spec.path),
            "spec_sha256": spec.sha256,
        },
        "project": {"id": period.project_id, "title": period.project_title},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "notebook": {"path": library(notebook), "sha256": sha256(notebook)},
        "inputs": [{"role": role, "path": receipt_path(path, out_dir), "sha256": sha256(path)} for role, path in input_files(period)],
        "outputs": {name: sha256(out_dir / name) for name in HASHED},
        "result": {
            "name": spec.result,
            "value": summary["values"][spec.result]["value"],
            "unit": spec.equations[spec.result].unit,
            "values": {n: summary["values"][n]["value"] for n in spec.equations},
        },
        "provisional_defaults": summary["provisional_defaults"],
        "warnings": summary["warnings"],
    }
