"""Azure's naming rules for the parts of resource ids: subscription ids, resource group names, the names of the
resource types this provider meets (vaults, policies, instances, identities, datasources) and ARM's rule for any
other name. Name inputs and id inputs both use them, so a bad name fails at preview wherever it is written.

Evidence: vault names from the 2025-09-01 spec's ``vaultName`` parameter; resource groups, subscriptions and other
names from ARM's naming rules (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules);
the datasource names from the same page; docs/emulator.md ("Validation rules and their evidence") lists them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RESERVED = r"<>%&:\\?/#*\x00-\x1f\x7f"
_ARM = rf"[^{_RESERVED}]*[^{_RESERVED}. ]"
_ARM_TEXT = (
    "1-260 characters other than < > % & : \\ ? / # * and control characters, not ending with a period or a space "
    "(so not . or ..)"
)
_SERVER = r"(?i:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)"
_SERVER_TEXT = "3-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen"


@dataclass(frozen=True)
class NameRule:
    """One kind of name: ``what`` it is, a length range, a pattern matched whole, ``text`` saying what such names are
    and ``one`` what one such name is, when that reads differently (``a GUID ...`` for ``GUIDs ...``)."""

    what: str
    min_length: int
    max_length: int
    pattern: str
    text: str
    one: str = ""

    @property
    def hint(self) -> str:
        """``backup vault names are 2-50 letters, ...``."""
        return f"{self.what}s are {self.text}"

    def problem(self, name: str) -> str | None:
        """None when ``name`` follows the rule, else what the rule allows (with the length when that is wrong)."""
        if not self.min_length <= len(name) <= self.max_length:
            return f"{self.hint}; it has {len(name)}"
        return None if re.fullmatch(self.pattern, name) else self.hint


SUBSCRIPTION = NameRule(
    "subscription id",
    36,
    36,
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "GUIDs such as 00000000-0000-0000-0000-000000000000",
    "a GUID such as 00000000-0000-0000-0000-000000000000",
)
RESOURCE_GROUP = NameRule(
    "resource group name",
    1,
    90,
    r"[-\w.()]*[-\w()]",
    "1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending with a period",
)
ARM_NAME = NameRule("resource name", 1, 260, _ARM, _ARM_TEXT)
# The spec's vaultName pattern (2025-09-01), enforced by Azure and by the emulator.
VAULT = NameRule(
    "backup vault name",
    2,
    50,
    r"[A-Za-z][-A-Za-z0-9]*[A-Za-z0-9]",
    "2-50 letters, digits or hyphens, starting with a letter and not ending with a hyphen",
)
# The names this provider gives policies; the spec has no pattern (Terraform also stops at 150 characters).
POLICY = NameRule(
    "backup policy name",
    1,
    150,
    r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[-A-Za-z0-9_])?",
    "1-150 letters, digits, hyphens, underscores or periods, starting with a letter or digit and not ending with a "
    "period",
)
INSTANCE = NameRule("backup instance name", 1, 260, _ARM, _ARM_TEXT)
_LABEL = r"[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?"
_KEY_VAULT = rf"https://{_LABEL}(?:\.{_LABEL})+(?::443)?"
_OBJECT = r"[-A-Za-z0-9]{1,127}(?:/[A-Za-z0-9]{1,64})?/?"
KEY_URI = NameRule(
    "Key Vault key URI",
    1,
    2048,
    rf"{_KEY_VAULT}/keys/{_OBJECT}",
    "a Key Vault key URI such as https://<vault>.vault.azure.net/keys/<key>[/<version>] (the key and version in "
    "letters, digits and hyphens)",
)
SECRET_URI = NameRule(
    "Key Vault secret URI",
    1,
    2048,
    rf"{_KEY_VAULT}/secrets/{_OBJECT}",
    "a Key Vault secret URI such as https://<vault>.vault.azure.net/secrets/<name>[/<version>] (the name and "
    "version in letters, digits and hyphens)",
)
_NAMESPACE = NameRule(
    "resource provider namespace",
    3,
    100,
    r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+",
    "dotted names such as Microsoft.Compute",
)
_TYPE = NameRule("resource type", 1, 100, r"[A-Za-z][A-Za-z0-9]*", "letters and digits, starting with a letter")

BY_TYPE: dict[str, NameRule] = {
    "microsoft.dataprotection/backupvaults": VAULT,
    # Policies made elsewhere (az, the portal) follow ARM's rule rather than the one this provider uses for names.
    "microsoft.dataprotection/backupvaults/backuppolicies": NameRule("backup policy name", 1, 260, _ARM, _ARM_TEXT),
    "microsoft.dataprotection/backupvaults/backupinstances": INSTANCE,
    "microsoft.managedidentity/userassignedidentities": NameRule(
        "user-assigned identity name",
        3,
        128,
        r"[A-Za-z0-9][-A-Za-z0-9_]*",
        "3-128 letters, digits, hyphens or underscores, starting with a letter or digit",
    ),
    "microsoft.storage/storageaccounts": NameRule(
        "storage account name", 3, 24, r"(?i:[a-z0-9]+)", "3-24 lower-case letters or digits"
    ),
    "microsoft.containerservice/managedclusters": NameRule(
        "AKS cluster name",
        1,
        63,
        r"[A-Za-z0-9](?:[-A-Za-z0-9_]*[A-Za-z0-9])?",
        "1-63 letters, digits, hyphens or underscores, starting and ending with a letter or digit",
    ),
    "microsoft.compute/disks": NameRule(
        "disk name",
        1,
        80,
        r"[A-Za-z0-9](?:[-\w.]*\w)?",
        "1-80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a "
        "letter, digit or underscore",
    ),
    "microsoft.dbforpostgresql/servers": NameRule("PostgreSQL server name", 3, 63, _SERVER, _SERVER_TEXT),
    "microsoft.dbforpostgresql/flexibleservers": NameRule(
        "PostgreSQL flexible server name", 3, 63, _SERVER, _SERVER_TEXT
    ),
    "microsoft.dbformysql/flexibleservers": NameRule("MySQL flexible server name", 3, 63, _SERVER, _SERVER_TEXT),
}
"""Rules of the resource types this provider meets, by lower-cased type; names of other types follow ``ARM_NAME``."""


def id_problems(arm_id: str) -> list[str]:
    """What is wrong with the parts of an ARM id shaped ``/subscriptions/<s>[/resourceGroups/<rg>[/providers/<ns>/
    <type>/<name>...]]``: one sentence per bad part."""
    parts = arm_id.rstrip("/").split("/")
    checks: list[tuple[NameRule, str]] = [(SUBSCRIPTION, parts[2])] if len(parts) > 2 else []
    if len(parts) > 4:
        checks.append((RESOURCE_GROUP, parts[4]))
    if len(parts) > 6:
        checks.append((_NAMESPACE, parts[6]))
        types = [parts[6]]
        for i in range(7, len(parts) - 1, 2):
            types.append(parts[i])
            checks.append((_TYPE, parts[i]))
            checks.append((BY_TYPE.get("/".join(types).lower(), ARM_NAME), parts[i + 1]))
    out = []
    for rule, name in checks:
        problem = rule.problem(name)
        if problem is not None:
            shown = name if len(name) <= 60 else name[:57] + "..."
            out.append(f"its {rule.what} {shown!r} is not valid: {problem}")
    return out
