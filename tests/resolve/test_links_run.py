"""The run: URL collection, .citecheckignore, cache reuse and history over real requests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.errors import ConfigError
from citecheck.model import Document, Identifier, IdentifierScheme, Link, LinkStatus, Note
from citecheck.resolve.links import check_links, collect_urls, read_ignore_file
from tests.resolve.local_web import FAST, Web, raw


def _document(*urls: str, body: tuple[str, ...] = ()) -> Document:
    links = tuple(Link(u, 2, 5, u) for u in urls)
    doi = Identifier(IdentifierScheme.DOI, "10.1000/xyz", "doi:10.1000/xyz", 2, 40)
    bad = Identifier(IdentifierScheme.DOI, "10.1/x", "10.1/x", 2, 50, valid=False)
    note = Note("1", 2, 1, "text", links=links, identifiers=(doi, bad))
    return Document(
        "essay.md",
        "markdown",
        "",
        notes=(note,),
        body_links=tuple(Link(u, 1, 1, u, in_note=False) for u in body),
    )


def test_collect_urls_notes_dois_and_body_links() -> None:
    document = _document("https://a.example/x", "https://a.example/x", body=("https://b.example/",))
    assert collect_urls([document]) == ["https://a.example/x", "https://doi.org/10.1000/xyz"]
    assert collect_urls([document], all_links=True)[-1] == "https://b.example/"


def test_ignore_file(tmp_path: Path, web: Web) -> None:
    ignore = tmp_path / ".citecheckignore"
    ignore.write_text("# comment\n\ndoi\\.org\n127\\.0\\.0\\.1\n", encoding="utf-8")
    assert read_ignore_file(ignore) == (r"doi\.org", r"127\.0\.0\.1")
    run = check_links([_document(web.url("/a"))], FAST, ignore_file=ignore)
    assert {c.status for c in run.checks.values()} == {LinkStatus.EXCLUDED}
    assert not web.hits


def test_a_bad_pattern_in_the_ignore_file_names_its_line(tmp_path: Path) -> None:
    ignore = tmp_path / ".citecheckignore"
    ignore.write_text("# comment\nok\\.org\n(unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_ignore_file(ignore)
    assert str(raised.value).startswith(f"{ignore}:3: bad regular expression '(unclosed': ")


def test_cache_reuse_and_history(tmp_path: Path, web: Web) -> None:
    options = replace(FAST, cache=str(tmp_path / "cache.sqlite"), exclude=("doi\\.org",))
    web.answer("/page", raw(200), raw(404))
    document = _document(web.url("/page"))
    first = check_links([document], options, ignore_file=tmp_path / "none")
    assert first.checks[web.url("/page")].status is LinkStatus.OK
    second = check_links([document], options, ignore_file=tmp_path / "none")
    assert "cached" in second.checks[web.url("/page")].detail
    assert web.hits["/page"] == ["HEAD"], "the cached success is not fetched again"
    third = check_links(
        [document], replace(options, max_cache_age=0), ignore_file=tmp_path / "none"
    )
    broken = third.checks[web.url("/page")]
    assert broken.status is LinkStatus.BROKEN
    assert broken.history and broken.history[-1].startswith("ok@")


def test_progress_sees_every_link(web: Web) -> None:
    web.answer("/p", raw(200))
    seen: list[str] = []
    check_links(
        [_document(web.url("/p"), "ftp://x.invalid/")],
        replace(FAST, exclude=("doi",)),
        lambda check: seen.append(check.url),
    )
    assert sorted(seen) == sorted(
        ["ftp://x.invalid/", web.url("/p"), "https://doi.org/10.1000/xyz"]
    )
