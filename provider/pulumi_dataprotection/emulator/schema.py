"""The emulator's own model of the request bodies (2026-06-01, the newest version it serves; the rules of older
versions are applied by the handlers): validation and normalisation like the service does.

The service (.NET) reads JSON property names case-insensitively, ignores properties it does not know and ignores
read-only ones; it rejects missing required properties, wrong types, unknown enum values and unknown ``objectType``
discriminators. ``parse`` returns the normalised body (canonical property names and enum spellings) or raises
``invalid_input`` with one problem per offending property path. The model covers what the emulator's rules need;
a property it lacks that the official spec of the request's api-version defines on that object is validated against
the spec and kept (``spec.py``), so that it round-trips as on Azure.
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pulumi_dataprotection.emulator.errors import invalid_input

_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+(/providers/[^/]+(/[^/]+/[^/]+)+)?$", re.I)


REQUEST_API_VERSION: contextvars.ContextVar[str] = contextvars.ContextVar("request_api_version", default="")
"""The api-version of the request being handled (set by the application around each handler): the version of the
spec a property outside the emulator's model is read against."""


class Node:
    """A schema node; ``check`` returns the normalised value or appends problems and returns None."""

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        raise NotImplementedError


def _date_ok(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Str(Node):
    """A string, optionally an enum (matched case-insensitively, returned in its canonical spelling, or as sent when
    ``verbatim``) or a format."""

    enum: tuple[str, ...] = ()
    fmt: str | None = None
    verbatim: bool = False

    def canonical(self, value: str | None) -> str | None:
        """The enum's own spelling of ``value`` (compare with this), or ``value`` when it is none of them."""
        if value is None:
            return None
        return next((allowed for allowed in self.enum if allowed.lower() == value.lower()), value)

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, str):
            problems.append(f"{where}: expected a string, got {_kind(value)}")
            return None
        if self.enum:
            for allowed in self.enum:
                if allowed.lower() == value.lower():
                    return value if self.verbatim else allowed
            problems.append(f"{where}: {value!r} is not one of {', '.join(self.enum)}")
            return None
        problem = self._format_problem(value)
        if problem:
            problems.append(f"{where}: {problem}")
            return None
        return value

    def _format_problem(self, value: str) -> str | None:
        if self.fmt == "duration" and not _DURATION.match(value):
            return f"{value!r} is not an ISO-8601 duration such as P7D or PT4H"
        if self.fmt == "date-time" and not _date_ok(value):
            return f"{value!r} is not an ISO-8601 date-time"
        if self.fmt == "interval":
            parts = value.split("/")
            if len(parts) != 3 or parts[0] != "R" or not _date_ok(parts[1]) or not _DURATION.match(parts[2]):
                return f"{value!r} is not a repeating interval such as R/2024-01-01T02:00:00+00:00/P1D"
        if self.fmt == "arm-id" and not _ARM_ID.match(value):
            return f"{value!r} is not an Azure resource id (/subscriptions/.../resourceGroups/.../providers/...)"
        return None


@dataclass(frozen=True)
class Num(Node):
    """A JSON number; ``integer`` requires a whole number."""

    integer: bool = False

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{where}: expected a number, got {_kind(value)}")
            return None
        if self.integer and not float(value).is_integer():
            problems.append(f"{where}: expected a whole number, got {value!r}")
            return None
        return int(value) if self.integer else value


@dataclass(frozen=True)
class Bool(Node):
    """A JSON boolean."""

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, bool):
            problems.append(f"{where}: expected true or false, got {_kind(value)}")
            return None
        return value


@dataclass(frozen=True)
class Arr(Node):
    """A JSON array of one item type."""

    item: Node

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, list):
            problems.append(f"{where}: expected an array, got {_kind(value)}")
            return None
        out = []
        for i, item in enumerate(value):
            if item is None:
                problems.append(f"{where}[{i}]: null is not allowed in this array")
                continue
            out.append(self.item.check(item, f"{where}[{i}]", problems))
        return out


@dataclass(frozen=True)
class Map(Node):
    """A JSON object with free keys and one value type (tags, user-assigned identities)."""

    value: Node

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object, got {_kind(value)}")
            return None
        return {k: self.value.check(v, f"{where}.{k}", problems) for k, v in value.items() if v is not None}


@dataclass(frozen=True)
class Prop:
    """A property of an object: its node, and whether it is required or read-only (ignored in requests)."""

    node: Node
    required: bool = False
    read_only: bool = False


@dataclass
class Obj(Node):
    """An object with known properties; a base with ``subtypes`` dispatches on its ``objectType`` discriminator."""

    name: str
    props: dict[str, Prop]
    subtypes: dict[str, Obj] = field(default_factory=dict)

    def extend(self, name: str, **props: Prop) -> Obj:
        """A subtype of this base (its discriminator value is ``name``), registered on the base."""
        sub = Obj(name, {**self.props, **props})
        self.subtypes[name] = sub
        return sub

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object, got {_kind(value)}")
            return None
        if self.subtypes:
            return self._dispatch(value, where, problems)
        return self._fields(value, where, problems)

    def _dispatch(self, value: dict[str, Any], where: str, problems: list[str]) -> Any:
        kind = next((v for k, v in value.items() if k.lower() == "objecttype"), None)
        if kind is None:
            problems.append(f"{where}.objectType: required property is missing (one of {', '.join(self.subtypes)})")
            return None
        for name, sub in self.subtypes.items():
            if isinstance(kind, str) and name.lower() == kind.lower():
                out = sub.check(value, where, problems)
                if isinstance(out, dict):
                    out["objectType"] = name
                return out
        problems.append(f"{where}.objectType: {kind!r} is not one of {', '.join(self.subtypes)}")
        return None

    def _fields(self, value: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
        by_lower = {k.lower(): k for k in self.props}
        out: dict[str, Any] = {}
        for key, item in value.items():
            canonical = by_lower.get(key.lower())
            prop = self.props.get(canonical) if canonical else None
            if prop is None and item is not None:
                canonical, prop = _spec_property(self.name, key) or (None, None)
            if canonical is None or prop is None or item is None or prop.read_only:
                continue
            checked = prop.node.check(item, f"{where}.{canonical}", problems)
            if checked is not None:
                out[canonical] = checked
        for name, prop in self.props.items():
            if prop.required and not prop.read_only and name not in out:
                present = any(k.lower() == name.lower() and v is not None for k, v in value.items())
                if not present:
                    problems.append(f"{where}.{name}: required property is missing")
        return out


def _spec_property(definition: str, key: str) -> tuple[str, Prop] | None:
    """A property of ``definition`` the emulator's model lacks, as the spec of the request's api-version defines it."""
    from pulumi_dataprotection.emulator import spec  # built from this module's nodes

    return spec.extra_property(definition, key, REQUEST_API_VERSION.get())


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(
        type(value), "an object"
    )


def req(node: Node) -> Prop:
    """A required property."""
    return Prop(node, required=True)


def opt(node: Node) -> Prop:
    """An optional property."""
    return Prop(node)


def ro(node: Node) -> Prop:
    """A read-only property (accepted and ignored in requests)."""
    return Prop(node, read_only=True)


def parse(node: Node, body: Any, where: str = "body") -> Any:
    """Validate and normalise a request body, or raise a 400 ``BMSUserErrorInvalidInput`` listing every problem."""
    problems: list[str] = []
    if body is None:
        raise invalid_input([f"{where}: the request body is missing"])
    out = node.check(body, where, problems)
    if problems:
        raise invalid_input(problems)
    return out


S = Str()
STRINGS = Arr(S)
ANY_OBJECT = Map(S)

# -- backup vaults ---------------------------------------------------------------------------------------------------

STORAGE_SETTING = Obj(
    "StorageSetting",
    {
        "datastoreType": opt(Str(("ArchiveStore", "OperationalStore", "VaultStore"))),
        "type": opt(Str(("GeoRedundant", "LocallyRedundant", "ZoneRedundant"))),
    },
)
# Azure keeps the soft delete state as the client spelled it: long-lived CLI test vaults answer "OFF" (corpus/
# azure-cli-extensions-head/test_dataprotection_backup_and_restore_mysql.yaml #0, azure-cli-extensions/
# test_dataprotection_backup_vault_create_and_delete.yaml, its vault list), beside others' "Off". Rules compare the
# canonical spelling (SOFT_DELETE_STATE.canonical).
SOFT_DELETE_STATE = Str(("Off", "On", "AlwaysOn"), verbatim=True)
SOFT_DELETE_SETTINGS = Obj(
    "SoftDeleteSettings",
    {"state": opt(SOFT_DELETE_STATE), "retentionDurationInDays": opt(Num())},
)
IMMUTABILITY_SETTINGS = Obj("ImmutabilitySettings", {"state": opt(Str(("Disabled", "Unlocked", "Locked")))})
ENCRYPTION_SETTINGS = Obj(
    "encryptionSettings",
    {
        "state": opt(Str(("Enabled", "Disabled", "Inconsistent"))),
        "keyVaultProperties": opt(Obj("CmkKeyVaultProperties", {"keyUri": opt(S)})),
        "kekIdentity": opt(
            Obj(
                "CmkKekIdentity",
                {"identityType": opt(Str(("SystemAssigned", "UserAssigned"))), "identityId": opt(S)},
            )
        ),
        "infrastructureEncryption": opt(Str(("Enabled", "Disabled"))),
    },
)
SECURITY_SETTINGS = Obj(
    "SecuritySettings",
    {
        "softDeleteSettings": opt(SOFT_DELETE_SETTINGS),
        "immutabilitySettings": opt(IMMUTABILITY_SETTINGS),
        "encryptionSettings": opt(ENCRYPTION_SETTINGS),
    },
)
FEATURE_SETTINGS = Obj(
    "FeatureSettings",
    {
        "crossSubscriptionRestoreSettings": opt(
            Obj("CrossSubscriptionRestoreSettings", {"state": opt(Str(("Disabled", "PermanentlyDisabled", "Enabled")))})
        ),
        "crossRegionRestoreSettings": opt(
            Obj("CrossRegionRestoreSettings", {"state": opt(Str(("Disabled", "Enabled")))})
        ),
    },
)
MONITORING_SETTINGS = Obj(
    "MonitoringSettings",
    {
        "azureMonitorAlertSettings": opt(
            Obj("AzureMonitorAlertSettings", {"alertsForAllJobFailures": opt(Str(("Enabled", "Disabled")))})
        )
    },
)
IDENTITY = Obj(
    "DppIdentityDetails",
    {
        "type": opt(Str(("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned", "None"))),
        "userAssignedIdentities": opt(Map(Obj("UserAssignedIdentity", {}))),
        "principalId": ro(S),
        "tenantId": ro(S),
    },
)
COST_MANAGEMENT_SETTINGS = Obj(
    "CostManagementSettings",
    {"granularityLevel": opt(Str(("VaultLevel", "ProtectedItemLevel", "ProtectedItemWithParentTag")))},
)
_VAULT_SETTINGS = {
    "monitoringSettings": opt(MONITORING_SETTINGS),
    "costManagementSettings": opt(COST_MANAGEMENT_SETTINGS),
    "securitySettings": opt(SECURITY_SETTINGS),
    "featureSettings": opt(FEATURE_SETTINGS),
    "resourceGuardOperationRequests": opt(STRINGS),
}
BACKUP_VAULT = Obj(
    "BackupVault",
    {
        **_VAULT_SETTINGS,
        "storageSettings": opt(Arr(STORAGE_SETTING)),  # required before 2026-06-01: vaults.put checks it
        "replicatedRegions": opt(STRINGS),
        "provisioningState": ro(S),
        "resourceMoveState": ro(S),
        "resourceMoveDetails": ro(S),
        "isVaultProtectedByResourceGuard": ro(S),
        "secureScore": ro(S),
        "bcdrSecurityLevel": ro(S),
    },
)
BACKUP_VAULT_RESOURCE = Obj(
    "BackupVaultResource",
    {
        "location": opt(S),
        "tags": opt(ANY_OBJECT),
        "identity": opt(IDENTITY),
        "properties": req(BACKUP_VAULT),
        "eTag": opt(S),
        "id": ro(S),
        "name": ro(S),
        "type": ro(S),
        "systemData": ro(S),
    },
)
PATCH_VAULT = Obj(
    "PatchResourceRequestInput",
    {
        "identity": opt(IDENTITY),
        "tags": opt(ANY_OBJECT),
        "properties": opt(Obj("PatchBackupVaultInput", dict(_VAULT_SETTINGS))),
    },
)
CHECK_NAME = Obj("CheckNameAvailabilityRequest", {"name": req(S), "type": req(S)})

# -- backup policies --------------------------------------------------------------------------------------------------

DATA_STORE_TYPES = ("OperationalStore", "VaultStore", "ArchiveStore")
DATA_STORE_INFO = Obj("DataStoreInfoBase", {"dataStoreType": req(Str(DATA_STORE_TYPES)), "objectType": req(S)})

DELETE_OPTION = Obj("DeleteOption", {"duration": req(Str(fmt="duration")), "objectType": req(S)})
DELETE_OPTION.extend("AbsoluteDeleteOption")

COPY_OPTION = Obj("CopyOption", {"objectType": req(S)})
COPY_OPTION.extend("CopyOnExpiryOption")
COPY_OPTION.extend("CustomCopyOption", duration=opt(Str(fmt="duration")))
COPY_OPTION.extend("ImmediateCopyOption")

SOURCE_LIFECYCLE = Obj(
    "SourceLifeCycle",
    {
        "deleteAfter": req(DELETE_OPTION),
        "sourceDataStore": req(DATA_STORE_INFO),
        "targetDataStoreCopySettings": opt(
            Arr(Obj("TargetCopySetting", {"copyAfter": req(COPY_OPTION), "dataStore": req(DATA_STORE_INFO)}))
        ),
    },
)
BACKUP_CRITERIA = Obj("BackupCriteria", {"objectType": req(S)})
BACKUP_CRITERIA.extend(
    "ScheduleBasedBackupCriteria",
    absoluteCriteria=opt(Arr(Str(("AllBackup", "FirstOfDay", "FirstOfMonth", "FirstOfWeek", "FirstOfYear")))),
    daysOfMonth=opt(Arr(Obj("Day", {"date": opt(Num(integer=True)), "isLast": opt(Bool())}))),
    daysOfTheWeek=opt(Arr(Str(("Friday", "Monday", "Saturday", "Sunday", "Thursday", "Tuesday", "Wednesday")))),
    monthsOfYear=opt(
        Arr(
            Str(
                (
                    "April",
                    "August",
                    "December",
                    "February",
                    "January",
                    "July",
                    "June",
                    "March",
                    "May",
                    "November",
                    "October",
                    "September",
                )
            )
        )
    ),
    scheduleTimes=opt(Arr(Str(fmt="date-time"))),
    weeksOfTheMonth=opt(Arr(Str(("First", "Fourth", "Last", "Second", "Third")))),
)
RETENTION_TAG = Obj("RetentionTag", {"tagName": req(S), "id": ro(S), "eTag": ro(S)})
TAGGING_CRITERIA = Obj(
    "TaggingCriteria",
    {
        "criteria": opt(Arr(BACKUP_CRITERIA)),
        "isDefault": req(Bool()),
        "taggingPriority": req(Num(integer=True)),
        "tagInfo": req(RETENTION_TAG),
    },
)
TRIGGER_CONTEXT = Obj("TriggerContext", {"objectType": req(S)})
TRIGGER_CONTEXT.extend(
    "ScheduleBasedTriggerContext",
    schedule=req(Obj("BackupSchedule", {"repeatingTimeIntervals": req(Arr(Str(fmt="interval"))), "timeZone": opt(S)})),
    taggingCriteria=req(Arr(TAGGING_CRITERIA)),
)
TRIGGER_CONTEXT.extend(
    "AdhocBasedTriggerContext",
    taggingCriteria=req(Obj("AdhocBasedTaggingCriteria", {"tagInfo": opt(RETENTION_TAG)})),
)
BACKUP_PARAMETERS = Obj("BackupParameters", {"objectType": req(S)})
BACKUP_PARAMETERS.extend("AzureBackupParams", backupType=req(S))

POLICY_RULE = Obj("BasePolicyRule", {"name": req(S), "objectType": req(S)})
POLICY_RULE.extend(
    "AzureBackupRule",
    backupParameters=opt(BACKUP_PARAMETERS),
    dataStore=req(DATA_STORE_INFO),
    trigger=req(TRIGGER_CONTEXT),
)
POLICY_RULE.extend("AzureRetentionRule", isDefault=opt(Bool()), lifecycles=req(Arr(SOURCE_LIFECYCLE)))

BASE_POLICY = Obj("BaseBackupPolicy", {"datasourceTypes": req(STRINGS), "objectType": req(S)})
BASE_POLICY.extend("BackupPolicy", policyRules=req(Arr(POLICY_RULE)))
POLICY_RESOURCE = Obj(
    "BaseBackupPolicyResource",
    {"properties": req(BASE_POLICY), "id": ro(S), "name": ro(S), "type": ro(S), "systemData": ro(S)},
)

# -- backup instances -------------------------------------------------------------------------------------------------

RESOURCE_PROPERTIES = Obj("BaseResourceProperties", {"objectType": req(S)})
RESOURCE_PROPERTIES.extend("DefaultResourceProperties")
_DATASOURCE_PROPS = {
    "datasourceType": opt(S),
    "objectType": opt(S),
    "resourceID": req(Str(fmt="arm-id")),
    "resourceLocation": opt(S),
    "resourceName": opt(S),
    "resourceType": opt(S),
    "resourceUri": opt(S),
    "resourceProperties": opt(RESOURCE_PROPERTIES),
}
DATASOURCE = Obj("Datasource", dict(_DATASOURCE_PROPS))
DATASOURCE_SET = Obj("DatasourceSet", dict(_DATASOURCE_PROPS))

DATA_STORE_PARAMETERS = Obj("DataStoreParameters", {"objectType": req(S), "dataStoreType": req(Str(DATA_STORE_TYPES))})
DATA_STORE_PARAMETERS.extend("AzureOperationalStoreParameters", resourceGroupId=opt(Str(fmt="arm-id")))
DATASOURCE_PARAMETERS = Obj("BackupDatasourceParameters", {"objectType": req(S)})
DATASOURCE_PARAMETERS.extend("BlobBackupDatasourceParameters", containersList=req(STRINGS))
DATASOURCE_PARAMETERS.extend("AdlsBlobBackupDatasourceParameters", containersList=req(STRINGS))
# 2026-06-01 (already in 2026-03-01): blob and ADLS auto-protection, rule-based settings whose only rule kind excludes
# containers by name prefix (BlobBackupRuleMode and BlobBackupPatternType have one value each).
AUTO_PROTECTION_RULE = Obj(
    "BlobBackupAutoProtectionRule",
    {"objectType": req(S), "mode": req(Str(("Exclude",))), "type": req(Str(("Prefix",))), "pattern": req(S)},
)
AUTO_PROTECTION_SETTINGS = Obj(
    "BlobBackupRuleBasedAutoProtectionSettings",
    {"objectType": req(S), "enabled": req(Bool()), "rules": opt(Arr(AUTO_PROTECTION_RULE))},
)
DATASOURCE_PARAMETERS.extend(
    "BlobBackupDatasourceParametersForAutoProtection", autoProtectionSettings=req(AUTO_PROTECTION_SETTINGS)
)
DATASOURCE_PARAMETERS.extend(
    "AdlsBlobBackupDatasourceParametersForAutoProtection", autoProtectionSettings=req(AUTO_PROTECTION_SETTINGS)
)
# 2026-06-01: Elastic SAN volume groups name their volumes through generic parameters.
DATASOURCE_PARAMETERS.extend("GenericBackupDatasourceParameters", resourceSelectors=req(STRINGS))
DATASOURCE_PARAMETERS.extend(
    "KubernetesClusterBackupDatasourceParameters",
    snapshotVolumes=req(Bool()),
    includeClusterScopeResources=req(Bool()),
    includedVolumeTypes=opt(Arr(Str(("AzureDisk", "AzureFileShareSMB")))),
    includedNamespaces=opt(STRINGS),
    excludedNamespaces=opt(STRINGS),
    includedResourceTypes=opt(STRINGS),
    excludedResourceTypes=opt(STRINGS),
    labelSelectors=opt(STRINGS),
    backupHookReferences=opt(Arr(Obj("NamespacedNameResource", {"name": opt(S), "namespace": opt(S)}))),
)
AUTH_CREDENTIALS = Obj("AuthCredentials", {"objectType": req(S)})
AUTH_CREDENTIALS.extend(
    "SecretStoreBasedAuthCredentials",
    secretStoreResource=opt(
        Obj(
            "SecretStoreResource",
            {"uri": opt(S), "secretStoreType": req(Str(("Invalid", "AzureKeyVault"))), "value": opt(S)},
        )
    ),
)
BACKUP_INSTANCE = Obj(
    "BackupInstance",
    {
        "friendlyName": opt(S),
        "dataSourceInfo": req(DATASOURCE),
        "dataSourceSetInfo": opt(DATASOURCE_SET),
        "policyInfo": req(
            Obj(
                "PolicyInfo",
                {
                    "policyId": req(Str(fmt="arm-id")),
                    "policyVersion": ro(S),
                    "policyParameters": opt(
                        Obj(
                            "PolicyParameters",
                            {
                                "dataStoreParametersList": opt(Arr(DATA_STORE_PARAMETERS)),
                                "backupDatasourceParametersList": opt(Arr(DATASOURCE_PARAMETERS)),
                            },
                        )
                    ),
                },
            )
        ),
        "resourceGuardOperationRequests": opt(STRINGS),
        "datasourceAuthCredentials": opt(AUTH_CREDENTIALS),
        "validationType": opt(Str(("ShallowValidation", "DeepValidation"))),
        "identityDetails": opt(
            Obj("IdentityDetails", {"useSystemAssignedIdentity": opt(Bool()), "userAssignedIdentityArmUrl": opt(S)})
        ),
        "objectType": req(S),
        "protectionStatus": ro(S),
        "currentProtectionState": ro(S),
        "protectionErrorDetails": ro(S),
        "provisioningState": ro(S),
    },
)
BACKUP_INSTANCE_RESOURCE = Obj(
    "BackupInstanceResource",
    {
        "properties": req(BACKUP_INSTANCE),
        "tags": opt(ANY_OBJECT),
        "id": ro(S),
        "name": ro(S),
        "type": ro(S),
        "systemData": ro(S),
    },
)
VALIDATE_FOR_BACKUP = Obj("ValidateForBackupRequest", {"backupInstance": req(BACKUP_INSTANCE)})
VALIDATE_FOR_MODIFY = Obj("ValidateForModifyBackupRequest", {"backupInstance": req(BACKUP_INSTANCE)})
TRIGGER_BACKUP = Obj(
    "TriggerBackupRequest",
    {
        "backupRuleOptions": req(
            Obj(
                "AdHocBackupRuleOptions",
                {
                    "ruleName": req(S),
                    "triggerOption": req(Obj("AdhocBackupTriggerOption", {"retentionTagOverride": opt(S)})),
                },
            )
        )
    },
)
GUARDED_REQUEST = Obj("StopProtectionRequest", {"resourceGuardOperationRequests": opt(STRINGS)})
