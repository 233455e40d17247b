"""The project cycle in-process: project.yaml and its periods, vintages, allocation per vintage,
the checks across periods, the TH014 figures. Every number is derived by hand in a comment.

The grid emission factor of TH_AM001 used here is the provisional 0.4 tCO2/MWh (conftest.TH_EF_GRID);
TH_AM001 rounds ER_p down to whole tonnes.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import CASES, TH_EF_GRID

import jcmwb
from jcmwb.engine.compute import calculate
from jcmwb.engine.cycle import load_project
from jcmwb.engine.errors import InputError
from jcmwb.engine.issuance import parse_allocation
from jcmwb.engine.period import load_period
from jcmwb.engine.vintage import allocate_by_year, calendar_parts, notice_period, round_parts
from jcmwb.run.project import prepare

PROJECTS = CASES / "projects"
D = dt.date

PROJECT = """\
project: {id: TEST-CYCLE, title: "test project", partner_country: TH}
methodology: TH_AM001
allocation: {JP: "50%", TH: "50%", rounding: {JP: up}}
"""


def typed(start: str, end: str, mwh: float = 1000.0, extra: str = "") -> str:
    return textwrap.dedent(
        f"""\
        period: {{start: "{start}", end: "{end}"}}
        fixed: {{EF_RE: {{option: grid}}}}
        monitored:
          EG_i_p: {{option: C, unit: MWh, values: {{PV-1: {mwh}}}}}
        """
    ) + extra


def folder(tmp_path: Path, project: str, periods: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "project.yaml").write_text(project, encoding="utf-8")
    for name, text in periods.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


# -- vintages ----------------------------------------------------------------------------------------
def test_calendar_parts_across_a_year_end_and_a_leap_year():
    # 2023-12-02 .. 2024-03-01: 30 days of December 2023; January 31 + February 29 (2024 is a
    # leap year) + 1 day of March = 61 days of 2024.
    parts = calendar_parts(D(2023, 12, 2), D(2024, 3, 1))
    assert [(p.year, p.start, p.end, p.days) for p in parts] == [(2023, D(2023, 12, 2), D(2023, 12, 31), 30), (2024, D(2024, 1, 1), D(2024, 3, 1), 61)]
    # MV002's period: 2021-12-02 .. 2022-10-31 -> 30 days + 304 days (Jan..Oct 2022: 31+28+31+30+31+30+31+31+30+31).
    parts = calendar_parts(D(2021, 12, 2), D(2022, 10, 31))
    assert [p.days for p in parts] == [30, 304]
    assert parts[0].label == "02/Dec/2021 \u2013 31/Dec/2021"
    assert notice_period(D(2021, 1, 1), D(2021, 12, 31)) == "01/Jan/2021 \u2013 31/Dec/2021"


def test_round_parts_by_the_largest_remainder():
    # ER_p 750 issued; the parts by the spec: 60.4 and 690.1 t (sum 750.5, above ER_p after rounding).
    # exact 750 x 60.4 / 750.5 = 60.3598 and 750 x 690.1 / 750.5 = 689.6402 -> floors 60 + 689 = 749;
    # the one tonne left goes to the larger fraction (0.6402 > 0.3598): 60 and 690.
    exact, parts = round_parts(750, [60.4, 690.1])
    assert exact == pytest.approx([60.35976, 689.64024], abs=1e-5)
    assert parts == [60, 690]
    # A tie goes to the earlier year: 3 t over two equal halves -> 1.5 / 1.5 -> 2 and 1.
    assert round_parts(3, [10.0, 10.0])[1] == [2, 1]
    # A part computed negative carries no credits: 10 t over (-2, 12.4) -> 0 and 10.
    assert round_parts(10, [-2.0, 12.4])[1] == [0, 10]
    # Three parts: 100 t over 1/3 each -> 33.333 each -> 33 + 33 + 33 = 99, the tonne to the first: 34, 33, 33.
    assert round_parts(100, [1.0, 1.0, 1.0])[1] == [34, 33, 33]


def test_allocation_per_vintage_keeps_the_period_split():
    # The example's third period: 1,734 t, 839 in 2022 and 895 in 2023; 50 % to Japan rounded up.
    # The period: JP ceil(867.0) = 867, TH 1,734 - 867 = 867.
    # 2022 by the rule: JP ceil(419.5) = 420, TH 839 - 420 = 419.
    # 2023 takes what is left of each party's total: JP 867 - 420 = 447, TH 867 - 419 = 448 (447 + 448 = 895).
    split = parse_allocation({"JP": "50%", "TH": "50%", "rounding": {"JP": "up"}})
    assert allocate_by_year([839, 895], split) == [{"JP": 420, "TH": 419}, {"JP": 447, "TH": 448}]
    # One year: the period's allocation itself (TH014: 2,017 -> JP ceil(1,008.5) = 1,009, TH 1,008).
    assert allocate_by_year([2017], split) == [{"JP": 1009, "TH": 1008}]


def test_vintages_of_a_period_across_a_year_end_in_a_leap_year(tmp_path):
    # Daily energy (interval 1D) of one block, 2023-12-31 .. 2024-03-01:
    #   2023: 31 Dec 2,600 kWh                                  -> 2.6 MWh x 0.4 = 1.04 t
    #   2024: 60 days x 1,000 kWh + 29 Feb 3,000 kWh = 63 MWh     -> 63 x 0.4 = 25.2 t
    # ER_p = floor(65.6 x 0.4) = floor(26.24) = 26.
    # Shares: 26 x 1.04 / 26.24 = 1.0305 and 26 x 25.2 / 26.24 = 24.9695 -> floors 1 + 24 = 25; the
    # tonne left goes to 2024 (0.9695 > 0.0305): 2023 -> 1, 2024 -> 25.
    # Allocation: the period JP ceil(13.0) = 13, TH 13; 2023: JP ceil(0.5) = 1, TH 0;
    # 2024: JP 13 - 1 = 12, TH 13 - 0 = 13.
    # Without 29 February (a calendar that forgot the leap day) 2024 would be 60 MWh and ER_p 25.
    rows = ["timestamp,point,value,unit", "2023-12-31T00:00:00,PV-1,2600,kWh"]
    day = D(2024, 1, 1)
    while day <= D(2024, 3, 1):
        rows.append(f"{day.isoformat()}T00:00:00,PV-1,{3000 if day == D(2024, 2, 29) else 1000},kWh")
        day += dt.timedelta(days=1)
    (tmp_path / "daily.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    period = textwrap.dedent(
        """\
        period: {start: "2023-12-31", end: "2024-03-01"}
        fixed: {EF_RE: {option: grid}}
        monitored:
          EG_i_p: {option: C, data: daily.csv, format: interval, interval: 1D, unit: kWh, points: {PV-1: "block 1"}}
        """
    )
    project, issuances, _ = prepare(folder(tmp_path, PROJECT, {"p.yaml": period}))
    (issuance,) = issuances
    assert issuance.er == 26 == int(65.6 * TH_EF_GRID)
    assert [v.raw for v in issuance.vintages] == pytest.approx([1.04, 25.2])
    assert [v.exact for v in issuance.vintages] == pytest.approx([26 * 1.04 / 26.24, 26 * 25.2 / 26.24])
    assert [v.credits for v in issuance.vintages] == [1, 25]
    assert [v.parties for v in issuance.vintages] == [{"JP": 1, "TH": 0}, {"JP": 12, "TH": 13}]
    assert issuance.parties == {"JP": 13, "TH": 13}
    assert [(r["year"], r["party"], r["credits"]) for r in issuance.ledger_rows()] == [(2023, "JP", 1), (2023, "TH", 0), (2024, "JP", 12), (2024, "TH", 13)]
    assert sum(r["credits"] for r in issuance.ledger_rows()) == issuance.er


def test_example_projects_add_up():
    """Both example folders: every period's rows add up to its ER_p, each party's to its allocation."""
    for name in ("EXAMPLE-TH101", "EXAMPLE-ID117"):
        project, issuances, plan = prepare(Path(__file__).resolve().parent.parent / "data" / "examples" / "projects" / name)
        for issuance in issuances:
            rows = issuance.ledger_rows()
            assert sum(r["credits"] for r in rows) == issuance.er
            for party, credits in issuance.parties.items():
                assert sum(r["credits"] for r in rows if r["party"] == party) == credits
            assert issuance.er == jcmwb.calculate(issuance.cycle.file).er  # the period file alone gives the same ER_p
        crossing = [i for i in issuances if len(i.vintages) == 2]
        assert crossing, name  # each example has a period across a year end
        assert plan is not None and plan.years[0].part.start == project.info.crediting_start


# -- TH014 -------------------------------------------------------------------------------------------
def test_th014_figures():
    # tests/cases/projects/TH014: 2 x 2,521.5 MWh = 5,043 MWh x 0.4 = 2,017.2 -> 2,017 t;
    # 50 % to Japan rounded up: ceil(1,008.5) = 1,009; Thailand 1,008 (JCM.md section 1).
    project, (issuance,), _ = prepare(PROJECTS / "TH014")
    assert issuance.er == 2017
    assert issuance.parties == {"JP": 1009, "TH": 1008}
    record = issuance.authorization
    assert record is not None
    assert (record.quantity, record.unit) == (1009, "tCO2eq")
    assert record.vintages == [("01/Jan/2021 \u2013 31/Dec/2021", 1009)]
    assert (record.party, record.authorization_id, record.project_authorization_id) == ("Thailand", "JCM-TH014-001", "JCM-TH014")
    assert (record.acquiring_entity, record.status, record.date) == ("Ministry of the Environment, Government of Japan", "Authorized", D(2025, 11, 11))


# -- project.yaml and its periods ----------------------------------------------------------------------
def test_a_period_inherits_from_project_yaml(tmp_path):
    root = folder(tmp_path, PROJECT + 'participants: "A and B"\n', {"p.yaml": typed("2021-01-01", "2021-12-31")})
    period = load_period(root / "p.yaml")
    assert (period.spec.id, period.project_id, period.participants, period.project_file) == ("TH_AM001", "TEST-CYCLE", "A and B", (root / "project.yaml").resolve())
    assert period.allocation is not None and period.allocation.rounding == {"JP": "up"}
    # Repeating a value with the same value is fine.
    (root / "p.yaml").write_text("methodology: TH_AM001\nproject: {id: TEST-CYCLE}\n" + typed("2021-01-01", "2021-12-31"), encoding="utf-8")
    assert jcmwb.calculate(root / "p.yaml").er == 400  # 1,000 MWh x 0.4


def test_a_contradiction_names_both_files(tmp_path):
    root = folder(tmp_path, PROJECT, {"p.yaml": 'project: {partner_country: ID}\n' + typed("2021-01-01", "2021-12-31")})
    with pytest.raises(InputError) as caught:
        load_period(root / "p.yaml")
    line = caught.value.line()
    assert str((root / "p.yaml").resolve()) in line and str((root / "project.yaml").resolve()) in line
    assert "project.partner_country" in line and "'TH'" in line and "'ID'" in line


def test_overlapping_periods_name_both_files(tmp_path):
    root = folder(tmp_path, PROJECT, {"a.yaml": typed("2021-01-01", "2021-12-31"), "b.yaml": typed("2021-04-01", "2021-05-31")})
    with pytest.raises(InputError) as caught:
        load_project(root)
    assert caught.value.file == str((root / "b.yaml").resolve()) and str((root / "a.yaml").resolve()) in caught.value.message
    assert caught.value.found == "2021-04-01 to 2021-05-31"
    # One day of overlap is refused too.
    root2 = folder(tmp_path / "two", PROJECT, {"a.yaml": typed("2021-01-01", "2021-06-30"), "b.yaml": typed("2021-06-30", "2021-12-31")})
    with pytest.raises(InputError, match="overlaps"):
        load_project(root2)


def test_gaps_and_periods_outside_the_crediting_period_are_warnings(tmp_path):
    # Crediting period from 2021-03-01: the first period (2021-01-01 .. 2021-06-30) has
    # January (31) + February (28) = 59 days outside it. Between 2021-06-30 and 2021-08-01 the
    # 31 days of July are in no period. The second period ends 2031-01-31, 31 days after the
    # crediting period (to 2030-12-31).
    project_text = PROJECT + 'crediting_period: {start: "2021-03-01", end: "2030-12-31"}\n'
    root = folder(tmp_path, project_text, {"a.yaml": typed("2021-01-01", "2021-06-30"), "b.yaml": typed("2021-08-01", "2021-12-31"), "c.yaml": typed("2030-01-01", "2031-01-31")})
    project = load_project(root)
    assert [cp.file.name for cp in project.periods] == ["a.yaml", "b.yaml", "c.yaml"]
    outside = [w for w in project.warnings if not w.startswith("gap")]
    assert outside[0] == "a.yaml: the period 2021-01-01 to 2021-06-30 lies 59 day(s) outside the crediting period 2021-03-01 to 2030-12-31 (the JC issues no credits for them)"
    gaps = [w for w in project.warnings if w.startswith("gap")]
    assert gaps[0] == "gap of 31 day(s) between a.yaml (ends 2021-06-30) and b.yaml (starts 2021-08-01): 2021-07-01 to 2021-07-31 is in no monitoring period, so no credits for it"
    # 2021-12-31 -> 2030-01-01: 2022..2029 = 8 years, 2 of them leap (2024, 2028): 8 x 365 + 2 = 2,922 days.
    assert gaps[1].startswith("gap of 2922 day(s) between b.yaml")
    assert outside[1].startswith("c.yaml: the period 2030-01-01 to 2031-01-31 lies 31 day(s) outside")
    assert project.periods[0].warnings == [outside[0]]  # and the period's own outputs show it
    # Consecutive periods inside the crediting period: no warning.
    ok = folder(tmp_path / "ok", project_text, {"a.yaml": typed("2021-03-01", "2021-12-31"), "b.yaml": typed("2022-01-01", "2022-12-31")})
    assert load_project(ok).warnings == []


def test_sd_answers_merge_and_unanswered_items_warn(tmp_path):
    answers = ", ".join(f'"{n}": no' for n in range(1, 15))
    project_text = PROJECT + f"sd: {{list: KG, answers: {{{answers}}}}}\n"
    root = folder(tmp_path, project_text, {"a.yaml": typed("2021-01-01", "2021-12-31", extra='sd: {answers: {"15": no, "16": {identified: yes, comment: "a <b>supplier</b> audit"}}}\n'), "b.yaml": typed("2022-01-01", "2022-12-31")})
    project = load_project(root)
    first, second = project.periods
    assert first.warnings == []
    assert first.sd_answers(project.info)["16"].comment == "a <b>supplier</b> audit"
    assert first.sd_answers(project.info)["1"].reference == "registration" and first.sd_answers(project.info)["15"].reference == "monitoring"
    assert second.warnings == ["SD check list (Kyrgyz Republic): item(s) 15, 16 not answered for the period 2022-01-01 to 2022-12-31"]


def test_the_authorization_covers_the_vintages_named(tmp_path):
    # A period across a year end with the authorization of the 2022 vintage only: the quantity
    # is the Japan part of 2022 alone.
    rows = ["timestamp,point,value,unit", "2021-12-31T00:00:00,PV-1,5000,kWh", "2022-01-01T00:00:00,PV-1,7500,kWh"]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # 2021: 5 MWh x 0.4 = 2.0 t; 2022: 7.5 x 0.4 = 3.0 t; ER_p = floor(5.0) = 5 -> 2 and 3.
    # JP: 2021 ceil(1.0) = 1; period ceil(2.5) = 3 -> 2022 JP 3 - 1 = 2.
    period = textwrap.dedent(
        """\
        period: {start: "2021-12-31", end: "2022-01-01"}
        fixed: {EF_RE: {option: grid}}
        monitored:
          EG_i_p: {option: C, data: d.csv, interval: 1D, unit: kWh, points: {PV-1: "block"}}
        authorization: {vintages: [2022], status: Authorized}
        """
    )
    project, (issuance,), _ = prepare(folder(tmp_path, PROJECT + "authorization: {id: JCM-T1, party: Thailand}\n", {"p.yaml": period}))
    assert [v.credits for v in issuance.vintages] == [2, 3]
    assert issuance.authorization.quantity == 2
    assert issuance.authorization.vintages == [("01/Jan/2022 \u2013 01/Jan/2022", 2)]


def test_run_of_a_period_file_in_a_project_folder_hashes_project_yaml():
    from jcmwb.run.runner import input_files

    period = load_period(PROJECTS / "TH014" / "2021.yaml")
    roles = [role for role, _ in input_files(period)]
    assert roles == ["monitoring period", "project"]


def test_calculate_of_a_project_yaml_is_refused():
    with pytest.raises(InputError, match="this is a project file"):
        calculate(PROJECTS / "TH014" / "project.yaml")


def test_a_project_may_bring_its_own_sd_list(tmp_path):
    own = 'name: Test list\nsource: "made up for this test"\nitems:\n  A1: {category: Noise, text: "Noise at night"}\n  A2: {text: "Dust"}\n'
    root = folder(tmp_path, PROJECT + 'sd: {list: own-sd.yaml, answers: {A1: no}}\n', {"own-sd.yaml": own, "p.yaml": typed("2021-01-01", "2021-12-31")})
    project = load_project(root)
    assert [cp.file.name for cp in project.periods] == ["p.yaml"]  # the list is no period file
    assert (root / "own-sd.yaml").resolve() in project.inputs()
    assert project.periods[0].warnings == ["SD check list (Test list): item(s) A2 not answered for the period 2021-01-01 to 2021-12-31"]
    (root / "project.yaml").write_text(PROJECT + "sd: {list: ../elsewhere.yaml}\n", encoding="utf-8")
    with pytest.raises(InputError, match="an SD check list file must be inside the project folder"):
        load_project(root)
