"""The app server's kernels: one per open page, freed when the page goes, never more than the cap.

Voila starts a kernel for every GET of a page and runs the app notebook in it; the kernel
then serves the page's widgets over a websocket. Left alone, kernels pile up: a closed
page's kernel was kept for the 30-minute idle cull, and a page fetched without a browser
(a crawler, a preview, a reload storm) started a kernel that nothing ever connected to.
Here, run in the server process only (``jcmwb.app.server.launch``):

- **Closing a page shuts its kernel down.** Voila 0.5's page, on ``beforeunload``, posts
  ``/voila/api/shutdown/<kernel id>`` with ``navigator.sendBeacon``, sending as form field
  ``_xsrf`` the value of the ``_xsrf`` cookie. Voila's page handler never issues that
  cookie, so the field was empty, and jupyter_server, which checks every POST
  (``JupyterHandler.prepare`` -> ``check_xsrf_cookie``), refused the shutdown with 403
  "'_xsrf' argument missing from POST". ``PageHandler`` issues the cookie with the page
  (tornado's ``xsrf_token``): the beacon then carries the matching token and is accepted.
  The check itself stays on (``disable_check_xsrf`` would also do): the server listens on
  127.0.0.1 only, but any web site open in the user's browser can still post to
  127.0.0.1, and the token is what tells the app's own page from such a site.
- **A page that never connects is culled soon.** ``AppKernelManager`` shuts down a kernel
  whose page never opened its websocket once ``cull_unconnected`` seconds have passed
  since the kernel's last activity (the end of building the page). A page that connected
  keeps its kernel while it is connected (``cull_connected`` is off), and for
  ``cull_idle_timeout`` seconds after it lost its connection (a laptop asleep with the page
  open gets its page back on waking).
- **The number of kernels is capped.** At ``max_kernels`` kernels (started or starting), a
  further page gets the "busy, retry in a minute" page (HTTP 503, ``Retry-After``) instead
  of a kernel: memory stays bounded (a kernel with the app loaded holds about 120 MB).
- **Ready kernels are within the cap.** Voila keeps ``ready_kernels`` kernels started ahead
  of need (its preheated kernels: the app notebook runs up to the cell that waits for a
  page). They start through ``AppKernelManager.start_kernel`` like any other, so they count:
  with ``max_kernels`` 8 and one ready kernel, 7 pages are open and the 8th takes the ready
  one. ``ReadyKernels`` keeps Voila's pool honest about it: a ready kernel that could not
  start at the cap is dropped from the pool (a page then starts its own kernel or gets the
  busy page, as without a pool), and the pool is filled again when a kernel is shut down, so
  room freed by a closed page becomes a ready kernel again. Voila never culls a ready kernel
  while it waits; once a page took it, it is the page's kernel, culled as above.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import tornado.web
import voila.app as voila_app
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from jcmwb.app.labels import LANGUAGES, t
from jcmwb.app.markup import Markup, html

RETRY_SECONDS = 60


class AppBusyError(Exception):
    """No kernel is started: the app already has as many as it may."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the app already runs {limit} kernels, its limit")
        self.limit = limit


class AppKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a cap on the kernel count and a short cull for pages never connected."""

    max_kernels = Integer(8, config=True, help="Most kernels (open pages) at once; a further page gets the busy page.")
    cull_unconnected = Integer(60, config=True, help="Seconds after which the kernel of a page that never connected its websocket is shut down.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting: set[str] = set()
        self._connected_once: set[str] = set()

    def kernel_count(self) -> int:
        """Kernels running or being started."""
        return len(set(self._kernels) | self._starting)

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        # The count and the reservation happen before the first await, so concurrent
        # requests (one event loop) cannot all slip under the cap.
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        if self.kernel_count() >= self.max_kernels:
            raise AppBusyError(self.max_kernels)
        kernel_id = kernel_id or str(uuid.uuid4())
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._connected_once.add(kernel_id)

    async def cull_kernels(self) -> None:
        self._connected_once &= set(self._kernels)
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        never_connected = kernel_id not in self._connected_once and not self._kernel_connections.get(kernel_id, 0)
        if kernel is not None and never_connected and hasattr(kernel, "last_activity") and getattr(kernel, "execution_state", None) != "busy":
            idle = (dt.datetime.now(dt.UTC) - kernel.last_activity).total_seconds()  # last_activity is aware, in UTC
            if idle > self.cull_unconnected:
                self.log.warning("Culling kernel %s: its page never connected in %d seconds.", kernel_id, idle)
                await ensure_async(self.shutdown_kernel(kernel_id))
                return
        await super().cull_kernel_if_idle(kernel_id)


class ReadyKernels:
    """Mixed over Voila's pooled kernel manager (``voila.voila_kernel_manager``) by ``AppVoila``:
    a ready kernel that failed to start (at the cap) leaves the pool, and a kernel shut down
    lets the pool fill again (see the module docstring)."""

    _closing = False

    def get_pool_size(self, notebook_name: str) -> int:
        pool = self._pools.get(notebook_name, [])  # type: ignore[attr-defined]
        pool[:] = [task for task in pool if not (task.done() and (task.cancelled() or task.exception() is not None))]
        return len(pool)

    def refill(self) -> None:
        """Start the ready kernels the pool lacks (each fails at once if the cap is reached)."""
        name = getattr(self, "notebook_path", None)
        if not self._closing and name is not None:
            self.get_pool_size(name)
            self.fill_if_needed(notebook_name=name)  # type: ignore[attr-defined]

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        result = await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]
        self.refill()
        return result

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> Any:
        self._closing = True  # no kernel is started while the server stops
        return await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]


def _kernel_manager_factory(base_class: type, preheat_kernel: bool, default_pool_size: int, page_config_hook: Any = None) -> type:
    """Voila's factory of its kernel manager class, with ``ReadyKernels`` mixed over the pooled one."""
    made = _voila_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
    return type("AppReadyKernelManager", (ReadyKernels, made), {}) if preheat_kernel else made


_voila_factory = voila_app.voila_kernel_manager_factory


def busy_page(lang: str, limit: int) -> Markup:
    """The page shown instead of the app when it runs ``limit`` kernels already; it reloads itself."""
    return html(
        "<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><meta http-equiv='refresh' content='{seconds}'>"
        "<title>{title}</title><style>body {{ font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5; }}</style></head>"
        "<body class='jcmwb-busy'><h1>{title}</h1><p>{text}</p><p><a href=''>{retry}</a></p></body></html>",
        lang=lang,
        seconds=RETRY_SECONDS,
        title=t("busy_title", lang),
        text=t("busy_text", lang, limit=limit, seconds=RETRY_SECONDS),
        retry=t("busy_retry", lang),
    )


class PageHandler(TornadoVoilaHandler):
    """Voila's page handler, issuing the ``_xsrf`` cookie, and giving the busy page at the cap."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        # Read once, tornado's xsrf_token sets the _xsrf cookie, which the page's shutdown
        # beacon sends back on beforeunload (see the module docstring).
        self.xsrf_token  # noqa: B018
        try:
            async for part in self.get_generator(path=path):
                self.write(part)
                self.flush()
        except AppBusyError as busy:
            # Raised by the kernel manager before anything of the page was written.
            lang = self.get_argument("lang", "en")
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.finish(str(busy_page(lang if lang in LANGUAGES else "en", busy.limit)))


class AppVoila(Voila):
    """Voila serving the app notebook through ``PageHandler``, its ready kernels through ``ReadyKernels``."""

    def init_settings(self) -> dict:
        # Voila builds its kernel manager class inside init_settings from the factory it
        # imported; it is given ours for that call only (this process serves the app alone).
        voila_app.voila_kernel_manager_factory = _kernel_manager_factory
        try:
            return super().init_settings()
        finally:
            voila_app.voila_kernel_manager_factory = _voila_factory

    def init_handlers(self) -> list:
        handlers = []
        replaced = 0
        for handler in super().init_handlers():
            if handler[1] is TornadoVoilaHandler:
                handler = (handler[0], PageHandler, *handler[2:])
                replaced += 1
            handlers.append(handler)
        if replaced != 1:  # a Voila that routes pages differently: say so rather than serve without the fixes
            raise RuntimeError(f"jcmwb app: expected one Voila page handler to replace, found {replaced}")
        return handlers
