"""Walked .docx paragraphs -> notes with their links, identifiers, citations and references."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from citecheck.model import Citation, Identifier, Link, Note, Position, Reference
from citecheck.parse.identifiers import Locate, extract, normalise_url
from citecheck.parse.ooxml_fields import cited_items
from citecheck.parse.ooxml_walk import RawParagraph


@dataclass(frozen=True)
class NoteParagraphs:
    """The paragraphs of footnotes.xml or endnotes.xml, and the note ids in part order."""

    kind: str
    order: list[str]
    paragraphs: list[RawParagraph]


def build_notes(part: NoteParagraphs, labels: dict[str, str]) -> list[tuple[str, Note]]:
    """One Note per note id, sorted by label number as Word shows them; paired with the id."""
    grouped: dict[str, list[RawParagraph]] = {note_id: [] for note_id in part.order}
    for raw in part.paragraphs:
        grouped.setdefault(raw.note_id or "", []).append(raw)
    notes = [(i, _note(part.kind, labels[i], grouped[i])) for i in part.order if i in labels]
    ordinal = {label: n for n, label in enumerate(labels.values())}
    return sorted(notes, key=lambda pair: ordinal[pair[1].label])


def _note(kind: str, label: str, paragraphs: list[RawParagraph]) -> Note:
    line = paragraphs[0].number if paragraphs else 0
    identifiers: list[Identifier] = []
    links: list[Link] = []
    citations: list[Citation] = []
    references: list[Reference] = []
    number = label[1:] if kind == "endnote" else label
    for index, raw in enumerate(paragraphs, start=1):
        found_links, found_ids = extract(raw.text, _locate(raw.number))
        where = f"{kind} {number}, paragraph {index}"
        links.extend(_merge_links(raw, found_links, in_note=True, location=where))
        identifiers.extend(replace(found, location=where) for found in found_ids)
        citations.extend(paragraph_citations(raw, label))
        references.extend(_references(raw))
    return Note(
        label=label,
        line=line,
        column=1,
        text="\n".join(raw.text for raw in paragraphs).strip(),
        links=tuple(links),
        identifiers=tuple(identifiers),
        citations=tuple(citations),
        references=tuple(references),
        location=f"{kind} {number}, paragraph 1",
        kind=kind,
    )


def _locate(line: int) -> Locate:
    return lambda index: Position(line, index + 1)


def paragraph_links(raw: RawParagraph, in_note: bool) -> list[Link]:
    """Hyperlink targets of ``raw`` plus URLs written out in its text."""
    found, _ = extract(raw.text, _locate(raw.number), in_note)
    return _merge_links(raw, found, in_note)


def _merge_links(
    raw: RawParagraph, found: Iterable[Link], in_note: bool, location: str | None = None
) -> list[Link]:
    """Hyperlink targets win over the URL text they display; all are placed at ``location``."""
    links = [
        Link(a.value, raw.number, a.offset + 1, normalise_url(a.value), in_note, None, location)
        for a in raw.links
    ]
    spans = [(a.offset, a.end if a.end >= 0 else raw.size) for a in raw.links]
    links += [
        replace(link, location=location) for link in found if not _inside(link.column - 1, spans)
    ]
    return sorted(links, key=lambda link: link.column)


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < max(end, start + 1) for start, end in spans)


def paragraph_citations(raw: RawParagraph, note_label: str | None) -> list[Citation]:
    """The items of the citation fields in ``raw`` as citations by key."""
    return [
        Citation(item.key, raw.number, anchor.offset + 1, item.prefix, item.locator, note_label)
        for anchor in raw.fields
        for item in cited_items(anchor.value)
        if item.key
    ]


def _references(raw: RawParagraph) -> list[Reference]:
    return [item.reference for anchor in raw.fields for item in cited_items(anchor.value)]
