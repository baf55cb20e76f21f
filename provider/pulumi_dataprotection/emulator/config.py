"""Settings of one emulator run, from command-line flags and environment variables.

The token never has to be on a command line (which every user of the machine can read): it comes from
``$DP_EMULATOR_TOKEN`` or ``--token-file``; ``--token`` still works for old scripts, with a warning.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

API_VERSION = "2026-06-01"
"""The version the emulator's own links default to (the provider's)."""
API_VERSIONS = (
    "2022-11-01-preview",
    "2023-01-01",
    "2023-05-01",
    "2023-11-01",
    "2024-04-01",
    "2025-01-01",
    "2025-07-01",
    "2025-09-01",
    "2026-03-01",
    "2026-06-01",
)
"""Every api-version served: those the recorded clients sent (2022-11-01-preview to 2025-07-01), the spec's 2025-09-01,
2026-03-01 and 2026-06-01 (the provider's and azure-mgmt-dataprotection 2.2.0's default). Where versions behave
differently the rule names the version (e.g. soft delete AlwaysOn from 2025-09-01, ``vaults.ALWAYS_ON_SINCE``)."""
DEFAULT_TOKEN = "dp-emulator-token"
"""The published token of an emulator started without one: only for a loopback emulator (see `--allow-remote`)."""
ENV_TOKEN = "DP_EMULATOR_TOKEN"
ENV_FAULTS = "DP_EMULATOR_FAULTS"


@dataclass
class EmulatorConfig:
    """How one emulator runs. ``port=0`` picks a free port; ``db_path=None`` uses a fresh temporary file."""

    host: str = "127.0.0.1"
    port: int = 0
    allow_remote: bool = False
    db_path: Path | None = None
    lro_seconds: float = 3.0
    lro_profile: str = "fixed"
    retry_after: int = 1
    tls: bool = False
    cert_dir: Path | None = None
    datasources_file: Path | None = None
    token: str = DEFAULT_TOKEN
    accept_any_token: bool = False
    allow_reversible_soft_delete: bool = False
    strict_vault_writes: bool = False
    azure_job_durations: bool = False
    resource_groups: list[str] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)

    def to_args(self) -> list[str]:
        """The command-line flags that reproduce this configuration, but the token (see `to_env`)."""
        args = ["--host", self.host, "--port", str(self.port), "--lro-seconds", repr(self.lro_seconds)]
        args += ["--retry-after", str(self.retry_after), "--lro-profile", self.lro_profile]
        if self.allow_remote:
            args.append("--allow-remote")
        if self.db_path is not None:
            args += ["--db", str(self.db_path)]
        if self.tls:
            args.append("--tls")
        if self.cert_dir is not None:
            args += ["--cert-dir", str(self.cert_dir)]
        if self.datasources_file is not None:
            args += ["--datasources", str(self.datasources_file)]
        if self.accept_any_token:
            args.append("--accept-any-token")
        if self.allow_reversible_soft_delete:
            args.append("--allow-reversible-soft-delete")
        if self.strict_vault_writes:
            args.append("--strict-vault-writes")
        if self.azure_job_durations:
            args.append("--azure-job-durations")
        for group in self.resource_groups:
            args += ["--resource-group", group]
        for fault in self.faults:
            args += ["--fault", json.dumps(fault)]
        return args

    def to_env(self) -> dict[str, str]:
        """The environment variables that carry the rest of this configuration (the token)."""
        return {ENV_TOKEN: self.token}


def parser() -> argparse.ArgumentParser:
    """The command-line interface of ``python -m pulumi_dataprotection.emulator``."""
    p = argparse.ArgumentParser(
        prog="python -m pulumi_dataprotection.emulator",
        description=f"Local emulator of Azure Microsoft.DataProtection (api-versions {API_VERSIONS[0]} to "
        f"{API_VERSIONS[-1]}). "
        "Prints its base URL on stdout when it is ready.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than loopback (e.g. 0.0.0.0), reachable from other machines; needs a --token of "
        "your own, and then any Host header is answered",
    )
    p.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    p.add_argument("--db", type=Path, help="SQLite file holding the state (default: a new temporary file)")
    p.add_argument("--lro-seconds", type=float, default=3.0, help="duration of long-running operations (default 3)")
    p.add_argument(
        "--lro-profile",
        choices=("fixed", "azure"),
        default="fixed",
        help="fixed: every operation and protection setup lasts --lro-seconds; azure: each lasts as long as Azure's "
        "recorded ones (validations 35 s, protection 50 s after a create, ...)",
    )
    p.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds on LRO responses (default 1)")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed certificate")
    p.add_argument("--cert-dir", type=Path, help="where --tls writes cert.pem and key.pem (default: a temp dir)")
    p.add_argument("--datasources", type=Path, help="JSON registry of existing datasources (strict mode)")
    p.add_argument(
        "--token-file",
        type=Path,
        metavar="PATH",
        help=f"file holding the bearer token to accept (default ${ENV_TOKEN}, else the published {DEFAULT_TOKEN!r})",
    )
    p.add_argument("--token", help="deprecated: the bearer token on the command line, readable by every local user")
    p.add_argument("--accept-any-token", action="store_true", help="accept any bearer token")
    p.add_argument(
        "--allow-reversible-soft-delete",
        action="store_true",
        help="accept vaults whose soft delete is Off or On at every api-version (Azure requires AlwaysOn from "
        "2025-09-01)",
    )
    p.add_argument(
        "--strict-vault-writes",
        action="store_true",
        help="also refuse (409) instance writes in a vault while any of its instances is configuring protection",
    )
    p.add_argument(
        "--azure-job-durations",
        action="store_true",
        help="backup and restore jobs last as long as Azure's recorded ones of their kind (minutes), not two "
        "--lro-seconds periods",
    )
    p.add_argument(
        "--resource-group",
        action="append",
        default=[],
        metavar="NAME",
        help="a resource group that exists (repeatable); with any, requests under other groups get ARM's 404 "
        "ResourceGroupNotFound (default: every group exists until one is registered)",
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help=f'inject a fault, e.g. \'{{"kind": "throttle", "path": "backupVaults", "count": 1}}\'; '
        f"repeatable; ${ENV_FAULTS} may hold a JSON list of them",
    )
    return p


def from_args(argv: list[str] | None = None, env: dict[str, str] | None = None) -> EmulatorConfig:
    """Parse flags (and ``DP_EMULATOR_TOKEN`` / ``DP_EMULATOR_FAULTS``) into a configuration."""
    environ = os.environ if env is None else env
    ns = parser().parse_args(argv)
    faults: list[dict[str, Any]] = []
    if environ.get(ENV_FAULTS):
        loaded = json.loads(environ[ENV_FAULTS])
        if not isinstance(loaded, list):
            raise SystemExit(f"${ENV_FAULTS} must hold a JSON list of fault objects")
        faults.extend(loaded)
    for text in ns.fault:
        try:
            faults.append(json.loads(text))
        except ValueError as exc:
            raise SystemExit(f"--fault {text!r} is not JSON: {exc}") from exc
    return EmulatorConfig(
        host=ns.host,
        port=ns.port,
        allow_remote=ns.allow_remote,
        db_path=ns.db,
        lro_seconds=ns.lro_seconds,
        lro_profile=ns.lro_profile,
        retry_after=ns.retry_after,
        tls=ns.tls,
        cert_dir=ns.cert_dir,
        datasources_file=ns.datasources,
        token=_token(ns, environ),
        accept_any_token=ns.accept_any_token,
        azure_job_durations=ns.azure_job_durations,
        allow_reversible_soft_delete=ns.allow_reversible_soft_delete,
        strict_vault_writes=ns.strict_vault_writes,
        resource_groups=ns.resource_group,
        faults=faults,
    )


def _token(ns: argparse.Namespace, environ: Mapping[str, str]) -> str:
    """The token of ``--token-file``, else of the deprecated ``--token`` (with a warning on stderr), else
    ``$DP_EMULATOR_TOKEN``, else the published default."""
    if ns.token_file is not None and ns.token:
        raise SystemExit("--token and --token-file both give a token; keep --token-file")
    if ns.token_file is not None:
        try:
            path: Path = ns.token_file
            token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(f"cannot read --token-file {ns.token_file}: {exc.strerror or exc}") from None
        if not token:
            raise SystemExit(f"--token-file {ns.token_file} is empty")
        return token
    if ns.token:
        print(
            f"warning: --token puts the token on the command line, where every user of this machine can read it; "
            f"set ${ENV_TOKEN} or use --token-file (--token will be removed)",
            file=sys.stderr,
        )
        return str(ns.token)
    return environ.get(ENV_TOKEN) or DEFAULT_TOKEN
