"""Inline text gathered from source lines, and masking of what is not prose.

A :class:`Span` is the inline content of one block (a paragraph, a heading, a note's
text) with, for each of its lines, the source offset where that line starts; so any
index into the span maps back to the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_NEWLINE = re.compile(r"\n")


@dataclass(slots=True)
class Span:
    """Inline text and the source offset of each of its lines.

    Not frozen: one is built for every block and note, and a frozen dataclass costs four
    times as much to build. Nothing changes a span once it is built.
    """

    text: str
    text_starts: tuple[int, ...]
    """Index in ``text`` where each line begins (the first is 0)."""
    source_starts: tuple[int, ...]
    """Source offset of each of those line beginnings."""

    def source_offset(self, index: int) -> int:
        line = bisect_right(self.text_starts, index) - 1
        return self.source_starts[line] + index - self.text_starts[line]

    def sub(self, start: int, end: int) -> Span:
        """The part ``text[start:end]``, still mapped to the source."""
        text_starts = [0]
        source_starts = [self.source_offset(start)]
        for at, source in zip(self.text_starts, self.source_starts, strict=True):
            if start < at < end:
                text_starts.append(at - start)
                source_starts.append(source)
        return Span(self.text[start:end], tuple(text_starts), tuple(source_starts))


def verbatim_span(text: str, start: int) -> Span:
    """``text``, which stands at offset ``start`` of the source, line for line."""
    if "\n" not in text:
        return Span(text, (0,), (start,))
    text_starts = (0, *(match.end() for match in _NEWLINE.finditer(text)))
    return Span(text, text_starts, tuple(start + at for at in text_starts))


def span_of_lines(source: str, pieces: list[tuple[int, int]]) -> Span:
    """A span joining ``source[start:end]`` of each piece with newlines."""
    parts = [source[start:end] for start, end in pieces]
    text_starts = []
    at = 0
    for part in parts:
        text_starts.append(at)
        at += len(part) + 1
    return Span("\n".join(parts), tuple(text_starts), tuple(start for start, _ in pieces))


_MASKED = re.compile(
    r"(?P<escape>\\[\[\]@^`<()#\\])"
    r"|(?P<code>(?P<ticks>`+)(?:(?!`)[\s\S]*?(?<!`)(?P=ticks)(?!`))?)"
    r"|(?P<comment><!--[\s\S]*?-->)"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+"
    r"(?:\.[\w\-]+)*)>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z_:][\w.:\-]*"
    r"(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>)"
)
_NOT_NEWLINE = re.compile(r"[^\n]")
_BRACKET = re.compile(r"[\[\]]")


@dataclass(slots=True)
class Masked:
    """A span's text with code, raw HTML and escapes blanked out, and what was blanked
    (not frozen, as :class:`Span` is not)."""

    prose: str
    """Code spans, HTML, autolinks and escapes replaced by spaces."""
    codeless: str
    """Only code spans replaced: where DOIs and URLs are still looked for."""
    comments: tuple[tuple[int, str], ...] = ()
    autolinks: tuple[tuple[int, str], ...] = ()
    """Offset and URL of each ``<scheme:...>`` autolink."""


def blank(text: str) -> str:
    """Spaces in place of every character but line breaks."""
    return _NOT_NEWLINE.sub(" ", text) if "\n" in text else " " * len(text)


def mask(text: str) -> Masked:
    """Blank out code spans, raw HTML, autolinks and backslash escapes."""
    # Substring tests: str.find skips to one character far faster than a pattern of three.
    if "<" not in text and "`" not in text and "\\" not in text:
        return Masked(text, text)
    prose: list[str] = []
    codeless: list[str] = []
    comments: list[tuple[int, str]] = []
    autolinks: list[tuple[int, str]] = []
    last = 0
    for match in _MASKED.finditer(text):
        kind = match.lastgroup if match.lastgroup != "ticks" else "code"
        if kind == "code" and match.group() == match.group("ticks"):
            continue  # a backtick run that no run of the same length closes
        piece = text[last : match.start()]
        prose.append(piece)
        codeless.append(piece)
        prose.append(blank(match.group()))
        codeless.append(blank(match.group()) if kind == "code" else match.group())
        if kind == "comment":
            comments.append((match.start(), match.group()))
        elif kind == "autolink":
            autolinks.append((match.start() + 1, match.group()[1:-1]))
        last = match.end()
    prose.append(text[last:])
    codeless.append(text[last:])
    return Masked("".join(prose), "".join(codeless), tuple(comments), tuple(autolinks))


def blank_range(text: str, start: int, end: int) -> str:
    return text[:start] + blank(text[start:end]) + text[end:]


def closing_bracket(text: str, start: int) -> int:
    """Index of the ``]`` that closes the ``[`` at ``start``, or -1."""
    depth = 0
    for match in _BRACKET.finditer(text, start):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return match.start()
    return -1
