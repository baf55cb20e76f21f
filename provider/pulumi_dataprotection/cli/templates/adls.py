"""Recommended Data Lake Storage backup policy: a daily vaulted backup kept 30 days and the first of each week kept
12 weeks.

Instances using it must list their containers.
``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy.
"""

from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, adls_policy, first_of

POLICY_INPUTS = adls_policy(
    Schedule.daily("02:00"),
    Retention("P30D"),
    tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
)
