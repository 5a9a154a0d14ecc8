# Everything runs from a local virtual environment made from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup demo dev test test-daemon lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A local instance for the demo's runs and the UI; telemetry off.
$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\n' > $@

demo: setup $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m contactship_pipeline.demo

dev: setup $(DAGSTER_HOME)/dagster.yaml
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m contactship_pipeline.dev

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# The sensors end to end with a real `dagster-daemon run` (about a minute).
test-daemon: setup
	CONTACTSHIP_DAEMON_TESTS=1 $(BIN)/pytest contactship_pipeline_tests/test_sensors/test_daemon.py

clean:
	rm -rf data .dagster_home
