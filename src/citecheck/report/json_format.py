"""JSON output, version 1 (docs/json-output.md): stable names, later work only adds."""

from __future__ import annotations

import json
from typing import Any

from citecheck import __version__
from citecheck.model import Document, Finding, IdentifierScheme, Marker, Note, Report

VERSION = 1
_OPTIONAL = ("suggestion", "url", "field", "expected", "found", "source", "location")


def render(report: Report) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "version": VERSION,
        "tool": {"name": "citecheck", "version": __version__},
        "documents": [_document(document) for document in report.documents],
        "findings": [_finding(item) for item in report.findings],
        "summary": report.summary(),
        "notices": list(report.notices),
    }


def _document(document: Document) -> dict[str, Any]:
    return {
        "path": document.path,
        "format": document.format,
        "markers": [_marker(marker) for marker in document.markers],
        "notes": [_note(note) for note in document.notes],
        "citations": [
            {"key": c.key, "line": c.line, "column": c.column, "note": c.note_label}
            for c in document.citations
        ],
    }


def _marker(marker: Marker) -> dict[str, Any]:
    data: dict[str, Any] = {"label": marker.label, "line": marker.line, "column": marker.column}
    if marker.location:
        data["location"] = marker.location
    return data


def _note(note: Note) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": note.label,
        "line": note.line,
        "column": note.column,
        "text": note.text,
        "urls": list(note.urls),
        "dois": list(note.ids(IdentifierScheme.DOI)),
        "isbns": list(note.ids(IdentifierScheme.ISBN)),
        "arxiv": list(note.ids(IdentifierScheme.ARXIV)),
    }
    if note.kind != "footnote":
        data["kind"] = note.kind
    if note.location:
        data["location"] = note.location
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
