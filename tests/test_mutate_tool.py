"""tests/mutate.py's report: which survivors docs/mutation.md explains, and which it does not."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutate import DOC, EQUIVALENT_HEADING, equivalent_section, explained, function_of, mutated_lines, unused_explanations  # noqa: E402

DOC_OF_TWO_TABLES = f"""# Mutation testing

## Survivors killed by new tests

| function | mutated line | killed by |
|---|---|---|
| `monitoring._interval` | `count=hi + lo,` | `test_mutants.py::test_interval_points_keep_their_own_months_counts_and_exclusions` |

{EQUIVALENT_HEADING}

| function | mutated line | why |
|---|---|---|
| `monitoring._daily` | `dup = frame.duplicated(["d"], )` | `keep="first"` is pandas' default |
| `units.factor` | `return a \\| b` | a pipe inside code is escaped |

## Survivors not yet dealt with

| function | mutated line | why not yet |
|---|---|---|
| `issuance.allocate` | `return None` | not yet |
"""


def test_only_the_equivalent_table_explains_a_survivor():
    """A survivor listed as killed by a test did survive that test: the claim is false, so the
    report must name it (before, any table row naming it hid it). Nor does a row under "not yet
    dealt with" explain anything."""
    assert explained("monitoring._daily", ['dup = frame.duplicated(["d"], )'], DOC_OF_TWO_TABLES)
    assert not explained("monitoring._interval", ["count=hi + lo,"], DOC_OF_TWO_TABLES)
    assert not explained("issuance.allocate", ["return None"], DOC_OF_TWO_TABLES)


def test_a_row_must_name_the_same_function_and_every_mutated_line():
    assert explained("units.factor", ["return a | b"], DOC_OF_TWO_TABLES)  # the escaped pipe is read as |
    assert not explained("monitoring._interval", ['dup = frame.duplicated(["d"], )'], DOC_OF_TWO_TABLES)
    assert not explained("monitoring._daily", ['dup = frame.duplicated(["d"], )', "name = None"], DOC_OF_TWO_TABLES)
    assert not explained("monitoring._daily", ['dup = frame.duplicated(["d"], keep=None)'], DOC_OF_TWO_TABLES)


def test_an_equivalent_row_that_explains_no_survivor_of_its_function_is_reported_as_out_of_date():
    """`_daily` was mutated and its one survivor is the `duplicated` row's: the table's other rows
    are fine; had `_daily` survived with another line only, its row would be out of date. A row of
    a function this run did not mutate (`units.factor` here) is judged only by a run of every concern."""
    daily_row = next(row for row in DOC_OF_TWO_TABLES.splitlines() if row.startswith("| `monitoring._daily`"))
    survivors = [("monitoring._daily", ['dup = frame.duplicated(["d"], )'])]
    assert unused_explanations(DOC_OF_TWO_TABLES, {"monitoring._daily"}, survivors) == []
    assert unused_explanations(DOC_OF_TWO_TABLES, {"monitoring._daily"}, []) == [daily_row]
    assert unused_explanations(DOC_OF_TWO_TABLES, {"monitoring._daily"}, [("monitoring._interval", ['dup = frame.duplicated(["d"], )'])]) == [daily_row]
    assert unused_explanations(DOC_OF_TWO_TABLES, {"units.factor"}, []) == ["| `units.factor` | `return a \\| b` | a pipe inside code is escaped |"]
    assert unused_explanations(DOC_OF_TWO_TABLES, {"units.factor"}, [("units.factor", ["return a | b"])]) == []
    # a run of every concern judges every row: the row of a function that is gone is out of date
    assert unused_explanations(DOC_OF_TWO_TABLES, None, survivors) == [row for row in DOC_OF_TWO_TABLES.splitlines() if row.startswith("| `units.factor`")]
    # rows under "killed" and "not yet dealt with" are not the equivalent table's
    assert unused_explanations(DOC_OF_TWO_TABLES, {"monitoring._interval", "issuance.allocate"}, []) == []


def test_mutmut_names_and_diffs_are_read_as_the_tables_write_them():
    assert function_of("jcmwb.engine.monitoring.x__register__mutmut_12") == "monitoring._register"
    assert function_of("jcmwb.engine.units.x_parse_unit__mutmut_1") == "units.parse_unit"
    diff = "--- a.py\n+++ a.py\n@@ -1 +1 @@\n-    count=hi - lo,\n+    count=hi + lo,\n"
    assert mutated_lines(diff) == ["count=hi + lo,"]
    assert mutated_lines("--- a.py\n+++ a.py\n@@ -1,2 +1 @@\n-    count=count,\n") == ["deleted: count=count,"]


def test_the_committed_report_has_one_equivalent_table_with_a_reason_in_every_row():
    section = equivalent_section(DOC.read_text(encoding="utf-8"))
    rows = [r for r in section.splitlines() if r.startswith("| `")]
    assert len(rows) > 50
    for row in rows:
        cells = [c.strip() for c in row.replace("\\|", "¦").split("|")[1:-1]]
        assert len(cells) == 3 and cells[0].startswith("`") and cells[1].startswith("`") and len(cells[2]) > 20, row
