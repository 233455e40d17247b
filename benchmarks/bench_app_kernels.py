"""Benchmark: memory and kernels of the app under 50 concurrent loads of a form page.

Run with ``.venv/bin/python benchmarks/bench_app_kernels.py`` (no browser needed). Starts
``jcmwb app`` on a free port with its default settings (``--max-kernels 8``, pages never
connected culled after 60 s, checked every 30 s), sends 50 plain GETs of a form page at
once (no browser: nothing ever connects to the kernels, as with a crawler or a reload
storm), and samples, every half second, the resident memory (RSS) of the server and all
its descendant processes, and the number of kernels. It then waits until the kernels are
gone and reports:

- the answers (200: a page with its kernel; 503: the "busy, retry in a minute" page);
- peak kernels and peak RSS, while the loads run;
- settled kernels and RSS, and how long until they settled.

The bounds are reported as met or missed (this is not a test): at most ``--max-kernels``
kernels at any time, peak RSS at most ``PEAK_BOUND_MB``, back to no kernel and at most
``SETTLED_BOUND_MB`` within ``SETTLE_BOUND_S`` seconds of the last answer. Before the cap
and the cull, the same 50 GETs left 50 kernels and 5.9 GB for 30 minutes (issue 12).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from app_driver import app_server  # noqa: E402

KERNEL_MB = 150  # one kernel with the app loaded, rounded up (measured about 120 MB)
SERVER_MB = 300  # the Voila server, rounded up
PEAK_BOUND_MB = 8 * KERNEL_MB + SERVER_MB
SETTLED_BOUND_MB = SERVER_MB
SETTLE_BOUND_S = 120  # cull_unconnected (60 s) + cull_interval (30 s) + a margin


def _children(pid: int) -> dict[int, list[int]]:
    """Every process's children, from /proc (psutil is used when installed)."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sample(server_pid: int) -> tuple[float, int]:
    """RSS in MB of the server and all its descendants, and the number of kernels (its ipykernel children)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            root = psutil.Process(server_pid)
            processes = [root, *root.children(recursive=True)]
            kernels = sum(1 for c in root.children(recursive=False) if "ipykernel" in " ".join(c.cmdline()))
            rss = 0
            for process in processes:
                try:
                    rss += process.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            return rss / 1024 / 1024, kernels
        except psutil.NoSuchProcess:
            return 0.0, 0
    tree = _children(server_pid)
    todo, every = [server_pid], []
    while todo:
        pid = todo.pop()
        every.append(pid)
        todo += tree.get(pid, [])
    kernels = sum(1 for pid in tree.get(server_pid, []) if "ipykernel" in _cmdline(pid))
    return sum(_rss_kb(pid) for pid in every) / 1024, kernels


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # refused or timed out


def run(requests: int, methodology: str, settle_timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        with app_server(work) as settings:
            server = settings.process
            max_kernels = settings.max_kernels
            idle_mb, _ = sample(server.pid)
            samples: list[tuple[float, float, int]] = []
            stop = threading.Event()

            def sampler() -> None:
                while not stop.is_set():
                    rss, kernels = sample(server.pid)
                    samples.append((time.monotonic(), rss, kernels))
                    stop.wait(0.5)

            thread = threading.Thread(target=sampler, daemon=True)
            thread.start()
            started = time.monotonic()
            url = settings.url + f"?id={methodology}"
            with ThreadPoolExecutor(max_workers=requests) as pool:
                statuses = list(pool.map(get, [url] * requests))
            answered = time.monotonic()
            settled_at = None
            while time.monotonic() - answered < settle_timeout:
                if samples and samples[-1][2] == 0 and samples[-1][0] > answered:
                    settled_at = samples[-1][0]
                    break
                time.sleep(0.5)
            time.sleep(2)  # the last kernel's memory is returned
            stop.set()
            thread.join()
            settled_mb, settled_kernels = sample(server.pid)
    loads = [s for s in samples if s[0] <= answered + 1]
    return {
        "requests": requests,
        "max_kernels": max_kernels,
        "ok": statuses.count(200),
        "busy": statuses.count(503),
        "other": len(statuses) - statuses.count(200) - statuses.count(503),
        "answered_s": answered - started,
        "idle_mb": idle_mb,
        "peak_mb": max(s[1] for s in samples),
        "peak_kernels": max(s[2] for s in samples),
        "load_peak_mb": max((s[1] for s in loads), default=0.0),
        "settled_mb": settled_mb,
        "settled_kernels": settled_kernels,
        "settle_s": (settled_at - answered) if settled_at else None,
    }


def report(r: dict) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    settle = f"{r['settle_s']:.0f} s" if r["settle_s"] is not None else f"not within the wait ({r['settled_kernels']} kernels left)"
    lines = [
        f"{r['requests']} concurrent GETs of a form page, --max-kernels {r['max_kernels']}:",
        f"  answers: {r['ok']} pages (200), {r['busy']} busy pages (503), {r['other']} other; all answered in {r['answered_s']:.1f} s",
        f"  server alone before: {r['idle_mb']:.0f} MB",
        f"  peak: {r['peak_kernels']} kernels, {r['peak_mb']:.0f} MB (RSS of the server and its processes)",
        f"  settled: {r['settled_kernels']} kernels, {r['settled_mb']:.0f} MB, {settle} after the last answer",
        "bounds:",
        f"  kernels at most {r['max_kernels']}: {verdict(r['peak_kernels'] <= r['max_kernels'])} (peak {r['peak_kernels']})",
        f"  peak RSS at most {PEAK_BOUND_MB} MB: {verdict(r['peak_mb'] <= PEAK_BOUND_MB)} ({r['peak_mb']:.0f} MB)",
        f"  settled to 0 kernels within {SETTLE_BOUND_S} s: {verdict(r['settle_s'] is not None and r['settle_s'] <= SETTLE_BOUND_S)}",
        f"  settled RSS at most {SETTLED_BOUND_MB} MB: {verdict(r['settled_mb'] <= SETTLED_BOUND_MB)} ({r['settled_mb']:.0f} MB)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="concurrent GETs (default 50)")
    parser.add_argument("--methodology", default="TH_AM001", help="the form page loaded (default TH_AM001)")
    parser.add_argument("--settle-timeout", type=float, default=240, help="seconds to wait for the kernels to go (default 240)")
    args = parser.parse_args()
    print(report(run(args.requests, args.methodology, args.settle_timeout)), flush=True)


if __name__ == "__main__":
    main()
