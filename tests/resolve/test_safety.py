"""What the checker may request: URLs that parse, on public addresses."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.resolve.urls import host_key, url_problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[bad", "cannot be parsed: Invalid IPv6 URL"),
        ("http://[::1", "cannot be parsed: Invalid IPv6 URL"),
        ("ftp://[x/", "cannot be parsed: Invalid IPv6 URL"),
        ("http://[bad]/", "cannot be parsed: 'bad' does not appear to be an IPv4 or IPv6 address"),
        ("http:///nohost", "no host"),
        ("https://user@/x", "no host"),
        ("http://example.org:99999/x", "impossible port"),
        ("http://example.org:0/x", "impossible port"),
        ("http://example.org:abc/x", "impossible port"),
        ("http://a..b/x", "bad host name 'a..b'"),
        (f"http://{'a' * 64}.org/", f"bad host name '{'a' * 64}.org'"),
        ("http://256.1.1.1/", "cannot be parsed: Invalid IPv4 address: '256.1.1.1'"),
        ("http://ex\x00ample.org/", "cannot be parsed: Invalid non-printable ASCII character"),
        ("http://xn--a.org/", "cannot be parsed: Codepoint U+0080"),
    ],
)
def test_malformed_urls_say_why(url: str, problem: str) -> None:
    found = url_problem(url)
    assert found is not None and found.startswith(problem)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?q=1#top",
        "http://example.org./",
        "http://[::1]:8080/x",
        "http://127.0.0.1:9/",
        "https://bücher.example/ü",
        "http://a.example/x y",
        "ftp://ftp.example/file",
        "mailto:someone@example.org",
    ],
)
def test_urls_that_can_be_requested_have_no_problem(url: str) -> None:
    assert url_problem(url) is None


_URLISH = st.text(
    st.sampled_from(list("abcxnA-.:/[]@%?#0123456789 \\\x00\tüé\u200b")), max_size=30
).map(lambda rest: "http://" + rest)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_URLISH, st.text(max_size=40)))
def test_no_url_crashes_it_and_what_passes_can_be_requested(url: str) -> None:
    if url_problem(url) is None and url.lower().startswith(("http://", "https://")):
        parsed = httpx.URL(url)
        assert parsed.host
        labels = parsed.raw_host.removesuffix(b".").split(b".")
        assert b":" in parsed.raw_host or all(0 < len(label) < 64 for label in labels)


_PLAIN = st.builds(
    "{}://{}{}{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["example.org", "a.b.", "ex-ample.org", "127.0.0.1", "x", "1a.b"]),
    st.sampled_from(["", ":0", ":00", ":80", ":080", ":443", ":65535", ":65536", ":99999"]),
    st.sampled_from(["", "/", "/a?b#c", "?q", "#f", "/%7E/x"]),
)


@given(_PLAIN)
def test_plain_urls_take_the_quick_path_to_the_same_answers(url: str) -> None:
    """Host and port read without splitting the URL are the ones splitting it gives."""
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or (0 if ":0" in url else default)
    except ValueError:
        port = 0
    assert url_problem(url) == (None if port else "impossible port")
    if port:
        assert host_key(url) == f"{parts.hostname}:{port}"
