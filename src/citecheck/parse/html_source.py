"""Element -> source position for the HTML parser.

libxml2 reports, for each element, the line on which its start tag ends (``sourceline``),
and that line saturates at 65535. The column is found by locating the start tag itself:
the k-th element of a tag on a line is the k-th ``<tag`` there, leaving out comments and
script or style text. Lines past 65535 are matched by their order among the saturated.

A line is read once for the start tags of every name on it (one regex pass), not once per
tag asked for; lines a start tag runs into, unusual tag names and saturated lines are
searched tag by tag.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any, TypeAlias

from citecheck.model import Position
from citecheck.parse.positions import LineIndex

Element: TypeAlias = Any
"""An lxml element (lxml ships no type information)."""

SATURATED = 65535
"""The largest line number libxml2 stores in an element."""

_MASKED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)
_START_TAG = re.compile(r"<([^\s/><]+)(?=[\s/>])")
"""A start tag's name: for a name of these characters, where ``_tag_pattern(name)`` matches."""
_PLAIN_NAME = re.compile(r"[^\s/><]+")
_SRE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The non-ASCII letters that an ignore-case pattern matches to an ASCII one."""
_TAG_REST = re.compile(r"""(?:[^>"']|"[^"]*"|'[^']*')*>""")
_TAG_WINDOW = 20_000
_LINES_KEPT = 32_768
"""How many scanned lines to keep; lines are asked for roughly in order, so few are revisited."""
_SCANS_KEPT = 8_192
"""How many lines' start tags to keep (each line's are a dict of lists)."""
_RECENT_KEPT = 256
"""How many positions to keep: a note's link is located for its text and for its address."""


@lru_cache(maxsize=64)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    return re.compile("<" + re.escape(tag) + r"(?=[\s/>])", re.IGNORECASE)


class SourceMap:
    """Positions of lxml elements in the text they were parsed from."""

    def __init__(self, text: str, root: Element) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self._line_count = self.lines.line_count
        self._root = root
        self._ranks: dict[str, dict[Element, int]] = {}
        self._plain: dict[str, bool] = {}
        self._tags: dict[int, dict[str, list[int]] | None] = {}
        self._occurrences: dict[tuple[str, int], list[int]] = {}
        self._saturated: dict[tuple[str, int], list[int]] = {}
        self._masked: tuple[list[int], list[int]] | None = None
        self._offsets: dict[Element, int] = {}
        self._recent: dict[Element, Position] = {}

    def position(self, element: Element) -> Position:
        """Line and column of the ``<`` that opens ``element``'s start tag."""
        where = self._recent.get(element)
        if where is None:
            if len(self._recent) >= _RECENT_KEPT:
                self._recent.clear()
            known = self._offsets.get(element)
            offset = self._find_offset(element) if known is None else known
            where = self._recent[element] = self.lines.position(offset)
        return where

    def offset(self, element: Element) -> int:
        """The offset of ``element``'s start tag (its line's start for an implied element).

        Offsets asked for here are kept (they are asked for again by :meth:`position`).
        """
        known = self._offsets.get(element)
        if known is None:
            known = self._offsets[element] = self._find_offset(element)
        return known

    def _find_offset(self, element: Element) -> int:
        tag = element.tag
        line = self.line_of(element)
        table = self._ranks.get(tag)
        if table is None:
            table = self._ranks[tag] = self._number(tag)
        ordinal = table.get(element, 0)
        found = self._on_line(tag, line)
        if ordinal < len(found):
            return found[ordinal]
        return self._line_start(line)

    def line_of(self, element: Element) -> int:
        """The source line libxml2 gives, kept inside the text."""
        line = element.sourceline or 1
        return max(1, min(line, self._line_count))

    def _number(self, tag: str) -> dict[Element, int]:
        """The rank of each ``tag`` element among that tag's elements on its line.

        Only ranks above 0 are kept: most lines hold one element of a tag, and a kept
        element is a kept lxml proxy.
        """
        table: dict[Element, int] = {}
        counts: dict[int, int] = {}
        last = self._line_count
        for element in self._root.iter(tag):
            line = element.sourceline or 1
            line = 1 if line < 1 else last if line > last else line
            rank = counts.get(line, 0)
            counts[line] = rank + 1
            if rank:
                table[element] = rank
        return table

    def _on_line(self, tag: str, line: int) -> list[int]:
        """Offsets of the ``<tag`` start tags that libxml2 places on ``line``."""
        if line < SATURATED and self._is_plain(tag):
            if line in self._tags:
                tags = self._tags[line]
            else:
                if len(self._tags) >= _SCANS_KEPT:
                    self._tags.clear()
                tags = self._tags[line] = self._scan_line(line)
            if tags is not None:
                return tags.get(tag, [])
        return self._line_occurrences(tag, line)

    def _is_plain(self, tag: str) -> bool:
        plain = self._plain.get(tag)
        if plain is None:
            simple = tag.isascii() and tag == tag.lower()
            plain = self._plain[tag] = simple and bool(_PLAIN_NAME.fullmatch(tag))
        return plain

    def _scan_line(self, line: int) -> dict[str, list[int]] | None:
        """Every start tag that ends on ``line``, by lower-cased name.

        None when a start tag from an earlier line may run into this one: such lines are
        searched tag by tag.
        """
        start = self._line_start(line)
        if self._open_before(start):
            return None
        end = self._line_end(line)
        tags: dict[str, list[int]] = {}
        masked = self._masked_in(start, end)
        for match in _START_TAG.finditer(self.text, start, end):
            offset = match.start()
            if masked and self._is_masked(offset):
                continue
            name = match.group(1)
            name = name.lower() if name.isascii() else name.translate(_SRE_FOLDS).lower()
            found = tags.get(name)
            if found is None:
                tags[name] = [offset]
            else:
                found.append(offset)
        for found in tags.values():
            if self._runs_past(found[-1], end):
                found.pop()
        return tags

    def _runs_past(self, offset: int, end: int) -> bool:
        """True when the start tag at ``offset`` ends after ``end`` (see :meth:`_tag_end`)."""
        find = self.text.find
        close = find(">", offset + 1, end)
        if close >= 0 and find('"', offset + 1, close) < 0 and find("'", offset + 1, close) < 0:
            return False  # no quoted value: the first ``>`` closes the tag
        return self._tag_end(offset) > end

    def _open_before(self, line_start: int) -> bool:
        """True when a ``<`` before ``line_start`` is not closed by a ``>`` before it."""
        floor = max(0, line_start - _TAG_WINDOW)
        return self.text.rfind(">", floor, line_start) < self.text.rfind("<", floor, line_start)

    def _masked_in(self, start: int, end: int) -> bool:
        """True when a comment, script or style overlaps ``start`` to ``end``."""
        starts, ends = self._masked_spans()
        index = bisect_left(starts, end) - 1  # spans do not overlap: only the last can reach
        return index >= 0 and ends[index] > start

    def _line_occurrences(self, tag: str, line: int) -> list[int]:
        key = (tag, line)
        # A saturated line runs to the end of the text: scan it only once.
        kept = self._saturated if line >= SATURATED else self._occurrences
        found = kept.get(key)
        if found is None:
            if len(kept) >= _LINES_KEPT and kept is self._occurrences:
                kept.clear()
            found = kept[key] = self._find_occurrences(tag, line)
        return found

    def _find_occurrences(self, tag: str, line: int) -> list[int]:
        """Offsets of ``<tag`` start tags that end on ``line`` (or after line 65535)."""
        start = self._line_start(line)
        end = len(self.text) if line >= SATURATED else self._line_end(line)
        pattern = _tag_pattern(tag)
        found = [m.start() for m in pattern.finditer(self.text, start, end)]
        found = [offset for offset in found if not self._is_masked(offset)]
        if found and self._tag_end(found[-1]) > end:
            found.pop()
        spill = self._spill_in(tag, start)
        return [spill, *found] if spill is not None else found

    def _spill_in(self, tag: str, line_start: int) -> int | None:
        """A start tag that begins on an earlier line and ends on this one."""
        floor = max(0, line_start - _TAG_WINDOW)
        if self.text.rfind(">", floor, line_start) > self.text.rfind("<", floor, line_start):
            return None  # every tag before this line closed before it
        needle = "<" + tag
        before = max(
            self.text.rfind(needle, floor, line_start),
            self.text.rfind(needle.upper(), floor, line_start),
        )
        if before < 0 or self._is_masked(before):
            return None
        if not _tag_pattern(tag).match(self.text, before):
            return None
        return before if self._tag_end(before) >= line_start else None

    def _tag_end(self, offset: int) -> int:
        limit = min(len(self.text), offset + _TAG_WINDOW)
        match = _TAG_REST.match(self.text, offset + 1, limit)
        return match.end() - 1 if match else limit

    def _is_masked(self, offset: int) -> bool:
        starts, ends = self._masked_spans()
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < ends[index]

    def _masked_spans(self) -> tuple[list[int], list[int]]:
        if self._masked is None:
            spans = [(m.start() + 1, m.end()) for m in _MASKED.finditer(self.text)]
            self._masked = ([start for start, _ in spans], [end for _, end in spans])
        return self._masked

    def _line_start(self, line: int) -> int:
        return self.lines.offset(max(1, min(line, self._line_count)))

    def _line_end(self, line: int) -> int:
        if line >= self._line_count:
            return len(self.text)
        return self.lines.offset(line + 1)
