"""Recommended managed-disk backup policy: an incremental snapshot every 4 hours kept 7 days, the first of each day
kept 30 days and the first of each week kept 12 weeks (disks have an operational tier only).

``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy.
"""

from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, disk_policy, first_of

POLICY_INPUTS = disk_policy(
    Schedule.hourly(4),
    Retention("P7D"),
    tagged=[
        TaggedRetention("Daily", "P30D", first_of("day")),
        TaggedRetention("Weekly", "P12W", first_of("week")),
    ],
)
