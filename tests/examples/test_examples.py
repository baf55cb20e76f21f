"""The example projects: valid Pulumi.yaml and sample stack config, and each program run under Pulumi's mocks
builds the expected vault, policies and instances from its stack config, with inputs that pass the providers'
own checks (the validation `pulumi preview` runs). Also the root project, the demo's summary and the CI example."""

from __future__ import annotations

import contextvars
import importlib.util
import json
import runpy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pytest
import yaml

from pulumi_dataprotection import config as provider_config
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.instance.schema import check_policy_match
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.policy.schema import policy_kind
from pulumi_dataprotection.roleassignment.resource import RoleAssignmentProvider
from pulumi_dataprotection.trustedaccess.resource import TrustedAccessBindingProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.support.tools import load_tool

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
PROJECTS = ("vault-and-policies", "aks", "adls", "postgresql", "full", "guarded-vault")
TYPE_PREFIX = "pulumi-python:dynamic/dataprotection:"
PROVIDERS = {
    "BackupVault": VaultProvider,
    "BackupPolicy": PolicyProvider,
    "BackupInstance": InstanceProvider,
    "ResourceGuard": ResourceGuardProvider,
    "VaultGuardLink": GuardLinkProvider,
    "RoleAssignment": RoleAssignmentProvider,
    "TrustedAccessBinding": TrustedAccessBindingProvider,
}

# What each example must build: the datasource kinds of its policies, and per instance its kind and the inputs
# that must come straight from stack config (input name -> config key).
EXPECTED: dict[str, dict[str, Any]] = {
    "vault-and-policies": {"policies": {"aks", "adls", "postgresql", "postgresql_flexible"}, "instances": {}},
    "aks": {
        "policies": {"aks"},
        "instances": {
            "aks": {
                "datasource_id": "aksClusterId",
                "snapshot_resource_group_id": "aksSnapshotResourceGroupId",
                "included_namespaces": "aksIncludedNamespaces",
            }
        },
    },
    "adls": {
        "policies": {"adls"},
        "instances": {"adls": {"datasource_id": "adlsStorageAccountId", "containers": "adlsContainers"}},
    },
    "postgresql": {
        "policies": {"postgresql", "postgresql_flexible"},
        "instances": {
            "postgresql": {
                "datasource_id": "postgresServerId",
                "database_name": "postgresDatabaseName",
                "secret_store_uri": "postgresSecretUri",
            },
            "postgresql_flexible": {"datasource_id": "postgresFlexibleServerId"},
        },
    },
}
EXPECTED["guarded-vault"] = {
    "policies": {"aks"},
    "instances": {"aks": {"datasource_id": "aksClusterId", "snapshot_resource_group_id": "aksSnapshotResourceGroupId"}},
}
EXPECTED["full"] = {
    "policies": EXPECTED["vault-and-policies"]["policies"],
    "instances": {k: v for name in ("aks", "adls", "postgresql") for k, v in EXPECTED[name]["instances"].items()},
}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def project(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(EXAMPLES / name / "Pulumi.yaml")
    return loaded


def sample_config(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(EXAMPLES / name / "Pulumi.emulator.yaml")["config"]
    return loaded


@dataclass
class Registered:
    """One resource the program registered, with the inputs the provider's check returned."""

    kind: str
    name: str
    inputs: dict[str, Any]
    failures: list[str]
    outputs: dict[str, Any] = field(default_factory=dict)


class CheckingMocks(pulumi.runtime.Mocks):
    """Runs each dynamic resource's real provider ``check`` and answers with plausible outputs (ARM ids)."""

    def __init__(self, subscription: str) -> None:
        self.subscription = subscription
        self.resources: list[Registered] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.typ.startswith(TYPE_PREFIX):
            return None, dict(args.inputs)
        kind = args.typ.removeprefix(TYPE_PREFIX)
        news = {k: v for k, v in args.inputs.items() if not k.startswith("__")}
        checked = PROVIDERS[kind]().check({}, news)
        inputs = dict(checked.inputs)
        failures = [f"{f.property}: {f.reason}" for f in checked.failures]
        if kind == "BackupVault":
            arm_id = (
                f"/subscriptions/{inputs.get('subscription_id')}/resourceGroups/{inputs.get('resource_group_name')}"
                f"/providers/Microsoft.DataProtection/backupVaults/{inputs.get('name')}"
            )
            outputs = {"principal_id": "00000000-0000-0000-0000-0000000000ab"}
        elif kind == "BackupPolicy":
            arm_id = f"{inputs.get('vault_id')}/backupPolicies/{inputs.get('name')}"
            outputs = {"summary": "(summary)"}
        elif kind in ("ResourceGuard", "VaultGuardLink", "RoleAssignment", "TrustedAccessBinding"):
            arm_id = checked.inputs.get("arm_id") or ""
            outputs = {}
        else:
            arm_id = f"{inputs.get('vault_id')}/backupInstances/{inputs.get('name')}"
            outputs = {"protection_state": "ProtectionConfigured"}
        state = {**inputs, **outputs, "arm_id": arm_id}
        self.resources.append(Registered(kind, args.name, inputs, failures, state))
        return arm_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@dataclass
class ProgramRun:
    """What running one example program produced."""

    resources: list[Registered]
    outputs: dict[str, Any]

    def of_kind(self, kind: str) -> list[Registered]:
        return [r for r in self.resources if r.kind == kind]


def config_values(config: Mapping[str, Any]) -> dict[str, str]:
    """Stack config as the program sees it: strings, with objects and lists as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


@pytest.fixture
def stack_config() -> Iterator[None]:
    """Restore the provider's process-wide stack config after the test."""
    yield
    provider_config.set_stack_config({})


def run_program(name: str, config: Mapping[str, Any]) -> ProgramRun:
    """Run ``examples/<name>/__main__.py`` under mocks with ``config`` (the provider checks see it too), in a fresh
    context: pulumi keeps its root stack and config in context variables, which would carry over between runs."""
    return contextvars.Context().run(_run_program, name, config)


def _run_program(name: str, config: Mapping[str, Any]) -> ProgramRun:
    provider_config.set_stack_config(
        {**config, "dataprotection:endpoint": "http://127.0.0.1:9", "dataprotection:token": "mock-token"}
    )
    mocks = CheckingMocks(str(config["dataprotection:subscriptionId"]))
    pulumi.runtime.set_mocks(mocks, project=project(name)["name"], stack="emulator", preview=False)
    pulumi.runtime.set_all_config(config_values(config), [])
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    def program() -> pulumi.Output[Any]:
        runpy.run_path(str(EXAMPLES / name / "__main__.py"), run_name="__main__")
        stack = pulumi.runtime.get_root_resource()
        assert stack is not None
        exported: dict[str, Any] = getattr(stack, "outputs", {})
        return pulumi.Output.from_input(exported).apply(outputs.update)

    program()
    return ProgramRun(mocks.resources, outputs)


@pytest.mark.parametrize("name", PROJECTS)
def test_project_file_is_a_python_project_on_the_repo_venv(name: str) -> None:
    spec = project(name)
    assert spec["name"].startswith("dataprotection-")
    assert spec["runtime"]["name"] == "python"
    venv = (EXAMPLES / name / spec["runtime"]["options"]["virtualenv"]).resolve()
    assert venv == REPO / ".venv"
    assert "main" not in spec, "an example's program is its own directory's __main__.py"
    for key, declared in spec["config"].items():
        assert declared.get("type") in ("string", "array", "integer", "boolean"), key
        assert declared.get("description"), f"{name}: config key {key} needs a description"


@pytest.mark.parametrize("name", PROJECTS)
def test_sample_config_sets_every_declared_key_in_the_right_namespace(name: str) -> None:
    spec = project(name)
    config = sample_config(name)
    namespaces = {key.split(":", 1)[0] for key in config}
    assert namespaces <= {spec["name"], "dataprotection"}, namespaces
    assert config.get("dataprotection:subscriptionId")
    assert "dataprotection:endpoint" not in config, "the emulator's URL changes; it comes from the environment"
    for key, declared in spec["config"].items():
        value = config.get(f"{spec['name']}:{key}")
        assert value is not None, f"{name}: Pulumi.emulator.yaml lacks {key}"
        assert isinstance(value, list if declared["type"] == "array" else str), key


@pytest.mark.parametrize("name", PROJECTS)
def test_readme_documents_every_config_key(name: str) -> None:
    readme = (EXAMPLES / name / "README.md").read_text(encoding="utf-8")
    keys = {k.split(":", 1)[1] for k in sample_config(name) if not k.startswith("dataprotection:")}
    missing = sorted(k for k in keys if f"`{k}`" not in readme)
    assert not missing, f"examples/{name}/README.md does not document {missing}"


@pytest.mark.parametrize("name", PROJECTS)
def test_program_builds_the_expected_resources_from_stack_config(name: str, stack_config: None) -> None:
    config = sample_config(name)
    ns = project(name)["name"]
    run = run_program(name, config)

    failures = {f"{r.kind} {r.name}": r.failures for r in run.resources if r.failures}
    assert not failures, f"the provider checks reject the example's inputs: {failures}"

    (vault,) = run.of_kind("BackupVault")
    assert vault.inputs["name"] == config[f"{ns}:vaultName"]
    assert vault.inputs["resource_group_name"] == config[f"{ns}:resourceGroupName"]
    assert vault.inputs["location"] == config[f"{ns}:location"]
    assert vault.inputs["subscription_id"] == config["dataprotection:subscriptionId"]
    assert vault.inputs["soft_delete_state"] == "AlwaysOn", "api-version 2025-09-01 requires AlwaysOn soft delete"

    policies = {}
    for policy in run.of_kind("BackupPolicy"):
        assert policy.inputs["vault_id"] == vault.outputs["arm_id"]
        kind = policy_kind(policy.inputs)
        assert kind is not None
        policies[kind.key] = policy
    assert set(policies) == EXPECTED[name]["policies"]

    instances = {r.inputs["datasource_kind"]: r for r in run.of_kind("BackupInstance")}
    assert set(instances) == set(EXPECTED[name]["instances"])
    for kind, from_config in EXPECTED[name]["instances"].items():
        instance = instances[kind]
        assert instance.inputs["vault_id"] == vault.outputs["arm_id"]
        assert instance.inputs["policy_id"] == policies[kind].outputs["arm_id"]
        assert instance.inputs["datasource_location"] == config[f"{ns}:location"]
        for input_name, key in from_config.items():
            assert instance.inputs[input_name] == config[f"{ns}:{key}"], (kind, input_name)
        mismatch = check_policy_match(instance.inputs, policies[kind].inputs)
        assert not mismatch, mismatch


def test_policy_names_are_content_addressed_and_change_with_the_retention(stack_config: None) -> None:
    config = sample_config("full")
    first = {p.name: p.inputs["name"] for p in run_program("full", config).of_kind("BackupPolicy")}
    changed = {**config, "dataprotection-full:aksSnapshotRetention": "P14D"}
    second = {p.name: p.inputs["name"] for p in run_program("full", changed).of_kind("BackupPolicy")}
    assert first["aks"].startswith("aks-") and first["aks"] != second["aks"]
    assert {k: v for k, v in first.items() if k != "aks"} == {k: v for k, v in second.items() if k != "aks"}


def test_a_missing_datasource_id_fails_with_the_config_key(stack_config: None) -> None:
    config = {k: v for k, v in sample_config("aks").items() if not k.endswith(":aksClusterId")}
    with pytest.raises(pulumi.ConfigMissingError, match="aksClusterId"):
        run_program("aks", config)


def test_aks_example_assigns_the_roles_its_instance_needs(stack_config: None) -> None:
    config = sample_config("aks")
    run = run_program("aks", config)
    grants = sorted(
        (r.inputs["principal_id"], r.inputs["role_definition_id"].rsplit("/", 1)[-1], r.inputs["scope"])
        for r in run.of_kind("RoleAssignment")
    )
    vault = "00000000-0000-0000-0000-0000000000ab"  # the mocked vault's principal
    cluster, snapshots = (
        config["dataprotection-aks:aksClusterId"],
        config["dataprotection-aks:aksSnapshotResourceGroupId"],
    )
    storage = config["dataprotection-aks:aksExtensionStorageAccountId"]
    assert grants == sorted(
        [
            (vault, "acdd72a7-3385-48ef-bd42-f606fba81ae7", cluster),
            (vault, "acdd72a7-3385-48ef-bd42-f606fba81ae7", snapshots),
            (vault, "7efff54f-a5b4-42b5-a1c5-5411624893ce", snapshots),
            (vault, "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", storage),
            (config["dataprotection-aks:aksClusterPrincipalId"], "b24988ac-6180-42a0-ab88-20f7382dd24c", snapshots),
            (config["dataprotection-aks:aksExtensionPrincipalId"], "ba92f5b4-2d11-453d-a403-e96b0029c9fe", storage),
        ]
    )
    (binding,) = run.of_kind("TrustedAccessBinding")
    assert binding.inputs["cluster_id"] == cluster
    without = {k: v for k, v in config.items() if not k.endswith(":aksClusterPrincipalId")}
    assert run_program("aks", without).of_kind("RoleAssignment") == []


def load_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_tool", REPO / "tools" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_root_project_runs_full_with_its_state_in_the_ignored_state_directory() -> None:
    root = load_yaml(REPO / "Pulumi.yaml")
    assert root["name"] == project("full")["name"], "the same name keeps the config keys of examples/full"
    assert (REPO / root["main"]).resolve() == EXAMPLES / "full"
    assert root["stackConfigDir"].startswith(".state/")
    assert ".state/" in (REPO / ".gitignore").read_text(encoding="utf-8").split()
    demo = load_demo()
    assert demo.stack_config_path() == REPO / root["stackConfigDir"] / "Pulumi.demo.yaml"
    assert demo.SAMPLE_CONFIG == EXAMPLES / "full" / "Pulumi.emulator.yaml"


def test_demo_summary_renders_the_full_example_outputs(stack_config: None) -> None:
    demo = load_demo()
    outputs = run_program("full", sample_config("full")).outputs
    assert set(outputs) == {"vault", "policies", "instances"}
    vault, policies, instances = demo.summary_tables(outputs)
    assert vault.row_count == 4
    assert policies.row_count == len(outputs["policies"]) == 4
    assert instances.row_count == len(outputs["instances"]) == 4
    assert all(i["protection_state"] == "ProtectionConfigured" for i in outputs["instances"].values())
    assert all(p["summary"].startswith(("every", "daily", "weekly")) for p in outputs["policies"].values())


def test_demo_change_summary() -> None:
    demo = load_demo()
    created = [{"kind": "update", "result": "succeeded", "resourceChanges": {"create": 10}}]
    unchanged = [{"kind": "update", "result": "succeeded", "resourceChanges": {"same": 10}}]
    replaced = [{"kind": "update", "result": "succeeded", "resourceChanges": {"same": 8, "create": 1, "update": 1}}]
    assert demo.change_summary(created) == "last update succeeded: 10 created"
    assert demo.change_summary(unchanged) == "last update succeeded: no changes (10 resources unchanged)"
    assert demo.change_summary(replaced) == "last update succeeded: 8 unchanged, 1 created, 1 updated"
    assert demo.change_summary([]) == "the stack has no history yet"


def test_pr_preview_workflow_comments_the_preview_with_the_pinned_engine() -> None:
    workflow = load_yaml(EXAMPLES / "ci" / "pulumi-preview.yml")
    assert "pull_request" in workflow[True], "the workflow runs on pull requests"  # YAML 1.1 reads `on` as True
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    (pulumi_step,) = [s for s in steps if str(s.get("uses", "")).startswith("pulumi/actions@")]
    options = pulumi_step["with"]
    assert options["command"] == "preview"
    assert options["comment-on-pr"] is True
    version = (REPO / "tools" / "pulumi" / "VERSION").read_text(encoding="utf-8").strip()
    assert str(options["pulumi-version"]) == version
    permissions = next(iter(workflow["jobs"].values())).get("permissions") or workflow.get("permissions")
    assert permissions["pull-requests"] == "write"


def test_resource_pages_and_readme_list_match_the_schemas() -> None:
    reference = load_tool("reference")
    stale = [str(p.relative_to(REPO)) for p, text in reference.generate().items() if p.read_text("utf-8") != text]
    assert not stale, f"out of date: {stale}; run `make generate`"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for provider in reference.PROVIDERS:
        page = REPO / "docs" / "resources" / reference.page_name(provider)
        assert f"](docs/resources/{page.name})" in readme
        text = page.read_text(encoding="utf-8")
        for name in provider.input_names():
            assert f"| `{name}` |" in text, (page.name, name)
        for name in provider.output_names():
            assert f"`{name}`" in text, (page.name, name)


def test_guarded_vault_links_the_vault_to_a_guard_in_the_security_resource_group(stack_config: None) -> None:
    config = sample_config("guarded-vault")
    ns = project("guarded-vault")["name"]
    run = run_program("guarded-vault", config)
    (guard,) = run.of_kind("ResourceGuard")
    (vault,) = run.of_kind("BackupVault")
    (link,) = run.of_kind("VaultGuardLink")
    assert guard.inputs["resource_group_name"] == config[f"{ns}:guardResourceGroupName"]
    assert guard.inputs["resource_group_name"] != vault.inputs["resource_group_name"]
    assert guard.inputs["location"] == vault.inputs["location"]
    assert link.inputs["vault_id"] == vault.outputs["arm_id"]
    assert link.inputs["resource_guard_id"] == guard.outputs["arm_id"]
    assert link.inputs["name"] == "DppResourceGuardProxy"


def test_pr_preview_workflow_refreshes_only_for_pull_requests_from_the_repository_itself() -> None:
    """Issue 24: `preview --refresh` reads every resource with the provider code pickled in the state, so whoever
    can write the state runs code in the job; the example refreshed on every pull request, with Azure credentials."""
    workflow = load_yaml(EXAMPLES / "ci" / "pulumi-preview.yml")
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    job = next(iter(workflow["jobs"].values()))
    steps = job["steps"]
    (pulumi_step,) = [s for s in steps if str(s.get("uses", "")).startswith("pulumi/actions@")]
    assert pulumi_step["with"]["refresh"] == "${{ " + same_repo + " }}"
    assert job["env"]["REFRESH"] == "${{ " + same_repo + " && '--refresh' || '' }}"
    scripts = [str(s.get("run", "")) for s in steps]
    assert not any("--refresh" in script for script in scripts), "a preview in a script refreshes via $REFRESH only"
    assert any("pulumi preview" in script and "$REFRESH" in script for script in scripts)
    assert "pull_request_target" not in workflow[True], "the fork's program must never run with the secrets"
