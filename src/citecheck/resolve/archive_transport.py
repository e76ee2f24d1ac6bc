"""httpx's API over aiohttp's connector, keeping what the server sent for the WARC.

httpcore's pool spends most of the archiver's CPU on bookkeeping (docs/links.md); aiohttp's
connector does the same work for a fraction of it. The ``httpx.Response`` this transport gives
holds the header block as received (names in their case and order), the status line's HTTP
version and reason phrase as sent, and the body undecoded (Content-Encoding kept, chunked
transfer coding removed). The request headers aiohttp actually sent are in the response's
``request_headers`` extension. aiohttp's errors become httpx's here and nowhere else.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiohttp
import httpx
import yarl

from citecheck.resolve.safety import AddressPolicy, SafeResolver

_ERRORS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    (aiohttp.ClientPayloadError, httpx.ReadError),
    (aiohttp.ClientError, httpx.NetworkError),
    (asyncio.TimeoutError, httpx.TimeoutException),
)


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except tuple(kind for kind, _ in _ERRORS) as error:
        ours = next(mine for kind, mine in _ERRORS if isinstance(error, kind))
        raise ours(_message(error)) from error


def _message(error: BaseException) -> str:
    if isinstance(error, aiohttp.ClientConnectorError):
        # aiohttp's own text drops the message of an error raised by the resolver
        return f"cannot connect to {error.host}:{error.port}: {error.os_error}"
    return str(error) or type(error).__name__


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _translated():
            async for chunk in self._response.content.iter_any():
                yield chunk

    async def aclose(self) -> None:
        # a body left unread closes its connection instead of returning it to the pool
        self._response.release()


class WireTransport(httpx.AsyncBaseTransport):
    """One aiohttp connector for the run; every address is checked by ``policy``."""

    def __init__(
        self, policy: AddressPolicy, tls: ssl.SSLContext, limit: int, per_host: int
    ) -> None:
        self._policy = policy
        self._tls = tls
        self._limit, self._per_host = limit, per_host
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # made on first use: aiohttp binds its connector to the running event loop
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._limit,
                limit_per_host=self._per_host,
                resolver=SafeResolver(self._policy),
                ttl_dns_cache=300,
                ssl=self._tls,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # aiohttp never asks its resolver about an IP literal: check it here
        self._policy.check_literal(request.url.host)
        timeout = request.extensions.get("timeout", {})
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        with _translated():
            response = await self._client().request(
                request.method,
                # sent as httpx encoded it, not re-quoted by yarl
                yarl.URL(str(request.url), encoded=True),
                headers=headers,
                data=None if request.method in ("GET", "HEAD") else await request.aread(),
                allow_redirects=False,
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(
                    sock_connect=timeout.get("connect"), sock_read=timeout.get("read")
                ),
            )
        version = response.version or aiohttp.HttpVersion11
        sent = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in response.request_info.headers.items()
        ]
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_Body(response),
            request=request,
            extensions={
                "http_version": f"HTTP/{version.major}.{version.minor}".encode(),
                # aiohttp decodes the reason as UTF-8 with surrogate escapes: undo it
                "reason_phrase": (response.reason or "").encode("utf-8", "surrogateescape"),
                "request_headers": sent,
            },
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
