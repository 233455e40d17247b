"""The README's module table names every module of the package (issue 10 item 9: docs match the code)."""

from __future__ import annotations

import re

from conftest import ROOT


def test_every_module_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| module | concept |") :]
    table = table[: table.index("\n\n")]
    listed = set(re.findall(r"`([a-z_]+\.py)`", table)) | set(re.findall(r"`([a-z_0-9]+)`", table))
    missing = []
    for path in sorted((ROOT / "jcmwb").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        if path.parent.name == "app":
            if path.stem not in listed:
                missing.append(str(path.relative_to(ROOT)))
        elif path.name not in listed:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == [], "modules missing from the README's module table"


# Documents jcmwb writes (named in the code as outputs, not as references).
WRITTEN = {"verification.md", "verification-report-draft.md"}


def test_docstrings_cite_only_documents_that_exist():
    """A ``*.md`` the package refers to (docstrings, comments, messages) is a file of the repository."""
    documents = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.md") if ".venv" not in p.parts and "mutants" not in p.parts}
    names = {d.rsplit("/", 1)[-1] for d in documents}
    missing = []
    for path in sorted((ROOT / "jcmwb").rglob("*.py")):
        for name in re.findall(r"[A-Za-z0-9_./-]*[A-Za-z0-9_]\.md\b", path.read_text(encoding="utf-8")):
            relative = name.startswith("../")  # a link between two documents of the library (../README.md)
            exists = name in documents or (relative or "/" not in name) and name.rsplit("/", 1)[-1] in names
            if not exists and name not in WRITTEN:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert missing == []


def test_the_readme_catalogue_names_every_methodology_with_the_right_counts():
    """The catalogue section of the README follows the library: each id once, counts as `jcmwb list` gives them."""
    from jcmwb.library.catalogue import load_catalogue

    entries = load_catalogue(ROOT / "methodologies")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The catalogue") :]
    section = section[: section.index("\n## ", 1)]
    named = re.findall(r"\b[A-Z]{2}_(?:AM|PM)[A-Z_0-9]*\d\b|\bMN_PM_HOB\b", section)
    ids = {e.id for e in entries}
    assert set(named) - {"MN_AM002"} == ids  # MN_AM002: MN_PM_HOB's former placeholder id, named as such
    approved = [e for e in entries if e.id != "MN_PM_HOB"]
    runs = [e for e in approved if e.facts.runnable != "catalogued"]
    inferred = [e for e in runs if e.facts.runnable == "inferred"]
    words = {len(approved): "approved", len(runs): "of which", len(runs) - len(inferred): "follow", len(inferred): "(marked *inferred*)"}
    for count, word in words.items():
        assert re.search(rf"\b{count}\b[^.]*{re.escape(word)}|{re.escape(word)}[^.]*\b{count}\b", " ".join(section.split())), (count, word)
