# Two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

ASSETS := frontend/node_modules/.installed

.PHONY: run test bench

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# htmx (served by the app) and axe-core (for the browser tests), pinned in package-lock.json.
$(ASSETS): frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error
	@touch $(ASSETS)

run: $(STAMP) $(ASSETS)
	$(VENV)/bin/tribewise serve --demo

test: $(STAMP) $(ASSETS)
	bash .ci/test.sh

bench: $(STAMP)
	$(PY) bench/scoring.py
