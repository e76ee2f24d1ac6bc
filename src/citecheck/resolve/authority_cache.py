"""The authority's answers in the run's SQLite cache file, table ``authority``, keyed by URL.

Only answers that describe the work are kept: a record (200) and "not found" (404). Errors
and rate limits are asked again next time. Offline runs read whatever is stored, however old.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from citecheck.resolve.sqlite_file import open_cache

_SCHEMA = """
CREATE TABLE IF NOT EXISTS authority (
    url TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    final_url TEXT NOT NULL,
    body TEXT NOT NULL,
    fetched_epoch REAL NOT NULL
);
"""
STORED = frozenset({200, 404})


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    final_url: str
    body: str
    fetched_epoch: float


class AuthorityCache:
    """Reads and stores answers; ``now`` fixes the clock (epoch seconds) for tests."""

    def __init__(self, path: str | Path, max_age: float, now: float | None = None) -> None:
        self.path = Path(path)
        self.max_age = max_age
        self._now = now
        self._db = open_cache(self.path, _SCHEMA, "metadata cache")

    def close(self) -> None:
        self._db.close()

    def get(self, url: str, *, any_age: bool = False) -> StoredAnswer | None:
        """The stored answer for ``url``, if younger than ``max_age`` (or of any age)."""
        row = self._db.execute(
            "SELECT status, final_url, body, fetched_epoch FROM authority WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        answer = StoredAnswer(int(row[0]), str(row[1]), str(row[2]), float(row[3]))
        if not any_age and self._time() - answer.fetched_epoch > self.max_age:
            return None
        return answer

    def put(self, url: str, status: int, final_url: str, body: str) -> None:
        if status not in STORED:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO authority VALUES (?, ?, ?, ?, ?)",
            (url, status, final_url, body, self._time()),
        )

    def _time(self) -> float:
        return self._now if self._now is not None else time.time()
