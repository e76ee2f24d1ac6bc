"""Plain ``<sup>N</sup>`` markers, which link nowhere, and the notes they are paired with.

The notes are the list after a Notes-like heading or after the last marker, or a run of
blocks (``p``, ``div``, ``li``) that each begin with their number: ``<p><sup>1</sup> Text</p>``
after such a heading, after an ``<hr>`` or ending the content; ``<p>1. Text</p>`` (or ``[1]``)
after such a heading or an ``<hr>``. A note's opening ``<sup>`` is its number, not a marker.
A ``<sup>`` glued to a number, a letter or a unit (``mc<sup>2</sup>``, ``10<sup>3</sup>``)
is an exponent; one glued to a word (``word<sup>1</sup>``) is a marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from citecheck.parse.html_found import Found, FoundMarker, FoundNote
from citecheck.parse.html_labels import MARKER_NUMBER, list_numbers
from citecheck.parse.html_source import Element
from citecheck.parse.html_text import text_of

_HEADING = re.compile(
    r"^\s*(?:notes?|references?|endnotes?|footnotes?|sources?|bibliography|works cited|"
    r"citations|literature|anmerkungen|fußnoten|fussnoten|quellen|примечания|литература)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_HEADINGS = "h1 h2 h3 h4 h5 h6".split()
_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+")
_ONE_NUMBER = re.compile(r"^\s*[\[(]?\s*(\d{1,4})\s*[\])]?\s*$")
_BLOCKS = "following::*[self::p or self::div or self::li]"
_GLUED = re.compile(r"[^\W_]+$")
"""The letters or digits that end the text before a ``<sup>``, with no space between."""
_WORDS = frozenset("an as at be by do go he if in is it me my no of on or so to up us we".split())
"""Two-letter words, which a marker may follow directly, unlike a unit or a product (mc)."""


def plain(root: Element, excluded: frozenset[Element]) -> Found:
    """``<sup>N</sup>`` markers with the notes in a list or numbered blocks at the end."""
    sups = [s for s in root.iter("sup") if s not in excluded and _plain_sup(s)]
    if not sups:
        return Found((), (), False)
    notes = (
        _notes_after_heading(root, excluded)
        or _last_list_after(root, sups[-1])
        or _notes_after_rule(root, excluded)
        or _closing_notes(root, excluded)
    )
    holders = {note.element for note in notes}
    markers = [m for s in sups if not _inside(s, holders) for m in _sup_markers(s)]
    return Found(tuple(markers), tuple(notes), False) if notes else Found((), (), False)


def _plain_sup(sup: Element) -> bool:
    if any(parent.tag == "a" for parent in sup.iterancestors()):
        return False
    return bool(MARKER_NUMBER.match(text_of(sup))) and not _is_exponent(sup)


def _is_exponent(sup: Element) -> bool:
    """True when the ``<sup>`` is glued to a number, a letter or two, or a unit."""
    glued = _GLUED.search(_text_before(sup))
    if glued is None:
        return False
    token = glued.group()
    if token.isdigit():
        return True
    short = len(token) == 1 or (len(token) == 2 and not token.isupper())
    return token.isalpha() and short and token.lower() not in _WORDS


def _text_before(sup: Element) -> str:
    previous = sup.getprevious()
    if previous is None:
        parent = sup.getparent()
        return (parent.text or "") if parent is not None else ""
    if previous.tail:
        return str(previous.tail)
    return text_of(previous) if isinstance(previous.tag, str) else ""


def _sup_markers(sup: Element) -> Iterator[FoundMarker]:
    for label in _expand(text_of(sup).strip().strip("[]()")):
        yield FoundMarker(sup, sup, label)


def _expand(numbers: str) -> Iterator[str]:
    for part in re.split(r"\s*,\s*", numbers.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        low, high = int(bounds[0]), int(bounds[-1])
        if len(bounds) == 2 and low < high <= low + 50:
            yield from (str(n) for n in range(low, high + 1))
        else:
            yield str(low)


def _notes_after_heading(root: Element, excluded: frozenset[Element]) -> list[FoundNote]:
    headings = [h for h in root.iter(*_HEADINGS) if _HEADING.match(text_of(h))]
    if not headings:
        return []
    heading = headings[-1]
    lists = heading.xpath("following::ol[1]")
    if lists:
        return _list_notes(lists[0])
    blocks = _numbered_blocks(heading.xpath(_BLOCKS), excluded, plain_numbers=True)
    return _first_run(blocks)


def _last_list_after(root: Element, last_marker: Element) -> list[FoundNote]:
    lists = root.xpath("//ol")
    after = [ol for ol in lists if (ol.sourceline or 0) >= (last_marker.sourceline or 0)]
    return _list_notes(after[-1]) if after else []


def _notes_after_rule(root: Element, excluded: frozenset[Element]) -> list[FoundNote]:
    """The run of numbered blocks that starts right after the last ``<hr>`` to have one."""
    for rule in reversed([hr for hr in root.iter("hr") if hr not in excluded]):
        blocks = _numbered_blocks(rule.xpath(_BLOCKS), excluded, plain_numbers=True)
        notes = _first_run(blocks, leading_prose=False)
        if notes:
            return notes
    return []


def _closing_notes(root: Element, excluded: frozenset[Element]) -> list[FoundNote]:
    """Blocks opening with ``<sup>N</sup>`` that end the content, with no heading or rule."""
    blocks = list(_numbered_blocks(root.iter("p", "div", "li"), excluded, plain_numbers=False))
    run: list[FoundNote] = []
    for note in reversed(blocks):
        if note is None:
            break
        run.append(note)
    return run[::-1]


def _list_notes(ol: Element) -> list[FoundNote]:
    return [FoundNote(li, str(number)) for li, number in list_numbers(ol).items()]


def _first_run(blocks: Iterable[FoundNote | None], leading_prose: bool = True) -> list[FoundNote]:
    """The first run of notes; prose blocks before it are passed over if ``leading_prose``."""
    notes: list[FoundNote] = []
    for note in blocks:
        if note is None:
            if notes or not leading_prose:
                break
            continue
        notes.append(note)
    return notes


def _numbered_blocks(
    blocks: Iterable[Element], excluded: frozenset[Element], plain_numbers: bool
) -> Iterator[FoundNote | None]:
    """Each block as a note when it opens with its number, else None (prose).

    Blocks inside a note, and blocks that only hold other blocks, are passed over.
    """
    note: Element | None = None
    for block in blocks:
        if block in excluded or (note is not None and _inside(block, {note})):
            continue
        found = _numbered_note(block, plain_numbers)
        if found is not None:
            note = block
            yield found
        elif not _holds_blocks(block):
            yield None


def _numbered_note(block: Element, plain_numbers: bool) -> FoundNote | None:
    first = block[0] if len(block) else None
    if first is not None and first.tag == "sup" and not (block.text or "").strip():
        number = _ONE_NUMBER.match(text_of(first))
        if number is not None:
            return FoundNote(block, number.group(1), number=first)
    match = _NUMBERED.match(text_of(block)) if plain_numbers else None
    if match is None:
        return None
    return FoundNote(block, match.group(1) or match.group(2), numbered=True)


def _holds_blocks(element: Element) -> bool:
    return any(True for _ in element.iterdescendants("p", "div", "li"))


def _inside(element: Element, holders: set[Element]) -> bool:
    return any(parent in holders for parent in element.iterancestors())
