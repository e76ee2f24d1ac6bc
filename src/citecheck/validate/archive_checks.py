"""Archive rules: content-drift (the live page moved away from its capture) and bad-capture
(the capture is a login wall, a cookie banner or an error page). Pure functions over text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import lxml.html
import trafilatura
from lxml import etree
from rapidfuzz import fuzz

from citecheck.model import Capture, Document, Finding
from citecheck.validate.rules import finding

DRIFT_THRESHOLD = 80.0
"""Similarity (0-100) of main texts below which the source has drifted."""

_BAD = (
    (
        "login wall",
        re.compile(
            r"\b(sign in|log in|login)\b.{0,80}\b(to continue|to read|"
            r"to view|required|password)\b",
            re.I | re.S,
        ),
    ),
    (
        "cookie banner",
        re.compile(
            r"\b(we use cookies|cookie (settings|preferences|consent)|"
            r"accept (all )?cookies)\b",
            re.I,
        ),
    ),
    (
        "error page",
        re.compile(
            r"\b(page not found|404 not found|access denied|"
            r"internal server error|service unavailable|forbidden)\b",
            re.I,
        ),
    ),
)


def main_text(html: str) -> str:
    """The main text of a page (trafilatura), or its whitespace-normalised text as a fallback."""
    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    return " ".join((text or _all_text(html)).split())


def _all_text(html: str) -> str:
    """Every text node but scripts and styles: short pages (a login wall) have no main text."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for node in tree.xpath("//script | //style"):
        node.drop_tree()
    return str(tree.text_content())


def similarity(captured: str, live: str) -> float:
    return float(fuzz.ratio(captured, live))


def capture_problem(status: int, text: str) -> str | None:
    """Why a capture cannot stand for its source, or None. Short texts only: a long article
    that mentions cookies is still the article."""
    if status >= 400:
        return f"error page (HTTP {status})"
    if len(text) > 1500:
        return None
    for name, pattern in _BAD:
        if pattern.search(text):
            return name
    return None


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def check_drift(
    document: Document,
    captures: Mapping[str, Capture],
    captured_texts: Mapping[str, str],
    live_texts: Mapping[str, str],
    threshold: float = DRIFT_THRESHOLD,
) -> list[Finding]:
    """Findings for the document's cited URLs.

    ``captures`` maps a cited URL to its final capture, ``captured_texts`` and
    ``live_texts`` map it to the main text of the capture and of the live page.
    """
    found: list[Finding] = []
    for note in document.notes:
        for link in note.links:
            capture = captures.get(link.url)
            if capture is None or link.url not in captured_texts:
                continue
            where = (link.path or document.path, link.line, link.column, note.label)
            found += _check_one(
                where,
                link.url,
                capture,
                captured_texts[link.url],
                live_texts.get(link.url),
                threshold,
            )
    return found


def _check_one(
    where: tuple[str, int, int, str],
    url: str,
    capture: Capture,
    captured: str,
    live: str | None,
    threshold: float,
) -> Sequence[Finding]:
    problem = capture_problem(capture.status, captured)
    if problem:
        return [
            finding(
                "bad-capture",
                *where,
                f"the capture of {capture.timestamp[:10]} is {_article(problem)} {problem}",
                url=url,
                details={"capture": capture.timestamp, "warc": capture.warc_file},
            )
        ]
    if live is None:
        return []
    score = similarity(captured, live)
    if score >= threshold:
        return []
    return [
        finding(
            "content-drift",
            *where,
            f"the live page differs from the capture of {capture.timestamp[:10]} "
            f"(similarity {score:.0f}%)",
            url=url,
            details={
                "capture": capture.timestamp,
                "similarity": round(score, 1),
                "warc": capture.warc_file,
            },
        )
    ]
