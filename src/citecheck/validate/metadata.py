"""Metadata rules: metadata-mismatch, unmatched-reference, bib-entry-outdated, retracted-source.

Each note's references (structured ones from the source, else parsed from the note's text)
are matched to a bibliography entry (:mod:`citecheck.validate.metadata_match`) and compared
field by field (:mod:`citecheck.validate.metadata_compare`) with the entry and, when an
authority is given, with the publisher's record. The authority is asked only about a
reference with a DOI or ISBN, about the entry it matched, or, with no entry, about a full
reference through a bibliographic search. A difference both sources agree on is one finding
whose ``source`` names both ("bibliography, Crossref").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from citecheck.bibliography import BibEntry, Bibliography
from citecheck.model import Document, Finding, Note, Reference, Severity
from citecheck.references import parse_note
from citecheck.resolve.authority import Authority, AuthorityRecord, LookupStatus
from citecheck.validate import metadata_match
from citecheck.validate.metadata_compare import Difference, Expected, compare, online_years
from citecheck.validate.metadata_normalise import fold, year_of
from citecheck.validate.metadata_scope import comparable
from citecheck.validate.rules import finding

__all__ = ["check", "check_bibliography"]

TITLE_WORDS = 40


def check(
    document: Document, bibliography: Bibliography | None, authority: Authority | None
) -> list[Finding]:
    """metadata-mismatch, unmatched-reference and retracted-source findings at the notes (in
    the file each note is in)."""
    findings: list[Finding] = []
    for note in document.notes:
        if not comparable(note, bibliography is not None and len(bibliography) > 0):
            continue
        for reference, structured in _references(note):
            findings += _check_reference(
                note.path or document.path, note, reference, structured, bibliography, authority
            )
    return findings


def check_bibliography(bibliography: Bibliography, authority: Authority) -> list[Finding]:
    """bib-entry-outdated and retracted-source for entries with a DOI or ISBN."""
    findings: list[Finding] = []
    for entry in bibliography:
        if not (entry.reference.doi or entry.reference.isbn):
            continue
        answer = authority.lookup(entry.reference)
        if answer.status is not LookupStatus.FOUND or answer.record is None:
            continue
        findings += _entry_findings(entry, answer.record)
    return findings


def _entry_findings(entry: BibEntry, record: AuthorityRecord) -> list[Finding]:
    where = (entry.path, entry.line, 1, entry.key)
    findings = [_retracted(where, record)] if record.retracted else []
    expected = Expected(record.reference, record.source, _record_online_years(record))
    for difference in compare(entry.reference, expected, pinpoint=False):
        message = (
            f"{difference.field}: the bibliography has {difference.found!r}, "
            f"{record.source} has {difference.expected!r}"
        )
        findings.append(_finding("bib-entry-outdated", where, message, difference, record.source))
    return findings


def _references(note: Note) -> list[tuple[Reference, bool]]:
    """(reference, structured): a note that cites by key has no reference text of its own."""
    if note.references:
        return [(r, True) for r in note.references]
    if note.citations or not note.text.strip():
        return []
    return [(r, False) for r in parse_note(note.text)]


def _check_reference(
    path: str,
    note: Note,
    reference: Reference,
    structured: bool,
    bibliography: Bibliography | None,
    authority: Authority | None,
) -> list[Finding]:
    where = (path, note.line, note.column, note.label)
    if not _is_work(reference):
        return []
    found: list[Finding] = []
    entry: BibEntry | None = None
    if bibliography is not None and len(bibliography):
        match = metadata_match.match(reference, bibliography)
        entry = match.entry
        if entry is None and not structured:
            short = metadata_match.short_form(reference.raw, bibliography)
            if short is not None and short.entry is not None:
                return []
        if entry is None:
            found.append(_unmatched(where, reference, match))
    sources = (
        [Expected(entry.reference, "bibliography", online_years(entry.reference.raw))]
        if entry
        else []
    )
    record = _record(reference, entry, authority)
    if record is not None:
        if record.retracted:
            found.append(_retracted(where, record))
        sources.append(Expected(record.reference, record.source, _record_online_years(record)))
    return found + _mismatches(where, reference, sources, pinpoint=not structured)


def _is_work(reference: Reference) -> bool:
    """A title and an author or year: a work, not a plain URL or a comment.

    A "title" of prose (more than :data:`TITLE_WORDS` words, or paragraphs) is commentary.
    """
    title = reference.title or ""
    if not title or "\n\n" in title or len(title.split()) > TITLE_WORDS:
        return False
    return bool(reference.authors or year_of(reference.year))


def _record(
    reference: Reference, entry: BibEntry | None, authority: Authority | None
) -> AuthorityRecord | None:
    if authority is None:
        return None
    if reference.doi or reference.isbn:
        answer = authority.lookup(reference)
    elif entry is not None and (entry.reference.doi or entry.reference.isbn):
        answer = authority.lookup(entry.reference)
    elif entry is None and reference.authors and (reference.container or reference.volume):
        answer = authority.search(reference)
    else:
        return None
    return answer.record if answer.status is LookupStatus.FOUND else None


def _mismatches(
    where: tuple[str, int, int, str | None],
    reference: Reference,
    sources: Sequence[Expected],
    *,
    pinpoint: bool,
) -> list[Finding]:
    online = frozenset().union(*(s.online_years for s in sources)) if sources else frozenset()
    grouped: dict[tuple[str, str], tuple[Difference, list[str]]] = {}
    for source in sources:
        differences = compare(
            reference,
            replace(source, online_years=online),
            pinpoint=pinpoint,
            doi_case=source.source == "bibliography",
        )
        for difference in differences:
            key = (difference.field, fold(difference.expected))
            grouped.setdefault(key, (difference, []))[1].append(source.source)
    return [
        _finding(
            "metadata-mismatch",
            where,
            _mismatch_message(difference, names),
            difference,
            ", ".join(names),
        )
        for difference, names in grouped.values()
    ]


def _mismatch_message(difference: Difference, names: Iterable[str]) -> str:
    message = (
        f"{difference.field}: the note has {difference.found!r}, "
        f"{' and '.join(names)} {'have' if len(list(names)) > 1 else 'has'} "
        f"{difference.expected!r}"
    )
    return f"{message} ({difference.benign})" if difference.benign else message


def _finding(
    rule: str,
    where: tuple[str, int, int, str | None],
    message: str,
    difference: Difference,
    source: str,
) -> Finding:
    made = finding(
        rule,
        *where,
        message,
        field=difference.field,
        expected=difference.expected,
        found=difference.found,
        source=source,
        suggestion=None if difference.benign else f"{difference.field}: {difference.expected}",
        details={"benign": difference.benign} if difference.benign else {},
    )
    return replace(made, severity=Severity.INFO) if difference.benign else made


def _unmatched(
    where: tuple[str, int, int, str | None], reference: Reference, match: metadata_match.Match
) -> Finding:
    title = reference.title or reference.raw[:60]
    if match.ambiguous:
        names = " and ".join(repr(e.key) for e in match.candidates[:2])
        message = f"{title!r} could be {names}: the bibliography entries are too alike to tell"
        details: dict[str, object] = {"candidates": [e.key for e in match.candidates]}
    else:
        message = f"{title!r} is not in the bibliography"
        details = {"confidence": round(match.confidence, 2)}
    return finding("unmatched-reference", *where, message, details=details)


def _retracted(where: tuple[str, int, int, str | None], record: AuthorityRecord) -> Finding:
    doi = record.reference.doi or record.reference.isbn or ""
    notices = ", ".join(record.notices)
    message = f"{record.source} marks {doi} as retracted" + (f" ({notices})" if notices else "")
    return finding(
        "retracted-source",
        *where,
        message,
        source=record.source,
        url=f"https://doi.org/{doi}" if record.reference.doi else None,
        details={"notices": list(record.notices)},
    )


def _record_online_years(record: AuthorityRecord) -> frozenset[str]:
    year = year_of(record.published_online)
    return frozenset({year}) if year else frozenset()
