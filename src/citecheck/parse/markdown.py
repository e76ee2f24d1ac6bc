"""Markdown (pandoc, GFM, MultiMarkdown) -> Document.

Footnotes ``[^label]`` with ``[^label]: text`` definitions (labels matched regardless of
letter case) and inline notes ``^[text]`` (labelled ``^1``, ``^2`` ... in order), pandoc
citations ``[@key, p. 3]`` and ``@key``, MultiMarkdown citations ``[#key]``, links, YAML front
matter (``bibliography:``, ``nocite:``) and ``<!-- citecheck: ignore [rule ...] -->``
comments. Code and front matter are not read otherwise.
"""

from __future__ import annotations

from operator import attrgetter

from citecheck.model import Document, Note
from citecheck.parse.markdown_blocks import read_blocks
from citecheck.parse.markdown_front import bibliography_paths, front_matter, nocite
from citecheck.parse.markdown_inline import Collector, NoteDraft
from citecheck.parse.markdown_labels import match_labels

FORMAT = "markdown"
# The sort key of markers, notes, citations and links: their line and column.
_where = attrgetter("line", "column")


def parse(text: str, path: str) -> Document:
    """Read one Markdown file already decoded to text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sink = Collector(text)
    metadata, body_start = front_matter(text)
    sink.citations.extend(nocite(metadata, text[:body_start], sink.position))
    read_blocks(text, body_start, sink)
    sink.resolved_reference_links()
    match_labels(sink)
    return Document(
        path=path,
        format=FORMAT,
        text=text,
        markers=tuple(sorted(sink.markers, key=_where)),
        notes=tuple(sorted((_note(draft, sink) for draft in sink.notes), key=_where)),
        citations=tuple(sorted(sink.citations, key=_where)),
        body_links=tuple(sorted(sink.body_links, key=_where)),
        paragraphs=tuple(sink.paragraphs),
        bibliography_paths=bibliography_paths(metadata, path),
        suppressions=tuple(sink.suppressions),
    )


def _note(draft: NoteDraft, sink: Collector) -> Note:
    line, column = sink.line_column(draft.offset)
    links = draft.links if len(draft.links) < 2 else sorted(draft.links, key=_where)
    return Note(
        draft.label,
        line,
        column,
        draft.text,
        links=tuple(links),
        identifiers=tuple(draft.identifiers),
        citations=tuple(draft.citations),
    )
