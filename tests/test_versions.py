"""Methodology versions and dated defaults (methodologies/README.md 2.1 and 2.3).

TH_AM005 carries two versions: ver03.0 (approved 2023-10-11, confirmed) and an earlier one
carried as 02.0 whose number and date are provisional (2022-06-17); its reference COP table and
emission factor have one dated value per version. A period is calculated with the version and
the defaults in force on its first day; a period across 2023-10-11 is refused.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

import jcmwb
from jcmwb.cli import main
from jcmwb.engine.errors import InputError, SpecError
from jcmwb.engine.spec import ROOT, load_spec, parse_spec
from jcmwb.sheets.workbook import write_workbook


def th5(start: str, end: str, **extra) -> dict:
    period = {
        "methodology": "TH_AM005",
        "project": {"id": "VER-TH5"},
        "period": {"start": start, "end": end},
        "fixed": {
            "COP_PJ_i": {"values": {"CH-1": 6.4}, "source": "specification sheet"},
            "Cap_PJ_i": {"values": {"CH-1": 800}, "unit": "USRt", "source": "specification sheet"},
        },
        "monitored": {"EC_PJ_i_p": {"option": "C", "unit": "MWh", "values": {"CH-1": 1000}}},
    }
    period.update(extra)
    return period


def test_spec_carries_two_versions():
    spec = load_spec("TH_AM005")
    assert [(v.version, v.approved, v.status) for v in spec.versions] == [
        ("02.0", dt.date(2022, 6, 17), "provisional"),
        ("03.0", dt.date(2023, 10, 11), "confirmed"),
    ]
    assert spec.versions[0].provisional and "NOT confirmed" in spec.versions[0].source
    assert spec.version_at(dt.date(2023, 10, 10)).version == "02.0"
    assert spec.version_at(dt.date(2023, 10, 11)).version == "03.0"
    assert spec.versions_approved_within(dt.date(2023, 7, 1), dt.date(2023, 12, 31)) == [spec.versions[1]]
    assert spec.versions_approved_within(dt.date(2023, 10, 11), dt.date(2023, 12, 31)) == []


@pytest.mark.parametrize(
    ("start", "end", "version", "cop_re", "ef"),
    [
        ("2023-01-01", "2023-06-30", "02.0", 5.70, 0.5),  # well before the revision
        ("2023-07-01", "2023-10-10", "02.0", 5.70, 0.5),  # ends the day before
        ("2023-10-11", "2023-12-31", "03.0", 5.85, 0.45),  # starts on the approval day
        ("2024-01-01", "2024-12-31", "03.0", 5.85, 0.45),
    ],
)
def test_periods_on_either_side_pick_their_version_and_defaults(start, end, version, cop_re, ef):
    result = jcmwb.calculate(th5(start, end))
    assert result.version == version
    assert result.values["COP_RE_i"] == {"CH-1": cop_re}
    assert result.values["EF_elec"] == ef
    # ER_p = floor(1000 x (6.4 / COP_RE - 1) x EF): 02.0 floor(61.403...) = 61 ; 03.0 floor(42.307...) = 42
    assert result.er == {"02.0": 61, "03.0": 42}[version]
    assert result.fixed["EF_elec"].applies_from == (dt.date(2022, 6, 17) if version == "02.0" else dt.date(2023, 10, 11))
    provisional_version = [w for w in result.warnings if w.startswith("PROVISIONAL version data")]
    assert bool(provisional_version) == (version == "02.0")


def test_the_version_shows_in_the_sheet(tmp_path):
    import openpyxl

    path = write_workbook(jcmwb.calculate(th5("2023-01-01", "2023-06-30")), tmp_path / "MRS.xlsx")
    assert openpyxl.load_workbook(path)["MRS(input)"]["A1"].value == "Monitoring Spreadsheet: JCM_TH_AM005_ver02.0"


def test_period_across_the_revision_is_refused():
    with pytest.raises(InputError) as info:
        jcmwb.calculate(th5("2023-07-01", "2023-12-31"))
    err = info.value
    assert err.where == "period" and err.found == "2023-07-01 to 2023-12-31"
    assert "changes on 2023-10-11, inside the period" in err.message
    assert "split the period there" in err.expected


def _revision_without_new_defaults() -> dict:
    """TH_AM005 with its ver03.0 defaults removed: only the version changes on 2023-10-11."""
    raw = yaml.safe_load((ROOT / "methodologies" / "TH_AM005" / "methodology.yaml").read_text(encoding="utf-8"))
    for name in ("COP_RE_i",):
        raw["parameters"][name]["values"] = raw["parameters"][name]["values"][:1]
    for choice in raw["parameters"]["EF_elec"]["choices"].values():
        choice["values"] = choice["values"][:1]
    return raw


def test_a_revision_alone_inside_the_period_is_refused_unless_the_version_is_named():
    spec = parse_spec(_revision_without_new_defaults(), file="th5-one-dated.yaml")
    period = th5("2023-07-01", "2023-12-31")
    from jcmwb.engine.period import parse_period

    with pytest.raises(InputError) as info:
        jcmwb.calculate(parse_period(period, spec=spec))
    err = info.value
    assert err.message == "version 03.0 of TH_AM005 was approved on 2023-10-11, inside the period"
    assert 'split the period there), or the version applied named (version: "02.0" or "03.0")' in err.expected
    # The project applies its registered version for the whole period: named, it is accepted.
    named = jcmwb.calculate(parse_period({**period, "version": "02.0"}, spec=spec))
    assert named.version == "02.0" and named.er == 61


def test_a_version_approved_after_the_period_starts_cannot_be_named():
    with pytest.raises(InputError) as info:
        jcmwb.calculate(th5("2023-01-01", "2023-06-30", version="03.0"))
    assert info.value.message == "version 03.0 of TH_AM005 was approved on 2023-10-11, after the period starts"
    assert info.value.expected == "a version approved on or before 2023-01-01: 02.0"
    with pytest.raises(InputError, match="unknown version of the methodology; expected one of 02.0, 03.0"):
        jcmwb.calculate(th5("2024-01-01", "2024-06-30", version="04.0"))


def test_provisional_version_needs_its_source():
    raw = copy.deepcopy(_revision_without_new_defaults())
    del raw["versions"][0]["source"]
    with pytest.raises(SpecError, match=r"versions\[0\].source: a provisional version needs its source"):
        parse_spec(raw, file="x.yaml")
    raw = copy.deepcopy(_revision_without_new_defaults())
    raw["versions"][0]["status"] = "guessed"
    with pytest.raises(SpecError, match=r"versions\[0\].status: value not allowed; expected one of confirmed, provisional"):
        parse_spec(raw, file="x.yaml")


def test_list_marks_the_provisional_version(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("TH_AM005"))
    assert "02.0*, 03.0" in line
    assert "* version whose number or approval date is not confirmed" in out
