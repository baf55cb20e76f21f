"""``backup-now``: trigger an on-demand backup of a backup instance (POST .../backup) and follow its backup job with
a progress display until it completes or fails; Azure's error is printed and the exit code is non-zero on failure.

Target: ``--endpoint``/``--token``/``--ca-bundle``, else ``DATAPROTECTION_ENDPOINT`` / ``DATAPROTECTION_TOKEN`` /
``DATAPROTECTION_CA_BUNDLE``, else real Azure with DefaultAzureCredential (``az login``, a service principal in the
environment, workload or managed identity).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from pulumi_dataprotection.adhoc.jobs import find_started_job, job_outcome
from pulumi_dataprotection.arm import (
    AmbiguousActionError,
    ArmClient,
    ArmError,
    ArmSettings,
    CredentialMode,
    Deadline,
    PollPolicy,
    ResourceId,
    Secret,
    get_client,
)
from pulumi_dataprotection.arm.protocol import ArmApi
from pulumi_dataprotection.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    add_token_options,
    print_error,
    token_option,
)

INSTANCE_TYPE = "microsoft.dataprotection/backupvaults/backupinstances"
DEFAULT_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 10.0
DEFAULT_RETENTION_TAG = "Default"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``backup-now`` command."""
    parser = commands.add_parser(
        "backup-now",
        help="trigger an on-demand backup and follow the job",
        description=(
            "Trigger an on-demand backup of a backup instance and follow the backup job until it completes or "
            "fails. The target is --endpoint/--token (or DATAPROTECTION_ENDPOINT / DATAPROTECTION_TOKEN), "
            "otherwise Azure with DefaultAzureCredential."
        ),
    )
    parser.add_argument("--instance", required=True, metavar="ID", help="ARM id of the backup instance")
    parser.add_argument("--rule", metavar="NAME", help="backup rule of the policy (default: the policy's backup rule)")
    parser.add_argument(
        "--retention-tag",
        default=DEFAULT_RETENTION_TAG,
        metavar="TAG",
        help=f"retention tag to keep the backup under (default: {DEFAULT_RETENTION_TAG})",
    )
    add_instance_target_options(
        parser,
        timeout=DEFAULT_TIMEOUT,
        timeout_help="give up waiting after this long (the job keeps running in Azure; default {:g})",
        poll_interval=DEFAULT_POLL_INTERVAL,
        poll_help="seconds between job status checks (default {:g})",
    )
    parser.set_defaults(run=run)


def add_instance_target_options(
    parser: argparse.ArgumentParser,
    *,
    timeout: float,
    timeout_help: str,
    poll_interval: float,
    poll_help: str,
) -> None:
    """The target options of the commands that act on one backup instance (``--endpoint``, the token options,
    ``--ca-bundle``, ``--timeout``, ``--poll-interval``; the helps take the default through ``{:g}``)."""
    parser.add_argument("--endpoint", metavar="URL", help="ARM endpoint, e.g. the emulator's http://127.0.0.1:PORT")
    add_token_options(parser)
    parser.add_argument("--ca-bundle", metavar="PATH", help="CA certificate bundle for an https endpoint")
    parser.add_argument("--timeout", type=float, default=timeout, metavar="SECONDS", help=timeout_help.format(timeout))
    parser.add_argument(
        "--poll-interval", type=float, default=poll_interval, metavar="SECONDS", help=poll_help.format(poll_interval)
    )


def instance_target(args: argparse.Namespace, err: Console) -> tuple[ResourceId, ArmClient]:
    """The backup instance ``--instance`` names and an ARM client for the target the options give."""
    if args.timeout <= 0 or args.poll_interval <= 0:
        raise CliError("--timeout and --poll-interval must be positive")
    instance = parse_instance(args.instance)
    settings = target_settings(
        endpoint=args.endpoint,
        token=token_option(args, err),
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        env=os.environ,
    )
    return instance, get_client(settings)


def target_settings(
    *,
    endpoint: str | None,
    token: str | None,
    ca_bundle: str | None,
    timeout: float,
    poll_interval: float,
    env: Mapping[str, str],
) -> ArmSettings:
    """ARM settings from the flags, else the environment, else Azure with DefaultAzureCredential."""
    endpoint = endpoint or env.get("DATAPROTECTION_ENDPOINT") or None
    token = token or env.get("DATAPROTECTION_TOKEN") or None
    ca_bundle = ca_bundle or env.get("DATAPROTECTION_CA_BUNDLE") or None
    quick = min(1.0, poll_interval)
    poll = PollPolicy(
        min_interval=quick,
        max_interval=max(60.0, poll_interval),
        default_interval=poll_interval,
        first_interval=quick,
    )
    try:
        if token:
            return ArmSettings(
                endpoint=endpoint,
                credential=CredentialMode.STATIC,
                static_token=Secret(token),
                ca_bundle=ca_bundle,
                operation_timeout=timeout,
                poll=poll,
            )
        return ArmSettings(endpoint=endpoint, ca_bundle=ca_bundle, operation_timeout=timeout, poll=poll)
    except (ValueError, ArmError) as exc:
        reason = exc.message if isinstance(exc, ArmError) else str(exc)
        raise CliError(f"invalid target settings: {reason}") from exc


def parse_instance(value: str) -> ResourceId:
    """The backup instance id, checked to be one."""
    try:
        instance = ResourceId.parse(value)
    except ValueError as exc:
        raise CliError(str(exc), hint=_INSTANCE_HINT) from exc
    if (instance.resource_type or "").lower() != INSTANCE_TYPE:
        raise CliError(f"{value} is not a backup instance id", hint=_INSTANCE_HINT)
    return instance


_INSTANCE_HINT = (
    "pass /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.DataProtection/backupVaults/<vault>"
    "/backupInstances/<name> (the BackupInstance's id output)"
)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return _map(_map(body).get("properties"))


def error_lines(errors: Any, depth: int = 0) -> list[str]:
    """Code, message and recommended actions of UserFacingError objects (nested details indented)."""
    lines: list[str] = []
    for error in errors if isinstance(errors, list) else [errors]:
        if not isinstance(error, Mapping):
            continue
        pad = "  " * depth
        head = ": ".join(str(p) for p in (error.get("code"), error.get("message")) if p)
        if head:
            lines.append(pad + head)
        actions = error.get("recommendedAction") or []
        for action in [actions] if isinstance(actions, str) else actions:
            lines.append(f"{pad}  recommended action: {action}")
        nested = error_lines(error.get("details"), depth + 1)
        lines += [n for n in nested if n.strip() not in {line.strip() for line in lines}]
    return lines


class BackupRun:
    """One on-demand backup: read the instance (and policy), trigger, follow the job, report."""

    def __init__(
        self,
        client: ArmApi,
        out: Console,
        err: Console,
        *,
        timeout: float,
        poll_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.out = out
        self.err = err
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.clock = clock
        self.sleep = sleep

    def run(self, instance: ResourceId, rule: str | None, retention_tag: str) -> int:
        """Trigger and follow; the exit code."""
        deadline = self.clock() + self.timeout
        vault = instance.vault
        body = self.client.get(instance.path, operation="read backup instance", resource=str(instance))
        if body is None:
            raise CliError(
                f"backup instance {instance.name!r} was not found in vault {vault.name!r} "
                f"(resource group {instance.resource_group}, subscription {instance.subscription_id})",
                hint="check the id (the BackupInstance's id output) and that you are signed in to the right tenant",
                exit_code=EXIT_FAILED,
            )
        props = _props(body)
        rule = rule or self._default_rule(_map(props.get("policyInfo")).get("policyId"))
        info = _map(props.get("dataSourceInfo"))
        self.out.print(f"Backup instance  {instance.name} (vault {vault.name})")
        self.out.print(f"Datasource       {info.get('datasourceType', 'unknown')} {info.get('resourceName', '')}")
        self.out.print(f"Protection state {props.get('currentProtectionState', 'unknown')}")
        self.out.print(f"Backup rule      {rule}, retention tag {retention_tag}")
        request = {"backupRuleOptions": {"ruleName": rule, "triggerOption": {"retentionTagOverride": retention_tag}}}
        with self.out.status("Triggering the backup...", spinner="dots"):
            try:
                result = self.client.execute(
                    "POST",
                    instance.action("backup"),
                    request,
                    operation="trigger an on-demand backup",
                    resource=str(instance),
                    timeout=max(1.0, deadline - self.clock()),
                )
                job_id = result.job_id
            except AmbiguousActionError as exc:
                # Never sent twice: look for the job the request may have started.
                job_id = find_started_job(
                    self.client, instance, exc.sent_at, Deadline.after(max(1.0, deadline - self.clock()))
                )
                if job_id is None:
                    raise CliError(
                        f"{exc.summary()}; no backup job of the instance started since then",
                        hint="the backup apparently did not start; run the command again to trigger it",
                        exit_code=EXIT_FAILED,
                    ) from exc
        if not job_id:
            raise CliError(
                "Azure accepted the backup but returned no job id",
                hint=f"look for the job in the vault's backup jobs ({vault.collection('backupJobs')})",
                exit_code=EXIT_FAILED,
            )
        self.out.print(f"Backup job       {job_id}")
        return self._follow(vault, job_id, deadline)

    def _default_rule(self, policy_id: Any) -> str:
        if not isinstance(policy_id, str) or not policy_id:
            raise CliError("the backup instance names no policy", hint="pass --rule", exit_code=EXIT_FAILED)
        policy = ResourceId.parse(policy_id)
        body = self.client.get(policy.path, operation="read backup policy", resource=policy_id)
        if body is None:
            raise CliError(
                f"the instance's policy {policy.name!r} was not found",
                hint="pass --rule with the name of the policy's backup rule",
                exit_code=EXIT_FAILED,
            )
        rules = [r for r in _props(body).get("policyRules") or [] if isinstance(r, Mapping)]
        names = [str(r.get("name")) for r in rules if r.get("objectType") == "AzureBackupRule"]
        if not names:
            raise CliError(
                f"policy {policy.name!r} has no backup rule (AzureBackupRule): its backups are continuous "
                "(operational tier), so there is nothing to trigger",
                hint="on-demand backups need a policy with a scheduled (vaulted) backup rule",
                exit_code=EXIT_FAILED,
            )
        return names[0]

    def _follow(self, vault: ResourceId, job_id: str, deadline: float) -> int:
        path = ResourceId.parse(job_id).path if job_id.startswith("/") else vault.child("backupJobs", job_id).path
        short = job_id.rstrip("/").rsplit("/", 1)[-1]
        columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
        last = ""
        with Progress(*columns, console=self.out, transient=True, disable=not self.out.is_terminal) as progress:
            task = progress.add_task(f"job {short}: waiting for Azure", total=None)
            while True:
                job = self.client.get(path, operation="read backup job", resource=job_id)
                props = _props(job)
                status = str(props.get("status") or "not visible yet")
                line = status + self._subtasks(props)
                if line != last:
                    self.out.print(f"{time.strftime('%H:%M:%S')} job {short}: {line}")
                    last = line
                progress.update(task, description=f"job {short}: {line}")
                if job_outcome(status) != "running":
                    break
                if self.clock() + self.poll_interval > deadline:
                    print_error(
                        self.err,
                        f"backup job {short} is still {status} after {self.timeout:g}s; it keeps running in Azure",
                        hint=f"check it later: GET {path}",
                    )
                    return EXIT_FAILED
                self.sleep(self.poll_interval)
        return self._report(props, status, short, path)

    @staticmethod
    def _subtasks(props: Mapping[str, Any]) -> str:
        tasks = _map(props.get("extendedInfo")).get("subTasks")
        texts = [
            f"{t.get('taskName')}: {t.get('taskStatus')}"
            for t in tasks or []
            if isinstance(t, Mapping) and t.get("taskName")
        ]
        return f" ({', '.join(texts)})" if texts else ""

    def _report(self, props: Mapping[str, Any], status: str, short: str, path: str) -> int:
        duration = props.get("duration")
        if job_outcome(status) == "completed":
            extended = _map(props.get("extendedInfo"))
            point = _map(extended.get("targetRecoverPoint"))
            text = Text(f"Backup {status}", style="bold green")
            text += Text(f" in {duration}" if duration else "")
            if point.get("recoveryPointID"):
                text += Text(f": recovery point {point['recoveryPointID']}")
                # Azure sends 0001-01-01T00:00:00Z here (19/19 recorded completed backups): no time, not printed.
                if point.get("recoveryPointTime") and not str(point["recoveryPointTime"]).startswith("0001-"):
                    text += Text(f" at {point['recoveryPointTime']}")
            self.out.print(text)
            for line in error_lines(extended.get("warningDetails")):
                self.out.print(Text(f"warning: {line}", style="yellow"))
            return EXIT_OK
        lines = error_lines(props.get("errorDetails")) or ["Azure returned no error details"]
        print_error(self.err, f"backup job {short} {status}" + (f" after {duration}" if duration else ""))
        for line in lines:
            self.err.print(Text(f"  {line}"))
        self.err.print(Text(f"  job: GET {path}"))
        return EXIT_FAILED


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Resolve the target, then trigger and follow the backup."""
    instance, client = instance_target(args, err)
    runner = BackupRun(client, out, err, timeout=args.timeout, poll_interval=args.poll_interval)
    return runner.run(instance, args.rule, args.retention_tag)
