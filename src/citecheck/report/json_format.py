"""JSON output, version 1 (docs/json-output.md): stable names, later work only adds."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from citecheck import __version__
from citecheck.model import Citation, Document, Finding, IdentifierScheme, Marker, Note, Report

VERSION = 1
_OPTIONAL = ("suggestion", "url", "field", "expected", "found", "source", "location")


def render(report: Report) -> str:
    """The report as JSON: indented down to the records, one record (note, finding) per line."""
    out: list[str] = []
    _lay(as_dict(report, Records), 0, out)
    out.append("\n")
    return "".join(out)


class Records:
    """Records made as they are written: a report of 10,000 notes never holds all of them as
    dicts at once."""

    def __init__(self, make: Callable[[Any], dict[str, Any]], items: Sequence[Any]) -> None:
        self.make = make
        self.items = items
        self.flat = make in FLAT_RECORDS
        """Every record holds scalars and lists of scalars: written without looking."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self.make, self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def layout(value: Any, level: int = 0) -> str:
    """``value`` as JSON: indented down to the records, each record on one line.

    A record (a note, a finding: a dict of scalars and lists of scalars) is written by the C
    encoder in one call. An essay with 10,000 notes is written several times faster, and in
    a fraction of the memory, than with ``indent=2``, which leaves the C encoder for a Python
    one.
    """
    out: list[str] = []
    _lay(value, level, out)
    return "".join(out)


def _lay(value: Any, level: int, out: list[str]) -> None:
    """:func:`layout` into ``out``, a piece at a time: the text is joined once, at the end,
    never copied level by level (a report of 10,000 notes peaks 3 MB lower)."""
    if isinstance(value, dict) and not _is_record(value):
        inner = "  " * (level + 1)
        out.append("{\n")
        for number, (key, item) in enumerate(value.items()):
            out.append(",\n" + inner if number else inner)
            out.append(f"{_encode(key)}: ")
            _lay(item, level + 1, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, Records) and value.flat and value:
        inner = "  " * (level + 1)
        out.append("[\n")
        out.append(",\n".join(inner + _encode(item) for item in value))
        out.append("\n" + "  " * level + "]")
    elif (isinstance(value, Records) and value) or (
        isinstance(value, list) and not _is_flat(value)
    ):
        inner = "  " * (level + 1)
        out.append("[\n")
        for number, item in enumerate(value):
            out.append(",\n" + inner if number else inner)
            _lay(item, level + 1, out)
        out.append("\n" + "  " * level + "]")
    else:
        out.append(_encode(value))


def _listed(value: Any) -> list[Any]:
    if isinstance(value, Records):
        return list(value)  # no records: an empty list
    raise TypeError(f"{type(value).__name__} is not JSON data")


_encode = json.JSONEncoder(ensure_ascii=False, default=_listed).encode
"""One encoder for every call: json.dumps with ensure_ascii=False builds a new one each time."""


def _is_record(value: dict[Any, Any]) -> bool:
    """Does ``value`` hold only scalars and lists of scalars?"""
    for item in value.values():
        if isinstance(item, dict) or (isinstance(item, Records) and item):
            return False
        if isinstance(item, list) and not _is_flat(item):
            return False
    return True


def _is_flat(value: list[Any]) -> bool:
    """Does ``value`` hold no dict and no list?"""
    return all(not isinstance(item, dict | list) for item in value)


Collect = Callable[[Callable[[Any], dict[str, Any]], Sequence[Any]], Any]


def _made(make: Callable[[Any], dict[str, Any]], items: Sequence[Any]) -> list[dict[str, Any]]:
    return [make(item) for item in items]


def as_dict(report: Report, collect: Collect = _made) -> dict[str, Any]:
    """The report as JSON data; ``collect(make, items)`` gives each list of records
    (markers, notes, citations, findings)."""
    return {
        "version": VERSION,
        "tool": {"name": "citecheck", "version": __version__},
        "documents": [_document(document, collect) for document in report.documents],
        "findings": collect(_finding, report.findings),
        "summary": report.summary(),
        "notices": list(report.notices),
    }


def _document(document: Document, collect: Collect) -> dict[str, Any]:
    return {
        "path": document.path,
        "format": document.format,
        "markers": collect(_marker, document.markers),
        "notes": collect(_note, document.notes),
        "citations": collect(_citation, document.citations),
    }


def _marker(marker: Marker) -> dict[str, Any]:
    data: dict[str, Any] = {"label": marker.label, "line": marker.line, "column": marker.column}
    if marker.location:
        data["location"] = marker.location
    if marker.path is not None:
        data["path"] = marker.path
    return data


def _citation(citation: Citation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": citation.key,
        "line": citation.line,
        "column": citation.column,
        "note": citation.note_label,
    }
    if citation.path is not None:
        data["path"] = citation.path
    return data


def _note(note: Note) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": note.label,
        "line": note.line,
        "column": note.column,
        "text": note.text,
        "urls": [link.url for link in note.links],
        "dois": list(note.ids(IdentifierScheme.DOI)) if note.identifiers else [],
        "isbns": list(note.ids(IdentifierScheme.ISBN)) if note.identifiers else [],
        "arxiv": list(note.ids(IdentifierScheme.ARXIV)) if note.identifiers else [],
    }
    if note.kind != "footnote":
        data["kind"] = note.kind
    if note.location:
        data["location"] = note.location
    if note.path is not None:
        data["path"] = note.path
    return data


def _finding(item: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": item.rule,
        "severity": item.severity.value,
        "path": item.path,
        "line": item.line,
        "column": item.column,
        "label": item.label,
        "message": item.message,
    }
    for name in _OPTIONAL:
        value = getattr(item, name)
        if value is not None:
            data[name] = value
    for name, value in item.details.items():
        data.setdefault(name, list(value) if isinstance(value, tuple) else value)
    return data


FLAT_RECORDS = frozenset({_marker, _note, _citation})
"""Record makers whose records hold only scalars and lists of scalars, whatever the input
(a finding's details may hold more)."""
