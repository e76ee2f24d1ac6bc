"""citecheck: check that every citation in an essay holds up."""

from __future__ import annotations

from typing import TYPE_CHECKING

# The one place the version is written; pyproject.toml reads it from here.
__version__ = "0.1.0"

from citecheck.model import (
    Document,
    Finding,
    Link,
    Marker,
    Note,
    Report,
    Severity,
)
from citecheck.options import Options

if TYPE_CHECKING:
    from citecheck.pipeline import check, extract

__all__ = [
    "Document",
    "Finding",
    "Link",
    "Marker",
    "Note",
    "Options",
    "Report",
    "Severity",
    "__version__",
    "check",
    "extract",
]


def __getattr__(name: str) -> object:
    # check and extract load the pipeline (and the network stack) on first use only
    if name in ("check", "extract"):
        from citecheck import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'citecheck' has no attribute {name!r}")
