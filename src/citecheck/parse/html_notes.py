"""Which elements of an HTML page are note markers and which are notes.

Conventions recognised: pandoc (``a.footnote-ref`` -> ``section.footnotes``), GFM
(``a[data-footnote-ref]`` -> ``section[data-footnotes]``), MediaWiki (``sup.reference`` ->
``ol.references > li[id^=cite_note-]``), WordPress footnote plugins (``#footnote_0_110``),
Word and LibreOffice exports (``#_ftn1``, ``#sdfootnote1sym``), generic ``#fnN`` -> ``id=fnN``,
Distill ``<d-footnote>`` and, failing all of these, plain ``<sup>N</sup>`` with numbered
notes at the end (:mod:`citecheck.parse.html_plain`). Where markers link to notes, the links
pair them (:mod:`citecheck.parse.html_labels`); plain ``<sup>N</sup>`` pairs by number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from urllib.parse import unquote

from lxml import etree

from citecheck.parse.html_found import Found, FoundMarker, FoundNote
from citecheck.parse.html_labels import MARKER_NUMBER, id_label, note_labels
from citecheck.parse.html_plain import plain
from citecheck.parse.html_source import Element
from citecheck.parse.html_text import text_of

_NOTE_ID = re.compile(
    r"^(?:(?:fn|en|n|ftn|_ftn|edn|_edn|sdfootnote|sdendnote)[-_:.]?\d+(?:sym)?"
    r"|(?:footnote|footnotes|endnote|note|cite_note|user-content-fn)[-_:.].+)$",
    re.IGNORECASE,
)
_REF_ID = re.compile(
    r"fnref|noteref|cite_ref|^identifier_|anc$|ftnref|ednref|backref|footnote-ref", re.IGNORECASE
)
_MARKER_CLASSES = frozenset(
    "footnote-ref footnote-link footnote-identifier-link footnoteref footnote-reference "
    "noteref fn-ref".split()
)
_BACK_CLASSES = frozenset(
    "footnote-back footnote-backref footnote-back-link mw-cite-backlink backlink "
    "data-footnote-backref".split()
)
_INLINE = frozenset("a abbr b cite em i small span strong sub sup u".split())


def find(root: Element, excluded: frozenset[Element]) -> Found:
    """Markers and notes of the page; ``excluded`` holds elements in navigation and scripts."""
    targets = Targets(root)
    notes = _listed_notes(root)
    anchors = {a: f for a, f in _marker_anchors(root, targets, excluded) if not _inside(a, notes)}
    added = _add_targets(notes, anchors, targets)
    if added:  # the anchors passed the notes listed before: only the added can hold them
        anchors = {a: f for a, f in anchors.items() if not _inside(a, added)}
    markers = [_anchor_marker(a, fragment, targets) for a, fragment in anchors.items()]
    found_notes = _label_notes(notes, markers) + _inline_notes(root, excluded)
    markers += _inline_markers(root, excluded)
    found_notes += _titles_for_missing(markers, found_notes, targets)
    shared = any(_fragment(m.element).startswith("cite_note-") for m in markers)
    if not markers and not found_notes:
        return plain(root, excluded)
    return Found(tuple(markers), tuple(found_notes), shared)


class Targets:
    """In-page link targets by id (and ``<a name>``), looked up in libxml2's id table."""

    _lookup = etree.XPath("id($name)")

    def __init__(self, root: Element) -> None:
        self._root = root
        self._found: dict[str, Element | None] = {}

    def get(self, name: str) -> Element | None:
        if name not in self._found:
            hits = self._lookup(self._root, name=name) if name else []
            self._found[name] = hits[0] if hits else None
        return self._found[name]

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None


def _listed_notes(root: Element) -> dict[Element, None]:
    """Notes in recognised note lists, in document order (a dict keeps order, finds fast)."""
    notes: dict[Element, None] = {}
    for element in root.iter("section", "div", "ol", "aside", "li"):
        if _is_note_list(element):
            notes.update(dict.fromkeys(_list_items(element)))
        elif _is_note_item(element):
            notes.setdefault(element, None)
    return notes


def _is_note_list(element: Element) -> bool:
    classes = _classes(element)
    if "footnotes" in classes and element.tag in ("section", "div", "ol", "aside"):
        return True
    if element.get("role") == "doc-endnotes" or element.get("data-footnotes") is not None:
        return True
    return element.tag == "ol" and "references" in classes


def _is_note_item(element: Element) -> bool:
    if element.get("role") in ("doc-endnote", "doc-footnote"):
        return True
    identifier = element.get("id") or ""
    return element.tag == "li" and identifier.startswith(("cite_note-", "footnote_"))


def _list_items(container: Element) -> Iterator[Element]:
    """The outermost ``<li>`` elements of a note list (not items of lists inside notes)."""
    for item in container.iter("li"):
        if not any(parent.tag == "li" for parent in _ancestors_to(item, container)):
            yield item


def _ancestors_to(element: Element, stop: Element) -> Iterator[Element]:
    for parent in element.iterancestors():
        if parent is stop:
            return
        yield parent


def _inside(element: Element, holders: Collection[Element]) -> bool:
    return bool(holders) and any(parent in holders for parent in element.iterancestors())


def _fragment(anchor: Element) -> str:
    href = anchor.get("href") or ""
    return unquote(href[1:]) if href.startswith("#") else ""


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _marker_anchors(
    root: Element, targets: Targets, excluded: frozenset[Element]
) -> Iterator[tuple[Element, str]]:
    """The links that are note markers, each with the id it links to."""
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href and href[0] == "#" and anchor not in excluded:
            fragment = _fragment(anchor)
            if _is_marker(anchor, fragment, targets):
                yield anchor, fragment


def _is_marker(anchor: Element, fragment: str, targets: Targets) -> bool:
    if not fragment or _is_backlink(anchor, fragment, targets):
        return False
    if _classes(anchor) & _MARKER_CLASSES or anchor.get("role") == "doc-noteref":
        return True
    if anchor.get("data-footnote-ref") is not None or _NOTE_ID.match(fragment):
        return True
    parent = anchor.getparent()
    in_sup = parent is not None and parent.tag == "sup"
    return in_sup and fragment in targets and bool(MARKER_NUMBER.match(text_of(anchor)))


def _is_backlink(anchor: Element, fragment: str, targets: Targets) -> bool:
    if _classes(anchor) & _BACK_CLASSES or anchor.get("role") == "doc-backlink":
        return True
    if anchor.get("data-footnote-backref") is not None or _REF_ID.search(fragment):
        return True
    target = targets.get(fragment)
    return target is not None and _points_back(anchor, target, targets)


def _points_back(anchor: Element, target: Element, targets: Targets) -> bool:
    """True when the target is a link (or ``<sup>`` link) to what holds ``anchor``."""
    links = [target] if target.tag == "a" else []
    if target.tag == "sup":
        links = [child for child in target if child.tag == "a"]
    for link in links:
        if _REF_ID.search(_fragment(link)):
            continue  # the target is itself the back-link (Word: _ftn1 <-> _ftnref1)
        held = targets.get(_fragment(link))
        if held is not None and (held is anchor or _has_ancestor(anchor, held)):
            return True
    return False


def _has_ancestor(element: Element, ancestor: Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def _add_targets(
    notes: dict[Element, None], anchors: dict[Element, str], targets: Targets
) -> dict[Element, None]:
    """Targets of markers that no note list held become notes (generic ``id=fnN``).

    So do the items beside a target item with note ids: notes no marker links to.
    Returns the notes added.
    """
    extra: dict[Element, None] = {}
    for fragment in anchors.values():
        target = targets.get(fragment)
        if target is None or target in notes or _inside(target, notes):
            continue
        extra[_note_block(target)] = None
    lists = dict.fromkeys(block.getparent() for block in extra if block.tag == "li")
    for parent in lists:
        if parent is not None:
            extra.update(dict.fromkeys(_note_items(parent, notes)))
    notes.update(extra)
    return extra


def _note_items(parent: Element, notes: dict[Element, None]) -> Iterator[Element]:
    for item in parent.iterchildren("li"):
        if _NOTE_ID.match(item.get("id") or "") and item not in notes:
            yield item


def _note_block(target: Element) -> Element:
    """The block holding an inline target (``<p><a name="_ftn1">``)."""
    block = target
    while block.tag in _INLINE and block.getparent() is not None:
        block = block.getparent()
    return block


def _anchor_marker(anchor: Element, fragment: str, targets: Targets) -> FoundMarker:
    parent = anchor.getparent()
    text = text_of(anchor)
    cut = anchor
    wrapped = parent is not None and parent.tag == "sup"
    if wrapped and text_of(parent).strip() == text.strip():
        cut = parent
    label = _clean_label(text) or id_label(fragment)
    return FoundMarker(anchor, cut, label, targets.get(fragment))


def _clean_label(text: str) -> str:
    return text.strip().strip("[]()").strip()


def _label_notes(notes: dict[Element, None], markers: list[FoundMarker]) -> list[FoundNote]:
    """Notes labelled through the markers that link to them (see ``html_labels``)."""
    links = [(marker.target, marker.label) for marker in markers if marker.target is not None]
    labels = note_labels(notes, links)
    return [FoundNote(note, labels[note]) for note in notes]


def _inline_markers(root: Element, excluded: frozenset[Element]) -> list[FoundMarker]:
    """Distill's ``<d-footnote>``: the element is its own marker, numbered in order."""
    items = [e for e in root.iter("d-footnote") if e not in excluded]
    return [FoundMarker(e, e, str(n), e) for n, e in enumerate(items, start=1)]


def _inline_notes(root: Element, excluded: frozenset[Element]) -> list[FoundNote]:
    items = [e for e in root.iter("d-footnote") if e not in excluded]
    return [FoundNote(e, str(n)) for n, e in enumerate(items, start=1)]


def _titles_for_missing(
    markers: list[FoundMarker], notes: list[FoundNote], targets: Targets
) -> list[FoundNote]:
    """WordPress plugins repeat a note in its marker's title; use it when the list is gone."""
    labels = {note.label for note in notes}
    found = []
    for marker in markers:
        if marker.target is not None or marker.label in labels:
            continue
        title = (marker.element.get("title") or "").strip()
        if title and "footnote-identifier-link" in _classes(marker.element):
            labels.add(marker.label)
            found.append(FoundNote(marker.element, marker.label, title=title))
    return found
