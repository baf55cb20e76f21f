"""What a Pulumi program and a preview import: the resources and their checks and diffs, without the HTTP stack,
the credential libraries or pydantic (measured against wall time nowhere: the modules loaded are what counts)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("requests", "urllib3", "azure.identity", "azure.core", "msal", "cryptography", "pydantic")
"""Modules only a request, a credential or a CLI command needs."""

PROGRAM = f"""
import sys
from pulumi.dynamic import Config, ConfigureRequest
from pulumi_dataprotection import AdhocBackup, BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider

sub = "00000000-0000-0000-0000-000000000001"
config = {{
    "dataprotection:subscriptionId": sub,
    "dataprotection:endpoint": "https://127.0.0.1:9",
    "dataprotection:token": "a-token",
}}
VaultProvider().configure(ConfigureRequest(Config(config, "project")))
group = f"/subscriptions/{{sub}}/resourceGroups/rg/providers"
vault = group + "/Microsoft.DataProtection/backupVaults/vault-1"
programs = [
    (
        VaultProvider(),
        vault,
        {{"name": "vault-1", "resource_group_name": "rg", "location": "westeurope", "redundancy": "LRS"}},
    ),
    (PolicyProvider(), vault + "/backupPolicies/policy-1", {{"name": "policy-1", "vault_id": vault, **aks_policy()}}),
    (
        InstanceProvider(),
        vault + "/backupInstances/bi-1",
        {{
            "name": "bi-1",
            "vault_id": vault,
            "policy_id": vault + "/backupPolicies/policy-1",
            "datasource_kind": "aks",
            "datasource_id": group + "/Microsoft.ContainerService/managedClusters/c",
            "datasource_location": "westeurope",
            "snapshot_resource_group_id": f"/subscriptions/{{sub}}/resourceGroups/snapshots",
        }},
    ),
]
for provider, id_, inputs in programs:
    news = provider.check(inputs, inputs)  # a resource the stack has: checked without a request
    assert news.failures == [], [(f.property, f.reason) for f in news.failures]
    provider.diff(id_, {{**news.inputs, "arm_id": id_}}, news.inputs)
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_programs_and_previews_import_neither_the_http_stack_nor_credentials_nor_pydantic() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
