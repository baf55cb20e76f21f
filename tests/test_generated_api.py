"""The typed public API is generated from the schemas (tools/gen_api.py) into one file per resource, ``api.py``: the
committed files match what the generator writes, a schema change shows up in them, the hand-written ``resource.py``
holds only the provider, and the generated classes declare every input and output in a form the Pulumi SDK accepts
at runtime."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any, get_args, is_typeddict

import pulumi
import pytest
from pulumi import _types

from pulumi_dataprotection.dynamic import COMMON_OUTPUTS, SchemaProvider, extend
from pulumi_dataprotection.schema import EnumType, Field, ListType, ObjectType, StringType
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.support.tools import load_tool

REPO = Path(__file__).resolve().parents[1]


GEN = load_tool("gen_api")


def api_module(provider: type[SchemaProvider]) -> str:
    """The generated module of ``provider``'s resource."""
    return provider.__module__.rsplit(".", 1)[0] + ".api"


def resource_class(provider: type[SchemaProvider]) -> type[pulumi.dynamic.Resource]:
    module = importlib.import_module(api_module(provider))
    cls: type[pulumi.dynamic.Resource] = getattr(module, provider.title)
    return cls


def test_generated_files_are_up_to_date() -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, text in GEN.generate().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert not stale, f"generated files are out of date: {stale}; run `{GEN.COMMAND}`"


def test_a_schema_change_shows_in_the_generated_api(monkeypatch: pytest.MonkeyPatch) -> None:
    knob = Field(
        name="backup_window", type=EnumType(["Night", "Day"], aliases={"N": "Night"}), doc="When backups may run."
    )
    hooks = ObjectType(
        [Field(name="hook_name", type=StringType(), path="name", doc="Name of the hook.", required=True)],
        description="a vault hook",
    )
    extended = extend(VaultProvider.schema, [knob, Field(name="hooks", type=ListType(hooks), doc="Hooks.")])
    monkeypatch.setattr(VaultProvider, "schema", extended)
    files = GEN.generate()
    api = files[REPO / "provider/pulumi_dataprotection/vault/api.py"]
    assert 'BackupWindow = Literal["Night", "Day"]' in api
    assert 'BackupWindowInput: TypeAlias = BackupWindow | Literal["N"]' in api
    assert "class VaultHookArgs(TypedDict):" in api and "hook_name: pulumi.Input[str]" in api
    assert "backup_window: pulumi.Input[BackupWindowInput] | None = None," in api
    assert "hooks: pulumi.Input[Sequence[pulumi.Input[VaultHookArgs]]] | None = None," in api
    assert "backup_window: pulumi.Output[BackupWindow | None]" in api
    assert ":param backup_window: When backups may run." in api
    monkeypatch.undo()
    assert GEN.main(["--check"]) == 0
    monkeypatch.setattr(VaultProvider, "schema", extended)
    assert GEN.main(["--check"]) == 1


@pytest.mark.parametrize("provider", GEN.PROVIDERS, ids=lambda p: p.title)
def test_the_hand_written_module_holds_the_provider_and_nothing_generated(provider: type[SchemaProvider]) -> None:
    """Pulumi pickles the provider by module and class name into every stack's state: it stays where it was."""
    module = importlib.import_module(provider.__module__)
    assert provider.__module__.endswith(".resource") and getattr(module, provider.__name__) is provider
    assert not hasattr(module, provider.title), f"{provider.title} belongs in {api_module(provider)}"
    assert "tools/gen_api.py" not in inspect.getsource(module)


@pytest.mark.parametrize("provider", GEN.PROVIDERS, ids=lambda p: p.title)
def test_classes_declare_every_input_and_output(provider: type[SchemaProvider]) -> None:
    cls = resource_class(provider)
    assert cls.__module__ == api_module(provider)
    signature = inspect.signature(cls.__init__)
    params = [p for p in signature.parameters if p not in ("self", "resource_name", "opts")]
    assert sorted(params) == sorted(provider.input_names())
    assert all(signature.parameters[p].kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    declared = set(inspect.get_annotations(cls)) | set(COMMON_OUTPUTS)
    assert declared == {*provider.input_names(), *provider.output_names()}
    doc = cls.__init__.__doc__ or ""
    for f in provider.schema.root.input_leaves:
        assert f":param {f.name}:" in doc
        assert " ".join(f.doc.split()[:4]) in " ".join(doc.split()), f.name


@pytest.mark.parametrize("provider", GEN.PROVIDERS, ids=lambda p: p.title)
def test_runtime_annotations_are_ones_pulumi_converts_outputs_by(provider: type[SchemaProvider]) -> None:
    """Pulumi resolves the class annotations when outputs arrive and rejects TypedDicts there."""
    types = _types.resource_types(resource_class(provider))

    def walk(typ: Any) -> None:
        assert not is_typeddict(typ), typ
        for arg in get_args(typ):
            walk(arg)

    for typ in types.values():
        walk(typ)
    if provider is VaultProvider:
        assert types["soft_delete_retention_days"] is int
