"""How long a policy keeps backups, as the service checks it: at most 360 days in the OperationalStore for AKS and
blobs (Azure's AKS backup how-to: "retain your data for restore for up to 360 days"; operational blob backup: "a
maximum retention of 360 days"), a default retention at least as long as the interval between scheduled backups,
and an immediate (or delayed) VaultStore copy of an operational backup kept at least as long as the original.
The last two are documented guesses (a policy that breaks them leaves no restore point for part of every interval,
or a copy that never outlives its original); all are refused as ``BMSUserErrorInvalidInput``, the code Azure
answers an invalid policy with (hashicorp/terraform-provider-azurerm#33470)."""

from __future__ import annotations

import re
from typing import Any

JSON = dict[str, Any]

_PARTS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_UNIT_DAYS = (365.0, 30.0, 7.0, 1.0, 1 / 24, 1 / 1440, 1 / 86400)
_OPERATIONAL_MAX_DAYS = {
    "microsoft.containerservice/managedclusters": 360,
    "microsoft.storage/storageaccounts/blobservices": 360,
}


def _days(text: Any) -> float | None:
    match = _PARTS.match(str(text).upper()) if isinstance(text, str) else None
    if match is None:
        return None
    return sum(float(g) * days for g, days in zip(match.groups(), _UNIT_DAYS, strict=True) if g)


def _store(node: Any) -> str | None:
    return node.get("dataStoreType") if isinstance(node, dict) else None


def problems(props: JSON) -> list[str]:
    """The retention problems of a policy body (one sentence each, led by its property path)."""
    rules = props.get("policyRules", [])
    limit = _OPERATIONAL_MAX_DAYS.get(str((props.get("datasourceTypes") or [""])[0]).lower())
    periods: dict[str | None, float] = {}
    for rule in rules:
        if rule.get("objectType") == "AzureBackupRule":
            for text in rule.get("trigger", {}).get("schedule", {}).get("repeatingTimeIntervals", []):
                period = _days(str(text).rsplit("/", 1)[-1])
                if period is not None:
                    periods.setdefault(_store(rule.get("dataStore")), period)
    out = []
    for i, rule in enumerate(rules):
        if rule.get("objectType") != "AzureRetentionRule":
            continue
        lives = rule.get("lifecycles") or []
        kept = {
            _store(life.get("sourceDataStore")): _days(life.get("deleteAfter", {}).get("duration")) for life in lives
        }
        for j, life in enumerate(lives):
            where = f"properties.policyRules[{i}].lifecycles[{j}].deleteAfter.duration"
            source, keep = _store(life.get("sourceDataStore")), kept.get(_store(life.get("sourceDataStore")))
            if keep is None:
                continue
            if source == "OperationalStore" and limit is not None and keep > limit:
                out.append(f"{where}: the OperationalStore retention exceeds the maximum of {limit} days")
            period = periods.get(source)
            if rule.get("isDefault") and period is not None and keep < period:
                out.append(f"{where}: the retention is shorter than the backup frequency")
            for copy in life.get("targetDataStoreCopySettings") or []:
                copied = kept.get(_store(copy.get("dataStore")))
                immediate = (copy.get("copyAfter") or {}).get("objectType") != "CopyOnExpiryOption"
                pair = (source, _store(copy.get("dataStore"))) == ("OperationalStore", "VaultStore")
                if pair and immediate and copied is not None and copied < keep:
                    out.append(f"{where}: the VaultStore copy is kept shorter than the OperationalStore backup")
    return out
