"""Archiving cited URLs into WARC files, against servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import zlib
from base64 import b32encode
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import surt as reference_surt
from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from citecheck.model import Document, Identifier, IdentifierScheme, Link, Note, Severity
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents, cited_urls, verify_archive
from citecheck.resolve.archive_warc import surt

BIN = Path(sys.executable).parent
OPTIONS = Options(allow_private=True)


def essay(*urls: str, path: str = "essay.md") -> Document:
    notes = tuple(
        Note(str(i + 1), i + 1, 1, f"See {url}.", links=(Link(url, i + 1, 5, url),))
        for i, url in enumerate(urls)
    )
    return Document(path=path, format="markdown", text="", notes=notes)


def records(path: Path) -> list[tuple[str, str, dict[str, str], bytes]]:
    found = []
    for warc in sorted(path.glob("*.warc.gz")):
        with warc.open("rb") as handle:
            for record in ArchiveIterator(handle):
                headers = dict(record.rec_headers.headers)
                found.append(
                    (
                        record.rec_type,
                        headers.get("WARC-Target-URI", ""),
                        headers,
                        record.raw_stream.read(),
                    )
                )
    return found


def sha256_b32(data: bytes) -> str:
    return "sha256:" + b32encode(hashlib.sha256(data).digest()).decode()


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    page = (
        "<html><head><link rel=stylesheet href='/s.css'></head><body><p>Freedom</p>"
        "<img src='/i.png' srcset='/i.png 1x, /i2.png 2x'></body></html>"
    )
    httpserver.expect_request("/page").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/same").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/moved").respond_with_response(
        Response(status=301, headers={"Location": "/page"})
    )
    httpserver.expect_request("/s.css").respond_with_data("p{}", content_type="text/css")
    httpserver.expect_request("/i.png").respond_with_data(b"\x89PNG1", content_type="image/png")
    httpserver.expect_request("/i2.png").respond_with_data(b"\x89PNG2", content_type="image/png")
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/plain")
    return httpserver


def test_each_fetch_is_a_request_a_response_and_a_metadata_record(
    site: HTTPServer, tmp_path: Path
) -> None:
    url = site.url_for("/page")
    result = archive_documents([essay(url)], str(tmp_path), OPTIONS)
    assert result.problems == ()
    kinds = [(kind, uri) for kind, uri, _, _ in records(tmp_path)]
    assert kinds == [("warcinfo", ""), ("response", url), ("request", url), ("metadata", url)]
    _, _, info, info_body = records(tmp_path)[0]
    assert info["WARC-Filename"] == result.warc_files[0]
    assert b"software: citecheck/" in info_body and b"document: essay.md" in info_body
    _, _, response, body = records(tmp_path)[1]
    _, _, request, request_body = records(tmp_path)[2]
    _, _, meta, meta_body = records(tmp_path)[3]
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    assert meta["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    assert meta_body.decode() == f"cited-url: {url}\r\nhop: 0\r\ndocument: essay.md\r\nnote: 1\r\n"
    assert response["WARC-Payload-Digest"] == sha256_b32(body)
    assert b"Freedom" in body and request_body == b""
    capture = result.captures[0]
    assert (capture.url, capture.status, capture.warc_file) == (url, 200, result.warc_files[0])


def test_warcio_check_and_index_accept_the_warcs(site: HTTPServer, tmp_path: Path) -> None:
    archive_documents(
        [essay(site.url_for("/page"), site.url_for("/moved"))],
        str(tmp_path),
        OPTIONS,
        digest="sha1",
    )
    warcs = [str(p) for p in tmp_path.glob("*.warc.gz")]
    check = subprocess.run([BIN / "warcio", "check", "-v", *warcs], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert "digest pass" in check.stdout and "fail" not in check.stdout
    index = subprocess.run(
        [BIN / "warcio", "index", *warcs], capture_output=True, text=True, check=True
    )
    lines = [json.loads(line) for line in index.stdout.splitlines()]
    # /moved redirects to /page, captured again: the second copy is a revisit
    assert Counter(line["warc-type"] for line in lines) == {
        "warcinfo": 1,
        "response": 2,
        "revisit": 1,
        "request": 3,
        "metadata": 3,
    }
    assert all(
        r.startswith("sha1:")
        for _, _, h, _ in records(tmp_path)
        for r in [h.get("WARC-Block-Digest", "sha1:")]
    )


def test_every_redirect_hop_is_its_own_capture(site: HTTPServer, tmp_path: Path) -> None:
    moved = site.url_for("/moved")
    result = archive_documents([essay(moved)], str(tmp_path), OPTIONS)
    assert [(c.url, c.status) for c in result.captures] == [
        (moved, 301),
        (site.url_for("/page"), 200),
    ]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    captures = manifest["documents"]["essay.md"]["1"][moved]["captures"]
    assert [c["hop"] for c in captures] == [0, 1]
    meta = [body for kind, _, _, body in records(tmp_path) if kind == "metadata"]
    assert f"cited-url: {moved}\r\nhop: 1".encode() in meta[1]


def test_identical_payload_is_written_as_a_revisit(site: HTTPServer, tmp_path: Path) -> None:
    page, same = site.url_for("/page"), site.url_for("/same")
    archive_documents([essay(page)], str(tmp_path), OPTIONS)
    archive_documents([essay(page, same)], str(tmp_path), OPTIONS)
    revisits = [h for kind, _, h, _ in records(tmp_path) if kind == "revisit"]
    assert len(revisits) == 1
    assert revisits[0]["WARC-Target-URI"] == same
    assert revisits[0]["WARC-Refers-To-Target-URI"] == page
    assert revisits[0]["WARC-Profile"].endswith("/warc/1.1/revisit/identical-payload-digest")
    assert verify_archive(str(tmp_path)) == []


def test_second_run_takes_only_what_is_missing_or_stale(site: HTTPServer, tmp_path: Path) -> None:
    page, big = site.url_for("/page"), site.url_for("/big")
    first = archive_documents([essay(page)], str(tmp_path), OPTIONS)
    again = archive_documents([essay(page)], str(tmp_path), OPTIONS)
    assert (len(first.captures), len(again.captures), again.skipped) == (1, 0, 1)
    more = archive_documents([essay(page, big)], str(tmp_path), OPTIONS)
    assert [c.url for c in more.captures] == [big]
    later = datetime.now(UTC) + timedelta(days=2)
    stale = archive_documents(
        [essay(page, big)], str(tmp_path), OPTIONS, clock=lambda: later, max_age=86400
    )
    assert sorted(c.url for c in stale.captures) == [big, page]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert len(manifest["warcs"]) == 3
    assert len(manifest["documents"]["essay.md"]["1"][page]["captures"]) == 2
    assert verify_archive(str(tmp_path)) == []


def test_index_is_sorted_cdxj_with_surt_keys(site: HTTPServer, tmp_path: Path) -> None:
    archive_documents([essay(site.url_for("/page"), site.url_for("/big"))], str(tmp_path), OPTIONS)
    lines = (tmp_path / "index.cdxj").read_text().splitlines()
    keys = [line.split(" ", 2)[:2] for line in lines]
    assert keys == sorted(keys) and len(lines) == 2
    key, stamp, fields = lines[0].split(" ", 2)
    data = json.loads(fields)
    assert key == reference_surt.surt(data["url"]) and len(stamp) == 14
    assert set(data) == {"url", "mime", "status", "digest", "length", "offset", "filename"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/a?b=1&a=2",
        "https://www.Example.org:443/A/b?z=1&a=2#f",
        "http://localhost:5000/x",
        "http://www2.example.com/",
        "http://example.com",
        "https://doi.org/10.1000/XYZ",
        "http://sub.example.co.uk:80/p;x?q",
    ],
)
def test_surt_agrees_with_the_reference_implementation(url: str) -> None:
    assert surt(url) == reference_surt.surt(url)


def test_assets_of_a_page_are_captured_on_request(site: HTTPServer, tmp_path: Path) -> None:
    page = site.url_for("/page")
    result = archive_documents([essay(page)], str(tmp_path), OPTIONS, with_assets=True)
    assert sorted(c.url for c in result.captures) == sorted(
        [page] + [site.url_for(p) for p in ("/s.css", "/i.png", "/i2.png")]
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assets = manifest["documents"]["essay.md"]["1"][page]["assets"]
    assert len(assets) == 3
    assert verify_archive(str(tmp_path)) == []


def test_bodies_beyond_the_cap_are_truncated_and_marked(site: HTTPServer, tmp_path: Path) -> None:
    archive_documents([essay(site.url_for("/big"))], str(tmp_path), OPTIONS, body_cap=1000)
    response = next((h, b) for kind, _, h, b in records(tmp_path) if kind == "response")
    assert response[0]["WARC-Truncated"] == "length"
    assert response[1] == b"x" * 1000
    assert verify_archive(str(tmp_path)) == []


def test_private_addresses_are_refused_unless_allowed(site: HTTPServer, tmp_path: Path) -> None:
    result = archive_documents([essay(site.url_for("/page"))], str(tmp_path), Options())
    assert result.captures == () and "non-public" in result.problems[0]
    assert not list(tmp_path.glob("*.warc.gz"))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cited_urls_that_fail_are_named_and_taken_again(site: HTTPServer, tmp_path: Path) -> None:
    site.expect_request("/busy").respond_with_data("busy", status=503)
    site.expect_request("/limited").respond_with_data("slow down", status=429)
    page, busy, limited = (site.url_for(p) for p in ("/page", "/busy", "/limited"))
    gone = f"http://127.0.0.1:{_closed_port()}/gone"
    result = archive_documents([essay(page, busy, gone, limited)], str(tmp_path), OPTIONS)
    assert result.failed == (busy, gone, limited)
    assert (result.attempted, result.worst) == (4, Severity.ERROR)
    assert len(result.problems) == 3
    assert any(p.startswith(f"{busy}: ") and "HTTP 503" in p for p in result.problems)
    assert any(p.startswith(f"{gone}: ") for p in result.problems)
    again = archive_documents([essay(page, busy, gone, limited)], str(tmp_path), OPTIONS)
    assert (again.skipped, again.attempted, again.failed) == (1, 3, (busy, gone, limited))


def test_a_missing_asset_is_a_warning_not_a_failed_capture(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    lost = f"http://127.0.0.1:{_closed_port()}/i.png"
    httpserver.expect_request("/page").respond_with_data(
        f"<html><body><img src='{lost}'></body></html>", content_type="text/html"
    )
    page = httpserver.url_for("/page")
    result = archive_documents([essay(page)], str(tmp_path), OPTIONS, with_assets=True)
    assert (result.failed, result.attempted, result.worst) == ((), 1, Severity.WARNING)
    assert [p.split(": ")[0] for p in result.problems] == [lost]
    assert archive_documents([essay(page)], str(tmp_path), OPTIONS).worst is None


def test_an_asset_answering_5xx_is_a_warning(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<html><body><img src='/busy.png'><img src='/ok.png'></body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/busy.png").respond_with_data("no", status=503)
    httpserver.expect_request("/ok.png").respond_with_data("png", content_type="image/png")
    page = httpserver.url_for("/page")
    result = archive_documents([essay(page)], str(tmp_path), OPTIONS, with_assets=True)
    assert (result.failed, result.worst) == ((), Severity.WARNING)
    assert result.problems == (
        f"{httpserver.url_for('/busy.png')}: asset of {page} answered HTTP 503",
    )


def test_dois_are_captured_through_the_resolver(site: HTTPServer) -> None:
    note = Note(
        "1",
        1,
        1,
        "doi:10.1000/xyz",
        identifiers=(Identifier(IdentifierScheme.DOI, "10.1000/xyz", "doi:10.1000/xyz", 1, 1),),
    )
    document = Document("essay.md", "markdown", "", notes=(note,))
    options = Options(doi_url=site.url_for("/doi"))
    assert cited_urls([document], options) == {
        site.url_for("/doi") + "/10.1000/xyz": [("essay.md", "1")]
    }


# -- bytes as they were on the wire -----------------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[tuple[str, bytes]]:
    """An HTTP/1.1 server answering every request with a gzip body in chunked coding."""
    body = gzip.compress(b"<p>compressed words</p>" * 20, mtime=0)
    halves = [body[:40], body[40:]]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(h), h) for h in halves) + b"0\r\n\r\n"
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\nX-Odd-Case: kept\r\n\r\n" + chunked
    )
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/gz", body
    stop.set()
    thread.join()
    listener.close()


def test_content_encoding_is_kept_and_chunking_removed(
    raw_server: tuple[str, bytes], tmp_path: Path
) -> None:
    url, body = raw_server
    archive_documents([essay(url)], str(tmp_path), OPTIONS)
    response = next(b for kind, _, _, b in records(tmp_path) if kind == "response")
    raw = next(r for r in _raw_records(tmp_path) if r.startswith(b"WARC/1.1\r\nWARC-Date"))
    http = raw.split(b"\r\n\r\n", 1)[1]
    assert http.startswith(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        b"Content-Encoding: gzip\r\nX-Archive-Orig-Transfer-Encoding: "
        b"chunked\r\nX-Odd-Case: kept\r\n\r\n"
    )
    assert http.endswith(b"\r\n\r\n" + body + b"\r\n\r\n")
    assert response == body
    assert verify_archive(str(tmp_path)) == []


def _raw_records(folder: Path) -> list[bytes]:
    data = next(folder.glob("*.warc.gz")).read_bytes()
    members = []
    while data:
        inflater = zlib.decompressobj(31)
        members.append(inflater.decompress(data))
        data = inflater.unused_data
    return members


# -- verify -----------------------------------------------------------------------------


@pytest.fixture
def archived(site: HTTPServer, tmp_path: Path) -> Path:
    archive_documents([essay(site.url_for("/page"), site.url_for("/big"))], str(tmp_path), OPTIONS)
    assert verify_archive(str(tmp_path)) == []
    return tmp_path


def _rewrite_member(folder: Path, change: bytes, to: bytes) -> None:
    warc = next(folder.glob("*.warc.gz"))
    data = warc.read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text())
    item = next(iter(manifest["documents"]["essay.md"]["2"].values()))["captures"][0]
    start, length = item["offset"], item["length"]
    record = gzip.decompress(data[start : start + length]).replace(change, to)
    member = gzip.compress(record, mtime=0)
    warc.write_bytes(data[:start] + member + data[start + length :])


def test_verify_finds_a_flipped_byte_in_a_body(archived: Path) -> None:
    _rewrite_member(archived, b"xxxx", b"xxyx")
    problems = verify_archive(str(archived))
    assert any("digest" in p for p in problems)


def test_verify_finds_a_truncated_gzip_member(archived: Path) -> None:
    warc = next(archived.glob("*.warc.gz"))
    warc.write_bytes(warc.read_bytes()[:-25])
    problems = verify_archive(str(archived))
    assert any(warc.name in p for p in problems)


def _replace_member(folder: Path, note: str, member: bytes) -> tuple[str, int]:
    warc = next(folder.glob("*.warc.gz"))
    data = warc.read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text())
    item = next(iter(manifest["documents"]["essay.md"][note].values()))["captures"][0]
    start, length = item["offset"], item["length"]
    warc.write_bytes(data[:start] + member + data[start + length :])
    return warc.name, start


@pytest.mark.parametrize(
    "member",
    [
        gzip.compress(b"\x00\x9f\xffjunk\r\n" + bytes(range(256)) * 4, mtime=0),
        gzip.compress(b"WARC/1.1\r\nWARC-Type: resp", mtime=0),
        b"\x1f\x8b\x08\x00" + bytes(range(256)) * 2,
        gzip.compress(b"\x1b[31m not a record \x07\n\n", mtime=0)[:-6],
    ],
    ids=["binary-in-sound-gzip", "cut-after-two-headers", "bad-deflate", "cut-member"],
)
def test_verify_says_what_is_wrong_with_a_damaged_record_in_one_plain_line(
    archived: Path, member: bytes
) -> None:
    name, start = _replace_member(archived, "2", member)
    problems = verify_archive(str(archived))
    own = [p for p in problems if p.startswith(name)]
    assert own and all(p.startswith(f"{name} offset {start}: ") for p in own), problems
    for problem in problems:
        assert problem.isprintable() and "\\x" not in problem and len(problem) < 300, problem


def test_verify_finds_a_manifest_entry_without_its_record(archived: Path) -> None:
    manifest = json.loads((archived / "manifest.json").read_text())
    entry = next(iter(manifest["documents"]["essay.md"]["1"].values()))["captures"][0]
    entry["offset"] += 7
    (archived / "manifest.json").write_text(json.dumps(manifest))
    problems = verify_archive(str(archived))
    assert len(problems) == 1 and "no record there" in problems[0]


def test_verify_finds_an_index_line_for_another_record(archived: Path) -> None:
    index = archived / "index.cdxj"
    index.write_text(index.read_text().replace('"offset": "', '"offset": "1'))
    assert any("index.cdxj" in p for p in verify_archive(str(archived)))


# -- reproducible output ----------------------------------------------------------------

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "archive" / "deterministic.warc.gz"


class _Body(httpx.AsyncByteStream):
    """A streamed body, as the network gives one (httpx reads plain ``content`` eagerly)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._data


def _fixed_run(folder: Path) -> bytes:
    """A run with a fixed clock, fixed record ids and a mock network.

    To regenerate tests/data/archive/deterministic.warc.gz after an intended change of the
    output (or of citecheck's version, which the warcinfo record names), run
    ``CITECHECK_REGENERATE=1 .venv/bin/pytest tests/resolve/test_archive.py -k reproducible``
    and review the difference with ``warcio index`` before committing it.
    """
    ticks = iter(range(10_000))
    counter = iter(range(10_000))

    def clock() -> datetime:
        return datetime(2024, 5, 1, 12, 0, tzinfo=UTC) + timedelta(seconds=next(ticks))

    def record_ids() -> str:
        return f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(302, headers=[("Location", "/new")], stream=_Body(b""))
        return httpx.Response(
            200,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", '"1"')],
            stream=_Body(b"<p>Stable</p>"),
        )

    documents = [essay("https://example.org/old", "https://example.org/new")]
    options = Options(allow_private=True, concurrency=1, extra=(("operator", "Test Desk"),))
    result = archive_documents(
        documents,
        str(folder),
        options,
        clock=clock,
        record_ids=record_ids,
        transport=httpx.MockTransport(answer),
    )
    assert result.problems == ()
    return (folder / result.warc_files[0]).read_bytes()


def test_output_is_reproducible_byte_for_byte(tmp_path: Path) -> None:
    produced = _fixed_run(tmp_path / "a")
    assert _fixed_run(tmp_path / "b") == produced
    if os.environ.get("CITECHECK_REGENERATE"):
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_bytes(produced)
    assert produced == EXPECTED.read_bytes()


# -- WACZ and replay --------------------------------------------------------------------


# the validator itself leaves files open (open(...).read() in wacz.validate)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_wacz_passes_the_wacz_validator(
    site: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wacz.validate import Validation

    result = archive_documents(
        [essay(site.url_for("/page"), site.url_for("/moved"))], str(tmp_path), OPTIONS, wacz=True
    )
    assert result.wacz is not None
    validation = Validation(result.wacz)
    assert validation.version == "1.1.1"
    assert validation.check_required_contents() == 0
    assert validation.frictionless_validate()
    assert validation.check_file_paths()
    assert validation.check_file_hashes()
    assert validation.check_data_package_hash_and_sig()
    assert "1.1.1" in capsys.readouterr().out
    validation.dir.cleanup()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_pywb_replays_the_capture(site: HTTPServer, tmp_path: Path) -> None:
    page = site.url_for("/page")
    folder = tmp_path / "archive"
    result = archive_documents([essay(page)], str(folder), OPTIONS)
    (tmp_path / "config.yaml").write_text(
        f"collections:\n  cited:\n    archive_paths: {folder}/\n"
        f"    index_paths: {folder}/index.cdxj\n"
    )
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "wayback", "-p", str(port), "-b", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stamp = result.captures[0].timestamp.replace("-", "").replace(":", "").replace("T", "")
    replay = f"http://127.0.0.1:{port}/cited/{stamp[:14]}id_/{page}"
    try:
        answer = _get_when_up(replay)
    finally:
        server.terminate()
        server.wait(10)
    assert answer.status_code == 200
    assert b"<p>Freedom</p>" in answer.content


def _get_when_up(url: str) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_incompressible_bodies_are_stored_and_still_read_back(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    noise = random.Random(3).randbytes(40_000)
    httpserver.expect_request("/noise").respond_with_data(noise, content_type="image/jpeg")
    text = b"<p>" + b"words that deflate well " * 2000 + b"</p>"
    httpserver.expect_request("/text").respond_with_data(text, content_type="text/html")
    urls = [httpserver.url_for("/noise"), httpserver.url_for("/text")]
    result = archive_documents([essay(*urls)], str(tmp_path), OPTIONS)
    sizes = {c.url: c.length for c in result.captures}
    assert sizes[urls[0]] > len(noise) and sizes[urls[1]] < len(text) // 10
    warcs = [str(p) for p in tmp_path.glob("*.warc.gz")]
    check = subprocess.run([BIN / "warcio", "check", "-v", *warcs], capture_output=True, text=True)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout
    bodies = {uri: body for kind, uri, _, body in records(tmp_path) if kind == "response"}
    assert bodies == {urls[0]: noise, urls[1]: text}
    assert verify_archive(str(tmp_path)) == []


def test_request_record_is_the_request_as_sent_and_the_status_line_as_received(
    tmp_path: Path,
) -> None:
    received: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            received.append(connection.recv(65536))
            connection.sendall(b"HTTP/1.0 200 Fine Thanks\r\ncontent-TYPE: text/plain\r\n\r\nok")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x?b=1&a=%7e"
    archive_documents([essay(url)], str(tmp_path), OPTIONS)
    thread.join(5)
    listener.close()
    members = _raw_records(tmp_path)
    request = next(m for m in members if b"WARC-Type: request" in m).split(b"\r\n\r\n", 1)[1]
    response = next(m for m in members if b"WARC-Type: response" in m).split(b"\r\n\r\n", 1)[1]
    assert request == received[0] + b"\r\n\r\n"
    assert response == b"HTTP/1.0 200 Fine Thanks\r\ncontent-TYPE: text/plain\r\n\r\nok\r\n\r\n"
