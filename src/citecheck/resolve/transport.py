"""httpx's transport interface over one aiohttp session: the stack the link engine sends on.

The engine speaks httpx (``httpx.Request`` in, ``httpx.Response`` out); aiohttp moves the
bytes, because its connection pool costs a fraction of the CPU of httpx's own at a hundred
connections and more (see docs/links.md). Only what the engine uses is carried over:
method, URL, headers, body and the connect and read timeouts. Redirects, decompression and
cookies stay with the engine; aiohttp's errors pass through unchanged, so the engine can
tell a refused connection from a reset one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx
import yarl

CHUNK_SIZE = 64 * 1024
MAX_HEADER_SETS = 4096
"""Converted header sets kept before the store starts afresh."""

TimeoutKey = tuple[float | None, float | None]
Pairs = tuple[tuple[str, str], ...]


class AiohttpResponseStream(httpx.AsyncByteStream):
    """An aiohttp response's body as httpx reads one; closing it frees the connection."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.content.iter_chunked(CHUNK_SIZE):
            yield chunk

    async def aclose(self) -> None:
        await self._response.__aexit__(None, None, None)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through ``session`` (which the transport closes with itself)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session
        self._timeouts: dict[TimeoutKey, aiohttp.ClientTimeout] = {}
        self._headers: dict[tuple[tuple[bytes, bytes], ...], Pairs] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._session.request(
            request.method,
            # as httpx encoded it: yarl would otherwise quote it again in its own way
            yarl.URL(str(request.url), encoded=True),
            headers=self._header_map(request.headers),
            data=request.content or None,
            allow_redirects=False,
            timeout=self._timeout(request.extensions.get("timeout", {})),
        )
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=AiohttpResponseStream(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": _reason(response)},
        )

    async def aclose(self) -> None:
        await self._session.close()

    def _timeout(self, timeouts: dict[str, float | None]) -> aiohttp.ClientTimeout:
        key = (timeouts.get("connect"), timeouts.get("read"))
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None, sock_connect=key[0], sock_read=key[1]
            )
        return timeout

    def _header_map(self, headers: httpx.Headers) -> Pairs:
        """``headers`` as aiohttp takes them, names as written, converted once per distinct set
        (each request carries its Host header, so about one set per host)."""
        raw = tuple(headers.raw)
        converted = self._headers.get(raw)
        if converted is None:
            if len(self._headers) >= MAX_HEADER_SETS:
                self._headers.clear()
            converted = self._headers[raw] = tuple(
                (name.decode("latin-1"), value.decode("latin-1")) for name, value in raw
            )
        return converted


def _reason(response: aiohttp.ClientResponse) -> bytes:
    return (response.reason or "").encode("latin-1", "replace")
