"""Whether a vault can protect a datasource, and whether an AKS backup configuration is one Kubernetes can read:
the service's checks of a backup instance that look past the body's shape.

* Region: Azure Backup protects a datasource only from a vault in its region ("Backup Vault and the AKS cluster
  should be located in the same region", the AKS support matrix; the same rule in the other datasources' matrices).
  The datasource's region is the body's ``dataSourceInfo.resourceLocation``, or the registry's location of a
  registered datasource. Azure's code for the refusal is not public:
  ``UserErrorDatasourceAndBackupVaultLocationMismatch`` is the emulator's (a documented guess).
* Identity: Azure reads the datasource with the vault's managed identity (system-assigned unless the instance names
  one of the vault's user-assigned identities); without it protection fails with ``VaultMSIUnauthorized``
  (microsoft/mcp#2470: "every subsequent protect call fails server-side with VaultMSIUnauthorized").
* AKS parameters (of backups and restores): namespaces are RFC 1123 labels, label selectors follow the Kubernetes
  selector grammar (kubernetes.io "Object Names and IDs", "Labels and Selectors"); refused as
  ``BMSUserErrorInvalidInput``, the service's answer to input it cannot use (Azure's exact answer is not recorded).
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_dataprotection.emulator.datasources import Registry
from pulumi_dataprotection.emulator.errors import ServiceError, invalid_input

JSON = dict[str, Any]

_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_KEY = rf"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?{_NAME}"
_VALUE = rf"(?:{_NAME})?"
_REQUIREMENT = re.compile(
    rf"!\s*{_KEY}|{_KEY}\s*(?:==|!=|=)\s*{_VALUE}|{_KEY}\s*[<>]\s*-?\d+"
    rf"|{_KEY}\s+(?:in|notin)\s*\(\s*{_VALUE}(?:\s*,\s*{_VALUE})*\s*\)|{_KEY}"
)


def _region(text: str) -> str:
    return text.replace(" ", "").lower()


def check_region(registry: Registry, vault: JSON, source: JSON) -> None:
    """400 when the datasource is in another region than the vault."""
    stated = source.get("resourceLocation") or ""
    actual = registry.location(str(source.get("resourceID") or "")) or stated
    if not isinstance(actual, str) or not actual or _region(actual) == _region(vault["location"]):
        return
    raise ServiceError(
        400,
        "UserErrorDatasourceAndBackupVaultLocationMismatch",
        f"The datasource {source.get('resourceID')} is in {actual} and the backup vault {vault['name']} in "
        f"{vault['location']}. A datasource can be protected only by a backup vault in the same region.",
        recommended=[f"Protect the datasource with a backup vault in {actual}."],
    )


def check_identity(vault: JSON, props: JSON) -> None:
    """400 ``VaultMSIUnauthorized`` when the vault lacks the managed identity the instance uses."""
    identity = vault.get("identity") or {}
    kind = str(identity.get("type") or "None")
    details = props.get("identityDetails") or {}
    chosen = details.get("userAssignedIdentityArmUrl")
    attached = {str(k).lower() for k in identity.get("userAssignedIdentities") or {}}
    if isinstance(chosen, str) and chosen:
        usable = chosen.lower() in attached
    else:
        usable = "SystemAssigned" in kind and details.get("useSystemAssignedIdentity") is not False
    if usable:
        return
    raise ServiceError(
        400,
        "VaultMSIUnauthorized",
        f"The managed identity of the backup vault {vault['name']} is not available to access the datasource "
        f"(vault identity type: {kind}).",
        recommended=[
            "Enable the vault's system-assigned identity (or attach the user-assigned identity the backup instance "
            "uses), grant it the roles the datasource needs, then retry."
        ],
    )


def _selector_problem(text: str) -> str | None:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0 or depth > 1:
            return "has unbalanced parentheses"
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth:
        return "has a '(' that is not closed"
    bad = [p.strip() for p in [*parts, text[start:]] if not _REQUIREMENT.fullmatch(p.strip())]
    return f"cannot be parsed at {bad[0]!r}" if bad else None


def kubernetes_problems(where: str, params: JSON) -> list[str]:
    """The namespaces (included, excluded, hooks, restore mappings) and label selectors of AKS backup or restore
    parameters that Kubernetes cannot read, one sentence each led by its path under ``where``."""
    names = [
        (f"{k}[{j}]", n)
        for k in ("includedNamespaces", "excludedNamespaces")
        for j, n in enumerate(params.get(k) or [])
    ]
    for key in ("backupHookReferences", "restoreHookReferences"):
        hooks = params.get(key) or []
        names += [(f"{key}[{j}].namespace", h.get("namespace")) for j, h in enumerate(hooks) if isinstance(h, dict)]
    mappings = params.get("namespaceMappings") or {}
    names += [(f"namespaceMappings.{k}", n) for k, v in mappings.items() for n in (k, v)]
    problems = [
        f"{where}.{path}: {name!r} is not a Kubernetes namespace name (an RFC 1123 label: at most 63 lower-case "
        "letters, digits and '-', starting and ending with a letter or digit)"
        for path, name in names
        if not isinstance(name, str) or not _NAMESPACE.fullmatch(name)
    ]
    for j, selector in enumerate(params.get("labelSelectors") or []):
        problem = _selector_problem(selector) if isinstance(selector, str) else "is not a string"
        if problem:
            problems.append(f"{where}.labelSelectors[{j}]: the label selector {selector!r} {problem}")
    return problems


def check_aks_parameters(props: JSON) -> None:
    """Namespaces and label selectors of an AKS backup configuration Kubernetes cannot read: invalid input."""
    params = props["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    where = "properties.policyInfo.policyParameters.backupDatasourceParametersList"
    problems = [p for i, item in enumerate(params) for p in kubernetes_problems(f"{where}[{i}]", item)]
    if problems:
        raise invalid_input(problems)
