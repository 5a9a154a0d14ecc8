# Everything runs from a local virtual environment made from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup setup-integration demo dev test test-daemon lint screenshots bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The tests' extra packages (Playwright, a local S3 server, s3fs, dagster-postgres): not for the demo.
setup-integration: $(VENV)/.installed-integration

$(VENV)/.installed-integration: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,integration]'
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

test: lint setup-integration
	$(BIN)/pytest

# The sensors end to end with a real `dagster-daemon run` (about a minute).
test-daemon: setup
	CONTACTSHIP_DAEMON_TESTS=1 $(BIN)/pytest contactship_pipeline_tests/test_sensors/test_daemon.py

# Redraw the README's screenshots under docs/ (needs Chromium: apt-get install chromium).
screenshots: setup-integration
	CONTACTSHIP_SCREENSHOT_DIR=$(CURDIR)/docs $(BIN)/pytest -q contactship_pipeline_tests/test_ui

# The benchmark's own dependencies go into the same .venv; the pipeline never imports them.
$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

# make bench                         the default run (a few minutes)
# make bench ARGS="--calls 1000000"  the scale run
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench $(ARGS)
	$(BIN)/python -m bench.transcripts_memory --budget-mib 1024

clean:
	rm -rf data .dagster_home
