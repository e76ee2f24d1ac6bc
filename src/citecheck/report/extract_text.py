"""``citecheck extract`` for people: what the parser understood, document by document.

Every line is shown with its control characters written out (``\\x1b``), so that a
document cannot send escape sequences to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from citecheck.model import Citation, Document, Link, Marker, Note
from citecheck.report.printable import visible
from citecheck.words import counted

_WIDTH = 90


def render(documents: Sequence[Document]) -> str:
    """Markers, notes with their links, identifiers and citation keys, then body citations."""
    lines = (line for document in documents for line in _document(document))
    return "".join(f"{visible(line)}\n" for line in lines)


def _document(document: Document) -> Iterator[str]:
    markers = counted(len(document.markers), "marker")
    notes = counted(len(document.notes), "note")
    yield f"{document.path} ({document.format}): {markers}, {notes}"
    for marker in document.markers:
        yield f"  marker {marker.label} at {_where(marker)}"
    for note in document.notes:
        yield from _note(note)
    for citation in document.citations:
        if citation.note_label is None:
            yield f"  cites @{citation.key} at {_where(citation)}"
    for link in document.body_links:
        yield f"  body link {link.url} at {_where(link)}"
    for notice in document.notices:
        yield f"  notice: {notice}"


def _note(note: Note) -> Iterator[str]:
    yield f"  note [{note.label}] at {_where(note)}: {_shorten(note.text)}"
    for link in note.links:
        yield f"      link {link.url}"
    for identifier in note.identifiers:
        invalid = "" if identifier.valid else " (invalid)"
        yield f"      {identifier.scheme.value} {identifier.value}{invalid}"
    for citation in note.citations:
        yield f"      cites @{citation.key}"


def _where(item: Marker | Note | Citation | Link) -> str:
    """``12:5``, ``ch/two.tex:12:5`` in a file read into the document, or a Word location."""
    if isinstance(item, Marker | Note) and item.location:
        return item.location
    place = f"{item.line}:{item.column}"
    return f"{item.path}:{place}" if item.path else place


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _WIDTH else flat[: _WIDTH - 1] + "…"
