"""The SQLite link cache: reuse of successes, recheck of failures, history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from citecheck.model import LinkCheck, LinkStatus
from citecheck.resolve.cache import LinkCache
from citecheck.resolve.classify import flags

URL = "https://example.org/a"


def _check(status: LinkStatus, at: str) -> LinkCheck:
    return LinkCheck(
        URL,
        status,
        http_status=200 if status is LinkStatus.OK else 404,
        final_url=URL,
        chain=(URL, URL + "/"),
        checked_at=at,
    )


def test_success_reused_until_max_age(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    with LinkCache(path, max_age=100, now=1000.0) as cache:
        cache.record([_check(LinkStatus.OK, "2026-01-01T00:00:00Z")])
    with LinkCache(path, max_age=100, now=1050.0) as cache:
        hit = cache.fresh(URL)
    assert hit is not None and hit.status is LinkStatus.OK
    assert flags(hit.detail)["cached"] == "2026-01-01T00:00:00Z"
    assert hit.chain == (URL, URL + "/") and hit.checked_at == "2026-01-01T00:00:00Z"
    with LinkCache(path, max_age=100, now=1200.0) as cache:
        assert cache.fresh(URL) is None
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_failures_are_never_reused_and_history_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with LinkCache(path, max_age=1e9, now=1.0) as cache:
        cache.record([_check(LinkStatus.OK, "2026-01-01T00:00:00Z")])
    with LinkCache(path, max_age=1e9, now=2.0) as cache:
        cache.record([_check(LinkStatus.BROKEN, "2026-02-01T00:00:00Z")])
        assert cache.fresh(URL) is None
        assert cache.history(URL) == ("ok@2026-01-01T00:00:00Z", "broken@2026-02-01T00:00:00Z")


def test_cached_and_offline_results_are_not_stored(tmp_path: Path) -> None:
    with LinkCache(tmp_path / "cache.sqlite", max_age=1e9) as cache:
        cache.record([LinkCheck(URL, LinkStatus.OFFLINE)])
        assert cache.history(URL) == ()


def test_two_connections_share_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with LinkCache(path, 1e9) as first, LinkCache(path, 1e9) as second:
        first.record([_check(LinkStatus.OK, "a")])
        assert second.fresh(URL) is not None
