# Two commands: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast bench relevance browser-deps clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.run-deps
	$(BIN)/flask run --host $(HOST) --port $(PORT)

browser-deps:
	@scripts/ensure-chromium

test: $(VENV)/.dev-deps browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.dev-deps
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

bench: $(VENV)/.dev-deps
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

# Judged queries over the real talks: nDCG@10, MRR and recall@10 for the site and two stock baselines.
relevance: $(VENV)/.dev-deps
	$(BIN)/python -m tests.relevance.run $(RELEVANCE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Refresh the catalogue after changing English strings in templates or code; then translate the new entries.
translations: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -o translations/messages.pot --no-location --omit-header --ignore-dirs=".venv tests index instance" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations
