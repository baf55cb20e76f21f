"""SQLite persistence of the emulator's state: JSON documents by kind and key, plus settings (thread-safe)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    parent TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS docs_by_parent ON docs (kind, parent);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    """One SQLite file per emulator. Every access holds one lock; ``transaction()`` groups writes atomically.

    Documents keep their insertion order (SQLite rowid), which is the order lists are returned in.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and commit everything done inside at once (nested calls join the outer one)."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    def get(self, kind: str, key: str) -> JSON | None:
        """The document ``key`` of ``kind`` (keys are compared lower-cased), or None."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM docs WHERE kind = ? AND key = ?", (kind, key.lower())).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, kind: str, key: str, data: JSON, parent: str | None = None) -> None:
        """Insert or replace a document (an update keeps its position in lists, and its parent when none is given)."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO docs (kind, key, parent, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET "
                "parent = COALESCE(excluded.parent, docs.parent), data = excluded.data",
                (kind, key.lower(), parent.lower() if parent else None, json.dumps(data)),
            )

    def delete(self, kind: str, key: str) -> None:
        """Remove a document if present."""
        with self._lock:
            self._conn.execute("DELETE FROM docs WHERE kind = ? AND key = ?", (kind, key.lower()))

    def select(self, kind: str, parent: str | None = None) -> list[JSON]:
        """Every document of ``kind`` (under ``parent`` when given) in insertion order."""
        with self._lock:
            if parent is None:
                rows = self._conn.execute("SELECT data FROM docs WHERE kind = ? ORDER BY rowid", (kind,))
            else:
                rows = self._conn.execute(
                    "SELECT data FROM docs WHERE kind = ? AND parent = ? ORDER BY rowid", (kind, parent.lower())
                )
            return [json.loads(r[0]) for r in rows.fetchall()]

    def setting(self, key: str, default: str) -> str:
        """A stored setting (e.g. the clock offset)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def now(self) -> float:
        """Emulator time: the wall clock plus the offset set with the admin clock endpoint."""
        return time.time() + float(self.setting("clock_offset", "0"))

    def dump(self) -> JSON:
        """Every document (in list order) and setting as plain JSON: what ``load`` puts back."""
        with self._lock:
            docs = self._conn.execute("SELECT kind, key, parent, data FROM docs ORDER BY rowid").fetchall()
            meta = self._conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
        return {
            "documents": [{"kind": k, "key": key, "parent": p, "data": json.loads(d)} for k, key, p, d in docs],
            "settings": dict(meta),
        }

    def load(self, state: JSON) -> None:
        """Replace every document and setting with those of a ``dump`` (one transaction)."""
        with self.transaction():
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM meta")
            self._conn.executemany(
                "INSERT INTO docs (kind, key, parent, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET parent = excluded.parent, data = excluded.data",
                [
                    (d["kind"], d["key"].lower(), (d.get("parent") or "").lower() or None, json.dumps(d["data"]))
                    for d in state["documents"]
                ],
            )
            self._conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(state["settings"].items()))

    def wipe(self) -> None:
        """Forget every document and setting."""
        with self.transaction():
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM meta")
