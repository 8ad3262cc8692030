# newsquotes — every target sets itself up: a fresh clone needs only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
# the installer: uv resolves and installs the pinned set (constraints.txt) several times faster than pip
UV      = uv==0.13.8

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: install run test lint unit integration evaluation eval bench clean dashboard serve

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(UV)
	$(BIN)/uv pip install --python $(BIN)/python --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## run the pipeline on the bundled sample articles
	$(BIN)/newsquotes run

lint: $(STAMP)
	$(BIN)/ruff check .

TEST_WORKERS ?= 2

test: $(STAMP) lint  ## the whole test suite: unit, integration, evaluation, dashboard (TEST_WORKERS processes)
	$(BIN)/python -m pytest -q -ra --durations=20 -n $(TEST_WORKERS) --dist loadscope

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -q tests/integration

evaluation: $(STAMP)
	$(BIN)/python -m pytest -q tests/evaluation

eval: $(STAMP)  ## accuracy of the real pipeline: BBC dev, seeds and (with a PolNeAR mirror) PolNeAR dev, one table
	$(BIN)/python benchmarks/quote_accuracy.py

bench: $(STAMP)  ## accuracy and throughput figures (slow; not part of `make test`)
	$(BIN)/python benchmarks/quote_accuracy.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/newsquotes run --input ../shared/corpora/bbc --warehouse data/bench/bbc.duckdb --parquet-dir data/bench/lake
	$(BIN)/python benchmarks/publish_cost.py --warehouse data/bench/bbc.duckdb --scale 1 --scale 10

DASHBOARD_PORT ?= 4200

dashboard: $(STAMP)  ## local Prefect server (SQLite in ~/.prefect) and its UI, on 127.0.0.1 only
	@echo "Prefect UI: http://127.0.0.1:$(DASHBOARD_PORT)   (Ctrl+C stops the server)"
	@echo "In another shell: make serve (scheduled runs), or export PREFECT_API_URL=http://127.0.0.1:$(DASHBOARD_PORT)/api"
	PREFECT_SERVER_API_HOST=127.0.0.1 PREFECT_SERVER_API_PORT=$(DASHBOARD_PORT) \
		$(BIN)/prefect server start --host 127.0.0.1 --port $(DASHBOARD_PORT)

serve: $(STAMP)  ## scheduled runs (cron from settings) against PREFECT_API_URL (default: `make dashboard`'s server)
	PREFECT_API_URL=$${PREFECT_API_URL:-http://127.0.0.1:$(DASHBOARD_PORT)/api} $(BIN)/newsquotes serve

clean:
	rm -rf data .pytest_cache .ruff_cache test-artifacts
