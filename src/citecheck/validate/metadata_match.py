"""Which bibliography entry a note's reference stands for.

An identifier decides (DOI, ISBN, then the same URL); otherwise title, authors and year are
scored with rapidfuzz. A match needs a confident score and a clear lead over the runner-up:
two entries close together are ambiguous and never guessed. A short form
(``Gel'man, Недостойное правление, 12``) matches the entry with that first author whose
title begins with the short title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from citecheck.bibliography import BibEntry, Bibliography
from citecheck.model import Reference
from citecheck.validate import metadata_normalise as norm

ACCEPT = 0.75
"""The lowest score of a match."""
LEAD = 0.08
"""How far the runner-up must stay behind; closer is ambiguous."""
_SHORT_FORM = re.compile(
    r"^\s*(?P<who>[^,()\d]{2,60}?),\s*(?P<title>[^,()]{3,120}?)"
    r"(?:,\s*(?:pp?\.\s*)?(?P<locator>[\dIVXLCivxlc][\dIVXLCivxlc\s,–-]*))?\s*\.?\s*$"
)


@dataclass(frozen=True)
class Match:
    """The entry a reference stands for, or the candidates that made it ambiguous."""

    entry: BibEntry | None
    confidence: float = 0.0
    candidates: tuple[BibEntry, ...] = ()
    short_form: bool = False

    @property
    def ambiguous(self) -> bool:
        return self.entry is None and len(self.candidates) > 1


def by_key(reference: Reference, bibliography: Bibliography) -> Match | None:
    if reference.key and (entry := bibliography.get(reference.key)) is not None:
        return Match(entry, 1.0)
    return None


def match(reference: Reference, bibliography: Bibliography) -> Match:
    """The best entry for a full reference (see the module docstring)."""
    keyed = by_key(reference, bibliography)
    if keyed is not None:
        return keyed
    identified = _by_identifier(reference, bibliography)
    if identified is not None:
        return Match(identified, 1.0)
    ranked = sorted(((score(reference, e), e) for e in bibliography), key=lambda p: -p[0])
    if not ranked or ranked[0][0] < ACCEPT:
        return Match(None, ranked[0][0] if ranked else 0.0)
    close = [e for s, e in ranked[1:] if s >= ACCEPT and ranked[0][0] - s < LEAD]
    if close:
        return Match(None, ranked[0][0], (ranked[0][1], *close))
    return Match(ranked[0][1], ranked[0][0])


def short_form(text: str, bibliography: Bibliography) -> Match | None:
    """The entry a short form names, or None when the text is not a short form."""
    form = _SHORT_FORM.match(text)
    if form is None:
        return None
    who = norm.fold(re.split(r"\s+(?:and|&|и|und|et)\s+", form.group("who"))[0])
    title = norm.fold(form.group("title"))
    if not who or len(title.split()) < 1:
        return None
    found = [
        e
        for e in bibliography
        if e.reference.authors
        and who.split()[-1] == norm.fold(e.reference.authors[0].family)
        and _begins(title, e.reference)
    ]
    if len(found) == 1:
        return Match(found[0], 0.9, short_form=True)
    return Match(None, 0.0, tuple(found), short_form=True) if found else None


def _begins(short: str, reference: Reference) -> bool:
    return any(
        t and (norm.fold(t) == short or norm.fold(t).startswith(short + " "))
        for t in (reference.title, reference.translated_title)
    )


def score(reference: Reference, entry: BibEntry) -> float:
    """0..1: title 0.6, authors 0.25, year 0.15."""
    other = entry.reference
    title = max(
        (norm.title_similarity(a, b) for a, b in _title_pairs(reference, other)), default=0.0
    )
    return (
        0.6 * title + 0.25 * _author_score(reference, other) + 0.15 * _year_score(reference, other)
    )


def _title_pairs(a: Reference, b: Reference) -> Iterable[tuple[str, str]]:
    for x in (a.title, a.translated_title):
        for y in (b.title, b.translated_title):
            if x and y:
                yield x, y


def _author_score(a: Reference, b: Reference) -> float:
    if not a.authors or not b.authors:
        return 0.5
    theirs = {norm.fold(p.family) for p in b.authors}
    mine = [norm.fold(p.family) for p in a.authors if not norm.is_et_al(p)]
    return sum(name in theirs for name in mine) / len(mine) if mine else 0.5


def _year_score(a: Reference, b: Reference) -> float:
    x, y = norm.year_of(a.year), norm.year_of(b.year)
    if not x or not y:
        return 0.5
    return {0: 1.0, 1: 0.7}.get(abs(int(x) - int(y)), 0.0)


def _by_identifier(reference: Reference, bibliography: Bibliography) -> BibEntry | None:
    """The one entry with the reference's DOI, else ISBN, else URL."""
    for value, same in (
        (reference.doi, _same_doi),
        (reference.isbn, _same_isbn),
        (reference.url, _same_url),
    ):
        if value:
            found = [e for e in bibliography if same(value, e.reference)]
            if len(found) == 1:
                return found[0]
    return None


def _same_doi(doi: str, other: Reference) -> bool:
    return bool(other.doi) and norm.same_doi(doi, other.doi or "")


def _same_isbn(isbn: str, other: Reference) -> bool:
    return bool(other.isbn) and norm.isbn_digits(isbn) == norm.isbn_digits(other.isbn or "")


def _same_url(url: str, other: Reference) -> bool:
    return bool(other.url) and _bare(url) == _bare(other.url or "")


def _bare(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").casefold()
