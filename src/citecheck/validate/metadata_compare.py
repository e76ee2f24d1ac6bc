"""Field by field comparison of a reference with what a source says.

Only fields both sides give are compared, each with its own normalisation
(:mod:`citecheck.validate.metadata_normalise`). Publisher and place are not compared: imprints,
translations and parent companies make them differ for the same edition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from citecheck.model import Person, Reference
from citecheck.validate import metadata_normalise as norm

_ONLINE = re.compile(
    r"(?:online|epub|published-online|ahead\s+of\s+print)\D{0,60}?(1[5-9]\d\d|20\d\d)", re.I
)

_ET_AL = re.compile(r"\bet\s+al\b|\band\s+others\b|\bи\s+др\b|\bu\.\s*a\.", re.I)


@dataclass(frozen=True)
class Difference:
    """One field on which two descriptions of a work disagree."""

    field: str
    expected: str
    found: str
    benign: str | None = None
    """Why the difference is harmless (reported as info), or None for a real one."""


@dataclass(frozen=True)
class Expected:
    """A source's description of the work, with the dates that make a year benign."""

    reference: Reference
    source: str
    online_years: frozenset[str] = frozenset()


def compare(
    found: Reference, expected: Expected, *, pinpoint: bool, doi_case: bool = False
) -> list[Difference]:
    """Differences of ``found`` from ``expected``.

    ``pinpoint``: the pages may be a cited page inside the range. ``doi_case``: report a DOI
    written in other letter case (as info); off against registries, which lower-case DOIs.
    """
    want = expected.reference
    checks: list[tuple[str, str | None, str | None, Callable[[str, str], bool]]] = [
        ("title", found.title, want.title, lambda a, b: _same_title(found, want, a)),
        ("container", found.container, want.container, norm.same_container),
        ("volume", found.volume, want.volume, norm.same_number),
        ("issue", found.issue, want.issue, norm.same_number),
        ("isbn", found.isbn, want.isbn, lambda a, b: norm.isbn_digits(a) == norm.isbn_digits(b)),
    ]
    differences = [
        Difference(name, b, a) for name, a, b, same in checks if a and b and not same(a, b)
    ]
    differences += _authors(found, want)
    differences += _pages(found, want, pinpoint)
    differences += _year(found, expected)
    differences += _doi(found, want, doi_case)
    return differences


def _same_title(found: Reference, want: Reference, title: str) -> bool:
    options = [t for t in (want.title, want.translated_title) if t]
    return any(norm.same_title(title, t) for t in options) or bool(
        found.translated_title
        and want.title
        and norm.same_title(found.translated_title, want.title)
    )


def _authors(found: Reference, want: Reference) -> list[Difference]:
    if not found.authors or not want.authors:
        return []
    authors = found.authors
    if _ET_AL.search(found.raw):  # parsers drop "et al."; it stands for the rest
        authors = (*authors, Person("et al."))
    if norm.same_authors(authors, want.authors):
        return []
    return [
        Difference("authors", norm.format_people(want.authors), norm.format_people(found.authors))
    ]


def _pages(found: Reference, want: Reference, pinpoint: bool) -> list[Difference]:
    if not found.pages or not want.pages:
        return []
    if norm.same_pages(found.pages, want.pages, pinpoint=pinpoint):
        return []
    return [Difference("pages", norm.display_pages(want.pages), found.pages)]


def _year(found: Reference, expected: Expected) -> list[Difference]:
    mine, theirs = norm.year_of(found.year), norm.year_of(expected.reference.year)
    if not mine or not theirs or mine == theirs:
        return []
    if mine in expected.online_years:
        why = f"{mine} is the year of online (first) publication; the issue is of {theirs}"
        return [Difference("year", theirs, mine, benign=why)]
    return [Difference("year", theirs, mine)]


def _doi(found: Reference, want: Reference, doi_case: bool) -> list[Difference]:
    if not found.doi or not want.doi:
        return []
    a, b = norm.canonical_doi(found.doi), norm.canonical_doi(want.doi)
    if a != b:
        return [Difference("doi", want.doi, found.doi)]
    written = _as_written(found)
    if (
        doi_case
        and written
        and written != want.doi.strip()
        and written.casefold() == want.doi.casefold()
    ):
        return [Difference("doi", want.doi, written, benign="DOIs are case-insensitive")]
    return []


def _as_written(found: Reference) -> str | None:
    """The DOI as the note writes it (parsers keep it lower-cased)."""
    assert found.doi is not None
    index = found.raw.casefold().find(found.doi.casefold())
    return found.raw[index : index + len(found.doi)] if index >= 0 else found.doi


def online_years(raw: str) -> frozenset[str]:
    """Years a bibliography entry's text names as online (first) publication."""
    return frozenset(m.group(1) for m in _ONLINE.finditer(raw))
