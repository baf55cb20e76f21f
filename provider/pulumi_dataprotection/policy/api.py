"""Typed inputs and outputs of BackupPolicy, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypeAlias, TypedDict

import pulumi

DatasourceType = Literal[
    "Microsoft.ContainerService/managedClusters",
    "Microsoft.Compute/disks",
    "Microsoft.Storage/storageAccounts/blobServices",
    "Microsoft.Storage/storageAccounts/adlsBlobServices",
    "Microsoft.DBforPostgreSQL/servers/databases",
    "OssDB",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.ElasticSan/elasticSans/volumeGroups",
    "Microsoft.DocumentDB/databaseAccounts",
]
"""The datasource type the policy protects (one)."""


BackupType = Literal["Full", "Incremental", "Discrete"]
"""Full (databases), Incremental (disks, AKS) or Discrete (vaulted blobs, ADLS)."""


DataStore = Literal["OperationalStore", "VaultStore", "ArchiveStore"]
"""Values of ``data_store``, ``source_data_store``."""


AbsoluteCriteria = Literal["AllBackup", "FirstOfDay", "FirstOfWeek", "FirstOfMonth", "FirstOfYear"]
"""Which backup the tag keeps: the first of each day, week, month or year (or all)."""


DayOfWeek = Literal["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
"""Days of the week."""


Month = Literal[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
"""Months of the year."""


WeekOfMonth = Literal["First", "Second", "Third", "Fourth", "Last"]
"""Weeks of the month."""


OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete the policy in Azure) or Retain (leave it untouched and only forget
it).
"""


class DayOfTheMonthArgs(TypedDict):
    """Input: a day of the month."""

    #: Day of the month (1-28; 0 only with is_last).
    date: NotRequired[pulumi.Input[int]]
    #: The last day of the month.
    is_last: NotRequired[pulumi.Input[bool]]


class BackupCriteriaArgs(TypedDict):
    """Input: backup criteria."""

    #: Which backup the tag keeps: the first of each day, week, month or year (or all).
    absolute_criteria: NotRequired[pulumi.Input[Sequence[pulumi.Input[AbsoluteCriteria]]]]
    #: Days of the month.
    days_of_month: NotRequired[pulumi.Input[Sequence[pulumi.Input[DayOfTheMonthArgs]]]]
    #: Days of the week.
    days_of_the_week: NotRequired[pulumi.Input[Sequence[pulumi.Input[DayOfWeek]]]]
    #: Months of the year.
    months_of_year: NotRequired[pulumi.Input[Sequence[pulumi.Input[Month]]]]
    #: Backup times.
    schedule_times: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    #: Weeks of the month.
    weeks_of_the_month: NotRequired[pulumi.Input[Sequence[pulumi.Input[WeekOfMonth]]]]


class TaggingCriteriaArgs(TypedDict):
    """Input: tagging criteria."""

    #: Tag name: Default for the default tag, else any name (Daily, Weekly, Monthly, Yearly are the usual ones; a
    #: retention rule of the same name says how long tagged backups are kept).
    tag_name: pulumi.Input[str]
    #: Priority when a backup matches several tags (lower wins); defaults to Azure's value for Daily, Weekly, Monthly
    #: and Yearly, required for other tag names. When not set, derived from the other inputs.
    tagging_priority: NotRequired[pulumi.Input[int]]
    #: True for the Default tag. When not set, derived from the other inputs.
    is_default: NotRequired[pulumi.Input[bool]]
    #: Which backups get the tag.
    criteria: NotRequired[pulumi.Input[Sequence[pulumi.Input[BackupCriteriaArgs]]]]


class AzureBackupRuleArgs(TypedDict):
    """Input: a backup rule."""

    object_type: Literal["AzureBackupRule"]
    #: Rule name (BackupHourly, BackupDaily, ...).
    name: pulumi.Input[str]
    #: Full (databases), Incremental (disks, AKS) or Discrete (vaulted blobs, ADLS).
    backup_type: NotRequired[pulumi.Input[BackupType]]
    #: Datastore the backups are written to.
    data_store: pulumi.Input[DataStore]
    #: When backups run: ISO-8601 repeating intervals such as R/2024-01-01T02:00:00+00:00/PT4H.
    repeating_time_intervals: pulumi.Input[Sequence[pulumi.Input[str]]]
    #: Time zone of the schedule.
    time_zone: NotRequired[pulumi.Input[str]]
    #: Retention tags given to backups (the Default tag plus Daily/Weekly/Monthly/Yearly ones).
    tagging_criteria: pulumi.Input[Sequence[pulumi.Input[TaggingCriteriaArgs]]]


class CopyOnExpiryOptionArgs(TypedDict):
    """Input: a copy when the source copy expires."""

    object_type: Literal["CopyOnExpiryOption"]


class CustomCopyOptionArgs(TypedDict):
    """Input: a copy after a delay."""

    object_type: Literal["CustomCopyOption"]
    #: How long after the backup the copy is made.
    duration: pulumi.Input[str]


class ImmediateCopyOptionArgs(TypedDict):
    """Input: an immediate copy."""

    object_type: Literal["ImmediateCopyOption"]


class CopySettingArgs(TypedDict):
    """Input: a copy setting."""

    #: When the copy is made.
    copy_after: pulumi.Input[CopyOptionArgs]
    #: Datastore receiving the copy.
    data_store: pulumi.Input[DataStore]


class LifecycleArgs(TypedDict):
    """Input: a lifecycle."""

    #: How long backups are kept in the source datastore (ISO-8601 duration).
    delete_after: pulumi.Input[str]
    #: Datastore the rule applies to.
    source_data_store: pulumi.Input[DataStore]
    #: Copies to other datastores (VaultStore from OperationalStore, ArchiveStore from VaultStore).
    target_data_store_copy_settings: NotRequired[pulumi.Input[Sequence[pulumi.Input[CopySettingArgs]]]]


class AzureRetentionRuleArgs(TypedDict):
    """Input: a retention rule."""

    object_type: Literal["AzureRetentionRule"]
    #: Default, Default_OperationalStore or a tag name.
    name: pulumi.Input[str]
    #: True for the default retention of a datastore.
    is_default: NotRequired[pulumi.Input[bool]]
    #: Lifecycles.
    lifecycles: pulumi.Input[Sequence[pulumi.Input[LifecycleArgs]]]


CopyOptionArgs: TypeAlias = CopyOnExpiryOptionArgs | CustomCopyOptionArgs | ImmediateCopyOptionArgs


PolicyRuleArgs: TypeAlias = AzureBackupRuleArgs | AzureRetentionRuleArgs


# Output types are for type checkers: Pulumi converts output values by the resource classes'
# annotations at runtime and accepts no TypedDict there, so at runtime they are plain dicts.
if TYPE_CHECKING:

    class DayOfTheMonth(TypedDict):
        """Output: a day of the month."""

        #: Day of the month (1-28; 0 only with is_last).
        date: NotRequired[float]
        #: The last day of the month.
        is_last: NotRequired[bool]

    class BackupCriteria(TypedDict):
        """Output: backup criteria."""

        #: Which backup the tag keeps: the first of each day, week, month or year (or all).
        absolute_criteria: NotRequired[list[AbsoluteCriteria]]
        #: Days of the month.
        days_of_month: NotRequired[list[DayOfTheMonth]]
        #: Days of the week.
        days_of_the_week: NotRequired[list[DayOfWeek]]
        #: Months of the year.
        months_of_year: NotRequired[list[Month]]
        #: Backup times.
        schedule_times: NotRequired[list[str]]
        #: Weeks of the month.
        weeks_of_the_month: NotRequired[list[WeekOfMonth]]

    class TaggingCriteria(TypedDict):
        """Output: tagging criteria."""

        #: Tag name: Default for the default tag, else any name (Daily, Weekly, Monthly, Yearly are the usual ones; a
        #: retention rule of the same name says how long tagged backups are kept).
        tag_name: str
        #: Tag id Azure assigns (tag name + '_'). Set by Azure.
        tag_id: NotRequired[str]
        #: Tag entity tag. Set by Azure.
        tag_etag: NotRequired[str]
        #: Priority when a backup matches several tags (lower wins); defaults to Azure's value for Daily, Weekly,
        #: Monthly and Yearly, required for other tag names.
        tagging_priority: NotRequired[float]
        #: True for the Default tag.
        is_default: NotRequired[bool]
        #: Which backups get the tag.
        criteria: NotRequired[list[BackupCriteria]]

    class AzureBackupRule(TypedDict):
        """Output: a backup rule."""

        object_type: Literal["AzureBackupRule"]
        #: Rule name (BackupHourly, BackupDaily, ...).
        name: str
        #: Full (databases), Incremental (disks, AKS) or Discrete (vaulted blobs, ADLS).
        backup_type: NotRequired[BackupType]
        #: Datastore the backups are written to.
        data_store: DataStore
        #: When backups run: ISO-8601 repeating intervals such as R/2024-01-01T02:00:00+00:00/PT4H.
        repeating_time_intervals: list[str]
        #: Time zone of the schedule.
        time_zone: NotRequired[str]
        #: Retention tags given to backups (the Default tag plus Daily/Weekly/Monthly/Yearly ones).
        tagging_criteria: list[TaggingCriteria]

    class CopyOnExpiryOption(TypedDict):
        """Output: a copy when the source copy expires."""

        object_type: Literal["CopyOnExpiryOption"]

    class CustomCopyOption(TypedDict):
        """Output: a copy after a delay."""

        object_type: Literal["CustomCopyOption"]
        #: How long after the backup the copy is made.
        duration: str

    class ImmediateCopyOption(TypedDict):
        """Output: an immediate copy."""

        object_type: Literal["ImmediateCopyOption"]

    class CopySetting(TypedDict):
        """Output: a copy setting."""

        #: When the copy is made.
        copy_after: CopyOption
        #: Datastore receiving the copy.
        data_store: DataStore

    class Lifecycle(TypedDict):
        """Output: a lifecycle."""

        #: How long backups are kept in the source datastore (ISO-8601 duration).
        delete_after: str
        #: Datastore the rule applies to.
        source_data_store: DataStore
        #: Copies to other datastores (VaultStore from OperationalStore, ArchiveStore from VaultStore).
        target_data_store_copy_settings: NotRequired[list[CopySetting]]

    class AzureRetentionRule(TypedDict):
        """Output: a retention rule."""

        object_type: Literal["AzureRetentionRule"]
        #: Default, Default_OperationalStore or a tag name.
        name: str
        #: True for the default retention of a datastore.
        is_default: NotRequired[bool]
        #: Lifecycles.
        lifecycles: list[Lifecycle]

    CopyOption: TypeAlias = CopyOnExpiryOption | CustomCopyOption | ImmediateCopyOption

    PolicyRule: TypeAlias = AzureBackupRule | AzureRetentionRule
else:
    DayOfTheMonth = BackupCriteria = TaggingCriteria = AzureBackupRule = CopyOnExpiryOption = CustomCopyOption = (
        ImmediateCopyOption
    ) = CopySetting = Lifecycle = AzureRetentionRule = CopyOption = PolicyRule = dict[str, Any]
