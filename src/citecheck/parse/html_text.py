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


@dataclass(frozen=True, slots=True)
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


def text_of(element: Element) -> str:
    """All the text inside ``element`` (``"".join(element.itertext())``), unread parts too."""
    if len(element) == 0:
        return element.text or ""  # what itertext gives, without making an iterator
    return "".join(element.itertext())


def collapse(piece: str) -> str:
    """Each run of whitespace as one space (what ``re.sub(r"\\s+", " ", piece)`` gives).

    ``str.split`` and the ``\\s`` of a str pattern both use Unicode's whitespace; splitting
    is several times faster than the substitution on the short pieces of an HTML page.
    """
    if _is_collapsed(piece):
        return piece
    words = piece.split()
    if not words:
        return " " if piece else ""
    collapsed = " ".join(words)
    if piece[0].isspace():
        collapsed = " " + collapsed
    if piece[-1].isspace():
        collapsed += " "
    return collapsed


def _is_collapsed(piece: str) -> bool:
    """True when ``piece`` has no whitespace but single spaces (checked in C, no words made).

    Every whitespace character but the space is unprintable (categories Zs, Zl, Zp, Cc).
    """
    return piece.isprintable() and "  " not in piece


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
        value, cuts = self.value_and_cuts()
        return Text(value, tuple(self.starts), tuple(self.owners), cuts)

    def value_and_cuts(self) -> tuple[str, tuple[int, ...]]:
        """The text and its cuts, without where each piece came from."""
        value = "".join(self.parts).rstrip()
        return value, tuple(min(cut, len(value)) for cut in self.cuts) if self.cuts else ()


def read(
    root: Element,
    skip: Callable[[Element], bool] | None = None,
    cut: Collection[Element] = (),
) -> Text:
    """The text of ``root`` without unread elements, ``skip``ped ones and ``cut`` ones."""
    return _walk(root, skip, cut).build()


def _walk(
    root: Element, skip: Callable[[Element], bool] | None, cut: Collection[Element]
) -> _Builder:
    out = _Builder()
    out.add(root.text, root)
    stack = [(root, iter(root))]
    while stack:
        parent, children = stack[-1]
        for child in children:  # up to the first child to go into, then on from there
            tag = child.tag
            is_cut = child in cut
            if is_cut or not isinstance(tag, str) or tag in UNREAD or (skip and skip(child)):
                _leave_out(out, child, parent, is_cut)
                continue
            if tag in BLOCKS:
                out.space()
            out.add(child.text, child)
            stack.append((child, iter(child)))
            break
        else:
            stack.pop()
            if stack:
                _close(out, parent, stack[-1][0])
    return out


def read_value(root: Element, cut: Collection[Element] = ()) -> tuple[str, tuple[int, ...]]:
    """``read(root, cut=cut)``'s value and cuts, read by libxml2 when nothing is left out.

    Without blocks, left-out or unread elements inside, the text is the whitespace-collapsed
    ``itertext()``; the walk of :func:`read` is only needed when one of them is there.
    """
    for element in root.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str) or tag in BLOCKS or tag in UNREAD or element in cut:
            return _walk(root, None, cut).value_and_cuts()
    value = "".join(root.itertext())
    return (value.strip(" ") if _is_collapsed(value) else " ".join(value.split())), ()


def _close(out: _Builder, element: Element, parent: Element) -> None:
    if element.tag in BLOCKS:
        out.space()
    out.add(element.tail, parent)


def _leave_out(out: _Builder, element: Element, parent: Element, is_cut: bool) -> None:
    if is_cut:
        out.cuts.append(out.length)
    out.add(element.tail, parent)
