"""Plain text as scraped from web pages, where superscripts came out flattened.

Markers are digits glued to a word, punctuation or a closing quote (``anyway”.1``,
``philosophy),5``), Unicode superscripts, ``[1]`` and ``^1``. Notes are ``[N] text``,
``N. text`` or ``N text`` lines under a Notes-like heading, or a run of ``[N]`` lines
at the end of the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from citecheck.model import Document, Marker, Note, Paragraph, Position, Suppression
from citecheck.parse.identifiers import extract, find_links
from citecheck.parse.positions import LineIndex

_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(notes?|references?|endnotes?|footnotes?|sources?|bibliography|"
    r"works cited|citations|literature|anmerkungen|примечания|литература)\s*:?\s*$",
    re.IGNORECASE,
)
_NOTE_BRACKET = re.compile(r"^[ \t]*\[(\d{1,4})\][ \t]*(?=\S)")
_NOTE_LOOSE = re.compile(r"^[ \t]*(?:\[(\d{1,4})\]|\^?(\d{1,4})[.)]?|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))[ \t]+(?=\S)")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")

# Digits glued to a closing quote, bracket or sentence punctuation: ``anyway”.1``.
_GLUED_PUNCT = re.compile(
    r"(?<=[^\W\d_]|[”’\"'»)\]])([”’\"'»)\]]*[.,;:!?]*[”’\"'»)\]]*)(\d{1,3})(?![\w%°‰/.,:-]\w|[\w%°‰])"
)
_BRACKETED = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_CARET = re.compile(r"\^\[?(\d{1,3})\]?")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BLOCK = re.compile(r"[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*")
_SUPPRESS = re.compile(r"citecheck:\s*ignore\b([\w\s,-]*)", re.IGNORECASE)
_RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
_ABBREVIATIONS = frozenset(
    "p pp no nos vol vols ch chap sec art fig figs para n nn ed eds op cit ibid id".split()
)
_UNITS = frozenset("m cm mm km ft in s ms kg g l x y z n".split())


@dataclass(frozen=True)
class _NoteStart:
    line_no: int
    label: str
    text_start: int


def parse(text: str, path: str) -> Document:
    """Parse scraped plain text into markers, notes and body paragraphs."""
    index = LineIndex(text)
    lines = text.split("\n")
    notes_from, heading = _notes_region(lines)
    note_starts = _note_starts(lines, notes_from, heading)
    notes = tuple(_build_notes(lines, note_starts, index))
    body_end = index.offset(notes_from + 1) if notes_from < len(lines) else len(text)
    known = {note.label for note in notes}
    paragraphs, markers = _read_body(text[:body_end], index, known)
    return Document(
        path=path,
        format="text",
        text=text,
        markers=tuple(markers),
        notes=notes,
        body_links=tuple(find_links(text[:body_end], index.position, in_note=False)),
        paragraphs=tuple(paragraphs),
        suppressions=tuple(_suppressions(lines)),
    )


def _notes_region(lines: list[str]) -> tuple[int, bool]:
    """First line of the notes section (len(lines) when none), and whether a heading opened it."""
    for number in range(len(lines) - 1, -1, -1):
        if _HEADING.match(lines[number]) and _has_note_after(lines, number + 1):
            return number + 1, True
    return _trailing_bracket_run(lines), False


def _has_note_after(lines: list[str], start: int) -> bool:
    return any(_NOTE_LOOSE.match(line) for line in lines[start : start + 6])


def _trailing_bracket_run(lines: list[str]) -> int:
    """The start of the run of ``[N]`` lines that ends the document, if there is one."""
    starts = [number for number, line in enumerate(lines) if _NOTE_BRACKET.match(line)]
    if not starts:
        return len(lines)
    run_start = starts[-1]
    for previous in reversed(starts[:-1]):
        if not _attached(lines[previous + 1 : run_start]):
            break
        run_start = previous
    return run_start


def _attached(between: list[str]) -> bool:
    """True when the lines between two notes are continuation lines, then blank lines."""
    seen_blank = False
    for line in between:
        if not line.strip():
            seen_blank = True
        elif seen_blank:
            return False
    return True


def _note_starts(lines: list[str], notes_from: int, heading: bool) -> list[_NoteStart]:
    starts = []
    pattern = _NOTE_LOOSE if heading else _NOTE_BRACKET
    for number in range(notes_from, len(lines)):
        match = pattern.match(lines[number])
        if match:
            label = next(g for g in match.groups() if g).translate(_SUPERSCRIPTS)
            starts.append(_NoteStart(number, label, match.end()))
    return starts


def _build_notes(lines: list[str], starts: list[_NoteStart], index: LineIndex) -> Iterator[Note]:
    for position, start in enumerate(starts):
        end = starts[position + 1].line_no if position + 1 < len(starts) else len(lines)
        body = [lines[start.line_no][start.text_start :]]
        for number in range(start.line_no + 1, end):
            if not lines[number].strip():
                break
            body.append(lines[number])
        text = "\n".join(part.strip() for part in body)
        offset = index.offset(start.line_no + 1, start.text_start + 1)
        links, identifiers = extract(text, _locator(index, offset, body))
        where = index.position(index.offset(start.line_no + 1))
        column = len(lines[start.line_no]) - len(lines[start.line_no].lstrip()) + 1
        yield Note(start.label, where.line, column, text, links, identifiers)


def _locator(index: LineIndex, offset: int, body: list[str]):  # type: ignore[no-untyped-def]
    """Map an index in the joined, stripped note text back to a source position."""
    first = index.position(offset)
    widths = [len(part.strip()) + 1 for part in body]
    indents = [len(part) - len(part.lstrip()) for part in body]

    def locate(i: int) -> Position:
        for row, width in enumerate(widths):
            if i < width or row == len(widths) - 1:
                if row == 0:
                    return Position(first.line, first.column + i)
                return Position(first.line + row, indents[row] + i + 1)
            i -= width
        return first

    return locate


def _read_body(
    body: str, index: LineIndex, known: set[str]
) -> tuple[list[Paragraph], list[Marker]]:
    """Markers in one pass over the body; paragraphs are blocks between blank lines."""
    found = sorted(_markers_in(body, _label_limit(known), known), key=lambda m: m[0])
    offsets = [offset for offset, _ in found]
    markers = [Marker(label, *_line_column(index, offset)) for offset, label in found]
    paragraphs = []
    for block in _BLOCK.finditer(body):
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


def _markers_in(text: str, limit: int, known: set[str]) -> Iterator[tuple[int, str]]:
    masked = _URL.sub(_blank, text)
    if "@" in masked:
        masked = _EMAIL.sub(_blank, masked)
    for match in _GLUED_PUNCT.finditer(masked):
        label = match.group(2)
        if _plausible_glued(masked, match, label, limit, known):
            yield match.start(2), label
    for match in _BRACKETED.finditer(masked):
        for label in _expand(match.group(1)):
            yield match.start(), label
    for match in _CARET.finditer(masked):
        yield match.start(), match.group(1)
    for match in _SUPERSCRIPT_RUN.finditer(masked):
        if not _is_unit(masked, match.start()):
            yield match.start(), match.group().translate(_SUPERSCRIPTS)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _plausible_glued(
    line: str, match: re.Match[str], label: str, limit: int, known: set[str]
) -> bool:
    """Reject years, decimals, times, ranges, ordinals, codes like CO2 and abbreviations."""
    if label.startswith("0") or int(label) > limit:
        return False
    glue = match.group(1)
    word = _word_before(line, match.start())
    if not glue:
        # Glued straight to letters: only to a lower-case word, and only a known label.
        return word.isalpha() and word.islower() and len(word) > 2 and label in known
    if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
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


def _suppressions(lines: list[str]) -> Iterator[Suppression]:
    for number, line in enumerate(lines, start=1):
        match = _SUPPRESS.search(line)
        if match:
            rules = tuple(_RULE_NAME.findall(match.group(1)))
            yield Suppression(number, rules)
