#!/usr/bin/env bash
# The whole suite: unit, cases, bad input, CLI, LibreOffice oracle, notebooks (nbval), browser.
# With arguments, only `pytest ARGS` (e.g. `bash tests/run.sh tests/test_cases.py`), after the
# same oracle check.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The oracles (LibreOffice, Chromium) may not be skipped silently: a missing one fails the run
# with the command that installs it, unless JCMWB_SKIP_ORACLES names it (tests/oracles.py).
$PY tests/oracles.py || exit 1
summary() { $PY tests/oracles.py --summary; }
if [ $# -gt 0 ]; then
  $PY -m pytest "$@" -q -p no:cacheprovider
  status=$?
  summary
  exit $status
fi
$PY -m pytest tests -q -p no:cacheprovider
status=$?
# pytest exits 5 when it collects nothing: that is a failure of the suite, not a pass.
if [ $status -eq 5 ]; then echo "no tests collected"; summary; exit 1; fi
if [ $status -ne 0 ]; then summary; exit $status; fi
$PY -m pytest --nbval notebooks/[A-Z][A-Z]_[AP]M*.ipynb -q -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg
status=$?
if [ $status -eq 5 ]; then echo "no notebooks collected"; status=1; fi
summary
exit $status
