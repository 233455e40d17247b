"""How jcmwb starts a notebook's Jupyter kernel: quietly, on sockets of its own, again if it fails.

Sockets. jupyter_client's default transport gives a kernel five TCP ports on localhost, each
chosen by binding port 0 and letting it go again. A kernel starting at the same moment in
another process (two batch workers, a cluster, a CI machine running tests) can take one of them
in between. The kernel then dies before it answers ("Kernel died before replying to
kernel_info"), or lives with a channel that reaches nobody and never answers ("Kernel didn't
respond in 60 seconds", seen in CI). On a POSIX system jcmwb's kernels talk over Unix sockets
in a folder made for each kernel instead (``ipc`` transport): there is nothing to race for, and
no port is opened to other users of the machine. The runner's kernels and the warm ones
(:mod:`jcmwb.run.warm`) start so; the app's page kernels are Voila's (TCP, one server process).

Starting again. A kernel that dies or does not answer at start-up has run nothing of the
user's, so it is safe to start another, up to :data:`START_ATTEMPTS` times, quietly; after that
the run fails with one error line (:func:`start_with_retries`).

Left behind. A socket folder is removed with its kernel. A run killed outright (``kill -9``,
a power cut) cannot remove it, so each folder holds an ``owner`` file with the process that
made it, and the next kernel jcmwb starts removes the folders whose owner is gone
(:func:`remove_stale_socket_folders`); a kernel's own parent watch ends it with its owner.

Quiet. The kernel's own log (start-up warnings, "KeyboardInterrupt caught" at shutdown) is not
the user's business; a failing cell still surfaces as a structured papermill error.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

from jcmwb.engine.errors import InputError, RunError

QUIET_KERNEL = ["--IPKernelApp.log_level=CRITICAL"]
START_ATTEMPTS = 4
# Seconds to wait for a kernel to answer. A slow laptop starts a kernel in well under 20 s;
# JCMWB_KERNEL_START_TIMEOUT raises it on a slower machine (or lowers it to test a hang).
START_TIMEOUT_VARIABLE = "JCMWB_KERNEL_START_TIMEOUT"
DEFAULT_START_TIMEOUT = 60.0
# What jupyter_client says when a kernel it started died, or never answered, before kernel_info.
START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")
SOCKET_FOLDER_PREFIX = "jcmwb-kernel-"
OWNER_FILE = "owner"  # in a socket folder: the jcmwb process that made it, and its machine (owner_text)
# sun_path holds 108 bytes on Linux (104 on macOS): the socket "<folder>/k-5" must fit.
SOCKET_PATH_MAX = 100

T = TypeVar("T")


def start_timeout() -> float:
    """Seconds to wait for a starting kernel to answer (``JCMWB_KERNEL_START_TIMEOUT``).

    Read once per kernel, before it starts (a bad value is then one line and no kernel runs).

    Raises
    ------
    InputError
        For a value that is not a number of seconds above 0 and below 86400 (nan, inf included).
    """
    text = os.environ.get(START_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_START_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 86400:  # also refuses nan and inf
        raise InputError("not a number of seconds", where=START_TIMEOUT_VARIABLE, expected=f"a number of seconds above 0 and below 86400 (default {DEFAULT_START_TIMEOUT:g})", found=repr(text))
    return seconds


def is_start_failure(error: BaseException | str) -> bool:
    """Whether ``error`` says a kernel died or stayed silent before it answered (nothing ran)."""
    text = str(error)
    return any(failure in text for failure in START_FAILURES)


def start_with_retries(start: Callable[[int], T], *, kernel_name: str, timeout: float, file: str | None = None, between: Callable[[], None] | None = None) -> T:
    """Call ``start(attempt)`` until a kernel starts; a start-up failure is tried again.

    Parameters
    ----------
    start : callable
        Starts a kernel (and may run the notebook in it); called with the attempt, 1 to
        :data:`START_ATTEMPTS`. A :class:`RuntimeError` that :func:`is_start_failure` is a
        failed start; anything else is raised as it is.
    kernel_name : str
        The kernel spec, for the error.
    timeout : float
        The seconds each start waited (:func:`start_timeout`), for the error.
    file : str or None
        The notebook, for the error.
    between : callable or None
        Called after each failed start (to shut the dead kernel's remains down).

    Raises
    ------
    RunError
        When every attempt failed to start a kernel.
    """
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return start(attempt)
        except RuntimeError as exc:
            if between is not None:
                between()
            if not is_start_failure(exc):
                raise
    raise RunError(f"the notebook's kernel ({kernel_name}) failed to start {START_ATTEMPTS} times (it died or did not answer within {timeout:g} s); check that 'python -m ipykernel' starts in this environment", file=file)


def _machine() -> str:
    """This machine and process namespace: a pid means something only within them (a /tmp shared
    between containers, each with its own pids, must not lose a live folder)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()


def owner_text(pid: int) -> str:
    """What a socket folder's owner file says: the process that made it, and where it runs."""
    return f"{pid}\n{_machine()}\n"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_socket_folders(where: str | None = None) -> list[str]:
    """Remove the socket folders left by jcmwb processes that were killed; return their paths.

    Only a real folder (not a link) named ``jcmwb-kernel-*``, owned by this user, whose
    ``owner`` file names a process of this machine and namespace that no longer exists, is
    removed: that is a folder jcmwb made and nobody uses. A folder without an owner file (being
    made at this moment, or made by an older jcmwb), one whose owner lives and one made on
    another machine or in another container are left alone.

    Parameters
    ----------
    where : str or None
        The temporary folder to look in (default: :func:`tempfile.gettempdir`).
    """
    removed = []
    where = where or tempfile.gettempdir()
    here = _machine()
    try:
        entries = list(os.scandir(where))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(SOCKET_FOLDER_PREFIX):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            with open(os.path.join(entry.path, OWNER_FILE), encoding="utf-8") as owner:
                pid_text, _, machine = owner.read(1000).partition("\n")
            pid = int(pid_text)
        except (OSError, ValueError):
            continue
        if pid > 0 and machine.strip() == here and not _alive(pid):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.path)
    return removed


class OwnSockets:
    """A kernel manager (mixed in before jupyter_client's) whose kernel is quiet and on Unix sockets."""

    _socket_folder: str | None = None

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        kw.setdefault("stderr", subprocess.DEVNULL)
        if self._socket_folder is None and os.name == "posix" and self.transport == "tcp":  # type: ignore[attr-defined]
            remove_stale_socket_folders()
            folder = tempfile.mkdtemp(prefix=SOCKET_FOLDER_PREFIX)  # private (0700), unique
            with open(os.path.join(folder, OWNER_FILE), "w", encoding="utf-8") as owner:
                owner.write(owner_text(os.getpid()))
            prefix = os.path.join(folder, "k")
            if len(os.fsencode(prefix)) + 3 <= SOCKET_PATH_MAX:
                self._socket_folder = folder
                self.transport = "ipc"
                self.ip = prefix  # the sockets are "<prefix>-1" to "<prefix>-5"
                self.cache_ports = False
            else:  # a very long temporary folder: TCP, with the retries above
                shutil.rmtree(folder, ignore_errors=True)
        return await super()._async_pre_start_kernel(**kw)  # type: ignore[misc]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)  # type: ignore[misc]
        if not restart:
            self.remove_sockets()

    def remove_sockets(self) -> None:
        """Remove the kernel's socket folder (made by jcmwb for this kernel alone)."""
        folder, self._socket_folder = self._socket_folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def manager_class(asynchronous: bool = True) -> type:
    """jupyter_client's kernel manager (asynchronous for nbclient, or not) with jcmwb's sockets."""
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    base = AsyncKernelManager if asynchronous else KernelManager
    return type(f"Jcmwb{base.__name__}", (OwnSockets, base), {"__doc__": OwnSockets.__doc__, "cleanup_resources": _cleanup_method(asynchronous)})


def _cleanup_method(asynchronous: bool) -> Callable[..., Any]:
    """The manager's public ``cleanup_resources`` (nbclient calls it after a failed start).

    jupyter_client binds it to its own ``_async_cleanup_resources`` function, not the method, so
    an override of the latter is not reached through it; this one reaches :class:`OwnSockets`'.
    """
    if asynchronous:
        return OwnSockets._async_cleanup_resources
    from jupyter_core.utils import run_sync

    return run_sync(OwnSockets._async_cleanup_resources)
