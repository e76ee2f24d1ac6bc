"""Numbering rules: every marker points to exactly one note, and every note is referenced."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from citecheck.model import Document, Finding, Marker, Note
from citecheck.validate.rules import finding


def check(document: Document) -> list[Finding]:
    """All numbering findings for one document, in rule order."""
    findings = [
        *duplicate_note(document),
        *missing_note(document),
        *unused_note(document),
        *empty_note(document),
        *numbering_gap(document),
        *out_of_order(document),
        *reused_marker(document),
    ]
    return findings


def duplicate_note(document: Document) -> Iterator[Finding]:
    first: dict[tuple[str, str], Note] = {}
    for position, note in enumerate(document.notes):
        key = (note.kind, note.label)
        if key not in first:
            first[key] = note
            continue
        original = first[key]
        suggestion = _renumber_suggestion(document, position)
        yield finding(
            "duplicate-note",
            note.path or document.path,
            note.line,
            note.column,
            note.label,
            f"note [{note.label}] repeats the label of the note {_on(original, note, document)}",
            suggestion=suggestion,
            location=note.location,
        )


def missing_note(document: Document) -> Iterator[Finding]:
    labels = {note.label for note in document.notes}
    for marker in _first_markers(document.markers):
        if marker.label in labels:
            continue
        yield finding(
            "missing-note",
            marker.path or document.path,
            marker.line,
            marker.column,
            marker.label,
            f"marker {marker.label} points to no note",
            suggestion=_missing_suggestion(document, marker),
            location=marker.location,
        )


def unused_note(document: Document) -> Iterator[Finding]:
    referenced = {marker.label for marker in document.markers}
    seen: set[str] = set()
    for note in document.notes:
        if note.label in referenced or note.label in seen:
            continue
        seen.add(note.label)
        yield finding(
            "unused-note",
            note.path or document.path,
            note.line,
            note.column,
            note.label,
            f"note [{note.label}] is not referenced by any marker",
            location=note.location,
        )


def empty_note(document: Document) -> Iterator[Finding]:
    for note in document.notes:
        if note.text.strip() or note.links or note.citations or note.references:
            continue
        yield finding(
            "empty-note",
            note.path or document.path,
            note.line,
            note.column,
            note.label,
            f"note [{note.label}] is empty",
            suggestion="restore the note's text from the original",
            location=note.location,
        )


def numbering_gap(document: Document) -> Iterator[Finding]:
    """Numbers the notes skip; one a marker points to is its missing-note already."""
    numbers = sorted({int(note.label) for note in document.notes if note.label.isdigit()})
    if not numbers:
        return
    present = set(numbers) | {int(m.label) for m in document.markers if m.label.isdigit()}
    after = {n: note for note in document.notes if note.label.isdigit() for n in [int(note.label)]}
    for missing in range(1, numbers[-1]):
        if missing in present:
            continue
        following = next(after[n] for n in numbers if n > missing)
        yield finding(
            "numbering-gap",
            following.path or document.path,
            following.line,
            following.column,
            str(missing),
            f"notes skip number {missing} (the next note is [{following.label}])",
            location=following.location,
        )


def out_of_order(document: Document) -> Iterator[Finding]:
    firsts = [m for m in _first_markers(document.markers) if m.label.isdigit()]
    keep = set(map(id, _longest_increasing(firsts)))
    for marker in firsts:
        if id(marker) not in keep:
            yield finding(
                "out-of-order",
                marker.path or document.path,
                marker.line,
                marker.column,
                marker.label,
                f"marker {marker.label} first appears out of ascending order",
                location=marker.location,
            )


def reused_marker(document: Document) -> Iterator[Finding]:
    if document.shared_notes:
        return
    first: dict[str, Marker] = {}
    for marker in document.markers:
        if not marker.label.isdigit():
            continue
        if marker.label not in first:
            first[marker.label] = marker
            continue
        original = first[marker.label]
        yield finding(
            "reused-marker",
            marker.path or document.path,
            marker.line,
            marker.column,
            marker.label,
            f"marker {marker.label} is used again (first {_on(original, marker, document)}); "
            "each marker should have its own note",
            location=marker.location,
        )


def _first_markers(markers: Sequence[Marker]) -> list[Marker]:
    seen: set[str] = set()
    firsts = []
    for marker in markers:
        if marker.label not in seen:
            seen.add(marker.label)
            firsts.append(marker)
    return firsts


def _longest_increasing(markers: list[Marker]) -> list[Marker]:
    """The longest run of markers, in text order, whose numbers ascend (patience sorting)."""
    tails: list[int] = []  # smallest last value of an ascending run of each length
    tail_index: list[int] = []
    parent: list[int] = []
    for position, marker in enumerate(markers):
        value = int(marker.label)
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(position)
        else:
            tails[length] = value
            tail_index[length] = position
        parent.append(tail_index[length - 1] if length else -1)
    chain = []
    position = tail_index[-1] if tail_index else -1
    while position != -1:
        chain.append(markers[position])
        position = parent[position]
    return chain[::-1]


def _expected_label(document: Document, position: int) -> str | None:
    """The label a note at ``position`` should have if numbering runs on from the one before."""
    if position == 0 or not document.notes[position - 1].label.isdigit():
        return None
    return str(int(document.notes[position - 1].label) + 1)


def _renumber_suggestion(document: Document, position: int) -> str | None:
    expected = _expected_label(document, position)
    markers = {marker.label for marker in document.markers}
    labels = {note.label for note in document.notes}
    if expected and expected in markers and expected not in labels:
        note = document.notes[position]
        return f"renumber this note [{note.label}] to [{expected}]"
    return None


def _missing_suggestion(document: Document, marker: Marker) -> str | None:
    seen: set[str] = set()
    label = marker.label
    for position, note in enumerate(document.notes):
        if note.label in seen and _expected_label(document, position) == label:
            where = _at(note, marker, document)
            return f"renumber the second note [{note.label}] ({where}) to [{label}]"
        seen.add(note.label)
    return None


def _at(item: Marker | Note, beside: Marker | Note, document: Document) -> str:
    """``line 12``, ``line 12 of ch/two.tex`` when ``item`` is in another file than ``beside``,
    or where lines mean little the human location (``footnote 3, paragraph 1``)."""
    if item.location:
        return item.location
    if item.path != beside.path:
        return f"line {item.line} of {item.path or document.path}"
    return f"line {item.line}"


def _on(item: Marker | Note, beside: Marker | Note, document: Document) -> str:
    """``on line 12`` (``of ch/two.tex``), or ``in footnote 3, paragraph 1``."""
    where = _at(item, beside, document)
    return f"in {where}" if item.location else f"on {where}"
