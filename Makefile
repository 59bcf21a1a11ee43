# make test  - create .venv, install (CPU torch first), run the whole test suite
# make test-fast - the unit tests: no real model, servers or browser (the developer loop)
# make lint  - ruff, ruff format, mypy and the import contracts (lint-imports)
# make serve - install the same way, ingest the shipped corpus if needed, run the assistant
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install test test-fast serve lint eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/python -m pytest -q -rs -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not browser and not llm"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assistant ingest api evals tests/api_fakes.py
	$(BIN)/lint-imports

serve: install
	$(BIN)/resolutions ingest
	$(BIN)/resolutions serve

clean:
	rm -rf $(VENV) .resolutions
