"""Serving the app: the settings, and the Voila server run as a subprocess.

One notebook, ``notebooks/app/app.ipynb``, is served in Voila's single-notebook mode; it
reads the request's query string to decide what to show (URL scheme in ``jcmwb.app``).
``jcmwb app`` starts ``python -m jcmwb.app.server`` (Voila, configured by ``voila_config``)
as a subprocess. The settings travel as environment variables: the server process reads
them, and so does every kernel, because Voila starts kernels with the server's environment.

Server settings and why:

- ``127.0.0.1`` only, and exactly the port asked for (no silent move to another port);
- tracebacks are never sent to the browser (``show_tracebacks=False``); the app itself
  turns every error into a plain message next to the field it concerns;
- one kernel per open page, and no more than ``max_kernels``: a further page gets a "busy,
  retry in a minute" page (HTTP 503) rather than a kernel, so memory stays bounded;
- the kernel of a closed page is shut down at once: Voila's page asks for it on
  ``beforeunload``, and the server accepts that request because the page handler issues
  the ``_xsrf`` cookie whose token the request must carry. The XSRF check is kept, not
  disabled: bound to 127.0.0.1 the server is still reachable from any site open in the
  user's browser, and the token is what tells the app's page from such a site (details in
  ``jcmwb.app.kernels``);
- every ``cull_interval`` seconds, kernels are culled: one whose page never connected its
  websocket after ``cull_unconnected`` seconds (a page fetched without a browser), one
  whose page lost its connection after ``cull_idle`` seconds idle (a page left open and
  connected keeps its kernel, so typed inputs survive; a laptop that slept gets its page back);
- building a page may take ``render_timeout`` seconds, a calculation ``timeout`` seconds;
- the upload widget sends a file over the kernel websocket in one message, so the
  websocket accepts messages up to the upload limit plus a margin; a larger file is
  refused in the browser before it is sent (see ``jcmwb.app.page``) and gets a message;
- no file is served from the notebook folder (``file_allowlist`` matches nothing): the
  downloads travel inside the page;
- ``ready_kernels`` kernels are kept started ahead of need (Voila's preheated kernels): each
  runs the app notebook up to the cell that waits for its page (``preload()``: the imports,
  the catalogue, the specs), so that a page asked for only builds its widgets. They count
  towards ``max_kernels`` (``jcmwb.app.kernels.ReadyKernels``), the cell that waits has no
  time limit (``CellTimeout``; every other cell has ``render_timeout``), and they are never
  culled while they wait. 0 turns them off: every page then starts its own kernel.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any

from traitlets.config import Config

from jcmwb.engine.errors import InputError, RunError
from jcmwb.engine.spec import ROOT

NOTEBOOK = ROOT / "notebooks" / "app" / "app.ipynb"
# The app's Voila template (share/voila/templates/jcmwb): found through JUPYTER_PATH.
SHARE = Path(__file__).resolve().parent / "share"
TEMPLATE = "jcmwb"
MB = 1024 * 1024
# The websocket message that carries a file holds a small JSON header besides the bytes.
WEBSOCKET_MARGIN = 16 * MB

ENV_PREFIX = "JCMWB_APP_"


def _default_work() -> Path:
    # Below the working directory, like `jcmwb run`'s reports/ (never inside an installed package).
    return Path.cwd() / "reports" / "app"


@dataclass
class AppSettings:
    """How the app is served (each value but ``render_timeout`` is an option of ``jcmwb app``)."""

    port: int = 8866
    max_upload_mb: int = 200
    max_kernels: int = 8
    cull_idle: int = 1800
    cull_unconnected: int = 60
    cull_interval: int = 30
    render_timeout: int = 120
    timeout: int = 600
    ready_kernels: int = 1
    work: Path = field(default_factory=_default_work)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * MB

    @property
    def websocket_limit(self) -> int:
        return self.max_upload_bytes + WEBSOCKET_MARGIN

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def environment(self) -> dict[str, str]:
        """The settings as environment variables: the server process and every kernel read them."""
        out = {ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}
        out[ENV_PREFIX + "WORK"] = str(Path(self.work).resolve())
        return out

    @classmethod
    def from_environment(cls) -> AppSettings:
        """The settings as the server or a kernel sees them; defaults outside ``jcmwb app``."""
        settings = cls()
        for item in fields(cls):
            text = os.environ.get(ENV_PREFIX + item.name.upper())
            if not text:
                continue
            if item.name == "work":
                settings.work = Path(text)
                continue
            try:
                setattr(settings, item.name, int(text))
            except ValueError:
                pass
        return settings


# The tag of the app notebook's cell that waits for its page's request (voila.utils.get_query_string).
WAIT_TAG = "jcmwb-wait-for-page"


class CellTimeout:
    """Seconds a cell of the app notebook may run (nbclient's ``timeout_func``): none for the cell
    that waits for its page, as a ready kernel may wait hours; ``seconds`` for every other."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __call__(self, cell: Any) -> int | None:
        return None if WAIT_TAG in cell.get("metadata", {}).get("tags", []) else self.seconds


def voila_config(settings: AppSettings) -> Config:
    """Voila's configuration for these settings (trait names as in voila 0.5).

    Given as a Config object rather than command-line strings: ``tornado_settings`` takes
    an integer, which the command line can only give as text.
    """
    config = Config()
    config.Voila.ip = "127.0.0.1"
    config.Voila.port = settings.port
    config.Voila.port_retries = 0
    config.Voila.open_browser = False
    config.Voila.tornado_settings = {"websocket_max_message_size": settings.websocket_limit}
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.theme = "light"
    config.VoilaConfiguration.template = TEMPLATE
    config.VoilaConfiguration.file_allowlist = []
    config.VoilaConfiguration.multi_kernel_manager_class = "jcmwb.app.kernels.AppKernelManager"
    config.AppKernelManager.max_kernels = settings.max_kernels
    config.AppKernelManager.cull_unconnected = settings.cull_unconnected
    config.MappingKernelManager.cull_idle_timeout = settings.cull_idle
    config.MappingKernelManager.cull_interval = settings.cull_interval
    config.MappingKernelManager.cull_connected = False
    config.VoilaExecutor.timeout = settings.render_timeout
    config.VoilaExecutor.timeout_func = CellTimeout(settings.render_timeout)
    # The widgets' state is the kernel's (the page asks it for them): no copy into the notebook.
    config.VoilaExecutor.store_widget_state = False
    config.VoilaConfiguration.preheat_kernel = settings.ready_kernels > 0
    config.VoilaConfiguration.default_pool_size = max(settings.ready_kernels, 0)
    return config


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def launch() -> None:
    """The server process (``python -m jcmwb.app.server``): Voila on the app notebook."""
    from jcmwb.app.kernels import AppVoila

    # Voila shuts its kernels down when interrupted. A process started in the background
    # inherits an ignored SIGINT, and SIGTERM would end it at once, leaving the kernels
    # running: both signals are made an interruption.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    # Voila looks for templates in the Jupyter data folders; the app's comes first.
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(SHARE), *filter(None, [os.environ.get("JUPYTER_PATH")])])
    AppVoila.launch_instance(argv=[str(NOTEBOOK)], config=voila_config(AppSettings.from_environment()))


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(settings: AppSettings, *, log: IO[str] | None = None) -> subprocess.Popen:
    """Start the Voila server in the background (its output to ``log``, else to ours); the caller waits for or stops it."""
    if not NOTEBOOK.exists():
        raise RunError("the app notebook is missing", file=str(NOTEBOOK), expected="notebooks/app/app.ipynb from the jcmwb repository")
    if not port_free(settings.port):
        raise InputError(f"port {settings.port} is in use on 127.0.0.1", where="--port", expected="a free port, e.g. jcmwb app --port 8867")
    Path(settings.work).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **settings.environment()}
    return subprocess.Popen([sys.executable, "-m", "jcmwb.app.server"], env=env, cwd=str(ROOT), stdout=log, stderr=log)


def serve(settings: AppSettings) -> int:
    """Run the app until interrupted; returns Voila's exit code."""
    process = start(settings)
    signal.signal(signal.SIGTERM, _stop)  # stopping `jcmwb app` stops the server (and its kernels) too
    print(f"jcmwb app: {settings.url} (the methodology catalogue); a methodology at {settings.url}?id=TH_AM001 (add &lang=ja for Japanese)", flush=True)
    print(f"uploads up to {settings.max_upload_mb} MB; at most {settings.max_kernels} pages open at once; inputs and outputs kept in {settings.work}; Ctrl-C stops the app", flush=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0


if __name__ == "__main__":
    launch()
