"""content-drift and bad-capture over captured and live texts."""

from __future__ import annotations

from citecheck.model import Capture, Document, Link, Note, Severity
from citecheck.validate.archive_checks import capture_problem, check_drift, main_text
from tests.archive_pages import ARTICLE, REWRITTEN

URL = "https://example.org/essay"


def _document() -> Document:
    note = Note("3", 12, 1, URL, links=(Link(URL, 12, 5, URL),))
    return Document("essay.md", "markdown", "", notes=(note,))


def _capture(status: int = 200) -> Capture:
    return Capture(URL, "2024-05-01T12:00:00Z", status, "sha256:X", "a.warc.gz", 0, 10)


def test_unchanged_source_gives_no_finding() -> None:
    text = main_text(ARTICLE)
    assert "Learning for freedom" in text or "Paragraph 0" in text
    assert check_drift(_document(), {URL: _capture()}, {URL: text}, {URL: text}) == []


def test_rewritten_source_drifts_with_the_capture_date() -> None:
    findings = check_drift(
        _document(), {URL: _capture()}, {URL: main_text(ARTICLE)}, {URL: main_text(REWRITTEN)}
    )
    assert [f.rule for f in findings] == ["content-drift"]
    drift = findings[0]
    assert (drift.severity, drift.line, drift.column, drift.label) == (Severity.WARNING, 12, 5, "3")
    assert "2024-05-01" in drift.message and drift.details["similarity"] < 80


def test_login_walls_cookie_banners_and_error_pages_are_bad_captures() -> None:
    assert capture_problem(200, "Please sign in to continue reading.") == "login wall"
    assert capture_problem(200, "We use cookies. Accept all cookies?") == "cookie banner"
    assert capture_problem(200, "404 Not Found") == "error page"
    assert capture_problem(503, "") == "error page (HTTP 503)"
    assert capture_problem(200, main_text(ARTICLE)) is None
    findings = check_drift(
        _document(),
        {URL: _capture()},
        {URL: "Sign in to continue. Password:"},
        {URL: main_text(ARTICLE)},
    )
    assert [f.rule for f in findings] == ["bad-capture"]
    assert findings[0].message.endswith(" is a login wall")
    error_page = check_drift(_document(), {URL: _capture()}, {URL: "404 Not Found"}, {})
    assert error_page[0].message.endswith(" is an error page")
