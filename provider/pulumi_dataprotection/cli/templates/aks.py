"""Recommended AKS backup policy: a snapshot every 4 hours kept 7 days in the operational tier, and the first backup of
each day also copied to the vault tier and kept 30 days there, so it survives the loss of the cluster's subscription.

``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy.
"""

from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of

POLICY_INPUTS = aks_policy(
    Schedule.hourly(4),
    Retention("P7D"),
    tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
)
