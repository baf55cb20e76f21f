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

.PHONY: test check lint unit venv engine clean demo generate

# pytest-xdist workers of `make test` and `make check` (docs/testing.md: most of a test's time is spent waiting for
# the emulator's operations and the Pulumi CLI's processes, so more workers than cores pay); TEST_WORKERS=0 runs
# everything in one process.
TEST_WORKERS ?= 4
XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS))
# The engine tests of `make check`: the engine smoke test, the engine path of one program, a deployment of the full
# example with its no-change preview and up, one drift and one bad input (docs/testing.md).
CHECK_ENGINE_TESTS := tests/test_engine_smoke.py tests/resources/test_engine.py \
	tests/e2e/test_lifecycle.py::test_up_gives_outputs_then_preview_and_up_change_and_write_nothing \
	tests/e2e/test_drift.py::test_refresh_shows_a_vault_changed_out_of_band_and_preview_plans_only_its_update \
	"tests/e2e/test_bad_inputs.py::test_invalid_configuration_fails_preview_naming_the_property_and_sends_nothing[vaultName]"

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
	$(BIN)/mypy provider/pulumi_dataprotection tools/demo.py tools/reference.py tools/gen_api.py tools/gen_emulator_spec.py bench

# Regenerate everything derived from the schemas (typed API, resource reference); a test fails when they are stale.
generate: $(STAMP)
	$(BIN)/python tools/gen_api.py --write
	$(BIN)/python tools/reference.py --write
	$(BIN)/python tools/gen_emulator_spec.py --write

unit: $(STAMP)
	$(BIN)/pytest -m "not engine"

test: $(STAMP) engine $(AZURITE) lint
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# The inner loop (a few minutes): lint, every test but the engine tests, and a representative slice of those.
check: $(STAMP) engine lint
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(XDIST) -m "not engine" $(PYTEST_ARGS)
	PATH="$(ENGINE_BIN):$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(XDIST) $(CHECK_ENGINE_TESTS)

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
