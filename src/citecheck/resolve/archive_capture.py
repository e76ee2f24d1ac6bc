"""Fetching for the archive: one HTTP exchange per hop, kept as it was on the wire.

The body is read with httpx's ``aiter_raw``: Content-Encoding is kept (a gzip body stays
compressed) while chunked transfer coding is removed, so the recorded header block renames
``Transfer-Encoding`` to ``X-Archive-Orig-Transfer-Encoding`` to stay truthful about the body
that follows it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import ssl
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import IO
from urllib.parse import urljoin, urlsplit

import certifi
import httpx
import lxml.html
from lxml import etree
from warcio.utils import Digester

from citecheck.options import Options
from citecheck.resolve.archive_transport import WireTransport
from citecheck.resolve.archive_warc import HttpMessage, RawHeaders
from citecheck.resolve.safety import AddressPolicy

USER_AGENT = "citecheck-archive/0.1 (+https://github.com/citecheck/citecheck)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SPOOL = 1 << 20


@dataclass(frozen=True)
class Hop:
    """One fetched exchange: what was sent, what came back, and when."""

    url: str
    date: datetime
    request: HttpMessage
    response: HttpMessage
    status: int
    content_type: str | None
    location: str | None
    truncated: bool

    def close(self) -> None:
        self.response.body.close()

    def head(self, limit: int) -> bytes:
        """Up to ``limit`` decoded bytes of the body (gzip and deflate inflated)."""
        self.response.body.seek(0)
        data = self.response.body.read(limit)
        self.response.body.seek(0)
        encoding = self.response.headers.get_header("Content-Encoding") or ""
        if encoding.strip().lower() in ("gzip", "x-gzip", "deflate"):
            try:
                wbits = 47 if "gzip" in encoding.lower() else zlib.MAX_WBITS
                return zlib.decompressobj(wbits).decompress(data, limit)
            except zlib.error:
                return b""
        return data


class Politeness:
    """A global limit, a per-host limit and a minimum interval between a host's requests."""

    def __init__(self, options: Options) -> None:
        self._global = asyncio.Semaphore(max(1, options.concurrency))
        self._policies = dict(options.hosts)
        self._per_host = max(1, options.per_host)
        self._interval = options.min_interval
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._next: defaultdict[str, float] = defaultdict(float)

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        policy = self._policies.get(host)
        if host not in self._hosts:
            limit = policy.max_concurrency if policy and policy.max_concurrency else None
            self._hosts[host] = asyncio.Semaphore(limit or self._per_host)
        interval = self._interval
        if policy and policy.min_interval is not None:
            interval = policy.min_interval
        async with self._hosts[host], self._global:
            wait = self._next[host] - time.monotonic()
            self._next[host] = max(time.monotonic(), self._next[host]) + interval
            if wait > 0:
                await asyncio.sleep(wait)
            yield

    def headers(self, url: str) -> dict[str, str]:
        policy = self._policies.get((urlsplit(url).hostname or "").lower())
        return dict(policy.headers) if policy else {}


def make_client(options: Options, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    """An HTTP/1.1 client that never follows redirects itself and refuses private addresses."""
    if transport is None:
        per_host = max([options.per_host] + [p.max_concurrency or 0 for _, p in options.hosts])
        transport = WireTransport(
            AddressPolicy(allow_private=options.allow_private),
            _tls(),
            limit=max(1, options.concurrency),
            per_host=max(1, per_host),
        )
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        timeout=options.timeout,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """Loading the CA bundle costs 100 ms: once per process is enough."""
    return ssl.create_default_context(cafile=certifi.where())


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    cap: int,
    digest: str,
    clock: Callable[[], datetime],
    headers: dict[str, str],
) -> Hop:
    """GET ``url`` once; the body is spooled to disk beyond 1 MB and cut at ``cap`` bytes."""
    request = client.build_request("GET", url, headers=headers)
    date = clock()
    response = await client.send(request, stream=True)
    body: IO[bytes] = tempfile.SpooledTemporaryFile(_SPOOL)  # noqa: SIM115
    try:
        head = _response_head(response)
        payload, block = Digester(digest), Digester(digest)
        block.update(head.raw)
        length, truncated = await _read_body(response, body, cap, (payload, block))
    except BaseException:
        body.close()
        raise
    finally:
        await response.aclose()
    body.seek(0)
    return Hop(
        url=url,
        date=date,
        request=_request_message(request, response),
        response=HttpMessage(head, body, length, str(payload), str(block)),
        status=response.status_code,
        content_type=response.headers.get("content-type"),
        location=_location(url, response),
        truncated=truncated,
    )


async def _read_body(
    response: httpx.Response, body: IO[bytes], cap: int, digesters: tuple[Digester, Digester]
) -> tuple[int, bool]:
    length = 0
    async for chunk in response.aiter_raw():
        if length + len(chunk) > cap:
            chunk = chunk[: cap - length]
        for digester in digesters:
            digester.update(chunk)
        body.write(chunk)
        length += len(chunk)
        if length >= cap:
            return length, True
    return length, False


def _location(url: str, response: httpx.Response) -> str | None:
    target = response.headers.get("location")
    if response.status_code in REDIRECTS and target:
        return urljoin(url, str(target).strip())
    return None


def _response_head(response: httpx.Response) -> RawHeaders:
    reason = response.extensions.get("reason_phrase", response.reason_phrase.encode())
    protocol = response.http_version
    lines = [f"{protocol} {response.status_code} ".encode("latin-1") + reason]
    pairs: list[tuple[str, str]] = []
    for name, value in response.headers.raw:
        if name.lower() == b"transfer-encoding":
            name = b"X-Archive-Orig-Transfer-Encoding"
        lines.append(name + b": " + value)
        pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    raw = b"\r\n".join(lines) + b"\r\n\r\n"
    statusline = f"{response.status_code} {reason.decode('latin-1')}"
    return RawHeaders(statusline, pairs, protocol, raw)


def _request_message(request: httpx.Request, response: httpx.Response) -> HttpMessage:
    """The request as sent: the transport's record of its headers when it keeps one."""
    target = request.url.raw_path
    lines = [request.method.encode() + b" " + target + b" HTTP/1.1"]
    pairs = []
    for name, value in response.extensions.get("request_headers", request.headers.raw):
        lines.append(name + b": " + value)
        pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    raw = b"\r\n".join(lines) + b"\r\n\r\n"
    head = RawHeaders(f"{target.decode('latin-1')} HTTP/1.1", pairs, request.method, raw)
    return HttpMessage(head, BytesIO(), 0)


_ASSET_XPATH = (
    "//img/@src | //img/@srcset | //source/@src | //source/@srcset | //script/@src"
    " | //link[contains(concat(' ', normalize-space(translate(@rel,"
    " 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')), ' '), ' stylesheet ')"
    " or contains(@rel, 'icon') or contains(@rel, 'preload')]/@href"
)


def page_assets(base_url: str, html: bytes) -> list[str]:
    """URLs of the images, stylesheets and scripts an HTML page needs, in document order."""
    if not html.strip():
        return []
    try:
        tree = lxml.html.fromstring(html, base_url=base_url)
    except (etree.ParserError, ValueError):
        return []
    base = tree.base_url or base_url
    found: list[str] = []
    for value in tree.xpath(_ASSET_XPATH):
        for candidate in _srcset(str(value)):
            url = urljoin(base, candidate).split("#", 1)[0]
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


def _srcset(value: str) -> list[str]:
    if "," not in value and " " not in value.strip():
        return [value.strip()] if value.strip() else []
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def sha256_file(path: str) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
            size += len(chunk)
    return size, "sha256:" + hasher.hexdigest()
