"""Link findings from a LinkRun: pure, no network."""

from __future__ import annotations

from citecheck.model import (
    Document,
    Identifier,
    IdentifierScheme,
    Link,
    LinkCheck,
    LinkStatus,
    Note,
)
from citecheck.resolve.links import LinkRun
from citecheck.validate.links import check

U = "https://example.org/"


def _doc(*urls: str, identifiers: tuple[Identifier, ...] = ()) -> Document:
    links = tuple(Link(u, 7, 3 + i, u) for i, u in enumerate(urls))
    return Document(
        "e.md", "markdown", "", notes=(Note("4", 7, 1, "", links=links, identifiers=identifiers),)
    )


def _rules(document: Document, *checks: LinkCheck) -> list[str]:
    return [f.rule for f in check(document, LinkRun({c.url: c for c in checks}))]


def test_each_status_maps_to_its_rule() -> None:
    cases = {
        LinkStatus.BROKEN: ["broken-link"],
        LinkStatus.UNREACHABLE: ["unreachable-link"],
        LinkStatus.BLOCKED: ["blocked-link"],
        LinkStatus.SOFT_404: ["soft-404"],
        LinkStatus.REDIRECTED: ["redirected-link"],
        LinkStatus.INVALID: ["invalid-url"],
        LinkStatus.OK: [],
        LinkStatus.OFFLINE: [],
        LinkStatus.EXCLUDED: [],
    }
    for status, rules in cases.items():
        assert _rules(_doc(U), LinkCheck(U, status)) == rules, status


def test_finding_is_located_at_the_link_with_details() -> None:
    result = LinkCheck(
        U + "a",
        LinkStatus.REDIRECTED,
        http_status=200,
        final_url=U + "b",
        chain=(U + "a", U + "b"),
        attempts=2,
    )
    [found] = check(_doc(U + "a"), LinkRun({result.url: result}))
    assert (found.line, found.column, found.label, found.url) == (7, 3, "4", U + "a")
    assert found.suggestion == U + "b"
    assert found.details["chain"] == [U + "a", U + "b"] and found.details["attempts"] == 2
    assert found.details["status"] == 200 and found.details["final_url"] == U + "b"


def test_findings_in_an_included_file_name_that_file() -> None:
    chapter = "ch/two.tex"
    doi = Identifier(IdentifierScheme.DOI, "10.1000/x", "10.1000/x", 3, 9)
    link = Link(U, 3, 2, U, path=chapter)
    note = Note("4", 2, 1, "", links=(link,), identifiers=(doi,), path=chapter)
    body = Link(U + "b", 8, 1, U + "b", in_note=False, path=chapter)
    document = Document("main.tex", "latex", "", notes=(note,), body_links=(body,))
    broken = [
        LinkCheck(url, LinkStatus.BROKEN) for url in (U, U + "b", "https://doi.org/10.1000/x")
    ]
    found = check(document, LinkRun({c.url: c for c in broken}))
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("broken-link", chapter, 3, 2),
        ("broken-link", chapter, 3, 9),
        ("broken-link", chapter, 8, 1),
    ]


def test_flags_give_missing_anchor_and_insecure_link() -> None:
    url = "http://example.org/p#sec"
    result = LinkCheck(url, LinkStatus.OK, detail="missing-anchor #sec; https-twin https://x/")
    assert _rules(_doc(url), result) == ["missing-anchor", "insecure-link"]


def test_identifiers_checked_without_network() -> None:
    ids = (
        Identifier(IdentifierScheme.DOI, "10.1/x", "doi:10.1/x", 7, 20, valid=False),
        Identifier(IdentifierScheme.ISBN, "9780000000001", "ISBN 978-0", 7, 40, valid=False),
    )
    assert _rules(_doc(identifiers=ids)) == ["invalid-doi", "invalid-isbn"]


def test_doi_also_cited_as_link_is_reported_once() -> None:
    url = "https://doi.org/10.1000/gone"
    doi = Identifier(IdentifierScheme.DOI, "10.1000/gone", url, 7, 3)
    result = LinkCheck(url, LinkStatus.BROKEN, http_status=404)
    assert _rules(_doc(url, identifiers=(doi,)), result) == ["unresolved-doi"]


def test_first_failure_after_success_says_so() -> None:
    result = LinkCheck(
        U, LinkStatus.UNREACHABLE, detail="timed out", history=("ok@2026-01-01T00:00:00Z",)
    )
    [found] = check(_doc(U), LinkRun({U: result}))
    assert "first failure" in found.message and found.details["history"]


def test_findings_in_a_note_name_the_paragraph_of_the_link() -> None:
    second = Link(U + "b", 8, 1, U + "b", location="footnote 4, paragraph 2")
    links = (Link(U + "a", 7, 3, U + "a", location="footnote 4, paragraph 1"), second)
    invalid = Identifier(
        IdentifierScheme.DOI, "10.1/x", "doi:10.1/x", 8, 20, False, "footnote 4, paragraph 2"
    )
    where = "footnote 4, paragraph 1"
    note = Note("4", 7, 1, "", links=links, identifiers=(invalid,), location=where)
    document = Document("e.docx", "docx", "", notes=(note,))
    checks = {u: LinkCheck(u, LinkStatus.BROKEN) for u in (U + "a", U + "b")}
    found = check(document, LinkRun(checks))
    assert [(f.rule, f.location) for f in found] == [
        ("broken-link", "footnote 4, paragraph 1"),
        ("broken-link", "footnote 4, paragraph 2"),
        ("invalid-doi", "footnote 4, paragraph 2"),
    ]
