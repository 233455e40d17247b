"""Re-running a receipt (``jcmwb verify --receipt receipt.json``): every input, output and result must match.

The receipt is read strictly (``jcmwb.run.receipts.read_receipt``). Its inputs must be the
monitoring-period file and exactly the data files that file names; its outputs exactly the
files a run writes. The spec and notebook are the library's for the methodology id. The
calculation is re-run beside the receipt's folder and every output compared byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.spec import load_spec
from jcmwb.verify.findings import ERROR, INCONSISTENCY, NOTE, Finding, failing
from jcmwb.verify.tolerance import is_number


@dataclass
class ReceiptCheck:
    """The outcome of re-running a receipt.

    ``inputs`` has one line per input entry (role, the file looked at, expected and found
    sha256); ``outputs`` one per output a run writes (expected, found in the re-run, and
    ``beside``: the file of that name beside the receipt), then ``receipt.json`` itself.
    """

    receipt: str
    findings: list[Finding] = field(default_factory=list)
    rerun_dir: str | None = None
    er_receipt: float | None = None
    er_rerun: float | None = None
    inputs: list[dict[str, str]] = field(default_factory=list)
    outputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        """True when the calculation was re-run and no finding is an error or an inconsistency."""
        return self.er_rerun is not None and not failing(self.findings)


MISSING = "missing"


def _digest(path: Path) -> str:
    """The sha256 of a regular file, or ``missing`` (a folder, a pipe or a device is not read)."""
    from jcmwb.run.runner import sha256

    return sha256(path) if path.is_file() else MISSING


def _environment_notes(receipt: dict[str, Any], check: ReceiptCheck) -> None:
    import platform
    from importlib import metadata

    from jcmwb import __version__
    from jcmwb.run.receipts import key_path, shown

    if receipt["jcmwb_version"] != __version__:
        check.findings.append(Finding(NOTE, "jcmwb_version", "jcmwb", f"the receipt was written by jcmwb {shown(receipt['jcmwb_version'])}, this is jcmwb {__version__}: outputs may differ for that reason alone", expected=shown(receipt["jcmwb_version"]), found=__version__))
    if receipt["python"] != platform.python_version():
        check.findings.append(Finding(NOTE, "python", "python", "another Python version than the receipt's: outputs may differ for that reason alone", expected=shown(receipt["python"]), found=platform.python_version()))
    for package, version in sorted(receipt["packages"].items()):
        try:
            now = metadata.version(package)
        except (metadata.PackageNotFoundError, ValueError):
            now = "not installed"
        if now != version:
            check.findings.append(Finding(NOTE, key_path("packages", package), shown(package, 40), "another package version than the receipt's", expected=shown(version), found=now))


def _check_library(receipt: dict[str, Any], check: ReceiptCheck) -> None:
    """The spec and notebook of the library, found by methodology id (never by a receipt's path)."""
    from jcmwb.engine.spec import ID_PATTERN
    from jcmwb.run.receipts import shown
    from jcmwb.run.runner import ROOT

    method = receipt["methodology"]
    spec = None
    if ID_PATTERN.fullmatch(method["id"]):
        try:
            spec = load_spec(method["id"])
        except JcmwbError:
            spec = None
    if spec is None:
        check.findings.append(Finding(ERROR, "methodology.id", shown(method["id"], 40), "no such methodology in the library", expected="one listed by `jcmwb list`", found=shown(method["id"])))
        return
    if spec.sha256 != method["spec_sha256"]:
        check.findings.append(Finding(ERROR, str(spec.path), spec.id, "the library's methodology spec differs from the one the receipt names", expected=method["spec_sha256"], found=spec.sha256))
    elif spec.version(method["version"]) is None:
        check.findings.append(Finding(ERROR, str(spec.path), spec.id, "the methodology version of the receipt is not in the spec", expected=", ".join(v.version for v in spec.versions), found=shown(method["version"])))
    notebook = ROOT / "notebooks" / f"{spec.id}.ipynb"
    found = _digest(notebook)
    if found != receipt["notebook"]["sha256"]:
        check.findings.append(Finding(ERROR, str(notebook), "notebook", "the library's methodology notebook differs from the one the receipt names", expected=receipt["notebook"]["sha256"], found=found))


def _check_output_entries(receipt: dict[str, Any], receipt_dir: Path, check: ReceiptCheck) -> dict[str, str]:
    """Exactly the outputs a run writes; returns the sha256 of each file of that name beside the receipt."""
    from jcmwb.run.outputs import HASHED as OUTPUTS
    from jcmwb.run.receipts import RECEIPT, key_path

    named = receipt["outputs"]
    for name in named:
        if name == RECEIPT:
            check.findings.append(Finding(ERROR, key_path("outputs", name), "output", "a receipt cannot hold its own hash (receipt.json is checked by re-running)", expected="no entry", found=name))
        elif name not in OUTPUTS:
            check.findings.append(Finding(ERROR, key_path("outputs", name), "output", "not an output of a run; it is not read", expected=", ".join(OUTPUTS), found=name))
    for name in OUTPUTS:
        if name not in named:
            check.findings.append(Finding(ERROR, "outputs", "output", f"an output of the run is missing from the receipt: {name}", expected=name, found="no entry"))
    beside: dict[str, str] = {}
    for name in OUTPUTS:
        file = receipt_dir / name
        beside[name] = MISSING if file.is_symlink() else _digest(file)
        if name not in named:
            continue
        if beside[name] == MISSING:
            check.findings.append(Finding(NOTE, str(file), "output", "not beside the receipt: only the re-run's is compared with the receipt"))
        elif beside[name] != named[name]:
            check.findings.append(Finding(ERROR, str(file), "output", "the file beside the receipt differs from the receipt's hash (changed since the run)", expected=named[name], found=beside[name]))
    return beside


def _check_inputs(receipt: dict[str, Any], receipt_dir: Path, check: ReceiptCheck) -> tuple[Path | None, bool]:
    """The receipt's inputs against those its monitoring-period file names; returns (period file, changed)."""
    from jcmwb.engine.period import load_period
    from jcmwb.run.receipts import PERIOD_ROLE, PERIOD_SUFFIXES, receipt_path, resolve, shown
    from jcmwb.run.runner import input_files

    entries = receipt["inputs"]
    periods = [n for n, item in enumerate(entries) if item["role"] == PERIOD_ROLE]
    if len(periods) != 1:
        message = "the receipt names no monitoring-period file: nothing to re-run" if not periods else f"the receipt names {len(periods)} monitoring-period files: which one was run is not known"
        check.findings.append(Finding(ERROR, "inputs", "inputs", message, expected=f"one entry with role '{PERIOD_ROLE}'", found=f"{len(periods)}"))
        return None, False
    where = f"inputs[{periods[0]}]"
    period_file = resolve(receipt_dir, entries[periods[0]]["path"])
    if period_file.suffix.lower() not in PERIOD_SUFFIXES:
        # Not read at all: a receipt may not make jcmwb open (or hash) an arbitrary file.
        check.findings.append(Finding(ERROR, f"{where}.path", PERIOD_ROLE, "not a monitoring-period file; it is not read", expected="a .yaml file", found=shown(entries[periods[0]]["path"])))
        return None, False
    if _digest(period_file) == MISSING:
        check.inputs.append({"role": PERIOD_ROLE, "path": str(period_file), "expected": entries[periods[0]]["sha256"], "found": MISSING})
        check.findings.append(Finding(ERROR, str(period_file), PERIOD_ROLE, "input file missing (keep the receipt's folder and its inputs at the same relative positions)", expected=entries[periods[0]]["sha256"], found=MISSING))
        return None, False
    try:
        period = load_period(period_file)
    except JcmwbError as exc:
        check.findings.append(Finding(ERROR, str(period_file), PERIOD_ROLE, f"the monitoring-period file cannot be read: {exc.line()}"))
        return None, False
    expected = {path.resolve(): role for role, path in input_files(period)}
    seen: set[Path] = set()
    changed = False
    for n, item in enumerate(entries):
        file = resolve(receipt_dir, item["path"])
        real = file.resolve()
        role = shown(item["role"])
        if real in seen:
            check.findings.append(Finding(ERROR, f"inputs[{n}]", role, "the same input is named twice", found=shown(item["path"])))
            continue
        seen.add(real)
        if real not in expected:
            # Only files the period file names are read: an added entry is never opened.
            check.inputs.append({"role": role, "path": str(file), "expected": item["sha256"], "found": "not an input"})
            check.findings.append(Finding(ERROR, f"inputs[{n}]", role, "not an input of this run (the monitoring-period file names no such file); it is not read", expected="one of " + ", ".join(receipt_path(p, receipt_dir) for p in expected), found=shown(item["path"])))
            continue
        if item["role"] != expected[real]:
            check.findings.append(Finding(ERROR, f"inputs[{n}].role", role, "the role of this input differs from the run's", expected=expected[real], found=role))
        found = _digest(file)
        check.inputs.append({"role": role, "path": str(file), "expected": item["sha256"], "found": found})
        if found != item["sha256"]:
            changed = True
            message = "input file missing" if found == MISSING else "input file changed since the receipt was written"
            check.findings.append(Finding(ERROR, str(file), role, message, expected=item["sha256"], found=found))
    for real, role in expected.items():
        if real not in seen:
            check.findings.append(Finding(ERROR, "inputs", role, f"an input of the run is missing from the receipt: {role}", expected=receipt_path(real, receipt_dir), found="no entry"))
    return period_file, changed


def _receipt_value(value: Any) -> Any:
    """A value of a receipt as a finding shows it: numbers as numbers, the rest as safe text."""
    from jcmwb.run.receipts import ABSENT, shown

    if value is ABSENT:
        return "(absent)"
    return value if is_number(value) else shown(value)


def _compare_receipts(receipt: dict[str, Any], path: Path, rerun_path: Path, check: ReceiptCheck) -> None:
    """The receipt against the one the re-run wrote: every result value, then every other key."""
    from jcmwb.run.receipts import ABSENT, ENVIRONMENT, RECEIPT, differences

    expected = _digest(path)
    found = _digest(rerun_path)
    check.outputs.append({"name": RECEIPT, "expected": expected, "found": found, "beside": "this file"})
    if found == MISSING:
        check.findings.append(Finding(ERROR, RECEIPT, "output", "the re-run wrote no receipt"))
        return
    rerun = json.loads(rerun_path.read_text(encoding="utf-8"))
    # Checked on their own, with their own messages: the inputs, the outputs, ER_p and the hashes
    # of spec and notebook; the environment gives notes only.
    separate = ("inputs", "outputs", "result.value", "methodology.spec_sha256", "notebook.sha256", *ENVIRONMENT)
    content = False
    for key, mine, theirs in differences(receipt, rerun):
        if any(key == s or key.startswith((s + ".", s + "[")) for s in separate):
            continue
        content = True
        if mine is ABSENT:
            message = "missing from the receipt (the re-run's receipt has it)"
        elif theirs is ABSENT:
            message = "not in the re-run's receipt: an entry the run does not have"
        elif key.startswith("result.values"):
            message = "re-run value differs from the receipt's"
        else:
            message = "the receipt differs from the re-run's receipt here"
        check.findings.append(Finding(ERROR, key, "receipt", message, expected=_receipt_value(mine), found=_receipt_value(theirs)))
    environment = any(f.cell.split(".")[0] in ENVIRONMENT for f in check.findings if f.severity == NOTE)
    explained = content or environment or any(f.severity != NOTE for f in check.findings)
    if expected != found and not explained:
        check.findings.append(Finding(NOTE, str(path), "receipt", "receipt.json is laid out differently from the re-run's, with the same content"))


def verify_receipt(path: str | Path, *, keep: str | Path | None = None) -> ReceiptCheck:
    """Re-run the calculation a receipt describes; every input, output and result must match.

    The receipt is read strictly (``jcmwb.run.receipts.read_receipt``). Its inputs must be the
    monitoring-period file and exactly the data files that file names; its outputs exactly
    the files a run writes. The spec and notebook are the library's for the methodology id.
    The re-run goes into a temporary folder beside the receipt's folder, so every path
    relative to it is the same and the same inputs give the same bytes; the receipt the
    re-run writes must equal the one given, key by key (the environment only gives notes).

    Parameters
    ----------
    path
        ``receipt.json`` written by ``jcmwb run``.
    keep
        Optional folder for the re-run's outputs (checked by the caller with
        ``jcmwb.run.output_folder.check_output_folder``; replaced only if jcmwb wrote it).

    Returns
    -------
    ReceiptCheck
        Findings: an entry added to or missing from the receipt (named), a changed or
        missing input, a changed spec, notebook or jcmwb version, an output that differs
        byte for byte (in the re-run or beside the receipt), a result value that differs.

    Raises
    ------
    InputError
        The file is not a well-formed receipt (the message names the key).
    """
    from jcmwb.run import runner
    from jcmwb.run.output_folder import publish
    from jcmwb.run.outputs import HASHED as HASHED_OUTPUTS
    from jcmwb.run.receipts import RECEIPT, read_receipt

    path = Path(path)
    receipt = read_receipt(path)
    receipt_dir = Path(os.path.abspath(path)).parent.resolve()
    check = ReceiptCheck(str(path), er_receipt=receipt["result"]["value"])
    _environment_notes(receipt, check)
    _check_library(receipt, check)
    beside = _check_output_entries(receipt, receipt_dir, check)
    period_file, changed = _check_inputs(receipt, receipt_dir, check)
    if period_file is None:
        return check
    base = receipt_dir.parent
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{receipt_dir.name}.rerun-", dir=base))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="jcmwb-rerun-"))
        check.findings.append(Finding(NOTE, str(base), "layout", "the re-run could not be written beside the original; notebook.ipynb, report.html and the receipt's paths may differ for that alone"))
    try:
        try:
            outcome = runner.run(period_file, work)
        except JcmwbError as exc:
            check.findings.append(Finding(ERROR, str(period_file), "run", f"the re-run failed: {exc.line()}"))
            return check
        check.er_rerun = outcome.er
        produced_dir = Path(outcome.out_dir)
        for name in HASHED_OUTPUTS:
            expected = receipt["outputs"].get(name)
            found = _digest(produced_dir / name)
            check.outputs.append({"name": name, "expected": expected or "no entry", "found": found, "beside": beside[name]})
            if expected is not None and found != expected:
                check.findings.append(Finding(INCONSISTENCY if changed else ERROR, name, "output", "re-run output differs byte for byte" + (" (an input changed)" if changed else ""), expected=expected, found=found))
        if check.er_receipt != outcome.er:
            check.findings.append(Finding(ERROR, "result.value", receipt["methodology"]["id"], "re-run ER_p differs from the receipt's", expected=check.er_receipt, found=outcome.er))
        _compare_receipts(receipt, path, produced_dir / RECEIPT, check)
        if keep is not None:
            check.rerun_dir = str(publish(produced_dir, keep))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check
