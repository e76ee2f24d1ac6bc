"""Word .docx -> Document: footnotes, endnotes, their marks, links and citation fields.

Positions: a marker's or body link's ``line`` is the number of its paragraph in the body
(1-based, empty paragraphs and table cells counted); a note's ``line`` is the number of its
first paragraph among the note paragraphs of footnotes.xml (or endnotes.xml). ``column`` is 1
for markers and notes, and the 1-based character offset within the paragraph for links and
citations. ``Document.text`` is the body, one paragraph per line, so line N is paragraph N.

Labels follow Word: footnotes are numbered by the order of their first reference in the body;
endnotes likewise, in their own label space with an ``e`` prefix ("e1", "e2"). A custom mark
(``w:customMarkFollows``) is the label as written. Notes that nothing references keep a label
numbered on after the referenced ones, in w:id order, so they can be reported.

Tracked changes are read as accepted: whatever stands in ``w:del`` or ``w:moveFrom`` is left
out, text and note references alike, and a note referenced only from there is dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from citecheck.errors import InputError
from citecheck.model import Document, Marker, Note, Paragraph, Suppression
from citecheck.parse.docx_notes import (
    NoteParagraphs,
    build_notes,
    paragraph_citations,
    paragraph_links,
)
from citecheck.parse.ooxml_fields import citation_field_problem
from citecheck.parse.ooxml_package import open_package, read_xml
from citecheck.parse.ooxml_parts import main_part, relationships
from citecheck.parse.ooxml_walk import NoteRef, PartWalker, RawParagraph, W

FORMAT = "docx"
ENDNOTE_PREFIX = "e"
_SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}
_IGNORE = re.compile(r"^\s*citecheck:\s*ignore\b(.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class _BodyRef:
    ref: NoteRef
    line: int


def parse_bytes(data: bytes, path: str) -> Document:
    """Parse the bytes of a .docx file named ``path``."""
    archive = open_package(data, path, ".docx")
    main = main_part(archive, path)
    if main is None:
        raise InputError("not a .docx (no word/document.xml in the zip archive)", path)
    rels = relationships(archive, main, path)
    root = read_xml(archive, main, path)
    body = root.find(W + "body") if root is not None else None
    walker = PartWalker(rels.external)
    walker.walk(body if body is not None else root)
    return _document(archive, path, rels.parts, walker)


def _document(
    archive: zipfile.ZipFile, path: str, parts: dict[str, str], walker: PartWalker
) -> Document:
    body = walker.paragraphs
    refs = [_BodyRef(ref, p.number) for p in body for ref in p.refs]
    removed = _removed_notes(walker.removed_refs, refs)
    footnotes = _note_part(archive, parts.get("footnotes"), "footnote", path, removed)
    endnotes = _note_part(archive, parts.get("endnotes"), "endnote", path, removed)
    notes = [*_notes(footnotes, refs, "footnote"), *_notes(endnotes, refs, "endnote")]
    labels = {(note.kind, note_id): note.label for note_id, note in notes}
    paragraphs = [_paragraph(p) for p in body]
    return Document(
        path=path,
        format=FORMAT,
        text="\n".join(p.text for p in paragraphs),
        markers=tuple(_markers(refs, labels)),
        notes=tuple(note for _, note in notes),
        citations=(
            *(c for p in body for c in paragraph_citations(p, None)),
            *(c for _, note in notes for c in note.citations),
        ),
        body_links=tuple(link for p in body for link in paragraph_links(p, in_note=False)),
        paragraphs=tuple(p for p in paragraphs if p.text.strip() or p.marker_offsets),
        suppressions=tuple(_suppressions(archive, parts.get("comments"), path, body, footnotes)),
        notices=tuple(_field_notices(path, body, [footnotes, endnotes], labels)),
    )


def _field_notices(
    path: str,
    body: list[RawParagraph],
    parts: list[NoteParagraphs],
    labels: dict[tuple[str, str], str],
) -> Iterable[str]:
    """One notice per citation field whose data cannot be read, naming where it stands."""
    places = [(f"body, paragraph {raw.number}", raw) for raw in body]
    for part in parts:
        for raw in part.paragraphs:
            label = labels.get((part.kind, raw.note_id or ""))
            if label is not None:
                number = label.removeprefix(ENDNOTE_PREFIX) if part.kind == "endnote" else label
                places.append((f"{part.kind} {number}", raw))
    for place, raw in places:
        for anchor in raw.fields:
            problem = citation_field_problem(anchor.value)
            if problem is not None:
                yield f"{path}: {place}: {problem}"


def _paragraph(raw: RawParagraph) -> Paragraph:
    offsets = tuple(ref.offset for ref in raw.refs)
    return Paragraph(raw.text, raw.number, 1, offsets, f"body, paragraph {raw.number}")


def _removed_notes(removed: list[NoteRef], live: list[_BodyRef]) -> set[tuple[str, str]]:
    """Notes whose every reference was deleted (or moved away) as a tracked change."""
    kept = {(item.ref.kind, item.ref.note_id) for item in live}
    return {(ref.kind, ref.note_id) for ref in removed} - kept


def _note_part(
    archive: zipfile.ZipFile,
    part: str | None,
    kind: str,
    path: str,
    removed: set[tuple[str, str]],
) -> NoteParagraphs:
    """The note paragraphs of footnotes.xml or endnotes.xml, by note id, in part order."""
    root = read_xml(archive, part, path) if part else None
    walker = PartWalker(relationships(archive, part, path).external if part else {})
    order: list[str] = []
    for element in () if root is None else root.iterchildren(W + kind):
        note_id = element.get(W + "id", "")
        if element.get(W + "type", "normal") in _SKIPPED_NOTES or (kind, note_id) in removed:
            continue
        order.append(note_id)
        walker.walk(element, note_id)
    return NoteParagraphs(kind, order, walker.paragraphs)


def _notes(part: NoteParagraphs, refs: list[_BodyRef], kind: str) -> list[tuple[str, Note]]:
    labels = assign_labels([r.ref for r in refs if r.ref.kind == kind], part.order)
    prefix = ENDNOTE_PREFIX if kind == "endnote" else ""
    return build_notes(part, {i: prefix + label for i, label in labels.items()})


def assign_labels(refs: Iterable[NoteRef], note_ids: Iterable[str]) -> dict[str, str]:
    """Word's numbering: by order of first reference; custom marks as written; unused after."""
    labels: dict[str, str] = {}
    count = 0
    for ref in refs:
        if ref.note_id in labels:
            continue
        if ref.custom and ref.mark:
            labels[ref.note_id] = ref.mark
        else:
            count += 1
            labels[ref.note_id] = str(count)
    for note_id in sorted(set(note_ids) - labels.keys(), key=_id_order):
        count += 1
        labels[note_id] = str(count)
    return labels


def _id_order(note_id: str) -> tuple[int, str]:
    return (int(note_id), "") if note_id.lstrip("-").isdigit() else (1 << 62, note_id)


def _markers(refs: list[_BodyRef], labels: dict[tuple[str, str], str]) -> Iterable[Marker]:
    for item in refs:
        ref = item.ref
        label = labels.get((ref.kind, ref.note_id))
        if label is None:
            prefix = ENDNOTE_PREFIX if ref.kind == "endnote" else ""
            label = prefix + (ref.mark if ref.custom and ref.mark else f"?{ref.note_id}")
        yield Marker(label, item.line, 1, f"body, paragraph {item.line}")


def _suppressions(
    archive: zipfile.ZipFile,
    part: str | None,
    path: str,
    body: list[RawParagraph],
    footnotes: NoteParagraphs,
) -> Iterable[Suppression]:
    anchors: dict[str, int] = {}
    for raw in [*footnotes.paragraphs, *body]:
        for comment_id in raw.comments:
            anchors.setdefault(comment_id, raw.number)
    root = read_xml(archive, part, path) if part else None
    for comment in () if root is None else root.iterchildren(W + "comment"):
        match = _IGNORE.match("".join(t.text or "" for t in comment.iter(W + "t")))
        line = anchors.get(comment.get(W + "id", ""))
        if match is not None and line is not None:
            yield Suppression(line, _rules(match.group(1)))


def _rules(text: str) -> tuple[str, ...]:
    return tuple(rule for rule in re.split(r"[\s,\[\]]+", text) if rule)
