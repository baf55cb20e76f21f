"""Id mapper: translate the recording's generated ids (operation ids in polling URLs, job ids, recovery point ids)
into the ones the emulator generated for the same exchange, so later requests address the emulator's objects.

Learned from each answer: the ``azure-asyncoperation`` / ``location`` URLs Azure and the emulator returned (the whole
URL maps, query included), and id-like path segments at the same place of both bodies (guids, 32-hex ids, base64
operation ids). Names chosen by the caller (vaults, policies, instances) are never mapped: requests carry them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fidelity.compare import LRO_HEADERS

_GENERATED = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[A-Za-z0-9+/]{40,}={0,2})$",
    re.I,
)
_ID_KEYS = frozenset({"id", "name", "jobId", "jobID", "recoveryPointId", "operationId"})


class IdMap:
    """Recorded → emulator translations learned so far in one replay."""

    def __init__(self) -> None:
        self.segments: dict[str, str] = {}
        self.urls: dict[str, tuple[str, dict[str, str]]] = {}
        # Recorded job ids announced by an operation Azure had finished while the emulator's had not yet: the
        # emulator's operation URL to read the job id from once a later request needs it.
        self.pending: dict[str, tuple[str, dict[str, str]]] = {}
        self.orphans: set[str] = set()  # recorded LRO URLs the emulator gave no counterpart for

    # -- learning ------------------------------------------------------------------------------------------------

    def learn(
        self,
        recorded_headers: dict[str, str],
        recorded_body: Any,
        headers: dict[str, str],
        body: Any,
        sent: tuple[str, dict[str, str]] | None = None,
    ) -> None:
        """Remember the translations an answer shows (its LRO URLs and the generated ids in its body); ``sent`` is
        the emulator URL the request went to."""
        job = _job_id(recorded_body)
        if sent is not None and job and not _job_id(body):
            self.pending[job.rsplit("/", 1)[-1].lower()] = sent
        for name in LRO_HEADERS:
            if name in recorded_headers and name not in headers:
                self.orphans.add(urlsplit(recorded_headers[name]).path.lower())
            if name in recorded_headers and name in headers:
                ours = urlsplit(headers[name])
                self.urls[urlsplit(recorded_headers[name]).path.lower()] = (
                    ours.path,
                    dict(parse_qsl(ours.query, keep_blank_values=True)),
                )
                self._pair(urlsplit(recorded_headers[name]).path, ours.path)
        self._walk(recorded_body, body)

    def _walk(self, recorded: Any, ours: Any) -> None:
        if isinstance(recorded, dict) and isinstance(ours, dict):
            for key, value in recorded.items():
                if key not in ours:
                    continue
                if key in _ID_KEYS and isinstance(value, str) and isinstance(ours[key], str):
                    self._pair(value, ours[key])
                else:
                    self._walk(value, ours[key])
        elif isinstance(recorded, list) and isinstance(ours, list):
            for r, o in zip(recorded, ours, strict=False):
                self._walk(r, o)

    def _pair(self, recorded: str, ours: str) -> None:
        r_parts, o_parts = recorded.split("/"), ours.split("/")
        if len(r_parts) != len(o_parts):
            r_parts, o_parts = r_parts[-1:], o_parts[-1:]
        for r, o in zip(r_parts, o_parts, strict=True):
            if r.lower() != o.lower() and _GENERATED.match(r) and _GENERATED.match(o):
                self.segments.setdefault(r.lower(), o)

    def unresolved(self, path: str) -> list[tuple[str, str, dict[str, str]]]:
        """(recorded id, emulator operation URL) of each pending job id the path names."""
        found = []
        for part in path.split("/"):
            key = part.lower()
            if key in self.pending and key not in self.segments:
                found.append((part, *self.pending.pop(key)))
        return found

    def learn_job(self, recorded: str, body: Any) -> None:
        """Map a recorded job id to the one the emulator's operation now reports."""
        job = _job_id(body)
        if job:
            self._pair(recorded, job.rsplit("/", 1)[-1])

    # -- translating ---------------------------------------------------------------------------------------------

    def orphan(self, path: str) -> bool:
        """Whether a recorded URL polls an operation the emulator did not start (its answer differed earlier)."""
        return path.lower() in self.orphans and path.lower() not in self.urls

    def polling(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The emulator's URL (path, query) for a recorded LRO URL, when the emulator returned one."""
        return self.urls.get(path.lower())

    def text(self, value: str) -> str:
        """A path or id with every learned generated segment replaced."""
        return "/".join(self.segments.get(part.lower(), part) for part in value.split("/"))

    def body(self, value: Any) -> Any:
        """A request body with every learned id replaced."""
        if isinstance(value, dict):
            return {k: self.body(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def _job_id(body: Any) -> str | None:
    props = body.get("properties") if isinstance(body, dict) else None
    job = props.get("jobId") if isinstance(props, dict) else None
    if job is None and isinstance(body, dict):
        job = body.get("jobId")
    return job if isinstance(job, str) else None
