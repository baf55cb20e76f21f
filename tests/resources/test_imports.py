"""What a Pulumi program and a preview import: the resources and their checks and diffs, without the HTTP stack."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from pulumi_dataprotection import AdhocBackup, BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.instance.resource import InstanceProvider

provider = InstanceProvider()
vault = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v"
inputs = {
    "name": "bi-1",
    "vault_id": vault,
    "policy_id": vault + "/backupPolicies/p",
    "datasource_kind": "aks",
    "datasource_id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c",
    "datasource_location": "westeurope",
    "snapshot_resource_group_id": "/subscriptions/0/resourceGroups/snapshots",
}
news = provider.check({}, inputs).inputs
assert news["datasource_kind"] == "aks"
provider.diff(vault + "/backupInstances/bi-1", {**news, "arm_id": "x"}, news)
print(sorted(m for m in ("requests", "urllib3", "azure.identity", "azure.core") if m in sys.modules))
"""


def test_programs_and_previews_do_not_import_the_http_stack() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stderr
