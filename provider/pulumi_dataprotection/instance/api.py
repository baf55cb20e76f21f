"""Typed inputs and outputs of BackupInstance, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

import pulumi

DatasourceKind = Literal[
    "aks", "disk", "blob", "adls", "postgresql", "postgresql_flexible", "mysql_flexible", "elastic_san", "cosmos_db"
]
"""What is protected: aks (AKS cluster), disk (managed disk), blob (blob storage account), adls (Data Lake Storage
account), postgresql (PostgreSQL single-server database), postgresql_flexible (PostgreSQL flexible server),
mysql_flexible (MySQL flexible server), elastic_san (Elastic SAN volume group), cosmos_db (Cosmos DB account).
"""


Protection = Literal["configured", "suspended", "stopped"]
"""What Azure does with the datasource: configured (backups run on the policy's schedule), suspended (suspendBackups: no
new backups, recovery points kept as the policy says, the newest for ever) or stopped (stopProtection: no new
backups, every recovery point kept for ever). A change sends that action (back to configured: resumeBackups or
resumeProtection); a change made in Azure shows as drift after `pulumi refresh`. Default: configured, but an instance
adopted with adopt_existing keeps Azure's state.
"""


IncludedVolumeType = Literal["AzureDisk", "AzureFileShareSMB"]
"""Volume types to snapshot."""


ValidationType = Literal["ShallowValidation", "DeepValidation"]
"""How deeply Azure validates the request (not stored by Azure)."""


OnDelete = Literal["Delete", "StopProtectionRetainData", "Suspend", "Retain"]
"""What destroying the resource does: Delete (Azure keeps soft-deleted backups per the vault's soft delete setting),
StopProtectionRetainData (stop backups, keep recovery points), Suspend (pause backups, keep the instance) or Retain
(leave it untouched).
"""


class BackupHookReferenceArgs(TypedDict):
    """Input: a backup hook reference."""

    #: Backup hook name.
    name: pulumi.Input[str]
    #: Its namespace.
    namespace: pulumi.Input[str]


# Output types are for type checkers: Pulumi converts output values by the resource classes'
# annotations at runtime and accepts no TypedDict there, so at runtime they are plain dicts.
if TYPE_CHECKING:

    class BackupHookReference(TypedDict):
        """Output: a backup hook reference."""

        #: Backup hook name.
        name: str
        #: Its namespace.
        namespace: str

    class ProtectionError(TypedDict):
        """Output: a protection error."""

        #: Azure's error code. Set by Azure.
        code: NotRequired[str]
        #: Azure's message. Set by Azure.
        message: NotRequired[str]
        #: What Azure recommends. Set by Azure.
        recommended_action: NotRequired[list[str]]
else:
    BackupHookReference = ProtectionError = dict[str, Any]
