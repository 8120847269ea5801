# Trygg: `make run` serves the app, `make test` runs the whole suite. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9

.PHONY: run test bench lint format messages clean system venv testtools

# The virtual environment is rebuilt whenever the pinned requirements change.
$(BIN)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

venv: $(BIN)/.installed

# axe-core, loaded by the browser tests to check accessibility (never served to users).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

testtools: node_modules/.installed

## Machine packages (Chromium, fonts, PostgreSQL, gettext); installs only what is missing.
system:
	@scripts/system-packages.sh

run: venv
	mkdir -p var
	$(BIN)/trygg migrate --no-input
	@if [ "$(DEMO)" = "1" ]; then $(BIN)/trygg demo; fi
	TRYGG_DEMO=$(DEMO) $(BIN)/trygg runserver --noreload 127.0.0.1:8000

test: venv system testtools
	scripts/test.sh

bench: venv system
	$(BIN)/python -m trygg.bench
	scripts/with-postgres.sh $(BIN)/python -m trygg.bench

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy trygg

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-extract the interface strings into locale/*/LC_MESSAGES/django.po and compile them.
messages: venv
	$(BIN)/trygg makemessages -l sv -l fi -l nb --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=tests --ignore="*/tests/*" --ignore=conftest.py
	$(BIN)/trygg compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
