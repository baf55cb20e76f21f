"""The typed API of BackupPolicy: its resource class with every input and output, and the enumerations and nested types
of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py --write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypeAlias, TypedDict

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

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


class BackupPolicy(ArmResource, module=MODULE, name="BackupPolicy"):
    """A backup policy of a vault. Build ``datasource_types`` and ``policy_rules`` with
    ``pulumi_dataprotection.policy.builders`` (``aks_policy``, ``adls_policy``, ``postgresql_policy``, ...). Azure
    cannot update a policy: without ``name``, the policy is named ``<name_prefix>-<content hash>`` and a content
    change creates a new version (instances follow it); with a fixed ``name`` a content change is refused at preview.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    name: pulumi.Output[str]
    """Policy name (part of the URL)."""

    vault_id: pulumi.Output[str]
    """Id of the backup vault holding the policy."""

    datasource_types: pulumi.Output[list[DatasourceType]]
    """The datasource type the policy protects (one)."""

    policy_rules: pulumi.Output[list[PolicyRule]]
    """Backup and retention rules."""

    raw: pulumi.Output[dict[str, Any] | None]
    """JSON merged into the request body, for API fields the typed inputs do not cover."""

    name_prefix: pulumi.Output[str | None]
    """Prefix of the content-addressed name <name_prefix>-<hash> (default: the Pulumi resource name); not used when a
    fixed name is given.
    """

    adopt_existing: pulumi.Output[bool]
    """Take over the existing resource of this name (created outside this stack) instead of refusing to: the first `up`
    writes nothing when it matches the inputs, else only the differences, which the preview lists field by field (in
    the `adoption` output). Needs an explicit `on_delete`.
    """

    on_delete: pulumi.Output[OnDelete]
    """What destroying the resource does: Delete (delete the policy in Azure) or Retain (leave it untouched and only
    forget it).
    """

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    system_data: pulumi.Output[Any]
    """Creation metadata. Set by Azure."""

    summary: pulumi.Output[str | None]
    """The schedule and retention in one line, e.g. `every 4 h to OperationalStore, kept 7 days`. Computed by the
    provider.
    """

    content_hash: pulumi.Output[str | None]
    """Hash of the policy's canonical body (the suffix of a content-addressed name). Computed by the provider."""

    adoption: pulumi.Output[str | None]
    """What the create did with a resource that already existed (adopted it, with the differences it wrote, or resumed
    this stack's interrupted create); null for a resource this stack created. Computed by the provider.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        vault_id: pulumi.Input[str],
        datasource_types: pulumi.Input[Sequence[pulumi.Input[DatasourceType]]],
        policy_rules: pulumi.Input[Sequence[pulumi.Input[PolicyRuleArgs]]],
        name: pulumi.Input[str] | None = None,
        raw: pulumi.Input[Mapping[str, Any]] | None = None,
        name_prefix: pulumi.Input[str] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[OnDelete] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a BackupPolicy.

        :param resource_name: The Pulumi resource name.
        :param vault_id: Id of the backup vault holding the policy. Required. Changing it replaces the resource.
        :param datasource_types: The datasource type the policy protects (one). Required. Changing it replaces the
            resource.
        :param policy_rules: Backup and retention rules. Required. Changing it replaces the resource.
        :param name: Policy name (part of the URL). Changing it replaces the resource.
        :param raw: JSON merged into the request body, for API fields the typed inputs do not cover. Changing it
            replaces the resource.
        :param name_prefix: Prefix of the content-addressed name <name_prefix>-<hash> (default: the Pulumi resource
            name); not used when a fixed name is given. A change of it alone is no change of the resource. Default:
            the resource name when name is not set.
        :param adopt_existing: Take over the existing resource of this name (created outside this stack) instead of
            refusing to: the first `up` writes nothing when it matches the inputs, else only the differences, which
            the preview lists field by field (in the `adoption` output). Needs an explicit `on_delete`. Default:
            false. A change of it alone is no change of the resource.
        :param on_delete: What destroying the resource does: Delete (delete the policy in Azure) or Retain (leave it
            untouched and only forget it). Default: "Delete".
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "vault_id": vault_id,
            "datasource_types": datasource_types,
            "policy_rules": policy_rules,
            "name": name,
            "raw": raw,
            "name_prefix": name_prefix,
            "adopt_existing": adopt_existing,
            "on_delete": on_delete,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.policy.resource import PolicyProvider

        super().__init__(
            PolicyProvider(),
            resource_name,
            resource_props(PolicyProvider, resource_name, inputs),
            resource_options(PolicyProvider, opts),
        )
