"""A run killed with SIGKILL at a random moment leaves a sound archive that a rerun completes."""

from __future__ import annotations

import multiprocessing
import random
import time
from multiprocessing.synchronize import Event
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from citecheck.model import Document, Link, Note
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents, verify_archive

PAGES = 12
REPETITIONS = 24


def _essay(base: str) -> Document:
    urls = [f"{base}/p{i}" for i in range(PAGES)]
    notes = tuple(
        Note(str(i + 1), i + 1, 1, u, links=(Link(u, i + 1, 1, u),)) for i, u in enumerate(urls)
    )
    return Document("essay.md", "markdown", "", notes=notes)


def _run(base: str, folder: str, ready: Event, kill_after: int) -> None:
    def progress(done: int, planned: int, size: int) -> None:
        if done >= kill_after:
            ready.set()

    archive_documents(
        [_essay(base)],
        folder,
        Options(allow_private=True, per_host=2),
        warc_size=20_000,
        progress=progress,
    )


def _page(request: Request) -> Response:
    # incompressible bodies, so that WARCs fill up and close during the run
    noise = random.Random(request.path).randbytes(6000)
    return Response(f"<p>{request.path}</p>".encode() + noise, content_type="text/html")


def test_sigkill_at_any_moment_leaves_a_sound_archive(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/p", method="GET").respond_with_handler(_page)
    for i in range(PAGES):
        httpserver.expect_request(f"/p{i}").respond_with_handler(_page)
    base = httpserver.url_for("").rstrip("/").replace("localhost", "127.0.0.1")
    context = multiprocessing.get_context("fork")
    random.seed(7)
    killed_midway = partial = 0
    for repetition in range(REPETITIONS):
        folder = tmp_path / str(repetition)
        folder.mkdir()
        ready = context.Event()
        # The kill lands after a random number of captures (and a random moment after it),
        # so that it falls mid-run however fast or loaded the machine is.
        kill_after = random.randint(0, PAGES - 2)
        child = context.Process(target=_run, args=(base, str(folder), ready, kill_after))
        child.start()
        ready.wait(30)
        time.sleep(random.uniform(0, 0.02))
        child.kill()
        child.join()
        killed_midway += child.exitcode == -9
        assert verify_archive(str(folder)) == [], f"repetition {repetition}"
        partial += 0 < len(list(folder.glob("*.warc.gz"))) < PAGES // 2
        rerun = archive_documents([_essay(base)], str(folder), Options(allow_private=True))
        assert rerun.problems == () and rerun.failed == ()
        assert all("interrupted run" in notice for notice in rerun.notices)
        assert verify_archive(str(folder)) == []
        final = archive_documents([_essay(base)], str(folder), Options(allow_private=True))
        assert (final.captures, final.skipped) == ((), PAGES)
    assert killed_midway >= REPETITIONS // 2 and partial >= 3
