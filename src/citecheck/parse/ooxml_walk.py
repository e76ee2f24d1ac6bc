"""One WordprocessingML part (document.xml, footnotes.xml ...) read paragraph by paragraph.

The walk records, for every paragraph, its text and where in that text note references,
hyperlinks, citation fields and comment anchors stand. Nothing is interpreted here beyond
the XML: labels, notes and links are made in :mod:`citecheck.parse.docx`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from citecheck.parse.ooxml_fields import hyperlink_target, is_citation_field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TRUE = {"1", "true", "on"}
_REMOVED = {W + "del", W + "moveFrom"}
"""Tracked deletions and moves away: their content is not in the document Word shows."""


@dataclass
class NoteRef:
    """A footnoteReference or endnoteReference, with the custom mark that follows it."""

    kind: str
    note_id: str
    offset: int
    custom: bool = False
    mark: str = ""


@dataclass
class Anchor:
    """Something that stands at an offset of a paragraph: a link target or a field."""

    value: str
    offset: int
    end: int = -1


@dataclass
class RawParagraph:
    number: int
    note_id: str | None
    pieces: list[str] = field(default_factory=list)
    refs: list[NoteRef] = field(default_factory=list)
    links: list[Anchor] = field(default_factory=list)
    fields: list[Anchor] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.size += len(text)


@dataclass
class _Field:
    instruction: list[str] = field(default_factory=list)
    separated: bool = False
    start: tuple[RawParagraph, int] | None = None


class PartWalker:
    """Walks the paragraphs of one or more subtrees of a part, numbering them from 1."""

    def __init__(self, relationships: Mapping[str, str]) -> None:
        self.relationships = relationships
        self.paragraphs: list[RawParagraph] = []
        self._open: list[RawParagraph] = []
        self._fields: list[_Field] = []
        self._link: tuple[RawParagraph, Anchor] | None = None
        self._pending: NoteRef | None = None
        self._note_id: str | None = None
        self.removed_refs: list[NoteRef] = []
        """Note references inside tracked deletions and moves away, which Word does not count."""

    def walk(self, element: etree._Element, note_id: str | None = None) -> None:
        """Record every paragraph under ``element``; ``note_id`` names the note it belongs to."""
        self._note_id = note_id
        self._fields = []
        walker = etree.iterwalk(element, events=("start", "end"))
        for event, node in walker:
            tag = node.tag
            if not isinstance(tag, str):
                continue
            if tag in _REMOVED and event == "start":
                self._remove(node)
                walker.skip_subtree()
            else:
                self._start(tag, node) if event == "start" else self._end(tag, node)

    def _remove(self, node: etree._Element) -> None:
        for child in node.iter(W + "footnoteReference", W + "endnoteReference"):
            kind = "footnote" if child.tag == W + "footnoteReference" else "endnote"
            self.removed_refs.append(NoteRef(kind, child.get(W + "id", ""), 0))

    def _start(self, tag: str, node: etree._Element) -> None:
        handler = _STARTS.get(tag)
        if handler is not None:
            handler(self, node)

    def _end(self, tag: str, node: etree._Element) -> None:
        if tag == W + "p" and self._open:
            self._open.pop()
            self._pending = None
        elif tag == W + "hyperlink":
            self._close_link()
        elif tag == W + "fldSimple":
            self._end_field()

    @property
    def _paragraph(self) -> RawParagraph:
        if not self._open:
            self._begin_paragraph(None)
        return self._open[-1]

    def _begin_paragraph(self, _node: etree._Element | None) -> None:
        paragraph = RawParagraph(len(self.paragraphs) + 1, self._note_id)
        self.paragraphs.append(paragraph)
        self._open.append(paragraph)

    def _text(self, text: str) -> None:
        if self._fields and not self._fields[-1].separated:
            return
        if self._pending is not None and text:
            self._pending.mark += text
            self._pending = None
        self._paragraph.add(text)

    def _on_t(self, node: etree._Element) -> None:
        self._text(node.text or "")

    def _on_tab(self, _node: etree._Element) -> None:
        self._text("\t")

    def _on_break(self, _node: etree._Element) -> None:
        self._text(" ")

    def _on_hyphen(self, _node: etree._Element) -> None:
        self._text("-")

    def _on_sym(self, node: etree._Element) -> None:
        try:
            code = int(node.get(W + "char", ""), 16)
        except ValueError:
            return
        self._text(chr(code - 0xF000 if code >= 0xF000 else code))

    def _on_note_ref(self, node: etree._Element) -> None:
        kind = "footnote" if node.tag == W + "footnoteReference" else "endnote"
        paragraph = self._paragraph
        custom = node.get(W + "customMarkFollows", "").lower() in _TRUE
        ref = NoteRef(kind, node.get(W + "id", ""), paragraph.size, custom)
        paragraph.refs.append(ref)
        self._pending = ref if custom else None

    def _on_hyperlink(self, node: etree._Element) -> None:
        target = self.relationships.get(node.get(R + "id", ""))
        if target is not None:
            paragraph = self._paragraph
            self._link = (paragraph, Anchor(target, paragraph.size))

    def _close_link(self) -> None:
        if self._link is not None:
            paragraph, anchor = self._link
            anchor.end = paragraph.size
            paragraph.links.append(anchor)
        self._link = None

    def _on_comment(self, node: etree._Element) -> None:
        self._paragraph.comments.append(node.get(W + "id", ""))

    def _on_fld_char(self, node: etree._Element) -> None:
        kind = node.get(W + "fldCharType")
        if kind == "begin":
            self._fields.append(_Field())
        elif kind == "separate" and self._fields:
            self._separate(self._fields[-1])
        elif kind == "end" and self._fields:
            self._end_field()

    def _on_instr(self, node: etree._Element) -> None:
        if self._fields and not self._fields[-1].separated:
            self._fields[-1].instruction.append(node.text or "")

    def _on_fld_simple(self, node: etree._Element) -> None:
        simple = _Field([node.get(W + "instr", "")])
        self._fields.append(simple)
        self._separate(simple)

    def _separate(self, current: _Field) -> None:
        if current.separated:
            return
        current.separated = True
        paragraph = self._paragraph
        current.start = (paragraph, paragraph.size)
        self._record_field("".join(current.instruction), paragraph)

    def _record_field(self, instruction: str, paragraph: RawParagraph) -> None:
        target = hyperlink_target(instruction)
        if target is not None:
            paragraph.links.append(Anchor(target, paragraph.size))
        elif is_citation_field(instruction):
            paragraph.fields.append(Anchor(instruction, paragraph.size))

    def _end_field(self) -> None:
        current = self._fields.pop()
        if not current.separated:
            self._separate(current)
        start_paragraph, _ = current.start or (None, 0)
        if start_paragraph is not None and start_paragraph.links:
            last = start_paragraph.links[-1]
            if last.end < 0:
                last.end = start_paragraph.size


_STARTS = {
    W + "p": PartWalker._begin_paragraph,
    W + "t": PartWalker._on_t,
    W + "tab": PartWalker._on_tab,
    W + "br": PartWalker._on_break,
    W + "cr": PartWalker._on_break,
    W + "noBreakHyphen": PartWalker._on_hyphen,
    W + "sym": PartWalker._on_sym,
    W + "footnoteReference": PartWalker._on_note_ref,
    W + "endnoteReference": PartWalker._on_note_ref,
    W + "hyperlink": PartWalker._on_hyperlink,
    W + "commentRangeStart": PartWalker._on_comment,
    W + "commentReference": PartWalker._on_comment,
    W + "fldChar": PartWalker._on_fld_char,
    W + "instrText": PartWalker._on_instr,
    W + "fldSimple": PartWalker._on_fld_simple,
}
