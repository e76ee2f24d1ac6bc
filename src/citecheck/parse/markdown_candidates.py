"""Where in a Markdown file inline scanning may find something, from one pass over it.

Markers ``[^label]`` with a plain label are read straight from this pass. Everything else
that may begin a note, a citation, a link, a comment, a code span or an escape is a
candidate: a block whose span holds no candidate is read without scanning its inline text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_LABEL = r"[\w.\-]+"
_MARKER = re.compile(rf"\[\^({_LABEL})\](?![\[(:])")
# Every branch opens with a literal, so the regex engine skips between their first characters.
_CANDIDATE = re.compile(rf"\[(?!\^{_LABEL}\](?![\[(:]))|\^(?<!\[\^)|@|<|`|\\|://|www\.|WWW\.")


class Candidates:
    """Offsets of candidates and of plain markers in one text, in order."""

    __slots__ = ("_labels", "_marker_starts", "_starts")

    def __init__(self, text: str) -> None:
        self._starts = [match.start() for match in _CANDIDATE.finditer(text)]
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
