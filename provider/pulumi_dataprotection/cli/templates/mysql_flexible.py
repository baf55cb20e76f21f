"""Recommended MySQL flexible server backup policy: a full backup every Sunday at 02:00 UTC kept 3 months in
the vault, and the first backup of each month kept 1 year.

``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy.
"""

from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, first_of, mysql_flexible_policy

POLICY_INPUTS = mysql_flexible_policy(
    Schedule.weekly(["Sunday"], "02:00"),
    Retention("P3M"),
    tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"))],
)
