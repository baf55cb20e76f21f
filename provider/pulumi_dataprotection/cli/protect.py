"""``protect suspend|stop|resume``: change a backup instance's protection outside a Pulumi program (suspendBackups,
stopProtection, and resumeBackups or resumeProtection, whichever undoes the instance's state), wait for Azure, and
print the state before and after. An instance a stack manages keeps its ``protection`` input: the command says what
to set so the stack's next `up` does not undo the change.

Target: as ``backup-now`` (``--endpoint``/``--token-file``/``--ca-bundle``, the ``DATAPROTECTION_*`` variables, else
Azure with DefaultAzureCredential).
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from pulumi_dataprotection.arm import ArmClient, ResourceId
from pulumi_dataprotection.cli.backup_now import add_instance_target_options, instance_target
from pulumi_dataprotection.cli.common import EXIT_FAILED, EXIT_OK, CliError
from pulumi_dataprotection.instance import states
from pulumi_dataprotection.instance.schema import protection_of

DEFAULT_TIMEOUT = 1800.0
DEFAULT_POLL_INTERVAL = 5.0
_WANTED = {"suspend": "suspended", "stop": "stopped", "resume": "configured"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``protect`` command."""
    parser = commands.add_parser(
        "protect",
        help="suspend, stop or resume a backup instance's protection",
        description=(
            "suspend: suspendBackups (no new recovery points; the existing ones are kept as the policy says, the "
            "newest for ever). stop: stopProtection (no new recovery points; all are kept for ever). resume: "
            "resumeBackups after a suspend, resumeProtection after a stop. A stack that manages the instance "
            "resumes or suspends it again at its next `up` unless its protection input says the same."
        ),
    )
    parser.add_argument("action", choices=sorted(_WANTED), help="what to do")
    parser.add_argument("--instance", required=True, metavar="ID", help="ARM id of the backup instance")
    add_instance_target_options(
        parser,
        timeout=DEFAULT_TIMEOUT,
        timeout_help="give up waiting for Azure after this long (default {:g})",
        poll_interval=DEFAULT_POLL_INTERVAL,
        poll_help="seconds between operation status checks (default {:g})",
    )
    parser.set_defaults(run=run)


def _state(client: ArmClient, instance: ResourceId) -> str:
    body = client.get(instance.path, operation="read backup instance", resource=str(instance))
    if body is None:
        raise CliError(
            f"the backup instance {instance} does not exist",
            hint="check the id (the BackupInstance's arm_id output) and that you are signed in to the right tenant",
            exit_code=EXIT_FAILED,
        )
    return str((body.get("properties") or {}).get("currentProtectionState") or "unknown")


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Send the action that takes the instance to the protection asked for (nothing when it is there already)."""
    instance, client = instance_target(args, err)
    wanted = _WANTED[args.action]
    before = _state(client, instance)
    current = protection_of(before)
    if current == wanted:
        out.print(f"{instance.name}: {before}, already {wanted}; nothing sent")
        return EXIT_OK
    if current is None:
        raise CliError(f"{instance.name} is {before}: its protection cannot be changed", exit_code=EXIT_FAILED)
    action = states.RESUMES[current] if wanted == "configured" else states.ACTIONS[wanted]
    with out.status(f"{action}...", spinner="dots"):
        client.execute("POST", instance.action(action), operation=action, resource=str(instance), timeout=args.timeout)
    after = _state(client, instance)
    out.print(Text(f"{instance.name}: {before} -> {after} ({action})"))
    err.print(
        f"note: if a Pulumi stack manages this instance, set protection={wanted!r} on it: otherwise its next "
        f"`pulumi refresh` shows this as drift and `pulumi up` puts back the program's protection"
    )
    return EXIT_OK
