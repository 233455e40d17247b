"""``make bench``: every figure of issue 11's table beside its floor, measured in one run.

Usage::

    .venv/bin/python benchmarks/bench.py [--figures ingest,growth,...] [--repeat N] [--markdown FILE]
    make bench FIGURES=ingest REPEAT=3

Each figure runs our command and its floor in separate processes, interleaved (ours, floor,
floor, ours, ...: neither always runs first on a warm or cold cache), ``--repeat`` times,
and reports the median, the floor's median, their ratio, the peak memory and whether the
goal is met (``ok``) or missed (``MISS``). Peak memory is the largest resident set of any
process of the command (``ru_maxrss`` of the child and its waited-for descendants, from
``os.wait4``) and, where several processes run at once, the largest sum over the process
tree sampled every 0.1 s from /proc. Nothing here is a test: a miss is reported, not failed.

Figures (``--figures``, comma-separated; default all):

ingest       ``jcmwb.calculate`` on 1 year x 5-minute data x 20 points (2.1M rows) vs the floor:
             pandas read_csv + to_datetime + filter to the period + groupby sum.
             Goal: <= 3 s, <= 1 GB, within 2x of the floor.
growth       the same on 50 points (5.3M rows, 2.5x): time ratio 5.3M / 2.1M against the row
             ratio (linear: at most 1.2 x 2.5), and the ratio to the floor at 5.3M.
run-large    ``jcmwb run`` on the 2.1M-row input vs calculate + a trivial papermill run.
             Goal: <= 1.5 x calculate + the trivial run.
run          ``jcmwb run`` on the TH_AM001 example vs a trivial papermill run (a one-cell
             notebook, the same kernel). Goal: <= 1.3x.
batch        ``jcmwb batch data/examples --jobs 2`` vs as many trivial papermill runs, two at a
             time. Goal: >= 1.8 runs/s.
app          ``jcmwb app`` in headless Chromium (benchmarks/app_timing.py): page open -> usable
             form (goal <= 1.5 s) and Calculate -> results for the TH_AM001 year (goal <= 1 s).
libreoffice  LibreOffice forced recalculation of ~1M rows with one SUMIFS per point vs our
             calculate on the same rows as CSV. Goal: ours >= 50x faster.
verify       ``jcmwb verify MRS.xlsx`` and ``--data`` on the TH_AM001 example's sheet vs
             ``python -c "import jcmwb"`` (the start-up every command pays). Goal: <= 2 s.
receipt      ``jcmwb verify --receipt`` vs one ``jcmwb run`` of the example. Goal: <= 1.2x.

Inputs come from benchmarks/make_inputs.py (generated once into benchmarks/inputs/, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_inputs  # noqa: E402

PY = sys.executable
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
FIGURES = ("ingest", "growth", "run-large", "run", "batch", "app", "libreoffice", "verify", "receipt")
DEFAULT_REPEAT = {"ingest": 5, "growth": 3, "run-large": 3, "run": 5, "batch": 1, "app": 5, "libreoffice": 1, "verify": 5, "receipt": 3}


# -- measuring one command ---------------------------------------------------------------------------
@dataclass
class Sample:
    seconds: float  # wall time, or the time the child reported for its own measured part
    peak_mb: float  # largest single process (ru_maxrss)
    tree_mb: float  # largest sampled sum over the process tree
    ok: bool = True
    note: str = ""
    data: dict = field(default_factory=dict)  # what a child reported (JSON, its last line of output)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _tree_rss_mb(pid: int) -> float:
    tree, todo, total = _children(), [pid], 0
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            with open(f"/proc/{current}/statm", encoding="utf-8") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total / 2**20


def measure(command: list[str], *, cwd: Path = ROOT, timeout: float = 1800, reported: bool = False, env: dict[str, str] | None = None) -> Sample:
    """Run ``command``; wall time (or the seconds it prints as JSON when ``reported``) and peak memory.

    ``env`` adds to the environment (e.g. PYTHONPATH pointing at another checkout, to measure
    the code before a change beside the code after it)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env} if env else None)
    peak_tree = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not stop.is_set():
            peak_tree = max(peak_tree, _tree_rss_mb(process.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        stop.set()
        return Sample(time.perf_counter() - start, 0, peak_tree, ok=False, note=f"timed out after {timeout:.0f} s")
    finally:
        stop.set()
    wall = time.perf_counter() - start
    # communicate() reaped the child; its rusage (with its reaped descendants) is in RUSAGE_CHILDREN,
    # which only grows: take the child's own figure from a wait4 wrapper instead (see _child_peak).
    peak = _last_peak.pop(process.pid, 0.0)
    sampler.join()
    if process.returncode != 0:
        return Sample(wall, peak, peak_tree, ok=False, note=f"exit {process.returncode}: {(err or out).strip().splitlines()[-1:] or ''}")
    if not reported:
        return Sample(wall, peak, peak_tree)
    data = json.loads(out.strip().splitlines()[-1])
    return Sample(data["seconds"], peak, peak_tree, data=data)


_last_peak: dict[int, float] = {}
_original_waitpid = os.waitpid


def _waitpid(pid: int, options: int) -> tuple[int, int]:
    """os.waitpid as subprocess calls it, through os.wait4 to keep each child's own ru_maxrss."""
    got, status, usage = os.wait4(pid, options)
    if got:
        _last_peak[got] = usage.ru_maxrss / 1024  # kB on Linux
    return got, status


os.waitpid = _waitpid  # only this process's subprocess module uses it


# -- figures ----------------------------------------------------------------------------------------
@dataclass
class Row:
    figure: str
    ours: str
    floor: str
    ratio: str
    memory: str
    goal: str
    met: bool | None  # None: not measurable here
    note: str = ""


@dataclass
class Context:
    repeat: dict[str, int]
    work: Path
    inputs: dict[str, Path] = field(default_factory=dict)
    cache: dict[str, list[Sample]] = field(default_factory=dict)


def interleave(n: int, pairs: list[tuple[str, Callable[[], Sample]]]) -> dict[str, list[Sample]]:
    """Run each measurement n times, alternating the order every round."""
    out: dict[str, list[Sample]] = {name: [] for name, _ in pairs}
    for round_ in range(n):
        for name, run in pairs if round_ % 2 == 0 else list(reversed(pairs)):
            out[name].append(run())
    return out


def med(samples: list[Sample]) -> float:
    good = [s.seconds for s in samples if s.ok]
    return statistics.median(good) if good else float("nan")


def peak(samples: list[Sample]) -> float:
    return max((max(s.peak_mb, s.tree_mb) for s in samples), default=0.0)


def failed(samples: list[Sample]) -> str:
    bad = [s.note for s in samples if not s.ok]
    return f"{len(bad)} of {len(samples)} failed: {bad[0]}" if bad else ""


def _child(kind: str, *args: str) -> list[str]:
    return [PY, str(Path(__file__).resolve()), "--child", kind, *args]


def _calc(ctx: Context, name: str) -> Callable[[], Sample]:
    return lambda: measure(_child("calculate", str(ctx.inputs[name])), reported=True)


def _floor(ctx: Context, name: str) -> Callable[[], Sample]:
    return lambda: measure(_child("floor", str(ctx.inputs[name])), reported=True)


def _ingest_samples(ctx: Context) -> dict[str, list[Sample]]:
    if "ingest" not in ctx.cache:
        got = interleave(ctx.repeat["ingest"], [("calculate", _calc(ctx, "year5min-20p")), ("floor", _floor(ctx, "year5min-20p"))])
        ctx.cache["ingest"] = got  # type: ignore[assignment]
    return ctx.cache["ingest"]  # type: ignore[return-value]


def fig_ingest(ctx: Context) -> list[Row]:
    got = _ingest_samples(ctx)
    ours, floor = med(got["calculate"]), med(got["floor"])
    memory = peak(got["calculate"])
    met = ours <= 3.0 and memory <= 1024 and ours <= 2 * floor
    return [
        Row(
            "calculate, 1 year x 5-min x 20 points (2,097,032 rows)",
            f"{ours:.2f} s",
            f"{floor:.2f} s",
            f"{ours / floor:.2f}x",
            f"{memory:.0f} MB (floor {peak(got['floor']):.0f} MB)",
            "<= 3 s, <= 1 GB, <= 2x floor",
            met,
            failed(got["calculate"] + got["floor"]),
        )
    ]


def fig_growth(ctx: Context) -> list[Row]:
    small = _ingest_samples(ctx)
    got = interleave(ctx.repeat["growth"], [("calculate", _calc(ctx, "year5min-50p")), ("floor", _floor(ctx, "year5min-50p"))])
    ours, floor = med(got["calculate"]), med(got["floor"])
    rows_ratio = make_inputs.INPUTS["year5min-50p"].rows() / make_inputs.INPUTS["year5min-20p"].rows()
    growth = ours / med(small["calculate"])
    floor_growth = floor / med(small["floor"])
    return [
        Row(
            "calculate, 50 points (5,242,682 rows)",
            f"{ours:.2f} s",
            f"{floor:.2f} s",
            f"{ours / floor:.2f}x",
            f"{peak(got['calculate']):.0f} MB (floor {peak(got['floor']):.0f} MB)",
            "<= 2x floor",
            ours <= 2 * floor,
            failed(got["calculate"] + got["floor"]),
        ),
        Row(
            f"growth 2.1M -> 5.3M rows ({rows_ratio:.2f}x the rows)",
            f"{growth:.2f}x",
            f"{floor_growth:.2f}x",
            f"{growth / rows_ratio:.2f} per row",
            "",
            f"linear: <= {1.2 * rows_ratio:.2f}x",
            growth <= 1.2 * rows_ratio,
        ),
    ]


def _trivial_notebook(ctx: Context) -> Path:
    path = ctx.work / "trivial.ipynb"
    if not path.exists():
        import nbformat

        book = nbformat.v4.new_notebook()
        book.cells = [nbformat.v4.new_code_cell("1 + 1")]
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(book, path)
    return path


def _papermill(ctx: Context) -> Callable[[], Sample]:
    notebook = _trivial_notebook(ctx)
    counter = iter(range(10**6))
    return lambda: measure([str(BIN / "papermill"), "--log-level", "WARNING", "-k", "python3", str(notebook), str(ctx.work / f"trivial-out-{next(counter)}.ipynb")])


def _jcmwb_run(ctx: Context, period: Path) -> Callable[[], Sample]:
    counter = iter(range(10**6))
    return lambda: measure([str(BIN / "jcmwb"), "run", str(period), "--out", str(ctx.work / f"run-{period.stem}-{next(counter)}")])


def fig_run_large(ctx: Context) -> list[Row]:
    got = interleave(ctx.repeat["run-large"], [("run", _jcmwb_run(ctx, ctx.inputs["year5min-20p"])), ("papermill", _papermill(ctx))])
    calc = med(_ingest_samples(ctx)["calculate"])
    ours, trivial = med(got["run"]), med(got["papermill"])
    bound = 1.5 * calc + trivial
    return [
        Row(
            "`jcmwb run` on the 2.1M-row year",
            f"{ours:.1f} s",
            f"calculate {calc:.1f} s + trivial papermill {trivial:.1f} s",
            f"{ours / (calc + trivial):.2f}x their sum",
            f"{peak(got['run']):.0f} MB",
            f"<= 1.5 x calculate + trivial = {bound:.1f} s",
            ours <= bound,
            failed(got["run"] + got["papermill"]),
        )
    ]


def fig_run(ctx: Context) -> list[Row]:
    got = interleave(ctx.repeat["run"], [("run", _jcmwb_run(ctx, EXAMPLE)), ("papermill", _papermill(ctx))])
    ours, trivial = med(got["run"]), med(got["papermill"])
    ctx.cache["run-example"] = got["run"]  # type: ignore[assignment]
    return [
        Row(
            "`jcmwb run` on the TH_AM001 example",
            f"{ours:.2f} s",
            f"trivial papermill {trivial:.2f} s",
            f"{ours / trivial:.2f}x",
            f"{peak(got['run']):.0f} MB (floor {peak(got['papermill']):.0f} MB)",
            "<= 1.3x",
            ours <= 1.3 * trivial,
            failed(got["run"] + got["papermill"]),
        )
    ]


def _examples() -> list[Path]:
    return sorted((ROOT / "data" / "examples").glob("*/*.yaml"))


def fig_batch(ctx: Context) -> list[Row]:
    count = len(_examples())
    counter = iter(range(10**6))

    def batch() -> Sample:
        return measure([str(BIN / "jcmwb"), "batch", str(ROOT / "data" / "examples"), "--jobs", "2", "--reports", str(ctx.work / f"batch-{next(counter)}")])

    notebook = _trivial_notebook(ctx)
    script = (
        "import subprocess, sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        f"cmd = lambda i: subprocess.run([{str(BIN / 'papermill')!r}, '--log-level', 'WARNING', '-k', 'python3', {str(notebook)!r}, {str(ctx.work)!r} + f'/pool-{{i}}.ipynb'], check=True, capture_output=True)\n"
        f"with ThreadPoolExecutor(2) as pool: list(pool.map(cmd, range({count})))\n"
    )
    got = interleave(ctx.repeat["batch"], [("batch", batch), ("papermill", lambda: measure([PY, "-c", script]))])
    ours, floor = count / med(got["batch"]), count / med(got["papermill"])
    return [
        Row(
            f"batch, the {count} examples, 2 workers",
            f"{ours:.2f} runs/s",
            f"{count} trivial papermill runs, 2 at a time: {floor:.2f} runs/s",
            f"{ours / floor:.2f}x",
            f"{peak(got['batch']):.0f} MB (tree)",
            ">= 1.8 runs/s",
            ours >= 1.8,
            failed(got["batch"] + got["papermill"]),
        )
    ]


def fig_app(ctx: Context) -> list[Row]:
    if not Path("/usr/bin/chromium").exists():
        return [Row("app", "", "", "", "", "", None, "Chromium not installed (apt-get install chromium)")]
    sample = measure(_child("app", str(ctx.repeat["app"])), timeout=3600, reported=True)
    if not sample.ok:
        return [Row("app: page open / Calculate", "", "", "", "", "", False, sample.note)]
    times = sample.data["times"]
    n = len(times["open"])
    return [
        Row(f"app: page open -> usable form (median of {n})", f"{statistics.median(times['open']):.2f} s", "", "", f"{sample.tree_mb:.0f} MB (server, kernels, browser)", "<= 1.5 s", statistics.median(times["open"]) <= 1.5),
        Row(f"app: Calculate -> results, TH_AM001 year (median of {n})", f"{statistics.median(times['calculate']):.2f} s", "", "", "", "<= 1 s", statistics.median(times["calculate"]) <= 1.0),
    ]


def _sumifs_workbook(ctx: Context) -> Path:
    """~1M rows (timestamp as a number, point, value in kWh) and one SUMIFS per point: the total
    inside the period, as a spreadsheet user would compute it."""
    folder = ctx.inputs["year10min-19p"].parent
    book_path = folder / "sumifs.xlsx"
    if book_path.exists():
        return book_path
    import numpy as np
    import pandas as pd
    import xlsxwriter

    frame = pd.read_csv(folder / "data.csv")
    serial = (pd.to_datetime(frame["timestamp"]) - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    tmp = book_path.with_suffix(".tmp.xlsx")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    data = book.add_worksheet("data")
    data.write_row(0, 0, ["timestamp", "point", "value"])
    for i, (t, p, v) in enumerate(zip(serial.to_numpy(), frame["point"].to_numpy(), frame["value"].to_numpy()), start=1):
        data.write_number(i, 0, float(t))
        data.write_string(i, 1, p)
        data.write_number(i, 2, float(v))
    last = len(frame) + 1
    totals = book.add_worksheet("totals")
    start, end = (pd.Timestamp("2021-01-01") - pd.Timestamp("1899-12-30")).days, (pd.Timestamp("2022-01-01") - pd.Timestamp("1899-12-30")).days
    for j, point in enumerate(sorted(np.unique(frame["point"]))):
        totals.write_string(j, 0, point)
        totals.write_formula(j, 1, f'=SUMIFS(data!$C$2:$C${last},data!$B$2:$B${last},A{j + 1},data!$A$2:$A${last},">="&{start},data!$A$2:$A${last},"<"&{end})/1000', None, 0)
    book.close()
    tmp.replace(book_path)
    return book_path


def fig_libreoffice(ctx: Context) -> list[Row]:
    soffice = shutil.which("soffice")
    if soffice is None:
        return [Row("vs LibreOffice", "", "", "", "", "", None, "LibreOffice not installed (apt-get install libreoffice-calc)")]
    book = _sumifs_workbook(ctx)
    counter = iter(range(10**6))

    def recalc() -> Sample:
        return measure(_child("recalc", str(book), str(ctx.work / f"lo-{next(counter)}")), timeout=3600)

    got = interleave(ctx.repeat["libreoffice"], [("libreoffice", recalc), ("calculate", _calc(ctx, "year10min-19p"))])
    lo, ours = med(got["libreoffice"]), med(got["calculate"])
    return [
        Row(
            "vs LibreOffice: 996,138 rows, SUMIFS per point, forced recalc",
            f"calculate {ours:.2f} s",
            f"LibreOffice {lo:.1f} s",
            f"{lo / ours:.1f}x faster",
            f"{peak(got['calculate']):.0f} MB (LibreOffice {peak(got['libreoffice']):.0f} MB)",
            ">= 50x faster",
            lo / ours >= 50,
            failed(got["libreoffice"] + got["calculate"]),
        )
    ]


def _example_run(ctx: Context) -> Path:
    folder = ctx.work / "verify-source"
    if not (folder / "MRS.xlsx").exists():
        sample = measure([str(BIN / "jcmwb"), "run", str(EXAMPLE), "--out", str(folder)])
        if not sample.ok:
            raise RuntimeError(f"jcmwb run of the example failed: {sample.note}")
    return folder


def fig_verify(ctx: Context) -> list[Row]:
    folder = _example_run(ctx)
    counter = iter(range(10**6))

    def verify(*extra: str) -> Callable[[], Sample]:
        return lambda: measure([str(BIN / "jcmwb"), "verify", str(folder / "MRS.xlsx"), *extra, "--out", str(ctx.work / f"verify-{next(counter)}")])

    start = [PY, "-c", "import jcmwb"]
    got = interleave(ctx.repeat["verify"], [("verify", verify()), ("data", verify("--data", str(EXAMPLE.parent))), ("import", lambda: measure(start))])
    floor = med(got["import"])
    rows = []
    for key, label in (("verify", "`jcmwb verify MRS.xlsx`"), ("data", "`jcmwb verify MRS.xlsx --data`")):
        ours = med(got[key])
        rows.append(Row(label, f"{ours:.2f} s", f"import jcmwb {floor:.2f} s", f"{ours / floor:.2f}x", f"{peak(got[key]):.0f} MB", "<= 2 s", ours <= 2.0, failed(got[key])))
    return rows


def fig_receipt(ctx: Context) -> list[Row]:
    folder = _example_run(ctx)
    counter = iter(range(10**6))

    def receipt() -> Sample:
        return measure([str(BIN / "jcmwb"), "verify", "--receipt", str(folder / "receipt.json"), "--out", str(ctx.work / f"receipt-{next(counter)}")])

    got = interleave(ctx.repeat["receipt"], [("receipt", receipt), ("run", _jcmwb_run(ctx, EXAMPLE))])
    ours, one = med(got["receipt"]), med(got["run"])
    return [
        Row(
            "`jcmwb verify --receipt` (TH_AM001 example)",
            f"{ours:.2f} s",
            f"one `jcmwb run` {one:.2f} s",
            f"{ours / one:.2f}x",
            f"{peak(got['receipt']):.0f} MB",
            "<= 1.2x one run",
            ours <= 1.2 * one,
            failed(got["receipt"] + got["run"]),
        )
    ]


RUNNERS: dict[str, Callable[[Context], list[Row]]] = {
    "ingest": fig_ingest,
    "growth": fig_growth,
    "run-large": fig_run_large,
    "run": fig_run,
    "batch": fig_batch,
    "app": fig_app,
    "libreoffice": fig_libreoffice,
    "verify": fig_verify,
    "receipt": fig_receipt,
}


# -- children: the measured part in a fresh process --------------------------------------------------
def child(kind: str, args: list[str]) -> None:
    if kind == "calculate":
        import jcmwb

        start = time.perf_counter()
        jcmwb.calculate(args[0])
        print(json.dumps({"seconds": time.perf_counter() - start}))
    elif kind == "floor":
        import pandas as pd

        import jcmwb  # noqa: F401  (the same imports as ours: the floor is the work, not the start-up)

        start = time.perf_counter()
        frame = pd.read_csv(Path(args[0]).parent / "data.csv")
        stamps = pd.to_datetime(frame["timestamp"], format="ISO8601")
        kept = frame[(stamps >= pd.Timestamp("2021-01-01")) & (stamps < pd.Timestamp("2022-01-01"))]
        kept.groupby("point")["value"].sum()
        print(json.dumps({"seconds": time.perf_counter() - start}))
    elif kind == "recalc":
        from jcmwb.sheets.recalc import recalculate

        start = time.perf_counter()
        recalculate(args[0], args[1], timeout=3600)
        print(json.dumps({"seconds": time.perf_counter() - start}))
    elif kind == "app":
        import app_timing

        app_timing.REPEAT = int(args[0])
        print(json.dumps({"seconds": 0, "times": app_timing.measure()}))
    else:
        raise SystemExit(f"unknown child {kind}")


# -- report -----------------------------------------------------------------------------------------
def machine() -> list[str]:
    lines = [f"- {platform.system()} {platform.release()}, Python {platform.python_version()}, `nproc` = {os.cpu_count()}"]
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            total = int(handle.readline().split()[1]) / 2**20
        lines.append(f"- memory: {total:.1f} GiB")
    except OSError:
        pass
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines()[:10]
        lines.append("- `lscpu | head`: " + "; ".join(" ".join(line.split()) for line in lscpu))
    except OSError:
        pass
    lines.append(f"- load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine adds noise)")
    return lines


def table(rows: list[Row]) -> list[str]:
    out = ["| figure | ours | floor | ratio | peak memory | goal | met |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        met = "n/a" if row.met is None else ("ok" if row.met else "**MISS**")
        note = f" ({row.note})" if row.note else ""
        out.append(f"| {row.figure}{note} | {row.ours} | {row.floor} | {row.ratio} | {row.memory} | {row.goal} | {met} |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="issue 11's figures beside their floors", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--figures", default=",".join(FIGURES), help="comma-separated: " + ", ".join(FIGURES))
    parser.add_argument("--repeat", type=int, help="runs of each side of every figure (default per figure: " + ", ".join(f"{k} {v}" for k, v in DEFAULT_REPEAT.items()) + ")")
    parser.add_argument("--markdown", type=Path, help="also write the table and the machine to this file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    chosen = [f.strip() for f in args.figures.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FIGURES]
    if unknown:
        parser.error(f"unknown figure {unknown[0]!r}; choose from " + ", ".join(FIGURES))
    repeat = {k: (args.repeat or v) for k, v in DEFAULT_REPEAT.items()}
    header = machine()
    print("\n".join(header), flush=True)
    needs = {"ingest": ["year5min-20p"], "growth": ["year5min-20p", "year5min-50p"], "run-large": ["year5min-20p"], "libreoffice": ["year10min-19p"]}
    with tempfile.TemporaryDirectory(prefix="jcmwb-bench-") as tmp:
        ctx = Context(repeat=repeat, work=Path(tmp))
        ctx.inputs = make_inputs.ensure(sorted({n for f in chosen for n in needs.get(f, [])}))
        rows: list[Row] = []
        for figure in chosen:
            started = time.perf_counter()
            print(f"\n== {figure} (x{repeat[figure]}) ...", flush=True)
            try:
                got = RUNNERS[figure](ctx)
            except Exception as exc:  # one broken figure must not hide the others
                got = [Row(figure, "", "", "", "", "", False, f"{type(exc).__name__}: {exc}")]
            rows += got
            print("\n".join(table(got)[2:]), f"\n   ({time.perf_counter() - started:.0f} s)", flush=True)
    text = ["", *table(rows), "", f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"]
    print("\n".join(text))
    misses = [r.figure for r in rows if r.met is False]
    print(f"\n{len(misses)} figure(s) miss their goal" + (": " + "; ".join(misses) if misses else ""))
    if args.markdown:
        args.markdown.write_text("\n".join(["# make bench", "", *header, *text, ""]), encoding="utf-8")


if __name__ == "__main__":
    main()
