"""Checking one URL over HTTP: HEAD then GET, redirects by hand, retries, classification.

Requests are httpx ``Request`` objects sent through an httpx transport. By default that is
the ``AiohttpTransport`` of resolve/transport.py on one aiohttp ``TCPConnector`` (the fastest
stack measured, see docs/links.md); ``transport="httpx"`` selects httpx's own transport,
which is what vcrpy patches for cassette replay. ``AsyncClient`` is not used: its redirect,
cookie and auth layers would repeat work this module does itself, at a measured 0.4 ms of
CPU per request.

A request is timed from the moment it holds its host slot and a global slot, so time
spent waiting for a free connection never counts against it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import random
import secrets
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Literal, TypeVar
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import aiohttp
import httpcore
import httpx

from citecheck.model import LinkCheck, LinkStatus
from citecheck.options import Options
from citecheck.resolve import classify
from citecheck.resolve.clock import now
from citecheck.resolve.hosts import HostGate, HostGates, rate_limit_pause, retry_after
from citecheck.resolve.safety import (
    AddressPolicy,
    ForbiddenAddress,
    HostNotFound,
    SafeNetworkBackend,
    SafeResolver,
    decoded_prefix,
)
from citecheck.resolve.transport import AiohttpTransport
from citecheck.resolve.urls import FETCHED_SCHEMES, split_url, url_problem

try:
    __version__ = version("citecheck")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

USER_AGENT = f"citecheck/{__version__} (+https://github.com/citecheck/citecheck)"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept-Encoding": "gzip, deflate",
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
}
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_READABLE_TYPES = ("html", "text", "xml")
"""Content types whose body a GET reads (up to ``get_cap``): pages, bot walls, error texts."""
PERMANENT_REDIRECTS = frozenset({301, 308})
MAX_PAUSE = 30.0
"""Longest Retry-After or rate-limit pause honoured; a longer one ends the retries."""
MEMO_BODY = 131072
"""Bodies up to this size are kept for later checks of the same URL in the run."""
KEPT_HEADERS = {
    name.encode(): name
    for name in (
        "location",
        "content-type",
        "content-encoding",
        "server",
        "cf-mitigated",
        "retry-after",
        "set-cookie",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    )
}
"""The response headers the checks read, raw lower-case name to the name as kept (one string
for every answer's copy)."""
SHARED_VALUES = frozenset({"content-type", "content-encoding", "server", "cf-mitigated"})
"""Headers whose values repeat from answer to answer: one string for each value."""
"""The response headers the checks read; the rest are not kept (10,000 answers add up)."""
Transport = Literal["aiohttp", "httpx"] | httpx.AsyncBaseTransport
_T = TypeVar("_T")


class NetworkFailure(Exception):
    """One exchange failed below HTTP; ``kind`` is dns, forbidden, timeout, connect, loop,
    redirect (to a malformed URL), invalid (a URL the HTTP stack cannot request) or protocol
    (an answer that is not HTTP)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP exchange: status, headers and, for a GET, the first bytes of the body."""

    url: str
    status: int
    headers: dict[str, str]
    """Lower-cased names, :data:`KEPT_HEADERS` only; repeated values joined with ", "."""
    body: bytes | None = None


class Trail:
    """What checking one URL went through: hops, requests, the active-time budget."""

    __slots__ = ("attempts", "budget", "chain", "cookies", "permanent")

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.chain: list[str] = []
        self.attempts = 0
        self.permanent = False
        self.cookies: httpx.Cookies | None = None
        """Created when a hop sets a cookie."""


@dataclass(frozen=True, slots=True)
class Target:
    """A URL about to be requested, with what the request needs to know about its host."""

    url: str
    host: str
    gate: HostGate
    headers: httpx.Headers
    request_url: httpx.URL
    """Parsed once: httpx.Request parses a string URL on every request (about 60 µs)."""


class Fetcher:
    """Checks URLs with shared limits; use as ``async with Fetcher(options) as fetcher``.

    At most ``options.concurrency`` requests are in flight; callers may start more checks
    than that, but a bounded number of workers (see resolve/schedule.py) keeps memory flat.
    """

    def __init__(
        self,
        options: Options,
        transport: Transport = "aiohttp",
        allowed_addresses: Collection[str] = (),
        backoff: float = 0.5,
    ) -> None:
        self.options = options
        self.policy = AddressPolicy(options.allow_private, allowed_addresses)
        self.responses = 0
        """Exchanges that got an HTTP answer: proof that the network is up."""
        self._transport_choice = transport
        self._backoff = backoff
        self._gates = HostGates(options)
        self._global = asyncio.Semaphore(max(1, options.concurrency))
        self._probes: dict[str, asyncio.Future[Answer | None]] = {}
        self._transport: httpx.AsyncBaseTransport | None = None
        self._memo: dict[tuple[str, str], asyncio.Future[Answer] | Answer | NetworkFailure] = {}
        """Per method and URL: the request in flight, then its answer or failure."""
        self._https: dict[str, asyncio.Future[bool]] = {}
        """Per host: does its https side serve the twin of its first ok http:// link?"""
        self._headers: dict[bytes, httpx.Headers] = {}
        """Per host and port (``netloc``): every header of a request, Host first."""
        # Connecting may take the whole budget; reading needs no clock of its own, since the
        # budget's clock (``_timed``) runs over the whole exchange, body included. A read
        # timeout would be re-armed on every chunk received: 2 timers a request, not 1.
        timeout = httpx.Timeout(connect=options.timeout, read=None, write=None, pool=None)
        self._extensions = {"timeout": timeout.as_dict()}

    async def __aenter__(self) -> Fetcher:
        self._transport = self._make_transport()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transport is not None:
            await self._transport.aclose()

    def _make_transport(self) -> httpx.AsyncBaseTransport:
        choice = self._transport_choice
        if isinstance(choice, httpx.AsyncBaseTransport):
            return choice
        if choice == "httpx":
            transport = httpx.AsyncHTTPTransport(
                http2=True, limits=httpx.Limits(max_connections=self.options.concurrency)
            )
            transport._pool._network_backend = SafeNetworkBackend(self.policy)
            return transport
        connector = aiohttp.TCPConnector(
            limit=self.options.concurrency,
            limit_per_host=self._gates.max_limit(),
            resolver=SafeResolver(self.policy),
            ttl_dns_cache=300,
            ssl=True,  # aiohttp's verified default context, built once at its import
        )
        session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
        )
        return AiohttpTransport(session)

    async def check(self, url: str) -> LinkCheck:
        """The outcome of fetching ``url`` (fragment checked against the page when HTML)."""
        problem = url_problem(url)
        if problem:
            return _result(url, LinkStatus.INVALID, detail=problem)
        parts = split_url(url)
        if parts.scheme not in FETCHED_SCHEMES:
            detail = f"{parts.scheme}: links are not fetched"
            return _result(url, LinkStatus.EXCLUDED, detail=detail)
        trail = Trail(budget=self.options.timeout)
        try:
            page = urlunsplit(parts._replace(fragment=""))
            page = url if page == url else page  # one string for both, kept in the results
            answer = await self._follow(page, trail, read_first=bool(parts.fragment))
        except NetworkFailure as failure:
            return self._failed(url, trail, failure)
        result = await self._classify(url, parts.fragment, answer, trail)
        if result.status is LinkStatus.OK and parts.scheme == "http":
            result = await self._https_twin(result, answer)
        return result

    async def _follow(self, start: str, trail: Trail, read_first: bool = False) -> Answer:
        """Follow ``start``'s redirects by hand. Where the page will be read anyway (a fragment
        to find, a hop after a redirect: soft 404s hide there) it is asked with GET at once, not
        HEAD then GET."""
        url = start
        trail.chain.append(url)
        while True:
            need_body = read_first or len(trail.chain) > 1
            answer = await self._head_then_get(url, trail, need_body)
            location = answer.headers.get("location")
            if answer.status not in REDIRECT_STATUSES or not location:
                return answer
            url = _redirect_target(url, location.strip())
            if urlsplit(url).scheme not in FETCHED_SCHEMES:
                raise NetworkFailure("forbidden", f"redirect to a non-http URL: {url}")
            if url in trail.chain:
                trail.chain.append(url)
                raise NetworkFailure("loop", "redirect loop")
            trail.chain.append(url)
            trail.permanent |= answer.status in PERMANENT_REDIRECTS
            if len(trail.chain) > self.options.max_redirects + 1:
                raise NetworkFailure("loop", f"more than {self.options.max_redirects} redirects")

    async def _head_then_get(self, url: str, trail: Trail, need_body: bool = False) -> Answer:
        if not need_body:
            head = await self._exchange("HEAD", url, trail)
            if 200 <= head.status < 400:
                return head
        return await self._exchange("GET", url, trail)

    async def _exchange(self, method: str, url: str, trail: Trail) -> Answer:
        """One request per method and URL in a run; identical requests wait for the first."""
        key = (method, url)
        known = self._memo.get(key)
        if known is not None:
            return await _recalled(known)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._memo[key] = future
        try:
            answer = await self._retrying(method, url, trail)
        except NetworkFailure as failure:
            self._memo[key] = failure
            future.set_exception(failure)
            future.exception()  # waiters re-raise it; nobody else needs to
            raise
        except BaseException:
            del self._memo[key]
            future.cancel()
            raise
        small = answer.body is None or len(answer.body) <= MEMO_BODY
        kept = answer if small else replace(answer, body=None)
        self._memo[key] = kept
        future.set_result(kept)
        return answer

    async def _retrying(self, method: str, url: str, trail: Trail) -> Answer:
        """One request, retried on connect errors, timeouts, 429, 502, 503, 504."""
        target = self.target(url)
        gate = target.gate
        for attempt in range(self.options.max_retries + 1):
            last = attempt == self.options.max_retries
            try:
                answer = await self._once(method, target, trail)
            except NetworkFailure as failure:
                if last or failure.kind in ("dns", "forbidden", "protocol") or trail.budget <= 0:
                    raise
                await asyncio.sleep(self._delay(attempt))
                continue
            if answer.status not in RETRY_STATUSES or last:
                return answer
            pause = retry_after(answer.headers.get("retry-after"), MAX_PAUSE + 1)
            if answer.status == 429:
                gate.slow_down()
            if pause is not None and pause > MAX_PAUSE:
                return answer
            wait = pause if pause is not None else self._delay(attempt)
            gate.pause(wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _delay(self, attempt: int) -> float:
        base = self._backoff * 2.0**attempt
        return min(base + random.uniform(0, base), MAX_PAUSE)

    def host_limit(self, key: str) -> int:
        """Requests allowed at once to the host ``key`` (from urls.host_key)."""
        return self._gates.gate(key).limit if key else self.options.concurrency

    def target(self, url: str) -> Target:
        """``url`` with its host, its gate and its request headers (host policies applied).

        A URL the HTTP stack cannot request is a NetworkFailure of kind invalid.
        """
        try:
            parts = split_url(url)
            host = parts.hostname or ""
            port = parts.port or (443 if parts.scheme == "https" else 80)
            request_url = httpx.URL(url)
            _ = request_url.host  # decodes an xn-- name, as building the request would
        except (httpx.InvalidURL, ValueError) as error:
            raise NetworkFailure("invalid", f"{url} cannot be parsed: {error}") from None
        gate = self._gates.gate(f"{host}:{port}")
        netloc = request_url.netloc
        headers = self._headers.get(netloc)
        if headers is None:
            headers = httpx.Headers(HEADERS)
            policy = self._gates.policy(host)
            headers.update(dict(policy.headers) if policy and policy.headers else {})
            # Host first, as httpx would put it: the request is then built as it stands
            headers = self._headers[netloc] = httpx.Headers([(b"Host", netloc), *headers.raw])
        return Target(url, host, gate, headers, request_url)

    async def _once(self, method: str, target: Target, trail: Trail) -> Answer:
        try:
            self.policy.check_literal(target.host)
        except ForbiddenAddress as error:
            raise NetworkFailure("forbidden", str(error)) from error
        gate = target.gate
        await gate.acquire()
        try:
            async with self._global:
                answer = await self._timed(method, target, trail)
        finally:
            gate.release()
        self.responses += 1
        if "x-ratelimit-remaining" in answer.headers:
            pause = rate_limit_pause(answer.headers, MAX_PAUSE)
            if pause:
                gate.pause(pause)
        return answer

    async def _timed(self, method: str, target: Target, trail: Trail) -> Answer:
        """One exchange on the URL's active-time budget (the clock starts now, slots held)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        trail.attempts += 1
        try:
            async with asyncio.timeout(max(trail.budget, 0.001)):
                return await self._send(method, target, trail)
        except TimeoutError as error:
            message = f"timed out after {self.options.timeout:g} s"
            raise NetworkFailure("timeout", message) from error
        except (httpx.HTTPError, aiohttp.ClientError) as error:
            # the aiohttp transport lets a malformed answer through as aiohttp's own error
            raise _translate(error) from error
        finally:
            trail.budget -= loop.time() - started

    async def _send(self, method: str, target: Target, trail: Trail) -> Answer:
        assert self._transport is not None, "use Fetcher as an async context manager"
        request = httpx.Request(
            method,
            target.request_url,
            headers=target.headers,
            extensions=self._extensions,
            stream=httpx.ByteStream(b""),  # no body, and the headers are complete: as they are
        )
        request.read()
        if trail.cookies:
            trail.cookies.set_cookie_header(request)
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            headers = _header_dict(response.headers)
            if "set-cookie" in headers:
                trail.cookies = trail.cookies or httpx.Cookies()
                trail.cookies.extract_cookies(response)
            body = None
            if method == "GET" and not _readable(headers):
                body = b""  # a PDF, an image, an archive: nothing to classify in it
            elif method == "GET" and response.is_stream_consumed:  # read by the transport
                body = response.content[: self.options.get_cap]
            elif method == "GET":
                encoding = headers.get("content-encoding", "")
                body = await decoded_prefix(response.aiter_raw(), encoding, self.options.get_cap)
            return Answer(target.url, response.status_code, headers, body)
        finally:
            await response.aclose()

    async def _classify(self, url: str, fragment: str, answer: Answer, trail: Trail) -> LinkCheck:
        status = answer.status
        final = answer.url
        wants_body = 200 <= status < 300 and (fragment or len(trail.chain) > 1)
        if wants_body and answer.body is None and _is_html(answer):
            with contextlib.suppress(NetworkFailure):
                answer = await self._exchange("GET", final, trail)
            status = answer.status
        verdict, detail = self._verdict(url, answer, trail)
        if verdict is LinkStatus.OK and answer.body is not None and _is_html(answer):
            verdict, detail = await self._read_page(url, fragment, answer, detail)
        if verdict is LinkStatus.OK and trail.permanent:
            verdict = LinkStatus.REDIRECTED
        return _result(url, verdict, trail, status, answer, detail)

    def _verdict(self, url: str, answer: Answer, trail: Trail) -> tuple[LinkStatus, str]:
        status = answer.status
        body = answer.body or b""
        wall = classify.is_bot_wall(
            status, answer.headers.get("server", ""), answer.headers.get("cf-mitigated", ""), body
        )
        if wall:
            return LinkStatus.BLOCKED, "bot wall (challenge page)"
        if classify.is_login_redirect(url, answer.url):
            return LinkStatus.BLOCKED, f"redirected to a login page: {answer.url}"
        if status in classify.BLOCKED_STATUSES:
            return LinkStatus.BLOCKED, f"HTTP {status}"
        if status >= 400 or status < 200:
            return LinkStatus.BROKEN, f"HTTP {status}"
        if 300 <= status < 400:
            return LinkStatus.BROKEN, f"HTTP {status} without a usable Location"
        if len(trail.chain) > 1 and classify.is_home_redirect(url, answer.url):
            return LinkStatus.SOFT_404, f"deep link redirected to the home page {answer.url}"
        return LinkStatus.OK, ""

    async def _read_page(
        self, url: str, fragment: str, answer: Answer, detail: str
    ) -> tuple[LinkStatus, str]:
        body = answer.body or b""
        if classify.says_not_found(body):
            return LinkStatus.SOFT_404, "the page's title says not found"
        probe = await self._probe(answer.url)
        path = urlsplit(answer.url).path
        if (
            probe is not None
            and probe.body is not None
            and classify.same_page(body, probe.body, path, urlsplit(probe.url).path)
        ):
            return LinkStatus.SOFT_404, "same page as the host's answer for an impossible path"
        if fragment and not classify.defines_anchor(body, fragment):
            detail = classify.add_flag(detail, classify.MISSING_ANCHOR, "#" + fragment)
        return LinkStatus.OK, detail

    async def _probe(self, url: str) -> Answer | None:
        """What the host answers for a path that cannot exist (fetched once per host)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        future = self._probes.get(key)
        if future is None:
            future = self._probes[key] = asyncio.get_running_loop().create_future()
            with _settled(future, None):
                path = f"/citecheck-probe-{secrets.token_hex(12)}"
                try:
                    found: Answer | None = await self._exchange(
                        "GET", key + path, Trail(self.options.timeout)
                    )
                except NetworkFailure:
                    found = None
                future.set_result(found if found and 200 <= found.status < 300 else None)
        return await asyncio.shield(future)

    async def _https_twin(self, result: LinkCheck, answer: Answer) -> LinkCheck:
        """Flag an ok http:// link when its host serves https (asked once per host)."""
        final = split_url(answer.url)
        if final.scheme != "http":
            return result
        host = final.hostname or ""
        future = self._https.get(host)
        if future is None:
            future = self._https[host] = asyncio.get_running_loop().create_future()
            with _settled(future, False):
                future.set_result(await self._serves_https(_twin(final)))
        served = future.result() if future.done() else await asyncio.shield(future)
        if not served:
            return result
        twin = _twin(final)
        return replace(result, detail=classify.add_flag(result.detail, classify.HTTPS_TWIN, twin))

    async def _serves_https(self, twin: str) -> bool:
        """One HEAD to the https twin of a host's first ok http:// link: 2xx or not."""
        try:
            other = await self._once("HEAD", self.target(twin), Trail(self.options.timeout))
        except NetworkFailure:
            return False
        return 200 <= other.status < 300

    def _failed(self, url: str, trail: Trail, failure: NetworkFailure) -> LinkCheck:
        broken = ("dns", "loop", "redirect", "invalid")
        status = {kind: LinkStatus.BROKEN for kind in broken}.get(
            failure.kind, LinkStatus.UNREACHABLE
        )
        if failure.kind == "invalid" and len(trail.chain) == 1:
            status = LinkStatus.INVALID  # the URL itself, not where it redirects
        detail = str(failure)
        if failure.kind == "dns":
            detail = f"host not found: {urlsplit(trail.chain[-1]).hostname}"
        chain = tuple(trail.chain) if len(trail.chain) > 1 else ()
        return LinkCheck(
            url=url,
            status=status,
            final_url=trail.chain[-1],
            chain=chain,
            attempts=trail.attempts,
            detail=detail,
            checked_at=now(),
        )


def _result(
    url: str,
    status: LinkStatus,
    trail: Trail | None = None,
    http_status: int | None = None,
    answer: Answer | None = None,
    detail: str = "",
) -> LinkCheck:
    chain = tuple(trail.chain) if trail and len(trail.chain) > 1 else ()
    content_type = answer.headers.get("content-type") if answer else None
    return LinkCheck(
        url=url,
        status=status,
        http_status=http_status,
        final_url=answer.url if answer else None,
        chain=chain,
        attempts=trail.attempts if trail else 0,
        content_type=content_type,
        detail=detail,
        checked_at=now(),
    )


def _redirect_target(url: str, location: str) -> str:
    """The absolute URL a ``Location`` header points to; a malformed one is a broken link."""
    try:
        target = urljoin(url, location)
    except ValueError as error:
        problem: str | None = str(error)
    else:
        problem = url_problem(target)
    if problem:
        message = f"redirect to a malformed URL {location!r}: {problem}"
        raise NetworkFailure("redirect", message)
    return target


def _translate(error: httpx.HTTPError | aiohttp.ClientError) -> NetworkFailure:
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(chain) < 20:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for cause in chain:
        if isinstance(cause, ForbiddenAddress):
            return NetworkFailure("forbidden", str(cause))
        if isinstance(cause, HostNotFound):
            return NetworkFailure("dns", str(cause))
        if isinstance(cause, OSError) and "resolve" in str(cause):
            return NetworkFailure("dns", str(cause))
    for cause in chain:
        if isinstance(cause, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
            what = str(getattr(cause, "message", "") or cause) or type(cause).__name__
            first = what.strip().splitlines()[0].rstrip(":") if what.strip() else what
            return NetworkFailure("protocol", f"its answer is not valid HTTP: {first}")
        if isinstance(cause, aiohttp.ClientConnectionError):
            # The aiohttp transport maps every connection error to ConnectTimeout: say
            # what really happened.
            return _connection_failure(cause)
    if isinstance(error, httpx.TimeoutException | httpcore.TimeoutException):
        return NetworkFailure("timeout", "timed out")
    name = type(error).__name__
    return NetworkFailure("connect", f"{name}: {error}" if str(error) else name)


def _connection_failure(error: aiohttp.ClientConnectionError) -> NetworkFailure:
    if isinstance(error, TimeoutError):
        return NetworkFailure("timeout", "timed out")
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return NetworkFailure("connect", "the server closed the connection without answering")
    reason = error.os_error if isinstance(error, aiohttp.ClientConnectorError) else error
    if isinstance(reason, ConnectionRefusedError):
        return NetworkFailure("connect", "connection refused")
    if isinstance(reason, ConnectionResetError):
        return NetworkFailure("connect", "connection reset by the server")
    if isinstance(reason, OSError) and reason.strerror:
        return NetworkFailure("connect", reason.strerror.lower())
    return NetworkFailure("connect", str(error) or type(error).__name__)


@contextlib.contextmanager
def _settled(future: asyncio.Future[_T], default: _T) -> Iterator[None]:
    """Whatever happens inside, ``future`` ends with a result, so its waiters never hang."""
    try:
        yield
    finally:
        if not future.done():
            future.set_result(default)


def _twin(parts: SplitResult) -> str:
    """The https:// URL of an http:// one, on the default port."""
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urlunsplit(parts._replace(scheme="https", netloc=netloc))


async def _recalled(known: asyncio.Future[Answer] | Answer | NetworkFailure) -> Answer:
    """An earlier exchange's answer (waiting for it if still in flight), or its failure."""
    if isinstance(known, Answer):
        return known
    if isinstance(known, NetworkFailure):
        raise known
    return await asyncio.shield(known)


def _header_dict(headers: httpx.Headers) -> dict[str, str]:
    """The kept headers, lower-cased; repeated ones joined with ", " as httpx does."""
    found: dict[str, str] = {}
    encoding = ""
    for name, value in headers.raw:
        label = KEPT_HEADERS.get(name.lower())
        if label is not None:
            encoding = encoding or headers.encoding
            text = value.decode(encoding)
            if label in SHARED_VALUES:
                text = _shared(text)
            found[label] = f"{found[label]}, {text}" if label in found else text
    return found


@functools.lru_cache(maxsize=1024)
def _shared(text: str) -> str:
    """One string for a header value most answers repeat (``text/html``, a server's name)."""
    return text


def _readable(headers: dict[str, str]) -> bool:
    """Is a body with these headers one the checks read (HTML, text, XML, or untyped)?"""
    kind = headers.get("content-type", "").lower()
    return not kind or any(word in kind for word in _READABLE_TYPES)


def _is_html(answer: Answer) -> bool:
    kind = answer.headers.get("content-type", "").lower()
    return "html" in kind or (not kind and bool(answer.body) and b"<html" in (answer.body or b""))
