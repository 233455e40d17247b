"""Hostile input (issue 12, items 11 and 12): one clear error, exit 2, no traceback, no hang.

NaN and infinity (YAML ``.nan``/``.inf``, ``1e400``, CSV ``inf``/``Infinity``/``nan``), sums that
overflow, files that are no file (a folder, a FIFO, ``/dev/zero``, a file above the size cap,
an encrypted workbook), YAML that nests or expands without end, and intervals too fine to
enumerate. Each fixture in tests/fixtures/bad/hostile/ is refused with one error naming the file
and the key or row, what was expected and what was found:

- through the API: the error's class and its one line (as tests/test_bad_input.py does);
- through ``jcmwb check`` and ``jcmwb run`` in this process: tests/test_bad_input_cli.py takes
  each fixture's message from CASES here (exit 2, one line, no traceback, no warning, nothing
  written, inputs unchanged);
- through ``python -m jcmwb.cli`` in a child process, every fixture at once, and ``jcmwb batch``
  on a folder mixing bad files and a good one: the good one runs, exit 1.

What cannot be committed (a FIFO, a folder named x.yaml, files above the cap, 50,000 nested
brackets) is built in a temporary folder. Every test runs under a time limit, so a hang fails.

encrypted_workbook.xlsx is tests/fixtures/good/interval.csv saved as .xlsx by pandas and
encrypted with the password "secret" by msoffcrypto-tool 6.1 (``OOXMLFile.encrypt``): an OLE
compound file holding EncryptionInfo and EncryptedPackage, as Excel writes one.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import BAD, FIXTURES, ROOT

import jcmwb
from jcmwb.engine.errors import DataError, InputError, JcmwbError, SpecError
from jcmwb.engine.period import period_files
from jcmwb.engine.spec import load_spec
from jcmwb.engine.strict_yaml import MAX_YAML_DEPTH
from jcmwb.run.batch import PeriodOutcome, run_one

HOSTILE = BAD / "hostile"
GOOD = FIXTURES / "good"
REPORTS = ROOT / "reports"
PROJECT = "BAD-HOSTILE"  # every hostile period file's project id: `run` must leave no reports/BAD-HOSTILE
LIMIT = 120  # seconds any one test may take (the batch test runs one notebook): a hang fails, not blocks

# (fixture, error class, file named in the message, parts of the message)
CASES = [
    # -- item 11: NaN and infinity typed in the period file or the spec ---------------------
    ("nan_value", InputError, "nan_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "expected a finite number", "found nan"]),
    ("inf_value", InputError, "inf_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "found inf"]),
    ("minus_inf_value", InputError, "minus_inf_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "found -inf"]),
    ("exponent_overflow_value", InputError, "exponent_overflow_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "found '1e400'"]),
    ("infinity_text_value", InputError, "infinity_text_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "found 'Infinity'"]),
    ("huge_integer_value", InputError, "huge_integer_value.yaml", ["monitored.EG_i_p.values.PV-1: not a finite number", "found an integer of 401 digits"]),
    ("too_many_digits", InputError, "too_many_digits.yaml", ["line 6: number too long", "found 5,000 characters"]),
    ("nan_fixed_value", InputError, "nan_fixed_value.yaml", ["fixed.COP_PJ_i.values.C1: not a finite number", "found nan"]),
    ("inf_multiplier", InputError, "inf_multiplier.yaml", ["monitored.EG_i_p.multipliers.PV-1: not a finite number", "found inf"]),
    ("nan_calibration", InputError, "nan_calibration.yaml", ["monitored.EG_i_p.calibration[0].error_percent: not a finite number", "found nan"]),
    ("spec_nan_default", SpecError, "spec_nan_default.yaml", ["parameters.EF.values[0].value: not a finite number", "expected a finite number", "found nan"]),
    # 9e307 + 9e307 MWh > 1.797e308, the largest float: RE_p overflows although each value is finite
    (
        "overflow_sum",
        InputError,
        "overflow_sum.yaml",
        ["equation RE_p = sum(EG_i_p, i) * EF_RE: RE_p is not a finite number: the calculation overflows", "found EF_RE = 0.4, EG_i_p up to 9e+307 (at PV-1)"],
    ),
    # -- item 11: NaN and infinity in data files ---------------------------------------------
    ("inf_in_csv", DataError, "inf_in_csv.csv", ["row 3, column value: not a finite number", "expected a finite number", "found 'inf'"]),
    ("infinity_in_csv", DataError, "infinity_in_csv.csv", ["row 3, column value: not a finite number", "found 'Infinity'"]),
    ("nan_in_csv", DataError, "nan_in_csv.csv", ["row 3, column value: not a finite number", "found 'nan'"]),
    ("exponent_overflow_in_csv", DataError, "exponent_overflow_in_csv.csv", ["row 3, column value: not a finite number", "found '1e400'"]),
    ("register_inf_reading", DataError, "register_inf_reading.csv", ["row 4, column reading: not a finite number", "found 'inf'"]),
    ("monthly_infinity", DataError, "monthly_infinity.csv", ["row 3, column value: not a finite number", "found 'Infinity'"]),
    # rows 3 and 4 of PV-1 hold 9e307 MWh each: the point's total overflows (named by point and file)
    ("csv_sum_overflow", DataError, "csv_sum_overflow.csv", ["point PV-1"]),
    # -- item 12: intervals ----------------------------------------------------------------
    (
        "interval_1ns",
        DataError,
        "interval_1ns.yaml",
        ["monitored.EG_i_p.interval: interval out of range", "expected a positive interval of at least 1 s", "found '1ns'"],
    ),
    ("interval_nan", InputError, "interval_nan.yaml", ["monitored.EG_i_p.interval: ", "found 'nan'"]),
    # 2021 has 365 x 86,400 = 31,536,000 one-second intervals; 8 rows allow at most 1,000,000
    (
        "interval_too_many",
        DataError,
        "interval_too_many.yaml",
        ["monitored.EG_i_p.interval: too many intervals in the period", "expected at most 1,000,000 intervals per point", "found 31,536,000 intervals of '1s'"],
    ),
    (
        "timestamps_ms_apart",
        DataError,
        "timestamps_ms_apart.csv",
        ["row 3, column timestamp: timestamps less than 1 second apart", "found 0.001 seconds after the point's previous timestamp"],
    ),
    # -- item 12: files that are no data file ------------------------------------------------
    ("data_dev_zero", DataError, "data_dev_zero.yaml", ["monitored.EG_i_p.data: data file is not a regular file", "found /dev/zero (a character device)"]),
    ("encrypted_workbook", DataError, "encrypted_workbook.xlsx", ["encrypted or password-protected workbook", "expected an .xlsx without a password"]),
    (
        "text_as_xlsx",
        DataError,
        "text_as_xlsx.xlsx",
        ["not an .xlsx workbook", "expected an Excel .xlsx file (a ZIP container)", "found a file starting with b'timestam'"],
    ),
    ("latin1_data", DataError, "latin1_data.csv", ["line 10: not a UTF-8 text file", "expected text saved as UTF-8", "found byte 0xe9"]),
    # -- item 12: YAML that is no period file --------------------------------------------------
    ("latin1_period", InputError, "latin1_period.yaml", ["line 3: not a UTF-8 text file", "found byte 0xe9"]),
    # Expanded, list a holds 1 + 9 = 10 values, b = 1 + 9 x 10 = 91, c = 820, d = 7,381, e = 66,430,
    # f = 1 + 9 x 66,430 = 597,871: the first above the cap, on line 12 (a is on line 7)
    (
        "alias_bomb",
        InputError,
        "alias_bomb.yaml",
        ["line 12: too many values once aliases (*name) are expanded", "expected at most 200,000 values", "found 597,871"],
    ),
    ("recursive_alias", InputError, "recursive_alias.yaml", ["line 3: an alias (*name) refers to the value that contains it"]),
    ("deep_nesting", InputError, "deep_nesting.yaml", ["line 3: nested too deeply", f"expected at most {MAX_YAML_DEPTH} levels of nesting"]),
]


@pytest.fixture(autouse=True)
def time_limit():
    """Fail a test that takes more than LIMIT seconds (a blocking read is interrupted too)."""

    def expired(signum, frame):
        raise TimeoutError(f"no answer within {LIMIT} s: hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(LIMIT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _digest(folder: Path) -> dict[str, str]:
    """Every regular file below ``folder`` and its hash: inputs must come out unchanged."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _load(path: Path) -> object:
    """A spec (its first key is id) is loaded as one; anything else is calculated as a period."""
    first = next(line for line in path.read_bytes().decode("utf-8", "replace").splitlines() if line.strip() and not line.startswith("#"))
    return load_spec(path) if first.startswith("id:") else jcmwb.calculate(path)


def _check_line(line: str, file_name: str, parts: list[str]) -> None:
    assert "Traceback" not in line
    assert f"{file_name}: " in line, f"{file_name} not named in {line!r}"
    for part in parts:
        assert part in line, f"{part!r} not in {line!r}"


# -- the API: class and message ------------------------------------------------------------
@pytest.mark.parametrize(("name", "cls", "file_name", "parts"), CASES, ids=[c[0] for c in CASES])
def test_hostile_fixture_message(name, cls, file_name, parts):
    path = HOSTILE / f"{name}.yaml"
    if name == "data_dev_zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(JcmwbError) as info:
        _load(path)
    err = info.value
    first = (getattr(err, "problems", None) or [err])[0]
    assert isinstance(first, cls), f"{type(first).__name__} instead of {cls.__name__}: {err}"
    line = err.line()
    assert "\n" not in line and str(err) == line
    assert Path(err.file).name == file_name
    assert line.startswith(err.file + ": ")
    _check_line(line, file_name, parts)


# -- the command line, a child process ----------------------------------------------------------
def test_cli_checks_every_hostile_fixture_in_one_call():
    """``python -m jcmwb.cli check`` on all fixtures: one ERROR line each, in order, nothing on stderr."""
    names = [c[0] for c in CASES]
    assert {p.stem for p in HOSTILE.glob("*.yaml")} == set(names)  # every fixture has its case
    done = subprocess.run(
        [sys.executable, "-m", "jcmwb.cli", "check", *(str(HOSTILE / f"{n}.yaml") for n in names)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=LIMIT - 5,
    )
    assert done.returncode == 2
    assert done.stderr == "" and "Traceback" not in done.stdout
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR ")]
    assert len(errors) == len(CASES)
    for line, (_, _, file_name, parts) in zip(errors, CASES):
        _check_line(line, file_name, parts)
    assert done.stdout.splitlines()[-1] == f"{len(CASES)} problem(s) found"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jcmwb.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=LIMIT - 10, env={**os.environ, **(env or {})}
    )


def _one_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def _interval_period(folder: Path, data: str, name: str = "period.yaml") -> Path:
    """The good interval fixture, reading ``data`` instead of its CSV."""
    text = (GOOD / "interval.yaml").read_text(encoding="utf-8").replace("data: interval.csv", f"data: {data}").replace("DATA-TH", PROJECT)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_as_data_and_as_period_file(tmp_path):
    """A FIFO with no writer blocked ``run`` for ever; now it is refused at once, by name."""
    os.mkfifo(tmp_path / "meter.csv")
    period = _interval_period(tmp_path, "meter.csv")
    line = _one_error(_cli("run", str(period), "--out", str(tmp_path / "out")))
    assert (
        line
        == f"error: {period}: monitored.EG_i_p.data: data file is not a regular file; expected a regular data file (not a folder, pipe or device), found {tmp_path / 'meter.csv'} (a named pipe)"
    )
    os.mkfifo(tmp_path / "pipe.yaml")
    line = _one_error(_cli("run", str(tmp_path / "pipe.yaml"), "--out", str(tmp_path / "out")))
    assert line == f"error: {tmp_path / 'pipe.yaml'}: not a regular file; expected a regular file (not a folder, pipe or device), found a named pipe"
    done = _cli("check", str(tmp_path / "pipe.yaml"))  # `check` peeks at the first line to tell a spec from a period
    assert done.returncode == 2 and f"ERROR {tmp_path / 'pipe.yaml'}: not a regular file" in done.stdout
    assert not (tmp_path / "out").exists() and not (REPORTS / PROJECT).exists()


def test_folder_as_period_file_and_as_data(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    line = _one_error(_cli("run", str(tmp_path / "x.yaml")))
    assert line == f"error: {tmp_path / 'x.yaml'}: not a regular file; expected a regular file (not a folder, pipe or device), found a folder"
    done = _cli("check", str(tmp_path / "x.yaml"))
    assert done.returncode == 2 and f"ERROR {tmp_path / 'x.yaml'}: not a regular file" in done.stdout and done.stderr == ""
    (tmp_path / "meter.csv").mkdir()
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_interval_period(tmp_path, "meter.csv"))
    assert info.value.where == "monitored.EG_i_p.data" and info.value.found == f"{tmp_path / 'meter.csv'} (a folder)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_link_to_a_device_is_a_device(tmp_path):
    (tmp_path / "meter.csv").symlink_to("/dev/zero")
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_interval_period(tmp_path, "meter.csv"))
    assert info.value.message == "data file is not a regular file" and info.value.found == f"{tmp_path / 'meter.csv'} (a character device)"


def test_fifty_thousand_nested_lists(tmp_path):
    """50,000 nested brackets ended in a RecursionError traceback; the nesting limit stops it."""
    path = tmp_path / "deep.yaml"
    path.write_text("methodology: TH_AM001\nparticipants: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    line = _one_error(_cli("run", str(path)))
    assert line == f"error: {path}: line 2: nested too deeply; expected at most {MAX_YAML_DEPTH} levels of nesting, found more than {MAX_YAML_DEPTH}"


def test_aliases_nested_through_each_other_are_measured_expanded(tmp_path):
    """Each anchor nests the previous one 40 deep: every list is shallow where it is written, the
    expanded value is 40 x 10 levels deep, which is what any reader of it walks."""
    lines = ["methodology: TH_AM001", "x0: &a0 1"]
    for n in range(1, 11):
        lines.append(f"x{n}: &a{n} " + "[" * 40 + f"*a{n - 1}" + "]" * 40)
    path = tmp_path / "chain.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        jcmwb.calculate(path)
    assert info.value.message == "nested too deeply once aliases (*name) are expanded"
    assert info.value.expected == f"at most {MAX_YAML_DEPTH} levels of nesting"


def test_data_file_above_the_size_cap(tmp_path):
    """The cap (JCMWB_MAX_DATA_MB, default 256 MB) is checked before reading: a sparse file of
    2 MB against a cap of 1 MB is refused with both sizes."""
    data = tmp_path / "meter.csv"
    with data.open("wb") as handle:
        handle.truncate(2 * 2**20)
    period = _interval_period(tmp_path, "meter.csv")
    line = _one_error(_cli("run", str(period), env={"JCMWB_MAX_DATA_MB": "1"}))
    assert line == f"error: {period}: monitored.EG_i_p.data: data file too large; expected at most 1.0 MB, found {data} (2.0 MB)"


def test_workbook_that_unpacks_beyond_the_cap(tmp_path, monkeypatch):
    """A few kB of ZIP can unpack to gigabytes: an .xlsx unpacking to more than 4 x the cap is refused."""
    monkeypatch.setenv("JCMWB_MAX_DATA_MB", "1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 2**20))
    (tmp_path / "meter.xlsx").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 2**20
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_interval_period(tmp_path, "meter.xlsx"))
    assert info.value.line() == f"{tmp_path / 'meter.xlsx'}: workbook too large once unpacked; expected at most 4.0 MB unpacked, found 5.0 MB"


def _zip_of_zeros(path: Path, unpacked: int) -> Path:
    """A ZIP named like a workbook whose one member unpacks to ``unpacked`` zero bytes (about 1/1000 of it packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
        for _ in range(unpacked // 2**20):
            member.write(b"\0" * 2**20)
    return path


def test_a_sheet_to_verify_that_unpacks_beyond_its_cap_is_refused_before_it_is_read(tmp_path):
    """``jcmwb verify`` gave a submitted sheet to openpyxl as it was: 800 kB unpacking to 800 MB
    took 21 s and 1.7 GB of memory, and a larger one would exhaust the machine. A Monitoring
    Report Sheet is at most 32 MB, and unpacks to at most 4 x that (128 MB): 130 MB is refused,
    at once, before anything is written; a FIFO named .xlsx no longer blocks."""
    sheet = _zip_of_zeros(tmp_path / "MRS.xlsx", 130 * 2**20)
    assert sheet.stat().st_size < 2**20
    line = _one_error(_cli("verify", str(sheet)))
    assert line == f"error: {sheet}: workbook too large once unpacked; expected at most 128.0 MB unpacked, found 130.0 MB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MRS.xlsx"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.xlsx")
        line = _one_error(_cli("verify", str(tmp_path / "pipe.xlsx")))
        assert line == f"error: {tmp_path / 'pipe.xlsx'}: workbook is not a regular file; expected a regular workbook (not a folder, pipe or device), found a named pipe"


def test_an_uploaded_workbook_is_bounded_before_the_form_looks_into_it(tmp_path, monkeypatch):
    """The app looks at an upload at once (its columns and points), before Calculate: it read any
    .xlsx whole. It is now bounded as the engine bounds data files (4 x JCMWB_MAX_DATA_MB unpacked)."""
    from jcmwb.app.form import inspect_upload

    monkeypatch.setenv("JCMWB_MAX_DATA_MB", "1")
    with pytest.raises(DataError) as info:
        inspect_upload(_zip_of_zeros(tmp_path / "meter.xlsx", 5 * 2**20))
    assert info.value.line() == f"{tmp_path / 'meter.xlsx'}: workbook too large once unpacked; expected at most 4.0 MB unpacked, found 5.0 MB"
    plain = tmp_path / "plain.xlsx"
    import pandas as pd

    pd.read_csv(GOOD / "interval.csv", dtype=str).to_excel(plain, index=False)
    assert inspect_upload(plain) == ("interval", ["PV-1", "PV-2"])  # the fixture's two points


def test_encrypted_workbook_is_refused_and_its_plain_twin_reads(tmp_path):
    """encrypted_workbook.xlsx holds the good interval data: unencrypted, the same workbook gives ER 2
    (0 + 1200.5 + 1800 + 150 + 0 + 900 + 1500.25 + 100 kWh = 5.65075 MWh x 0.4 = 2.26 -> 2)."""
    import pandas as pd

    shutil.copy(HOSTILE / "encrypted_workbook.xlsx", tmp_path / "meter.xlsx")
    with pytest.raises(DataError) as info:
        jcmwb.calculate(_interval_period(tmp_path, "meter.xlsx"))
    assert info.value.message == "encrypted or password-protected workbook"
    pd.read_csv(GOOD / "interval.csv", dtype=str).to_excel(tmp_path / "meter.xlsx", index=False)
    assert jcmwb.calculate(_interval_period(tmp_path, "meter.xlsx")).er == 2.0


def test_interval_limits_refuse_1ns_and_allow_seconds(tmp_path):
    """1 ns is refused before any array is built; 1-second data over a day (86,400 intervals per
    point) still read, with their gaps reported (4 rows of PV-1: 86,396 of its 86,400 missing)."""
    text = (GOOD / "interval.yaml").read_text(encoding="utf-8").replace("data: interval.csv", f"data: {GOOD / 'interval.csv'}")
    path = tmp_path / "period.yaml"
    path.write_text(text.replace("interval: 6h", "interval: 1ns"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        jcmwb.calculate(path)
    assert info.value.where == "monitored.EG_i_p.interval" and info.value.message == "interval out of range"
    path.write_text(text.replace("interval: 6h", "interval: 1s"), encoding="utf-8")
    result = jcmwb.calculate(path)
    assert result.er == 2.0
    assert result.monitored["EG_i_p"].points["PV-1"].expected == 86_400
    assert result.monitored["EG_i_p"].points["PV-1"].missing == 86_396


# -- batch: one bad file is that period's error; the others run ---------------------------------
def test_period_files_lists_what_it_cannot_read_without_blocking(tmp_path):
    (tmp_path / "a.yaml").write_bytes("methodology: TH_AM001\nproject: {id: caf\xe9}\n".encode("latin-1"))
    (tmp_path / "b.yaml").mkdir()
    (tmp_path / "c.yaml").write_text("methodology: TH_AM001\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("id: XX_AM901\n", encoding="utf-8")  # a spec: not a period
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "e.yaml").write_text("methodology: TH_AM001\n", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "f.yaml")
    expected = ["a.yaml", "b.yaml", "c.yaml"] + (["f.yaml"] if hasattr(os, "mkfifo") else [])
    assert [p.name for p in period_files(tmp_path)] == expected
    # Hidden is judged below the folder given, not in the path leading to it.
    inner = tmp_path / ".hidden"
    assert [p.name for p in period_files(inner)] == ["e.yaml"]


def test_an_unexpected_failure_in_one_period_is_reported_not_raised(monkeypatch):
    import jcmwb.run.runner

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jcmwb.run.runner, "run", broken)
    assert run_one("x.yaml") == PeriodOutcome("error", "x.yaml", "internal error (RuntimeError: boom); please report it with this file")


def test_batch_runs_the_good_period_beside_hostile_files(tmp_path):
    """Non-UTF-8 YAML, a folder named x.yaml, a FIFO, NaN and infinity: each is that period's
    error, the good period runs and writes its reports, exit 1."""
    folder = tmp_path / "periods"
    folder.mkdir()
    for name in ("nan_value", "inf_in_csv", "latin1_period", "alias_bomb", "interval_1ns"):
        shutil.copy(HOSTILE / f"{name}.yaml", folder)
    shutil.copy(HOSTILE / "inf_in_csv.csv", folder)
    shutil.copy(GOOD / "interval.csv", folder)
    (folder / "interval_1ns.yaml").write_text((folder / "interval_1ns.yaml").read_text().replace("../../good/interval.csv", "interval.csv"))
    _interval_period(folder, "interval.csv", "good.yaml")
    (folder / "x.yaml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.yaml")
    before = _digest(folder)
    reports = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "jcmwb.cli", "batch", str(folder), "--reports", str(reports), "--jobs", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=LIMIT - 5,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr and done.stderr == ""
    bad = ["nan_value", "inf_in_csv", "latin1_period", "alias_bomb", "interval_1ns", "x"] + (["pipe"] if hasattr(os, "mkfifo") else [])
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == len(bad) + 1
    for name in bad:
        mine = [line for line in lines if f" {folder / name}.yaml: " in line]
        assert len(mine) == 1 and " ERROR " in mine[0], name
    assert any(" ok    " in line and f"{folder / 'good.yaml'}: ER_p = 2 tCO2/p" in line for line in lines)
    assert done.stdout.splitlines()[-1].endswith(f"1 ok, {len(bad)} failed")
    assert [p.relative_to(reports).as_posix() for p in reports.glob("*/*")] == [f"{PROJECT}/2021-01-01_2021-01-01"]
    assert _digest(folder) == before


# -- the app shows the message, not "Something went wrong" --------------------------------------
def test_app_names_the_infinite_value(tmp_path):
    import datetime as dt

    from jcmwb.app.page import MethodologyPage
    from jcmwb.app.server import AppSettings

    app = MethodologyPage(load_spec("TH_AM001"), AppSettings(work=tmp_path / "work"), "en")
    form = app.form
    form.project_id.value = PROJECT
    form.start_picker.value = dt.date(2021, 1, 1)
    form.end_picker.value = dt.date(2021, 1, 1)
    field = form.monitored["EG_i_p"]
    content = (HOSTILE / "infinity_in_csv.csv").read_bytes()
    field._receive({"name": "meter.csv", "content": content, "size": len(content)})
    field.unit.value = "kWh"
    app.guard(app.run)
    shown = " ".join(str(w.value) for w in form.slots.widgets.values())
    assert "meter.csv, row 3, column value: Not a finite number. Expected a finite number; found &#x27;Infinity&#x27;." in shown
    assert "Something went wrong" not in shown
