"""Recommended blob backup policy: continuous operational backup (point-in-time restore) kept 30 days in the storage
account, plus a daily vaulted copy kept 30 days and the first of each week kept 12 weeks in the vault.

Instances using it must list their containers (vaulted backup copies named containers).
``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy.
"""

from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, blob_vaulted_policy, first_of

POLICY_INPUTS = blob_vaulted_policy(
    Schedule.daily("02:00"),
    Retention("P30D"),
    tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
    operational_keep_for="P30D",
)
