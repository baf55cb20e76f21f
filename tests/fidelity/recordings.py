"""Loader: every recorded Microsoft.DataProtection exchange under ../shared/reference/recordings, in recorded order.

Two formats: vcrpy YAML cassettes (the az CLI's tests, ``date`` response header kept) and the JSON transcriptions
of the JavaScript and .NET SDK recordings (``{"Entries": [...]}``, no dates). Each file becomes a `Recording` whose
`source` is the folder it came from (the figure of the fidelity table is given per source).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.support.spec import REPO_ROOT

RECORDINGS = REPO_ROOT.parent / "shared" / "reference" / "recordings"
HOST = "https://management.azure.com"
NAMESPACE = "/providers/microsoft.dataprotection"
# The JavaScript recordings sanitised the subscription of some URLs to this placeholder: those of the get, list and
# delete tests, recorded on 2023-02-06 in a session of their own (the create test's answers, 8888..., are from
# 2023-02-10), so it stands for a subscription of its own; ARM takes only GUIDs.
_JS_PLACEHOLDER = ("azure_subscription_id", "99999999-9999-9999-9999-999999999999")

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is missing
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Exchange:
    """One recorded request and Azure's answer (header names lower-cased; bodies parsed when JSON)."""

    index: int
    method: str
    path: str
    query: dict[str, str]
    request_body: Any
    status: int
    headers: dict[str, str]
    body: Any
    time: float | None

    @property
    def api_version(self) -> str:
        return self.query.get("api-version", "")

    @property
    def is_dataprotection(self) -> bool:
        return NAMESPACE in self.path.lower()


@dataclass(frozen=True)
class Recording:
    """The exchanges of one file; ``source`` is its folder relative to the recordings root."""

    source: str
    name: str
    exchanges: tuple[Exchange, ...]

    @property
    def dataprotection(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.is_dataprotection]


def _parse(text: Any) -> Any:
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _exchange(index: int, method: str, uri: str, req: Any, status: int, headers: dict[str, str], body: Any) -> Exchange:
    uri = uri.replace(*_JS_PLACEHOLDER)
    parts = urlsplit(uri)
    date = headers.get("date")
    return Exchange(
        index=index,
        method=method.upper(),
        path=parts.path,
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        request_body=_parse(req),
        status=status,
        headers={k: v.replace(*_JS_PLACEHOLDER) for k, v in headers.items()},
        body=_parse(body.replace(*_JS_PLACEHOLDER) if isinstance(body, str) else body),
        time=parsedate_to_datetime(date).timestamp() if date else None,
    )


def _load_yaml(path: Path) -> list[Exchange]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    out = []
    for i, item in enumerate(data["interactions"]):
        request, response = item["request"], item["response"]
        if not request["uri"].startswith(HOST + "/"):
            continue
        headers = {k.lower(): v[0] for k, v in (response.get("headers") or {}).items() if v}
        body = (response.get("body") or {}).get("string") or ""
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        out.append(
            _exchange(
                i, request["method"], request["uri"], request.get("body"), response["status"]["code"], headers, body
            )
        )
    return out


def _load_json(path: Path) -> list[Exchange]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, e in enumerate(data["Entries"]):
        headers = {k.lower(): str(v) for k, v in (e.get("ResponseHeaders") or {}).items()}
        body = e.get("ResponseBody")
        out.append(
            _exchange(
                i,
                e["RequestMethod"],
                e["RequestUri"],
                e.get("RequestBody"),
                int(e["StatusCode"]),
                headers,
                json.dumps(body) if body is not None else "",
            )
        )
    return out


@cache
def load_all() -> tuple[Recording, ...]:
    """Every recording (YAML cassettes and JSON transcriptions), sorted by path."""
    out = []
    for path in sorted(RECORDINGS.rglob("*")):
        if path.suffix == ".yaml":
            exchanges = _load_yaml(path)
        elif path.suffix == ".json" and path.name.startswith(("js_", "net_")):
            exchanges = _load_json(path)
        else:
            continue
        rel = path.relative_to(RECORDINGS)
        out.append(Recording(str(rel.parent), rel.name, tuple(exchanges)))
    return tuple(out)
