"""The official catalogue (issue 13): facts files, `jcmwb list`, docs/catalogue.md, catalogued-only ids."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jcmwb.cli import main
from jcmwb.engine.errors import InputError, SpecError
from jcmwb.engine.spec import ID_PATTERN, METHODOLOGIES, load_spec
from jcmwb.library.catalogue import clean, load_catalogue, load_facts, render

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import make_catalogue  # noqa: E402

# The 41 approved ids of the research notes (shared/domain/catalogue.md section 1): TH 12, ID 12,
# CR 3, VN 2, KH 2, MM 2, MN 2, KE 1, MV 1, PH 1, SA 1, LA 1, CL 1.
APPROVED = {
    *(f"TH_AM{n:03d}" for n in (1, 3, 5, 8, 9, 11, 12, 13, 14, 15, 16, 17)),
    *(f"ID_AM{n:03d}" for n in (2, 3, 4, 7, 9, 10, 11, 17, 20, 22, 27, 28)),
    "CR_AM001",
    "CR_AM002",
    "CR_AM003",
    "VN_AM003",
    "VN_AM007",
    "KH_AM002",
    "KH_AM004",
    "MM_AM002",
    "MM_AM005",
    "MN_AM001",
    "MN_AM003",
    "KE_AM002",
    "MV_AM001",
    "PH_AM001",
    "SA_AM001",
    "LA_AM004",
    "CL_AM001",
}
CATALOGUED_ONLY = ("TH_AM012", "TH_AM017", "ID_AM027", "ID_AM028", "ID_AM011", "KH_AM004", "LA_AM004")


def _facts_copy(tmp_path: Path, methodology_id: str = "TH_AM001") -> Path:
    """A copy of a facts file in a folder named after its id (the loader checks the two agree)."""
    folder = tmp_path / methodology_id
    folder.mkdir(parents=True)
    target = folder / "facts.yaml"
    shutil.copy(METHODOLOGIES / methodology_id / "facts.yaml", target)
    return target


# -- (a) the committed page is the script's output --------------------------------------------
def test_docs_catalogue_is_current():
    committed = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert committed == make_catalogue.build(), "docs/catalogue.md is out of date: run .venv/bin/python docs/make_catalogue.py"


def test_docs_catalogue_shows_facts_sources_and_example_er():
    text = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    section = text[text.index("#### TH_AM001") : text.index("#### TH_AM003")]
    assert "| Date of approval | 2016-08-23 | [https://www.jcm.go.jp/th-jp/methodologies/39]" in section
    assert "runnable (official structure)" in section and "ER\\_p = " in section
    redd = text[text.index("#### KH_AM004") :]
    assert "catalogued only" in redd[:3000] and "carbon-stock change" in redd[:3000]


def test_make_catalogue_never_replaces_a_page_it_did_not_write(tmp_path):
    page = tmp_path / "catalogue.md"
    page.write_text("# notes written by hand\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="not written by docs/make_catalogue.py"):
        make_catalogue.write("new text", page)
    assert page.read_text(encoding="utf-8") == "# notes written by hand\n"


def test_markdown_escapes_texts_from_facts():
    assert make_catalogue.md("a | b <img src=x> *c* [d](e)") == "a \\| b \\<img src=x\\> \\*c\\* \\[d\\](e)"
    assert make_catalogue.link("https://x.example/a)b|c") == "[https://x.example/a)b\\|c](https://x.example/a%29b%7Cc)"


# -- (b) the 41 approved ids are listed, and nothing else claims to be approved ---------------
def test_the_41_approved_ids_are_in_the_catalogue_and_the_page():
    entries = load_catalogue()
    approved = {e.id for e in entries if e.facts.approved}
    assert approved == APPROVED
    assert len(approved) == 41
    assert [e.id for e in entries if not e.facts.approved] == ["MN_PM_HOB"]
    text = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for methodology_id in APPROVED:
        assert f"#### {methodology_id}: " in text


def test_mn_am002_left_the_catalogue_and_the_hob_family_runs_under_a_non_jcm_id():
    assert not (METHODOLOGIES / "MN_AM002").exists()
    with pytest.raises(SpecError, match="unknown methodology"):
        load_spec("MN_AM002")
    spec = load_spec("MN_PM_HOB")
    assert ID_PATTERN.match("MN_PM_HOB") and not ID_PATTERN.match("MN_PM_HOB1") and not ID_PATTERN.match("MN_XM001")
    assert "NOT an approved JCM methodology" in spec.title.en
    facts = load_facts(METHODOLOGIES / "MN_PM_HOB" / "facts.yaml")
    assert facts.approved is False and facts.runnable == "inferred"
    line = next(x for x in render("table").splitlines() if x.startswith("MN_PM_HOB"))
    assert "NOT APPROVED" in line


# -- (c) every facts file loads and agrees with its spec -------------------------------------
def test_every_facts_file_loads():
    files = sorted(METHODOLOGIES.glob("*/facts.yaml"))
    assert len(files) == 42  # 41 approved + the proposal MN_PM_HOB
    for path in files:
        facts = load_facts(path)
        assert facts.id == path.parent.name
        # Every seen fact carries its source; a fact not seen carries no value.
        for fact in [*facts.facts().values(), *(x for v in facts.versions for x in (v.version, v.approved))]:
            assert (fact.seen and fact.sources) or (not fact.seen and fact.value is None)
        has_spec = (path.parent / "methodology.yaml").is_file()
        assert (facts.runnable != "catalogued") == has_spec
        assert bool(facts.reason) == (facts.runnable != "official")


def test_catalogued_only_ids_have_no_spec_and_say_why():
    for methodology_id in CATALOGUED_ONLY:
        facts = load_facts(METHODOLOGIES / methodology_id / "facts.yaml")
        assert facts.runnable == "catalogued" and facts.reason
        assert not (METHODOLOGIES / methodology_id / "methodology.yaml").exists()
    for methodology_id in ("KH_AM004", "LA_AM004"):
        assert "REDD+" in load_facts(METHODOLOGIES / methodology_id / "facts.yaml").reason


def test_spec_metadata_follows_the_official_facts():
    assert load_spec("KH_AM002").title.en == "Installation of Solar PV System"
    assert load_spec("ID_AM022").title.en == "Introduction of Absorption Chiller"
    th005 = load_spec("TH_AM005").version("03.0")
    assert str(th005.approved) == "2023-10-11" and not th005.provisional


# -- (d) a strict loader: unknown keys and bad facts are refused, naming file and key ----------
def test_unknown_key_is_refused_naming_file_and_key(tmp_path):
    path = _facts_copy(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "titel: Installation of Solar PV System\n", encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_facts(path)
    assert str(path) in err.value.line() and "titel: unknown key" in err.value.line()


def test_unknown_key_inside_a_fact_is_refused(tmp_path):
    path = _facts_copy(tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["status"]["url"] = "https://example.org"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(SpecError, match=r"status\.url: unknown key"):
        load_facts(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["title"].pop("source"), r"title: missing key 'source'"),
        (lambda r: r["status"].update(seen=False), r"status\.value: a fact not seen has no value"),
        (lambda r: r["status"].update(seen=False) or r["status"].pop("value"), r"status\.source: a fact not seen has no source"),
        (lambda r: r["title"].update(source="www.jcm.go.jp"), r"title\.source: expected a URL"),
        (lambda r: r["versions"][0]["version"].update(value="1.0"), r"versions\[0\]\.version\.value: bad version"),
        (lambda r: r["sectoral_scope"].update(value=4), r"sectoral_scope\.value: unknown sectoral scope"),
        (lambda r: r["partner_country"].update(value="ID"), r"partner_country\.value: the partner country is not the id's"),
        (lambda r: r.update(id="TH_AM002"), r"id: the id is not the folder's"),
        (lambda r: r.update(approved=False), r"approved: approved: false does not fit the id"),
        (lambda r: r.update(runnable="maybe"), r"runnable: unknown value"),
        (lambda r: r.update(runnable="catalogued"), r"reason: runnable: catalogued needs its reason"),
        (lambda r: r.update(reason="because"), r"reason: runnable: official takes no reason"),
        (lambda r: r.pop("page"), r"missing key 'page'"),
    ],
)
def test_bad_facts_are_refused(tmp_path, change, message):
    path = _facts_copy(tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(SpecError, match=message) as err:
        load_facts(path)
    assert err.value.file == str(path)


def _library(tmp_path: Path, *ids: str) -> Path:
    root = tmp_path / "methodologies"
    for methodology_id in ids:
        shutil.copytree(METHODOLOGIES / methodology_id, root / methodology_id)
    return root


def test_a_spec_that_contradicts_the_facts_is_refused(tmp_path):
    root = _library(tmp_path, "TH_AM001")
    spec = root / "TH_AM001" / "methodology.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("approved: 2016-08-23", "approved: 2016-08-24"), encoding="utf-8")
    with pytest.raises(
        SpecError, match=r"facts.yaml: versions\[0\]\.approved: the spec disagrees with the official facts.*expected '2016-08-23', found '2016-08-24"
    ):
        load_catalogue(root)


def test_runnable_must_match_the_presence_of_a_spec(tmp_path):
    root = _library(tmp_path, "TH_AM012")
    shutil.copy(METHODOLOGIES / "TH_AM001" / "methodology.yaml", root / "TH_AM012" / "methodology.yaml")
    with pytest.raises(SpecError, match="runnable: a spec exists, so the methodology is runnable"):
        load_catalogue(root)
    root = _library(tmp_path / "b", "TH_AM001")
    (root / "TH_AM001" / "facts.yaml").unlink()
    with pytest.raises(SpecError, match="a methodology without its catalogue facts"):
        load_catalogue(root)


# -- (e) jcmwb list: table, csv and json -----------------------------------------------------
def test_list_json_holds_the_41_approved_ids(capsys):
    assert main(["list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = {m["id"] for m in data["methodologies"] if m["approved"]}
    assert ids == APPROVED
    th012 = next(m for m in data["methodologies"] if m["id"] == "TH_AM012")
    assert th012["runnable"] == "catalogued" and th012["reason"]
    assert th012["status"] == {"seen": False, "value": None, "source": [], "note": "The Joint Committee's decision gives no status."}
    assert th012["versions"][0]["approved"]["value"] == "2021-09-20"


def test_list_csv_has_every_fact_with_its_source(capsys):
    assert main(["list", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["id"] for r in rows if r["approved"] == "yes"} == APPROVED
    th001 = next(r for r in rows if r["id"] == "TH_AM001")
    assert th001["versions"] == "01.0 (2016-08-23)" and th001["proponent"] == "Pacific Consultants Co., Ltd. (TH_PM001)"
    assert th001["title_source"] == "https://www.jcm.go.jp/th-jp/methodologies/39"
    assert next(r for r in rows if r["id"] == "ID_AM002")["title"] == "not seen"


def test_list_table_shows_all_ids_and_reasons(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:2].isalpha() and "_" in line.split()[0]}
    assert APPROVED <= set(lines)
    assert lines["TH_AM012"].split()[1] == "catalogued"
    assert "  TH_AM012: Structure not public" in out
    assert "41 approved methodologies:" in out


def test_list_refuses_an_unknown_format(capsys):
    with pytest.raises(SystemExit):
        main(["list", "--format", "xml"])
    with pytest.raises(InputError, match="unknown format"):
        render("xml")


def test_texts_from_facts_are_escaped():
    assert clean("a\x1b[31mred\nb") == "a\\x1b[31mred\\nb"
    entries = load_catalogue()
    assert all("\x1b" not in line for line in render("table", entries).splitlines())


# -- (f) running a catalogued-only id fails clearly ----------------------------------------------
@pytest.mark.parametrize("methodology_id", ["TH_AM012", "KH_AM004"])
def test_run_on_a_catalogued_only_id_gives_one_clear_error(tmp_path, methodology_id):
    period = tmp_path / "period.yaml"
    period.write_text(
        f'methodology: {methodology_id}\nproject: {{id: P-1}}\nperiod: {{start: "2022-01-01", end: "2022-12-31"}}\nmonitored: {{}}\n',
        encoding="utf-8",
    )
    before = period.read_bytes()
    for verb in ("run", "check"):
        done = subprocess.run([sys.executable, "-m", "jcmwb.cli", verb, str(period)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert done.returncode == 2, done.stdout + done.stderr
        text = done.stdout + done.stderr
        assert "Traceback" not in text
        reason = load_facts(METHODOLOGIES / methodology_id / "facts.yaml").reason.rstrip(".")
        assert f"{methodology_id} (" in text and "jcmwb cannot calculate it" in text and reason in text
    assert period.read_bytes() == before
    assert not (tmp_path / "reports").exists()


def test_only_a_catalogued_id_gets_the_catalogue_reason(tmp_path, monkeypatch):
    from jcmwb.engine import spec as spec_module
    from jcmwb.library.catalogue import NotRunnableError

    library = _library(tmp_path, "TH_AM012", "TH_AM001")
    (library / "TH_AM001" / "methodology.yaml").unlink()  # official facts, spec missing: not "catalogued"
    monkeypatch.setattr(spec_module, "METHODOLOGIES", library)
    with pytest.raises(NotRunnableError, match="TH_AM012 .* jcmwb cannot calculate it: Structure not public"):
        spec_module.load_spec("TH_AM012")
    with pytest.raises(SpecError, match="unknown methodology"):
        spec_module.load_spec("TH_AM001")
    # A facts file linked in from outside the library is not the library's.
    outside = tmp_path / "outside" / "TH_AM017"
    shutil.copytree(METHODOLOGIES / "TH_AM017", outside)
    (library / "TH_AM017").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SpecError, match="unknown methodology"):
        spec_module.load_spec("TH_AM017")
