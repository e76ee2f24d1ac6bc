"""What the HTML parser finds on a page: the elements that are markers and notes."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.parse.html_source import Element


@dataclass(frozen=True, slots=True)
class FoundMarker:
    """An element that refers the reader to a note."""

    element: Element
    """Where the marker stands (its position)."""
    cut: Element
    """What to leave out of the paragraph's text: the marker with its ``<sup>``."""
    label: str
    target: Element | None = None


@dataclass(frozen=True, slots=True)
class FoundNote:
    """An element holding a note's text, or a marker's title standing in for a missing list."""

    element: Element
    label: str
    title: str | None = None
    numbered: bool = False
    """True when the note's text starts with its own number (``1. Text``)."""
    number: Element | None = None
    """The ``<sup>`` that opens the note and gives its number: left out of its text."""


@dataclass(frozen=True, slots=True)
class Found:
    markers: tuple[FoundMarker, ...]
    notes: tuple[FoundNote, ...]
    shared: bool
    """True for MediaWiki pages, where a named note is referenced many times."""
