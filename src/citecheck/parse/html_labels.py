"""The label of each HTML note: the number its markers send the reader to, not its place.

A note that markers link to (``href="#fn3"`` -> ``id="fn3"``) takes their label, so that a
marker and its note are paired through the link and a marker whose target is missing finds
no note. A note no marker links to takes its own number: the one in its id (``fn4``,
``cite_note-smith-2``), else the number a browser shows for its list item (``start`` and
``value`` honoured). Only notes with neither links nor numbered ids are labelled by place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from citecheck.parse.html_source import Element

_DIGITS = re.compile(r"\d+")
MARKER_NUMBER = re.compile(r"^\s*[\[(]?\s*(\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)\s*[\])]?\s*$")
"""A marker's text: a number, a list or a range of them, perhaps in brackets."""


def note_labels(
    notes: Mapping[Element, None], links: Iterable[tuple[Element, str]]
) -> dict[Element, str]:
    """Each note's label; ``links`` holds each marker's target and label, in text order."""
    linked = _linked_labels(notes, links)
    numbers: dict[Element, int] = {}
    labels: dict[Element, str] = {}
    for note in notes:
        given = linked.get(note)
        if given is None:
            labels[note] = own_label(note, numbers)
        else:
            labels[note] = _chosen(given, note, numbers)
    return labels


def _linked_labels(
    notes: Mapping[Element, None], links: Iterable[tuple[Element, str]]
) -> dict[Element, list[str]]:
    """The labels of the markers that link to each note (to it or into it)."""
    labels: dict[Element, list[str]] = {}
    for target, label in links:
        note = _note_holding(target, notes)
        if note is not None:
            labels.setdefault(note, []).append(label)
    return labels


def _note_holding(target: Element, notes: Mapping[Element, None]) -> Element | None:
    if target in notes:
        return target
    for parent in target.iterancestors():
        if parent in notes:
            return parent
    return None


def _chosen(labels: list[str], note: Element, numbers: dict[Element, int]) -> str:
    """The first marker's label, or, when markers disagree, the one matching the note."""
    if all(label == labels[0] for label in labels):
        return labels[0]
    own = own_label(note, numbers)
    return own if own in labels else labels[0]


def own_label(note: Element, numbers: dict[Element, int]) -> str:
    """The note's number from its id, else its list item's number, else its id itself.

    ``numbers`` keeps the item numbers of lists already counted.
    """
    identifier = note.get("id") or note.get("name") or ""
    number = id_number(identifier)
    if number is not None:
        return number
    if note.tag == "li":
        if note not in numbers:
            numbers.update(list_numbers(note.getparent()))
        return str(numbers.get(note, 1))
    return id_label(identifier)


def id_number(identifier: str) -> str | None:
    """The note number an id holds: its only number, or MediaWiki's last (``cite_note-a-2``).

    Ids with several numbers (``footnote_0_110``: index and post) give none.
    """
    runs = _DIGITS.findall(identifier)
    if len(runs) == 1 or (runs and identifier.startswith("cite_note-")):
        return runs[-1].lstrip("0") or "0"
    return None


def id_label(identifier: str) -> str:
    """The first number in an id (``fn3`` -> ``3``), or the id when it holds none."""
    digits = _DIGITS.search(identifier)
    return digits.group() if digits else identifier


def list_numbers(parent: Element | None) -> dict[Element, int]:
    """The number a browser shows for each item of a list (``start`` and ``value`` honoured)."""
    if parent is None:
        return {}
    numbers = {}
    number = _int(parent.get("start"), 1)
    for item in parent:
        if item.tag == "li":
            number = _int(item.get("value"), number)
            numbers[item] = number
            number += 1
    return numbers


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
