"""The Voila app: a form per methodology, generated from its spec (``jcmwb app``).

URL scheme (``jcmwb app --port N`` serves on ``http://127.0.0.1:N/``):

- ``/``: the catalogue of methodologies, with a link to each;
- ``/?id=TH_AM001``: the form of methodology TH_AM001 (any id ``jcmwb list`` shows);
- ``&lang=ja`` (or ``?lang=ja`` on the catalogue): start in Japanese; the page has a switch too.

Modules: ``server`` (settings, the Voila subprocess), ``kernels`` (one kernel per page,
freed, capped), ``page`` (what the notebook shows: the catalogue, a methodology's page),
``form`` and ``widgets`` (the form built from the spec), ``checks`` (messages next to
their field), ``session`` (the work folder; the sheet written from the page's Result; the
record of ``jcmwb run``), ``results``, ``labels`` (the app's own words), ``i18n`` (the
gettext catalog: the app's words and the engine's sentences in Japanese), ``fonts`` (the
charts' CJK font), ``markup`` (all HTML, escaped). This module stays light: the command
line imports it on every call.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_app(args: argparse.Namespace) -> int:
    from jcmwb.app.server import AppSettings, serve
    from jcmwb.engine.errors import InputError

    for option in ("max_upload_mb", "max_kernels", "timeout", "cull_idle", "cull_unconnected", "cull_interval"):
        value = getattr(args, option)
        if value < 1:
            raise InputError("not a positive whole number", where="--" + option.replace("_", "-"), expected="a whole number of at least 1", found=str(value))
    if not 0 <= args.ready_kernels <= args.max_kernels:
        raise InputError("not between 0 and --max-kernels", where="--ready-kernels", expected=f"a whole number from 0 to {args.max_kernels}", found=str(args.ready_kernels))
    settings = AppSettings(
        port=args.port,
        max_upload_mb=args.max_upload_mb,
        max_kernels=args.max_kernels,
        cull_idle=args.cull_idle,
        cull_unconnected=args.cull_unconnected,
        cull_interval=args.cull_interval,
        timeout=args.timeout,
        ready_kernels=args.ready_kernels,
    )
    if args.work:
        settings.work = Path(args.work)
    return serve(settings)


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``jcmwb app`` to the command line."""
    p = verbs.add_parser("app", help="serve the Voila app (a form per methodology) on 127.0.0.1")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument("--max-upload-mb", type=int, default=200, help="largest data file a user may upload, in MB (default 200)")
    p.add_argument("--timeout", type=int, default=600, help="seconds a calculation may take before it is stopped (default 600)")
    p.add_argument("--max-kernels", type=int, default=8, help="most pages open at once, each with its kernel (about 120 MB); a further page is asked to retry (default 8)")
    p.add_argument("--cull-idle", type=int, default=1800, help="seconds after which the kernel of a page that lost its connection is shut down (default 1800)")
    p.add_argument("--cull-unconnected", type=int, default=60, help="seconds after which the kernel of a page that never connected is shut down (default 60)")
    p.add_argument("--cull-interval", type=int, default=30, help="seconds between checks for kernels to shut down (default 30)")
    p.add_argument(
        "--ready-kernels",
        type=int,
        default=1,
        help="kernels kept started, with the app loaded, for the next pages (counted in --max-kernels; 0: each page starts its own, a few seconds more) (default 1)",
    )
    p.add_argument("--work", default=None, help="folder for each page's inputs and outputs (default reports/app/)")
    p.set_defaults(func=cmd_app)
