# Two commands for a fresh machine with Python 3.11: `make demo`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/kronika: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/kronika
	$(BIN)/kronika demo

test: $(BIN)/kronika
	$(BIN)/python -m pytest -n 2

bench: $(BIN)/kronika
	$(BIN)/python benchmarks/scale.py --store both --parallel 100k

lint: $(BIN)/kronika
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) kronika-demo .pytest_cache .mypy_cache .ruff_cache
