"""``python -m bench.checks [N]``: the provider's own cost of a no-change preview, without the Pulumi engine.

Creates 1 vault, 2 AKS policies and N backup instances (default 40) through the provider methods against an
in-process emulator, then answers, in a fresh interpreter that has imported only ``pulumi.dynamic`` (what the
dynamic-provider host imports anyway), what a no-change preview asks of the provider: import the resource modules,
``configure``, then ``check`` (with old inputs) and ``diff`` of every resource. Prints CPU seconds of the imports
and of the calls, Python function calls per resource (a figure a loaded machine does not disturb), the requests
the calls sent and the heavy modules they imported.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest

from pulumi_dataprotection.dynamic import program
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import checked, instance_inputs, policy_inputs, vault_inputs

HEAVY = ("requests", "urllib3", "pydantic", "azure.identity", "azure.core", "msal", "cryptography")

MEASURE = """
import cProfile, importlib, json, pickle, pstats, resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
import pulumi.dynamic
from pulumi.dynamic import Config, ConfigureRequest
config, rows = pickle.load(open(sys.argv[1], "rb"))
started = cpu()
providers = {}
for module, name, *_ in rows:
    providers.setdefault((module, name), getattr(importlib.import_module(module), name)())
next(iter(providers.values())).configure(ConfigureRequest(Config(config, "bench")))
imported = cpu()
def preview():
    for module, name, id_, news, inputs, outputs in rows:
        provider = providers[(module, name)]
        result = provider.check(inputs, {**news, "__provider": "p"})
        assert not result.failures and not provider.diff(id_, outputs, result.inputs).changes
preview()
answered = cpu()
profile = cProfile.Profile()
profile.runcall(preview)
print(json.dumps({
    "import_and_configure_cpu_s": round(imported - started, 3),
    "first_checks_and_diffs_cpu_s": round(answered - imported, 3),
    "function_calls_per_resource": round(pstats.Stats(profile).total_calls / len(rows)),
    "heavy_modules": sorted(m for m in %r if m in sys.modules),
}))
"""


def state(handle: EmulatorHandle, instances: int, dump: Path) -> int:
    """Create the estate in ``handle``, write (stack config, rows) to ``dump``; return the number of resources."""
    VaultProvider().configure(ConfigureRequest(Config(stack_config(handle), "bench")))
    rows: list[tuple[str, str, str, dict[str, Any], dict[str, Any], dict[str, Any]]] = []

    def make(provider: Any, news: dict[str, Any]) -> dict[str, Any]:
        inputs = checked(provider, news)
        created = provider.create(inputs)
        rows.append((type(provider).__module__, type(provider).__name__, created.id, news, inputs, created.outs))
        return dict(created.outs)

    vault = make(VaultProvider(), vault_inputs())["arm_id"]
    policies = [make(PolicyProvider(), policy_inputs(vault, name=f"policy-{i}"))["arm_id"] for i in range(2)]
    for i in range(instances):
        make(InstanceProvider(), instance_inputs(vault, policies[i % 2], name=f"bi-{i}", cluster=f"aks-{i}"))
    program.forget()
    with dump.open("wb") as out:
        pickle.dump((stack_config(handle), rows), out)
    return len(rows)


def main() -> None:
    instances = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    handle = start_emulator(in_process=True, lro_seconds=0.02, retry_after=0)
    try:
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / "state.pickle"
            resources = state(handle, instances, dump)
            mark = len(handle.request_log())
            done = subprocess.run(
                [sys.executable, "-c", MEASURE % (HEAVY,), str(dump)], capture_output=True, text=True, check=True
            )
            requests = len(handle.request_log()) - mark
    finally:
        handle.stop()
    figures = json.loads(done.stdout)
    figures["resources"] = resources
    figures["requests"] = requests
    figures["calls_cpu_ms_per_resource"] = round(figures["first_checks_and_diffs_cpu_s"] * 1000 / resources, 2)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
