"""Plain text as scraped from web pages, where superscripts came out flattened.

Markers are digits glued to a word, punctuation or a closing quote (``anyway”.1``,
``philosophy),5``), Unicode superscripts, ``[1]`` and ``^1``. Notes are ``[N] text``,
``N. text`` or ``N text`` lines under a Notes-like heading, or a run of ``[N]`` lines
at the end of the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from citecheck.model import Document, Marker, Note, Paragraph, Position, Suppression
from citecheck.parse.identifiers import extract, find_links, url_matches
from citecheck.parse.positions import LineIndex

_HEADING_LINE = re.compile(
    r"\n[ \t]*(?:#+[ \t]*)?(?:notes?|references?|endnotes?|footnotes?|sources?|bibliography|"
    r"works cited|citations|literature|anmerkungen|примечания|литература)[ \t]*:?[ \t]*(?=\n|$)",
    re.IGNORECASE,
)
_NOTE_LINE = re.compile(r"\n[ \t]*\[\d{1,4}\][ \t]*(?=\S)")
_MAX_NOTE_LINES = 200  # continuation lines of one note; more means body text
_NOTE_BRACKET = re.compile(r"^[ \t]*\[(\d{1,4})\][ \t]*(?=\S)")
_NOTE_LOOSE = re.compile(r"^[ \t]*(?:\[(\d{1,4})\]|\^?(\d{1,4})[.)]?|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))[ \t]+(?=\S)")
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
class _NoteStart:
    line_no: int
    label: str
    text_start: int


def parse(text: str, path: str) -> Document:
    """Parse scraped plain text into markers, notes and body paragraphs."""
    index = LineIndex(text)
    notes_from, heading = _notes_region(text, index)
    lines = _tail_lines(text, index, notes_from)
    notes = tuple(_build_notes(lines, _note_starts(lines, notes_from, heading), index))
    body_end = index.offset(notes_from + 1) if notes_from < index.line_count else len(text)
    known = {note.label for note in notes}
    urls = list(url_matches(text, body_end))
    paragraphs, markers = _read_body(text, body_end, _mask(text, urls), index, known)
    return Document(
        path=path,
        format="text",
        text=text,
        markers=tuple(markers),
        notes=notes,
        body_links=tuple(find_links(text, index.position, in_note=False, matches=urls)),
        paragraphs=tuple(paragraphs),
        suppressions=tuple(_suppressions(text, index)),
    )


def _tail_lines(text: str, index: LineIndex, notes_from: int) -> list[str]:
    """The lines of the notes section at their own numbers; body lines are left empty
    (splitting a large body into lines would copy it whole)."""
    if notes_from >= index.line_count:
        return [""] * index.line_count
    return [""] * notes_from + text[index.offset(notes_from + 1) :].split("\n")


def _lines(text: str, index: LineIndex, first: int, count: int) -> list[str]:
    """``count`` lines from 0-based line ``first`` (fewer at the end of the text)."""
    if first >= index.line_count or count <= 0:
        return []
    last = min(first + count, index.line_count)
    end = index.offset(last + 1) - 1 if last < index.line_count else len(text)
    return text[index.offset(first + 1) : end].split("\n")


def _matching_lines(text: str, index: LineIndex, pattern: re.Pattern[str]) -> list[int]:
    """0-based numbers of the lines ``pattern`` matches; it must start with a newline,
    which lets the regex engine jump between line starts."""
    found = [0] if pattern.match("\n" + text[: text.find("\n") + 1 or len(text)]) else []
    found += [index.position(match.start() + 1).line - 1 for match in pattern.finditer(text)]
    return found


def _notes_region(text: str, index: LineIndex) -> tuple[int, bool]:
    """First line of the notes section (the line count when none), and whether a heading
    opened it."""
    for number in reversed(_matching_lines(text, index, _HEADING_LINE)):
        if any(_NOTE_LOOSE.match(line) for line in _lines(text, index, number + 1, 6)):
            return number + 1, True
    return _trailing_bracket_run(text, index), False


def _trailing_bracket_run(text: str, index: LineIndex) -> int:
    """The start of the run of ``[N]`` lines that ends the document, if there is one."""
    starts = _matching_lines(text, index, _NOTE_LINE)
    if not starts:
        return index.line_count
    run_start = starts[-1]
    for previous in reversed(starts[:-1]):
        gap = run_start - previous - 1
        if gap > _MAX_NOTE_LINES or not _attached(_lines(text, index, previous + 1, gap)):
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
