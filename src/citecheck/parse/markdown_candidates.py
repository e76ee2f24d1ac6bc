"""Where in a Markdown file inline scanning may find something, found once for the whole file.

Markers ``[^label]`` with a plain label are read straight from it. Everything else
that may begin a note, a citation, a link, a comment, a code span or an escape is a
candidate: a block whose span holds no candidate is read without scanning its inline text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_LABEL = r"[\w.\-]+"
_MARKER = re.compile(rf"\[\^({_LABEL})\](?![\[(:])")
# The candidates, each kind looked for on its own: str.find, or a pattern that opens with one
# literal, skips to it at C speed, where one pattern for all kinds would test every character
# of the file against each first character (several times slower over a large file).
_BRACKET = re.compile(rf"\[(?!\^{_LABEL}\](?![\[(:]))")  # but not a plain marker's
_CARET = re.compile(r"\^(?<!\[\^)")  # but not a marker's
_OTHERS = ("@", "<", "`", "\\", "://", "www.", "WWW.")


class Candidates:
    """Offsets of candidates and of plain markers in one text, in order."""

    __slots__ = ("_labels", "_marker_starts", "_starts")

    def __init__(self, text: str) -> None:
        self._starts = _candidate_starts(text)
        markers = [(match.start(), match.group(1)) for match in _MARKER.finditer(text)]
        self._marker_starts = [start for start, _ in markers]
        self._labels = [label for _, label in markers]

    def quiet(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds nothing to scan for but plain markers."""
        index = bisect_left(self._starts, start)
        return index == len(self._starts) or self._starts[index] >= end

    def markers(self, start: int, end: int) -> list[tuple[int, str]]:
        """Offset and label of each plain marker that begins in ``text[start:end]``."""
        first = bisect_left(self._marker_starts, start)
        last = bisect_left(self._marker_starts, end, first)
        return list(zip(self._marker_starts[first:last], self._labels[first:last], strict=True))


def _candidate_starts(text: str) -> list[int]:
    """Where each candidate in ``text`` begins, in order."""
    starts = [match.start() for match in _BRACKET.finditer(text)]
    starts += [match.start() for match in _CARET.finditer(text)]
    for literal in _OTHERS:
        at = text.find(literal)
        while at != -1:
            starts.append(at)
            at = text.find(literal, at + 1)
    starts.sort()
    return starts
