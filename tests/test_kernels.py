"""Starting a notebook's kernel (jcmwb.run.kernels): private sockets, and starting again after a failed start.

CI saw two failures of one cause: kernels of two batch workers starting at the same moment
wanted one TCP port, and one died ("Kernel died before replying to kernel_info") or never
answered ("Kernel didn't respond in 60 seconds"). The kernels now use Unix sockets in a folder
of their own; a start that still fails is tried again. The failures are made for real below:
a ``sitecustomize`` module on ``PYTHONPATH`` makes a kernel process jcmwb starts exit, or hang,
before it answers.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from jcmwb.engine.errors import InputError, RunError
from jcmwb.run import kernels

PERIOD = ROOT / "data" / "examples" / "ID_AM002" / "EXAMPLE-ID001_2021.yaml"

# In a kernel jcmwb starts (its command line carries QUIET_KERNEL): the first N starts fail,
# counted with one file per start in JCMWB_TEST_KERNEL_STARTS ("all": every start fails).
FAILING_KERNEL = """
import json
import os
import sys
import time

if "--IPKernelApp.log_level=CRITICAL" in sys.argv and os.environ.get("JCMWB_TEST_KERNEL_STARTS"):
    folder = os.environ["JCMWB_TEST_KERNEL_STARTS"]
    how, _, count = os.environ["JCMWB_TEST_KERNEL_FAILS"].partition(":")
    start = len(os.listdir(folder)) + 1
    open(os.path.join(folder, str(start)), "x").close()
    if count == "all" or start <= int(count):
        if how == "hang":
            time.sleep(3600)
        os._exit(1)
"""


def run_with_failing_kernels(tmp_path: Path, fails: str, **env_extra: str) -> tuple[subprocess.CompletedProcess, int]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FAILING_KERNEL)
    starts = tmp_path / "starts"
    starts.mkdir()
    temporary = tmp_path / "tmp"  # where the kernels' socket folders go
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]), "JCMWB_TEST_KERNEL_STARTS": str(starts), "JCMWB_TEST_KERNEL_FAILS": fails, **env_extra}
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "run", str(PERIOD), "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=900)
    assert not list(temporary.glob("jcmwb-kernel-*")), "a kernel's socket folder was left behind"
    return done, len(list(starts.iterdir()))


def test_a_start_failure_is_tried_again_and_nothing_else_is() -> None:
    calls: list[int] = []
    cleaned: list[int] = []

    def start(attempt: int) -> str:
        calls.append(attempt)
        if attempt < 3:
            raise RuntimeError("Kernel didn't respond in 60 seconds" if attempt == 1 else "Kernel died before replying to kernel_info")
        return "started"

    assert kernels.start_with_retries(start, kernel_name="python3", timeout=60, between=lambda: cleaned.append(1)) == "started"
    assert calls == [1, 2, 3]
    assert len(cleaned) == 2

    def broken(attempt: int) -> None:
        calls.append(attempt)
        raise RuntimeError("a cell failed")

    calls.clear()
    with pytest.raises(RuntimeError, match="a cell failed"):
        kernels.start_with_retries(broken, kernel_name="python3", timeout=60)
    assert calls == [1]


def test_a_kernel_that_never_starts_is_one_run_error() -> None:
    calls: list[int] = []

    def dies(attempt: int) -> None:
        calls.append(attempt)
        raise RuntimeError("Kernel died before replying to kernel_info")

    with pytest.raises(RunError, match=r"failed to start 4 times \(it died or did not answer within 60 s\)") as caught:
        kernels.start_with_retries(dies, kernel_name="python3", timeout=60, file="notebooks/X.ipynb")
    assert calls == [1, 2, 3, 4]
    assert caught.value.file == "notebooks/X.ipynb"


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "-1", "0", "1e9"])
def test_a_bad_start_timeout_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv(kernels.START_TIMEOUT_VARIABLE, text)
    with pytest.raises(InputError) as caught:
        kernels.start_timeout()
    assert caught.value.line() == f"{kernels.START_TIMEOUT_VARIABLE}: not a number of seconds; expected a number of seconds above 0 and below 86400 (default 60), found '{text}'"


def test_start_timeout_default_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(kernels.START_TIMEOUT_VARIABLE, raising=False)
    assert kernels.start_timeout() == 60
    monkeypatch.setenv(kernels.START_TIMEOUT_VARIABLE, " 7.5 ")
    assert kernels.start_timeout() == 7.5


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_kernel_talks_over_sockets_in_a_private_folder_removed_after() -> None:
    manager = kernels.manager_class(asynchronous=False)(kernel_name="python3")
    manager.start_kernel(extra_arguments=kernels.QUIET_KERNEL)
    try:
        client = manager.blocking_client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.stop_channels()
        folder = Path(manager.ip).parent
        assert manager.transport == "ipc"
        assert json.loads(Path(manager.connection_file).read_text())["transport"] == "ipc"  # what the kernel reads
        assert folder.name.startswith("jcmwb-kernel-")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # no other user of the machine reaches the kernel
        assert (folder / kernels.OWNER_FILE).read_text() == kernels.owner_text(os.getpid())  # what a later run checks
        sockets = sorted(p.name for p in folder.iterdir() if p.name != kernels.OWNER_FILE)
        assert sockets == [f"k-{n}" for n in range(1, 6)], sockets
        assert all(stat.S_ISSOCK((folder / name).stat().st_mode) for name in sockets)
    finally:
        manager.shutdown_kernel(now=True)
    assert not folder.exists()


@pytest.mark.slow
@pytest.mark.parametrize("warm", ["1", "0"], ids=["warm-kernel", "own-kernel"])
def test_a_kernel_that_dies_at_start_up_is_started_again(tmp_path: Path, warm: str) -> None:
    done, starts = run_with_failing_kernels(tmp_path, "die:1", JCMWB_WARM_KERNELS=warm)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ER_p = 146 tCO2/p" in done.stdout
    assert "Kernel died" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert starts == 2
    assert (tmp_path / "out" / "MRS.xlsx").is_file()


@pytest.mark.slow
def test_a_kernel_that_does_not_answer_is_started_again(tmp_path: Path) -> None:
    """The CI failure: a kernel alive but silent. After JCMWB_KERNEL_START_TIMEOUT another one starts."""
    done, starts = run_with_failing_kernels(tmp_path, "hang:1", JCMWB_KERNEL_START_TIMEOUT="5")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ER_p = 146 tCO2/p" in done.stdout
    assert "didn't respond" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert starts == 2


@pytest.mark.slow
def test_a_kernel_that_never_starts_is_one_error_and_writes_nothing(tmp_path: Path) -> None:
    done, starts = run_with_failing_kernels(tmp_path, "die:all")
    assert done.returncode != 0
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "failed to start 4 times" in done.stderr
    assert starts >= 4
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.slow
@pytest.mark.parametrize("warm", ["1", "0"], ids=["warm-kernel", "own-kernel"])
def test_a_bad_start_timeout_is_one_line_before_any_kernel_starts(tmp_path: Path, warm: str) -> None:
    """JCMWB_KERNEL_START_TIMEOUT=nan: one line naming the variable, exit 2, no kernel started
    (none of the hook's counted starts), no output folder, no socket folder, no traceback at exit."""
    done, starts = run_with_failing_kernels(tmp_path, "die:0", JCMWB_KERNEL_START_TIMEOUT="nan", JCMWB_WARM_KERNELS=warm)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        "error: JCMWB_KERNEL_START_TIMEOUT: not a number of seconds; expected a number of seconds above 0 and below 86400 (default 60), found 'nan'"
    ]
    assert starts == 0
    assert not (tmp_path / "out").exists()


def _dead_pid() -> int:
    """The process id of a process that has ended (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def _socket_folder(where: Path, name: str, owner: str | None) -> Path:
    folder = where / name
    folder.mkdir()
    (folder / "k-1").write_text("")
    if owner is not None:
        (folder / kernels.OWNER_FILE).write_text(owner)
    return folder


def test_only_socket_folders_of_ended_jcmwb_processes_are_removed(tmp_path: Path) -> None:
    """A run killed with kill -9 leaves its socket folder; the next start removes it, and nothing else."""
    dead_pid = _dead_pid()
    dead = kernels.owner_text(dead_pid)
    stale = _socket_folder(tmp_path, "jcmwb-kernel-stale", dead)
    live = _socket_folder(tmp_path, "jcmwb-kernel-live", kernels.owner_text(os.getpid()))
    being_made = _socket_folder(tmp_path, "jcmwb-kernel-new", None)
    garbled = _socket_folder(tmp_path, "jcmwb-kernel-garbled", "not a pid")
    elsewhere_made = _socket_folder(tmp_path, "jcmwb-kernel-other-container", f"{dead_pid}\nanother-host pid:[1]\n")  # its pids are not ours
    pid_only = _socket_folder(tmp_path, "jcmwb-kernel-pid-only", f"{dead_pid}\n")
    not_ours = _socket_folder(tmp_path, "my-kernel-stuff", dead)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = _socket_folder(elsewhere, "jcmwb-kernel-target", dead)
    (tmp_path / "jcmwb-kernel-link").symlink_to(target)
    (tmp_path / "jcmwb-kernel-file").write_text(dead)

    assert kernels.remove_stale_socket_folders(str(tmp_path)) == [str(stale)]

    assert not stale.exists()
    for kept in (live, being_made, garbled, elsewhere_made, pid_only, not_ours, target, tmp_path / "jcmwb-kernel-link", tmp_path / "jcmwb-kernel-file"):
        assert kept.exists(), kept
    assert (target / "k-1").exists()  # not removed through the link
    assert kernels.remove_stale_socket_folders(str(tmp_path / "no such folder")) == []


@pytest.mark.slow
def test_a_run_killed_outright_leaves_a_socket_folder_that_the_next_run_removes(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "JCMWB_WARM_KERNELS": "0"}
    command = [sys.executable, "-m", "jcmwb.cli", "run", str(PERIOD), "--out"]
    killed = subprocess.Popen([*command, str(tmp_path / "killed")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not list(temporary.glob(f"jcmwb-kernel-*/{kernels.OWNER_FILE}")) and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [p.parent for p in temporary.glob(f"jcmwb-kernel-*/{kernels.OWNER_FILE}")]
        assert len(left) == 1, "the run made no socket folder"
        killed.kill()  # SIGKILL: no clean-up runs
    finally:
        killed.wait()
    assert left[0].exists()
    done = subprocess.run([*command, str(tmp_path / "again")], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert not left[0].exists()
    assert not list(temporary.glob("jcmwb-kernel-*"))  # the new run's own folder went with its kernel
