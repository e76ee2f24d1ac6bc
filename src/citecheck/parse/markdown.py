"""Markdown (pandoc, GFM, MultiMarkdown) -> Document.

Footnotes ``[^label]`` with ``[^label]: text`` definitions and inline notes ``^[text]``
(labelled ``^1``, ``^2`` ... in order), pandoc citations ``[@key, p. 3]`` and ``@key``,
MultiMarkdown citations ``[#key]``, links, YAML front matter (``bibliography:``) and
``<!-- citecheck: ignore [rule ...] -->`` comments. Code and front matter are not read.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from citecheck.model import Document, Link, Note
from citecheck.parse.markdown_blocks import read_blocks
from citecheck.parse.markdown_inline import Collector, NoteDraft

FORMAT = "markdown"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def parse(text: str, path: str) -> Document:
    """Read one Markdown file already decoded to text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sink = Collector(text)
    metadata, body_start = front_matter(text)
    read_blocks(text, body_start, sink)
    sink.resolved_reference_links()
    return Document(
        path=path,
        format=FORMAT,
        text=text,
        markers=tuple(sorted(sink.markers, key=lambda m: (m.line, m.column))),
        notes=tuple(sorted((_note(draft, sink) for draft in sink.notes), key=_where)),
        citations=tuple(sorted(sink.citations, key=lambda c: (c.line, c.column))),
        body_links=tuple(sorted(sink.body_links, key=_link_where)),
        paragraphs=tuple(sink.paragraphs),
        bibliography_paths=bibliography_paths(metadata, path),
        suppressions=tuple(sink.suppressions),
    )


def _where(note: Note) -> tuple[int, int]:
    return note.line, note.column


def _note(draft: NoteDraft, sink: Collector) -> Note:
    where = sink.position(draft.offset)
    links = draft.links if len(draft.links) < 2 else sorted(draft.links, key=_link_where)
    return Note(
        draft.label,
        where.line,
        where.column,
        draft.text,
        links=tuple(links),
        identifiers=tuple(draft.identifiers),
        citations=tuple(draft.citations),
    )


def _link_where(link: Link) -> tuple[int, int]:
    return link.line, link.column


def front_matter(text: str) -> tuple[object, int]:
    """The YAML front matter's value (None without one) and where the body starts."""
    head = _FRONT_MATTER.match(text)
    if head is None:
        return None, 0
    import yaml  # loaded only for files with front matter, like markdown-it

    tokens = _front_matter_reader().parse(head.group())
    if not tokens or tokens[0].type != "front_matter":
        return None, 0
    try:
        return yaml.safe_load(tokens[0].content), head.end()
    except yaml.YAMLError:
        return None, head.end()


@cache
def _front_matter_reader() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("zero").use(front_matter_plugin)


def bibliography_paths(metadata: object, path: str) -> tuple[str, ...]:
    """``bibliography:`` (a string or a list) resolved against the document's folder."""
    if not isinstance(metadata, dict):
        return ()
    value = metadata.get("bibliography")
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    folder = PurePath(path).parent
    return tuple(str(folder / name) for name in names if isinstance(name, str) and name)
