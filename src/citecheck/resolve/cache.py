"""The link cache: one SQLite file (WAL) of the last outcome and the history of every URL.

Successes (ok, redirected) are reused for ``max_cache_age`` seconds: the stored check is
returned with its original status, its original ``checked_at`` and the ``cached`` flag in
its detail. Failures are always checked again. Writes go in short transactions, so two
runs can share the file and a killed run leaves it consistent.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from citecheck.model import LinkCheck, LinkStatus
from citecheck.resolve import classify
from citecheck.resolve.sqlite_file import open_cache

REUSED = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED})
NOT_STORED = frozenset({LinkStatus.OFFLINE, LinkStatus.EXCLUDED, LinkStatus.CACHED})
HISTORY_KEPT = 20

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
"""


class LinkCache:
    """Reads and records link checks; ``now`` fixes the clock (epoch seconds) for tests."""

    def __init__(self, path: str | Path, max_age: float, now: float | None = None) -> None:
        self.path = Path(path)
        self.max_age = max_age
        self._now = now
        self._db = open_cache(self.path, _SCHEMA, "link cache")

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
            (url,),
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
            (url, HISTORY_KEPT),
        ).fetchall()
        return tuple(f"{status}@{at}" for status, at in reversed(rows))

    def record(self, checks: Iterable[LinkCheck]) -> None:
        """Store fresh outcomes (not cached, offline or excluded ones) in one transaction."""
        stamp = self._time()
        rows = [
            c
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


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (autocommit connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")
