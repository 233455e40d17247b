"""The example data are what their generators write: each data/generators/<ID>.py is deterministic.

Re-running a generator must leave the committed files of data/examples/<ID>/ byte for byte
unchanged (seeded streams, fixed formatting), so the examples can always be regenerated and
reviewed from their documented models.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATORS = sorted(p for p in (ROOT / "data" / "generators").glob("[A-Z][A-Z]_[AP]M*.py") if (ROOT / "data" / "examples" / p.stem).is_dir())


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".xlsx", ".txt")}


@pytest.mark.slow
@pytest.mark.parametrize("script", GENERATORS, ids=[p.stem for p in GENERATORS])
def test_generator_reproduces_the_committed_data(script):
    folder = ROOT / "data" / "examples" / script.stem
    before = _digests(folder)
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True, cwd=ROOT, timeout=600)
    assert _digests(folder) == before, f"{script.name} does not reproduce the committed data of {folder.name}"
