"""What a TPE checks beyond the arithmetic (``jcmwb.verify.tpe``): calibration, data gaps,
eligibility, COP range, outliers, materiality, and the CAR/CL/FAR class of each finding.

Inputs are built here by hand and every expected number derived in the comments. The small
period is TH_AM008 (heat pumps), 2022-01-01 to 2022-01-10, daily values in kWh:

* EC_HP_i_p, meter HP-1 (heat-pumps.csv, rows 2-11, one row a day):
  1000, 1010, 990, 1005, 995, 1000, 1002, 998, 5000, 1000; the 5000 of 2022-01-09 is row 10.
  median 1000; |x - 1000| = 0, 10, 10, 5, 5, 0, 2, 2, 4000, 0 -> sorted 0,0,0,2,2,5,5,10,10,4000,
  MAD = (2 + 5) / 2 = 3.5; modified z of 5000 = 0.6745 x 4000 / 3.5 = +770.9 (> 3.5: flagged);
  of 1010 and 990: 0.6745 x 10 / 3.5 = 1.93 (not flagged).
* EC_AUX_j_p, meter P-1: 100 every day (all equal: nothing to flag); meter P-2: 200, 210, 190,
  205, (2022-01-05 missing), 195, 200, 202, 198, 215: median 200, MAD 5, largest z
  0.6745 x 15 / 5 = 2.02 (not flagged). The gap: more pump electricity raises PE_p, so the engine
  fills it with the largest value, 215 kWh = 0.215 MWh; PE_p rises by 0.215 x EF_elec
  (TH grid, 0.5 tCO2/MWh in methodologies/TH_AM008/methodology.yaml) = 0.1075 t, RE_p does not
  use the pumps: the effect on ER_p is -0.1075 tCO2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

import jcmwb
from jcmwb.cli import main
from jcmwb.sheets.workbook import write_workbook
from jcmwb.verify.findings import CAR, CL, ERROR, FAR, NOTE, Finding
from jcmwb.verify.options import Duration, parse_every
from jcmwb.verify.sheet import verify_sheet
from jcmwb.verify.tpe import by_weekday_z, modified_z, uncovered_days

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
sys.path.insert(0, str(FIXTURES))
from tamper import set_value, tamper  # noqa: E402

HP = [1000, 1010, 990, 1005, 995, 1000, 1002, 998, 5000, 1000]
P2 = [200, 210, 190, 205, None, 195, 200, 202, 198, 215]


def make_period(folder: Path, *, eligibility: str = '"1": yes\n  "2": yes\n  "3": yes\n  "4": yes', cop_h: float = 3.6, calibration: str = "") -> Path:
    """The TH_AM008 period of the module docstring in ``folder``; returns the period file."""
    folder.mkdir(parents=True, exist_ok=True)
    days = [f"2022-01-{d:02d}T00:00:00" for d in range(1, 11)]
    (folder / "heat-pumps.csv").write_text("timestamp,point,value\n" + "".join(f"{t},HP-1,{v}\n" for t, v in zip(days, HP)))
    aux = [f"{t},P-1,100\n" for t in days] + [f"{t},P-2,{v}\n" for t, v in zip(days, P2) if v is not None]
    (folder / "pumps.csv").write_text("timestamp,point,value\n" + "".join(aux))
    text = f"""methodology: TH_AM008
project: {{id: TPE-1, title: "TPE test plant"}}
period: {{start: "2022-01-01", end: "2022-01-10"}}
fixed:
  COP_H_PJ_i: {{values: {{HP-1: {cop_h}}}, unit: "-", source: "spec sheet"}}
  COP_C_PJ_i: {{values: {{HP-1: 2.6}}, unit: "-", source: "spec sheet"}}
  EF_fuel_RE: {{option: lpg}}
  EF_elec: {{option: grid}}
monitored:
  EC_HP_i_p:
    option: C
    data: heat-pumps.csv
    interval: 1D
    unit: kWh
    points: {{HP-1: "heat pump"}}
{calibration}
  EC_AUX_j_p:
    option: C
    data: pumps.csv
    interval: 1D
    unit: kWh
    points: {{P-1: "pump 1", P-2: "pump 2"}}
eligibility:
  {eligibility}
"""
    (folder / "period.yaml").write_text(text)
    return folder / "period.yaml"


def sheet_of(period: Path, where: Path) -> Path:
    return write_workbook(jcmwb.calculate(period), where)


@pytest.fixture()
def period(tmp_path) -> Path:
    return make_period(tmp_path / "data")


def of(v, kind: str) -> list:
    return [k for k in v.checks if k.what == f"{kind} (TPE)"]


# -- the statistics, by hand ----------------------------------------------------------------------
def test_modified_z_of_the_hand_example():
    import numpy as np

    z = modified_z(np.array(HP, dtype=float))
    assert z[8] == pytest.approx(0.6745 * 4000 / 3.5)
    assert abs(z[1]) == pytest.approx(0.6745 * 10 / 3.5)
    assert [k for k in range(10) if abs(z[k]) > 3.5] == [8]
    # MAD 0 (six of seven equal): the mean absolute deviation stands in, 60 / 7 = 8.571;
    # z of 160 = 60 / (1.253314 x 8.571) = 5.585.
    z = modified_z(np.array([100, 100, 100, 100, 100, 100, 160], dtype=float))
    assert z[6] == pytest.approx(60 / (1.253314 * 60 / 7))
    assert modified_z(np.array([5.0] * 6)) is None


def test_a_weekly_pattern_is_no_outlier_but_a_low_wednesday_is():
    import numpy as np

    # Five weeks from Monday 2022-01-03: 100 on Monday to Saturday, 0 on Sundays, 10 on the
    # second Wednesday (2022-01-12, index 9).
    days = [f"2022-01-{d:02d}" for d in range(3, 32)] + [f"2022-02-{d:02d}" for d in range(1, 7)]
    values = np.array([0.0 if k % 7 == 6 else 100.0 for k in range(35)])
    values[9] = 10.0
    # All days together: median 100, MAD 0, mean absolute deviation (5 x 100 + 90) / 35 = 16.857;
    # a Sunday scores -100 / (1.253314 x 16.857) = -4.73: the five Sundays and the Wednesday flagged.
    together = modified_z(values)
    assert np.flatnonzero(np.abs(together) > 3.5).tolist() == [6, 9, 13, 20, 27, 34]
    # By weekday: the Wednesdays 100, 10, 100, 100, 100: median 100, MAD 0, mean absolute
    # deviation 90 / 5 = 18; z = -90 / (1.253314 x 18) = -3.99. Sundays all 0 score 0.
    z = by_weekday_z(values, days)
    assert np.flatnonzero(np.abs(z) > 3.5).tolist() == [9]
    assert z[9] == pytest.approx(-90 / (1.253314 * 18))
    assert by_weekday_z(np.full(14, 5.0), days[:14]) is None


def test_calibration_coverage_by_hand():
    import datetime as dt

    year = Duration(1, "y")
    # 2020-06-01 + 1 year = 2021-06-01: the 10 days of January 2022 are all uncovered.
    assert len(uncovered_days([dt.date(2020, 6, 1)], year, dt.date(2022, 1, 1), dt.date(2022, 1, 10))) == 10
    # 2021-01-05 is due again on 2022-01-05 (still covered): 2022-01-06 .. 2022-01-10 are not, 5 days.
    assert uncovered_days([dt.date(2021, 1, 5)], year, dt.date(2022, 1, 1), dt.date(2022, 1, 10)) == [dt.date(2022, 1, d) for d in range(6, 11)]
    # A month end stays in its month: 2022-01-31 + 1 month = 2022-02-28.
    assert Duration(1, "m").after(dt.date(2022, 1, 31)) == dt.date(2022, 2, 28)


# -- calibration ----------------------------------------------------------------------------------
CALIBRATION = """    calibration:
      - {point: HP-1, date: "2020-06-01", error_percent: 0.0}"""
AUX_CALIBRATION = """    calibration:
      - {point: P-1, date: "2021-07-01", error_percent: 0.0}
      - {point: P-2, date: "2021-01-15", error_percent: 0.0}
"""


def test_calibration_older_than_the_interval_is_a_car(tmp_path):
    period = make_period(tmp_path / "data", calibration=CALIBRATION)
    period.write_text(period.read_text().replace('points: {P-1: "pump 1", P-2: "pump 2"}\n', 'points: {P-1: "pump 1", P-2: "pump 2"}\n' + AUX_CALIBRATION))
    sheet = sheet_of(period, tmp_path / "MRS.xlsx")
    v = verify_sheet(sheet, period=period, calibration_every=["1y"])
    hp = [f for f in v.findings if f.parameter.endswith("(HP-1)") and "calibration" in f.message]
    # HP-1: calibrated 2020-06-01, due again 2021-06-01: none of the 10 days is covered.
    assert len(hp) == 1 and hp[0].severity == ERROR and hp[0].action_class == CAR
    assert "not valid on 10 day(s) of the period (2022-01-01 to 2022-01-10)" in hp[0].message and "due again on 2021-06-01" in hp[0].message
    # P-1: 2021-07-01 + 1y = 2022-07-01, after the period and after a next period of 10 days: nothing.
    assert not [f for f in v.findings if f.parameter.endswith("(P-1)")]
    # P-2: 2021-01-15 + 1y = 2022-01-15: covers the period, due within a next one (ends 2022-01-20): FAR.
    p2 = [f for f in v.findings if f.parameter.endswith("(P-2)") and "calibration" in f.message]
    assert len(p2) == 1 and p2[0].action_class == FAR and "due on 2022-01-15" in p2[0].message
    # Per parameter: 2 years for EC_HP_i_p covers HP-1 through 2022-06-01.
    v = verify_sheet(sheet, period=period, calibration_every=["EC_HP_i_p=2y", "1y"])
    assert not [f for f in v.findings if f.parameter.endswith("(HP-1)") and "calibration" in f.message]


def test_calibration_without_an_interval_is_not_checked(tmp_path):
    period = make_period(tmp_path / "data", calibration=CALIBRATION)
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"), period=period)
    lines = {k.parameter: k for k in of(v, "calibration")}
    assert lines["EC_HP,i,p (HP-1)"].result == "not checked: frequency unknown" and lines["EC_HP,i,p (HP-1)"].reported == "2020-06-01"
    # P-1 and P-2 have no record at all: option C asks for calibrated equipment, a CL each.
    missing = [f for f in v.findings if "no calibration record" in f.message]
    assert sorted(f.parameter for f in missing) == ["EC_AUX,j,p (P-1)", "EC_AUX,j,p (P-2)"] and {f.action_class for f in missing} == {CL}


# -- data completeness ----------------------------------------------------------------------------
def test_a_gap_and_its_effect_in_tonnes(period, tmp_path):
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"), period=period)
    gaps = [f for f in v.findings if "values missing" in f.message]
    assert len(gaps) == 1 and gaps[0].parameter == "EC_AUX,j,p (P-2)" and gaps[0].action_class == FAR
    # 1 of 10 daily values missing; filled with 215 kWh: ER_p lower by 0.215 MWh x 0.5 t/MWh = 0.1075 t.
    assert "1 of 10 values missing (10.00 %)" in gaps[0].message and "effect on ER_p before rounding -0.107500 tCO2" in gaps[0].message
    line = next(k for k in of(v, "data completeness") if k.parameter == "EC_AUX,j,p (P-2)")
    assert line.recomputed == pytest.approx(-0.215 * 0.5)
    assert next(k for k in of(v, "data completeness") if k.parameter == "EC_HP,i,p (HP-1)").reported == "0 missing of 10"


# -- eligibility ----------------------------------------------------------------------------------
def test_unanswered_eligibility_is_a_cl_and_no_is_a_car(tmp_path):
    period = make_period(tmp_path / "data", eligibility='"1": yes\n  "2": no\n  "3": yes')
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"), period=period)
    found = {f.parameter: f for f in v.findings if f.parameter.startswith("criterion")}
    assert sorted(found) == ["criterion 2", "criterion 4"]
    assert found["criterion 4"].action_class == CL and "not answered" in found["criterion 4"].message and found["criterion 4"].cell == "period.yaml: eligibility.4"
    assert found["criterion 2"].severity == ERROR and found["criterion 2"].action_class == CAR


# -- plausibility: COP and outliers ---------------------------------------------------------------
def test_cop_out_of_range_is_a_cl(tmp_path):
    period = make_period(tmp_path / "data", cop_h=15)
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"), period=period)
    # 15 > 280.15 / 23 = 12.18, the Carnot limit at 7 C / 30 C; COP_C 2.6 lies inside.
    cop = [f for f in v.findings if "implausible COP" in f.message]
    assert len(cop) == 1 and cop[0].parameter == "COP_H,PJ,i (HP-1)" and cop[0].found == 15 and cop[0].action_class == CL
    assert cop[0].cell.startswith("'MRS(input)'!")


def test_outlier_row_named(period, tmp_path):
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"), period=period)
    flags = [f for f in v.findings if "modified z" in f.message]
    assert len(flags) == 1 and flags[0].parameter == "EC_HP,i,p (HP-1)" and flags[0].action_class == CL
    assert "1 of 10 daily totals" in flags[0].message and "heat-pumps.csv row 10 (2022-01-09: 5,000, z +770.9)" in flags[0].message
    # P-2's gap day is no outlier (it has no value), and P-1 is constant.
    assert {k.parameter: k.result for k in of(v, "outliers")} == {"EC_HP,i,p (HP-1)": "1 to explain", "EC_AUX,j,p (P-1)": "agrees", "EC_AUX,j,p (P-2)": "agrees"}


def test_without_a_period_file_nothing_is_found_and_each_says_not_checked(period, tmp_path):
    v = verify_sheet(sheet_of(period, tmp_path / "MRS.xlsx"))
    assert v.findings == [] and v.agrees
    assert {k.what: k.result for k in v.checks if k.result.startswith("not checked")} == {
        "eligibility (TPE)": "not checked: no monitoring-period file",
        "calibration (TPE)": "not checked: no monitoring-period file",
        "data completeness (TPE)": "not checked: no monitoring-period file",
        "outliers (TPE)": "not checked: no monitoring-period file",
    }


# -- materiality ----------------------------------------------------------------------------------
@pytest.fixture()
def th001(tmp_path) -> Path:
    """The TH_AM001 sheet of tests/test_verify.py: ER_p 1,440 tCO2 (derived in its period.yaml)."""
    return write_workbook(jcmwb.calculate(FIXTURES / "TH_AM001" / "period.yaml"), tmp_path / "MRS.xlsx")


def reported(sheet: Path, er: float, tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(sheet)
    cell = next(f"B{r[0].row + 2}" for r in book["MRS(input)"].iter_rows() if isinstance(r[0].value, str) and r[0].value.startswith("Table 3"))
    return tamper(sheet, tmp_path / f"MRS-{er:g}.xlsx", {"MRS(input)": [set_value(cell, er)]})


@pytest.mark.parametrize(
    ("er", "threshold", "passes"),
    [
        (1512, None, True),  # 100 x 72 / 1440 = 5.000 %: at the default 5 %, passes (at most 5 %)
        (1513, None, False),  # 100 x 73 / 1440 = 5.069 %: above
        (1368, None, True),  # -72 / 1440 = -5.000 %: either way
        (1447, "0.5", True),  # 7 / 1440 = 0.486 % <= 0.5 %
        (1448, "0.5", False),  # 8 / 1440 = 0.556 % > 0.5 %
    ],
)
def test_materiality_just_below_and_above(th001, tmp_path, capsys, er, threshold, passes):
    sheet = reported(th001, er, tmp_path)
    v = verify_sheet(sheet, materiality=threshold)
    assert v.materiality_percent == pytest.approx(100 * (er - 1440) / 1440)
    assert v.materiality_passes is passes
    material = [f for f in v.findings if "materiality threshold" in f.message]
    assert len(material) == (0 if passes else 1)
    assert all(f.action_class == CAR for f in material)
    code = main(["verify", str(sheet), "--out", str(tmp_path / f"out-{er}"), *(["--materiality", threshold] if threshold else [])])
    out = capsys.readouterr().out
    assert code == 1  # ER_p differs from the recomputed 1,440 either way: a CAR
    assert out.splitlines()[1].endswith(": PASS" if passes else ": FAIL")
    assert f"against the threshold of {threshold or '5'} %" in out.splitlines()[1]


def test_default_materiality_is_marked_provisional(th001, tmp_path, capsys):
    assert main(["verify", str(th001), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "materiality +0.000 % against the threshold of 5 % (jcmwb default, provisional" in out
    draft = (tmp_path / "out" / "verification-report-draft.md").read_text()
    assert "| materiality threshold | the threshold of 5 % (jcmwb default, provisional" in draft


# -- classes in the CLI and the reports -----------------------------------------------------------
def test_classes_rule():
    assert Finding(ERROR, "x", "p", "m").action_class == CAR
    assert Finding("inconsistency", "x", "p", "m").action_class == CAR
    assert Finding(NOTE, "x", "p", "m").action_class == CL
    assert Finding(NOTE, "x", "p", "m", action=FAR).action_class == FAR
    assert Finding(ERROR, "x", "p", "m", action=FAR).action_class == CAR  # an error is never postponed


def test_car_cl_far_in_cli_and_reports(tmp_path, capsys):
    period = make_period(tmp_path / "data", eligibility='"1": yes\n  "2": yes\n  "3": yes', calibration=CALIBRATION)
    sheet = sheet_of(period, tmp_path / "MRS.xlsx")
    out_dir = tmp_path / "out"
    code = main(["verify", str(sheet), "--period", str(period), "--calibration-every", "1y", "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 1
    # CAR: HP-1's calibration. CL: criterion 4, the outlier of HP-1, no record for P-1 and P-2.
    # FAR: the gap of P-2.
    assert "findings by class: 1 CAR, 4 CL, 1 FAR" in out
    assert any(line.startswith("CAR ERROR ") and "calibration of meter HP-1" in line for line in out.splitlines())
    assert any(line.startswith("FAR NOTE ") and "values missing" in line for line in out.splitlines())
    text = (out_dir / "verification.md").read_text()
    assert "- Findings by class: 1 CAR, 4 CL, 1 FAR; CAR or CL remaining" in text
    assert "| # | class | severity | cell |" in text and "| CAR | error |" in text and "| FAR | note |" in text and "| CL | note |" in text
    draft = (out_dir / "verification-report-draft.md").read_text()
    assert "| findings by class | 1 CAR, 4 CL, 1 FAR; CAR or CL remaining |" in draft
    book = openpyxl.load_workbook(out_dir / "verification.xlsx")
    header = [c.value for c in book["Findings"][1]]
    classes = sorted(r[header.index("Class")] for r in book["Findings"].iter_rows(min_row=2, values_only=True))
    assert classes == [CAR, CL, CL, CL, CL, FAR]


# -- bad options ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--materiality", "-1"], "--materiality: not a materiality threshold; expected a percentage of ER_p from 0 to 100"),
        (["--materiality", "abc"], "--materiality: not a materiality threshold"),
        (["--materiality", "nan"], "--materiality: not a materiality threshold"),
        (["--calibration-every", "yearly"], "--calibration-every: not a calibration interval"),
        (["--calibration-every", "0d"], "--calibration-every: not a calibration interval"),
        (["--calibration-every", "XX_p=1y"], "--calibration-every: not a monitored parameter of the methodology"),
    ],
)
def test_bad_option_values_exit_2_with_one_line(th001, tmp_path, capsys, options, expected):
    out_dir = tmp_path / "out"
    assert main(["verify", str(th001), "--out", str(out_dir), *options]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and expected in captured.err
    assert "Traceback" not in captured.err and not out_dir.exists()


def test_period_of_another_methodology_exits_2(th001, period, tmp_path, capsys):
    assert main(["verify", str(th001), "--period", str(period), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {period}: methodology: the monitoring-period file is for another methodology; expected TH_AM001, found TH_AM008\n"
    assert not (tmp_path / "out").exists()


def test_parse_every_names():
    assert parse_every(["1y", "EG_i_p=6m"], {"EG_i_p": "EG_i_p", "EG_i,p": "EG_i_p"}) == {"": Duration(1, "y"), "EG_i_p": Duration(6, "m")}
    assert parse_every(["EG_i,p=90d"], {"EG_i_p": "EG_i_p", "EG_i,p": "EG_i_p"}) == {"EG_i_p": Duration(90, "d")}
