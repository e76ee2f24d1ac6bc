"""Markers, inline notes, links and citations in the inline content of Markdown blocks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from citecheck.model import Citation, Identifier, Link, Marker, Paragraph, Position, Suppression
from citecheck.parse.identifiers import Locate, find_identifiers, find_links, normalise_url
from citecheck.parse.markdown_candidates import Candidates
from citecheck.parse.markdown_citations import find_citations
from citecheck.parse.markdown_span import Masked, Span, blank_range, closing_bracket, mask
from citecheck.parse.positions import LineIndex

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_INLINE_NOTE = re.compile(r"\^\[")
_INLINE_LINK = re.compile(
    r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*"
    r"(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?(?![(:])")
_ABSOLUTE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:|www\.)", re.IGNORECASE)
_SUPPRESSION = re.compile(r"<!--\s*citecheck:\s*ignore\b(?P<rules>[\s\w\-.,]*?)\s*-->")


@dataclass
class NoteDraft:
    """A note while the document is read; links and citations are added as they are found."""

    label: str
    offset: int
    text: str
    links: list[Link] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


@dataclass
class _ReferenceUse:
    label: str
    offset: int
    owner: NoteDraft | None


class Collector:
    """Everything found so far in one document."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.index = LineIndex(source)
        # Offset -> position, and -> (line, column): the index's own methods, called for
        # every record (a method of ours calling them would cost a call more each time).
        self.position: Callable[[int], Position] = self.index.position
        self.line_column: Callable[[int], tuple[int, int]] = self.index.line_column
        self.candidates = Candidates(source)
        self.markers: list[Marker] = []
        self.notes: list[NoteDraft] = []
        self.citations: list[Citation] = []
        self.body_links: list[Link] = []
        self.paragraphs: list[Paragraph] = []
        self.suppressions: list[Suppression] = []
        self.references: dict[str, str] = {}
        self.reference_uses: list[_ReferenceUse] = []
        self.inline_notes = 0

    def add_marker(self, label: str, offset: int) -> None:
        line, column = self.line_column(offset)
        self.markers.append(Marker(label, line, column))

    def add_link(self, link: Link, owner: NoteDraft | None) -> None:
        (owner.links if owner else self.body_links).append(link)

    def add_suppressions(self, html: str, offset: int) -> None:
        """Record every ``<!-- citecheck: ignore ... -->`` in raw HTML at ``offset``."""
        for match in _SUPPRESSION.finditer(html):
            rules = tuple(match.group("rules").replace(",", " ").split())
            line, _ = self.line_column(offset + match.start())
            self.suppressions.append(Suppression(line, rules))

    def resolved_reference_links(self) -> None:
        """Turn ``[text][label]`` uses into links, now that all definitions are known."""
        for use in self.reference_uses:
            raw = self.references.get(use.label)
            if raw is not None and _ABSOLUTE.match(raw) is not None:
                line, column = self.line_column(use.offset)
                link = Link(raw, line, column, normalise_url(raw), use.owner is not None)
                self.add_link(link, use.owner)


def scan(span: Span, sink: Collector, owner: NoteDraft | None, paragraph: bool) -> None:
    """Record what the inline text of one block holds; ``owner`` is the note it is in."""
    if not _has_markup(span.text):
        if owner is not None or _names_url(span.text):
            _scan_plain(span, sink, owner)
        if paragraph:
            _add_paragraph(span, sink, ())
        return
    masked = mask(span.text)
    for offset, comment in masked.comments:
        sink.add_suppressions(comment, span.source_offset(offset))
    offsets: list[int] = []
    prose, codeless = _inline_notes(span, masked, sink, offsets)
    for match in FOOTNOTE_REF.finditer(prose) if "[^" in prose else ():
        sink.add_marker(match.group(1), span.source_offset(match.start()))
        offsets.append(match.start())
    prose = _links(span, masked, prose, sink, owner)
    _identifiers(span, codeless, sink, owner)
    _citations(span, prose, sink, owner)
    if paragraph:
        _add_paragraph(span, sink, tuple(sorted(offsets)))


def _scan_plain(span: Span, sink: Collector, owner: NoteDraft | None) -> None:
    """:func:`scan` of text without markup: only bare URLs and identifiers can be in it."""
    if _may_hold_url(span.text):
        for link in find_links(span.text, _locate(span, sink), owner is not None):
            sink.add_link(link, owner)
    _identifiers(span, span.text, sink, owner)


def _has_markup(text: str) -> bool:
    """Whether ``text`` holds what opens a marker, an inline note, a link, a citation, HTML,
    code or an escape.

    This and the tests below are substring tests written out: each skips through the text
    at C speed, where a pattern with several first characters tests every character of the
    text against each of them.
    """
    return "[" in text or "@" in text or "<" in text or "`" in text or "\\" in text or "^" in text


def _names_url(text: str) -> bool:
    """Whether ``text`` names a scheme or www.: body text without markup is scanned for
    links only then."""
    return (
        "http:" in text
        or "https:" in text
        or "www." in text
        or "ftp:" in text
        or "HTTP:" in text
        or "HTTPS:" in text
        or "WWW." in text
    )


def _locate(span: Span, sink: Collector) -> Locate:
    return lambda index: sink.position(span.source_offset(index))


def _add_paragraph(span: Span, sink: Collector, offsets: tuple[int, ...]) -> None:
    line, column = sink.line_column(span.source_offset(0))
    sink.paragraphs.append(Paragraph(span.text, line, column, offsets))


def _inline_notes(
    span: Span, masked: Masked, sink: Collector, offsets: list[int]
) -> tuple[str, str]:
    """Record each ``^[...]`` as a marker and a note; blank them out for the outer scan."""
    prose, codeless = masked.prose, masked.codeless
    if "^[" not in prose:
        return prose, codeless
    search_from = 0
    while (match := _INLINE_NOTE.search(prose, search_from)) is not None:
        end = closing_bracket(prose, match.start() + 1)
        if end == -1:
            break
        sink.inline_notes += 1
        label = f"^{sink.inline_notes}"
        source = span.source_offset(match.start())
        note = NoteDraft(label, source, span.text[match.start() + 2 : end])
        sink.notes.append(note)
        sink.add_marker(label, source)
        offsets.append(match.start())
        scan(span.sub(match.start() + 2, end), sink, note, paragraph=False)
        prose = blank_range(prose, match.start(), end + 1)
        codeless = blank_range(codeless, match.start(), end + 1)
        search_from = end + 1
    return prose, codeless


def _links(span: Span, masked: Masked, prose: str, sink: Collector, owner: NoteDraft | None) -> str:
    """Autolinks, inline and reference links; returns the prose without their URLs."""
    in_note = owner is not None
    for offset, url in masked.autolinks:
        _add_link(span, sink, owner, url, offset)
    url_text = prose
    if "](" in prose:
        for match in _INLINE_LINK.finditer(prose):
            start, end = match.span("dest")
            raw = span.text[start:end].strip("<>")
            _add_link(span, sink, owner, raw, start + (span.text[start] == "<"))
            prose = blank_range(prose, start, end)
            url_text = blank_range(url_text, match.start(), match.end())
    if "[" in prose:
        for match in _REFERENCE_LINK.finditer(prose):
            label = match.group(2) or match.group(1)
            if label[0] not in "^#@":
                key = " ".join(label.split()).casefold()
                sink.reference_uses.append(
                    _ReferenceUse(key, span.source_offset(match.start()), owner)
                )
    if _may_hold_url(url_text):
        for link in find_links(url_text, _locate(span, sink), in_note):
            sink.add_link(link, owner)
    return _blank_urls(prose, url_text)


def _may_hold_url(text: str) -> bool:
    """Whether the URL pattern may find something in ``text`` (far faster than it on text
    that has none)."""
    return "http" in text or "www." in text or "ftp:" in text or "HTTP" in text or "WWW." in text


def _may_hold_identifier(text: str) -> bool:
    """Whether a DOI, ISBN or arXiv id may be in ``text``."""
    lowered = text.lower()
    return (
        "10." in lowered
        or "isbn" in lowered
        or "arxiv" in lowered
        or "978-" in lowered
        or "979-" in lowered
    )


def _blank_urls(prose: str, url_text: str) -> str:
    """Bare URLs blanked, so ``https://host/@user`` is no citation."""
    if "@" not in prose or not _may_hold_url(url_text):
        return prose
    for match in re.finditer(r"(?:https?://|ftp://|www\.)\S+", url_text, re.IGNORECASE):
        prose = blank_range(prose, match.start(), match.end())
    return prose


def _add_link(span: Span, sink: Collector, owner: NoteDraft | None, raw: str, at: int) -> None:
    if not raw or _ABSOLUTE.match(raw) is None:
        return
    line, column = sink.line_column(span.source_offset(at))
    sink.add_link(Link(raw, line, column, normalise_url(raw), owner is not None), owner)


def _identifiers(span: Span, codeless: str, sink: Collector, owner: NoteDraft | None) -> None:
    if owner is None or not _may_hold_identifier(codeless):
        return
    owner.identifiers.extend(find_identifiers(codeless, _locate(span, sink)))


def _citations(span: Span, prose: str, sink: Collector, owner: NoteDraft | None) -> None:
    if "@" not in prose and "[#" not in prose:
        return
    label = owner.label if owner else None
    for found in find_citations(prose, span.text):
        line, column = sink.line_column(span.source_offset(found.offset))
        citation = Citation(found.key, line, column, found.prefix, found.locator, label)
        sink.citations.append(citation)
        if owner is not None:
            owner.citations.append(citation)
