"""The program `import` writes never turns Azure's text into code: names, tags, ids and messages (quotes, triple
quotes, backslashes, newlines, comment and markup characters) stay values, so the program parses to exactly the
expected statements; comments are single lines. Property-based over arbitrary text."""

from __future__ import annotations

import ast
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_dataprotection.cli.import_estate import VaultEstate, render_program, report_of
from pulumi_dataprotection.cli.program_source import checked_call, comment
from pulumi_dataprotection.lookups import InstanceInfo, PolicyInfo, VaultInfo

VAULT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v"
INJECTED = 'p""" if __import__("os").system("touch pwned") else """p'


def _estate(
    *,
    vault: str = "v",
    policy: str = "p",
    instance: str = "i",
    tags: dict[str, str] | None = None,
    message: str = "m",
    ids: str = VAULT,
) -> VaultEstate:
    vault_inputs: dict[str, Any] = {"name": vault, "resource_group_name": "rg", "location": "westeurope"}
    if tags is not None:
        vault_inputs["tags"] = tags
    policy_id = f"{ids}/backupPolicies/{policy}"
    return VaultEstate(
        VaultInfo(ids, vault, vault_inputs, {}),
        [PolicyInfo(policy_id, policy, {"name": policy, "vault_id": ids, "policy_rules": [{"name": message}]}, {})],
        [
            InstanceInfo(
                f"{ids}/backupInstances/{instance}",
                instance,
                {"name": instance, "vault_id": ids, "policy_id": f"{ids}/backupPolicies/other", "tags": tags or {}},
                {},
                protection_state="ProtectionError",
                protection_error={"code": message, "message": message},
            )
        ],
        [],
    )


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return ("ref", node.value.id, node.attr)
    return ast.literal_eval(node)


def _statements(program: str) -> list[Any]:
    """The program's statements in a comparable form (raises on anything else)."""
    out: list[Any] = []
    for stmt in ast.parse(program).body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            out.append(("doc", stmt.value.value))
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            out.append(("import", ast.unparse(stmt)))
        elif isinstance(stmt, ast.Assign):
            (target,) = stmt.targets
            call = stmt.value
            assert isinstance(target, ast.Name) and isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            kwargs = {k.arg: _value(k.value) for k in call.keywords}
            out.append((call.func.id, target.id, [_value(a) for a in call.args], kwargs))
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            assert ast.unparse(stmt.value.func) == "pulumi.export"
            key, value = stmt.value.args
            states = (
                {ast.literal_eval(k): _value(v) for k, v in zip(value.keys, value.values, strict=True) if k}
                if (isinstance(value, ast.Dict))
                else _value(value)
            )
            out.append(("export", ast.literal_eval(key), states))
        else:
            raise AssertionError(f"unexpected statement {ast.dump(stmt)}")
    return out


def _canonical(found: list[Any]) -> list[Any]:
    """Variables (derived identifiers) renamed to ``<class>#<n>`` in order, in assignments and references."""
    names = {f[1]: f"{f[0]}#{n}" for n, f in enumerate(f for f in found if f[0].startswith("Backup"))}

    def fix(value: Any) -> Any:
        if isinstance(value, tuple) and value[:1] == ("ref",):
            return ("ref", names[value[1]], value[2])
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    return [(f[0], names[f[1]], *map(fix, f[2:])) if f[1] in names else (f[0], *map(fix, f[1:])) for f in found]


def _expected(estate: VaultEstate, doc: str) -> list[Any]:
    vault, (policy,), (instance,) = estate.vault, estate.policies, estate.instances
    adopt = {"adopt_existing": True, "on_delete": "Retain"}
    vault_ref = ("ref", "BackupVault#0", "arm_id")
    return [
        ("doc", doc),
        ("import", "import pulumi"),
        ("import", "from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault"),
        ("BackupVault", "BackupVault#0", [vault.name], {**vault.inputs, **adopt}),
        ("BackupPolicy", "BackupPolicy#1", [policy.name], {**policy.inputs, "vault_id": vault_ref, **adopt}),
        ("BackupInstance", "BackupInstance#2", [instance.name], {**instance.inputs, "vault_id": vault_ref, **adopt}),
        ("export", "vault_id", vault_ref),
        ("export", "instances", {instance.name: ("ref", "BackupInstance#2", "protection_state")}),
    ]


def _check(estate: VaultEstate) -> str:
    report = report_of([estate])
    _statements(render_program([estate], "Retain", report))  # refused resources are comments: it still parses
    report.refusals.clear()  # these estates are not complete programs; what is refused is tested in test_import
    program = render_program([estate], "Retain", report)
    found = _statements(program)
    doc = found[0][1]
    assert all(line in doc for line in report.lines())
    assert _canonical(found) == _expected(estate, doc)
    return program


def test_a_policy_name_cannot_turn_the_docstring_into_code() -> None:
    program = _check(_estate(policy=INJECTED))
    assert "__import__" not in {getattr(n, "id", None) for n in ast.walk(ast.parse(program))}
    assert INJECTED in ast.get_docstring(ast.parse(program), clean=False)  # type: ignore[operator]


def test_a_protection_error_message_cannot_leave_its_comment() -> None:
    message = "failed\nimport os; os.system('touch pwned')\r\u2028#"
    program = _check(_estate(message=message))
    (line,) = [x for x in program.splitlines() if x.startswith("# in ProtectionError")]
    assert line == comment(f"in ProtectionError: {message}: {message}")
    assert "\\nimport os" in line and "\\u2028" in line


TEXT = st.text(min_size=1, max_size=40)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    vault=TEXT,
    policy=TEXT,
    instance=TEXT,
    message=st.text(max_size=60),
    tags=st.dictionaries(TEXT, st.text(max_size=40), max_size=3),
    ids=TEXT,
)
def test_the_program_is_exactly_the_expected_statements_whatever_the_text(
    vault: str, policy: str, instance: str, message: str, tags: dict[str, str], ids: str
) -> None:
    _check(_estate(vault=vault, policy=policy, instance=instance, tags=tags, message=message, ids=ids))


@given(st.text())
def test_a_comment_is_one_printable_line(text: str) -> None:
    line = comment(text)
    assert len(line.splitlines()) == 1 and line.isprintable()
    tokens = list(ast.parse(line + "\nx = 1").body)
    assert len(tokens) == 1


def test_only_builder_calls_of_literals_are_accepted() -> None:
    allowed = {"build_policy", "Retention", "Schedule"}
    assert checked_call("build_policy('aks', retention=Retention(keep_for='P7D'))", allowed) is not None
    assert checked_call("build_policy(__import__('os'))", allowed) is None
    assert checked_call("build_policy(x.y.z)", allowed) is None
    assert checked_call("build_policy('a' + 'b')", allowed) is None
