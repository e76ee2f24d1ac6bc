"""HTML -> Document: footnote markers, notes, their links, body links and paragraphs.

The page is parsed with lxml.html (libxml2), not BeautifulSoup: libxml2 keeps each element's
source line, which BeautifulSoup's lxml builder drops, and it parses about ten times faster.
Conventions recognised are listed in :mod:`citecheck.parse.html_notes`; positions are those
of the start tags (:mod:`citecheck.parse.html_source`). Scripts, styles, navigation and
page headers and footers are never read as prose or markers. libxml2 stops reading at 2048
nested elements, even with ``huge_tree``: such a page is an InputError, not half a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from citecheck.errors import InputError
from citecheck.model import (
    Citation,
    Document,
    Identifier,
    Link,
    Marker,
    Note,
    Paragraph,
    Position,
    Suppression,
)
from citecheck.parse import html_notes
from citecheck.parse.html_found import Found, FoundMarker, FoundNote
from citecheck.parse.html_source import Element, SourceMap
from citecheck.parse.html_text import UNREAD, Text, read, read_value
from citecheck.parse.identifiers import extract, find_arxiv, find_dois, normalise_url
from citecheck.parse.positions import LineIndex

_IGNORED = ("script", "style", "noscript", "template", "head", "nav", "header", "footer")
_IGNORED_ROLES = frozenset({"navigation", "banner", "contentinfo"})
_ROLE_HOLDERS = ("div", "section", "aside", "ul", "ol", "table")
_BACK_CLASSES = frozenset(
    "footnote-back footnote-backref footnote-back-link mw-cite-backlink backlink".split()
)
_SUPPRESS = re.compile(r"<!--\s*citecheck:\s*ignore\b([\w\s,-]*?)\s*-->", re.IGNORECASE)
_UNCHECKED = ("#", "javascript:", "data:", "about:")
_EMPTY_BRACKETS = re.compile(r"\s*\[\s*\]\s*$")
_MAY_HOLD_ID = re.compile(r"://|www\.|10\.\d|isbn|arxiv|97[89]", re.IGNORECASE)
_ID_HINT = re.compile(r"10\.\d{4}|arxiv", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\[(\d+)\]|(\d+)[.)])\s+")

_Held = tuple[Citation, Element | None]
"""A citation and the note element that holds it, if any."""


@dataclass(frozen=True)
class _Page:
    """What every part of the parse consults: the tree, the source and the base URL."""

    root: Element
    source: SourceMap
    base: str
    excluded: frozenset[Element]
    urls: dict[str, str] = field(default_factory=dict)
    """Each distinct ``href`` made absolute and normalised, so that it is done once."""


def parse(text: str, path: str) -> Document:
    """Parse an HTML page into markers, notes, citations, links and paragraphs."""
    source_text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    suppressions = tuple(_suppressions(source_text))
    root = _tree(source_text, path)
    if root is None:
        return Document(path=path, format="html", text=text, suppressions=suppressions)
    page = _Page(root, SourceMap(source_text, root), _base(root), _excluded(root))
    found = html_notes.find(root, page.excluded)
    citations = _citations(page, found)
    return Document(
        path=path,
        format="html",
        text=text,
        markers=tuple(_markers(page, found.markers)),
        notes=_notes(page, found, citations),
        citations=tuple(citation for citation, _ in citations),
        body_links=tuple(_body_links(page, found)),
        paragraphs=tuple(_paragraphs(page, found)),
        bibliography_paths=tuple(_bibliographies(root)),
        suppressions=suppressions,
        shared_notes=found.shared,
    )


def _tree(text: str, path: str) -> Element | None:
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_pis=True)
    try:
        root = etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError):
        return None
    limit = _limit_reached(parser.error_log)
    if root is not None and limit is not None:
        raise _cut_short(text, root, path, limit)
    return root


def _limit_reached(log: Any) -> str | None:
    """libxml2's message when it stopped at one of its limits (2048 levels, even when huge)."""
    for error in log.filter_types([etree.ErrorTypes.ERR_RESOURCE_LIMIT]):
        return str(error.message)
    return None


def _cut_short(text: str, root: Element, path: str, limit: str) -> InputError:
    """An error at the last element read: where libxml2 stopped, leaving the rest unread."""
    last = root
    while (child := next(last.iterchildren(etree.Element, reversed=True), None)) is not None:
        last = child
    where = SourceMap(text, root).position(last)
    depth = sum(1 for _ in last.iterancestors()) + 1
    reason = f"elements nested more than {depth} deep" if "depth" in limit else limit.strip()
    message = f"{reason} from column {where.column} on; the page cannot be read past them"
    return InputError(message, path, where.line)


def _base(root: Element) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return href
    return ""


def _excluded(root: Element) -> frozenset[Element]:
    """Every element inside scripts, styles, navigation and page headers and footers."""
    regions = [
        element
        for element in root.iter(*_IGNORED, *_ROLE_HOLDERS)
        if element.tag in _IGNORED or element.get("role") in _IGNORED_ROLES
    ]
    return frozenset(element for region in regions for element in region.iter())


def _sorted_by_source(page: _Page, items: Iterable[FoundMarker | FoundNote]) -> list[int]:
    offsets = [page.source.offset(_anchor_of(item)) for item in items]
    return sorted(range(len(offsets)), key=offsets.__getitem__)  # stable: ties keep order


def _anchor_of(item: FoundMarker | FoundNote) -> Element:
    """Where a marker visibly begins (its ``<sup>`` when it has one), or the note."""
    return item.cut if isinstance(item, FoundMarker) else item.element


def _markers(page: _Page, found: tuple[FoundMarker, ...]) -> Iterator[Marker]:
    for index in _sorted_by_source(page, found):
        marker = found[index]
        line, column = page.source.line_column(marker.cut)
        yield Marker(marker.label, line, column)


def _notes(page: _Page, found: Found, citations: list[_Held]) -> tuple[Note, ...]:
    ordered = [found.notes[n] for n in _sorted_by_source(page, found.notes)]
    cut = frozenset(marker.cut for marker in found.markers)
    held: dict[Element, list[Citation]] = {}
    for citation, holder in citations:
        if holder is not None:
            held.setdefault(holder, []).append(citation)
    return tuple(_note(page, note, cut, held.get(note.element, ())) for note in ordered)


def _note(
    page: _Page, found: FoundNote, cut: frozenset[Element], cited: Iterable[Citation]
) -> Note:
    line, column = page.source.line_column(found.element)
    text = _note_text(found, cut)
    links, identifiers = _extract(page, text, found.element)
    href_links = () if found.title is not None else tuple(_links(page, found.element, True))
    if href_links:
        seen = {link.url for link in href_links}
        links = href_links + tuple(link for link in links if link.url not in seen)
        identifiers += _href_identifiers(href_links, identifiers)
    return Note(
        found.label,
        line,
        column,
        _clean_text(text.value, found),
        links,
        identifiers,
        tuple(cited),
    )


def _extract(
    page: _Page, text: Text, holder: Element
) -> tuple[tuple[Link, ...], tuple[Identifier, ...]]:
    """Bare URLs and identifiers in a note's text, located at the element holding each."""
    if not _MAY_HOLD_ID.search(text.value):
        return (), ()
    return extract(text.value, lambda i: _locate(page, text, i, holder))


def _note_text(found: FoundNote, cut: frozenset[Element]) -> Text:
    """The note's text without markers, back-links and the ``<sup>`` of its own number.

    The number is skipped rather than added to ``cut``: a copy of ``cut`` for each note
    would make a page of such notes quadratic (a note's text has no use for its cuts).
    """
    if found.title is not None:
        return Text(found.title, (0,), (found.element,), ())
    number = found.number
    if number is None:
        return read(found.element, _is_backlink, cut)
    return read(found.element, lambda element: element is number or _is_backlink(element), cut)


def _clean_text(value: str, found: FoundNote) -> str:
    """The note without an emptied back-link's brackets or a leading copy of its number."""
    if "[" in value:
        value = _EMPTY_BRACKETS.sub("", value)
    number = _NUMBERED.match(value)
    if number and (found.numbered or (number.group(1) or number.group(2)) == found.label):
        value = value[number.end() :]
    return value


def _is_backlink(element: Element) -> bool:
    classes = element.get("class")
    if classes and not _BACK_CLASSES.isdisjoint(classes.split()):
        return True
    if element.get("role") == "doc-backlink":
        return True
    if element.get("data-footnote-backref") is not None:
        return True
    return element.tag == "a" and (element.get("href") or "").startswith("#")


def _locate(page: _Page, text: Text, index: int, fallback: Element) -> Position:
    owner = text.owner(index)
    return page.source.position(owner if owner is not None else fallback)


def _links(page: _Page, holder: Element, in_note: bool) -> Iterator[Link]:
    for anchor in holder.iter("a", "area"):
        link = _link(page, anchor, in_note)
        if link is not None and not _in_unread(anchor, holder):
            yield link


def _link(page: _Page, anchor: Element, in_note: bool) -> Link | None:
    raw = (anchor.get("href") or "").strip()
    if not raw or raw.lower().startswith(_UNCHECKED):
        return None
    line, column = page.source.line_column(anchor)
    url = page.urls.get(raw)
    if url is None:
        url = page.urls[raw] = _absolute(page.base, raw)
    return Link(raw, line, column, url, in_note)


def _absolute(base: str, raw: str) -> str:
    if base:
        raw = urljoin(base, raw)
    elif raw.startswith("//"):
        raw = "https:" + raw
    return normalise_url(raw)


def _in_unread(element: Element, holder: Element) -> bool:
    parent = element.getparent()  # most often the holder itself
    while parent is not None and parent is not holder:
        if parent.tag in UNREAD:
            return True
        parent = parent.getparent()
    return False


def _href_identifiers(
    links: tuple[Link, ...], known: tuple[Identifier, ...]
) -> tuple[Identifier, ...]:
    """DOIs and arXiv ids that only a link's address gives (``href="https://doi.org/..."``)."""
    hinted = [link for link in links if _ID_HINT.search(link.raw)]
    if not hinted:
        return ()
    seen = {(identifier.scheme, identifier.value) for identifier in known}
    found = []
    for link in hinted:
        locate = _fixed(Position(link.line, link.column))
        for identifier in [*find_dois(link.raw, locate), *find_arxiv(link.raw, locate)]:
            if (identifier.scheme, identifier.value) not in seen:
                seen.add((identifier.scheme, identifier.value))
                found.append(identifier)
    return tuple(found)


def _fixed(where: Position) -> Callable[[int], Position]:
    return lambda _: where


def _citations(page: _Page, found: Found) -> list[_Held]:
    """Distill ``<d-cite key="a,b">`` and pandoc ``data-cites``: one Citation per key."""
    holders = {note.element: note.label for note in found.notes}
    held: list[_Held] = []
    for element in page.root.iter("d-cite", "span", "cite", "div"):
        if element in page.excluded or not (element.get("key") or element.get("data-cites")):
            continue
        holder = _holder(element, holders)
        keys = element.get("key") or element.get("data-cites") or ""
        line, column = page.source.line_column(element)
        label = holders.get(holder) if holder is not None else None
        for key in filter(None, re.split(r"[\s,;]+", keys)):
            held.append((Citation(key, line, column, note_label=label), holder))
    return held


def _holder(element: Element, holders: dict[Element, str]) -> Element | None:
    for parent in element.iterancestors():
        if parent in holders:
            return parent
    return None


def _body_links(page: _Page, found: Found) -> Iterator[Link]:
    in_notes = {a for note in found.notes for a in note.element.iter("a", "area")}
    for anchor in page.root.iter("a", "area"):
        if anchor in page.excluded or anchor in in_notes:
            continue
        link = _link(page, anchor, False)
        if link is not None:
            yield link


def _paragraphs(page: _Page, found: Found) -> Iterator[Paragraph]:
    notes = frozenset(note.element for note in found.notes)
    in_notes = {p for note in notes for p in note.iter("p")}
    cut = frozenset(marker.cut for marker in found.markers) | frozenset(page.root.iter("d-cite"))
    for element in page.root.iter("p"):
        if element in page.excluded or element in in_notes or element in notes:
            continue
        value, cuts = read_value(element, cut)
        if value:
            line, column = page.source.line_column(element)
            yield Paragraph(value, line, column, cuts)


def _bibliographies(root: Element) -> Iterator[str]:
    for element in root.iter("d-bibliography"):
        source = (element.get("src") or "").strip()
        if source:
            yield source


def _suppressions(text: str) -> Iterator[Suppression]:
    if "citecheck" not in text:
        return
    lines = LineIndex(text)
    for match in _SUPPRESS.finditer(text):
        rules = tuple(rule for rule in re.split(r"[\s,]+", match.group(1)) if rule)
        yield Suppression(lines.position(match.start()).line, rules)
