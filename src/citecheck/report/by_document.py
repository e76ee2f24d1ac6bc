"""Which document's section shows a finding, for reports laid out by document (HTML, JUnit).

A finding belongs to the document whose file it is in; one in a file another document reads
in (a LaTeX ``\\input`` chapter that is not checked on its own) belongs to that document.
The rest (bibliography entries) belong to no document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.model import Document, Finding, Report


@dataclass(frozen=True, slots=True)
class Grouped:
    """The report's findings by document, in the documents' order, and those of no document."""

    by_document: tuple[tuple[Document, tuple[Finding, ...]], ...]
    others: tuple[Finding, ...]


def group(report: Report) -> Grouped:
    """The findings of ``report`` under the document each belongs to."""
    owner = _owners(report.documents)
    per_document: list[list[Finding]] = [[] for _ in report.documents]
    others = []
    for item in report.findings:
        index = owner.get(item.path)
        if index is None:
            others.append(item)
        else:
            per_document[index].append(item)
    pairs = zip(report.documents, per_document, strict=True)
    return Grouped(tuple((d, tuple(found)) for d, found in pairs), tuple(others))


def _owners(documents: Sequence[Document]) -> dict[str, int]:
    """File path -> index of the document it belongs to: its own file first, then a reader's."""
    owner: dict[str, int] = {}
    for index, document in enumerate(documents):
        owner.setdefault(document.path, index)
    for index, document in enumerate(documents):
        for path in document.included_paths:
            owner.setdefault(path, index)
    return owner
