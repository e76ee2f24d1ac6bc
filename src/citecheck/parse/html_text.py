"""The readable text of an HTML element, with where each piece of it came from."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection
from dataclasses import dataclass

from citecheck.parse.html_source import Element

BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main ol p pre section table td th tr ul".split()
)
UNREAD = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe"})
"""Elements whose content is never text a reader sees."""


@dataclass(frozen=True)
class Text:
    """Whitespace-collapsed text; ``owners[i]`` holds the piece that starts at ``starts[i]``."""

    value: str
    starts: tuple[int, ...]
    owners: tuple[Element, ...]
    cuts: tuple[int, ...]
    """Offsets in ``value`` where a left-out element (a marker) stood."""

    def owner(self, index: int) -> Element | None:
        """The element whose source holds ``value[index]``."""
        at = bisect_right(self.starts, index) - 1
        return self.owners[at] if at >= 0 else None


def collapse(piece: str) -> str:
    """Each run of whitespace as one space (what ``re.sub(r"\\s+", " ", piece)`` gives).

    ``str.split`` and the ``\\s`` of a str pattern both use Unicode's whitespace; splitting
    is several times faster than the substitution on the short pieces of an HTML page.
    """
    words = piece.split()
    if not words:
        return " " if piece else ""
    collapsed = " ".join(words)
    if piece[0].isspace():
        collapsed = " " + collapsed
    if piece[-1].isspace():
        collapsed += " "
    return collapsed


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.owners: list[Element] = []
        self.cuts: list[int] = []
        self.length = 0
        self.spaced = True

    def add(self, piece: str | None, owner: Element) -> None:
        if not piece:
            return
        piece = collapse(piece)
        if self.spaced and piece.startswith(" "):
            piece = piece[1:]
        if not piece:
            return
        self.starts.append(self.length)
        self.owners.append(owner)
        self.parts.append(piece)
        self.length += len(piece)
        self.spaced = piece.endswith(" ")

    def space(self) -> None:
        if not self.spaced:
            self.parts.append(" ")
            self.length += 1
            self.spaced = True

    def build(self) -> Text:
        value = "".join(self.parts).rstrip()
        cuts = tuple(min(cut, len(value)) for cut in self.cuts)
        return Text(value, tuple(self.starts), tuple(self.owners), cuts)


def read(
    root: Element,
    skip: Callable[[Element], bool] | None = None,
    cut: Collection[Element] = (),
) -> Text:
    """The text of ``root`` without unread elements, ``skip``ped ones and ``cut`` ones."""
    out = _Builder()
    out.add(root.text, root)
    stack = [(root, iter(root))]
    while stack:
        parent, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                _close(out, parent, stack[-1][0])
            continue
        tag = child.tag
        is_cut = child in cut
        if is_cut or not isinstance(tag, str) or tag in UNREAD or (skip and skip(child)):
            _leave_out(out, child, parent, is_cut)
            continue
        if tag in BLOCKS:
            out.space()
        out.add(child.text, child)
        stack.append((child, iter(child)))
    return out.build()


def read_value(root: Element, cut: Collection[Element] = ()) -> tuple[str, tuple[int, ...]]:
    """``read(root, cut=cut)``'s value and cuts, read by libxml2 when nothing is left out.

    Without blocks, left-out or unread elements inside, the text is the whitespace-collapsed
    ``itertext()``; the walk of :func:`read` is only needed when one of them is there.
    """
    for element in root.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str) or tag in BLOCKS or tag in UNREAD or element in cut:
            text = read(root, cut=cut)
            return text.value, text.cuts
    return " ".join("".join(root.itertext()).split()), ()


def _close(out: _Builder, element: Element, parent: Element) -> None:
    if element.tag in BLOCKS:
        out.space()
    out.add(element.tail, parent)


def _leave_out(out: _Builder, element: Element, parent: Element, is_cut: bool) -> None:
    if is_cut:
        out.cuts.append(out.length)
    out.add(element.tail, parent)
