"""Publisher records -> :class:`AuthorityRecord`: Crossref works messages, CSL-JSON, Open Library.

A Crossref ``works/{doi}`` message and the CSL-JSON of doi.org content negotiation share
most field names (``author``, ``container-title``, ``issued`` ...); they differ in that
Crossref gives titles as lists and its own work types. Both are read by :func:`from_csl`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citecheck.model import Person, Reference

_CROSSREF_TYPES = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "proceedings-article": "paper-conference",
    "report": "report",
    "dissertation": "thesis",
    "posted-content": "article",
    "dataset": "dataset",
    "reference-entry": "entry",
}
_RETRACTIONS = frozenset({"retraction", "withdrawal", "removal"})


@dataclass(frozen=True)
class AuthorityRecord:
    """What a registration agency or catalogue says about one work."""

    reference: Reference
    source: str
    """Who said it: "Crossref", "DataCite", "Open Library" ..."""
    retracted: bool = False
    """The work is retracted or withdrawn (``updated-by``, ``relation``, a RETRACTED title)."""
    published_online: str | None = None
    """ISO date of the online (first) publication, when the record gives it apart."""
    published_print: str | None = None
    retracts: tuple[str, ...] = ()
    """DOIs this record, a retraction notice, retracts (``update-to``)."""
    notices: tuple[str, ...] = ()
    """DOIs of the notices that retract this work."""
    url: str = ""
    """The request that gave the record."""


def from_csl(message: Mapping[str, Any], source: str, url: str = "") -> AuthorityRecord:
    """A Crossref ``work`` message or a CSL-JSON item as a record."""
    title = _first(message.get("title"))
    issued = _date(message.get("issued"))
    online = _date(message.get("published-online"))
    printed = _date(message.get("published-print"))
    date = printed or issued or online  # the issue's date: citations give the issue's year
    reference = Reference(
        authors=_people(message.get("author")),
        editors=_people(message.get("editor")),
        year=(printed or issued or online or "")[:4] or None,
        date=date,
        title=title,
        container=_first(message.get("container-title")),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")),
        pages=_text(message.get("page")),
        publisher=_text(message.get("publisher")),
        place=_text(message.get("publisher-place")),
        doi=_text(message.get("DOI")),
        isbn=_first(message.get("ISBN")),
        url=_text(message.get("URL")),
        kind=_kind(_text(message.get("type"))),
        language=_text(message.get("language")),
        raw="",
    )
    notices = _updates(message.get("updated-by")) + _relations(message.get("relation"))
    return AuthorityRecord(
        reference=reference,
        source=source,
        retracted=bool(notices) or (title or "").upper().startswith(("RETRACTED", "WITHDRAWN")),
        published_online=online,
        published_print=printed,
        retracts=_updates(message.get("update-to")),
        notices=notices,
        url=url,
    )


def from_openlibrary(book: Mapping[str, Any], isbn: str, url: str = "") -> AuthorityRecord:
    """An Open Library ``api/books?jscmd=data`` entry as a record."""
    title = _text(book.get("title"))
    subtitle = _text(book.get("subtitle"))
    names = [a.get("name", "") for a in book.get("authors", []) if isinstance(a, Mapping)]
    publishers = [p.get("name", "") for p in book.get("publishers", []) if isinstance(p, Mapping)]
    places = [p.get("name", "") for p in book.get("publish_places", []) if isinstance(p, Mapping)]
    published = _text(book.get("publish_date"))
    reference = Reference(
        authors=tuple(_split_name(n) for n in names if n),
        title=f"{title}: {subtitle}" if title and subtitle else title,
        publisher=publishers[0] if publishers else None,
        place=places[0] if places else None,
        year=_year(published),
        date=published,
        isbn=isbn,
        url=_text(book.get("url")),
        kind="book",
    )
    return AuthorityRecord(reference=reference, source="Open Library", url=url)


def _people(value: Any) -> tuple[Person, ...]:
    if not isinstance(value, Sequence):
        return ()
    people = []
    for item in value:
        if not isinstance(item, Mapping):
            continue
        family = _text(item.get("family")) or _text(item.get("literal")) or _text(item.get("name"))
        if family:
            people.append(Person(family=family, given=_text(item.get("given")) or ""))
    return tuple(people)


def _split_name(name: str) -> Person:
    """Open Library gives "Given Family"; the last word is the family name."""
    given, _, family = name.strip().rpartition(" ")
    return Person(family=family, given=given)


def _date(value: Any) -> str | None:
    """``{"date-parts": [[2015, 8, 14]]}`` -> ``2015-08-14``."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not parts or not isinstance(parts[0], Sequence) or not parts[0] or parts[0][0] is None:
        return None
    numbers = [int(p) for p in parts[0][:3] if str(p).strip().isdigit()]
    if not numbers:
        return None
    return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])


def _updates(value: Any) -> tuple[str, ...]:
    if not isinstance(value, Sequence):
        return ()
    return tuple(
        str(item.get("DOI", ""))
        for item in value
        if isinstance(item, Mapping) and str(item.get("type", "")).lower() in _RETRACTIONS
    )


def _relations(value: Any) -> tuple[str, ...]:
    """``relation: {"is-retracted-by": [{"id": ...}]}`` and its kin."""
    if not isinstance(value, Mapping):
        return ()
    found: list[str] = []
    for name, items in value.items():
        if "retract" in name or "withdrawn" in name:
            found += [str(i.get("id", "")) for i in items if isinstance(i, Mapping)]
    return tuple(found)


def _first(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Sequence) and value:
        return _text(value[0])
    return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (Mapping, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _kind(crossref_type: str | None) -> str | None:
    if crossref_type is None:
        return None
    return _CROSSREF_TYPES.get(crossref_type, crossref_type)


def _year(text: str | None) -> str | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text or "")
    return match.group(1) if match else None
