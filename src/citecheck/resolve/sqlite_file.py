"""The SQLite file the link and metadata caches share: opened one way, in WAL mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from citecheck.errors import ConfigError


def open_cache(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """Open (creating folder and tables) the cache file; WAL lets two runs share it and a
    killed run leave it whole. A failure is a ConfigError naming the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(f"cannot open the {what}: {error}", str(path)) from error
    return db
