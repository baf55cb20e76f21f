# The two commands of the README: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PULUMI_VERSION := $(shell cat tools/pulumi/VERSION)
ENGINE_BIN := $(HOME)/.cache/pulumi-dataprotection/pulumi-v$(PULUMI_VERSION)/bin

export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_DP_ENGINE_BIN := $(ENGINE_BIN)

.PHONY: test lint unit venv engine clean demo

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# build.sh compares a hash of its inputs with the cached build, so `make engine` is cheap when nothing changed.
engine:
	bash tools/pulumi/build.sh

lint: $(STAMP)
	$(BIN)/ruff check provider tests tools examples
	$(BIN)/mypy provider tools/demo.py tools/reference.py

unit: $(STAMP)
	$(BIN)/pytest -m "not engine"

test: $(STAMP) engine lint
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(PYTEST_ARGS)

# The full example against the local emulator: emulator and Pulumi state stay in .state/demo (see README.md).
demo: $(STAMP) engine
	$(BIN)/python tools/demo.py up

clean:
	rm -rf $(VENV) .state
