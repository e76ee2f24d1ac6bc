"""Archiving cited sources: every URL a note cites, fetched once and kept in WARC files.

    archive_documents(documents, out_dir, options) -> ArchiveResult
    verify_archive(out_dir) -> list of problems

A run takes only what the folder lacks or holds stale, writes ``citecheck-*.warc.gz`` (each
first as ``.open``), then replaces ``index.cdxj`` and ``manifest.json`` atomically. See
docs/archiving.md for the files and the guarantees after a crash.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import httpx

from citecheck.errors import ArchiveError
from citecheck.model import Capture, Document, Severity
from citecheck.options import Options
from citecheck.resolve import loop
from citecheck.resolve.archive_capture import Hop, Politeness, fetch, make_client, page_assets
from citecheck.resolve.archive_store import (
    Entry,
    Folder,
    State,
    absorb,
    as_capture,
    index_entry,
)
from citecheck.resolve.archive_verify import verify_archive
from citecheck.resolve.archive_warc import (
    Clock,
    IndexEntry,
    RecordIds,
    WarcFile,
    new_record_id,
    timestamp14,
    utc_now,
    warc_date,
)
from citecheck.resolve.archive_wayback import fill_wayback
from citecheck.resolve.urls import url_problem
from citecheck.resolve.wayback import SavePageNow

__all__ = ["ArchiveResult", "Progress", "archive_documents", "cited_urls", "verify_archive"]

BODY_CAP = 100 * 1024 * 1024
WARC_SIZE = 1024 * 1024 * 1024
MAX_AGE = 30 * 86400.0
HTML_HEAD = 5 * 1024 * 1024
OFFLINE = "archive needs the network to capture sources"
Progress = Callable[[int, int, int], None]
"""Called after each capture with (captures done, captures planned, bytes fetched); the
number planned grows when a page's assets are queued."""


def software() -> str:
    try:
        version = metadata.version("citecheck")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"citecheck/{version}"


@dataclass(frozen=True)
class ArchiveResult:
    """What one run of the archiver did."""

    captures: tuple[Capture, ...]
    """Captures taken in this run, redirect hops and assets included."""
    manifest: str
    problems: tuple[str, ...] = ()
    """What went wrong, one line each: cited URLs not captured, assets not captured, Wayback
    lookups and Save Page Now requests that failed."""
    warc_files: tuple[str, ...] = ()
    skipped: int = 0
    """Cited URLs already captured and fresh."""
    wacz: str | None = None
    failed: tuple[str, ...] = ()
    """Cited URLs this run set out to capture and could not: no answer, more redirects than
    ``max_redirects``, or a final answer of 429 or 5xx. The next run tries them again."""
    attempted: int = 0
    """Cited URLs this run set out to capture (those missing, stale or failed before)."""
    notices: tuple[str, ...] = ()
    """What is worth knowing but went right: unfinished WARCs of a killed run removed."""

    @property
    def worst(self) -> Severity | None:
        """ERROR when a cited URL was not captured, WARNING when only something around the
        captures failed (an asset, a Wayback lookup), None when the run went right."""
        if self.failed:
            return Severity.ERROR
        return Severity.WARNING if self.problems else None


@dataclass
class _Settings:
    options: Options
    clock: Clock
    record_ids: RecordIds
    digest: str = "sha256"
    body_cap: int = BODY_CAP
    warc_size: int = WARC_SIZE
    with_assets: bool = False
    documents: tuple[str, ...] = ()
    wayback: bool = False
    saver: SavePageNow | None = None


def cited_urls(documents: Sequence[Document], options: Options) -> dict[str, list[tuple[str, str]]]:
    """Each http(s) URL cited in a note (DOIs through the resolver) -> (document, note label)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for document in documents:
        for note in document.notes:
            urls = [u for u in note.urls if u.split(":", 1)[0].lower() in ("http", "https")]
            urls += [f"{options.doi_url.rstrip('/')}/{doi}" for doi in _dois(note)]
            for url in urls:
                sources = found.setdefault(url, [])
                if (document.path, note.label) not in sources:
                    sources.append((document.path, note.label))
    return found


def _dois(note: Any) -> list[str]:
    from citecheck.model import IdentifierScheme

    return [i.value for i in note.identifiers if i.scheme is IdentifierScheme.DOI and i.valid]


def archive_documents(
    documents: Sequence[Document],
    out_dir: str,
    options: Options,
    *,
    clock: Clock | None = None,
    record_ids: RecordIds | None = None,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    with_assets: bool = False,
    wacz: bool = False,
    max_age: float | None = MAX_AGE,
    digest: str = "sha256",
    body_cap: int = BODY_CAP,
    warc_size: int = WARC_SIZE,
    wayback: bool = False,
    save: bool | SavePageNow = False,
) -> ArchiveResult:
    """Capture every URL the documents' notes cite into WARC files under ``out_dir``.

    ``clock`` and ``record_ids`` make the output reproducible; ``transport`` replaces the
    network (tests). ``max_age`` (seconds, None for never) decides when a capture is stale.
    ``wayback`` records each cited URL's closest 2xx Wayback snapshot before its capture in
    the manifest; ``save`` (True, or a configured :class:`SavePageNow`) also asks Save Page
    Now for URLs the Wayback Machine lacks.

    Archiving is fetching: with ``options.offline`` nothing is fetched or written and an
    :class:`~citecheck.errors.ArchiveError` says so.
    """
    if options.offline:
        raise ArchiveError(f"{OFFLINE}, but the options say offline", out_dir)
    saver = SavePageNow(options) if save is True else (save or None)
    settings = _Settings(
        options,
        clock or utc_now,
        record_ids or new_record_id,
        digest,
        body_cap,
        warc_size,
        with_assets,
        tuple(sorted({d.path for d in documents})),
        wayback or saver is not None,
        saver,
    )
    wanted = cited_urls(documents, options)
    unrequestable = {url: problem for url in wanted if (problem := url_problem(url))}
    for url in unrequestable:
        del wanted[url]  # check reports them as invalid-url
    folder = Folder(out_dir)
    try:
        result = loop.run(_archive(folder, wanted, settings, progress, transport, max_age))
        skipped = tuple(f"{url}: not archived: {why}" for url, why in unrequestable.items())
        result = replace(result, notices=(*result.notices, *skipped))
        if wacz:
            from citecheck.resolve.wacz import write_wacz

            result = _with_wacz(result, write_wacz(out_dir, clock=settings.clock))
        return result
    finally:
        folder.release()


def _with_wacz(result: ArchiveResult, path: str) -> ArchiveResult:
    return replace(result, wacz=path)


async def _archive(
    folder: Folder,
    wanted: dict[str, list[tuple[str, str]]],
    settings: _Settings,
    progress: Progress | None,
    transport: httpx.AsyncBaseTransport | None,
    max_age: float | None,
) -> ArchiveResult:
    notices = [
        f"discarded unfinished WARC {name} of an interrupted run" for name in folder.discard_open()
    ]
    problems: list[str] = []
    state = folder.load()
    now = settings.clock()
    todo = {url: cites for url, cites in wanted.items() if not _fresh(state, url, now, max_age)}
    for url, cites in wanted.items():
        state.cite(url, cites)
    async with make_client(settings.options, transport) as client:
        run = _Run(folder, state, settings, client, progress, len(todo))
        try:
            await asyncio.gather(*(run.capture(url, tuple(c)) for url, c in todo.items()))
            if settings.wayback:
                lookups = [u for u in wanted if u in todo or not state.url_record(u)["wayback"]]
                problems += await asyncio.to_thread(
                    fill_wayback, state, lookups, settings.options, now, settings.saver
                )
        finally:
            run.finish()
    return ArchiveResult(
        tuple(run.captures),
        os.path.join(folder.path, "manifest.json"),
        tuple(run.problems + problems),
        tuple(run.closed),
        len(wanted) - len(todo),
        failed=tuple(url for url in todo if url in run.failed),
        attempted=len(todo),
        notices=tuple(notices),
    )


def _next_sequence(folder: str) -> int:
    """One more than any WARC in the folder, so a name is never reused after a crash."""
    numbers = [0]
    for name in os.listdir(folder):
        stem = name.split(".warc.gz", 1)[0]
        if name.startswith("citecheck-") and stem.rsplit("-", 1)[-1].isdigit():
            numbers.append(int(stem.rsplit("-", 1)[-1]))
    return max(numbers) + 1


def _captured(cited: str, final: Hop | None, problems: list[str]) -> bool:
    """Whether a capture chain ended in an answer worth keeping; a 429 or 5xx answer is kept
    in the WARC but counts as failed (and is taken again next run), as no answer does."""
    if final is None:
        return False  # the fetch or the redirect limit already said why
    if _answer_failed(final.status):
        problems.append(f"{cited}: the final answer was HTTP {final.status}; tried again next run")
        return False
    return True


def _answer_failed(status: int) -> bool:
    """No status, too many requests, or a server error: the source was not really had."""
    return status in (0, 429) or status >= 500


def _fresh(state: State, url: str, now: datetime, max_age: float | None) -> bool:
    chain = state.latest(url)
    if not chain or _answer_failed(int(chain[-1]["status"])):
        return False
    if max_age is None:
        return True
    taken = datetime.strptime(chain[0]["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (now - taken).total_seconds() <= max_age


@dataclass
class _Run:
    """One run's captures: fetch, write, and commit each WARC when it closes."""

    folder: Folder
    state: State
    settings: _Settings
    client: httpx.AsyncClient
    progress: Progress | None
    planned: int
    captures: list[Capture] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    """Cited URLs (not assets) whose capture failed."""
    closed: list[str] = field(default_factory=list)
    done: int = 0
    fetched: int = 0

    def __post_init__(self) -> None:
        self._politeness = Politeness(self.settings.options)
        self._warc: WarcFile | None = None
        self._ledger: list[tuple[IndexEntry, Entry]] = []
        self._digests = self.state.digests()
        self._assets: set[str] = set()

    async def capture(
        self, cited: str, citations: tuple[tuple[str, str], ...], asset_of: str | None = None
    ) -> None:
        url, hop_index, final = cited, 0, None
        while True:
            hop = await self._fetch(url)
            if hop is None:
                break
            try:
                self._record(hop, cited, citations, hop_index, asset_of)
                final = hop if hop.location is None else None
                assets = self._page_assets(hop) if final and asset_of is None else []
            finally:
                hop.close()
            if hop.location is None:
                break
            if hop_index >= self.settings.options.max_redirects:
                self.problems.append(f"{cited}: more than {hop_index} redirects")
                break
            url, hop_index = hop.location, hop_index + 1
        if asset_of is None and not _captured(cited, final, self.problems):
            self.failed.add(cited)
        elif asset_of is not None and final is not None and _answer_failed(final.status):
            self.problems.append(f"{cited}: asset of {asset_of} answered HTTP {final.status}")
        assets_of = assets if final else []
        self.planned += len(assets_of)
        self._tick()
        if assets_of:
            await asyncio.gather(*(self.capture(a, citations, cited) for a in assets_of))

    async def _fetch(self, url: str) -> Hop | None:
        try:
            async with self._politeness.slot(url):
                return await fetch(
                    self.client,
                    url,
                    cap=self.settings.body_cap,
                    digest=self.settings.digest,
                    clock=self.settings.clock,
                    headers=self._politeness.headers(url),
                )
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
            self.problems.append(f"{url}: {type(error).__name__}: {error}")
            return None

    def _page_assets(self, hop: Hop) -> list[str]:
        if not self.settings.with_assets or "html" not in (hop.content_type or "").lower():
            return []
        fresh = [a for a in page_assets(hop.url, hop.head(HTML_HEAD)) if a not in self._assets]
        self._assets.update(fresh)
        return fresh

    def _record(
        self,
        hop: Hop,
        cited: str,
        citations: tuple[tuple[str, str], ...],
        hop_index: int,
        asset_of: str | None,
    ) -> None:
        warc = self._open_warc()
        date = warc_date(hop.date)
        extra = {"WARC-Truncated": "length"} if hop.truncated else {}
        digest = hop.response.payload_digest or ""
        earlier = self._digests.get(digest) if hop.response.length and not hop.truncated else None
        if earlier:
            written = warc.revisit(hop.url, date, hop.response, earlier, extra)
            warc.request(hop.url, date, hop.request, written.record_id)
        else:
            written, _ = warc.exchange(hop.url, date, hop.request, hop.response, extra)
            if hop.response.length and not hop.truncated:
                self._digests[digest] = (hop.url, date)
        fields = [("cited-url", asset_of or cited), ("hop", str(hop_index))]
        fields += [("asset-of", asset_of)] if asset_of else []
        for document, label in citations:
            fields += [("document", document), ("note", label)]
        warc.metadata(hop.url, date, written.record_id, fields)
        cited = asset_of or cited
        item = {
            "url": hop.url,
            "timestamp": hop.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": hop.status,
            "digest": digest,
            "warc_file": warc.name,
            "offset": written.offset,
            "length": written.length,
            "content_type": hop.content_type,
            "revisit": bool(earlier),
            "truncated": hop.truncated,
            "hop": hop_index,
        }
        kind = "revisit" if earlier else "response"
        self._ledger.append((index_entry(item, kind), Entry(item, cited, citations, asset_of)))
        self.captures.append(as_capture(item))
        self.fetched += hop.response.length
        if warc.size >= self.settings.warc_size:
            self._close_warc()

    def _open_warc(self) -> WarcFile:
        if self._warc is None:
            sequence = _next_sequence(self.folder.path)
            name = f"citecheck-{timestamp14(self.settings.clock())}-{sequence:05d}.warc.gz"
            self._warc = WarcFile(
                self.folder.path,
                name,
                self.settings.clock,
                self.settings.record_ids,
                self.settings.digest,
            )
            self._warc.warcinfo(self._warcinfo())
        return self._warc

    def _warcinfo(self) -> list[tuple[str, str]]:
        options = self.settings.options
        extra = dict(options.extra)
        fields = [
            ("software", software() + " (warcio)"),
            ("format", "WARC File Format 1.1"),
            (
                "conformsTo",
                "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            ),
        ]
        operator = extra.get("operator") or extra.get("archive.operator")
        if operator:
            fields.append(("operator", operator))
        fields.append(("http-header-user-agent", self.client.headers.get("user-agent", "")))
        fields += [("document", doc) for doc in self.settings.documents]
        return fields

    def _close_warc(self) -> bool:
        """Close the open WARC, if any, and save the manifest that lists it."""
        if self._warc is None:
            return False
        warc, self._warc = self._warc, None
        warc.close()
        self.closed.append(warc.name)
        absorb(self.state, warc.name, ([e for e, _ in self._ledger], [c for _, c in self._ledger]))
        self._ledger = []
        self.folder.save(self.state)
        return True

    def finish(self) -> None:
        if not self._close_warc():
            self.folder.save(self.state)  # new citations of URLs that were already fresh

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.planned, self.fetched)
