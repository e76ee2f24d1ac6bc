"""Block structure of Markdown: which text is prose, which is a note, which is code.

markdown-it-py (CommonMark, tables, the footnote plugin) decides the structure, but it
reads about 2 MB/s. So the text is first cut, with regular expressions, into chunks at
blank lines followed by an unindented line outside fenced code and multi-line HTML:
no block construct continues across such a cut. A chunk that is one plain paragraph, one
single-paragraph note definition or one ATX heading is read directly, and so are the
simple lists, quotes, note runs, setext headings and HTML blocks of
:mod:`citecheck.parse.markdown_simple`; every other chunk goes through markdown-it-py on
its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from citecheck.model import Paragraph
from citecheck.parse.markdown_inline import Collector, NoteDraft, scan
from citecheck.parse.markdown_simple import (
    read_definitions,
    read_html,
    read_list,
    read_long_note,
    read_quote,
    read_setext_heading,
)
from citecheck.parse.markdown_span import Span, span_of_lines, verbatim_span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_BOUNDARY = re.compile(r"\n[ \t]*\n(?=\S)")
# A line that opens fenced code or multi-line HTML: matched where a line starts, and searched
# for from the line break before it (the regex engine skips to a literal first character at
# C speed, but tries a pattern that opens with ^ at every position).
_OPENS_REGION = (
    r"(?P<line> {0,3}(?:(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)"
    r"|(?P<comment><!--)|<(?P<tag>script|pre|style|textarea)(?=[\s>]|$)))"
)
_OPENER = re.compile(_OPENS_REGION, re.MULTILINE | re.IGNORECASE)
_OPENER_AFTER_BREAK = re.compile(rf"\n{_OPENS_REGION}", re.MULTILINE | re.IGNORECASE)
# A line that may start something other than paragraph text (list, quote, heading ...).
_OPENS_BLOCK = (
    r"[ \t]*(?:[>#<=]|`{3}|~{3}|[*+\-](?:[ \t]|$)|-+[ \t]*$|(?:[*_\-][ \t]*){3,}$"
    r"|\d{1,9}[.)](?:[ \t]|$))"
)
_BLOCKY = re.compile(_OPENS_BLOCK, re.MULTILINE)
# The line break before such a line: found in one pass over the file, from break to break.
_BEFORE_BLOCKY = re.compile(rf"\n(?={_OPENS_BLOCK})", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]+|$)")
_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:[ \t]{0,3}(?=\S)")
_DEDENT = re.compile(r"^(?: {1,4}|\t)", re.MULTILINE)
_REFERENCE = re.compile(r"\[((?:[^\]\\]|\\.)+)\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)")


@cache
def _markdown_it() -> MarkdownIt:
    """markdown-it-py, imported on first use: most files never need it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable("table")
    md.use(footnote_plugin, inline=False, move_to_end=False)
    # Inline content is read by citecheck.parse.markdown_inline, with source positions.
    md.core.ruler.disable(["inline", "text_join"])
    return md


def read_blocks(text: str, start: int, sink: Collector) -> None:
    """Read ``text[start:]`` chunk by chunk into ``sink``."""
    blocky = _Blocky(text, start)
    for chunk_start, chunk_end in pairwise([start, *boundaries(text, start), len(text)]):
        _read_chunk(text, chunk_start, chunk_end, sink, blocky)


def boundaries(text: str, start: int) -> Iterator[int]:
    """Line starts after a blank line where every block has ended."""
    regions = iter(_protected(text, start))
    region = next(regions, None)
    for match in _BOUNDARY.finditer(text, start):
        cut = match.end()
        while region is not None and region[1] < cut:
            region = next(regions, None)
        if region is None or cut <= region[0]:
            yield cut


def _protected(text: str, start: int) -> list[tuple[int, int]]:
    """Fenced code and multi-line HTML, where a blank line does not end the block."""
    regions: list[tuple[int, int]] = []
    position = start
    while (match := _next_opener(text, position)) is not None:
        end = _region_end(text, match)
        if end is not None:
            regions.append((match.start("line"), end))
            position = end
        else:
            position = match.end()
    return regions


def _next_opener(text: str, position: int) -> re.Match[str] | None:
    """The first line from ``position`` on that opens fenced code or multi-line HTML."""
    if position == 0 or text[position - 1] == "\n":
        match = _OPENER.match(text, position)
        if match is not None:
            return match
    return _OPENER_AFTER_BREAK.search(text, position)


def _region_end(text: str, opener: re.Match[str]) -> int | None:
    line_end = _line_end(text, opener.end())
    fence = opener.group("fence")
    if fence is not None:
        if fence[0] == "`" and "`" in opener.group("info"):
            return None
        closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        found = closer.search(text, min(line_end + 1, len(text)))
        return _line_end(text, found.end()) if found else len(text)
    if opener.group("comment") is not None:
        close = text.find("-->", opener.end())
    else:
        tag = re.compile(f"</{opener.group('tag')}>", re.IGNORECASE).search(text, opener.end())
        close = tag.start() if tag else -1
    return len(text) if close == -1 else _line_end(text, close)


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


class _Blocky:
    """Where the lines of a text that may open a block begin."""

    __slots__ = ("_breaks",)

    def __init__(self, text: str, start: int) -> None:
        self._breaks = [match.start() for match in _BEFORE_BLOCKY.finditer(text, start)]

    def plain(self, chunk: str, start: int, skip: int = 0) -> bool:
        """Whether neither ``chunk[skip:]``, standing at ``start``, nor any later line of it
        opens a block."""
        if _BLOCKY.match(chunk, skip) is not None:
            return False
        index = bisect_left(self._breaks, start + skip)
        return index == len(self._breaks) or self._breaks[index] >= start + len(chunk)


def _read_chunk(text: str, start: int, end: int, sink: Collector, blocky: _Blocky) -> None:
    chunk = text[start:end].rstrip()
    if not chunk:
        return
    if chunk[0] not in " \t\n" and _is_plain(chunk, start, blocky):
        if _HEADING.match(chunk) is None:
            _read_paragraph(chunk, start, sink)
            return
        if "\n" not in chunk:
            _read_heading(chunk, start, sink)
            return
    if _is_one_comment(chunk):
        sink.add_suppressions(chunk, start)
        return
    definition = _DEFINITION.match(chunk)
    if definition is not None and _is_plain(chunk, start, blocky, definition.end()):
        _read_definition(chunk, start, definition, sink)
        return
    if not _read_simple(text, start, chunk, sink):
        _read_with_markdown_it(text, start, end, sink)


def _read_simple(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """Read a one-paragraph-per-item list, quote, run of notes, setext heading or HTML
    block; False if the chunk is none of these."""
    head = chunk[0]
    if head == "[" and (
        read_definitions(text, start, chunk, sink) or read_long_note(text, start, chunk, sink)
    ):
        return True
    if head == ">":
        return read_quote(text, start, chunk, sink)
    if head == "<":
        return read_html(text, start, chunk, sink)
    if head in "*+-0123456789":
        return read_list(text, start, chunk, sink)
    return read_setext_heading(text, start, chunk, sink)


def _is_one_comment(chunk: str) -> bool:
    """An HTML comment block that ends on the chunk's last line (or never ends)."""
    if not chunk.startswith("<!--"):
        return False
    close = chunk.find("-->")
    return close == -1 or "\n" not in chunk[close:]


def _is_plain(chunk: str, start: int, blocky: _Blocky, skip: int = 0) -> bool:
    """One paragraph with no line that could open another block, from ``chunk[skip:]``
    on (the first line is not checked in a heading)."""
    body = chunk[skip:] if skip else chunk
    if "|" in body or "]:" in body or _BLANK_LINE.search(body) is not None:
        return False
    if not skip and chunk[0] == "#":
        return blocky.plain(chunk, start, _line_end(chunk, 0))
    return blocky.plain(chunk, start, skip)


def _read_paragraph(chunk: str, start: int, sink: Collector) -> None:
    end = start + len(chunk)
    if not sink.candidates.quiet(start, end):
        scan(verbatim_span(chunk, start), sink, None, paragraph=True)
        return
    markers = sink.candidates.markers(start, end)
    for offset, label in markers:
        sink.add_marker(label, offset)
    offsets = tuple(offset - start for offset, _ in markers)
    line, column = sink.line_column(start)
    sink.paragraphs.append(Paragraph(chunk, line, column, offsets))


def _read_heading(chunk: str, start: int, sink: Collector) -> None:
    heading = _HEADING.match(chunk)
    content = heading.end() if heading else 0
    scan(verbatim_span(chunk[content:], start + content), sink, None, paragraph=False)


def _read_definition(chunk: str, start: int, definition: re.Match[str], sink: Collector) -> None:
    body = chunk[definition.end() :]
    note = NoteDraft(definition.group(1), start, _DEDENT.sub("", body))
    sink.notes.append(note)
    scan(verbatim_span(body, start + definition.end()), sink, note, paragraph=False)


def _read_with_markdown_it(text: str, start: int, end: int, sink: Collector) -> None:
    env: dict[str, Any] = {}
    tokens = _markdown_it().parse(text[start:end], env)
    first_line = sink.position(start).line - 1
    walker = _Walker(text, sink, first_line)
    for index, token in enumerate(tokens):
        walker.visit(token, tokens[index - 1] if index else None)
    for reference in env.get("references", {}).values():
        _add_reference(text, sink, first_line, reference)


def _add_reference(text: str, sink: Collector, first_line: int, reference: Any) -> None:
    lines = reference.get("map")
    if not lines:
        return
    last = min(first_line + lines[1], sink.index.line_count)
    start = sink.index.offset(first_line + lines[0] + 1)
    found = _REFERENCE.search(text, start, _line_end(text, sink.index.offset(last)))
    if found is not None:
        key = " ".join(found.group(1).split()).casefold()
        sink.references.setdefault(key, found.group(2).strip("<>"))


class _Walker:
    """Turns markdown-it block tokens of one chunk into notes, spans and suppressions."""

    def __init__(self, text: str, sink: Collector, first_line: int) -> None:
        self.text = text
        self.sink = sink
        self.first_line = first_line
        self.notes: list[NoteDraft] = []
        self.cursor: dict[int, int] = {}

    def visit(self, token: Token, previous: Token | None) -> None:
        owner = self.notes[-1] if self.notes else None
        if token.type == "footnote_reference_open" and token.map:
            self.notes.append(self._definition(token))
        elif token.type == "footnote_reference_close" and self.notes:
            self.notes.pop()
        elif token.type == "inline" and token.map:
            paragraph = owner is None and previous is not None and previous.type == "paragraph_open"
            scan(self._span(token), self.sink, owner, paragraph)
        elif token.type == "html_block" and token.map:
            start, end = self._lines(token.map)
            self.sink.add_suppressions(self.text[start:end], start)

    def _lines(self, lines: list[int]) -> tuple[int, int]:
        start = self._line_start(self.first_line + lines[0])
        end = self._line_start(self.first_line + lines[1]) - 1
        return start, max(start, end)

    def _line_start(self, number: int) -> int:
        """Offset of 0-based line ``number``; one past the end for a line after the last."""
        if number >= self.sink.index.line_count:
            return len(self.text) + 1
        return self.sink.index.offset(number + 1)

    def _line(self, number: int) -> tuple[int, int]:
        start = self._line_start(number)
        return start, _line_end(self.text, start)

    def _definition(self, token: Token) -> NoteDraft:
        label = str(token.meta["label"])
        start, end = self._lines(token.map or [0, 1])
        opening = self.text.find(f"[^{label}]:", start, end)
        opening = start if opening == -1 else opening
        body_start = opening + len(label) + 4
        first, _, rest = self.text[body_start:end].partition("\n")
        body = first.strip() + ("\n" + _DEDENT.sub("", rest) if rest else "")
        note = NoteDraft(label, opening, body.rstrip())
        self.sink.notes.append(note)
        return note

    def _span(self, token: Token) -> Span:
        pieces: list[tuple[int, int]] = []
        top = (token.map or [0, 1])[0] + self.first_line
        for number, content in enumerate(token.content.split("\n"), start=top):
            if number >= self.sink.index.line_count:
                break
            pieces.append(self._piece(number, content.strip(), bool(pieces)))
        return span_of_lines(self.text, pieces)

    def _piece(self, number: int, content: str, continuation: bool) -> tuple[int, int]:
        """Where ``content`` stands in source line ``number``: a suffix, or a table cell."""
        start, end = self._line(number)
        line = self.text[start:end]
        stripped = len(line.rstrip())
        column = stripped - len(content)
        if column >= 0 and line[column:stripped] == content:
            if continuation and not line[:column].strip():
                return start, end
            return start + column, end
        column = line.find(content, self.cursor.get(number, 0)) if content else -1
        if column == -1:
            return start + len(line) - len(line.lstrip()), end
        self.cursor[number] = column + len(content)
        return start + column, start + column + len(content)
