"""citecheck: check that every citation in an essay holds up."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citecheck")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

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
