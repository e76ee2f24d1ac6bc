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


def test_each_address_setting_reads_only_its_own_results(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with LinkCache(path, 1e9, allow_private=True) as private:
        private.record([_check(LinkStatus.OK, "a")])
    with LinkCache(path, 1e9) as public:
        assert public.fresh(URL) is None and public.history(URL) == ()
    with LinkCache(path, 1e9, allowed_addresses=["127.0.0.1"]) as listed:
        assert listed.fresh(URL) is None
    with LinkCache(path, 1e9, allow_private=True) as private:
        hit = private.fresh(URL)
        assert hit is not None and hit.url == URL and private.history(URL) == ("ok@a",)


_VERSION_1 = """
CREATE TABLE links (
    url TEXT PRIMARY KEY, status TEXT NOT NULL, http_status INTEGER, final_url TEXT,
    chain TEXT NOT NULL, content_type TEXT, length INTEGER, attempts INTEGER NOT NULL,
    detail TEXT NOT NULL, checked_at TEXT, checked_epoch REAL NOT NULL
);
CREATE TABLE outcomes (
    url TEXT NOT NULL, status TEXT NOT NULL, checked_at TEXT, checked_epoch REAL NOT NULL
);
INSERT INTO links VALUES ('https://example.org/a', 'ok', 200, NULL, '[]', NULL, NULL, 1, '',
    '2026-01-01T00:00:00Z', 1000.0);
INSERT INTO outcomes VALUES ('https://example.org/a', 'ok', '2026-01-01T00:00:00Z', 1000.0);
"""


def test_results_of_an_earlier_version_are_checked_again_and_their_history_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.sqlite"
    old = sqlite3.connect(path)
    old.executescript(_VERSION_1)
    old.close()
    with LinkCache(path, max_age=1e9, now=1001.0) as cache:
        assert cache.fresh(URL) is None, "which addresses that run allowed is unknown"
        assert cache.history(URL) == ("ok@2026-01-01T00:00:00Z",)
        cache.record([_check(LinkStatus.OK, "2026-01-02T00:00:00Z")])
    with LinkCache(path, max_age=1e9, now=1002.0) as cache:
        assert cache.fresh(URL) is not None, "upgraded once, not at every opening"
