"""The Internet Archive's Wayback Machine: the snapshot of a URL closest before a date, and
Save Page Now requests (opt-in, with the caller's credentials, rate limited).

CDX lines are ``urlkey timestamp original mimetype statuscode digest length``; real answers
hold malformed lines (impossible timestamps, ``-`` lengths, junk URLs), which are skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from citecheck.errors import ConfigError
from citecheck.options import Options

CDX_PATH = "/cdx/search/cdx"
ACCESS_ENV = "CITECHECK_IA_ACCESS_KEY"
SECRET_ENV = "CITECHECK_IA_SECRET_KEY"


@dataclass(frozen=True)
class Snapshot:
    """One Wayback capture of a URL."""

    url: str
    """The URL as captured (CDX ``original``)."""
    timestamp: str
    status: int | None
    mime: str
    digest: str
    length: int | None
    replay_url: str

    @property
    def moment(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def parse_cdx(text: str, base_url: str = "https://web.archive.org") -> Iterator[Snapshot]:
    """The well-formed snapshots in a CDX answer, in order; malformed lines are skipped."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        _key, stamp, original, mime, status, digest, length = fields[:7]
        try:
            datetime.strptime(stamp, "%Y%m%d%H%M%S")
        except ValueError:
            continue
        if not original.lower().startswith(("http://", "https://")) or "mailto:" in original:
            continue
        yield Snapshot(
            original,
            stamp,
            int(status) if status.isdigit() else None,
            mime,
            digest,
            int(length) if length.isdigit() else None,
            f"{base_url.rstrip('/')}/web/{stamp}/{original}",
        )


def closest_before(
    snapshots: Iterator[Snapshot] | list[Snapshot], before: datetime
) -> Snapshot | None:
    """The latest 2xx snapshot taken at or before ``before``."""
    limit = before.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    best: Snapshot | None = None
    for snapshot in snapshots:
        ok = snapshot.status is not None and 200 <= snapshot.status < 300
        if (
            ok
            and snapshot.timestamp <= limit
            and (best is None or snapshot.timestamp > best.timestamp)
        ):
            best = snapshot
    return best


def find_snapshot(
    url: str, before: datetime, options: Options, *, client: httpx.Client | None = None
) -> Snapshot | None:
    """Ask the CDX API for ``url``'s last 2xx snapshot before ``before``; None if it has none.

    A blocked URL (403) or an unreadable answer also gives None: the archive has nothing to
    offer for it. Network failures raise httpx errors for the caller to report.
    """
    base = options.wayback_url.rstrip("/")
    params = {
        "url": url,
        "to": before.astimezone(UTC).strftime("%Y%m%d%H%M%S"),
        "filter": "statuscode:2..",
        "limit": "-50",
    }
    owned = client is None
    client = client or httpx.Client(timeout=options.timeout, follow_redirects=True)
    try:
        response = client.get(base + CDX_PATH, params=params)
    finally:
        if owned:
            client.close()
    if response.status_code != 200:
        return None
    return closest_before(list(parse_cdx(response.text, base)), before)


@dataclass(frozen=True)
class SaveResult:
    """The outcome of one Save Page Now request."""

    url: str
    job_id: str | None
    status: str
    """success, pending, error."""
    timestamp: str | None = None
    message: str = ""


class SavePageNow:
    """Save Page Now (SPN2) client: POST /save, then poll /save/status/JOB.

    Credentials come from the environment (``CITECHECK_IA_ACCESS_KEY``,
    ``CITECHECK_IA_SECRET_KEY``); requests are spaced by ``interval`` seconds.
    """

    def __init__(
        self,
        options: Options,
        *,
        client: httpx.Client | None = None,
        interval: float = 5.0,
        polls: int = 12,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        access, secret = os.environ.get(ACCESS_ENV), os.environ.get(SECRET_ENV)
        if not access or not secret:
            raise ConfigError(f"Save Page Now needs {ACCESS_ENV} and {SECRET_ENV}")
        self._base = options.wayback_url.rstrip("/")
        self._client = client or httpx.Client(timeout=options.timeout)
        self._headers = {"Authorization": f"LOW {access}:{secret}", "Accept": "application/json"}
        self._interval, self._polls, self._sleep = interval, polls, sleep
        self._last = float("-inf")

    def _request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        wait = self._last + self._interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last = time.monotonic()
        return self._client.request(method, self._base + path, headers=self._headers, **kwargs)  # type: ignore[arg-type]

    def save(self, url: str) -> SaveResult:
        response = self._request("POST", "/save", data={"url": url, "skip_first_archive": "1"})
        if response.status_code != 200:
            return SaveResult(url, None, "error", message=f"HTTP {response.status_code}")
        job = response.json().get("job_id")
        if not job:
            return SaveResult(url, None, "error", message=response.json().get("message", ""))
        for _ in range(self._polls):
            status = self._request("GET", f"/save/status/{job}").json()
            if status.get("status") != "pending":
                return SaveResult(
                    url,
                    job,
                    str(status.get("status")),
                    status.get("timestamp"),
                    status.get("message", ""),
                )
        return SaveResult(url, job, "pending")
