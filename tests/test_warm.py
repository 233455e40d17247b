"""Warm kernels (jcmwb.run.warm): the same bytes as a kernel started for the notebook, and no kernel left behind.

A run in a warm kernel must be indistinguishable in its outputs from a run in a fresh kernel:
the kernel was started ahead of need with modules imported silently, then handed the working
directory and the JCMWB_* variables. Each test that starts kernels is marked slow.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from jcmwb.engine.errors import RunError
from jcmwb.run import runner, warm

EXAMPLES = ROOT / "data" / "examples"
OUTPUTS = ("MRS.xlsx", "notebook.ipynb", "report.html", "receipt.json")


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each notebook of the test ran in a warm kernel (so a cold fallback cannot pass for warm)."""
    calls: list[bool] = []
    original = warm.engine

    def recorded(kernel: warm.WarmKernel | None) -> dict:
        calls.append(kernel is not None)
        return original(kernel)

    monkeypatch.setattr(warm, "engine", recorded)
    return calls


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]


@pytest.mark.slow
def test_warm_runs_write_the_bytes_of_cold_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_calls: list[bool]) -> None:
    periods = [EXAMPLES / "TH_AM001" / "EXAMPLE-TH001_2021.yaml", EXAMPLES / "ID_AM002" / "EXAMPLE-ID001_2021.yaml", EXAMPLES / "CL_AM001" / "EXAMPLE-CL001_2020.yaml"]
    with warm.using(warm.KernelPool(1)):  # each run takes a warm kernel; the next one starts meanwhile
        for period in periods:
            runner.run(period, tmp_path / "warm" / period.parent.name)
    assert engine_calls == [True, True, True]
    monkeypatch.setenv(warm.SWITCH, "0")
    for period in periods:
        runner.run(period, tmp_path / "cold" / period.parent.name)
    assert engine_calls[3:] == [False, False, False]
    for period in periods:
        for name in OUTPUTS:
            warm_file, cold_file = (tmp_path / kind / period.parent.name / name for kind in ("warm", "cold"))
            assert warm_file.read_bytes() == cold_file.read_bytes(), f"{period.parent.name}/{name} differs between a warm and a cold kernel"
        counts = [c.execution_count for c in code_cells(tmp_path / "warm" / period.parent.name / "notebook.ipynb")]
        assert counts == list(range(1, len(counts) + 1))  # the silent imports did not count


PROBE = """
import os, sys
print(os.getcwd())
print(os.environ.get("JCMWB_LIBRARY"), os.environ.get("JCMWB_WARM_TEST"))
print(sys.path)
print(sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython")))
print(len(In), len(Out), get_ipython().execution_count, os.environ.get("MPLBACKEND"))
"""
# Once the notebook has imported what the warm kernel imported ahead, nothing tells them apart:
# the same modules, the same warning filters (numpy adds four), the same matplotlib backend.
AFTER_IMPORTS = f"""
import {", ".join(warm.PRELOAD)}
import sys, warnings, hashlib
import matplotlib
print(len(sys.modules), hashlib.sha256(" ".join(sorted(sys.modules)).encode()).hexdigest())
print(warnings.filters)
print(matplotlib.get_backend())
"""


@pytest.mark.slow
def test_a_warm_kernel_is_in_the_state_of_a_fresh_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(PROBE), nbformat.v4.new_code_cell(AFTER_IMPORTS)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    probe = tmp_path / "probe.ipynb"
    nbformat.write(book, str(probe))
    pool = warm.KernelPool(1, replace=False)
    # Changed after the kernel started: handed over as a kernel started now would inherit it.
    monkeypatch.setenv("JCMWB_LIBRARY", str(tmp_path / "library"))
    monkeypatch.setenv("JCMWB_WARM_TEST", "handed over")
    outputs = {}
    for kind in ("warm", "cold"):
        folder = tmp_path / kind / "run"  # the same depth: the same relative paths
        folder.mkdir(parents=True)
        kernel = pool.take() if kind == "warm" else None
        assert kind == "cold" or kernel.fits(folder)
        papermill.execute_notebook(str(probe), str(folder / "out.ipynb"), kernel_name="python3", cwd=str(folder), progress_bar=False, **warm.engine(kernel))
        cells = code_cells(folder / "out.ipynb")
        assert [c.execution_count for c in cells] == [1, 2]
        outputs[kind] = [[o.get("text", "").replace(str(folder), "FOLDER") for o in c.outputs] for c in cells]
    pool.close()
    assert outputs["warm"] == outputs["cold"]
    assert "FOLDER\n" in outputs["warm"][0][0] and "handed over" in outputs["warm"][0][0]


@pytest.mark.slow
def test_a_warm_kernel_does_not_stand_in_when_other_variables_changed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pool = warm.KernelPool(1, replace=False)
    try:
        kernel = pool.take()
        assert kernel.fits(tmp_path)
        monkeypatch.setenv("JCMWB_ANYTHING", "read when the notebook runs")
        assert kernel.fits(tmp_path)
        monkeypatch.setenv("PYTHONHASHSEED", "7")  # read when the kernel starts: not the same kernel
        assert not kernel.fits(tmp_path)
        kernel.close()
    finally:
        pool.close()


def failing_notebook(tmp_path: Path) -> Path:
    book = nbformat.read(str(ROOT / "notebooks" / "TH_AM001.ipynb"), as_version=4)
    book.cells.insert(3, nbformat.v4.new_code_cell('raise ValueError("the notebook itself is wrong")'))
    path = tmp_path / "TH_AM001.ipynb"
    nbformat.write(book, str(path))
    return path


@pytest.mark.slow
def test_a_failing_notebook_in_a_warm_kernel_fails_as_in_a_cold_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_calls: list[bool]) -> None:
    notebook = failing_notebook(tmp_path)
    period = EXAMPLES / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
    lines, kept = {}, {}
    for kind in ("warm", "cold"):
        if kind == "cold":
            monkeypatch.setenv(warm.SWITCH, "0")
        out = tmp_path / kind / "out"
        with pytest.raises(RunError) as caught:
            runner.run(period, out, notebook=notebook)
        lines[kind] = caught.value.line().replace(str(out), "OUT")
        assert not out.exists()
        kept[kind] = code_cells(tmp_path / kind / "out.failed" / "notebook.ipynb")
    assert engine_calls == [True, False]
    assert lines["warm"] == lines["cold"]
    assert "ValueError: the notebook itself is wrong" in lines["warm"] and "OUT.failed" in lines["warm"]
    assert [(c.execution_count, c.outputs) for c in kept["warm"]] == [(c.execution_count, c.outputs) for c in kept["cold"]]
    assert kept["warm"][3].outputs[0].output_type == "error"


def killing_arguments(dies: int) -> object:
    """launch_arguments for WarmKernel whose first ``dies`` kernels exit before answering."""
    attempts: list[int] = []
    original = warm.WarmKernel.launch_arguments

    def arguments(self: warm.WarmKernel, attempt: int) -> list[str]:
        attempts.append(attempt)
        dying = ["--IPKernelApp.exec_lines=import os; os._exit(3)"] if attempt <= dies else []
        return [*original(self, attempt), *dying]

    arguments.attempts = attempts  # type: ignore[attr-defined]
    return arguments


@pytest.mark.slow
def test_a_warm_kernel_that_dies_at_start_up_is_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    arguments = killing_arguments(dies=2)
    monkeypatch.setattr(warm.WarmKernel, "launch_arguments", arguments)
    with warm.using(warm.KernelPool(1, replace=False)):
        kernel = warm.take(tmp_path)
        assert arguments.attempts == [1, 2, 3]
        book = nbformat.v4.new_notebook()
        book.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(book, str(tmp_path / "in.ipynb"))
        papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(tmp_path), progress_bar=False, **warm.engine(kernel))
    assert code_cells(tmp_path / "out.ipynb")[0].outputs[0].text == "42\n"


@pytest.mark.slow
def test_a_warm_kernel_that_never_starts_is_the_runs_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = killing_arguments(dies=99)
    monkeypatch.setattr(warm.WarmKernel, "launch_arguments", arguments)
    with warm.using(warm.KernelPool(1, replace=False)), pytest.raises(RunError) as caught:
        warm.take(tmp_path, notebook="notebooks/TH_AM001.ipynb")
    assert arguments.attempts == [1, 2, 3, 4]
    assert caught.value.line() == "notebooks/TH_AM001.ipynb: the notebook's kernel (python3) failed to start 4 times (it died or did not answer within 60 s); check that 'python -m ipykernel' starts in this environment"


@pytest.mark.slow
def test_imports_that_print_are_not_done_ahead(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # In a fresh kernel the notebook's first cell would print what the import prints: the pool
    # drops such imports rather than swallow the output.
    monkeypatch.setattr(warm, "PRELOAD", ("this",))  # prints the Zen of Python when imported
    pool = warm.KernelPool(1)
    try:
        kernel = pool.take()
        assert pool.preload == () and kernel.preload == () and kernel.clean
        kernel.close()
    finally:
        pool.close()


# -- no kernel left behind ------------------------------------------------------------------------
def marked(mark: str) -> list[str]:
    """Processes whose environment carries the mark (a batch and everything it started), by command."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"JCMWB_TEST_MARK={mark}".encode() in environ.split(b"\0"):
            found.append(f"{entry}: {command}")
    return found


def wait_until_none(mark: str, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def three_examples(tmp_path: Path) -> Path:
    folder = tmp_path / "periods"
    for name in ("TH_AM001", "ID_AM002", "CL_AM001"):
        shutil.copytree(EXAMPLES / name, folder / name)
    return folder


@pytest.mark.slow
def test_no_kernel_outlives_a_batch(tmp_path: Path) -> None:
    mark = uuid.uuid4().hex
    env = {**os.environ, "JCMWB_TEST_MARK": mark, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "batch", str(three_examples(tmp_path)), "--jobs", "2", "--reports", str(tmp_path / "reports")], capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 ok" in done.stdout + done.stderr
    assert marked(mark) == []  # at once: the workers shut their warm kernels down before exiting


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["kill -9", "Ctrl-C"])
def test_no_kernel_outlives_a_stopped_batch(tmp_path: Path, stop: str) -> None:
    mark = uuid.uuid4().hex
    env = {**os.environ, "JCMWB_TEST_MARK": mark, "PYTHONPATH": str(ROOT)}
    batch = subprocess.Popen(
        [sys.executable, "-m", "jcmwb.cli", "batch", str(three_examples(tmp_path)), "--jobs", "2", "--reports", str(tmp_path / "reports")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 300
        while not any("ipykernel" in p for p in marked(mark)):
            assert batch.poll() is None and time.monotonic() < deadline, "the batch started no kernel"
            time.sleep(0.2)
        if stop == "kill -9":
            batch.kill()  # the batch process alone: its workers and kernels are orphaned
        else:
            os.killpg(batch.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        batch.wait(timeout=300)
        # kill -9: each orphaned worker notices within a second, shuts its kernels down, exits.
        assert wait_until_none(mark, 60) == []
    finally:
        for line in marked(mark):  # leave nothing behind even when the test fails
            os.kill(int(line.split(":")[0]), signal.SIGKILL)


# -- no kernel needed -----------------------------------------------------------------------------
def test_papermill_is_imported_without_the_iri_grammar() -> None:
    code = (
        "import sys\n"
        "from jcmwb.run import warm\n"
        "warm.skip_slow_imports()\n"
        "import nbformat, papermill\n"
        "nbformat.validate(nbformat.read('notebooks/TH_AM001.ipynb', as_version=4))\n"  # validation works without it
        "print(sys.modules.get('rfc3987_syntax') is None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_without_warm_kernels_nothing_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.SWITCH, "0")
    with warm.ahead():
        assert warm.active() is None
    assert json.dumps(warm.engine(None)) == "{}"
