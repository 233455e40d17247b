"""Warm kernels: a notebook's kernel started, with jcmwb imported, before the notebook needs it.

A Jupyter kernel takes seconds to start and to import pandas, matplotlib and jcmwb; the
calculation of an example period takes a fraction of that. A :class:`KernelPool` starts the
next kernel in the background, ahead of need, and imports those modules in it *silently*
(``silent=True, store_history=False``: no output, no history, the execution counter does not
move). Each kernel runs exactly one notebook and is then shut down, so no state leaks from one
notebook into the next: the executed notebook is the same bytes as with a kernel started for
it (``tests/test_warm.py`` checks this on examples).

What a kernel inherits when it starts, its working directory and environment, is handed over
just before the notebook runs: the kernel changes to the folder the notebook would have been
started in and takes the ``JCMWB_*`` variables as they are at that moment (``JCMWB_LIBRARY``
names the spec's library during a run). Any other difference in the environment since the
kernel started makes it unfit; the run then starts a kernel of its own, as without a pool.

Papermill runs the notebook in a warm kernel through the engine registered as
:data:`ENGINE` (``papermill.execute_notebook(..., engine_name=ENGINE, kernel=...)``), so the
executed notebook keeps papermill's format, and a failing cell gives papermill's failed
notebook and error as before.

Who uses it:

- ``jcmwb batch``: each worker process keeps one kernel warming while it runs a period
  (:func:`worker_pool`, called by :func:`jcmwb.run.batch.run_one`).
- ``jcmwb run``: :func:`ahead` starts the run's kernel while the period is validated and
  papermill imported (when no pool is up).
- A long-lived process (the app) can hold a ``KernelPool(size=1)`` under :func:`using`: each
  run then takes a kernel that is already warm.

Kernels are shut down when taken ones finish, when the pool closes, and at interpreter exit
(also in a process-pool worker, where :mod:`atexit` does not run). A kernel whose parent is
killed outright stops by itself: ipykernel polls for its parent (``JPY_PARENT_PID``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from queue import Empty
from typing import Any

from jcmwb.engine.errors import RunError
from jcmwb.run.kernels import QUIET_KERNEL, START_FAILURES, manager_class, start_timeout, start_with_retries

ENGINE = "jcmwb-warm"
# Imported in each warm kernel before its notebook: what the methodology notebooks import
# (jcmwb.calculate, the display helpers, the MRS writer, matplotlib's Figure for the monthly
# plot). Not matplotlib.pyplot: importing it would choose a backend before the notebook does.
PRELOAD = ("jcmwb", "jcmwb.run.show", "jcmwb.run.outputs", "matplotlib.figure", "IPython.display")
# Variables a notebook reads when it runs, not when its kernel starts: they may be handed over.
HANDED_OVER = "JCMWB_"
# Seconds to wait for the silent imports.
IMPORT_TIMEOUT = 300
# JCMWB_WARM_KERNELS=0: every run starts its own kernel, as before warm kernels (to compare).
SWITCH = "JCMWB_WARM_KERNELS"
# nbclient's default for a kernel it starts: history in memory, not in the user's IPython profile.
IN_MEMORY_HISTORY = "--HistoryManager.hist_file=:memory:"

_live: weakref.WeakSet[WarmKernel] = weakref.WeakSet()
_active: KernelPool | None = None
_lock = threading.RLock()
_cleanup_registered = False
_folder: str | None = None


def _launch_folder() -> str:
    """The folder warm kernels start in: one per process, empty, removed at exit."""
    global _folder
    with _lock:
        if _folder is None or not os.path.isdir(_folder):
            _folder = tempfile.mkdtemp(prefix="jcmwb-kernels-")
        return _folder


def skip_slow_imports() -> None:
    """Leave out ``rfc3987_syntax`` when papermill is imported in this process.

    jsonschema imports it (when installed, as jupyter-events requires) only to check the
    ``iri`` and ``iri-reference`` string formats; building its grammar takes 1 to 3 s of the
    ``import papermill`` that every run pays. jcmwb never checks those formats, and nbformat
    validates notebooks without format checkers. Only done while jsonschema is not imported
    yet, so a process that already uses it (a Jupyter server) keeps its checkers.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import of it raises ImportError


class WarmKernel:
    """One kernel, started (and its modules imported) in a background thread, for one notebook.

    Parameters
    ----------
    kernel_name : str or None
        The kernel spec (None: the notebooks' own, ``python3``).
    preload : tuple of str
        Modules imported silently once the kernel answers.
    """

    def __init__(self, kernel_name: str | None = None, preload: tuple[str, ...] = PRELOAD) -> None:
        self.kernel_name = kernel_name
        self.preload = preload
        self.clean = True  # False when the silent imports printed something (see _import)
        self.error: BaseException | None = None
        self.manager: Any = None
        self._pid = os.getpid()
        self._env = dict(os.environ)  # taken here, in the caller's thread: what the kernel inherits
        self._timeout = start_timeout()  # here too: a bad value is the caller's one error, before any kernel starts
        self._folder = _launch_folder()  # empty, as a staging folder is when a kernel starts in it
        self._closed = False
        self._state = threading.Lock()
        self._ready = threading.Event()
        self._hand_over = ""
        _register(self)
        self._thread = threading.Thread(target=self._start, name="jcmwb-warm-kernel", daemon=True)
        self._thread.start()

    # -- starting ----------------------------------------------------------------------------
    def launch_arguments(self, attempt: int) -> list[str]:
        """The kernel's command-line options (those of a kernel the runner starts)."""
        return [*QUIET_KERNEL, IN_MEMORY_HISTORY]

    def _start(self) -> None:
        try:
            # Imported here, off the caller's thread (jcmwb.run.notebook imports nbformat).
            from jcmwb.run.notebook import KERNEL

            self.kernel_name = self.kernel_name or KERNEL
            start_with_retries(self._launch, kernel_name=self.kernel_name, timeout=self._timeout, between=self._stop)
        except BaseException as exc:  # kept for the thread that takes this kernel
            self.error = exc
        finally:
            self._ready.set()

    def _launch(self, attempt: int) -> bool:
        """Start the kernel once; True when it answered and imported, False when it was closed first."""
        # A synchronous manager (callable from any thread) whose clients are the asynchronous
        # ones nbclient expects.
        manager = manager_class(asynchronous=False)(kernel_name=self.kernel_name, client_class="jupyter_client.asynchronous.AsyncKernelClient")
        with self._state:
            if self._closed:
                return False
            self.manager = manager
        manager.start_kernel(extra_arguments=self.launch_arguments(attempt), cwd=self._folder, env=self._env)
        client = manager.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self._timeout)  # a RuntimeError (START_FAILURES) if it died or stayed silent
            if self.preload and not self._closed:
                self._import(client)
        finally:
            client.stop_channels()
        return True

    def _import(self, client: Any) -> None:
        # exec in a throwaway namespace: the notebook's namespace gets no new names.
        code = f"exec({'import ' + ', '.join(self.preload)!r}, {{}})"
        msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
        reply = _reply(client, msg_id, self)
        printed = _outputs(client, msg_id, self)
        # An import that prints (a warning) would print in the notebook's first cell in a kernel
        # started for it, and not here: such a kernel is not the same as a fresh one.
        self.clean = reply.get("status") == "ok" and not printed

    # -- handing over ------------------------------------------------------------------------
    def wait(self) -> None:
        """Block until the kernel is ready; raise what stopped it from starting."""
        self._ready.wait()
        if self.error is not None:
            raise self.error
        if self.manager is None:
            raise RunError("the warm kernel was shut down before it was used")

    def fits(self, cwd: str | os.PathLike[str]) -> bool:
        """Whether the kernel can stand in for one started now in ``cwd``; prepares the hand-over.

        Only ``JCMWB_*`` variables may have changed since it started (they are read when the
        notebook runs); anything else the kernel read at start-up could differ.
        """
        now = dict(os.environ)
        changed = {k for k in now.keys() | self._env.keys() if now.get(k) != self._env.get(k)}
        if any(not k.startswith(HANDED_OVER) for k in changed):
            return False
        update = {k: now[k] for k in sorted(changed) if k in now}
        remove = sorted(k for k in changed if k not in now)
        body = f"import os\nos.chdir({os.fspath(cwd)!r})\nos.environ.update({update!r})\nfor k in {remove!r}:\n    os.environ.pop(k, None)\n"
        self._hand_over = f"exec({body!r}, {{}})"
        return True

    async def hand_over(self, **_: Any) -> None:
        """nbclient's ``on_notebook_start`` hook: change directory and environment, silently."""
        client = self.manager.clients[-1] if getattr(self.manager, "clients", None) else None
        if client is None:
            raise RuntimeError("no client to hand the kernel over")
        msg_id = client.execute(self._hand_over, silent=True, store_history=False, allow_stdin=False)
        while True:
            reply = await client.get_shell_msg(timeout=self._timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"could not hand the warm kernel over: {reply['content'].get('evalue', '')}")

    # -- stopping ----------------------------------------------------------------------------
    def close(self) -> None:
        """Shut the kernel down (at once: it ran nothing more), whatever state it is in."""
        if self._pid != os.getpid():
            return  # a forked child's copy: the kernel is its parent's
        with self._state:
            self._closed = True
            manager = self.manager
        if manager is None and self._thread.is_alive():
            return  # nothing launched yet, and now nothing will be: the thread just ends
        if self._thread.is_alive() and manager is not None and manager.has_kernel:
            try:  # a start in progress sees its kernel die and gives up at once
                manager.provisioner.process.kill()
            except (AttributeError, OSError):
                pass
        self._thread.join(timeout=self._timeout)
        self._stop()
        _live.discard(self)

    def _stop(self) -> None:
        with self._state:
            manager, self.manager = self.manager, None
        if manager is None:
            return
        for client in getattr(manager, "clients", []):
            try:
                client.stop_channels()
            except Exception:  # noqa: BLE001  (a client nbclient already stopped)
                pass
        try:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
            else:
                manager.cleanup_resources()
        except Exception:  # noqa: BLE001  (already gone: nothing left to stop)
            pass
        finally:
            manager.remove_sockets()


def _reply(client: Any, msg_id: str, kernel: WarmKernel) -> dict[str, Any]:
    while True:
        try:
            msg = client.get_shell_msg(timeout=1)
        except Empty:
            if kernel._closed or not client.is_alive():  # nothing of the user's ran: started again
                raise RuntimeError(f"{START_FAILURES[0]} (it stopped while importing)") from None
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def _outputs(client: Any, msg_id: str, kernel: WarmKernel) -> list[str]:
    printed: list[str] = []
    while True:
        try:
            msg = client.get_iopub_msg(timeout=IMPORT_TIMEOUT)
        except Empty:
            raise RuntimeError("the warm kernel did not finish its imports") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return printed
        if kind in ("stream", "display_data", "execute_result", "error"):
            printed.append(kind)


class KernelPool:
    """Kernels started ahead of need; each is handed out once (:meth:`take`) and replaced at once.

    Parameters
    ----------
    size : int
        Kernels kept starting or ready (one per worker process is enough: it starts while the
        current notebook runs).
    kernel_name : str or None
        The kernel spec (None: the notebooks' own).
    replace : bool
        Start a new kernel whenever one is taken (False: the pool runs dry, as for one run).
    """

    def __init__(self, size: int = 1, *, kernel_name: str | None = None, replace: bool = True) -> None:
        self.size = size
        self.kernel_name = kernel_name
        self.replace = replace
        self.preload = PRELOAD
        self._waiting: deque[WarmKernel] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._fill()

    def _fill(self) -> None:
        while not self._closed and len(self._waiting) < self.size:
            self._waiting.append(WarmKernel(self.kernel_name, self.preload))

    def take(self) -> WarmKernel | None:
        """The next kernel, once ready (None when the pool is closed or ran dry).

        Raises :class:`RunError` when the kernel failed to start every time, as a run does.
        """
        with self._lock:
            if self._closed or not self._waiting:
                return None
            kernel = self._waiting.popleft()
            if self.replace:
                self._fill()  # the next one starts while this one runs its notebook
        try:
            kernel.wait()
        except BaseException:
            kernel.close()
            raise
        if not kernel.clean:  # imports print here: warm kernels without them from now on
            kernel.close()
            with self._lock:
                self.preload = ()
                stale, self._waiting = list(self._waiting), deque()
                self._fill()
            for other in stale:
                other.close()
            return self.take() if self.replace else None
        return kernel

    def close(self) -> None:
        """Shut down every kernel not handed out."""
        with self._lock:
            self._closed = True
            waiting, self._waiting = list(self._waiting), deque()
        for kernel in waiting:
            kernel.close()


def active() -> KernelPool | None:
    """The pool this process's runs take kernels from, if any."""
    with _lock:
        return _active


@contextmanager
def using(pool: KernelPool) -> Iterator[KernelPool]:
    """Runs take their kernels from ``pool`` for the duration; the pool is closed after."""
    global _active
    with _lock:
        before, _active = _active, pool
    try:
        yield pool
    finally:
        with _lock:
            _active = before
        pool.close()


@contextmanager
def ahead() -> Iterator[None]:
    """For one run: its kernel starts now, while the period is validated (unless a pool is up).

    An unused kernel (the period was bad) is shut down on leaving.
    """
    skip_slow_imports()
    if active() is not None or not enabled():
        yield
        return
    with using(KernelPool(1, replace=False)):
        yield


def enabled() -> bool:
    """Whether runs use warm kernels (``JCMWB_WARM_KERNELS=0`` turns them off)."""
    return os.environ.get(SWITCH, "").strip() != "0"


def worker_pool() -> KernelPool | None:
    """This process's pool, started on first use and closed at exit (a batch worker's)."""
    global _active
    skip_slow_imports()
    if not enabled():
        return None
    with _lock:
        if _active is None:
            _active = KernelPool(1)
            _watch_parent()
        return _active


def _watch_parent() -> None:
    """In a process-pool worker: when the parent is killed outright (kill -9), stop too.

    Nothing would ever collect an orphaned worker's results, yet it would wait for work
    forever, holding its warm kernel (whose own parent, the worker, is alive). It shuts its
    kernels down and exits instead.
    """
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None:
        return
    ppid = os.getppid()

    def watch() -> None:
        while os.getppid() == ppid:
            threading.Event().wait(1)
        close_all()
        os._exit(1)

    threading.Thread(target=watch, name="jcmwb-warm-parent", daemon=True).start()


def take(cwd: str | os.PathLike[str], notebook: str | os.PathLike[str] | None = None) -> WarmKernel | None:
    """A warm kernel for ``notebook`` to run in ``cwd``, or None (no pool, or it does not fit).

    Raises :class:`RunError`, naming ``notebook``, when the kernel died at every start-up.
    """
    pool = active() if enabled() else None  # JCMWB_WARM_KERNELS=0 turns every pool off, one already up too
    try:
        kernel = pool.take() if pool is not None else None
    except RunError as exc:
        exc.file = exc.file or (os.fspath(notebook) if notebook else None)
        raise
    if kernel is not None and not kernel.fits(cwd):
        kernel.close()
        return None
    return kernel


def engine(kernel: WarmKernel | None) -> dict[str, Any]:
    """``papermill.execute_notebook`` arguments that run the notebook in ``kernel`` (none for a cold start)."""
    if kernel is None:
        return {}
    _register_engine()
    return {"engine_name": ENGINE, "kernel": kernel}


def _register_engine() -> None:
    from papermill.engines import NBClientEngine, papermill_engines

    if ENGINE in papermill_engines._engines:
        return

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, on a kernel that is already running; shut down after."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, kernel: WarmKernel | None = None, **kwargs: Any) -> Any:
            if kernel is None:
                raise RuntimeError(f"the {ENGINE} engine needs a warm kernel (kernel=)")
            # nbclient neither starts nor shuts down a kernel it was given (km=); it makes its
            # client with km.client(), which the manager records so that close() stops it.
            kernel.manager.clients = []
            original = kernel.manager.client

            def client(**kw: Any) -> Any:
                made = original(**kw)
                kernel.manager.clients.append(made)
                return made

            kernel.manager.client = client
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, km=kernel.manager, on_notebook_start=kernel.hand_over, **kwargs)
            finally:
                kernel.close()

    papermill_engines.register(ENGINE, WarmEngine)


# -- shutting down what is left --------------------------------------------------------------------
def _register(kernel: WarmKernel) -> None:
    global _cleanup_registered
    with _lock:
        _live.add(kernel)
        if _cleanup_registered:
            return
        _cleanup_registered = True
    import atexit
    from multiprocessing import util

    atexit.register(close_all)
    # A process-pool worker ends through os._exit after multiprocessing's own finalizers,
    # not through atexit: a finalizer with an exit priority runs then.
    util.Finalize(None, close_all, exitpriority=100)


def close_all() -> None:
    """Shut down this process's warm kernels (at exit)."""
    global _active
    with _lock:
        pool, _active = _active, None
    if pool is not None:
        pool.close()
    for kernel in list(_live):
        kernel.close()
    if _folder is not None:
        try:
            os.rmdir(_folder)  # only if empty: nothing of anyone's is removed
        except OSError:
            pass


def _forget() -> None:
    # A forked child inherits the parent's pool and kernels as objects, not as its own.
    global _active, _live, _cleanup_registered, _lock, _folder
    _active = None
    _folder = None
    _live = weakref.WeakSet()
    _cleanup_registered = False
    _lock = threading.RLock()


os.register_at_fork(after_in_child=_forget)
