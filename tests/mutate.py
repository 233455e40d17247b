"""`make mutate`: mutation testing of the engine's period filtering, unit conversion, rounding,
corrections and allocation against the fast suite, with a short report of the survivors.

mutmut (configured in pyproject.toml, [tool.mutmut]) copies the package to mutants/, makes each
small change (a ``>=`` for a ``>``, a ``+ 1``, a dropped argument, ...) one at a time, and runs
the tests that reach the changed function (``-m "not slow"``). A mutant that no test notices
*survives*. The functions mutated are listed in TARGETS; the survivors are written to
mutants/survivors.md with their diffs. A survivor is acceptable only when docs/mutation.md
explains it as equivalent (the program does the same with it), by its function and its mutated
line; the run fails on any other, so a new survivor is either killed by a test or explained.

Usage: ``python tests/mutate.py [--jobs N] [--targets KEYS] [--narrow] [--report-only]``;
MUTATE_JOBS sets N (default 2). Without options (``make mutate``) every target is run against
the whole fast suite: the complete habit.

``--targets units,corrections`` runs only those concerns (keys: period, units, rounding,
corrections, allocation); the report then counts only them.

``--narrow`` runs in two stages, for a shorter run: first each mutant against only the test files
in NARROW_TESTS (those that test these functions directly; a unit or correction mutant otherwise
reaches hundreds of tests), then every mutant not killed there (survived, no tests, timeout) and
not explained as equivalent in docs/mutation.md again against the whole fast suite. Only a
mutant that survives the second stage is a survivor (an explained one is accepted either way).
The first stage's statuses are kept in mutants/mutate-stage1.json, because mutmut resets its
stored results when the test selection changes; ``--stage2`` runs the second stage alone, on
them (after a first stage that was stopped, or with tests added since). ``--report-only`` reads
the merged statuses; a mutant the second stage did not reach keeps its first-stage status,
marked "(narrow stage only)".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "mutation.md"
REPORT = ROOT / "mutants" / "survivors.md"
MERGED = ROOT / "mutants" / "mutate-results.json"
STAGE1 = ROOT / "mutants" / "mutate-stage1.json"
MUTMUT = [sys.executable, "-m", "mutmut"]
# mutmut with its test selection replaced (argv[1], comma-separated): the first stage of --narrow.
# mutmut reads its config once (configuration.config()) and forks its workers from this process.
_NARROWED_MUTMUT = (
    "import sys\n"
    "from mutmut.configuration import config\n"
    "config().pytest_add_cli_args_test_selection = sys.argv[1].split(',')\n"
    "sys.argv = ['mutmut', *sys.argv[2:]]\n"
    "from mutmut.__main__ import cli\n"
    "cli()\n"
)

# concern -> mutmut name patterns (module path, x_ + function, or xǁClassǁmethod)
TARGETS: dict[str, list[str]] = {
    "period filtering": [
        "jcmwb.engine.monitoring.x__interval__mutmut_*",
        "jcmwb.engine.monitoring.x__register__mutmut_*",
        "jcmwb.engine.monitoring.x__monthly__mutmut_*",
        "jcmwb.engine.monitoring.x__daily__mutmut_*",
        "jcmwb.engine.monitoring.x__by_category__mutmut_*",
        "jcmwb.engine.monitoring.x__within_period__mutmut_*",
    ],
    "unit conversion": [
        "jcmwb.engine.units.x_strip_period__mutmut_*",
        "jcmwb.engine.units.x_parse_unit__mutmut_*",
        "jcmwb.engine.units.x_factor__mutmut_*",
        "jcmwb.engine.monitoring.x__unit_factor__mutmut_*",
        "jcmwb.engine.monitoring.x__typed__mutmut_*",
    ],
    "rounding": [
        "jcmwb.engine.compute.x_finish__mutmut_*",
        "jcmwb.engine.numbers.x_round_half_away__mutmut_*",
        "jcmwb.engine.numbers.x_round_whole__mutmut_*",
        "jcmwb.engine.numbers.x_excel_rounding__mutmut_*",
        "jcmwb.engine.formulas.xǁ_NumberBackendǁrounding__mutmut_*",
        "jcmwb.engine.formulas.xǁ_ExcelBackendǁrounding__mutmut_*",
    ],
    "corrections": ["jcmwb.engine.corrections.*"],
    "allocation": ["jcmwb.engine.issuance.*"],
}

KEYS = {"period": "period filtering", "units": "unit conversion", "rounding": "rounding", "corrections": "corrections", "allocation": "allocation"}

# --narrow, first stage: the test files that call the targets directly or through small periods
# (grep: units/factor, corrections/gaps, issuance/allocation, rounding, the cases and the
# mutant-killing tests); the second stage runs what survives them against the whole fast suite.
NARROW_TESTS = [
    "tests/test_units.py",
    "tests/test_corrections.py",
    "tests/test_issuance.py",
    "tests/test_compute.py",
    "tests/test_formulas.py",
    "tests/test_period.py",
    "tests/test_monitoring.py",
    "tests/test_mutants.py",
    "tests/test_cases.py",
    "tests/test_bad_input.py",
    "tests/test_engine_features.py",
    "tests/test_defects_results.py",
]

_NAME = re.compile(r"^\s*(\S+__mutmut_\d+): (\w+)\s*$")


def _concern(name: str) -> str:
    from fnmatch import fnmatchcase

    return next((c for c, patterns in TARGETS.items() if any(fnmatchcase(name, p) for p in patterns)), "other")


def mutmut_results(concerns: list[str]) -> dict[str, str]:
    """mutant name -> status (killed, survived, timeout, no tests, ...) as mutmut stored it."""
    done = subprocess.run([*MUTMUT, "results", "--all", "true"], capture_output=True, text=True, cwd=ROOT)
    out = {}
    for line in done.stdout.splitlines():
        match = _NAME.match(line)
        if match and _concern(match.group(1)) in concerns:
            out[match.group(1)] = match.group(2)
    return out


def results(concerns: list[str]) -> dict[str, str]:
    """The statuses of the last run: merged ones (mutants/mutate-results.json) when present; after
    an unfinished second stage, the first stage's, updated with what the second one reached."""
    if MERGED.exists():
        return {k: v for k, v in json.loads(MERGED.read_text(encoding="utf-8")).items() if _concern(k) in concerns}
    if STAGE1.exists():
        first = {k: v for k, v in json.loads(STAGE1.read_text(encoding="utf-8")).items() if _concern(k) in concerns}
        now, out = mutmut_results(concerns), {}
        for name, status in first.items():
            later = now.get(name, "not checked")
            if status == "killed" or (later == "not checked" and status != "survived"):
                out[name] = status
            else:
                out[name] = later if later != "not checked" else f"{status} (narrow stage only)"
        return out
    return mutmut_results(concerns)


def run_mutmut(patterns: list[str], jobs: int, tests: list[str] | None = None) -> int:
    """mutmut run on the patterns; with ``tests``, against those test files only."""
    head = [sys.executable, "-c", _NARROWED_MUTMUT, ",".join(tests)] if tests else MUTMUT
    return subprocess.run([*head, "run", "--max-children", str(jobs), *patterns], cwd=ROOT).returncode


def diff_of(name: str) -> str:
    return subprocess.run([*MUTMUT, "show", name], capture_output=True, text=True, cwd=ROOT).stdout


def function_of(name: str) -> str:
    """'jcmwb.engine.monitoring.x__register__mutmut_12' -> 'monitoring._register'."""
    module, _, rest = name.rpartition(".")
    function = re.sub(r"__mutmut_\d+$", "", rest)
    function = function.replace("ǁ", ".").lstrip(".")
    function = function[2:] if function.startswith("x_") else function.lstrip("x.")
    return f"{module.rsplit('.', 1)[-1]}.{function}"


def mutated_lines(diff: str) -> list[str]:
    """The mutated line(s) as they read after the mutation; a deleted line as 'deleted: LINE'."""
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return added or [f"deleted: {line[1:].strip()}" for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]


EQUIVALENT_HEADING = "## Survivors explained as equivalent"


def equivalent_section(doc: str) -> str:
    """The part of docs/mutation.md that lists equivalent mutants (up to the next ``## `` heading).

    Only this table explains a survivor: a mutant listed as killed by a test that survives
    anyway is a false claim, and must be reported, not accepted.
    """
    if EQUIVALENT_HEADING not in doc:
        return ""
    rest = doc.split(EQUIVALENT_HEADING, 1)[1]
    return rest.split("\n## ", 1)[0]


def explained(function: str, lines: list[str], doc: str) -> bool:
    """The equivalent table of docs/mutation.md has a row naming the function and the mutated line (in backticks)."""
    return any(_row_explains(row, function, lines) for row in equivalent_section(doc).splitlines())


def _row_explains(row: str, function: str, lines: list[str]) -> bool:
    row = row.replace("\\|", "|")  # a | inside code is escaped in a Markdown table
    return row.startswith("|") and f"`{function}`" in row and all(f"`{line}`" in row for line in lines)


def unused_explanations(doc: str, functions: set[str] | None, survivors: list[tuple[str, list[str]]]) -> list[str]:
    """Rows of the equivalent table that name a function mutated in this run yet explain none of its survivors.

    Such a row is out of date: its line is gone from the code, or its mutant is now killed (so it
    was not equivalent, or a test now reads what it changes). Rows of functions not run are left
    alone; ``functions=None`` (a run of every concern) judges every row, so a row naming a
    function that no longer exists is out of date too.
    """
    unused = []
    for row in equivalent_section(doc).splitlines():
        if not row.startswith("| `"):
            continue
        function = row.split("`")[1]
        if (functions is None or function in functions) and not any(_row_explains(row, f, lines) for f, lines in survivors):
            unused.append(row)
    return unused


def report(statuses: dict[str, str], seconds: float | None, concerns: list[str]) -> tuple[str, list[str], list[str]]:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    counts: dict[str, dict[str, int]] = {}
    for name, status in statuses.items():
        per = counts.setdefault(_concern(name), {})
        per[status] = per.get(status, 0) + 1
    lines = ["# Mutation testing: survivors", ""]
    if seconds is not None:
        lines.append(f"mutmut run took {seconds / 60:.0f} min.")
    lines += ["", "| concern | mutants | killed | survived | other |", "|---|---|---|---|---|"]
    for concern in concerns:
        per = counts.get(concern, {})
        total = sum(per.values())
        other = total - per.get("killed", 0) - per.get("survived", 0)
        lines.append(f"| {concern} | {total} | {per.get('killed', 0)} | {per.get('survived', 0)} | {other} |")
    unexplained = []
    survivors: list[tuple[str, list[str]]] = []
    lines += ["", "## Survivors", ""]
    for name, status in sorted(statuses.items()):
        if status == "killed":
            continue
        diff = diff_of(name)
        function, changed = function_of(name), mutated_lines(diff)
        survived = status.split(" (")[0] == "survived"
        if survived:
            survivors.append((function, changed))
        ok = survived and explained(function, changed, doc)
        if not ok:
            unexplained.append(f"{name} ({status}): {function}: {' / '.join(changed)}")
        lines += [f"### {name}: {status}{' (explained in docs/mutation.md)' if ok else ' (NOT EXPLAINED)'}", "", "```diff", diff.strip(), "```", ""]
    unused = unused_explanations(doc, None if set(concerns) == set(KEYS.values()) else {function_of(name) for name in statuses}, survivors)
    if unused:
        lines += ["## Equivalent rows that explained no survivor of this run", "",
                  "Their line is gone from the code, or their mutant is killed now: move them out of the table.", ""]
        lines += [f"- {row}" for row in unused]
    return "\n".join(lines) + "\n", unexplained, unused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "2")))
    parser.add_argument("--targets", default=",".join(KEYS), help="concerns to run, comma-separated: " + ", ".join(KEYS))
    parser.add_argument("--narrow", action="store_true", help="first against NARROW_TESTS, then what they leave against the whole fast suite")
    parser.add_argument("--stage2", action="store_true", help="only the second stage of --narrow, on the first stage's statuses")
    parser.add_argument("--report-only", action="store_true", help="write the report of the last run, without running")
    args = parser.parse_args(argv)
    unknown = [k for k in args.targets.split(",") if k not in KEYS]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; expected some of {', '.join(KEYS)}")
    concerns = [KEYS[k] for k in args.targets.split(",")]
    seconds = None
    if not args.report_only:
        patterns = [p for concern in concerns for p in TARGETS[concern]]
        started = time.monotonic()
        MERGED.unlink(missing_ok=True)
        if args.stage2:
            statuses = json.loads(STAGE1.read_text(encoding="utf-8")) if STAGE1.exists() else mutmut_results(concerns)
        else:
            STAGE1.unlink(missing_ok=True)
            if run_mutmut(patterns, args.jobs, NARROW_TESTS if args.narrow else None) != 0:
                print("error: mutmut run failed; see its output above", file=sys.stderr)
                return 1
            statuses = mutmut_results(concerns)
        if args.narrow or args.stage2:
            STAGE1.write_text(json.dumps(statuses, indent=1, sort_keys=True), encoding="utf-8")
            doc = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
            again = sorted(n for n, st in statuses.items() if st != "killed" and not (st == "survived" and explained(function_of(n), mutated_lines(diff_of(n)), doc)))
            print(f"narrow stage: {len(statuses)} mutants, {sum(st == 'killed' for st in statuses.values())} killed; {len(again)} not killed nor explained, again against the whole fast suite")
            if again:
                if run_mutmut(again, args.jobs) != 0:
                    print("error: mutmut run (second stage) failed; see its output above", file=sys.stderr)
                    return 1
                statuses.update({k: v for k, v in mutmut_results(concerns).items() if k in again})
        MERGED.write_text(json.dumps(statuses, indent=1, sort_keys=True), encoding="utf-8")
        seconds = time.monotonic() - started
    statuses = results(concerns)
    if not statuses:
        print("error: no mutant results under mutants/: run without --report-only first", file=sys.stderr)
        return 1
    text, unexplained, unused = report(statuses, seconds, concerns)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    killed = sum(s == "killed" for s in statuses.values())
    print(f"{len(statuses)} mutants, {killed} killed, {len(statuses) - killed} not killed; report: {REPORT.relative_to(ROOT)}")
    for row in unused:
        print(f"equivalent row out of date (explained no survivor of this run): {row[:160]}")
    for line in unexplained:
        print(f"SURVIVOR NOT EXPLAINED in docs/mutation.md: {line}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
