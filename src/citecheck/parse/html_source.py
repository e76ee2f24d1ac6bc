"""Element -> source position for the HTML parser.

libxml2 reports, for each element, the line on which its start tag ends (``sourceline``),
and that line saturates at 65535. The column is found by locating the start tag itself:
the k-th element of a tag on a line is the k-th ``<tag`` there, leaving out comments and
script or style text. Lines past 65535 are matched by their order among the saturated.

The text is searched once for each tag name asked for (one regex pass, which skips the
other tags without making a match for each); a line's start tags of that name are then
a slice of the offsets found.
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
_TAG_REST = re.compile(r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
"""The rest of a start tag, to the first ``>`` outside quoted values."""
_TAG_WINDOW = 20_000
_LINES_KEPT = 4_096
"""How many lines (bounds, and start tags of a name) to keep: lines are asked for in order."""
_RECENT_KEPT = 256
"""How many positions to keep: a note's link is located for its text and for its address."""
_START = re.Match.start
"""A match's offset, as a function that ``map`` calls without a Python loop."""
_RANKED_TOGETHER = ("a", "area", "p", "sup", "li")
"""The tags most often located (links, paragraphs, markers, notes): ranked in one walk."""


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
        self._starts: dict[str, list[int]] = {}
        self._occurrences: dict[tuple[str, int], list[int]] = {}
        self._saturated: dict[tuple[str, int], list[int]] = {}
        self._masked: tuple[list[int], list[int]] | None = None
        self._bounds: dict[int, tuple[int, int, bool]] = {}
        self._offsets: dict[Element, int] = {}
        self._recent: dict[Element, tuple[int, int]] = {}

    def position(self, element: Element) -> Position:
        """Line and column of the ``<`` that opens ``element``'s start tag."""
        return Position(*self.line_column(element))

    def line_column(self, element: Element) -> tuple[int, int]:
        """:meth:`position` as a plain pair, for the records that are built from it."""
        where = self._recent.get(element)
        if where is None:
            if len(self._recent) >= _RECENT_KEPT:
                self._recent.clear()
            line = self.line_of(element)
            offset = self._offsets.get(element)
            if offset is None:
                offset = self._offset_on(element, line)
            where = self._recent[element] = self._line_column(offset, line)
        return where

    def offset(self, element: Element) -> int:
        """The offset of ``element``'s start tag (its line's start for an implied element).

        Offsets asked for here are kept (they are asked for again by :meth:`position`).
        """
        known = self._offsets.get(element)
        if known is None:
            known = self._offsets[element] = self._offset_on(element, self.line_of(element))
        return known

    def _offset_on(self, element: Element, line: int) -> int:
        """The offset of ``element``'s start tag, which libxml2 places on ``line``."""
        tag = element.tag
        found = self._line_occurrences(tag, line)
        ranks = self._ranks.get(tag)
        if ranks is None:
            self._ranks.update(
                self._number(_RANKED_TOGETHER if tag in _RANKED_TOGETHER else (tag,))
            )
            ranks = self._ranks[tag]
        ordinal = ranks.get(element, 0)
        return found[ordinal] if ordinal < len(found) else self._line(line)[0]

    def _line_column(self, offset: int, line: int) -> tuple[int, int]:
        """Line and column of ``offset``, which is most often on ``line`` (no search then)."""
        start, end, _ = self._line(line)
        if start <= offset < end or offset == end == len(self.text):
            return line, offset - start + 1
        return self.lines.line_column(offset)

    def _line(self, line: int) -> tuple[int, int, bool]:
        """Where ``line`` starts and ends, and whether a start tag is open where it starts."""
        bounds = self._bounds.get(line)
        if bounds is None:
            if len(self._bounds) >= _LINES_KEPT:
                self._bounds.clear()
            start = self.lines.offset(line)
            end = len(self.text) if line >= self._line_count else self.lines.offset(line + 1)
            bounds = self._bounds[line] = (start, end, self._open_before(start))
        return bounds

    def line_of(self, element: Element) -> int:
        """The source line libxml2 gives, kept inside the text."""
        line = element.sourceline or 1
        return max(1, min(line, self._line_count))

    def _number(self, tags: tuple[str, ...]) -> dict[str, dict[Element, int]]:
        """For each tag, the rank of each of its elements among its elements on their line.

        Only ranks above 0 are kept: most lines hold one element of a tag, and a kept
        element is a kept lxml proxy. One walk of the tree serves all ``tags``.
        """
        tables: dict[str, dict[Element, int]] = {tag: {} for tag in tags}
        counts: dict[tuple[str, int], int] = {}
        last = self._line_count
        for element in self._root.iter(*tags):
            line = element.sourceline or 1
            key = (element.tag, 1 if line < 1 else last if line > last else line)
            rank = counts.get(key, 0)
            counts[key] = rank + 1
            if rank:
                tables[key[0]][element] = rank
        return tables

    def _line_occurrences(self, tag: str, line: int) -> list[int]:
        """Offsets of the ``<tag`` start tags that libxml2 places on ``line``."""
        key = (tag, line)
        # A saturated line runs to the end of the text: search it only once.
        kept = self._saturated if line >= SATURATED else self._occurrences
        found = kept.get(key)
        if found is None:
            if len(kept) >= _LINES_KEPT and kept is self._occurrences:
                kept.clear()
            found = kept[key] = self._find_occurrences(tag, line)
        return found

    def _find_occurrences(self, tag: str, line: int) -> list[int]:
        """Offsets of ``<tag`` start tags that end on ``line`` (or after line 65535)."""
        start, end, open_before = self._line(line)
        if line >= SATURATED:
            end = len(self.text)
        every = self._starts.get(tag)
        if every is None:
            every = self._starts[tag] = self._find_starts(tag)
        found = every[bisect_left(every, start) : bisect_left(every, end)]
        if found and self._runs_past(found[-1], end):
            found.pop()
        if open_before:
            spill = self._spill_in(tag, start)
            if spill is not None:
                found.insert(0, spill)
        return found

    def _find_starts(self, tag: str) -> list[int]:
        """The offset of every ``<tag`` in the text outside comments, scripts and styles."""
        found = list(map(_START, _tag_pattern(tag).finditer(self.text)))
        starts, ends = self._masked_spans()
        if not starts:
            return found
        kept: list[int] = []
        span, count = 0, len(starts)
        for offset in found:
            while span < count and ends[span] <= offset:
                span += 1  # spans are in order and do not overlap
            if span == count or offset < starts[span]:
                kept.append(offset)
        return kept

    def _runs_past(self, offset: int, end: int) -> bool:
        """True when the start tag at ``offset`` ends after ``end`` (see :meth:`_tag_end`)."""
        if _TAG_REST.match(self.text, offset + 1, end):
            return False  # it closes before ``end``: the search need not go further
        return self._tag_end(offset) > end

    def _open_before(self, line_start: int) -> bool:
        """True when a ``<`` before ``line_start`` is not closed by a ``>`` before it."""
        floor = max(0, line_start - _TAG_WINDOW)
        return self.text.rfind(">", floor, line_start) < self.text.rfind("<", floor, line_start)

    def _spill_in(self, tag: str, line_start: int) -> int | None:
        """A start tag that begins on an earlier line and ends on this one.

        Asked only for a line that starts inside a tag (:meth:`_open_before`).
        """
        floor = max(0, line_start - _TAG_WINDOW)
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
