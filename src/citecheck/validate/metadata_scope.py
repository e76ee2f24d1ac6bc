"""Which notes the metadata stage reads at all (kept light: the pipeline asks before it
imports the reference parser and the authority client)."""

from __future__ import annotations

from collections.abc import Iterable

from citecheck.model import Document, IdentifierScheme, Note

IDENTIFIED = frozenset({IdentifierScheme.DOI, IdentifierScheme.ISBN})


def comparable(note: Note, has_bibliography: bool) -> bool:
    """Whether a note has anything to be compared with: the bibliography, its own DOI or
    ISBN, or structured references. Other notes are not parsed at all (the reference
    parser costs about a millisecond a note, and a search would cost a request)."""
    if note.references or has_bibliography:
        return True
    return any(i.scheme in IDENTIFIED and i.valid for i in note.identifiers)


def any_comparable(documents: Iterable[Document], has_bibliography: bool) -> bool:
    """Whether the metadata stage has any work in ``documents``."""
    return any(comparable(note, has_bibliography) for d in documents for note in d.notes)
