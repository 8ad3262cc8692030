# newsquotes — every target sets itself up: a fresh clone needs only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: install run test lint unit integration evaluation bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## run the pipeline on the bundled sample articles
	$(BIN)/newsquotes run

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint  ## the whole test suite: unit, integration, evaluation
	$(BIN)/python -m pytest -q -ra

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -q tests/integration

evaluation: $(STAMP)
	$(BIN)/python -m pytest -q tests/evaluation

bench: $(STAMP)  ## accuracy and throughput figures (slow; not part of `make test`)
	$(BIN)/python benchmarks/quote_accuracy.py
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf data .pytest_cache .ruff_cache test-artifacts
