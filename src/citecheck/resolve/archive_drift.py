"""The archive at check time: has a cited source drifted from its capture, and where is a
copy of a source that is gone.

    drift_findings(documents, archive_dir, options) -> content-drift and bad-capture findings
    archived_copy(url, archive_dir) -> a Wayback URL or a WARC and date, or None

The captured page is read from its response record (warcio, at the manifest's offset); the
live page is fetched with the archiver's client, so the same address checks and per-host
limits apply.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from citecheck.errors import ArchiveError
from citecheck.model import Capture, Document, Finding
from citecheck.options import Options
from citecheck.resolve import loop
from citecheck.resolve.archive_capture import Politeness, fetch, make_client
from citecheck.resolve.archive_store import MANIFEST, State, as_capture, load_state
from citecheck.resolve.archive_warc import utc_now
from citecheck.validate.archive_checks import check_drift, main_text

LiveFetch = Callable[[str], str | None]
"""The live page's HTML for a URL, or None when it cannot be had."""
TEXT_CAP = 5 * 1024 * 1024
_HTML = ("text/html", "application/xhtml+xml")


def drift_findings(
    documents: Sequence[Document],
    archive_dir: str,
    options: Options,
    live_fetch: LiveFetch | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Finding]:
    """content-drift and bad-capture findings for the URLs the documents' notes link to.

    URLs without a capture in ``archive_dir`` are left out; so are captures that are not
    HTML (unless they are error answers) and live pages that cannot be fetched.
    """
    state = _state(archive_dir)
    urls = sorted({link.url for d in documents for n in d.notes for link in n.links})
    captures: dict[str, Capture] = {}
    captured: dict[str, str] = {}
    for url in urls:
        found = _captured_page(state, archive_dir, url)
        if found is not None:
            captures[url], captured[url] = found
    if options.offline:
        pages: dict[str, str | None] = {}
    elif live_fetch is not None:
        pages = {url: live_fetch(url) for url in captured}
    else:
        pages = loop.run(_fetch_live(list(captured), options, transport))
    live = {url: main_text(page) for url, page in pages.items() if page is not None}
    return [f for d in documents for f in check_drift(d, captures, captured, live)]


def archived_copy(url: str, archive_dir: str) -> str | None:
    """Where a copy of ``url`` can be seen: its Wayback snapshot if the manifest has one,
    else its own 2xx capture ("DIR/FILE.warc.gz, captured YYYY-MM-DD"); None if neither."""
    state = _state(archive_dir)
    snapshot = state.urls.get(url, {}).get("wayback") or {}
    if snapshot.get("replay_url"):
        return str(snapshot["replay_url"])
    chain = state.latest(url)
    if not chain or not 200 <= int(chain[-1]["status"]) < 300:
        return None
    warc = os.path.join(archive_dir, chain[-1]["warc_file"])
    return f"{warc}, captured {chain[0]['timestamp'][:10]}"


def _state(archive_dir: str) -> State:
    path = os.path.join(archive_dir, MANIFEST)
    try:
        stamp = os.stat(path).st_mtime_ns
    except FileNotFoundError as error:
        message = f"no captures yet (no {MANIFEST}); run citecheck archive --out {archive_dir}"
        raise ArchiveError(message, archive_dir) from error
    except OSError as error:
        raise ArchiveError(f"cannot read the manifest: {error.strerror}", path) from error
    return _load(archive_dir, stamp)


@functools.lru_cache(maxsize=4)
def _load(archive_dir: str, stamp: int) -> State:
    """The folder's state, read once per version of its manifest."""
    return load_state(archive_dir)


def _captured_page(state: State, folder: str, url: str) -> tuple[Capture, str] | None:
    """The final capture of ``url`` and its main text ("" for an error answer)."""
    chain = state.latest(url)
    if not chain:
        return None
    final = chain[-1]
    capture = as_capture(final)
    html = _is_html(final.get("content_type"))
    if not html and capture.status < 400:
        return None
    if not html:
        return capture, ""
    body, charset = _read_payload(folder, _response_of(state, final))
    return capture, main_text(body.decode(charset, "replace")) if body else ""


def _response_of(state: State, item: dict[str, Any]) -> tuple[str, int]:
    """(WARC file, offset) of the record holding the capture's payload (a revisit's original)."""
    if not item.get("revisit"):
        return item["warc_file"], int(item["offset"])
    for entry in sorted(state.index):
        if entry.digest == item["digest"] and entry.mime != "warc/revisit":
            return entry.filename, entry.offset
    return item["warc_file"], int(item["offset"])


def _read_payload(folder: str, where: tuple[str, int]) -> tuple[bytes, str]:
    """The decoded payload (up to TEXT_CAP) of the record at ``where``, and its charset."""
    path = os.path.join(folder, where[0])
    try:
        with open(path, "rb") as handle:
            handle.seek(where[1])
            record = next(iter(ArchiveIterator(handle)))
            if record.rec_type != "response":
                return b"", "utf-8"
            content_type = record.http_headers.get_header("Content-Type") or ""
            return record.content_stream().read(TEXT_CAP), _charset(content_type)
    except (OSError, StopIteration, ArchiveLoadFailed, zlib.error, EOFError) as error:
        raise ArchiveError(f"cannot read the record at offset {where[1]}: {error}", path) from error


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value.strip('"'):
            try:
                return codecs.lookup(value.strip('"')).name
            except LookupError:
                break
    return "utf-8"


def _is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() in _HTML


# -- the live page ----------------------------------------------------------------------


async def _fetch_live(
    urls: Iterable[str], options: Options, transport: httpx.AsyncBaseTransport | None
) -> dict[str, str | None]:
    politeness = Politeness(options)
    wanted = list(urls)
    async with make_client(options, transport) as client:
        pages = await asyncio.gather(*(_live_page(client, politeness, u, options) for u in wanted))
    return dict(zip(wanted, pages, strict=True))


async def _live_page(
    client: httpx.AsyncClient, politeness: Politeness, url: str, options: Options
) -> str | None:
    """The HTML the URL leads to now, following redirects; None for errors and non-HTML."""
    for _ in range(options.max_redirects + 1):
        try:
            async with politeness.slot(url):
                hop = await fetch(
                    client,
                    url,
                    cap=TEXT_CAP,
                    digest="sha256",
                    clock=utc_now,
                    headers=politeness.headers(url),
                )
        except (httpx.HTTPError, httpx.InvalidURL, OSError):
            return None
        try:
            if hop.location is None:
                return _live_html(hop.status, hop.content_type, hop.head(TEXT_CAP))
        finally:
            hop.close()
        url = hop.location
    return None


def _live_html(status: int, content_type: str | None, body: bytes) -> str | None:
    if status >= 400 or not _is_html(content_type):
        return None
    return body.decode(_charset(content_type or ""), "replace")
