"""The link engine against a scripted server on 127.0.0.1: one case per kind of answer."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import socket
import struct
import time
from dataclasses import replace

import httpx
import pytest

from citecheck.errors import ConfigError
from citecheck.model import LinkStatus
from citecheck.options import HostPolicy, Options
from citecheck.resolve.classify import flags
from citecheck.resolve.fetch import Fetcher, Trail, _header_dict
from citecheck.resolve.links import LinkRun, check_urls, remap_problem
from citecheck.resolve.safety import decoded_prefix
from tests.resolve.local_web import FAST, HTML, Handler, Web, page, raw


def run(urls: list[str], options: Options = FAST, **kwargs: object) -> LinkRun:
    return asyncio.run(check_urls(urls, options, **kwargs))  # type: ignore[arg-type]


def test_ok_head_only(web: Web) -> None:
    web.answer("/a", raw(200, page("A"), HTML))
    result = run([web.url("/a")]).checks[web.url("/a")]
    assert result.status is LinkStatus.OK and result.http_status == 200
    assert web.hits["/a"] == ["HEAD"]


@pytest.mark.parametrize("code", [404, 410, 500])
def test_client_and_server_errors_are_broken(web: Web, code: int) -> None:
    web.answer("/x", raw(code, b"gone"))
    result = run([web.url("/x")]).checks[web.url("/x")]
    assert result.status is LinkStatus.BROKEN and result.http_status == code
    assert web.hits["/x"] == ["HEAD", "GET"]


@pytest.mark.parametrize("answer", [b"19\r\nthis is not http\r\n\r\n", b"HTTP/1.1 abc Odd\r\n\r\n"])
def test_an_answer_that_is_not_http_is_one_unreachable_link(web: Web, answer: bytes) -> None:
    web.answer("/odd", answer, answer, answer, answer, answer, answer)
    web.answer("/a", raw(200, page("A"), HTML))
    checks = run([web.url("/odd"), web.url("/a")]).checks
    odd = checks[web.url("/odd")]
    assert odd.status is LinkStatus.UNREACHABLE and "not valid HTTP" in (odd.detail or "")
    assert checks[web.url("/a")].status is LinkStatus.OK


def test_500_then_200_is_ok(web: Web) -> None:
    web.answer("/flaky", raw(500), raw(200, page("fine"), HTML))
    result = run([web.url("/flaky")]).checks[web.url("/flaky")]
    assert result.status is LinkStatus.OK
    assert result.attempts == 2


def test_head_refused_falls_back_to_get(web: Web) -> None:
    web.answer("/nohead", raw(405), raw(200, page("Body"), HTML))
    result = run([web.url("/nohead")]).checks[web.url("/nohead")]
    assert result.status is LinkStatus.OK
    assert web.hits["/nohead"] == ["HEAD", "GET"]


def test_429_retry_after_is_honoured(web: Web) -> None:
    web.answer("/busy", raw(429, headers={"Retry-After": "1"}), raw(200, page("ok"), HTML))
    started = time.monotonic()
    result = run([web.url("/busy")]).checks[web.url("/busy")]
    assert result.status is LinkStatus.OK
    assert time.monotonic() - started >= 0.9


def test_429_after_retries_is_blocked(web: Web) -> None:
    web.answer("/wall", raw(429, headers={"Retry-After": "0"}))
    result = run([web.url("/wall")], replace(FAST, max_retries=1)).checks[web.url("/wall")]
    assert result.status is LinkStatus.BLOCKED and result.http_status == 429


def test_redirect_chain_is_recorded(web: Web) -> None:
    web.answer("/one", raw(301, headers={"Location": "/two"}))
    web.answer("/two", raw(302, headers={"Location": "/three"}))
    web.answer("/three", raw(200, page("Three"), HTML))
    result = run([web.url("/one")]).checks[web.url("/one")]
    assert result.status is LinkStatus.REDIRECTED
    assert result.chain == (web.url("/one"), web.url("/two"), web.url("/three"))
    assert result.final_url == web.url("/three")


def test_a_page_that_will_be_read_is_asked_with_get_at_once(web: Web) -> None:
    """After a redirect (soft 404s hide there) and for a fragment, HEAD would only be
    followed by a GET of the same page."""
    web.answer("/old", raw(301, headers={"Location": "/new"}))
    web.answer("/new", raw(200, page("New"), HTML))
    web.answer("/doc", raw(200, page("Doc", '<h2 id="intro">Intro</h2>'), HTML))
    checks = run([web.url("/old"), web.url("/doc#intro")]).checks
    assert checks[web.url("/old")].status is LinkStatus.REDIRECTED
    assert checks[web.url("/doc#intro")].status is LinkStatus.OK
    assert web.hits["/old"] == ["HEAD"]
    assert web.hits["/new"] == ["GET"] and web.hits["/doc"] == ["GET"]


def test_a_get_leaves_a_body_it_cannot_classify_unread(web: Web) -> None:
    """A PDF behind a host that refuses HEAD is not downloaded to check the link."""
    pdf = raw(200, b"%PDF-" + b"x" * 300_000, {"Content-Type": "application/pdf"})
    web.answer("/direct.pdf", pdf)
    web.answer("/page", raw(200, page("Page"), HTML))
    web.answer("/paper.pdf", raw(405), pdf)

    async def bodies() -> list[bytes | None]:
        async with Fetcher(FAST) as fetcher:
            document = await fetcher._exchange("GET", web.url("/direct.pdf"), Trail(budget=5.0))
            html = await fetcher._exchange("GET", web.url("/page"), Trail(budget=5.0))
        return [document.body, html.body]

    assert asyncio.run(bodies()) == [b"", page("Page")]
    result = run([web.url("/paper.pdf")]).checks[web.url("/paper.pdf")]
    assert result.status is LinkStatus.OK and web.hits["/paper.pdf"] == ["HEAD", "GET"]


def test_redirect_loop_is_broken(web: Web) -> None:
    web.answer("/ping", raw(302, headers={"Location": "/pong"}))
    web.answer("/pong", raw(302, headers={"Location": "/ping"}))
    result = run([web.url("/ping")]).checks[web.url("/ping")]
    assert result.status is LinkStatus.BROKEN and "loop" in result.detail


@pytest.mark.parametrize(
    "location",
    ["http://127.0.0.1:99999/x", "http://a]b/", "http://[::1", "http://a..b/", "http://xn--a.org/"],
)
def test_a_malformed_redirect_is_one_broken_link_not_a_crash(web: Web, location: str) -> None:
    web.answer("/bad", raw(302, headers={"Location": location}))
    web.answer("/ok", raw(200, page("fine"), HTML))
    checks = run([web.url("/bad"), web.url("/ok")]).checks
    assert checks[web.url("/bad")].status is LinkStatus.BROKEN
    assert "malformed" in checks[web.url("/bad")].detail
    assert checks[web.url("/ok")].status is LinkStatus.OK


MALFORMED = [
    "http://[bad",
    "http://[::1",
    "http:///nohost",
    "http://example.org:99999/x",
    "http://[::1]x/",
    "http://a..b/",
    "http://xn--a.org/",
    "http://256.1.1.1/",
]


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_malformed_urls_are_invalid_not_a_crash(web: Web, transport: str) -> None:
    web.answer("/ok", raw(200))
    checks = run([*MALFORMED, web.url("/ok")], transport=transport).checks
    assert {url: checks[url].status for url in MALFORMED} == dict.fromkeys(
        MALFORMED, LinkStatus.INVALID
    )
    assert checks["http://[bad"].detail == "cannot be parsed: Invalid IPv6 URL"
    assert checks[web.url("/ok")].status is LinkStatus.OK


def test_the_fetcher_itself_never_raises_for_a_malformed_url() -> None:
    async def check_all() -> list[LinkStatus]:
        async with Fetcher(FAST) as fetcher:
            return [(await fetcher.check(url)).status for url in MALFORMED]

    assert asyncio.run(check_all()) == [LinkStatus.INVALID] * len(MALFORMED)


def test_offline_still_reports_malformed_urls(web: Web) -> None:
    urls = ["http:///nohost", "http://example.org:99999/x", "http://[bad", web.url("/a")]
    result = run(urls, replace(FAST, offline=True))
    assert [result.checks[url].status for url in urls] == [LinkStatus.INVALID] * 3 + [
        LinkStatus.OFFLINE
    ]
    assert result.checks["http:///nohost"].detail == "no host"
    assert result.notices == ("offline: 1 link not checked",)
    assert not web.hits


def test_a_name_resolving_only_to_private_addresses_is_refused_over_httpx() -> None:
    # 0x7f.1 is 127.0.0.1 to the resolver, but no IP literal to the address check
    result = run(["http://0x7f.1:9/"], replace(FAST, allow_private=False), transport="httpx")
    check = result.checks["http://0x7f.1:9/"]
    assert check.status is LinkStatus.UNREACHABLE and "non-public" in check.detail


def test_too_many_redirects(web: Web) -> None:
    for i in range(5):
        web.answer(f"/r{i}", raw(307, headers={"Location": f"/r{i + 1}"}))
    result = run([web.url("/r0")], replace(FAST, max_redirects=3)).checks[web.url("/r0")]
    assert result.status is LinkStatus.BROKEN and "redirects" in result.detail


def test_deep_link_to_home_page_is_soft_404(web: Web) -> None:
    web.answer("/articles/2019/gone", raw(302, headers={"Location": "/"}))
    web.answer("/", raw(200, page("Welcome"), HTML))
    result = run([web.url("/articles/2019/gone")]).checks[web.url("/articles/2019/gone")]
    assert result.status is LinkStatus.SOFT_404


def test_page_titled_not_found_is_soft_404(web: Web) -> None:
    web.answer("/missing", raw(405), raw(200, page("Page not found", "<h1>Sorry</h1>"), HTML))
    result = run([web.url("/missing")]).checks[web.url("/missing")]
    assert result.status is LinkStatus.SOFT_404


def test_page_identical_to_random_path_answer_is_soft_404(web: Web) -> None:
    body = page("Our site", "<p>Nothing here for you</p>")

    async def everything(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        writer.write(raw(200, body if method == "GET" else b"", HTML, length=len(body)))

    web.routes["/old/report#summary"] = everything
    web.routes["/old/report"] = everything
    original = web.routes.get

    def catch_all(path: str, default: Handler | None = None) -> Handler | None:
        return original(path) or (everything if path.startswith("/citecheck-probe-") else None)

    web.routes = type("Routes", (dict,), {"get": staticmethod(catch_all)})(web.routes)
    result = run([web.url("/old/report#summary")]).checks[web.url("/old/report#summary")]
    assert result.status is LinkStatus.SOFT_404
    assert any(path.startswith("/citecheck-probe-") for path in web.hits)


def test_missing_anchor_is_flagged(web: Web) -> None:
    web.answer("/doc", raw(200, page("Doc", '<h2 id="intro">Intro</h2><a name="end"></a>'), HTML))
    checks = run([web.url("/doc#intro"), web.url("/doc#end"), web.url("/doc#nowhere")]).checks
    assert "missing-anchor" not in flags(checks[web.url("/doc#intro")].detail)
    assert "missing-anchor" not in flags(checks[web.url("/doc#end")].detail)
    assert flags(checks[web.url("/doc#nowhere")].detail)["missing-anchor"] == "#nowhere"
    assert web.hits["/doc"].count("GET") == 1, "the page is fetched once for all anchors"


def test_slow_drip_is_bounded_by_the_total_timeout(web: Web) -> None:
    async def drip(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        writer.write(raw(405) if method == "HEAD" else raw(200, b"", HTML, length=100_000))
        for _ in range(200):
            await writer.drain()
            if method == "HEAD":
                return
            writer.write(b"<")
            await asyncio.sleep(0.1)

    web.routes["/drip"] = drip
    started = time.monotonic()
    options = replace(FAST, timeout=1.0, max_retries=0)
    result = run([web.url("/drip")], options).checks[web.url("/drip")]
    assert result.status is LinkStatus.UNREACHABLE and "timed out" in result.detail
    assert time.monotonic() - started < 3


def test_connection_reset_is_unreachable(web: Web) -> None:
    async def reset(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    web.routes["/reset"] = reset
    result = run([web.url("/reset")], replace(FAST, max_retries=1)).checks[web.url("/reset")]
    assert result.status is LinkStatus.UNREACHABLE
    assert result.attempts == 2, "a reset is retried"
    assert "timed out" not in result.detail


def test_a_refused_connection_says_so_and_is_not_a_timeout() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/page"
    listener.close()  # nothing listens there now: connecting is refused at once
    started = time.monotonic()
    result = run([url], replace(FAST, max_retries=1)).checks[url]
    assert result.status is LinkStatus.UNREACHABLE
    assert result.detail == "connection refused"
    assert result.attempts == 2
    assert time.monotonic() - started < FAST.timeout


def test_gzip_bomb_is_read_to_the_cap_only(web: Web) -> None:
    bomb = gzip.compress(b"<html>" + b" " * 50_000_000)
    web.answer("/bomb", raw(405), raw(200, bomb, {**HTML, "Content-Encoding": "gzip"}))
    result = run([web.url("/bomb")], replace(FAST, get_cap=100_000)).checks[web.url("/bomb")]
    assert result.status is LinkStatus.OK


def test_decoded_prefix_caps_inflated_bytes() -> None:
    bomb = gzip.compress(b"a" * 20_000_000)

    async def chunks() -> object:
        for i in range(0, len(bomb), 4096):
            yield bomb[i : i + 4096]

    body = asyncio.run(decoded_prefix(chunks(), "gzip", 1000))  # type: ignore[arg-type]
    assert body == b"a" * 1000


def test_ten_gigabyte_body_is_not_read(web: Web) -> None:
    async def huge(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        if method == "HEAD":
            writer.write(raw(403))
            return
        writer.write(raw(200, b"", HTML, length=10 * 1024**3))
        for _ in range(2000):  # far more than the cap, far less than the length
            writer.write(b"x" * 65536)
            await writer.drain()

    web.routes["/huge"] = huge
    started = time.monotonic()
    result = run([web.url("/huge")], replace(FAST, get_cap=1_000_000)).checks[web.url("/huge")]
    assert result.status is LinkStatus.OK
    assert time.monotonic() - started < 3


def test_redirect_to_private_addresses_is_refused(web: Web) -> None:
    web.answer("/meta", raw(302, headers={"Location": "http://169.254.169.254/latest/"}))
    web.answer("/lan", raw(302, headers={"Location": "http://127.0.0.2:9/"}))
    options = replace(FAST, allow_private=False)
    checks = run(
        [web.url("/meta"), web.url("/lan")], options, allowed_addresses={"127.0.0.1"}
    ).checks
    for path in ("/meta", "/lan"):
        result = checks[web.url(path)]
        assert result.status is LinkStatus.UNREACHABLE
        assert "not public" in result.detail
        assert web.hits[path] == ["HEAD"]


def test_loopback_refused_without_allow_private(web: Web) -> None:
    web.answer("/a", raw(200))
    result = run([web.url("/a")], replace(FAST, allow_private=False)).checks[web.url("/a")]
    assert result.status is LinkStatus.UNREACHABLE
    assert "/a" not in web.hits


def test_network_down_gives_one_notice_and_no_broken_links() -> None:
    urls = ["https://nothing.invalid/a", "http://nowhere.invalid/b"]
    result = run(urls, replace(FAST, allow_private=False))
    assert result.notices == ("network unavailable: 2 links not checked",)
    assert {c.status for c in result.checks.values()} == {LinkStatus.OFFLINE}


def test_unknown_host_while_network_up_is_broken(web: Web) -> None:
    web.answer("/a", raw(200))
    result = run([web.url("/a"), "http://nothing.invalid/"])
    assert result.checks["http://nothing.invalid/"].status is LinkStatus.BROKEN
    assert result.notices == ()


def test_offline_option_skips_the_network(web: Web) -> None:
    result = run([web.url("/a")], replace(FAST, offline=True))
    assert result.checks[web.url("/a")].status is LinkStatus.OFFLINE
    assert result.notices == ("offline: 1 link not checked",)
    assert not web.hits


def test_same_url_fetched_once_and_user_agent_and_host_headers(web: Web) -> None:
    web.answer("/same", raw(200))
    options = replace(FAST, hosts=(("127.0.0.1", HostPolicy(headers=(("X-Key", "k"),))),))
    result = run([web.url("/same")] * 5, options)
    assert len(result.checks) == 1
    assert web.hits["/same"] == ["HEAD"]
    head = web.heads[0].lower()
    assert "user-agent: citecheck/" in head and "(+https://github.com/citecheck/citecheck)" in head
    assert "x-key: k" in head
    lines = head.split("\r\n")
    assert lines[1] == f"host: 127.0.0.1:{web.port}", "the Host header first, once"
    assert sum(line.startswith("host:") for line in lines) == 1
    assert not any(line.startswith(("content-length:", "transfer-encoding:")) for line in lines)


def test_per_host_limit_and_min_interval(web: Web) -> None:
    active = 0
    peak = 0
    starts: list[float] = []

    async def slow(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        starts.append(time.monotonic())
        await asyncio.sleep(0.05)
        active -= 1
        writer.write(raw(200))

    for i in range(6):
        web.routes[f"/p{i}"] = slow
    run([web.url(f"/p{i}") for i in range(6)], replace(FAST, per_host=2))
    assert peak <= 2
    starts.clear()
    run([web.url(f"/p{i}") for i in range(3)], replace(FAST, min_interval=0.2))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 0.15 for gap in gaps)


def test_exclude_and_remap(web: Web) -> None:
    web.answer("/new", raw(200))
    options = replace(
        FAST,
        exclude=(r"example\.org",),
        remap=((r"https://old\.invalid/", web.url("/new").replace("new", "")),),
    )
    result = run(["https://example.org/x", "https://old.invalid/new"], options)
    assert result.checks["https://example.org/x"].status is LinkStatus.EXCLUDED
    assert result.checks["https://old.invalid/new"].status is LinkStatus.OK


@pytest.mark.parametrize("group", ["$1", "\\1"])
def test_remap_replacements_take_dollar_and_backslash_groups(web: Web, group: str) -> None:
    web.answer("/moved/page", raw(200))
    options = replace(FAST, remap=((r"^https://old\.invalid/(.*)$", web.url("/moved/") + group),))
    result = run(["https://old.invalid/page"], options).checks["https://old.invalid/page"]
    assert result.status is LinkStatus.OK
    assert result.final_url == web.url("/moved/page")


@pytest.mark.parametrize(
    ("replacement", "problem"),
    [
        ("/ok/$1", "replacement '/ok/$1' refers to group 1, which the pattern does not have"),
        ("/ok/\\2", "replacement '/ok/\\\\2' refers to group 2, which the pattern does not have"),
        ("/ok/\\g<name>", "refers to group 'name', which the pattern does not have"),
        ("/ok/\\d", "bad replacement '/ok/\\\\d': bad escape \\d"),
    ],
)
def test_a_bad_remap_replacement_stops_the_run_before_any_fetch(
    web: Web, replacement: str, problem: str
) -> None:
    web.answer("/404", raw(404))
    options = replace(FAST, remap=((r"/404$", replacement),))
    with pytest.raises(ConfigError) as raised:
        run([web.url("/404")], options)
    assert str(raised.value).startswith("remap '/404$': ")
    assert problem in str(raised.value)
    assert not web.hits


def test_remap_problem_checks_pattern_and_replacement() -> None:
    assert remap_problem(r"^http://(a)\.org/(.*)$", "https://b.org/$1/\\2") is None
    assert remap_problem(r"(?P<path>.*)", "x\\g<path>") is None
    assert remap_problem("[a-", "x") == (
        "bad regular expression '[a-': unterminated character set at position 0"
    )
    assert remap_problem("/404$", "/ok/$1") == (
        "replacement '/ok/$1' refers to group 1, which the pattern does not have"
    )


def test_a_remap_to_a_malformed_url_is_invalid_offline_too(web: Web) -> None:
    options = replace(FAST, remap=((r"^.*/a$", "http:///nowhere"),))
    for offline in (False, True):
        check = run([web.url("/a")], replace(options, offline=offline)).checks[web.url("/a")]
        assert check.status is LinkStatus.INVALID
        assert check.detail == "remapped to http:///nowhere: no host"
    assert not web.hits


def test_non_http_schemes_are_not_fetched() -> None:
    result = run(["ftp://ftp.invalid/file", "mailto:someone@example.org"])
    assert {c.status for c in result.checks.values()} == {LinkStatus.EXCLUDED}


def test_cookies_are_not_sent_to_another_host(web: Web) -> None:
    web.answer(
        "/set",
        raw(
            302,
            headers={
                "Location": web.url("/back").replace("127.0.0.1", "localhost"),
                "Set-Cookie": "session=1; Path=/",
            },
        ),
    )
    web.answer("/back", raw(200))
    result = run([web.url("/set")], replace(FAST, allow_private=True))
    assert result.checks[web.url("/set")].status is LinkStatus.OK


def test_https_side_is_asked_once_per_host() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url}")
        served = request.url.scheme == "http" or request.url.host == "both.example"
        return httpx.Response(200 if served else 404)

    urls = [
        f"http://{host}/page-{i}" for host in ("both.example", "plain.example") for i in range(5)
    ]
    checks = run(urls, transport=httpx.MockTransport(handler)).checks
    https = [line for line in seen if " https://" in line]
    assert sorted(https) == [
        "HEAD https://both.example/page-0",
        "HEAD https://plain.example/page-0",
    ]
    for i in range(5):
        both = checks[f"http://both.example/page-{i}"]
        assert flags(both.detail)["https-twin"] == f"https://both.example/page-{i}"
        assert "https-twin" not in flags(checks[f"http://plain.example/page-{i}"].detail)
    assert len(seen) == len(urls) + 2, "the twin check never doubles the requests"


def test_https_side_not_asked_for_failing_links() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url}")
        return httpx.Response(404)

    run(["http://gone.example/a"], transport=httpx.MockTransport(handler))
    assert seen == ["HEAD http://gone.example/a", "GET http://gone.example/a"]


def test_waiting_for_a_slot_does_not_count_against_the_timeout(web: Web) -> None:
    async def slow(method: str, writer: asyncio.StreamWriter, count: int) -> None:
        await asyncio.sleep(0.3)
        writer.write(raw(200))

    for i in range(5):
        web.routes[f"/q{i}"] = slow
    options = replace(FAST, per_host=1, timeout=0.6, max_retries=0)
    checks = run([web.url(f"/q{i}") for i in range(5)], options).checks
    assert {c.status for c in checks.values()} == {LinkStatus.OK}, "1.5 s queued, 0.3 s active"


def test_answers_keep_only_the_headers_read_and_share_repeated_values() -> None:
    """10,000 answers hold one copy of ``text/html``, not 10,000 (a run's memory)."""
    raw = [(b"Content-Type", b"text/html"), (b"X-Other", b"1"), (b"Set-Cookie", b"a=1")]
    first, second = _header_dict(httpx.Headers(raw)), _header_dict(httpx.Headers(raw))
    assert first == {"content-type": "text/html", "set-cookie": "a=1"}
    assert first["content-type"] is second["content-type"]
    assert next(iter(first)) is next(iter(second))  # the name too
    repeated = _header_dict(httpx.Headers([(b"server", b"a"), (b"Server", b"b")]))
    assert repeated == {"server": "a, b"}
