"""A spec says whether its equations are the official methodology's or inferred from its family.

Some approved methodologies are known only by their title, which matches a family the library
already has (TH_AM003 and CR_AM002: centrifugal chillers; TH_AM011: the MM_AM002 refrigerators;
TH_AM015: the SA_AM001 electrolyzer; CR_AM001 and CL_AM001: solar PV; TH_AM013: chillers; TH_AM014:
refrigerators; CR_AM003: the heat pumps of TH_AM008). Their specs carry
``structure: {status: inferred, source: ...}`` so that listings and outputs can say so.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import SPECS

from jcmwb.engine.errors import SpecError
from jcmwb.engine.spec import catalogue, load_spec, parse_spec

MINIMAL = yaml.safe_load((SPECS / "minimal.yaml").read_text(encoding="utf-8"))
INFERRED = {"TH_AM003", "CR_AM002", "TH_AM011", "TH_AM015", "CR_AM001", "CL_AM001", "CR_AM003", "TH_AM013", "TH_AM014"}
OFFICIAL = {"KE_AM002", "MN_AM003", "VN_AM007", "ID_AM020", "ID_AM004", "ID_AM003", "TH_AM008", "ID_AM010", "ID_AM007", "ID_AM009", "VN_AM003"}


def _spec(structure=None):
    raw = copy.deepcopy(MINIMAL)
    if structure is not None:
        raw["structure"] = structure
    return parse_spec(raw, file="test.yaml")


def test_structure_is_official_unless_the_spec_says_otherwise():
    spec = _spec()
    assert (spec.structure, spec.structure_inferred, spec.structure_source) == ("official", False, "")


def test_an_inferred_structure_is_read_with_its_source():
    spec = _spec({"status": "inferred", "source": "the family of TH_AM005; official text not seen"})
    assert spec.structure == "inferred" and spec.structure_inferred
    assert spec.structure_source == "the family of TH_AM005; official text not seen"


@pytest.mark.parametrize(
    ("structure", "where", "message"),
    [
        ({"status": "inferred", "source": " "}, "structure.source", "needs its source"),
        ({"status": "guessed", "source": "x"}, "structure.status", "value not allowed"),
        ({"status": "inferred"}, "structure", "missing key 'source'"),
        ("inferred", "structure", "expected a mapping"),
    ],
)
def test_a_bad_structure_is_refused_naming_the_key(structure, where, message):
    with pytest.raises(SpecError) as info:
        _spec(structure)
    assert info.value.where == where
    assert message in str(info.value)


def test_the_library_marks_the_methodologies_inferred_from_their_family():
    specs = {s.id: s for s in catalogue()}
    assert INFERRED | OFFICIAL <= set(specs)
    assert {i for i in INFERRED if specs[i].structure_inferred} == INFERRED
    assert not {i for i in OFFICIAL if specs[i].structure_inferred}
    for spec_id in INFERRED:
        spec = load_spec(spec_id)
        assert "official text not seen" in spec.structure_source, spec_id
        # The notebook shows the summary: it must say so too.
        assert "inferred from the family" in spec.summary.en, spec_id
