"""Backup instance bodies as Azure writes them: the unset AKS parameters and the key vault secret's value null."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator import render


def test_unset_aks_parameters_and_secret_value_are_null() -> None:
    """Recorded: azure-cli-extensions@8e1899ee/test_dataprotection_backup_and_restore_aks.yaml #11 (sent two AKS
    parameters, answered all nine) and azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml
    #9 (``secretStoreResource.value`` null)."""
    props: dict[str, Any] = {
        "policyInfo": {
            "policyParameters": {
                "backupDatasourceParametersList": [
                    {
                        "objectType": "KubernetesClusterBackupDatasourceParameters",
                        "includeClusterScopeResources": True,
                        "snapshotVolumes": True,
                        "includedNamespaces": ["shop"],
                    }
                ]
            }
        },
        "datasourceAuthCredentials": {
            "objectType": "SecretStoreBasedAuthCredentials",
            "secretStoreResource": {"secretStoreType": "AzureKeyVault", "uri": "https://kv.vault.azure.net/secrets/s"},
        },
    }
    render.with_azures_nulls(props)
    (aks,) = props["policyInfo"]["policyParameters"]["backupDatasourceParametersList"]
    assert aks["includedNamespaces"] == ["shop"] and aks["snapshotVolumes"] is True
    assert len(aks) == 10 and all(aks[k] is None for k in ("excludedNamespaces", "backupHookReferences"))
    assert props["datasourceAuthCredentials"]["secretStoreResource"]["value"] is None
