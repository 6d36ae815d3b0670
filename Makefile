# Two commands on a fresh machine: `make run` (dashboard on the bundled data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test lint format store bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

# `build --if-stale` trusts only the completion marker a finished build writes last (the digest of
# data/*.csv), never the store file's age, so a build that was killed is built again. Rebuilding is an
# ordinary, harmless ingest of data/*.csv: user ingests in the store are kept.
store: $(VENV)/.installed
	$(BIN)/hotline-trends build --if-stale

run: $(VENV)/.installed store
	@echo "Hotline Trends: open http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true

# Most of the suite waits (browsers, servers, subprocesses), so four workers fit on two cores; each test file
# runs whole in one worker (its module fixtures are built once, and files that share an artifact stay apart).
TEST_WORKERS ?= 4

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	for b in bench/ingest.py bench/study.py bench/app.py bench/monitor.py; do $(BIN)/python $$b || exit 1; done

bench-quick: $(VENV)/.installed-dev
	for b in bench/ingest.py bench/study.py bench/app.py bench/monitor.py; do $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
