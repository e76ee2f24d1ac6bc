"""The httpx transport over aiohttp, against the scripted server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import httpx
import pytest

from citecheck.model import LinkStatus
from citecheck.resolve.links import check_urls
from citecheck.resolve.transport import AiohttpTransport
from tests.resolve.local_web import FAST, HTML, Web, page, raw


async def _exchange(request: httpx.Request) -> tuple[httpx.Response, bytes]:
    transport = AiohttpTransport(aiohttp.ClientSession(auto_decompress=False))
    try:
        response = await transport.handle_async_request(request)
        try:
            body = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        return response, body
    finally:
        await transport.aclose()


def test_an_answer_comes_back_as_an_httpx_response(web: Web) -> None:
    web.answer("/a", raw(201, page("A"), {**HTML, "X-Kind": "one"}))
    request = httpx.Request("GET", web.url("/a"), headers={"X-Token": "secret"})
    response, body = asyncio.run(_exchange(request))
    assert response.status_code == 201 and response.reason_phrase == "X"
    assert response.headers["x-kind"] == "one" and response.request is request
    assert body == page("A")
    assert "X-Token: secret" in web.heads[-1]


def test_the_path_is_sent_exactly_as_httpx_encoded_it(web: Web) -> None:
    """``%7E`` stays ``%7E``: re-quoting would send ``~``, another URL to a strict server."""
    web.answer("/a%7Eb/%2F", raw(200, page("A"), HTML))
    url = web.url("/a%7Eb/%2F")
    result = asyncio.run(check_urls([url], FAST)).checks[url]
    assert result.status is LinkStatus.OK
    assert web.hits["/a%7Eb/%2F"] == ["HEAD"] and "/a~b/%2F" not in web.hits


def test_a_refused_connection_is_aiohttps_own_error() -> None:
    """The engine names the cause from aiohttp's error; the transport must not blur it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        request = httpx.Request("HEAD", f"http://127.0.0.1:{port}/")
        with pytest.raises(aiohttp.ClientConnectorError) as caught:
            asyncio.run(_exchange(request))
    assert isinstance(caught.value.os_error, ConnectionRefusedError)
