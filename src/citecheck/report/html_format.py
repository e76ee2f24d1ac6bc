"""A self-contained HTML report: the text with its markers and notes, findings beside it.

Everything (CSS, the small filter script) is inline, so the file can be mailed or
archived as it is. Every piece of the document is escaped; the script is allowed by
its hash in the page's Content-Security-Policy, so nothing else can run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from citecheck.model import Document, Finding, LinkCheck, Marker, Note, Report, Severity
from citecheck.report.by_document import group
from citecheck.validate.rules import RULES, label_text

ARCHIVE_HOSTS = (
    "web.archive.org",
    "archive.org",
    "archive.today",
    "archive.ph",
    "archive.is",
    "perma.cc",
    "webcitation.org",
    "ghostarchive.org",
)
"""Hosts whose links are archived copies rather than sources."""
ARCHIVE_DETAILS = ("archive_url", "capture_url", "snapshot_url")
"""Finding details that name an archived copy of the finding's URL."""

_ENV = Environment(
    loader=PackageLoader("citecheck.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_SLUG = re.compile(r"[^a-z0-9-]+")


def slug(text: str) -> str:
    """``text`` reduced to a safe CSS class or id fragment."""
    return _SLUG.sub("-", text.lower()).strip("-") or "x"


@dataclass
class Row:
    """One source line with the findings that stand on it."""

    number: int
    html: Markup
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Source:
    """One row of the sources table."""

    note: Note
    anchor: str
    links: list[tuple[str, LinkCheck | None]]
    archived: list[str]
    metadata: list[Finding]
    elsewhere: str | None = None
    """Where the note is when it is not in the text shown (``ch/two.tex:3``, an ``\\input``
    file); the row then holds the note's anchor."""


@dataclass
class DocumentView:
    """What the template shows of one document."""

    document: Document
    key: str
    rows: list[Row]
    loose: list[Finding]
    """Findings whose line is not in the text (whole-file findings, Word locations, findings
    in files the document reads in)."""
    sources: list[Source]


def render(report: Report) -> str:
    """The report as one HTML page."""
    script = _static("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    grouped = group(report)
    views = [
        _view(report, index, document, findings)
        for index, (document, findings) in enumerate(grouped.by_document)
    ]
    return _ENV.get_template("report.html.j2").render(
        report=report,
        counts=report.summary(),
        severities=list(Severity),
        rules=_rule_counts(report.findings),
        catalogue=RULES,
        views=views,
        others=grouped.others,
        style=Markup(_static("report.css")),
        script=Markup(script),
        script_hash=f"sha256-{digest}",
        slug=slug,
        safe_href=safe_href,
        label_text=label_text,
        title=", ".join(document.path for document in report.documents) or "no documents",
    )


def _static(name: str) -> str:
    return resources.files("citecheck.report").joinpath("templates", name).read_text("utf-8")


def safe_href(url: str) -> str | None:
    """``url`` if it is an http(s) link a reader may follow, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # http://[bad: not a link anyone can follow
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _rule_counts(findings: Iterable[Finding]) -> list[tuple[str, Severity, int]]:
    counts = Counter((item.rule, item.severity) for item in findings)
    ordered = sorted(counts.items(), key=lambda pair: (-pair[0][1].rank, -pair[1], pair[0][0]))
    return [(rule, severity, count) for (rule, severity), count in ordered]


def _view(
    report: Report, index: int, document: Document, findings: Sequence[Finding]
) -> DocumentView:
    key = f"d{index}"
    lines = [line.rstrip("\r") for line in document.text.split("\n")]
    anchors = _Anchors(key, document)
    by_line: defaultdict[int, list[Finding]] = defaultdict(list)
    loose = []
    for item in findings:
        if item.path == document.path and 1 <= item.line <= len(lines):
            by_line[item.line].append(item)
        else:
            loose.append(item)
    rows = [
        Row(number, _line_html(number, text, anchors, by_line[number]), by_line[number])
        for number, text in enumerate(lines, start=1)
    ]
    return DocumentView(document, key, rows, loose, _sources(report, document, anchors, findings))


class _Anchors:
    """Ids of markers and notes, and which link to which.

    Only markers and notes of the document's own text are placed on its lines; a note in a
    file the document reads in has its anchor on its row of the sources table.
    """

    def __init__(self, key: str, document: Document) -> None:
        shown_markers = [marker for marker in document.markers if marker.path is None]
        self.marker_ids = {id(m): f"{key}-m{i}" for i, m in enumerate(document.markers)}
        self.note_ids = {id(n): f"{key}-n{i}" for i, n in enumerate(document.notes)}
        self.first_note: dict[str, str] = {}
        for note in document.notes:
            self.first_note.setdefault(note.label, self.note_ids[id(note)])
        self.markers_of: defaultdict[str, list[str]] = defaultdict(list)
        for marker in shown_markers:
            self.markers_of[marker.label].append(self.marker_ids[id(marker)])
        self.by_line: defaultdict[int, list[Marker | Note]] = defaultdict(list)
        for marker in shown_markers:
            self.by_line[marker.line].append(marker)
        for note in document.notes:
            if note.path is None:
                self.by_line[note.line].append(note)


def _worst_by_label(findings: Sequence[Finding]) -> dict[str, Severity]:
    worst: dict[str, Severity] = {}
    for finding in sorted(findings, key=lambda item: item.severity.rank):
        if finding.label is not None:
            worst[finding.label] = finding.severity
    return worst


def _line_html(number: int, text: str, anchors: _Anchors, findings: Sequence[Finding]) -> Markup:
    """The line escaped, with its markers as links and its note wrapped (to the line's end)."""
    flagged = _worst_by_label(findings)
    parts: list[Markup] = []
    cursor = 0
    closing = Markup("")
    placed = sorted(anchors.by_line[number], key=lambda a: (a.column, isinstance(a, Marker)))
    for anchor in placed:
        start = min(max(anchor.column - 1, cursor), len(text))
        parts.append(escape(text[cursor:start]))
        if isinstance(anchor, Note):
            parts.append(_note_open(anchor, anchors, flagged.get(anchor.label)))
            closing = _note_close(anchor, anchors)
            cursor = start
        else:
            width = _marker_width(text, start, anchor.label)
            written = text[start : start + width]
            parts.append(_marker(anchor, written, anchors, flagged.get(anchor.label)))
            cursor = start + width
    parts += [escape(text[cursor:]), closing]
    return Markup("").join(parts)


def _marker_width(text: str, start: int, label: str) -> int:
    for written in (f"[^{label}]", f"[{label}]", label):
        if text.startswith(written, start):
            return len(written)
    return 0


def _marker(marker: Marker, written: str, anchors: _Anchors, severity: Severity | None) -> Markup:
    target = anchors.first_note.get(marker.label)
    classes = "marker" + (f" flagged sev-{severity.value}" if severity else "")
    classes += "" if target else " dangling"
    shown = written or f"[{marker.label}]"
    href = Markup(' href="#{}"').format(target) if target else Markup("")
    title = f"note {marker.label}" if target else f"note {marker.label} does not exist"
    return Markup('<a class="{}" id="{}"{} title="{}">{}</a>').format(
        classes, anchors.marker_ids[id(marker)], href, title, shown
    )


def _note_open(note: Note, anchors: _Anchors, severity: Severity | None) -> Markup:
    classes = "note" + (f" flagged sev-{severity.value}" if severity else "")
    return Markup('<span class="{}" id="{}">').format(classes, anchors.note_ids[id(note)])


def _note_close(note: Note, anchors: _Anchors) -> Markup:
    backs = [
        Markup('<a class="backref" href="#{}" title="back to marker {}">↩</a>').format(
            marker_id, note.label
        )
        for marker_id in anchors.markers_of.get(note.label, [])
    ]
    return Markup("{}</span>").format(Markup(" ").join(backs))


def _sources(
    report: Report, document: Document, anchors: _Anchors, findings: Sequence[Finding]
) -> list[Source]:
    checks = {check.url: check for check in report.link_checks}
    rows = []
    for note in document.notes:
        mine = [item for item in findings if item.label == note.label]
        cited = [url for url in note.urls if not _is_archive(url)]
        archived = [url for url in note.urls if _is_archive(url)]
        archived += _archived_from_findings(mine, cited)
        metadata = [item for item in mine if _family(item.rule) == "metadata"]
        links = [(url, checks.get(url)) for url in cited]
        anchor = anchors.note_ids[id(note)]
        elsewhere = f"{note.path}:{note.line}" if note.path is not None else None
        archived = list(dict.fromkeys(archived))
        rows.append(Source(note, anchor, links, archived, metadata, elsewhere))
    return rows


def _is_archive(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == name or host.endswith("." + name) for name in ARCHIVE_HOSTS)


def _archived_from_findings(findings: Sequence[Finding], urls: Sequence[str]) -> list[str]:
    found = []
    for item in findings:
        for key in ARCHIVE_DETAILS:
            value = item.details.get(key)
            if isinstance(value, str) and (item.url is None or item.url in urls):
                found.append(value)
    return found


def _family(rule: str) -> str | None:
    return RULES[rule].family if rule in RULES else None
