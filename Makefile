# jcmwb: the two entry points are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
APT_PACKAGES := libreoffice-calc chromium fonts-noto-cjk

.PHONY: demo test venv test-tools system-packages notebooks lab lint bench clean mutate

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

venv: $(STAMP)

$(TESTSTAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TESTSTAMP)

test-tools: $(TESTSTAMP) system-packages

# LibreOffice (the spreadsheet oracle) and Chromium (browser tests), when missing and root is available.
# Without root nothing is installed here; `make test` then fails on the missing oracle with the
# command that installs it, unless JCMWB_SKIP_ORACLES names it (tests/oracles.py).
system-packages:
	@if ! command -v soffice >/dev/null || ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else echo "note: not root, so $(APT_PACKAGES) are not installed; make test will fail without LibreOffice and Chromium unless JCMWB_SKIP_ORACLES=libreoffice,chromium"; fi; \
	fi

demo: $(STAMP)
	$(VENV)/bin/jcmwb batch data/examples
	for project in data/examples/projects/*/; do $(VENV)/bin/jcmwb project "$$project" || exit 1; done

test: test-tools
	$(VENV)/bin/ruff check jcmwb tests benchmarks data
	bash tests/run.sh

# Re-execute the committed notebooks on their example inputs (nbval compares against these).
notebooks: $(STAMP)
	$(PY) -m jcmwb.run.notebook --execute

# JupyterLab for methodology authors, opened on notebooks/ (the repository is its root, so the
# specs in methodologies/ open in it too). Jupyter refuses to start as root without --allow-root
# (a container, a root shell): the flag is added then, and only then. LAB_ARGS passes more,
# e.g. make lab LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks $$(if [ "$$(id -u)" = 0 ]; then echo --allow-root; fi) $(LAB_ARGS)

# Mutation testing of period filtering, unit conversion, rounding, corrections and allocation
# against the fast suite (tests/mutate.py, docs/mutation.md); long: MUTATE_JOBS=N sets the workers.
mutate: $(TESTSTAMP)
	$(PY) tests/mutate.py

lint: $(TESTSTAMP)
	$(VENV)/bin/ruff check jcmwb tests benchmarks data

# Issue 11's figures beside their floors, interleaved, median of n, peak memory, misses flagged
# (benchmarks/bench.py; inputs generated once by benchmarks/make_inputs.py into benchmarks/inputs/).
# Long (about an hour for all): FIGURES=ingest,growth selects figures, REPEAT=N sets the runs of each,
# BENCH_ARGS passes more (e.g. --markdown out.md).
FIGURES ?=
REPEAT ?=
BENCH_ARGS ?=
bench: $(TESTSTAMP)
	$(PY) benchmarks/bench.py $(if $(FIGURES),--figures $(FIGURES)) $(if $(REPEAT),--repeat $(REPEAT)) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) reports/*/ tests/artifacts mutants
