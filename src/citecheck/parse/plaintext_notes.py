"""The notes section of scraped plain text: where it starts and the notes in it.

A notes section is ``[N] text``, ``N. text`` or ``N text`` lines under a Notes-like
heading, a run of ``[N]`` lines at the end of the document, or a run of ``N. text``
lines that ends the document and reads as references (the parser then also wants the
body's markers to use their numbers). A label alone on its line (``[1]``) is a note
whose text was lost, or whose text is on the lines below.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from citecheck.model import Note, Position
from citecheck.parse.identifiers import extract
from citecheck.parse.positions import LineIndex

_HEADING_LINE = re.compile(
    r"\n[ \t]*(?:#+[ \t]*)?(?:notes?|references?|endnotes?|footnotes?|sources?|bibliography|"
    r"works cited|citations|literature|anmerkungen|примечания|литература)[ \t]*:?[ \t]*(?=\n|$)",
    re.IGNORECASE,
)
# A [N] line; group 2 is the first character of its text, None when the label stands alone.
_BRACKET_LINE = re.compile(r"\n[ \t]*\[(\d{1,4})\][ \t]*(?=(\S)|\n|\Z)")
_MAX_NOTE_LINES = 200  # continuation lines of one note; more means body text
_NOTE_BRACKET = re.compile(r"^[ \t]*\[(\d{1,4})\][ \t]*(?=\S|$)")
_NOTE_NUMBERED = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]+(?=\S)")
_NOTE_LOOSE = re.compile(
    r"^[ \t]*(?:\[(\d{1,4})\](?:[ \t]+(?=\S)|[ \t]*$)"
    r"|(?:\^?(\d{1,4})[.)]?|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))[ \t]+(?=\S))"
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# What sets a reference apart from a list item: a link or identifier, a year as citations
# write it, a page, ibid., or an author as "Surname, I.".
_REFERENCE_SIGN = re.compile(
    r"https?://|www\.|\b10\.\d{4,9}/|\b(?:doi|isbn|ibid|op\.\s*cit)\b"
    r"|\((?:1[5-9]|20)\d\d[a-z]?\)|,\s*(?:1[5-9]|20)\d\d\b|\bpp?\.\s*\d"
    r"|(?-i:^[A-ZÀ-ÞА-Я][\w'’-]+,\s+[A-ZÀ-ÞА-Я]\.)",
    re.IGNORECASE | re.MULTILINE,
)


class SectionKind(enum.Enum):
    """How the notes section was recognised."""

    NONE = "none"
    HEADED = "headed"
    BRACKETED = "bracketed"
    NUMBERED = "numbered"


@dataclass(frozen=True)
class NotesSection:
    """The notes at the end of a text and the 0-based line where they begin."""

    first_line: int
    """The line count when there is no notes section."""
    kind: SectionKind
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class _NoteStart:
    line_no: int
    label: str
    text_start: int

    @property
    def number(self) -> int:
        return int(self.label)


@dataclass(frozen=True)
class _BracketLine:
    line_no: int
    number: int
    has_text: bool


def no_section(index: LineIndex) -> NotesSection:
    """The whole text is body."""
    return NotesSection(index.line_count, SectionKind.NONE)


def read_section(text: str, index: LineIndex) -> NotesSection:
    """The notes section of ``text``, with its notes."""
    first_line, kind = _section_start(text, index)
    if kind is SectionKind.NONE:
        return no_section(index)
    lines = _tail_lines(text, index, first_line)
    notes = tuple(_build_notes(lines, _note_starts(lines, first_line, kind), index))
    if kind is SectionKind.NUMBERED and not _read_as_references(notes):
        return no_section(index)  # a numbered list of points or steps
    return NotesSection(first_line, kind, notes)


def _read_as_references(notes: Sequence[Note]) -> bool:
    """True when at least half of the notes carry a sign of a reference."""
    cited = sum(1 for note in notes if _REFERENCE_SIGN.search(note.text))
    return 2 * cited >= len(notes) > 0


def _section_start(text: str, index: LineIndex) -> tuple[int, SectionKind]:
    for number in reversed(_matching_lines(text, index, _HEADING_LINE)):
        if any(_NOTE_LOOSE.match(line) for line in _lines(text, index, number + 1, 6)):
            return number + 1, SectionKind.HEADED
    bracketed = _trailing_bracket_run(text, index)
    if bracketed < index.line_count:
        return bracketed, SectionKind.BRACKETED
    numbered = _trailing_numbered_run(text, index)
    if numbered < index.line_count:
        return numbered, SectionKind.NUMBERED
    return index.line_count, SectionKind.NONE


def _tail_lines(text: str, index: LineIndex, notes_from: int) -> list[str]:
    """The lines of the notes section at their own numbers; body lines are left empty
    (splitting a large body into lines would copy it whole)."""
    return [""] * notes_from + text[index.offset(notes_from + 1) :].split("\n")


def _lines(text: str, index: LineIndex, first: int, count: int) -> list[str]:
    """``count`` lines from 0-based line ``first`` (fewer at the end of the text)."""
    if first >= index.line_count or count <= 0:
        return []
    last = min(first + count, index.line_count)
    end = index.offset(last + 1) - 1 if last < index.line_count else len(text)
    return text[index.offset(first + 1) : end].split("\n")


def _line_matches(
    text: str, index: LineIndex, pattern: re.Pattern[str]
) -> Iterator[tuple[int, re.Match[str]]]:
    """0-based line numbers and matches of ``pattern``; it must start with a newline,
    which lets the regex engine jump between line starts."""
    first = pattern.match("\n" + text[: text.find("\n") + 1 or len(text)])
    if first:
        yield 0, first
    for match in pattern.finditer(text):
        yield index.position(match.start() + 1).line - 1, match


def _matching_lines(text: str, index: LineIndex, pattern: re.Pattern[str]) -> list[int]:
    return [number for number, _ in _line_matches(text, index, pattern)]


def _trailing_bracket_run(text: str, index: LineIndex) -> int:
    """The start of the run of ``[N]`` lines that ends the document, if there is one.

    The run ends at the last ``[N] text`` line; a label alone on its line joins it only
    where it counts up to the note below, so a marker on a line of its own stays body.
    """
    found = [
        _BracketLine(number, int(match.group(1)), match.group(2) is not None)
        for number, match in _line_matches(text, index, _BRACKET_LINE)
    ]
    last = max((i for i, line in enumerate(found) if line.has_text), default=-1)
    if last < 0:
        return index.line_count
    run_start = found[last]
    for previous in reversed(found[:last]):
        gap = run_start.line_no - previous.line_no - 1
        if gap > _MAX_NOTE_LINES or not _attached(_lines(text, index, previous.line_no + 1, gap)):
            break
        if previous.has_text or previous.number == run_start.number - 1:
            run_start = previous
    return run_start.line_no


def _trailing_numbered_run(text: str, index: LineIndex) -> int:
    """The start of the run of ``N. text`` lines, counting up, that ends the document.

    It is read upwards from the last line, so a text that ends in prose costs a line or two.
    """
    run_start, label, below = index.line_count, None, _Gap()
    for number in range(index.line_count - 1, -1, -1):
        line = _line(text, index, number)
        match = _NOTE_NUMBERED.match(line)
        if match is None:
            if not below.add_above(line):
                break
            continue
        if label is not None and int(match.group(1)) > label:
            break
        run_start, label, below = number, int(match.group(1)), _Gap()
    return run_start


class _Gap:
    """Lines read upwards between two notes: continuation lines, then blank lines."""

    __slots__ = ("_lines", "_text_below")

    def __init__(self) -> None:
        self._lines = 0
        self._text_below = False

    def add_above(self, line: str) -> bool:
        """Add the line above; False once the lines can no longer lie between two notes."""
        self._lines += 1
        if line.strip():
            self._text_below = True
            return self._lines <= _MAX_NOTE_LINES
        return not self._text_below


def _line(text: str, index: LineIndex, number: int) -> str:
    start = index.offset(number + 1)
    end = index.offset(number + 2) - 1 if number + 1 < index.line_count else len(text)
    return text[start:end]


def _attached(between: list[str]) -> bool:
    """True when the lines between two notes are continuation lines, then blank lines."""
    seen_blank = False
    for line in between:
        if not line.strip():
            seen_blank = True
        elif seen_blank:
            return False
    return True


_PATTERNS = {
    SectionKind.HEADED: _NOTE_LOOSE,
    SectionKind.BRACKETED: _NOTE_BRACKET,
    SectionKind.NUMBERED: _NOTE_NUMBERED,
}


def _note_starts(lines: list[str], notes_from: int, kind: SectionKind) -> list[_NoteStart]:
    starts = []
    pattern = _PATTERNS[kind]
    for number in range(notes_from, len(lines)):
        match = pattern.match(lines[number])
        if match:
            label = next(g for g in match.groups() if g).translate(_SUPERSCRIPTS)
            starts.append(_NoteStart(number, label, match.end()))
    if kind is SectionKind.BRACKETED:
        return [s for i, s in enumerate(starts) if _counts_on(lines, starts, i)]
    return starts


def _counts_on(lines: list[str], starts: list[_NoteStart], i: int) -> bool:
    """In a run of ``[N]`` lines, a label alone is a note only where it counts on from
    the note above or up to the note below; the run's first line was checked already."""
    start = starts[i]
    if i == 0 or start.text_start < len(lines[start.line_no]):
        return True
    if start.number == starts[i - 1].number + 1:
        return True
    return i + 1 < len(starts) and start.number == starts[i + 1].number - 1


def _build_notes(lines: list[str], starts: list[_NoteStart], index: LineIndex) -> Iterator[Note]:
    for position, start in enumerate(starts):
        end = starts[position + 1].line_no if position + 1 < len(starts) else len(lines)
        first_row, body = _note_rows(lines, start, end)
        text = "\n".join(part.strip() for part in body)
        column = start.text_start if first_row == start.line_no else _indent(body[0])
        offset = index.offset(first_row + 1, column + 1)
        links, identifiers = extract(text, _locator(index, offset, body))
        label_column = _indent(lines[start.line_no]) + 1
        yield Note(start.label, start.line_no + 1, label_column, text, links, identifiers)


def _note_rows(lines: list[str], start: _NoteStart, end: int) -> tuple[int, list[str]]:
    """The 0-based line where the note's text begins, and its lines up to a blank one; a
    label alone on its line takes its text from the lines below."""
    body = [lines[start.line_no][start.text_start :]]
    for number in range(start.line_no + 1, end):
        if not lines[number].strip():
            break
        body.append(lines[number])
    if len(body) > 1 and not body[0].strip():
        return start.line_no + 1, body[1:]
    return start.line_no, body


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _locator(index: LineIndex, offset: int, body: list[str]):  # type: ignore[no-untyped-def]
    """Map an index in the joined, stripped note text back to a source position."""
    first = index.position(offset)
    widths = [len(part.strip()) + 1 for part in body]
    indents = [_indent(part) for part in body]

    def locate(i: int) -> Position:
        for row, width in enumerate(widths):
            if i < width or row == len(widths) - 1:
                if row == 0:
                    return Position(first.line, first.column + i)
                return Position(first.line + row, indents[row] + i + 1)
            i -= width
        return first

    return locate
