"""Wayback snapshots and Save Page Now during an archive run, against a local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from citecheck.errors import ArchiveError
from citecheck.model import Document, Link, Note
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents
from citecheck.resolve.wayback import SavePageNow

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _essay(*urls: str) -> Document:
    notes = tuple(
        Note(str(i + 1), i + 1, 1, u, links=(Link(u, i + 1, 1, u),)) for i, u in enumerate(urls)
    )
    return Document("essay.md", "markdown", "", notes=notes)


@pytest.fixture
def wayback(httpserver: HTTPServer) -> tuple[HTTPServer, list[Request]]:
    """Two cited pages and a CDX API that holds snapshots of the first one only."""
    asked: list[Request] = []
    known = httpserver.url_for("/known")

    def cdx(request: Request) -> Response:
        asked.append(request)
        if request.args["url"] != known:
            return Response("")
        lines = [
            f"k 20230101000000 {known} text/html 200 AAA 10",
            f"k 20240301000000 {known} text/html 200 BBB 10",
            f"k 20240401000000 {known} text/html 404 CCC 10",
            f"k 20240601000000 {known} text/html 200 DDD 10",
        ]
        # the real API filters by ``to`` itself; this one leaves it to the client
        return Response("\n".join(lines) + "\n")

    httpserver.expect_request("/cdx/search/cdx").respond_with_handler(cdx)
    for path in ("/known", "/unknown"):
        httpserver.expect_request(path).respond_with_data("<p>x</p>", content_type="text/html")
    return httpserver, asked


def _slots(folder: Path) -> dict[str, object]:
    manifest = json.loads((folder / "manifest.json").read_text())
    notes = manifest["documents"]["essay.md"]
    return {url: record["wayback"] for note in notes.values() for url, record in note.items()}


def test_closest_2xx_snapshot_before_the_capture_fills_the_slot(
    wayback: tuple[HTTPServer, list[Request]], tmp_path: Path
) -> None:
    server, asked = wayback
    known, unknown = server.url_for("/known"), server.url_for("/unknown")
    options = Options(allow_private=True, wayback_url=server.url_for("/"))
    result = archive_documents(
        [_essay(known, unknown)], str(tmp_path), options, clock=lambda: CAPTURED, wayback=True
    )
    assert result.problems == ()
    slots = _slots(tmp_path)
    assert slots[unknown] is None
    assert slots[known] == {
        "url": known,
        "timestamp": "20240301000000",
        "status": 200,
        "replay_url": server.url_for("/").rstrip("/") + f"/web/20240301000000/{known}",
        "saved": False,
    }
    assert {r.args["to"] for r in asked} == {"20240501120000"}
    # a second run with fresh captures asks only about the URL without a snapshot
    asked.clear()
    archive_documents(
        [_essay(known, unknown)], str(tmp_path), options, clock=lambda: CAPTURED, wayback=True
    )
    assert [r.args["url"] for r in asked] == [unknown]


def test_save_page_now_for_urls_without_a_snapshot(
    wayback: tuple[HTTPServer, list[Request]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = wayback
    monkeypatch.setenv("CITECHECK_IA_ACCESS_KEY", "key")
    monkeypatch.setenv("CITECHECK_IA_SECRET_KEY", "secret")
    saved: list[str] = []

    def save(request: Request) -> Response:
        saved.append(request.form["url"])
        return Response(json.dumps({"job_id": "spn2-7"}))

    server.expect_request("/save", method="POST").respond_with_handler(save)
    server.expect_request("/save/status/spn2-7").respond_with_data(
        json.dumps({"status": "success", "timestamp": "20240501120500"})
    )
    known, unknown = server.url_for("/known"), server.url_for("/unknown")
    options = Options(allow_private=True, wayback_url=server.url_for("/"))
    saver = SavePageNow(options, interval=0, sleep=lambda _: None)
    result = archive_documents(
        [_essay(known, unknown)], str(tmp_path), options, clock=lambda: CAPTURED, save=saver
    )
    assert result.problems == () and saved == [unknown]
    slot = _slots(tmp_path)[unknown]
    assert slot == {
        "url": unknown,
        "timestamp": "20240501120500",
        "status": None,
        "replay_url": server.url_for("/").rstrip("/") + f"/web/20240501120500/{unknown}",
        "saved": True,
    }


def test_nothing_is_asked_or_fetched_offline(
    wayback: tuple[HTTPServer, list[Request]], tmp_path: Path
) -> None:
    server, asked = wayback
    options = Options(allow_private=True, wayback_url=server.url_for("/"), offline=True)
    folder = tmp_path / "sources"
    with pytest.raises(ArchiveError, match="archive needs the network"):
        archive_documents([_essay(server.url_for("/known"))], str(folder), options, wayback=True)
    assert asked == [] and server.log == []
    assert not folder.exists()


def _archive_command(folder: Path, *flags: str, env: dict[str, str] | None = None) -> int:
    command = [sys.executable, "-m", "citecheck", "archive", "essay.md", "--out", "sources"]
    command += ["--allow-private", "--no-cache", *flags]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CITECHECK_IA_")}
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, env={**environment, **(env or {})}
    )
    folder.joinpath("stderr.txt").write_text(done.stderr, encoding="utf-8")
    return done.returncode


def _cli_essay(folder: Path, server: HTTPServer) -> tuple[str, str]:
    known, unknown = server.url_for("/known"), server.url_for("/unknown")
    folder.joinpath("essay.md").write_text(
        f"A.[^1] B.[^2]\n\n[^1]: {known}\n[^2]: {unknown}\n", encoding="utf-8"
    )
    folder.joinpath("citecheck.toml").write_text(
        f'wayback_url = "{server.url_for("/")}"\n', encoding="utf-8"
    )
    return known, unknown


def test_the_command_line_records_wayback_snapshots_with_wayback(
    wayback: tuple[HTTPServer, list[Request]], tmp_path: Path
) -> None:
    server, asked = wayback
    known, unknown = _cli_essay(tmp_path, server)
    assert _archive_command(tmp_path) == 0 and asked == []
    assert _archive_command(tmp_path, "--wayback") == 0
    slots = _slots(tmp_path / "sources")
    assert slots[unknown] is None
    known_slot = slots[known]
    assert isinstance(known_slot, dict) and known_slot["status"] == 200
    assert {r.args["url"] for r in asked} == {known, unknown}


def test_save_without_credentials_is_a_one_line_error(
    wayback: tuple[HTTPServer, list[Request]], tmp_path: Path
) -> None:
    server, _ = wayback
    _cli_essay(tmp_path, server)
    assert _archive_command(tmp_path, "--save") == 2
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert stderr.strip().splitlines() == [
        "citecheck: error: Save Page Now needs CITECHECK_IA_ACCESS_KEY and CITECHECK_IA_SECRET_KEY"
    ]
