"""OpenDocument .odt -> Document: ``text:note`` footnotes and endnotes, and their links.

A note's label is its ``text:note-citation`` as shown (the ``text:label`` attribute when set,
else the citation text); endnote labels get an ``e`` prefix as in .docx ("e1"). Positions as in
.docx: ``line`` is the paragraph number in the body (headings count), column 1 for markers and
notes; a note's own paragraphs are not counted in the body. ``Document.text`` is the body, one
paragraph per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from citecheck.errors import InputError
from citecheck.model import Document, Identifier, Link, Marker, Note, Paragraph, Position
from citecheck.parse.identifiers import Locate, extract, normalise_url
from citecheck.parse.ooxml_package import open_package, read_xml

FORMAT = "odt"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
_PARAGRAPHS = {TEXT + "p", TEXT + "h"}
_SPACES = {TEXT + "s", TEXT + "tab", TEXT + "line-break"}
_TRACKED = TEXT + "tracked-changes"
"""The change log: deleted text kept for undo, not part of the document as shown."""


@dataclass
class _Line:
    """One paragraph: its text, link targets with offsets, and note offsets."""

    number: int
    location: str | None = None
    """Set for a note's paragraph ("footnote 1, paragraph 2"): ``number`` is the body's."""
    pieces: list[str] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(piece) for piece in self.pieces)


@dataclass
class _Walk:
    lines: list[_Line] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def parse_bytes(data: bytes, path: str) -> Document:
    """Parse the bytes of an .odt file named ``path``."""
    archive = open_package(data, path, ".odt")
    root = read_xml(archive, "content.xml", path)
    if root is None:
        raise InputError("not an .odt (no content.xml in the zip archive)", path)
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    walk = _Walk()
    for child in () if body is None else body:
        _block(child, walk)
    return _document(path, walk)


def _document(path: str, walk: _Walk) -> Document:
    texts = ["".join(line.pieces) for line in walk.lines]
    paragraphs = [
        Paragraph(text, line.number, 1, tuple(line.notes), f"body, paragraph {line.number}")
        for text, line in zip(texts, walk.lines, strict=True)
        if text.strip() or line.notes
    ]
    return Document(
        path=path,
        format=FORMAT,
        text="\n".join(texts),
        markers=tuple(walk.markers),
        notes=tuple(walk.notes),
        body_links=tuple(_links(walk.lines, in_note=False)),
        paragraphs=tuple(paragraphs),
    )


def _block(element: etree._Element, walk: _Walk) -> None:
    """Body paragraphs and headings in document order, including inside lists and tables."""
    tag = getattr(element, "tag", None)
    if tag == _TRACKED:
        return
    if tag in _PARAGRAPHS:
        line = _Line(len(walk.lines) + 1)
        walk.lines.append(line)
        _inline(element, line, walk)
    elif isinstance(tag, str):
        for child in element:
            _block(child, walk)


def _inline(element: etree._Element, line: _Line, walk: _Walk | None) -> None:
    text = getattr(element, "text", None)
    if text:
        line.pieces.append(text)
    for child in element:
        _child(child, line, walk)
        if child.tail:
            line.pieces.append(child.tail)


def _child(child: etree._Element, line: _Line, walk: _Walk | None) -> None:
    tag = getattr(child, "tag", None)
    if tag == TEXT + "note":
        if walk is not None:
            _note(child, line, walk)
    elif tag == TEXT + "a":
        href = child.get(XLINK + "href", "")
        if href and not href.startswith("#"):
            line.links.append((href, line.size))
        _inline(child, line, walk)
    elif tag in _SPACES:
        count = int(child.get(TEXT + "c", "1") or 1) if tag == TEXT + "s" else 1
        line.pieces.append((" " if tag != TEXT + "tab" else "\t") * count)
    elif isinstance(tag, str) and tag != _TRACKED:
        _inline(child, line, walk)


def _note(element: etree._Element, line: _Line, walk: _Walk) -> None:
    kind = element.get(TEXT + "note-class", "footnote")
    shown = _label(element) or "?"
    label = "e" + shown if kind == "endnote" else shown
    line.notes.append(line.size)
    where = f"body, paragraph {line.number}"
    walk.markers.append(Marker(label, line.number, 1, where))
    body = element.find(TEXT + "note-body")
    note_lines = list(_note_lines(body, line.number, f"{kind} {shown}"))
    links, identifiers = _note_links(note_lines)
    text = "\n".join("".join(n.pieces) for n in note_lines).strip()
    walk.notes.append(
        Note(
            label,
            line.number,
            1,
            text,
            links,
            identifiers,
            location=f"{kind} {shown}, {where}",
            kind=kind,
        )
    )


def _label(element: etree._Element) -> str:
    citation = element.find(TEXT + "note-citation")
    if citation is None:
        return ""
    written = citation.get(TEXT + "label")
    return str(written or "".join(citation.itertext())).strip()


def _note_lines(body: etree._Element | None, number: int, note: str) -> Iterator[_Line]:
    """The note's paragraphs, each placed at the body paragraph that holds the note."""
    if body is None:
        return
    for index, paragraph in enumerate(body.iter(*_PARAGRAPHS), start=1):
        line = _Line(number, f"{note}, paragraph {index}")
        _inline(paragraph, line, None)
        yield line


def _note_links(lines: list[_Line]) -> tuple[tuple[Link, ...], tuple[Identifier, ...]]:
    links = list(_links(lines, in_note=True))
    identifiers: list[Identifier] = []
    for line in lines:
        found = extract("".join(line.pieces), _at(line.number))[1]
        identifiers.extend(replace(identifier, location=line.location) for identifier in found)
    return tuple(links), tuple(identifiers)


def _links(lines: list[_Line], in_note: bool) -> Iterator[Link]:
    for line in lines:
        seen: set[str] = set()
        for href, offset in line.links:
            seen.add(normalise_url(href))
            url = normalise_url(href)
            yield Link(href, line.number, offset + 1, url, in_note, None, line.location)
        found, _ = extract("".join(line.pieces), _at(line.number), in_note)
        yield from (replace(link, location=line.location) for link in found if link.url not in seen)


def _at(number: int) -> Locate:
    return lambda index: Position(number, index + 1)
