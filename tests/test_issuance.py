"""Credit allocation between the parties: an input split, an explicit rounding rule, parts that add up."""

from __future__ import annotations

import pytest

import jcmwb
from jcmwb.engine.errors import InputError
from jcmwb.engine.issuance import allocate, parse_allocation
from jcmwb.sheets.workbook import write_workbook

HALF_UP_FOR_JAPAN = {"JP": "50%", "XX": "50%", "rounding": {"JP": "up"}}


@pytest.mark.parametrize(
    ("total", "japan"),
    [
        (2017, 1009),  # TH014 2021 floating solar (JC7, 2025-10-30): 2,017 -> 1,009 to Japan, 1,008 to Thailand
        (17673, 8837),  # Indonesia batch: 17,673 -> 8,837
        (2477, 1239),  # Viet Nam transformers: 2,477 -> 1,239
        (355, 178),  # Bangladesh PV-diesel: 355 -> 178
    ],
)
def test_published_splits_with_half_rounded_up_for_japan(total, japan):
    # 50 % of an odd total is x.5; rounded up for Japan, the partner takes the remainder.
    parts = allocate(total, parse_allocation(HALF_UP_FOR_JAPAN))
    assert parts == {"JP": japan, "XX": total - japan}


def test_three_parties_add_up():
    # 1,000 x 33.3 % = 333 (down), 1,000 x 33.3 % = 333 (nearest), remainder 334.
    split = parse_allocation({"A": "33.3%", "B": 33.3, "C": "33.4%", "rounding": {"B": "nearest"}})
    assert allocate(1000, split) == {"A": 333, "B": 333, "C": 334}


@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        ({"JP": "50%", "TH": "40%"}, "allocation", "the shares do not add up to 100 %; expected 100%, found 90%"),
        ({"JP": "half", "TH": "50%"}, "allocation.JP", "share is not a percentage"),
        ({"JP": "50%", "TH": "50%", "rounding": {"JP": "ceiling"}}, "allocation.rounding.JP", "unknown rounding rule; expected up | down | nearest"),
        ({"JP": "50%", "TH": "50%", "rounding": {"JP": "up", "TH": "down"}}, "allocation.rounding", "every party has a rounding rule"),
        ({"JP": "50%", "TH": "50%", "rounding": {"KH": "up"}}, "allocation.rounding.KH", "rounding rule for a party without a share"),
        ({"JP": "150%", "TH": "-50%"}, "allocation.JP", "share outside 0-100 %"),
    ],
)
def test_bad_allocation_is_named(raw, where, message):
    with pytest.raises(InputError) as info:
        parse_allocation(raw, file="period.yaml")
    assert info.value.where == where and message in info.value.line()


def test_allocation_in_result_and_sheet(tmp_path):
    import openpyxl

    result = jcmwb.calculate(
        {
            "methodology": "TH_AM001",
            "project": {"id": "ALLOC"},
            "period": {"start": "2021-01-01", "end": "2021-12-31"},
            "fixed": {"EF_RE": {"option": "grid"}},
            # 5,042.5 MWh x 0.4 = 2,017 tCO2: the TH014 total.
            "monitored": {"EG_i_p": {"option": "C", "unit": "MWh", "values": {"PV-1": 5042.5}}},
            "allocation": {"JP": "50%", "TH": "50%", "rounding": {"JP": "up"}},
        }
    )
    assert result.er == 2017 and result.allocation == {"JP": 1009, "TH": 1008}
    sheet = openpyxl.load_workbook(write_workbook(result, tmp_path / "MRS.xlsx"), data_only=True)["MRS(input)"]
    rows = {r[0].value: r[2].value for r in sheet.iter_rows() if r[0].value in ("JP", "TH")}
    assert rows == {"JP": 1009, "TH": 1008}
