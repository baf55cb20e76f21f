"""Fixtures of the end-to-end tests: one emulator subprocess per test run (per pytest-xdist worker; reset before
each test), and stacks of ``examples/full`` or of the small test program (``tests/e2e/programs.py``) whose config
points at it.

Every stack gets its own file backend and Pulumi home under the test's ``tmp_path``; its config is the example's
sample config plus the emulator's endpoint, its token (a secret) and short poll intervals. The first stack of each
project is made by ``pulumi stack init`` and ``config set --secret``, later ones from its files
(``tests/e2e/stack_templates.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.e2e.estates import deploy_once
from tests.e2e.programs import SMALL_PROGRAM, SUBSCRIPTION
from tests.e2e.pulumi_stack import Stack, materialize_example, sample_config
from tests.e2e.stack_templates import copy_stack_template, save_stack_template
from tests.support.emulator import ArmClient, fresh
from tests.support.engine import make_pulumi_env, run_pulumi, write_project

LRO_SECONDS = 0.3
"""How long the emulator's long-running operations take: long enough to be polled, short enough for CI."""
FAST_POLLING = {"dataprotection:pollMinInterval": "0.1", "dataprotection:pollMaxInterval": "0.5"}
"""Provider poll intervals matching the emulator's short operations (documented config keys)."""
_LEAKY_ENV = ("DATAPROTECTION_", "AZURE_", "ARM_")

StackFactory = Callable[..., Stack]


@pytest.fixture(scope="session")
def dp_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    """The run's emulator (one per pytest-xdist worker): ``python -m pulumi_dataprotection.emulator`` in a
    subprocess, fast LROs, ``Retry-After: 0``; ``dp`` resets it before each test."""
    db = tmp_path_factory.mktemp("emulator") / "state.db"
    handle = start_emulator(in_process=False, lro_seconds=LRO_SECONDS, retry_after=0, db_path=db)
    yield handle
    handle.stop()


@pytest.fixture
def dp(dp_process: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """The run's emulator with empty state, no faults and an empty request log."""
    with fresh(dp_process) as handle:
        yield handle


@pytest.fixture
def arm(dp: EmulatorHandle) -> ArmClient:
    """A JSON client of the emulator, for out-of-band changes and for looking at what Azure holds."""
    return ArmClient(dp)


def emulator_config(handle: EmulatorHandle) -> dict[str, str]:
    """The plain stack config that points the provider at ``handle`` (the token is set as a secret)."""
    return {"dataprotection:endpoint": handle.url, **FAST_POLLING}


def clean_env(bin_dir: Path, state_dir: Path) -> dict[str, str]:
    """``make_pulumi_env`` without Azure or provider variables of the calling shell (only stack config counts)."""
    env = make_pulumi_env(bin_dir, state_dir)
    return {k: v for k, v in env.items() if not k.startswith(_LEAKY_ENV)}


def new_stack(
    project: Path,
    state_dir: Path,
    bin_dir: Path,
    name: str,
    config: Mapping[str, Any],
    handle: EmulatorHandle,
    env_extra: Mapping[str, str] | None = None,
) -> Stack:
    """Create stack ``name`` of ``project`` with ``config`` plus the emulator's settings and token."""
    env = {**clean_env(bin_dir, state_dir), **(env_extra or {})}
    stack = Stack(project, env, name)
    secrets = {"dataprotection:token": handle.token}
    if not copy_stack_template(stack, secrets):
        run_pulumi(["stack", "init", name], cwd=project, env=env)
        stack.write_config({}, secrets=secrets)
        save_stack_template(stack, secrets)
    encrypted = yaml.safe_load(stack.config_path().read_text(encoding="utf-8"))["config"]
    owner_key = {"dataprotection:ownerKey": f"e2e-owner-key-of-{name}"}  # lets interrupted creates resume
    stack.write_config({**config, **emulator_config(handle), **owner_key, **encrypted})
    return stack


def example_stacks(example: str, handle: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> StackFactory:
    """``make(name, **config)``: a stack of ``examples/<example>`` with its sample emulator config (plus ``config``,
    keys without a namespace belonging to the example's project ``dataprotection-<example>``)."""

    def make(name: str, **overrides: Any) -> Stack:
        project = materialize_example(example, tmp_path / name / "project")
        config = sample_config(example)
        config.update({k if ":" in k else f"dataprotection-{example}:{k}": v for k, v in overrides.items()})
        return new_stack(project, tmp_path / name / "pulumi-state", engine_bin, name, config, handle)

    return make


@pytest.fixture
def full_stack(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> StackFactory:
    """``full_stack(name, **config)``: a stack of examples/full (see ``example_stacks``)."""
    return example_stacks("full", dp, tmp_path, engine_bin)


@pytest.fixture
def small_stack(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> StackFactory:
    """``small_stack(name, **config)``: a stack of the small program (one vault, one AKS policy, ``instances``
    AKS instances) in subscription ``SUBSCRIPTION``; ``config`` keys without a namespace belong to the program."""

    def make(name: str, **overrides: Any) -> Stack:
        project = write_project(tmp_path / name / "project", SMALL_PROGRAM, name="e2e-small")
        config: dict[str, Any] = {"dataprotection:subscriptionId": SUBSCRIPTION}
        config.update({k if ":" in k else f"e2e-small:{k}": v for k, v in overrides.items()})
        return new_stack(project, tmp_path / name / "pulumi-state", engine_bin, name, config, dp)

    return make


@pytest.fixture
def deployed_full_stack(full_stack: StackFactory, dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> StackFactory:
    """``deployed_full_stack(name, **config)``: a stack of examples/full after a successful ``up`` (deployed once per
    run and config, then copied with the emulator's state restored: ``tests/e2e/estates.py``); empty request log."""

    def make(name: str, **config: Any) -> Stack:
        return deploy_once("full", full_stack, dp, tmp_path, lambda d: clean_env(engine_bin, d), name, **config)

    return make


@pytest.fixture
def deployed_small_stack(
    small_stack: StackFactory, dp: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> StackFactory:
    """``deployed_small_stack(name, **config)``: a stack of the small program after a successful ``up`` (deployed
    once per run and config, then copied: ``tests/e2e/estates.py``); empty request log."""

    def make(name: str, **config: Any) -> Stack:
        return deploy_once("small", small_stack, dp, tmp_path, lambda d: clean_env(engine_bin, d), name, **config)

    return make
