"""Judge a run's figures against the targets of the benchmark and render them as a Markdown summary."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

STATE_LIMIT_BYTES = 6 * 1024
COLD_START_LIMIT_S = 0.4
S1_LIMIT = 1.15
S2_LIMIT = 1.1
S2_SMALL_LIMIT = 1.15
SMALL_STACK = 4
"""Resources of the small S2 stack (1 vault, 2 policies, 1 instance), whose target is ``S2_SMALL_LIMIT``."""


def _target(name: str, goal: str, measured: str, met: bool | None, note: str = "") -> dict[str, Any]:
    return {"target": name, "goal": goal, "measured": measured, "met": met, "note": note}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with what was measured and whether it is met (None when the figure is missing)."""
    out: list[dict[str, Any]] = []
    settings = results["settings"]
    head = settings["headline"]
    s1 = results.get("s1_create", {})
    row = next(
        (r for r in s1.get("runs", []) if (r["instances"], r["vaults"]) == (head["instances"], head["vaults"])),
        None,
    )
    name = f"S1 create, N={head['instances']} over {head['vaults']} vaults"
    if row:
        ratio = row["ratio"]
        out.append(
            _target(
                name,
                f"<= {S1_LIMIT} x bound",
                f"{ratio} x ({row['wall_s']} s / {row['bound_s']} s)",
                ratio <= S1_LIMIT,
                _miss(ratio, S1_LIMIT, "x bound"),
            )
        )
    elif "s1" in settings.get("scenarios", ["s1"]):
        out.append(_target(name, f"<= {S1_LIMIT} x bound", "not measured", None))
    for run in results.get("s2_no_change", {}).get("runs", []):
        size = run["size"]
        limit = S2_LIMIT if size["resources"] > SMALL_STACK else S2_SMALL_LIMIT
        label = f"{size['resources']} resources"
        for command in ("preview", "up"):
            figures = run.get(command)
            if not figures:
                continue
            out.append(
                _target(
                    f"S2 no-change {command} ({label}): writes", "0", str(figures["writes"]), figures["writes"] == 0
                )
            )
            out.append(
                _target(
                    f"S2 no-change {command} ({label}): wall time",
                    f"<= {limit} x no-op stack",
                    f"{figures['ratio']} x ({figures['real_median_s']} s / {figures['noop_median_s']} s)",
                    figures["ratio"] <= limit,
                    _miss(figures["ratio"], limit, "x no-op"),
                )
            )
    for run in results.get("scale", {}).get("runs", []):
        preview = run.get("no_change_preview")
        if preview:
            requests = preview["requests"]["total"]
            out.append(
                _target(
                    f"scale {run['instances']} instances over {run['vaults']} vaults: no-change preview requests",
                    "0",
                    str(requests),
                    requests == 0,
                )
            )
    for comparison in results.get("s3_peer", {}).get("comparisons", []):
        sdk = comparison["sdk"]
        label = _polling(sdk)
        ratio = comparison["ratio_ours_to_sdk"]
        out.append(
            _target(
                f"S3 vs SDK ({label}), N={comparison['instances']} over {comparison['vaults']} vaults",
                "ours faster (ratio < 1)",
                f"{ratio} ({comparison['ours']['total_s']} s / {sdk['total_s']} s)",
                ratio < 1,
            )
        )
    s4 = results.get("s4_per_operation", {})
    if s4.get("lro"):
        polls_goal, notice_goal = s4["polls_target"], s4["notice_target_s"]
        for stats in s4["lro"]:
            most = stats["polls"]["max"]
            out.append(
                _target(f"polls per LRO: {stats['action']}", f"<= {polls_goal}", f"max {most}", most <= polls_goal)
            )
            delay = stats["notice_delay_s"]["max"]
            if delay is not None:
                out.append(
                    _target(
                        f"completion -> noticed: {stats['action']}",
                        f"<= {notice_goal} s",
                        f"max {delay} s (mean {stats['notice_delay_s']['mean']} s)",
                        delay <= notice_goal,
                        _miss(delay, notice_goal, "s"),
                    )
                )
        protection = s4.get("protection_notice_s", {})
        if protection.get("max") is not None:
            out.append(
                _target(
                    "ProtectionConfigured -> noticed",
                    f"<= {notice_goal} s",
                    f"max {protection['max']} s (mean {protection['mean']} s)",
                    protection["max"] <= notice_goal,
                    _miss(protection["max"], notice_goal, "s"),
                )
            )
    cold = s4.get("cold_start")
    if cold:
        total = cold["host_plus_provider_import_s"]
        out.append(
            _target(
                "cold start: import what a CRUD call needs",
                f"<= {COLD_START_LIMIT_S} s",
                f"{total} s (host {cold['host_import_s']} s + ours {cold['provider_import_after_host_s']} s)",
                total <= COLD_START_LIMIT_S,
            )
        )
    for rtype, sizes in (s4.get("state") or {}).items():
        most = sizes["max_bytes"]
        out.append(
            _target(
                f"state per resource: {rtype}",
                f"<= {STATE_LIMIT_BYTES} B",
                f"max {most} B (mean {sizes['mean_bytes']} B)",
                most <= STATE_LIMIT_BYTES,
                _miss(most, STATE_LIMIT_BYTES, "B"),
            )
        )
    return out


def _cpu(figures: dict[str, Any]) -> str:
    return " / ".join(str(figures.get(f"{p}_cpu_s")) for p in ("provider", "program", "engine"))


def _config(config: dict[str, Any] | None) -> str:
    if not config:
        return "defaults"
    return ", ".join(f"`{k.removeprefix('dataprotection:')}={v}`" for k, v in config.items())


def _polling(sdk: dict[str, Any]) -> str:
    if sdk["polling_interval_is_default"]:
        return f"default pollers, polling_interval {sdk['polling_interval_s']} s"
    return f"polling_interval={sdk['polling_interval_s']} s"


def _miss(value: float, limit: float, unit: str) -> str:
    if value <= limit:
        return ""
    return f"over by {round(value - limit, 3)} {unit} ({round(100 * (value - limit) / limit)} %)"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return lines


def markdown(results: dict[str, Any]) -> str:
    """The Markdown summary of one run."""
    m, st = results["machine"], results["settings"]
    lines = [
        f"# Benchmark results {results['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']}, "
        f"Pulumi {m['pulumi']}; commit {m['commit']}{' + uncommitted changes' if m['uncommitted_changes'] else ''} "
        f"(provider snapshot {m.get('provider_snapshot_sha256')}); "
        f"load average {m['load_average_at_start']} at start, {m.get('load_average_at_end')} at end.",
        f"Emulator: L = {st['lro_seconds']} s per long-running operation, Retry-After R = "
        f"{st['retry_after_seconds']} s. Provider configuration: {st['provider_config']}. "
        f"Whole run: {results.get('total_seconds')} s.",
        "",
    ]
    s1 = results.get("s1_create", {})
    lines += ["## S1 create (`pulumi up --skip-preview` on a fresh emulator)", "", f"Bound: `{s1.get('formula')}`.", ""]
    lines += _table(
        [
            "N",
            "vaults",
            "resources",
            "provider config",
            "wall s",
            "bound s",
            "ratio",
            "requests (writes)",
            "provider CPU ms/resource",
            "instance create call s",
            "vault-lock wait s",
            "creates in flight",
            "vaults in flight",
        ],
        (
            [
                r["instances"],
                r["vaults"],
                r["resources"],
                _config(r.get("config")),
                r["wall_s"],
                f"{r['bound_s']} ({r['bound_limited_by']})",
                r["ratio"],
                f"{r['requests']['total']} ({r['requests']['writes']})",
                r["provider_cpu_ms_per_resource"],
                r["instance_timelines"]["call_s"]["mean"],
                r["instance_timelines"]["lock_wait_s"]["mean"],
                r["instance_timelines"]["in_flight_mean"],
                r["instance_timelines"].get("vaults_in_flight_mean"),
            ]
            for r in [*s1.get("runs", []), *s1.get("tuned_runs", [])]
        ),
    )
    lines += [
        "",
        "Instance create call: from its first request to the last read of the instance (mean); vault-lock wait: "
        "from its validation seen done to its PUT (mean); creates in flight: mean number of instance creates "
        "running at once (the engine serves at most 4 provider calls); vaults in flight: mean number of distinct "
        "vaults among them.",
    ]
    lines += _error(s1)
    s2 = results.get("s2_no_change", {})
    lines += ["", "## S2 no change (median of the repeats)", ""]
    lines += [
        "Each command runs on our stack, on its no-op twin (same resources, names, dependencies and input shape; a "
        "provider that does nothing) and on its shape twin (a no-op provider whose resources carry our resources' "
        "property bags, inputs and outputs: what the size of our data costs the SDK and the engine), alternating. "
        "CPU seconds per process: the provider, the program, and the engine (the CLI and the language host: every "
        "process of the command minus those two).",
        "",
    ]
    lines += _table(
        [
            "stack",
            "command",
            "ours s",
            "no-op s",
            "shape twin s",
            "ours / no-op",
            "shape / no-op",
            "CPU ours / no-op",
            "CPU shape / no-op",
            "requests (writes)",
            "CPU s provider / program / engine: ours",
            "no-op",
            "shape twin",
        ],
        (
            [
                f"{r['size']['instances']}x{r['size']['vaults']} ({r['size']['resources']} resources)",
                f"`pulumi {c}`",
                r[c]["real_median_s"],
                r[c]["noop_median_s"],
                r[c]["shape_median_s"],
                r[c]["ratio"],
                r[c]["shape_ratio"],
                r[c].get("cpu_ratio"),
                r[c].get("shape_cpu_ratio"),
                f"{r[c]['requests']} ({r[c]['writes']})",
                *(_cpu(r[c]["cpu_s"][kind]) for kind in ("real", "noop", "shape")),
            ]
            for r in s2.get("runs", [])
            for c in ("preview", "up")
            if c in r
        ),
    )
    lines += _error(s2)
    s3 = results.get("s3_peer", {})
    lines += ["", "## S3 peer: sequential azure-mgmt-dataprotection script, same bodies, same emulator settings", ""]
    lines += _table(
        [
            "stack",
            "SDK polling",
            "ours create + delete s",
            "SDK create + delete s",
            "ours / SDK",
            "requests ours / SDK",
        ],
        (
            [
                f"N={c['instances']}, V={c['vaults']}",
                _polling(c["sdk"]),
                f"{c['ours']['create_s']} + {c['ours']['delete_s']} = {c['ours']['total_s']}",
                f"{c['sdk']['create_s']} + {c['sdk']['delete_s']} = {c['sdk']['total_s']}",
                c["ratio_ours_to_sdk"],
                f"{c['ours']['requests']} / {c['sdk']['requests']['total']}",
            ]
            for c in s3.get("comparisons", [])
        ),
    )
    head, tuned = s3.get("headline"), s3.get("headline_tuned") or {}
    if head:
        lines += [
            "",
            f"Headline stack (N={head['instances']}, V={head['vaults']}): ours {head['create_s']} + "
            f"{head['delete_s']} = {head['total_s']} s, {head['requests']} requests.",
        ]
    if tuned:
        lines += [
            f"With {_config(tuned.get('config'))}: ours {tuned['create_s']} + {tuned['delete_s']} = "
            f"{tuned['total_s']} s, {tuned['requests']} requests."
        ]
    if head:
        lines += [
            "The SDK script is sequential, so its time adds up step by step; extrapolated to the headline "
            "stack from the mean step times above:"
        ]
        for c in s3.get("comparisons", []):
            line = (
                f"- SDK ({_polling(c['sdk'])}): {c['sdk_extrapolated_to_headline_s']} s; ours / SDK = "
                f"{c['headline_ratio_ours_to_sdk_extrapolated']}"
            )
            if "headline_tuned_ratio_ours_to_sdk_extrapolated" in c:
                line += (
                    f"; ours with {_config(tuned.get('config'))} / SDK = "
                    f"{c['headline_tuned_ratio_ours_to_sdk_extrapolated']}"
                )
            lines.append(line)
    lines += _error(s3)
    s4 = results.get("s4_per_operation", {})
    lines += ["", "## S4 per operation (headline stack: create and destroy)", ""]
    lines += _table(
        [
            "operation",
            "count",
            "GETs per LRO mean / max",
            "status polls mean",
            "result reads mean",
            "completion -> noticed mean / max s",
        ],
        (
            [
                s["action"],
                s["operations"],
                f"{s['polls']['mean']} / {s['polls']['max']}",
                s["status_polls"]["mean"],
                s["result_reads"]["mean"],
                f"{s['notice_delay_s']['mean']} / {s['notice_delay_s']['max']}",
            ]
            for s in s4.get("lro", [])
        ),
    )
    if s4.get("protection_notice_s"):
        p = s4["protection_notice_s"]
        lines += [
            "",
            f"ProtectionConfigured -> first read that sees it: mean {p['mean']} s, max {p['max']} s "
            f"({p['n']} instances).",
        ]
    cold = s4.get("cold_start")
    if cold:
        lines += [
            "",
            f"Cold start (median of {cold['repeat']} fresh interpreters): interpreter {cold['interpreter_start_s']} s; "
            f"`import pulumi.dynamic` (the host) {cold['host_import_s']} s; our four resource modules after it "
            f"{cold['provider_import_after_host_s']} s ({cold.get('provider_import_after_host_from_source_s')} s "
            f"compiled from source); both from scratch {cold['host_plus_provider_import_s']} s; "
            "import + config + client + first GET after the host "
            f"{s4.get('first_call', {}).get('import_and_first_get_s')} s.",
            "Largest imports we add: "
            + ", ".join(f"`{i['module']}` {i['cumulative_ms']} ms" for i in s4.get("top_imports_after_host", [])),
        ]
    if s4.get("state"):
        lines += ["", "State per resource in `pulumi stack export` (compact JSON bytes):", ""]
        lines += _table(
            ["type", "count", "mean B", "max B", "largest: inputs / outputs / __provider / engine stackTrace"],
            (
                [
                    t,
                    v["count"],
                    v["mean_bytes"],
                    v["max_bytes"],
                    f"{v['largest']['inputs']} / {v['largest']['outputs']} / {v['largest']['provider_blobs']} / "
                    f"{v['largest']['engine_metadata']}",
                ]
                for t, v in s4["state"].items()
            ),
        )
    lines += _error(s4)
    scale = results.get("scale", {})
    if scale:
        lines += ["", "## Scale: no-change preview and a one-instance change", ""]
        lines += [
            f"Fresh emulator per size, L = {scale.get('lro_seconds')} s, Retry-After 0; provider configuration "
            f"{_config(scale.get('provider_config'))}. The change moves instance 0 to its vault's other policy. "
            "CPU seconds and peak resident memory (MiB) per process: provider / program / engine (the `pulumi` CLI "
            "process for memory; the CLI and the language host for CPU).",
            "",
        ]
        lines += _table(
            [
                "instances / vaults (resources)",
                "command",
                "wall s",
                "requests (writes)",
                "CPU s provider / program / engine",
                "peak RSS MiB provider / program / engine",
            ],
            (
                [
                    f"{r['instances']} / {r['vaults']} ({r['resources']})",
                    label,
                    r[key]["wall_s"],
                    f"{r[key]['requests']['total']} ({r[key]['requests']['writes']})" if "requests" in r[key] else "",
                    _cpu(r[key]),
                    " / ".join(str(r[key][f"{p}_rss_mib"]) for p in ("provider", "program", "engine")),
                ]
                for r in scale.get("runs", [])
                for key, label in (
                    ("create", "create (`up`)"),
                    ("no_change_preview", "no-change `preview`"),
                    ("noop_no_change_preview", "no-op twin: no-change `preview`"),
                    ("change_preview", "one-instance change: `preview`"),
                    ("change_up", "one-instance change: `up`"),
                )
                if key in r
            ),
        )
        lines += _error(scale)
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "goal", "measured", "met", "miss"],
        (
            [t["target"], t["goal"], t["measured"], {True: "yes", False: "**no**", None: "?"}[t["met"]], t["note"]]
            for t in results.get("targets", [])
        ),
    )
    return "\n".join(lines) + "\n"


def _error(slot: dict[str, Any]) -> list[str]:
    return ["", f"**Error:** {slot['error']}"] if slot.get("error") else []
