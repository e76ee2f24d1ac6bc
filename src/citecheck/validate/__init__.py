"""Pure rules over parsed documents: one module per family, catalogued in rules.py."""

from __future__ import annotations

from citecheck.model import Document, Finding
from citecheck.validate import numbering, quotes


def check_document(document: Document) -> list[Finding]:
    """The rules that need nothing but the document itself."""
    return [*numbering.check(document), *quotes.check(document)]
