"""The critical-path lower bound of ``pulumi up`` creating V vaults, 2 policies per vault and N instances.

What the emulator does (provider/pulumi_dataprotection/emulator), with L = ``--lro-seconds``:

- vault PUT: a long-running operation that ends L after the request; vaults are created 4 at a time;
- policy PUT: synchronous (no operation);
- instance create, as the BackupInstance resource promises it (validated, written, protected):
  ``validateForBackup`` is an operation of L, the instance PUT an operation of L, and protection is configured
  L after the PUT's operation ended (``ready_at = end + L``): at least 3L from the first request;
- service rule: an instance PUT is refused (409) while another instance operation of the same vault runs, so the
  PUT operations of one vault do not overlap;
- engine: the dynamic-provider process serves 4 calls at a time (``ThreadPoolExecutor(max_workers=4)`` in
  ``pulumi.dynamic``), and one instance's create call lasts at least 3L.

So, with n = ceil(N / V) instances in the busiest vault:

    bound = ceil(V / 4) * L + max( ceil(N / 4) * 3L ,  (n + 2) * L )
            vaults                 engine slots        service chain: first validate, n serialized PUTs,
                                                                      last protection

The bound ignores request latency, polling granularity and the engine's own fixed cost (measured separately by
the no-op stack): it is what a perfect client could not beat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ENGINE_SLOTS = 4
FORMULA = "ceil(V/4)*L + max(ceil(N/4)*3L, (ceil(N/V)+2)*L)"


@dataclass(frozen=True)
class Bound:
    """The bound and its two terms, in seconds."""

    seconds: float
    engine_term: float
    service_term: float
    vault_term: float

    @property
    def limited_by(self) -> str:
        """Which term decides the bound."""
        return "engine" if self.engine_term >= self.service_term else "service"


def create_bound(instances: int, vaults: int, lro: float) -> Bound:
    """The critical-path bound of creating the benchmark stack (see the module docstring)."""
    if vaults < 1 or instances < 0:
        raise ValueError("need at least one vault and a non-negative instance count")
    vault = math.ceil(vaults / ENGINE_SLOTS) * lro
    if instances == 0:
        return Bound(vault, 0.0, 0.0, vault)
    per_vault = math.ceil(instances / vaults)
    engine = math.ceil(instances / ENGINE_SLOTS) * 3 * lro
    service = (per_vault + 2) * lro
    return Bound(vault + max(engine, service), engine, service, vault)
