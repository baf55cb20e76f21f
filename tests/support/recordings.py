"""Every recorded Microsoft.DataProtection exchange in ``../shared/reference/recordings`` (the corpus included), read
once per session, so that tests take Azure's values from the recordings instead of a copy of them.

YAML cassettes (vcrpy) and the transcribed SDK recordings (JSON with ``Entries``) are both read; ``where`` names the
file and the interaction index, the evidence a failing assertion should cite.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.support.spec import SHARED_DIR

RECORDINGS = SHARED_DIR / "reference" / "recordings"


@dataclass(frozen=True)
class Exchange:
    """One recorded request and Azure's answer (bodies parsed as JSON when they are JSON)."""

    file: str
    index: int
    method: str
    path: str
    api_version: str | None
    status: int
    request: Any
    body: Any

    @property
    def where(self) -> str:
        return f"{self.file} #{self.index}"


def _json(text: Any) -> Any:
    if not isinstance(text, str) or not text:
        return text or None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _exchange(file: str, index: int, method: str, uri: str, status: int, request: Any, body: Any) -> Exchange:
    parts = urlsplit(uri)
    version = dict(parse_qsl(parts.query)).get("api-version")
    return Exchange(file, index, method.upper(), parts.path, version, status, request, body)


def _read(path: Path) -> Iterator[Exchange]:
    name = str(path.relative_to(RECORDINGS))
    if path.suffix == ".yaml":
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for i, item in enumerate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader)["interactions"]):
            req, res = item["request"], item["response"]
            body = _json(res["body"]["string"])
            yield _exchange(
                name, i, req["method"], req["uri"], int(res["status"]["code"]), _json(req.get("body")), body
            )
    else:
        for i, entry in enumerate(json.loads(path.read_text(encoding="utf-8")).get("Entries", [])):
            yield _exchange(
                name,
                i,
                entry["RequestMethod"],
                entry["RequestUri"],
                int(entry["StatusCode"]),
                entry.get("RequestBody"),
                entry.get("ResponseBody"),
            )


@functools.cache
def exchanges() -> tuple[Exchange, ...]:
    """All recorded Microsoft.DataProtection exchanges, in file order."""
    if not RECORDINGS.is_dir():
        raise FileNotFoundError(f"{RECORDINGS} is missing: the tests read Azure's recordings from ../shared")
    files = sorted([*RECORDINGS.rglob("*.yaml"), *RECORDINGS.rglob("*.json")])
    return tuple(x for f in files for x in _read(f) if "/providers/microsoft.dataprotection/" in x.path.lower())


def resources(body: Any) -> Iterator[dict[str, Any]]:
    """The resources in a body: the body itself, or each item of a list's ``value``."""
    if isinstance(body, dict):
        if isinstance(body.get("value"), list):
            yield from (item for item in body["value"] if isinstance(item, dict))
        else:
            yield body


def answers(kind: str, *, method: str = "GET") -> Iterator[tuple[Exchange, dict[str, Any]]]:
    """``(exchange, resource)`` for every successful answer whose path's last collection is ``kind`` (e.g.
    ``backupJobs``; a get of one item and a list both count)."""
    for x in exchanges():
        segments = x.path.rstrip("/").lower().split("/")
        if x.method != method or x.status >= 300 or kind.lower() not in segments[-2:]:
            continue
        for item in resources(x.body):
            yield x, item
