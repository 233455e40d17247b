"""Many monitoring periods at once: ``jcmwb batch DIR``, locally or on a Dask cluster.

Each period is one :func:`jcmwb.run.runner.run`, the same call ``jcmwb run`` makes, so a
period's outputs and receipt are the same bytes whichever way it ran. A period that fails
(bad input, a bug, a worker that died) is reported as that period's error; the others go on.

Locally the periods run in a process pool. With ``scheduler`` they are submitted to a Dask
distributed cluster (``distributed.Client(scheduler)``): the workers must see the same
files at the same paths (a shared file system), and write the outputs there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from jcmwb.engine.errors import InputError, JcmwbError

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class PeriodOutcome:
    """How one period of a batch ended."""

    status: str  # "ok" | "error"
    path: str
    message: str = ""  # the error, for a period that failed
    result_name: str = ""
    er: float | None = None
    unit: str = ""
    out_dir: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run_one(path: str, reports: str | None = None) -> PeriodOutcome:
    """Run one period; never raises (a batch reports each period's failure and goes on)."""
    from jcmwb.run import warm
    from jcmwb.run.runner import run

    try:
        warm.worker_pool()  # this process keeps the next period's kernel starting (jcmwb.run.warm)
        outcome = run(path, reports=reports)
        return PeriodOutcome("ok", path, result_name=outcome.result_name, er=outcome.er, unit=outcome.unit, out_dir=str(outcome.out_dir))
    except JcmwbError as exc:
        return PeriodOutcome("error", path, exc.line())
    except Exception as exc:  # a bug on one input must not stop the other periods: reported, counted as failed
        return PeriodOutcome("error", path, f"internal error ({type(exc).__name__}: {exc}); please report it with this file")


def _died(path: str, exc: BaseException) -> PeriodOutcome:
    return PeriodOutcome("error", path, f"the process running it stopped ({type(exc).__name__}: {exc})")


def _local(function: Callable[..., R], items: list[T], kwargs: dict[str, Any], died: Callable[[T, BaseException], R], workers: int) -> Iterator[R]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(function, item, **kwargs): item for item in items}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker process itself died (killed, out of memory)
                yield died(futures[future], exc)


def _cluster(function: Callable[..., R], items: list[T], kwargs: dict[str, Any], died: Callable[[T, BaseException], R], scheduler: str) -> Iterator[R]:
    try:
        from distributed import Client
        from distributed import as_completed as completed
    except ImportError as exc:
        raise InputError("--scheduler needs Dask distributed", where="--scheduler", expected="pip install 'jcmwb[cluster]' (distributed)", found="not installed") from exc
    try:
        client = Client(scheduler, timeout="30s")
    except OSError as exc:
        raise InputError("cannot reach the Dask scheduler", where="--scheduler", expected="the address of a running scheduler, e.g. tcp://10.0.0.5:8786", found=f"{scheduler} ({exc})") from exc
    try:
        futures = client.map(function, items, **kwargs, pure=False)
        by_key = {future.key: item for future, item in zip(futures, items)}
        for future in completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker died or lost the task
                yield died(by_key[future.key], exc)
    finally:
        client.close()


def map_completed(
    function: Callable[..., R],
    items: Sequence[T],
    *,
    died: Callable[[T, BaseException], R],
    jobs: int | None = None,
    scheduler: str | None = None,
    **kwargs: Any,
) -> Iterator[R]:
    """``function(item, **kwargs)`` for every item, yielding each result as it completes.

    Locally in a process pool of ``jobs`` workers (default: the number of CPUs), or on the Dask
    cluster at ``scheduler``. ``function`` never raises for a bad item (it returns that item's
    failure); a worker that dies is ``died(item, exc)``. Used by ``jcmwb batch`` and ``jcmwb impact``.
    """
    items = list(items)
    if scheduler:
        yield from _cluster(function, items, kwargs, died, scheduler)
    else:
        workers = max(1, min(jobs or (os.cpu_count() or 1), len(items)))
        yield from _local(function, items, kwargs, died, workers)


def run_all(files: Iterable[Path | str], *, reports: str | Path | None = None, jobs: int | None = None, scheduler: str | None = None) -> Iterator[PeriodOutcome]:
    """Run every period, yielding each outcome as it completes (locally, or on ``scheduler``)."""
    paths = [str(Path(f).resolve()) if scheduler else str(f) for f in files]
    reports = str(Path(reports).resolve()) if reports is not None else None
    yield from map_completed(run_one, paths, died=_died, jobs=jobs, scheduler=scheduler, reports=reports)
