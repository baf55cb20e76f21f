"""Provider objects are pickled by pulumi.dynamic (dill, by reference) into state and used in a fresh process."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_dataprotection.dynamic import SchemaProvider
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import configure, stack_config
from tests.resources.helpers import instance_inputs, policy_inputs, vault_inputs
from tests.support.tools import load_tool


@pytest.mark.parametrize("cls", load_tool("gen_api").PROVIDERS, ids=lambda p: p.title)
def test_providers_pickle_by_reference_without_state(cls: type[SchemaProvider], configured: EmulatorHandle) -> None:
    provider = cls()
    configure(provider, configured)
    assert vars(provider) == {}
    raw = base64.b64decode(serialize_provider(provider))
    assert cls.__module__.encode() in raw and cls.__name__.encode() in raw
    assert len(raw) < 200, raw
    assert configured.token.encode() not in raw and configured.url.encode() not in raw
    assert serialize_provider(cls()) == serialize_provider(provider)


SCRIPT = textwrap.dedent(
    """
    import base64, json, sys, urllib.request

    import dill
    from pulumi.dynamic import Config, ConfigureRequest
    from pulumi.runtime._serialization import _deserialize

    args = json.loads(sys.stdin.read())

    def load(blob):
        provider = _deserialize(lambda: dill.loads(base64.b64decode(blob)))
        provider.configure(ConfigureRequest(Config(args["config"], "test-project")))
        return provider

    out = {}
    vaults, policies, instances = (load(b) for b in args["blobs"])
    checked = vaults.check({}, args["vault"])
    vault = vaults.create(checked.inputs)
    out["vault"] = [type(vaults).__module__, vault.id, vault.outs["provisioning_state"]]
    policy_news = dict(args["policy"], vault_id=vault.id)
    policy = policies.create(policies.check({}, policy_news).inputs)
    instance_news = dict(args["instance"], vault_id=vault.id, policy_id=policy.id)
    instance = instances.create(instances.check({}, instance_news).inputs)
    out["instance"] = instance.outs["protection_state"]
    out["read"] = vaults.read(vault.id, vault.outs).outs["arm_id"]
    instances.delete(instance.id, instance.outs)
    policies.delete(policy.id, policy.outs)
    try:
        vaults.delete(vault.id, vault.outs)
    except Exception as refused:  # the vault holds the soft-deleted instance until it is purged
        out["refused"] = str(refused).splitlines()[0]
    clock = urllib.request.Request(
        args["config"]["dataprotection:endpoint"] + "/_emulator/clock",
        data=json.dumps({"advanceSeconds": 15 * 86400}).encode(),
        headers={
            "Authorization": "Bearer " + args["config"]["dataprotection:token"],
            "Content-Type": "application/json",
        },
    )
    urllib.request.urlopen(clock).close()
    vaults.delete(vault.id, vault.outs)
    out["after_delete"] = vaults.read(vault.id, vault.outs).id
    print(json.dumps(out))
    """
)


def test_unpickled_providers_work_in_a_fresh_process(configured: EmulatorHandle) -> None:
    blobs = [serialize_provider(cls()) for cls in (VaultProvider, PolicyProvider, InstanceProvider)]
    payload = {
        "blobs": blobs,
        "config": stack_config(configured),
        "vault": vault_inputs("vault-sub"),
        "policy": policy_inputs("placeholder"),
        "instance": instance_inputs("placeholder", "placeholder"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["vault"][0] == "pulumi_dataprotection.vault.resource"
    assert out["vault"][1].endswith("/backupVaults/vault-sub") and out["vault"][2] == "Succeeded"
    assert out["instance"] == "ProtectionConfigured"
    assert out["read"] == out["vault"][1]
    assert "soft-deleted backup instances (bi-1)" in out["refused"]
    assert out["after_delete"] == ""
