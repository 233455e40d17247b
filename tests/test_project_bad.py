"""Bad project folders (tests/cases/projects/bad/<case>/): one clear error each, exit 2, nothing written.

Every case runs ``jcmwb project CASE --out TMP`` in-process (two of them in a child process as
well): exit code 2, one line on stderr that starts with ``error:``, names the file at fault and
says what was expected; no traceback; the output folder is not created; the inputs are unchanged.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES

from jcmwb.cli import main

BAD = CASES / "projects" / "bad"

# case -> (the file the error names, fragments of the message)
EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "overlapping_periods": ("b.yaml", ("period: the period overlaps the period of", "a.yaml (2021-01-01 to 2021-06-30)", "expected a period starting after 2021-06-30", "found 2021-06-01 to 2021-12-31")),
    "period_contradicts_project": ("p.yaml", ("project.title: contradicts", "project.yaml", "expected 'bad project folder (test case)' as project.yaml says", "found 'another title'")),
    "period_contradicts_methodology": ("p.yaml", ("methodology: contradicts", "expected 'TH_AM001'", "found 'ID_AM002'")),
    "period_contradicts_allocation": ("p.yaml", ("allocation: contradicts", "project.yaml", "found {'JP': '60%', 'TH': '40%'}")),
    "unknown_sd_item": ("project.yaml", ("sd.answers.17: unknown SD item of the list Kyrgyz Republic", "expected one of 1, 2, 3", "found '17'")),
    "unknown_sd_item_in_period": ("p.yaml", ("sd.answers.99: unknown SD item", "found '99'")),
    "sd_identified_without_comment": ("project.yaml", ("sd.answers.2: an item answered Identified needs a comment", "found identified, without a comment")),
    "sd_list_not_published": ("project.yaml", ("sd.list: no SD check list for TH is shipped", "expected one of KG", "found 'TH'")),
    "sd_answer_contradicts_project": ("p.yaml", ("sd.answers.3: contradicts", "expected 'not identified'", "found 'identified: oil spill'")),
    "allocation_not_adding_up": ("project.yaml", ("allocation: the shares do not add up to 100 %", "expected 100%, found 110%")),
    "no_allocation": ("p.yaml", ("allocation: no credit allocation", "expected allocation in project.yaml")),
    "vintage_outside_the_period": ("p.yaml", ("authorization.vintages[0]: vintage outside the period", "expected a calendar year of the period 2021-01-01 to 2021-12-31: 2021", "found 2022")),
    "vintages_in_project_yaml": ("project.yaml", ("authorization.vintages: the vintages an authorization covers belong to an issuance",)),
    "acquiring_party_without_share": ("project.yaml", ("authorization.acquiring_party: the acquiring party has no share in the allocation", "found 'KR'")),
    "unknown_key_in_project": ("project.yaml", ("credting_period: unknown key", "crediting_period", "found 'credting_period'")),
    "bad_crediting_date": ("project.yaml", ("crediting_period.end: bad date", "expected YYYY-MM-DD, found '2030-02-30'")),
    "crediting_period_reversed": ("project.yaml", ("crediting_period.end: the crediting period ends before it starts",)),
    "registration_in_period": ("p.yaml", ("registration: registration is fixed at registration: it belongs in project.yaml",)),
    "no_period_files": ("", ("no monitoring-period files in the project folder",)),
    "no_project_yaml": ("project.yaml", ("no project.yaml", "found no such file")),
    "unknown_methodology": ("project.yaml", ("methodology: unknown methodology", "found 'TH_AM999'")),
    "bad_project_id": ("project.yaml", ("project.id: not a valid project id", "found '../escape'")),
    "typed_totals_across_a_year_end": ("p.yaml", ("monitored.EG_i_p.values: the period spans 2 calendar years, and typed period totals cannot be split by year", "found 2021-07-01 to 2022-06-30")),
    "unknown_key_in_period": ("p.yaml", ("ex_post: unknown key", "found 'ex_post'")),
    "sd_answers_without_a_list": ("p.yaml", ("sd: SD answers need the project's check list: sd in project.yaml", "found sd in the period file only")),
    "period_across_a_version_change": ("p.yaml", ("period: the default value of COP_RE_i changes on 2023-10-11, inside the period", "found 2023-07-01 to 2023-12-31")),
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_every_case_folder_is_listed():
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_project_folder(case, tmp_path, capsys):
    folder = BAD / case
    before = _hashes(folder)
    out = tmp_path / "out"
    code = main(["project", str(folder), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err + captured.out
    file, fragments = EXPECTED[case]
    assert lines[0].startswith(f"error: {(folder / file).resolve() if file else folder.resolve()}"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert _hashes(folder) == before


@pytest.mark.parametrize("case", ["overlapping_periods", "vintage_outside_the_period"])
def test_bad_project_folder_in_a_child_process(case, tmp_path):
    done = subprocess.run([sys.executable, "-m", "jcmwb.cli", "project", str(BAD / case), "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_bad_plan(tmp_path, capsys):
    # jcmwb plan without ex_ante: one clear error naming project.yaml, nothing written.
    code = main(["plan", str(BAD / "overlapping_periods"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {(BAD / 'overlapping_periods' / 'project.yaml').resolve()}: ex_ante: no ex ante estimates"), err
    assert not (tmp_path / "out").exists()
