"""URLs, DOIs, ISBNs and arXiv ids found in note text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import IdentifierScheme, Position
from citecheck.parse.identifiers import (
    extract,
    isbn_is_valid,
    normalise_split_url,
    normalise_url,
    trim_url,
)


def at(index: int) -> Position:
    return Position(1, index + 1)


@pytest.mark.parametrize(
    ("raw", "trimmed"),
    [
        (
            "https://theins.ru/opinions/sergei-erofeev/247593).",
            "https://theins.ru/opinions/sergei-erofeev/247593",
        ),
        (
            "https://en.wikipedia.org/wiki/Mozilla_(disambiguation).",
            "https://en.wikipedia.org/wiki/Mozilla_(disambiguation)",
        ),
        ("https://example.org/a,", "https://example.org/a"),
    ],
)
def test_trailing_punctuation(raw: str, trimmed: str) -> None:
    assert trim_url(raw) == trimmed


def test_normalised_url_lowercases_scheme_and_host_and_drops_default_port() -> None:
    assert (
        normalise_url("HTTPS://Example.ORG:443/Path?q=1#frag")
        == "https://example.org/Path?q=1#frag"
    )
    assert normalise_url("www.example.org") == "http://www.example.org/"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("HTTP://[2001:DB8::1]:8080", "http://[2001:db8::1]:8080/"),
        ("http://user@[::1]/x", "http://user@[::1]/x"),
        ("http://example.org:0/x", "http://example.org:0/x"),
        ("http://[bad", "http://[bad"),
    ],
)
def test_ip_literals_keep_their_brackets_and_no_port_is_dropped_but_the_default(
    raw: str, normal: str
) -> None:
    assert normalise_url(raw) == normal


def test_dois_in_every_form() -> None:
    text = "doi:10.1177/0010414015600468; https://doi.org/10.1000/XYZ.1 and dx.doi.org/10.1234/abc."
    _, identifiers = extract(text, at)
    dois = [i.value for i in identifiers if i.scheme is IdentifierScheme.DOI]
    assert dois == ["10.1177/0010414015600468", "10.1000/xyz.1", "10.1234/abc"]


def test_malformed_doi_is_kept_as_invalid() -> None:
    _, identifiers = extract("doi: 10.12/abc", at)
    assert [(i.value, i.valid) for i in identifiers] == [("10.12/abc", False)]


def test_isbn_checksums() -> None:
    _, identifiers = extract(
        "ISBN 978-1-61977-581-7, ISBN 0-306-40615-2, ISBN 978-1-61977-581-8", at
    )
    assert [(i.value, i.valid) for i in identifiers] == [
        ("9781619775817", True),
        ("9780306406157", True),
        ("9781619775818", False),
    ]
    assert isbn_is_valid("080442957X")
    assert not isbn_is_valid("0804429571")


def test_arxiv_ids() -> None:
    _, identifiers = extract("arXiv:1706.03762v5 and https://arxiv.org/abs/2101.00001", at)
    assert [i.value for i in identifiers if i.scheme is IdentifierScheme.ARXIV] == [
        "1706.03762v5",
        "2101.00001",
    ]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "ftp://", "HTTP://", "www.", "mailto:"]),
    st.from_regex(r"[A-Za-z0-9.:@-]{0,20}", fullmatch=True),
    st.from_regex(r"[/?#a-z0-9%=&.~ \t\r\n-]{0,20}", fullmatch=True),
)
def test_fast_normalisation_agrees_with_urlsplit(scheme: str, host: str, rest: str) -> None:
    url = scheme + host + rest
    assert normalise_url(url) == normalise_split_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://a.example:8080/x",
        "http://a.example:80/x",
        "https://a.example:443",
        "https://a.example:80/",
        "http://a.example:99999/",
        "http://a.example:0080/",
        "ftp://a.example:21/file",
    ],
)
def test_ports_take_the_fast_path_only_when_it_agrees(url: str) -> None:
    assert normalise_url(url) == normalise_split_url(url)
