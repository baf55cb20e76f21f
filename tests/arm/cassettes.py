"""Replay of the recorded Azure exchanges (vcrpy YAML cassettes in ../shared/reference/recordings).

`Replay` is a handler for `ScriptedServer` that serves the recorded responses strictly in order: each request must
match the next recorded one (method, path, same set of query keys, values equal case-insensitively, as the CLI's
matcher does), so the test proves our client issues the same sequence of calls. The recorded host
https://management.azure.com is rewritten to the replay server in headers and bodies.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from tests.arm.server import Reply, Seen

RECORDED_HOST = "https://management.azure.com"
_SKIPPED_HEADERS = frozenset({"content-length", "transfer-encoding", "content-encoding", "connection"})


@dataclass(frozen=True)
class Interaction:
    """One recorded ARM request/response; `index` is its position in the cassette file."""

    index: int
    method: str
    path: str
    query: dict[str, str]
    request_body: Any
    status: int
    headers: dict[str, str]
    body: str

    @property
    def is_list(self) -> bool:
        try:
            data = json.loads(self.body) if self.body else None
        except ValueError:
            return False
        return self.method == "GET" and isinstance(data, dict) and isinstance(data.get("value"), list)


def load_cassette(path: Path) -> list[Interaction]:
    """The ARM interactions of a cassette (other hosts, e.g. blob data-plane calls, are left out)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for index, item in enumerate(data["interactions"]):
        request, response = item["request"], item["response"]
        if not request["uri"].startswith(RECORDED_HOST + "/"):
            continue
        parts = urlsplit(request["uri"])
        raw_body = request.get("body")
        out.append(
            Interaction(
                index=index,
                method=request["method"],
                path=parts.path,
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                request_body=json.loads(raw_body) if raw_body else None,
                status=int(response["status"]["code"]),
                headers={k.lower(): v[0] for k, v in response["headers"].items() if v},
                body=response["body"]["string"] or "",
            )
        )
    return out


class Replay:
    """Serves recorded responses in order and records any request that does not match the next recording."""

    def __init__(
        self,
        interactions: list[Interaction],
        base_url: str,
        extra_headers: Callable[[Interaction], dict[str, str]] | None = None,
    ) -> None:
        self.interactions = interactions
        self.base_url = base_url
        self.extra_headers = extra_headers
        self.cursor = 0
        self.served: list[int] = []
        self.mismatches: list[str] = []
        self._lock = threading.Lock()

    def _rewrite(self, text: str) -> str:
        return text.replace(RECORDED_HOST, self.base_url)

    @staticmethod
    def matches(expected: Interaction, seen: Seen) -> bool:
        if expected.method != seen.method or unquote(expected.path) != unquote(seen.path):
            return False
        if set(expected.query) != set(seen.query):
            return False
        return all(expected.query[k].lower() == seen.query[k].lower() for k in expected.query)

    def __call__(self, seen: Seen) -> Reply:
        with self._lock:
            expected = self.interactions[self.cursor] if self.cursor < len(self.interactions) else None
            if expected is None or not self.matches(expected, seen):
                wanted = f"#{expected.index} {expected.method} {expected.path}" if expected else "nothing more"
                self.mismatches.append(f"got {seen.method} {seen.path}?{sorted(seen.query)}, expected {wanted}")
                return Reply(599, {"error": {"code": "ReplayMismatch", "message": self.mismatches[-1]}})
            self.cursor += 1
            self.served.append(expected.index)
        headers = {k: self._rewrite(v) for k, v in expected.headers.items() if k not in _SKIPPED_HEADERS}
        if self.extra_headers is not None:
            headers.update(self.extra_headers(expected))
        return Reply(expected.status, self._rewrite(expected.body) or None, headers)
