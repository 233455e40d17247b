#!/usr/bin/env bash
# The whole suite: unit, cases, bad input, CLI, LibreOffice oracle, notebooks (nbval), browser.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY -m pytest tests -q -p no:cacheprovider
status=$?
# pytest exits 5 when it collects nothing: that is a failure of the suite, not a pass.
if [ $status -eq 5 ]; then echo "no tests collected"; exit 1; fi
[ $status -ne 0 ] && exit $status
$PY -m pytest --nbval notebooks/*_AM*.ipynb -q -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg
status=$?
if [ $status -eq 5 ]; then echo "no notebooks collected"; exit 1; fi
exit $status
