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

.PHONY: test lint unit venv engine clean demo generate

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# build.sh compares a hash of its inputs with the cached build, so `make engine` is cheap when nothing changed.
engine:
	bash tools/pulumi/build.sh

# Azurite (Azure Storage emulator, npm) for the end-to-end test of Pulumi's azblob:// state backend: tests/e2e.
AZURITE := tools/azurite/node_modules/.installed
$(AZURITE): tools/azurite/package.json tools/azurite/package-lock.json
	cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error
	touch $(AZURITE)

lint: $(STAMP)
	$(BIN)/ruff check provider tests tools examples bench
	$(BIN)/mypy provider/pulumi_dataprotection tools/demo.py tools/reference.py tools/gen_api.py bench

# Regenerate everything derived from the schemas (typed API, resource reference); a test fails when they are stale.
generate: $(STAMP)
	$(BIN)/python tools/gen_api.py --write
	$(BIN)/python tools/reference.py --write

unit: $(STAMP)
	$(BIN)/pytest -m "not engine"

test: $(STAMP) engine $(AZURITE) lint
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(PYTEST_ARGS)

# The full example against the local emulator: emulator and Pulumi state stay in .state/demo (see docs/demo.md).
demo: $(STAMP) engine
	$(BIN)/python tools/demo.py up

# Benchmarks, not part of `make test` (about 10 minutes): writes bench/results/<date>.json and .md; see
# bench/README.md. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS=--full`.
.PHONY: bench
bench: $(STAMP) engine
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .state
