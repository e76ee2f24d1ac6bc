"""The archive's progress bar: drawn on a terminal only, fed by the archive's callback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from pytest_httpserver import HTTPServer
from rich.console import Console

from citecheck.model import Document, Link, Note
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents
from citecheck.resolve.archive_progress import ArchiveProgress


def test_draws_captures_megabytes_and_rate_on_a_terminal() -> None:
    out = StringIO()
    with ArchiveProgress(console=Console(file=out, force_terminal=True, width=120)) as bar:
        assert bar.enabled
        bar.update(3, 10, 2_500_000)
        bar.update(7, 12, 5_000_000)
    text = out.getvalue()
    assert "archive" in text and "7/12" in text and "5.0 MB" in text and "MB/s" in text


def test_prints_nothing_off_a_terminal_or_when_quiet() -> None:
    for console, quiet in ((Console(file=StringIO()), False), (None, True)):
        out = StringIO()
        console = console or Console(file=out, force_terminal=True)
        with ArchiveProgress(quiet=quiet, console=console) as bar:
            bar.update(1, 2, 100)
        assert not bar.enabled
        assert out.getvalue() == "" and console.file.getvalue() == ""  # type: ignore[attr-defined]


def test_planned_grows_with_the_assets_of_a_page(httpserver: HTTPServer, tmp_path: Path) -> None:
    page = "<html><body><img src='/a.png'><img src='/b.png'></body></html>"
    httpserver.expect_request("/page").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/a.png").respond_with_data(b"A", content_type="image/png")
    httpserver.expect_request("/b.png").respond_with_data(b"B", content_type="image/png")
    url = httpserver.url_for("/page")
    document = Document(
        "e.md", "markdown", "", notes=(Note("1", 1, 1, url, links=(Link(url, 1, 1, url),)),)
    )
    calls: list[tuple[int, int, int]] = []
    archive_documents(
        [document],
        str(tmp_path),
        Options(allow_private=True),
        with_assets=True,
        progress=lambda *call: calls.append(call),
    )
    assert calls[0][:2] == (1, 3) and calls[-1][:2] == (3, 3)
    assert calls[-1][2] == len(page) + 2
