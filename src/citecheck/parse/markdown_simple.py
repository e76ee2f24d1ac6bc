"""Chunks simple enough to read without markdown-it: lists and quotes of one-paragraph
items, runs of one-paragraph note definitions, notes whose later paragraphs are indented,
setext headings and HTML blocks.

Each reader returns False, having recorded nothing, when the chunk holds anything that
markdown-it might read differently; the caller then hands the chunk to markdown-it. The
spans built here are the ones markdown-it's tokens would give: the first line of a
paragraph from its first character, each later line whole unless it carries a ``>``.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from citecheck.parse.markdown_inline import Collector, NoteDraft, scan
from citecheck.parse.markdown_span import span_of_lines, verbatim_span

# A list item line with text: indentation, bullet or number, spaces or tabs, then text.
_ITEM = re.compile(
    r"(?P<indent>[ \t]*)(?P<marker>(?P<bullet>[*+\-])|(?P<number>\d{1,9})(?P<delimiter>[.)]))"
    r"(?P<space>[ \t]+)(?=\S)"
)
_ONE = (None, "1", "01", "001", "0001", "00001", "000001", "0000001", "00000001", "000000001")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")
_QUOTE = re.compile(r"> ?(?=[^\s>])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
# A line after the first that opens with [^ (searched for from its line break: a pattern that
# opens with ^ would be tried at every position).
_LATER_DEFINITION_LINE = re.compile(r"\n\[\^")
_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:[ \t]{0,3}(?=\S)")
_DEDENT = re.compile(r"^(?: {1,4}|\t)", re.MULTILINE)
# The start of a line that may open a block of its own (kept in step with markdown_blocks).
BLOCKY = re.compile(
    r"[ \t]*(?:[>#<=|]|`{3}|~{3}|[*+\-](?:[ \t]|$)|-+[ \t]*$|(?:[*_\-][ \t]*){3,}$"
    r"|\d{1,9}[.)](?:[ \t]|$))"
)


def read_list(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """A tight list, perhaps nested, whose items are one paragraph each."""
    if not _open_lines(chunk):
        return False
    lines = chunk.split("\n")
    levels: list[_Level] = []
    items: list[list[int]] = []
    for line in lines:
        item = _ITEM.match(line)
        if item is not None:
            if not _enter_item(levels, item) or BLOCKY.match(line, item.end()) is not None:
                return False
            items.append([item.end()])
        elif BLOCKY.match(line) is not None or not items:
            return False
        else:
            items[-1].append(0)
    _scan_paragraphs(text, start, lines, items, sink)
    return True


class _Level:
    """One open list: where its markers stand, its kind, and its last item's text column."""

    __slots__ = ("content", "indent", "kind")

    def __init__(self, indent: int, kind: str, content: int) -> None:
        self.indent = indent
        self.kind = kind
        self.content = content


def _enter_item(levels: list[_Level], item: re.Match[str]) -> bool:
    """Open or continue the list ``item`` belongs to; False where markdown-it may differ."""
    indent = _width(item.group("indent"), 0)
    marker = indent + len(item.group("marker"))
    content = _width(item.group("space"), marker)
    kind = item.group("bullet") or item.group("delimiter")
    if content - marker > 4:
        return False  # the item's text would be indented code
    if not levels or indent >= levels[-1].content:
        # A nested list may interrupt the paragraph above only from its first number, 1.
        nested = not levels or (indent < levels[-1].content + 4 and item.group("number") in _ONE)
        if not nested or (not levels and indent):
            return False
        levels.append(_Level(indent, kind, content))
        return True
    while levels and levels[-1].indent > indent:
        levels.pop()
    if not levels or levels[-1].indent != indent or levels[-1].kind != kind:
        return False
    levels[-1].content = content
    return True


def _width(whitespace: str, column: int) -> int:
    """The column after ``whitespace`` starting at ``column``, tabs stopping every 4."""
    for character in whitespace:
        column = column + 4 - column % 4 if character == "\t" else column + 1
    return column


def read_quote(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """A block quote of one paragraph, its later lines with or without ``>``."""
    if not _open_lines(chunk):
        return False
    lines = chunk.split("\n")
    if _QUOTE.match(lines[0]) is None:
        return False
    pieces: list[int] = []
    for line in lines:
        quoted = _QUOTE.match(line)
        if quoted is not None:
            if BLOCKY.match(line, quoted.end()) is not None:
                return False
            pieces.append(quoted.end())
        elif BLOCKY.match(line) is not None:
            return False
        else:
            pieces.append(0)
    _scan_paragraphs(text, start, lines, [pieces], sink)
    return True


def read_setext_heading(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """A heading of plain lines underlined with ``===`` or ``---``."""
    if not _open_lines(chunk) or chunk[0].isspace():
        return False
    *lines, underline = chunk.split("\n")
    if not lines or _UNDERLINE.fullmatch(underline) is None:
        return False
    if any(BLOCKY.match(line) is not None for line in lines):
        return False
    pieces = []
    line_start = start
    for index, line in enumerate(lines):
        pieces.append(_piece(text, line_start, line, 0, index > 0))
        line_start += len(line) + 1
    scan(span_of_lines(text, pieces), sink, None, paragraph=False)
    return True


def read_html(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """Raw HTML opened by a block tag such as ``<div>``, which only a blank line ends."""
    if _html_block().match(chunk) is None or _blank_line(chunk):
        return False
    end = text.find("\n", start + len(chunk))
    sink.add_suppressions(text[start : len(text) if end == -1 else end], start)
    return True


@cache
def _html_block() -> re.Pattern[str]:
    """CommonMark's sixth kind of HTML block, as markdown-it recognises it."""
    from markdown_it.common.html_blocks import block_names

    return re.compile(rf"</?(?a:({'|'.join(block_names)}))(?=(\s|/?>|$))", re.IGNORECASE)


def _open_lines(chunk: str) -> bool:
    """No blank line, table, reference definition or NUL that markdown-it would rewrite."""
    return "|" not in chunk and "]:" not in chunk and "\0" not in chunk and not _blank_line(chunk)


def _blank_line(chunk: str) -> bool:
    return _BLANK_LINE.search(chunk) is not None


def _scan_paragraphs(
    text: str,
    start: int,
    lines: list[str],
    items: list[list[int]],
    sink: Collector,
    owner: NoteDraft | None = None,
) -> None:
    """Scan each item's lines as one paragraph (of note ``owner`` if given); ``items``
    holds where each line's text starts."""
    line_starts = [start]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    number = 0
    for item in items:
        pieces = []
        for index, skip in enumerate(item):
            pieces.append(_piece(text, line_starts[number], lines[number], skip, index > 0))
            number += 1
        scan(span_of_lines(text, pieces), sink, owner, paragraph=owner is None)


def _piece(text: str, line_start: int, line: str, skip: int, continuation: bool) -> tuple[int, int]:
    """Where a paragraph line's text stands in the source, as markdown-it's tokens place it."""
    end = text.find("\n", line_start)
    end = len(text) if end == -1 else end
    source_line = text[line_start:end]
    content = source_line[skip:].strip()
    column = len(source_line.rstrip()) - len(content)
    if continuation and not source_line[:column].strip():
        return line_start, end
    return line_start + column, end


def read_definitions(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """Note definitions ``[^label]: text`` one after another, each a single paragraph."""
    if not chunk.startswith("[^") or "|" in chunk or "\0" in chunk or _blank_line(chunk):
        return False
    later = [match.start() + 1 for match in _LATER_DEFINITION_LINE.finditer(chunk)]
    cuts = [0, *later, len(chunk)]
    found: list[tuple[int, str, re.Match[str]]] = []
    for begin, end in pairwise(cuts):
        piece = chunk[begin:end].rstrip()
        definition = _DEFINITION.match(piece)
        if definition is None or not _plain_body(piece, definition.end()):
            return False
        found.append((begin, piece, definition))
    for begin, piece, definition in found:
        _read_definition(text, start + begin, piece, definition, sink)
    return True


def _plain_body(piece: str, body_start: int) -> bool:
    if piece.find("]:", body_start) != -1 or BLOCKY.match(piece, body_start) is not None:
        return False
    if "\n" not in piece:
        return True
    return all(BLOCKY.match(line) is None for line in piece[body_start:].split("\n")[1:])


def read_long_note(text: str, start: int, chunk: str, sink: Collector) -> bool:
    """One note definition whose later paragraphs are indented by four spaces."""
    definition = _DEFINITION.match(chunk)
    cuts = [(match.start(), match.end()) for match in _PARAGRAPH_BREAK.finditer(chunk)]
    if definition is None or not cuts or "|" in chunk or "\0" in chunk:
        return False
    first = chunk[: cuts[0][0]]
    later = [chunk[begin:end] for (_, begin), (end, _) in pairwise([*cuts, (len(chunk), 0)])]
    if "]:" in chunk[definition.end() :] or not _plain_body(first, definition.end()):
        return False
    if not all(_indented_paragraph(paragraph) for paragraph in later):
        return False
    note = _read_definition(text, start, first, definition, sink, chunk)
    for (_, begin), paragraph in zip(cuts, later, strict=True):
        lines = paragraph.split("\n")
        _scan_paragraphs(text, start + begin, lines, [[0] * len(lines)], sink, note)
    return True


def _indented_paragraph(paragraph: str) -> bool:
    """A paragraph that markdown-it reads as a note's own: four spaces, then plain lines."""
    if not paragraph.startswith("    ") or paragraph[4:5].isspace():
        return False
    return all(BLOCKY.match(line) is None for line in paragraph.split("\n"))


def _read_definition(
    text: str,
    start: int,
    piece: str,
    definition: re.Match[str],
    sink: Collector,
    whole: str | None = None,
) -> NoteDraft:
    """Record the note ``piece`` opens and scan its first paragraph, ``piece`` itself;
    the note's text runs to the end of ``whole`` when the note has more paragraphs."""
    first, _, rest = piece[definition.end() :].partition("\n")
    body_rest = rest if whole is None else whole[definition.end() :].partition("\n")[2]
    body = first.strip() + ("\n" + _DEDENT.sub("", body_rest) if body_rest else "")
    note = NoteDraft(definition.group(1), start, body.rstrip())
    sink.notes.append(note)
    # markdown-it's paragraph: from the text's first character (where the pattern ends)
    # to the end of the piece's last source line, its later lines whole.
    body_start = start + definition.end()
    body_end = text.find("\n", start + len(piece))
    source = text[body_start:] if body_end == -1 else text[body_start:body_end]
    scan(verbatim_span(source, body_start), sink, note, paragraph=False)
    return note
