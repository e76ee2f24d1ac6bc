"""The link cache: one SQLite file (WAL) of the last outcome and the history of every URL.

Successes (ok, redirected) are reused for ``max_cache_age`` seconds: the stored check is
returned with its original status, its original ``checked_at`` and the ``cached`` flag in
its detail. Failures are always checked again. Writes go in short transactions, so two
runs can share the file and a killed run leaves it consistent.

URLs are those fetched (after remapping). A run that may contact private addresses keeps
its results in a key space of its own (the URL behind a prefix naming what it allowed), so
a run that may not never reuses them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path

from citecheck.errors import ConfigError
from citecheck.model import LinkCheck, LinkStatus
from citecheck.resolve import classify
from citecheck.resolve.sqlite_file import open_cache

REUSED = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED})
NOT_STORED = frozenset({LinkStatus.OFFLINE, LinkStatus.EXCLUDED, LinkStatus.CACHED})
HISTORY_KEPT = 20
VERSION = 2
"""1: rows keyed by the URL as cited, whatever addresses the run allowed; 2: keyed by the URL
fetched, in the key space of the addresses allowed."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    http_status INTEGER,
    final_url TEXT,
    chain TEXT NOT NULL,
    content_type TEXT,
    length INTEGER,
    attempts INTEGER NOT NULL,
    detail TEXT NOT NULL,
    checked_at TEXT,
    checked_epoch REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS outcomes (
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    checked_at TEXT,
    checked_epoch REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_url ON outcomes (url, checked_epoch);
CREATE TABLE IF NOT EXISTS link_cache_version (version INTEGER NOT NULL);
"""


class LinkCache:
    """Reads and records link checks; ``now`` fixes the clock (epoch seconds) for tests.

    ``allow_private`` and ``allowed_addresses`` say which non-public addresses the run may
    contact: each setting reads and writes its own key space.
    """

    def __init__(
        self,
        path: str | Path,
        max_age: float,
        now: float | None = None,
        *,
        allow_private: bool = False,
        allowed_addresses: Collection[str] = (),
    ) -> None:
        self.path = Path(path)
        self.max_age = max_age
        self._now = now
        self._prefix = _key_prefix(allow_private, allowed_addresses)
        self._db = open_cache(self.path, _SCHEMA, "link cache")
        try:
            _upgrade(self._db)
        except sqlite3.Error as error:
            self._db.close()
            raise ConfigError(f"cannot open the link cache: {error}", str(self.path)) from error

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> LinkCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _time(self) -> float:
        return self._now if self._now is not None else time.time()

    def fresh(self, url: str) -> LinkCheck | None:
        """The stored success for ``url`` if younger than ``max_age``, flagged as cached."""
        row = self._db.execute(
            "SELECT status, http_status, final_url, chain, content_type, attempts, detail, "
            "checked_at, checked_epoch FROM links WHERE url = ?",
            (self._prefix + url,),
        ).fetchone()
        if row is None or LinkStatus(row[0]) not in REUSED:
            return None
        if self._time() - row[8] > self.max_age:
            return None
        return LinkCheck(
            url=url,
            status=LinkStatus(row[0]),
            http_status=row[1],
            final_url=row[2],
            chain=tuple(json.loads(row[3])),
            content_type=row[4],
            attempts=0,
            detail=classify.add_flag(row[6], classify.CACHED, row[7] or ""),
            checked_at=row[7],
            history=self.history(url),
        )

    def history(self, url: str) -> tuple[str, ...]:
        """Earlier outcomes of ``url``, oldest first, as ``status@checked_at``."""
        rows = self._db.execute(
            "SELECT status, checked_at FROM outcomes WHERE url = ? "
            "ORDER BY checked_epoch DESC, rowid DESC LIMIT ?",
            (self._prefix + url, HISTORY_KEPT),
        ).fetchall()
        return tuple(f"{status}@{at}" for status, at in reversed(rows))

    def record(self, checks: Iterable[LinkCheck]) -> None:
        """Store fresh outcomes (not cached, offline or excluded ones) in one transaction,
        each under its ``url``: the URL fetched."""
        stamp = self._time()
        rows = [
            replace(c, url=self._prefix + c.url)
            for c in checks
            if c.status not in NOT_STORED and classify.CACHED not in classify.flags(c.detail)
        ]
        if not rows:
            return
        with _transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                [
                    (
                        check.url,
                        check.status.value,
                        check.http_status,
                        check.final_url,
                        json.dumps(list(check.chain)),
                        check.content_type,
                        check.attempts,
                        check.detail,
                        check.checked_at,
                        stamp,
                    )
                    for check in rows
                ],
            )
            self._db.executemany(
                "INSERT INTO outcomes VALUES (?, ?, ?, ?)",
                [(check.url, check.status.value, check.checked_at, stamp) for check in rows],
            )
            self._db.executemany(
                "DELETE FROM outcomes WHERE url = ? AND rowid NOT IN (SELECT rowid FROM "
                "outcomes WHERE url = ? ORDER BY checked_epoch DESC, rowid DESC LIMIT ?)",
                [(check.url, check.url, HISTORY_KEPT) for check in rows],
            )


def _key_prefix(allow_private: bool, allowed: Collection[str]) -> str:
    """The start of every key: empty for a run that contacts public addresses only, else
    what the run allowed and a space (no URL begins with one, so the spaces never meet)."""
    if allow_private:
        return "private "
    if allowed:
        return f"allowed {','.join(sorted(allowed))} "
    return ""


def _upgrade(db: sqlite3.Connection) -> None:
    """Bring a cache written by an earlier version to :data:`VERSION` (once; two runs may
    try at the same time)."""
    if _version(db) >= VERSION:
        return
    with _transaction(db):
        if _version(db) < VERSION:
            # Version 1 rows do not say what addresses their run allowed, nor what it
            # fetched: none is reused. Their history stays.
            db.execute("DELETE FROM links")
            db.execute("INSERT INTO link_cache_version VALUES (?)", (VERSION,))


def _version(db: sqlite3.Connection) -> int:
    found = db.execute("SELECT max(version) FROM link_cache_version").fetchone()[0]
    return int(found) if found is not None else 1


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (autocommit connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")
