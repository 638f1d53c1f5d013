# Two commands a newcomer needs: `make run` and `make test`.
#   make run [PORT=8001] [PYTHON=python3.11]   installs what running needs, then serves the app
#   make test [PYTHON=python3.11]              adds what the tests need, then runs them
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
# Running needs the runtime dependencies only; the tests add pyproject.toml's [test] extra on top.
RUN_STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
# htmx and its head-support extension (npm dependencies) are served by the app; axe-core (a
# devDependency) only runs in the browser tests. package-lock.json pins all three.
RUN_ASSETS := frontend/node_modules/.installed-run
TEST_ASSETS := frontend/node_modules/.installed-test
NPM := npm ci --prefix frontend --no-audit --no-fund --loglevel=error
# No bytecode at install: compiling all of site-packages took a quarter of a fresh install, the tests keep their
# bytecode elsewhere (PYTHONPYCACHEPREFIX in .ci/test.sh), and Python compiles what a server imports on first use.
PIP := $(PY) -m pip install --quiet --disable-pip-version-check --no-compile

.PHONY: run test bench python

# Checked before anything is installed: with another Python, pip backtracks for minutes, then fails.
python:
	@if [ -x $(PY) ]; then py=$(PY); else py=$(PYTHON); fi; \
	$$py -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  if [ -x $(PY) ]; then echo "Tribewise needs Python 3.11; $(VENV) was made with $$($(PY) --version 2>&1): remove it (rm -rf $(VENV)) and run: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11" >&2; \
	  else echo "Tribewise needs Python 3.11; $(PYTHON) is $$($(PYTHON) --version 2>/dev/null || echo not found): run: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11 (or the path of a Python 3.11)" >&2; fi; \
	  exit 1; }

$(RUN_STAMP): pyproject.toml | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@rm -f $(VENV)/.installed-* && touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(PIP) -e '.[test]'
	@touch $@

$(RUN_ASSETS): frontend/package.json frontend/package-lock.json
	$(NPM) --omit=dev
	@touch $@

# npm ci empties node_modules first, so both marks are set again after the full install.
$(TEST_ASSETS): frontend/package.json frontend/package-lock.json
	$(NPM)
	@touch $@ $(RUN_ASSETS)

run: $(RUN_STAMP) $(RUN_ASSETS)
	$(VENV)/bin/tribewise serve --demo --port $(PORT)

test: $(TEST_STAMP) $(TEST_ASSETS)
	bash .ci/test.sh

bench: $(TEST_STAMP)
	$(PY) bench/scoring.py
