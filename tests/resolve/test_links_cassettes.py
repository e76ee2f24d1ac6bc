"""Replaying cassettes through httpx's own transport (the one vcrpy patches)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import vcr

from citecheck.model import Document, Identifier, IdentifierScheme, Link, LinkStatus, Note
from citecheck.options import Options
from citecheck.resolve.links import check_links, check_urls
from citecheck.validate import links as link_rules

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
OPTIONS = Options(cache=None, max_retries=0)
INSTAGRAM = "https://www.instagram.com/tv/CZSXfrpBv7a/?utm_source=ig_web_copy_link"


def _path(request: Any) -> str:
    path = str(request.path)
    return "/citecheck-probe-recorded" if path.startswith("/citecheck-probe-") else path


def _same_path(r1: Any, r2: Any) -> None:
    assert _path(r1) == _path(r2)


def _recorder() -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="none",
        match_on=["method", "host", "probe_path", "query"],
    )
    recorder.register_matcher("probe_path", _same_path)
    return recorder


def test_doi_org_redirect_and_unknown_doi() -> None:
    urls = ["https://doi.org/10.1126/science.169.3946.635", "https://doi.org/10.1126/foo"]
    with _recorder().use_cassette("doi-org-redirect.handwritten.yaml"):
        run = asyncio.run(check_urls(urls, OPTIONS, transport="httpx"))
    found = run.checks[urls[0]]
    assert found.status is LinkStatus.OK
    assert found.final_url == "https://www.science.org/doi/10.1126/science.169.3946.635"
    assert found.chain[0] == urls[0]
    unknown = run.checks[urls[1]]
    assert unknown.status is LinkStatus.BROKEN and unknown.http_status == 404
    note = Note(
        "1",
        3,
        1,
        "doi:10.1126/foo",
        identifiers=(Identifier(IdentifierScheme.DOI, "10.1126/foo", "doi:10.1126/foo", 3, 5),),
    )
    findings = link_rules.check(Document("essay.md", "markdown", "", notes=(note,)), run)
    assert [f.rule for f in findings] == ["unresolved-doi"]
    assert findings[0].details["status"] == 404


def test_instagram_login_wall_is_blocked(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    link = Link(INSTAGRAM, 40, 60, INSTAGRAM)
    note = Note("1", 40, 1, f"The related episode: {INSTAGRAM}", links=(link,))
    document = Document("learning-for-freedom.txt", "plaintext", "", notes=(note,))
    with _recorder().use_cassette("instagram-login-wall.handwritten.yaml"):
        run = check_links([document], replace(OPTIONS), transport="httpx")
    result = run.checks[INSTAGRAM]
    assert result.status is LinkStatus.BLOCKED
    assert "login" in result.detail
    findings = link_rules.check(document, run)
    assert [(f.rule, f.line, f.column, f.label) for f in findings] == [
        ("blocked-link", 40, 60, "1")
    ]
    assert findings[0].details["final_url"].startswith("https://www.instagram.com/accounts/login/")
