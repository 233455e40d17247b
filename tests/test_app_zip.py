"""A project folder uploaded as a zip (the app's project view): unpacked only when every entry is safe.

``jcmwb.app.session.unpack_zip`` refuses the whole zip, writing nothing, for an absolute path,
a ``..``, a symbolic link, too many files or too many bytes; ``project_root`` finds the folder
of project.yaml; ``jcmwb.app.project_view.check_inside`` refuses a project that reads a file
outside what was uploaded. In the browser: tests/test_app_project.py.
"""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from app_driver import ROOT

from jcmwb.app.project_view import check_inside
from jcmwb.app.session import Session, ZipRefused, project_root, unpack_zip
from jcmwb.engine.cycle import load_project

EXAMPLE = ROOT / "data" / "examples" / "projects" / "EXAMPLE-TH101"
MB = 2**20


def self_contained(tmp: Path) -> Path:
    """EXAMPLE-TH101 with every data file inside it (its 2021 period reads the TH_AM001 example's data)."""
    folder = tmp / "EXAMPLE-TH101"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(ROOT / "data" / "examples" / "TH_AM001" / "generation-2021.csv", folder)
    period = folder / "2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("../../TH_AM001/generation-2021.csv", "generation-2021.csv"), encoding="utf-8")
    return folder


def zip_of(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def zip_with(members: list[tuple[str, bytes]], *, link: str | None = None) -> bytes:
    """A zip of the given members, and a symbolic link named ``link`` (to /etc/passwd) if asked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.create_system = 3  # unix: the mode bits below are read
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")} if folder.exists() else set()


def test_a_project_zip_is_unpacked_and_loads(tmp_path: Path) -> None:
    content = zip_of(self_contained(tmp_path / "src"), prefix="EXAMPLE-TH101/")
    session = Session(tmp_path / "work")
    folder = session.unpack_project(content, max_bytes=50 * MB)
    assert folder == session.dir / "project-1" / "EXAMPLE-TH101" and (folder / "project.yaml").is_file()
    project = load_project(folder)
    check_inside(project, session.dir / "project-1")
    assert len(project.periods) == 3
    # A second upload gets a folder of its own; the first stays as it was.
    again = session.unpack_project(zip_of(self_contained(tmp_path / "src2")), max_bytes=50 * MB)
    assert again == session.dir / "project-2" and folder.is_dir()


@pytest.mark.parametrize(
    ("members", "link", "key", "member"),
    [
        ([("project.yaml", b"x"), ("../x", b"escaped")], None, "zip_parent", "../x"),
        ([("project.yaml", b"x"), ("data/../../x", b"escaped")], None, "zip_parent", "data/../../x"),
        ([("project.yaml", b"x"), ("/tmp/x", b"escaped")], None, "zip_absolute", "/tmp/x"),
        ([("project.yaml", b"x"), ("C:/x", b"escaped")], None, "zip_absolute", "C:/x"),
        ([("project.yaml", b"x")], "data.csv", "zip_link", "data.csv"),
    ],
)
def test_a_hostile_zip_is_refused_whole(tmp_path: Path, members: list[tuple[str, bytes]], link: str | None, key: str, member: str) -> None:
    target = tmp_path / "work" / "s" / "project-1"
    with pytest.raises(ZipRefused) as refused:
        unpack_zip(zip_with(members, link=link), target, max_bytes=MB)
    assert refused.value.key == key and refused.value.values == {"member": member}
    assert not target.exists() and files_under(tmp_path) == set()  # nothing written, inside or out


def test_too_many_files_or_bytes_and_not_a_zip(tmp_path: Path) -> None:
    target = tmp_path / "project-1"
    many = zip_with([(f"f{n}.csv", b"1") for n in range(6)])
    with pytest.raises(ZipRefused) as refused:
        unpack_zip(many, target, max_bytes=MB, max_files=5)
    assert refused.value.key == "zip_too_many" and refused.value.values == {"count": 6, "limit": 5}
    # A zip bomb: a few kB that unpack to 20 MB, against a 10 MB limit.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.yaml", b"\0" * (20 * MB))
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ZipRefused) as refused:
        unpack_zip(buffer.getvalue(), target, max_bytes=10 * MB)
    assert refused.value.key == "zip_too_large"
    with pytest.raises(ZipRefused) as refused:
        unpack_zip(b"project.yaml: not a zip", target, max_bytes=MB)
    assert refused.value.key == "zip_not_zip"
    assert files_under(tmp_path) == set()


def test_the_project_folder_in_the_zip(tmp_path: Path) -> None:
    one = tmp_path / "one"
    unpack_zip(zip_with([("readme.txt", b"no project here")]), one, max_bytes=MB)
    with pytest.raises(ZipRefused) as refused:
        project_root(one)
    assert refused.value.key == "zip_no_project"
    two = tmp_path / "two"
    unpack_zip(zip_with([("a/project.yaml", b"x"), ("b/project.yaml", b"x")]), two, max_bytes=MB)
    with pytest.raises(ZipRefused) as refused:
        project_root(two)
    assert refused.value.key == "zip_two_projects" and refused.value.values == {"folders": "a, b"}


def test_a_project_that_reads_outside_the_upload_is_refused(tmp_path: Path) -> None:
    # The example as it is: its 2021 period reads ../../TH_AM001/generation-2021.csv.
    session = Session(tmp_path / "work")
    folder = session.unpack_project(zip_of(EXAMPLE), max_bytes=50 * MB)
    with pytest.raises(ZipRefused) as refused:
        check_inside(load_project(folder), session.dir / "project-1")
    assert refused.value.key == "zip_outside"
