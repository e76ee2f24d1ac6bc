"""Link rules: each note link's check becomes findings at the link; identifiers are checked
for form (invalid-doi, invalid-isbn) without the network.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from citecheck.model import (
    Document,
    Finding,
    Identifier,
    IdentifierScheme,
    Link,
    LinkCheck,
    LinkStatus,
)
from citecheck.resolve import classify
from citecheck.resolve.links import LinkRun
from citecheck.validate.rules import finding

_RULES = {
    LinkStatus.BROKEN: "broken-link",
    LinkStatus.UNREACHABLE: "unreachable-link",
    LinkStatus.BLOCKED: "blocked-link",
    LinkStatus.SOFT_404: "soft-404",
    LinkStatus.REDIRECTED: "redirected-link",
    LinkStatus.INVALID: "invalid-url",
}
_MESSAGES = {
    "broken-link": "broken link ({detail})",
    "unreachable-link": "the server could not be reached ({detail})",
    "blocked-link": "the server refused an automated check ({detail})",
    "soft-404": "the page answers but is not there ({detail})",
    "redirected-link": "the link is permanently redirected to {final}",
    "invalid-url": "malformed URL ({detail})",
    "unresolved-doi": "doi.org does not know this DOI",
}


def check(document: Document, run: LinkRun) -> list[Finding]:
    """Findings for the document's links (note links, and body links that were checked), each
    in the file the link or identifier is in."""
    found: list[Finding] = []
    for note in document.notes:
        for link in note.links:
            found += _link_findings(document.path, note.label, link, run.checks.get(link.url))
        if not note.identifiers:
            continue
        cited = set(note.urls)
        note_path = note.path or document.path
        for identifier in note.identifiers:
            located = _identifier_findings(note_path, note.label, identifier, cited, run)
            found += _placed(located, identifier.location or note.location)
    for link in document.body_links:
        found += _link_findings(document.path, None, link, run.checks.get(link.url))
    return found


def _link_findings(
    document_path: str, label: str | None, link: Link, result: LinkCheck | None
) -> list[Finding]:
    if result is None:
        return []
    located = _findings(link.path or document_path, label, link.line, link.column, link.url, result)
    return _placed(located, link.location)


def _placed(found: list[Finding], location: str | None) -> list[Finding]:
    return [replace(item, location=location) for item in found] if location else found


def _identifier_findings(
    path: str, label: str | None, identifier: Identifier, cited: set[str], run: LinkRun
) -> list[Finding]:
    where = (path, identifier.line, identifier.column, label)
    if identifier.scheme is IdentifierScheme.ISBN and not identifier.valid:
        return [
            finding(
                "invalid-isbn",
                *where,
                f"ISBN {identifier.raw!r} has a bad check digit",
                found=identifier.value,
            )
        ]
    if identifier.scheme is not IdentifierScheme.DOI:
        return []
    if not identifier.valid:
        return [
            finding(
                "invalid-doi",
                *where,
                f"{identifier.value!r} is not a DOI (10.NNNN/...)",
                found=identifier.value,
            )
        ]
    url = classify.doi_url(identifier.value, run.doi_resolver)
    standard = classify.doi_url(identifier.value)
    result = run.checks.get(url)
    if result is None or url in cited or any(_same_doi(standard, c) for c in cited):
        return []
    return _findings(path, label, identifier.line, identifier.column, url, result, doi=True)


def _same_doi(url: str, cited: str) -> bool:
    return cited.lower().replace("http://", "https://").replace("dx.doi.org", "doi.org") == url


def _findings(
    path: str,
    label: str | None,
    line: int,
    column: int,
    url: str,
    result: LinkCheck,
    doi: bool = False,
) -> list[Finding]:
    """``doi``: the URL is the resolver's for a DOI in the note (any configured resolver)."""
    rule = _RULES.get(result.status)
    if rule == "broken-link" and (doi or _is_doi(url)) and result.http_status == 404:
        rule = "unresolved-doi"
    flags = classify.flags(result.detail) if result.detail else {}
    if rule is None and not flags:
        return []  # most links: nothing to say
    out = []
    where = (path, line, column, label)
    details = _details(result)
    if rule is not None:
        message = _MESSAGES[rule].format(
            detail=result.detail or result.status.value, final=result.final_url
        )
        message += _first_failure(result)
        suggestion = result.final_url if rule == "redirected-link" else None
        out.append(finding(rule, *where, message, url=url, suggestion=suggestion, details=details))
    if classify.MISSING_ANCHOR in flags and result.status in (LinkStatus.OK, LinkStatus.REDIRECTED):
        anchor = flags[classify.MISSING_ANCHOR]
        out.append(
            finding(
                "missing-anchor",
                *where,
                f"the page defines no anchor {anchor}",
                url=url,
                found=anchor,
                details=details,
            )
        )
    if classify.HTTPS_TWIN in flags:
        twin = flags[classify.HTTPS_TWIN]
        out.append(
            finding(
                "insecure-link",
                *where,
                f"the page is also served at {twin}",
                url=url,
                suggestion=twin,
                details=details,
            )
        )
    return out


def _details(result: LinkCheck) -> dict[str, Any]:
    details: dict[str, Any] = {
        "final_url": result.final_url,
        "status": result.http_status,
        "chain": list(result.chain),
        "attempts": result.attempts,
        "outcome": result.status.value,
    }
    if result.history:
        details["history"] = list(result.history)
    return details


def _first_failure(result: LinkCheck) -> str:
    """A failure right after successes says so: it may be passing."""
    if not result.history or not result.status.is_error:
        return ""
    last = result.history[-1]
    if last.split("@", 1)[0] in (LinkStatus.OK.value, LinkStatus.REDIRECTED.value):
        return f"; first failure, it answered on {last.split('@', 1)[1]}"
    return ""


def _is_doi(url: str) -> bool:
    return url.startswith(("https://doi.org/", "http://doi.org/", "https://dx.doi.org/"))
