"""content-drift and bad-capture at check time, and archived copies of dead sources."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from citecheck.errors import ArchiveError
from citecheck.model import Document, Link, Note
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents
from citecheck.resolve.archive_drift import archived_copy, drift_findings
from tests.archive_pages import ARTICLE, REWRITTEN

OPTIONS = Options(allow_private=True)
CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _essay(*urls: str) -> Document:
    notes = tuple(
        Note(str(i + 1), i + 3, 1, u, links=(Link(u, i + 3, 5, u),)) for i, u in enumerate(urls)
    )
    return Document("essay.md", "markdown", "", notes=notes)


@pytest.fixture
def site(httpserver: HTTPServer) -> dict[str, str]:
    """Pages whose content the test changes between capture and check."""
    pages = {"/essay": ARTICLE, "/same": ARTICLE, "/login": "<p>Sign in to continue reading</p>"}

    def answer(request: Request) -> Response:
        if request.path not in pages:
            return Response("<h1>404 Not Found</h1>", status=404, content_type="text/html")
        return Response(pages[request.path], content_type="text/html; charset=utf-8")

    httpserver.expect_request("/moved").respond_with_response(
        Response(status=301, headers={"Location": "/essay"})
    )
    for path in ("/essay", "/same", "/login", "/gone"):
        httpserver.expect_request(path).respond_with_handler(answer)
    return pages


def test_a_page_rewritten_since_its_capture_drifts(
    site: dict[str, str], httpserver: HTTPServer, tmp_path: Path
) -> None:
    essay, same, moved = (httpserver.url_for(p) for p in ("/essay", "/same", "/moved"))
    document = _essay(essay, same, moved)
    archive_documents([document], str(tmp_path), OPTIONS, clock=lambda: CAPTURED)
    assert drift_findings([document], str(tmp_path), OPTIONS) == []
    site["/essay"] = REWRITTEN
    findings = drift_findings([document], str(tmp_path), OPTIONS)
    # /moved redirects to /essay: captured through its chain, fetched live through it too
    assert sorted((f.rule, f.url, f.line) for f in findings) == [
        ("content-drift", essay, 3),
        ("content-drift", moved, 5),
    ]
    assert all("2024-05-01" in f.message for f in findings)


def test_bad_captures_and_revisits_are_read_from_the_warc(
    site: dict[str, str], httpserver: HTTPServer, tmp_path: Path
) -> None:
    essay, same, login = (httpserver.url_for(p) for p in ("/essay", "/same", "/login"))
    archive_documents([_essay(essay)], str(tmp_path), OPTIONS)
    # /same has the payload of /essay: written as a revisit, read from the original record
    document = _essay(same, login)
    archive_documents([document], str(tmp_path), OPTIONS)
    site["/same"] = REWRITTEN
    findings = drift_findings([document], str(tmp_path), OPTIONS)
    assert sorted((f.rule, f.url) for f in findings) == [
        ("bad-capture", login),
        ("content-drift", same),
    ]


def test_live_pages_can_be_given(
    site: dict[str, str], httpserver: HTTPServer, tmp_path: Path
) -> None:
    essay = httpserver.url_for("/essay")
    archive_documents([_essay(essay)], str(tmp_path), OPTIONS)
    asked: list[str] = []

    def live(url: str) -> str | None:
        asked.append(url)
        return REWRITTEN

    findings = drift_findings([_essay(essay)], str(tmp_path), OPTIONS, live_fetch=live)
    assert asked == [essay] and [f.rule for f in findings] == ["content-drift"]
    assert drift_findings([_essay(essay)], str(tmp_path), OPTIONS, lambda _: None) == []


def test_archived_copy_of_a_dead_link(
    site: dict[str, str], httpserver: HTTPServer, tmp_path: Path
) -> None:
    essay, gone = httpserver.url_for("/essay"), httpserver.url_for("/gone")
    folder = tmp_path / "sources"
    result = archive_documents([_essay(essay, gone)], str(folder), OPTIONS, clock=lambda: CAPTURED)
    warc = os.path.join(str(folder), result.warc_files[0])
    assert archived_copy(essay, str(folder)) == f"{warc}, captured 2024-05-01"
    assert archived_copy(gone, str(folder)) is None  # a capture of a 404 is no copy
    assert archived_copy("https://example.org/never", str(folder)) is None
    manifest = json.loads((folder / "manifest.json").read_text())
    replay = "https://web.archive.org/web/20240301000000/" + essay
    manifest["documents"]["essay.md"]["1"][essay]["wayback"] = {"replay_url": replay}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    os.utime(folder / "manifest.json", ns=(1, 1))  # a new version, whatever the clock says
    assert archived_copy(essay, str(folder)) == replay


def test_a_folder_without_a_manifest_is_an_archive_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError) as raised:
        archived_copy("https://example.org/", str(tmp_path))
    assert str(raised.value) == (
        f"{tmp_path}: no captures yet (no manifest.json); run citecheck archive --out {tmp_path}"
    )
