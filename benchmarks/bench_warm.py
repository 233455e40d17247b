"""Warm kernels (issue 11 item 2): cold vs warm, side by side, beside the trivial-papermill floor.

Usage::

    .venv/bin/python benchmarks/bench_warm.py [--repeat N] [--batch-repeat N] [--before REV] [--markdown FILE]

Two figures, each measured in one interleaved run (the order alternates every round; the
median of n), every command in a fresh process, with bench.py's measuring code:

run    ``jcmwb run`` on the TH_AM001 example: warm (the default), cold (``JCMWB_WARM_KERNELS=0``:
       a kernel started after validation, as before, but papermill already imported without
       rfc3987_syntax), and ``--before REV`` (the runner as it was at REV, from a git worktree),
       beside a trivial papermill run (one cell, the same kernel). Goal: <= 1.3x the trivial run.
batch  ``jcmwb batch data/examples --jobs 2``, warm, cold and before, beside as many trivial
       papermill runs two at a time. Goal: >= 1.8 runs/s.

The load average is printed at the start and the end: the machine is shared, and absolute
times move with it; the ratios measured side by side move less.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import BIN, EXAMPLE, PY, ROOT, Context, Sample, _examples, _papermill, _trivial_notebook, interleave, machine, measure, med, peak  # noqa: E402

COLD = {"JCMWB_WARM_KERNELS": "0"}


def _worktree(rev: str, work: Path) -> Path:
    """The checkout at ``rev`` (a detached git worktree), to measure the code before the change."""
    tree = work / "before"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), rev], check=True)
    return tree


def _jcmwb(args: list[str], env: dict[str, str] | None, before: Path | None = None) -> Callable[[], Sample]:
    if before is not None:  # the old package first on the path (python -m puts the cwd first too)
        env = {**(env or {}), "PYTHONPATH": str(before)}
        return lambda: measure([PY, "-m", "jcmwb.cli", *args], env=env, cwd=before)
    return lambda: measure([PY, "-m", "jcmwb.cli", *args], env=env)


def _counter() -> Callable[[], int]:
    numbers = iter(range(10**6))
    return lambda: next(numbers)


def fig_run(ctx: Context, n: int, before: Path | None) -> list[str]:
    count = _counter()

    def run(env: dict[str, str] | None, tree: Path | None = None) -> Callable[[], Sample]:
        example = tree / EXAMPLE.relative_to(ROOT) if tree else EXAMPLE  # each code with its own examples
        return lambda: _jcmwb(["run", str(example), "--out", str(ctx.work / f"run-{count()}")], env, tree)()

    pairs = [("warm", run(None)), ("cold", run(COLD)), ("papermill", _papermill(ctx))]
    if before is not None:
        pairs.append(("before", run(None, before)))
    got = interleave(n, pairs)
    floor = med(got["papermill"])
    lines = ["| `jcmwb run`, TH_AM001 example | median | / trivial papermill | peak memory | goal <= 1.3x |", "|---|---|---|---|---|"]
    for name, _ in pairs:
        seconds = med(got[name])
        bad = sum(not s.ok for s in got[name])
        met = "" if name == "papermill" else ("ok" if seconds <= 1.3 * floor else "**MISS**")
        lines.append(f"| {name}{f' ({bad} failed)' if bad else ''} | {seconds:.2f} s | {seconds / floor:.2f}x | {peak(got[name]):.0f} MB | {met} |")
    return lines


def fig_batch(ctx: Context, n: int, before: Path | None) -> list[str]:
    count = _counter()
    periods = len(_examples())

    def batch(env: dict[str, str] | None, tree: Path | None = None) -> Callable[[], Sample]:
        examples = (tree or ROOT) / "data" / "examples"
        return lambda: _jcmwb(["batch", str(examples), "--jobs", "2", "--reports", str(ctx.work / f"batch-{count()}")], env, tree)()

    notebook = _trivial_notebook(ctx)
    script = (
        "import subprocess, sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        f"cmd = lambda i: subprocess.run([{str(BIN / 'papermill')!r}, '--log-level', 'WARNING', '-k', 'python3', {str(notebook)!r}, {str(ctx.work)!r} + f'/pool-{{i}}.ipynb'], check=True, capture_output=True)\n"
        f"with ThreadPoolExecutor(2) as pool: list(pool.map(cmd, range({periods})))\n"
    )
    pairs = [("warm", batch(None)), ("cold", batch(COLD)), ("papermill", lambda: measure([PY, "-c", script]))]
    if before is not None:
        pairs.append(("before", batch(None, before)))
    got = interleave(n, pairs)
    floor = periods / med(got["papermill"])
    lines = [f"| batch, {periods} examples, 2 workers | median | runs/s | / trivial papermill | peak memory (tree) | goal >= 1.8 runs/s |", "|---|---|---|---|---|---|"]
    for name, _ in pairs:
        seconds = med(got[name])
        rate = periods / seconds
        bad = sum(not s.ok for s in got[name])
        met = "" if name == "papermill" else ("ok" if rate >= 1.8 else "**MISS**")
        lines.append(f"| {name}{f' ({bad} failed)' if bad else ''} | {seconds:.1f} s | {rate:.2f} | {rate / floor:.2f}x | {peak(got[name]):.0f} MB | {met} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the run figure (default 5; 0 skips it)")
    parser.add_argument("--batch-repeat", type=int, default=1, help="rounds of the batch figure (default 1; 0 skips it)")
    parser.add_argument("--before", metavar="REV", help="also measure the code at this git revision (e.g. the commit before warm kernels)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    header = machine()
    print("\n".join(header), flush=True)
    with tempfile.TemporaryDirectory(prefix="jcmwb-bench-warm-") as tmp:
        ctx = Context(repeat={}, work=Path(tmp))
        before = _worktree(args.before, ctx.work) if args.before else None
        try:
            text = ["", *fig_run(ctx, args.repeat, before)] if args.repeat else []
            print("\n".join(text), flush=True)
            if args.batch_repeat:
                batch = ["", *fig_batch(ctx, args.batch_repeat, before)]
                print("\n".join(batch), flush=True)
                text += batch
        finally:
            if before is not None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False)
    end = f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    print("\n" + end)
    if args.markdown:
        args.markdown.write_text("\n".join(["# bench_warm", "", *header, *text, "", end, ""]), encoding="utf-8")


if __name__ == "__main__":
    main()
