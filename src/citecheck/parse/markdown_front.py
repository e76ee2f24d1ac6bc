"""YAML front matter of a Markdown file: the bibliography files it names and the entries
pandoc's ``nocite:`` field cites without a citation in the text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from citecheck.model import Citation, Position
from citecheck.parse.markdown_citations import find_nocite

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# The field's first line, then its indented lines, blank lines and block sequence items.
_NOCITE_FIELD = re.compile(
    r"^([\"']?)nocite\1[ \t]*:.*(?:\n(?:(?:[ \t]|-[ \t]|-$).*)?)*", re.MULTILINE
)


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


def nocite(metadata: object, head: str, position: Callable[[int], Position]) -> list[Citation]:
    """The citations of ``nocite:`` (``@*`` is the key ``*``, every entry) in the front
    matter ``head``."""
    value = metadata.get("nocite") if isinstance(metadata, dict) else None
    keys = {found.key for text in _strings(value) for found in find_nocite(text)}
    citations = []
    for key, offset in _written(keys, head) if keys else []:
        where = position(offset)
        citations.append(Citation(key, where.line, where.column))
    return citations


def _written(keys: set[str], head: str) -> list[tuple[str, int]]:
    """Each key with the offset where the ``nocite:`` field in ``head`` writes it; a key not
    written as such (with an escape) at the field."""
    field = _NOCITE_FIELD.search(head)
    start = field.start() if field else 0
    written = [
        (found.key, start + found.offset)
        for found in find_nocite(field.group() if field else "")
        if found.key in keys
    ]
    unwritten = keys.difference(key for key, _ in written)
    return [*written, *((key, start) for key in sorted(unwritten))]


def _strings(value: object) -> Iterator[str]:
    """The text of a field: a string, or the strings of a list (pandoc reads either)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
