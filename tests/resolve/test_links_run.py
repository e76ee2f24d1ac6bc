"""The run: URL collection, .citecheckignore, cache reuse and history over real requests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.errors import ConfigError
from citecheck.model import Document, Identifier, IdentifierScheme, Link, LinkStatus, Note
from citecheck.options import Options
from citecheck.resolve.links import check_links, collect_urls, read_ignore_file
from citecheck.validate import links
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


def test_a_note_link_that_cannot_be_parsed_is_an_invalid_url_finding() -> None:
    document = _document("http://[bad", "http://[::1", "http:///nohost")
    for offline in (False, True):
        options = replace(FAST, exclude=("doi",), offline=offline)
        run = check_links([document], options, ignore_file=Path("none"))
        findings = links.check(document, run)
        assert [(f.rule, f.url) for f in findings if f.rule == "invalid-url"] == [
            ("invalid-url", "http://[bad"),
            ("invalid-url", "http://[::1"),
            ("invalid-url", "http:///nohost"),
        ]
        assert findings[0].message == "malformed URL (cannot be parsed: Invalid IPv6 URL)"


def test_dois_are_checked_at_the_configured_resolver(web: Web) -> None:
    web.answer("/10.1000/gone", raw(404), raw(404))
    document = _document()
    note = replace(
        document.notes[0],
        identifiers=(Identifier(IdentifierScheme.DOI, "10.1000/gone", "doi:10.1000/gone", 1, 9),),
    )
    document = replace(document, notes=(note,))
    run = check_links([document], replace(FAST, doi_url=web.url("/")), ignore_file=Path("none"))
    assert web.hits["/10.1000/gone"][:1] == ["HEAD"]
    findings = links.check(document, run)
    assert [(f.rule, f.label) for f in findings] == [("unresolved-doi", "1")]


def _cached(tmp_path: Path, **changes: object) -> Options:
    options = replace(FAST, cache=str(tmp_path / "cache.sqlite"), exclude=("doi",))
    return replace(options, **changes)  # type: ignore[arg-type]


def test_the_cache_holds_what_was_fetched_so_a_new_remap_takes_effect(
    tmp_path: Path, web: Web
) -> None:
    web.answer("/old", raw(200))
    web.answer("/new", raw(404))
    document = _document(web.url("/old"))
    first = check_links([document], _cached(tmp_path), ignore_file=tmp_path / "none")
    assert first.checks[web.url("/old")].status is LinkStatus.OK
    remapped = _cached(tmp_path, remap=(("/old$", "/new"),))
    second = check_links([document], remapped, ignore_file=tmp_path / "none")
    check = second.checks[web.url("/old")]
    assert check.status is LinkStatus.BROKEN and check.url == web.url("/old")
    assert web.hits["/new"] == ["HEAD", "GET"]
    changed = _cached(tmp_path, remap=(("/old$", "/old"),))
    third = check_links([document], changed, ignore_file=tmp_path / "none")
    assert "cached" in third.checks[web.url("/old")].detail, "the first run's success"
    assert web.hits["/old"] == ["HEAD"]


def test_two_cited_urls_remapped_to_one_share_its_cache_entry(tmp_path: Path, web: Web) -> None:
    web.answer("/page", raw(200))
    document = _document(web.url("/a/page"), web.url("/b/page"))
    options = _cached(tmp_path, remap=(("/[ab]/page$", "/page"),))
    first = check_links([document], options, ignore_file=tmp_path / "none")
    second = check_links([document], options, ignore_file=tmp_path / "none")
    cited = [web.url("/a/page"), web.url("/b/page")]
    assert [first.checks[url].status for url in cited] == [LinkStatus.OK] * 2
    assert all("cached" in second.checks[url].detail for url in cited)
    assert [second.checks[url].url for url in cited] == cited
    assert web.hits["/page"] == ["HEAD"]


def test_a_success_found_with_private_addresses_allowed_is_not_reused_without(
    tmp_path: Path, web: Web
) -> None:
    web.answer("/local", raw(200))
    document = _document(web.url("/local"))
    allowed = check_links([document], _cached(tmp_path), ignore_file=tmp_path / "none")
    assert allowed.checks[web.url("/local")].status is LinkStatus.OK
    forbidden = _cached(tmp_path, allow_private=False)
    refused = check_links([document], forbidden, ignore_file=tmp_path / "none")
    check = refused.checks[web.url("/local")]
    assert check.status is LinkStatus.UNREACHABLE and "cached" not in check.detail
    assert check.history == (), "the history of the allowed run is its own"
    again = check_links([document], _cached(tmp_path), ignore_file=tmp_path / "none")
    assert "cached" in again.checks[web.url("/local")].detail
    assert web.hits["/local"] == ["HEAD"]


def test_addresses_allowed_one_by_one_have_their_own_key_space(tmp_path: Path, web: Web) -> None:
    web.answer("/local", raw(200))
    document = _document(web.url("/local"))
    options = _cached(tmp_path, allow_private=False)
    with_lan = check_links(
        [document], options, allowed_addresses={"127.0.0.1"}, ignore_file=tmp_path / "none"
    )
    assert with_lan.checks[web.url("/local")].status is LinkStatus.OK
    without = check_links([document], options, ignore_file=tmp_path / "none")
    assert without.checks[web.url("/local")].status is LinkStatus.UNREACHABLE
