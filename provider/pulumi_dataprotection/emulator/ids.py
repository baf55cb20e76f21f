"""Resource ids of Microsoft.DataProtection as the service spells them, and the name rules it enforces."""

from __future__ import annotations

import re

from pulumi_dataprotection.emulator.errors import ArmError, gateway
from pulumi_dataprotection.emulator.regions import region_name, regions

NAMESPACE = "Microsoft.DataProtection"
VAULT_TYPE = f"{NAMESPACE}/backupVaults"
POLICY_TYPE = f"{VAULT_TYPE}/backupPolicies"
INSTANCE_TYPE = f"{VAULT_TYPE}/backupInstances"
DELETED_INSTANCE_TYPE = f"{VAULT_TYPE}/deletedBackupInstances"
JOB_TYPE = f"{VAULT_TYPE}/backupJobs"
DELETED_VAULT_TYPE = f"{NAMESPACE}/locations/deletedVaults"

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_VAULT_NAME = re.compile(r"^[A-Za-z][-A-Za-z0-9]*[A-Za-z0-9]$")
_CHILD_NAME = re.compile(r"^[^<>%&:\\?/#*]+$")
_RG_NAME = re.compile(r"^[-\w._()]+$")


def check_location(location: str, resource_type: str) -> str:
    """The region name ARM stores for ``location`` (``West Europe`` -> ``westeurope``); an unknown region is ARM's
    400 ``LocationNotAvailableForResourceType``, with its message shape as ARM returns it for a PUT (quoted in
    Azure/azure-rest-api-specs#8347 and #8543). Azure lists the regions where the type is offered; the emulator
    offers every region of ``pulumi_dataprotection/data/regions.json``."""
    name = region_name(location)
    if name is None:
        raise gateway(
            400,
            "LocationNotAvailableForResourceType",
            f"The provided location '{location}' is not available for resource type '{resource_type}'. "
            f"List of available regions for the resource type is '{','.join(regions())}'.",
        )
    return name


def rg_id(sub: str, rg: str) -> str:
    """``/subscriptions/{sub}/resourceGroups/{rg}``."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def vault_id(sub: str, rg: str, vault: str) -> str:
    """The id of a backup vault."""
    return f"{rg_id(sub, rg)}/providers/{NAMESPACE}/backupVaults/{vault}"


def deleted_vault_id(sub: str, location: str, name: str) -> str:
    """The id of a soft-deleted vault, as the spec's undelete example writes it
    (``/subscriptions/{sub}/providers/Microsoft.DataProtection/locations/{region}/deletedVaults/{name}``)."""
    return (
        f"/subscriptions/{sub}/providers/{NAMESPACE}/locations/{region_name(location) or location}/deletedVaults/{name}"
    )


def child_id(vault: str, collection: str, name: str) -> str:
    """The id of a vault's child (``backupPolicies``, ``backupInstances``, ``backupJobs``, ...)."""
    return f"{vault}/{collection}/{name}"


def check_subscription(sub: str) -> None:
    """ARM rejects a subscription id that is not a GUID before any resource provider sees the request."""
    if not _GUID.match(sub):
        raise gateway(
            400, "InvalidSubscriptionId", f"The provided subscription identifier '{sub}' is malformed or invalid."
        )


def check_resource_group(rg: str) -> None:
    """ARM's resource group name rule (1-90 characters of letters, digits, ``-_.()``, not ending in a period)."""
    if not (1 <= len(rg) <= 90 and _RG_NAME.match(rg) and not rg.endswith(".")):
        raise gateway(
            400,
            "InvalidResourceGroupName",
            f"The resource group name '{rg}' is invalid: use 1 to 90 letters, digits, periods, underscores, "
            "hyphens or parentheses, not ending in a period.",
        )


def check_vault_name(name: str) -> None:
    """The backup vault name rule of the spec: 2-50 characters, ``^[A-Za-z][-A-Za-z0-9]*[A-Za-z0-9]$``."""
    if not (2 <= len(name) <= 50 and _VAULT_NAME.match(name)):
        raise ArmError(
            400,
            "InvalidResourceName",
            f"The backup vault name '{name}' is invalid. It must be 2 to 50 characters long, start with a letter, "
            "end with a letter or a digit, and contain only letters, digits and hyphens.",
            style="gateway",
        )


def check_child_name(kind: str, name: str) -> None:
    """Names of policies and instances: no characters ARM reserves in resource names, no period or space last."""
    if not _CHILD_NAME.match(name) or len(name) > 260 or name.endswith((".", " ")):
        raise ArmError(
            400,
            "InvalidResourceName",
            f"The {kind} name '{name}' is invalid: it must not contain any of < > % & : \\ ? / # * and must not "
            "end with a period or a space.",
            style="gateway",
        )


def parse_vault_child(resource_id: str, collection: str) -> tuple[str, str] | None:
    """``(vault id, child name)`` of an id like ``{vault}/backupPolicies/{name}``, or None when it is not one."""
    m = re.match(
        rf"^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/{re.escape(NAMESPACE)}/backupVaults/[^/]+)"
        rf"/{collection}/([^/]+)$",
        resource_id,
        re.I,
    )
    return (m.group(1), m.group(2)) if m else None
