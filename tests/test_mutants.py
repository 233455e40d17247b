"""Tests written to kill mutants that survived `make mutate` (docs/mutation.md).

Each test names the function and the mutation it catches; the expected values are derived by
hand in its docstring or comments, not read from the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_csv

import jcmwb
from jcmwb.engine.errors import DataError


def _battery(tmp_path: Path, charge_readings: list[tuple[str, float]], discharge: float) -> dict:
    """ID_AM017 in 2021 with PV 100 MWh, a charge register read on the given days (so its first
    days are a span without readings), and a typed discharge."""
    write_csv(tmp_path / "charge.csv", ["timestamp", "point", "reading", "unit"], [[t, "BAT-1", r, "MWh"] for t, r in charge_readings])
    return {
        "methodology": "ID_AM017",
        "project": {"id": "MUTANT-ID17"},
        "period": {"start": "2021-01-01", "end": "2021-12-31"},
        "alternatives": {"EL_BT_p": "net_losses"},
        "fixed": {"EF_RE": {"option": "grid"}},
        "monitored": {
            "EG_PV_i_p": {"option": "C", "unit": "MWh", "values": {"PV-1": 100}},
            "EC_BT_j_p": {"option": "C", "data": "charge.csv", "format": "register", "multipliers": {"BAT-1": 1}},
            "ED_BT_j_p": {"option": "C", "unit": "MWh", "values": {"BAT-1": discharge}},
        },
    }


def test_register_span_probes_start_at_one_unit_for_a_small_total(tmp_path):
    """corrections._more_lowers_er: ``scale = max(|total|, 1.0)`` (mutant: 2.0).

    The charge register covers 2021-01-15 to 2022-01-01: EC = 1000.5 - 1000 = 0.5 MWh, and the
    span 1-15 January has no reading. More charge lowers ER_p only once EC exceeds the discharge,
    150 MWh (EL = max(EC - 150, 0)). The probes add 0.01 to 100 times max(0.5, 1) = 1 MWh: at most
    EC = 100.5 < 150, so no probe lowers ER_p and the span is left out with a note;
    ER_p = floor(100 x 0.75) = 75. Probing from 2 MWh (up to 200.5 > 150) would stop the run.
    """
    period = _battery(tmp_path, [("2021-01-15T00:00:00", 1000), ("2022-01-01T00:00:00", 1000.5)], discharge=150)
    result = jcmwb.calculate(period, base_dir=tmp_path)
    assert result.values["EC_BT_p"] == pytest.approx(0.5) and result.values["EL_BT_p"] == 0
    assert result.er == 75
    assert any(n.startswith("EC_BT_j_p at BAT-1: 1 missing value(s) left unfilled (no fill is defined") for n in result.notes)


def test_register_span_probes_scale_with_the_total(tmp_path):
    """corrections._more_lowers_er: probes ``total + k * scale`` (mutant: ``k / scale``).

    EC = 1010 - 1000 = 10 MWh with a span in January; discharge 500 MWh. The probes add 0.1, 1,
    10, 100 and 1000 MWh (k x 10): with 1000 added EC = 1010 > 500, EL = 510 and ER_p drops from
    75 to (100 - 510) x 0.75 < 75, so leaving the span out is not conservative: the run stops
    asking for the missing readings. (k / 10 would add at most 10 MWh: EC 20 < 500, no drop.)
    """
    period = _battery(tmp_path, [("2021-01-15T00:00:00", 1000), ("2022-01-01T00:00:00", 1010)], discharge=500)
    with pytest.raises(DataError, match="EC_BT_j_p at BAT-1 has missing data and more EC_BT_j_p lowers ER_p"):
        jcmwb.calculate(period, base_dir=tmp_path)


def test_category_totals_keep_their_months(tmp_path):
    """monitoring._by_category: the monthly totals of each day category are keyed YYYY-MM
    (mutants: strftime(None), "XX%Y-%mXX", "%y-%m", "%Y-%M").

    KH_AM002, 27 February to 2 March 2021, 12-hour values in kWh:
      27 Feb grid   : 100 + 200 = 300     28 Feb diesel : 150 + 250 = 400
      1 Mar  grid   : 120 + 180 = 300      2 Mar diesel :  50 + 350 = 400 ... per day as below
    grid   -> 2021-02: 0.3 MWh, 2021-03: 0.3 MWh ; diesel -> 2021-02: 0.4 MWh, 2021-03: 0.4 MWh
    """
    write_csv(
        tmp_path / "days.csv",
        ["date", "category"],
        [["2021-02-27", "grid"], ["2021-02-28", "diesel"], ["2021-03-01", "grid"], ["2021-03-02", "diesel"]],
    )
    values = {"2021-02-27": (100, 200), "2021-02-28": (150, 250), "2021-03-01": (120, 180), "2021-03-02": (50, 350)}
    rows = [[f"{day}T{hour}", "PV-1", v] for day, pair in values.items() for hour, v in zip(("00:00:00", "12:00:00"), pair)]
    write_csv(tmp_path / "pv.csv", ["timestamp", "point", "value"], rows)
    period = {
        "methodology": "KH_AM002",
        "project": {"id": "MUTANT-KH"},
        "period": {"start": "2021-02-27", "end": "2021-03-02"},
        "monitored": {
            "D_k_p": {"option": "C", "data": "days.csv", "format": "daily"},
            "EG_k_p": {"option": "C", "data": "pv.csv", "format": "interval", "interval": "12h", "unit": "kWh"},
        },
    }
    result = jcmwb.calculate(period, base_dir=tmp_path)
    points = result.monitored["EG_k_p"].points
    assert points["grid"].monthly == pytest.approx({"2021-02": 0.3, "2021-03": 0.3})
    assert points["diesel"].monthly == pytest.approx({"2021-02": 0.4, "2021-03": 0.4})
    assert result.values["EG_k_p"] == pytest.approx({"grid": 0.6, "diesel": 0.8})
