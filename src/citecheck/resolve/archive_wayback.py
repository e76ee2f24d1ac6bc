"""The manifest's ``wayback`` slot: each cited URL's closest 2xx Wayback snapshot before its
capture, and Save Page Now for URLs the Wayback Machine does not hold yet.

Lookups go one at a time over one connection to the CDX API: a run of a long essay makes a
steady trickle of requests, never a burst.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpx

from citecheck.options import Options
from citecheck.resolve.archive_store import State
from citecheck.resolve.wayback import SavePageNow, Snapshot, find_snapshot


def fill_wayback(
    state: State,
    urls: Iterable[str],
    options: Options,
    now: datetime,
    saver: SavePageNow | None = None,
) -> list[str]:
    """Fill the ``wayback`` slot of each URL; returns the lookups and saves that failed."""
    problems: list[str] = []
    with httpx.Client(timeout=options.timeout, follow_redirects=True, trust_env=False) as client:
        for url in urls:
            try:
                slot = _slot(url, _captured_at(state, url, now), options, client, saver)
            except (httpx.HTTPError, ValueError) as error:
                problems.append(f"{url}: Wayback Machine: {type(error).__name__}: {error}")
                continue
            if isinstance(slot, str):
                problems.append(f"{url}: Save Page Now: {slot}")
            elif slot is not None:
                state.url_record(url)["wayback"] = slot
    return problems


def _captured_at(state: State, url: str, now: datetime) -> datetime:
    """When the URL's latest capture was taken; ``now`` if it has none."""
    chain = state.latest(url)
    if not chain:
        return now
    stamp = chain[0]["timestamp"]
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _slot(
    url: str, before: datetime, options: Options, client: httpx.Client, saver: SavePageNow | None
) -> dict[str, Any] | str | None:
    """The slot's new value, a Save Page Now failure message, or None (nothing to record)."""
    snapshot = find_snapshot(url, before, options, client=client)
    if snapshot is not None:
        return _as_slot(snapshot, saved=False)
    if saver is None:
        return None
    result = saver.save(url)
    if result.status != "success" or not result.timestamp:
        return f"{result.status} {result.message}".strip()
    base = options.wayback_url.rstrip("/")
    replay = f"{base}/web/{result.timestamp}/{url}"
    return _as_slot(Snapshot(url, result.timestamp, None, "", "", None, replay), saved=True)


def _as_slot(snapshot: Snapshot, saved: bool) -> dict[str, Any]:
    return {
        "url": snapshot.url,
        "timestamp": snapshot.timestamp,
        "status": snapshot.status,
        "replay_url": snapshot.replay_url,
        "saved": saved,
    }
