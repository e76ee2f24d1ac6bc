"""Plain text as scraped from web pages, where superscripts came out flattened.

Markers are digits glued to a word, punctuation or a closing quote (``anyway”.1``,
``philosophy),5``), Unicode superscripts, ``[1]`` and ``^1``. Notes are found by
:mod:`citecheck.parse.plaintext_notes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from citecheck.model import Document, Link, Marker, Note, Paragraph, Suppression
from citecheck.parse.identifiers import find_links, url_matches
from citecheck.parse.plaintext_notes import NotesSection, SectionKind, no_section, read_section
from citecheck.parse.positions import LineIndex

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# A run of one to three digits right after a non-space character: it opens with \d so
# the regex engine skips between digits, and the look-behind drops "in 2012" in C.
_DIGIT_RUN = re.compile(r"\d(?<=[^\s\d]\d)\d{0,2}(?!\d)")
_CLOSING = "”’\"'»)]"
_PUNCTUATION = ".,;:!?"
# [1] and [2-4], ^5, and Unicode superscripts.
_BRACKETED = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_CARET = re.compile(r"\^\[?(\d{1,3})\]?")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPT_DIGITS}]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BLOCK = re.compile(r"[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*")
_SUPPRESS = re.compile(r"citecheck:\s*ignore\b([\w\s,-]*)", re.IGNORECASE)
_SUPPRESS_WORD = "citecheck:"  # found with str.find, which is far faster than a regex scan
_RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
_ABBREVIATIONS = frozenset(
    "p pp no nos vol vols ch chap sec art fig figs para n nn ed eds op cit ibid id".split()
)
_UNITS = frozenset("m cm mm km ft in s ms kg g l x y z n".split())


@dataclass(frozen=True)
class _Body:
    """What lies before the notes section."""

    paragraphs: tuple[Paragraph, ...]
    markers: tuple[Marker, ...]
    links: tuple[Link, ...]


def parse(text: str, path: str) -> Document:
    """Parse scraped plain text into markers, notes and body paragraphs."""
    index = LineIndex(text)
    section = read_section(text, index)
    body = _body(text, index, section)
    if section.kind is SectionKind.NUMBERED and not _marked(section.notes, body.markers):
        section = no_section(index)  # a numbered list nothing points to
        body = _body(text, index, section)
    return Document(
        path=path,
        format="text",
        text=text,
        markers=body.markers,
        notes=section.notes,
        body_links=body.links,
        paragraphs=body.paragraphs,
        suppressions=tuple(_suppressions(text, index)),
    )


def _marked(notes: Sequence[Note], markers: Sequence[Marker]) -> bool:
    """True when markers in the body use at least half of the notes' labels."""
    labels = {note.label for note in notes}
    used = labels.intersection(marker.label for marker in markers)
    return 2 * len(used) >= len(labels) > 0


def _body(text: str, index: LineIndex, section: NotesSection) -> _Body:
    first = section.first_line
    end = index.offset(first + 1) if first < index.line_count else len(text)
    urls = list(url_matches(text, end))
    known = {note.label for note in section.notes}
    paragraphs, markers = _read_body(text, end, _mask(text, urls), index, known)
    links = find_links(text, index.position, in_note=False, matches=urls)
    return _Body(tuple(paragraphs), tuple(markers), tuple(links))


def _read_body(
    text: str, end: int, masked: str, index: LineIndex, known: set[str]
) -> tuple[list[Paragraph], list[Marker]]:
    """Markers in one pass over ``masked`` (the text with its URLs blanked out) up to
    ``end``; paragraphs are blocks of text between blank lines."""
    found = sorted(_markers_in(masked, end, _label_limit(known), known), key=lambda m: m[0])
    offsets = [offset for offset, _ in found]
    markers = [Marker(label, *_line_column(index, offset)) for offset, label in found]
    paragraphs = []
    for block in _BLOCK.finditer(text, 0, end):
        first, last = bisect_left(offsets, block.start()), bisect_left(offsets, block.end())
        line, column = _line_column(index, block.start())
        inside = tuple(offset - block.start() for offset in offsets[first:last])
        paragraphs.append(Paragraph(block.group(), line, column, inside))
    return paragraphs, markers


def _line_column(index: LineIndex, offset: int) -> tuple[int, int]:
    where = index.position(offset)
    return where.line, where.column


def _label_limit(known: set[str]) -> int:
    numbers = [int(label) for label in known if label.isdigit()]
    return max(numbers) + 3 if numbers else 300


def _markers_in(masked: str, end: int, limit: int, known: set[str]) -> Iterator[tuple[int, str]]:
    """Markers before ``end`` in text whose URLs are blanked out."""
    if masked.find("@", 0, end) != -1:
        masked = _EMAIL.sub(_blank, masked)
    yield from _glued_markers(masked, end, limit, known)
    for match in _BRACKETED.finditer(masked, 0, end):
        yield from ((match.start(), label) for label in _expand(match.group(1)))
    if masked.find("^", 0, end) != -1:
        carets = _CARET.finditer(masked, 0, end)
        yield from ((match.start(), match.group(1)) for match in carets)
    # A class of non-ASCII characters gets no fast skip in the regex engine: look first.
    if any(masked.find(digit, 0, end) != -1 for digit in _SUPERSCRIPT_DIGITS):
        for match in _SUPERSCRIPT_RUN.finditer(masked, 0, end):
            if not _is_unit(masked, match.start()):
                yield match.start(), match.group().translate(_SUPERSCRIPTS)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _mask(text: str, matches: Iterable[re.Match[str]]) -> str:
    """``text`` with the matched spans blanked out (same length, so offsets hold)."""
    parts, last = [], 0
    for match in matches:
        parts += [text[last : match.start()], " " * (match.end() - match.start())]
        last = match.end()
    return "".join(parts) + text[last:] if parts else text


def _glued_markers(
    text: str, end_of_body: int, limit: int, known: set[str]
) -> Iterator[tuple[int, str]]:
    """Digits glued to a word, punctuation or closing quote: ``anyway”.1``, ``shows,6``.

    Digit runs are found first (the regex engine skips to them fast) and their
    surroundings are read in Python: prose holds few digits.
    """
    for match in _DIGIT_RUN.finditer(text, 0, end_of_body):
        start, end = match.span()
        if _continues(text, end):
            continue
        glue_start = _glue_start(text, start)
        if glue_start == 0 or not _may_precede(text[glue_start - 1]):
            continue
        label = match.group()
        if _plausible_glued(text, glue_start, text[glue_start:start], label, limit, known):
            yield start, label


def _glue_start(text: str, start: int) -> int:
    """Where the closing quotes, brackets and punctuation before ``start`` begin."""
    for characters in (_CLOSING, _PUNCTUATION, _CLOSING):
        while start > 0 and text[start - 1] in characters:
            start -= 1
    return start


def _may_precede(character: str) -> bool:
    return character in _CLOSING or (character.isalpha() and character != "_")


def _continues(text: str, end: int) -> bool:
    """True when the digits run on into a word, a unit, a decimal, a time or a range."""
    if end >= len(text):
        return False
    following = text[end]
    if following.isalnum() or following in "_%°‰":
        return True
    return following in "/.,:-" and end + 1 < len(text) and (text[end + 1].isalnum())


def _plausible_glued(
    text: str, glue_start: int, glue: str, label: str, limit: int, known: set[str]
) -> bool:
    """Reject years, decimals, times, ranges, ordinals, codes like CO2 and abbreviations."""
    if label.startswith("0") or int(label) > limit:
        return False
    word = _word_before(text, glue_start)
    if not glue:
        # Glued straight to letters: only to a lower-case word, and only a known label.
        return word.isalpha() and word.islower() and len(word) > 2 and label in known
    if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    if glue[-1] in "\"'" and glue[-2:-1] in (":", "="):
        return False  # an opening quote: "value":"200", key='3'
    return not (glue.endswith(":") and word.isdigit())


def _word_before(line: str, end: int) -> str:
    start = end
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_"):
        start -= 1
    return line[start:end]


def _expand(group: str) -> Iterator[str]:
    for part in re.split(r"\s*,\s*", group):
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2 and int(bounds[0]) < int(bounds[1]) <= int(bounds[0]) + 50:
            yield from (str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            yield bounds[0]


def _is_unit(line: str, start: int) -> bool:
    word = _word_before(line, start)
    return word.lower() in _UNITS or (bool(word) and word[-1].isdigit())


def _suppressions(text: str, index: LineIndex) -> Iterator[Suppression]:
    at = text.find(_SUPPRESS_WORD)
    while at != -1:
        match = _SUPPRESS.match(text, at)
        if match:
            yield Suppression(index.position(at).line, tuple(_RULE_NAME.findall(match.group(1))))
        at = text.find(_SUPPRESS_WORD, at + 1)
