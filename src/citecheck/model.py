"""The values that flow through the pipeline: parse -> resolve -> validate -> report.

Every value is a frozen dataclass; change one with ``dataclasses.replace``.
Lines and columns are 1-based positions in the source file, counted in characters: the
document's own file, or the file an item's ``path`` names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


class IdentifierScheme(StrEnum):
    DOI = "doi"
    ISBN = "isbn"
    ARXIV = "arxiv"


class LinkStatus(StrEnum):
    """The outcome of checking one link (as lychee's Status)."""

    OK = "ok"
    BROKEN = "broken"
    UNREACHABLE = "unreachable"
    BLOCKED = "blocked"
    SOFT_404 = "soft_404"
    REDIRECTED = "redirected"
    EXCLUDED = "excluded"
    CACHED = "cached"
    OFFLINE = "offline"
    INVALID = "invalid"

    @property
    def is_error(self) -> bool:
        return self in {
            LinkStatus.BROKEN,
            LinkStatus.UNREACHABLE,
            LinkStatus.SOFT_404,
            LinkStatus.INVALID,
        }


@dataclass(frozen=True, slots=True)
class Position:
    """Where something stands in the source: 1-based line and column."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Link:
    """A URL as written in a note or the body, and the normalised URL that is checked."""

    raw: str
    line: int
    column: int
    url: str
    """Normalised absolute URL (http, https, or another scheme as written)."""
    in_note: bool = True
    path: str | None = None
    """The file this link is in when it is not the document's own (a LaTeX ``\\input``
    file); line and column are then in that file."""
    location: str | None = None
    """Human location where line/column mean little (Word: "footnote 2, paragraph 1")."""


@dataclass(frozen=True, slots=True)
class Identifier:
    """A DOI, ISBN or arXiv id found in a note."""

    scheme: IdentifierScheme
    value: str
    """Canonical form: DOI lower-cased without prefix, ISBN digits only (ISBN-13), arXiv id."""
    raw: str
    line: int
    column: int
    valid: bool = True
    """False when the checksum (ISBN) or syntax (DOI) is wrong."""
    location: str | None = None
    """Human location where line/column mean little (Word: "footnote 2, paragraph 3")."""


@dataclass(frozen=True, slots=True)
class Marker:
    """An in-text reference to a note: a superscript, ``[1]``, ``[^label]``, a Word mark."""

    label: str
    line: int
    column: int
    location: str | None = None
    """Human location where line/column mean little (Word: "body, paragraph 3")."""
    path: str | None = None
    """The file this marker is in when it is not the document's own (a LaTeX ``\\input``
    file); line and column are then in that file."""


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation by key (LaTeX ``\\cite{key}``, pandoc ``[@key]``, a Zotero field)."""

    key: str
    line: int
    column: int
    prefix: str = ""
    locator: str = ""
    note_label: str | None = None
    """The note the citation stands in, if any."""
    path: str | None = None
    """The file this citation is in when it is not the document's own (a LaTeX ``\\input``
    file); line and column are then in that file."""


@dataclass(frozen=True, slots=True)
class Person:
    family: str
    given: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """Structured fields of one cited work, parsed from a note or loaded from a bibliography."""

    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    year: str | None = None
    date: str | None = None
    title: str | None = None
    translated_title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    edition: str | None = None
    report_number: str | None = None
    doi: str | None = None
    isbn: str | None = None
    url: str | None = None
    accessed: str | None = None
    language: str | None = None
    kind: str | None = None
    """Work type as CSL names it: article-journal, book, chapter, report, webpage ..."""
    key: str | None = None
    """Bibliography key, when the reference came from or names one."""
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote or endnote: its label as written and its text."""

    label: str
    line: int
    column: int
    text: str
    links: tuple[Link, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    citations: tuple[Citation, ...] = ()
    references: tuple[Reference, ...] = ()
    """Structured references embedded in the source (Zotero CSL-JSON fields)."""
    location: str | None = None
    kind: str = "footnote"
    """footnote or endnote: separate label spaces in Word."""
    path: str | None = None
    """The file this note is in when it is not the document's own (a LaTeX ``\\input``
    file); line and column, its identifiers' too, are then in that file."""

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(link.url for link in self.links)

    def ids(self, scheme: IdentifierScheme) -> tuple[str, ...]:
        return tuple(i.value for i in self.identifiers if i.scheme is scheme)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of body prose, for rules that read sentences (quotations)."""

    text: str
    line: int
    column: int
    marker_offsets: tuple[int, ...] = ()
    """Indices into ``text`` where markers stand."""
    location: str | None = None
    """Human location where line/column mean little (Word: "body, paragraph 3")."""

    def position(self, index: int) -> Position:
        """Source position of ``text[index]``, exact when the paragraph is verbatim source."""
        before = self.text[:index]
        newlines = before.count("\n")
        if newlines == 0:
            return Position(self.line, self.column + index)
        return Position(self.line + newlines, index - before.rfind("\n"))


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline ``citecheck: ignore [rule ...]`` comment; no rules means all."""

    line: int
    rules: tuple[str, ...] = ()
    path: str | None = None
    """The file the comment is in when it is not the document's own (a LaTeX ``\\input``
    file); it covers findings in that file only."""


@dataclass(frozen=True, slots=True)
class Document:
    """What a parser understood of one file."""

    path: str
    format: str
    text: str
    markers: tuple[Marker, ...] = ()
    notes: tuple[Note, ...] = ()
    citations: tuple[Citation, ...] = ()
    """Every citation by key, in the body and in notes (those in a note carry its label)."""
    body_links: tuple[Link, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    bibliography_paths: tuple[str, ...] = ()
    """Bibliography files the document names (``\\bibliography``, YAML ``bibliography:``)."""
    suppressions: tuple[Suppression, ...] = ()
    shared_notes: bool = False
    """True where one note may legitimately be referenced many times (MediaWiki named refs)."""
    notices: tuple[str, ...] = ()
    """What the parser could not follow, told once to the reader (an ``\\input`` file that
    is not there); not findings, since the document itself may be right."""
    included_paths: tuple[str, ...] = ()
    """Files read into this one (LaTeX ``\\input``), named as the ``path`` of their items."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found, located in a file."""

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    label: str | None
    message: str
    suggestion: str | None = None
    url: str | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    source: str | None = None
    location: str | None = None
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)
    """Rule-specific extras (final_url, status, chain, attempts ...), emitted in JSON."""

    @property
    def place(self) -> str:
        """Where a person finds it in the file: ``12:5``, or ``footnote 3, paragraph 1``."""
        return self.location or f"{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """The result of checking one normalised URL."""

    url: str
    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    chain: tuple[str, ...] = ()
    attempts: int = 0
    content_type: str | None = None
    detail: str = ""
    checked_at: str | None = None
    history: tuple[str, ...] = ()
    """Earlier outcomes from the cache, oldest first (ok/broken ...)."""


@dataclass(frozen=True, slots=True)
class Capture:
    """One archived fetch in a WARC file."""

    url: str
    timestamp: str
    status: int
    digest: str
    warc_file: str
    offset: int
    length: int
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run found: the documents, the findings, the links checked."""

    documents: tuple[Document, ...]
    findings: tuple[Finding, ...]
    link_checks: tuple[LinkCheck, ...] = ()
    notices: tuple[str, ...] = ()
    """Run-level messages for people (``network unavailable: 12 links not checked``)."""
    fail_on: Severity | None = Severity.ERROR

    def summary(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for item in self.findings:
            counts[item.severity.value] += 1
        return counts

    @property
    def failed(self) -> bool:
        """True when a finding is at or above ``fail_on``."""
        threshold = self.fail_on
        return threshold is not None and any(
            item.severity.at_least(threshold) for item in self.findings
        )

    def render(self, output_format: str) -> str:
        """The report in one of :data:`citecheck.report.OUTPUT_FORMATS`."""
        from citecheck.report import render

        return render(self, output_format)
