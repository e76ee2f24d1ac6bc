"""The archive folder: closed WARCs, their CDXJ index and the manifest, kept consistent.

Only closed WARCs count. The index and the manifest are derived from them and replaced
atomically after each WARC closes; a WARC closed just before a crash, and so missing from the
manifest, is read back at the start of the next run (its metadata records name the
documents, notes and cited URLs), so nothing a closed WARC holds is ever lost.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from citecheck.errors import ArchiveError
from citecheck.files import write_atomic
from citecheck.model import Capture
from citecheck.resolve.archive_warc import OPEN_SUFFIX, IndexEntry, read_index, surt

MANIFEST = "manifest.json"
INDEX = "index.cdxj"
LOCK = ".citecheck-archive.lock"
FORMAT = "citecheck-archive/1"
CAPTURE_FIELDS = (
    "url",
    "timestamp",
    "status",
    "digest",
    "warc_file",
    "offset",
    "length",
    "content_type",
)


@dataclass(frozen=True)
class Entry:
    """A capture as the manifest keeps it, with why it was taken."""

    capture: dict[str, Any]
    cited_url: str
    citations: tuple[tuple[str, str], ...]
    asset_of: str | None = None


@dataclass
class State:
    """What the folder holds: closed WARCs, index lines, captures by cited URL."""

    warcs: list[str] = field(default_factory=list)
    index: set[IndexEntry] = field(default_factory=set)
    urls: dict[str, dict[str, Any]] = field(default_factory=dict)
    citations: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def cite(self, cited_url: str, citations: Iterable[tuple[str, str]]) -> None:
        for document, label in citations:
            urls = self.citations.setdefault(document, {}).setdefault(label, [])
            if cited_url not in urls:
                urls.append(cited_url)

    def url_record(self, cited_url: str) -> dict[str, Any]:
        return self.urls.setdefault(cited_url, {"captures": [], "assets": [], "wayback": None})

    def add(self, entry: Entry) -> None:
        record = self.url_record(entry.cited_url)
        key = "assets" if entry.asset_of else "captures"
        if entry.capture not in record[key]:
            record[key].append(entry.capture)
        self.cite(entry.cited_url, entry.citations)

    def latest(self, cited_url: str) -> list[dict[str, Any]]:
        """The most recent capture chain of a cited URL (hop 0 to the final answer)."""
        captures = self.urls.get(cited_url, {}).get("captures", [])
        starts = [i for i, c in enumerate(captures) if c.get("hop", 0) == 0]
        return captures[starts[-1] :] if starts else []

    def digests(self) -> dict[str, tuple[str, str]]:
        """Payload digest -> (URL, WARC date) of an earlier full response, for revisits."""
        seen: dict[str, tuple[str, str]] = {}
        for item in sorted(self.index):
            if item.mime != "warc/revisit" and item.digest and item.digest not in seen:
                seen[item.digest] = (item.url, iso_from14(item.timestamp))
        return seen


def iso_from14(stamp: str) -> str:
    moment = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def as_capture(data: dict[str, Any]) -> Capture:
    values: dict[str, Any] = {name: data.get(name) for name in CAPTURE_FIELDS}
    return Capture(**values)


class Folder:
    """An archive folder held under an exclusive lock for the length of a run."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            os.makedirs(path, exist_ok=True)
            self._lock: IO[str] = open(os.path.join(path, LOCK), "a")  # noqa: SIM115
        except OSError as error:
            raise ArchiveError(f"cannot write the archive folder: {error}", path) from error
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            self._lock.close()
            raise ArchiveError("another citecheck run is writing this archive", path) from error

    def release(self) -> None:
        self._lock.close()

    def discard_open(self) -> list[str]:
        """Remove WARCs a killed run left open; their captures are taken again."""
        left = sorted(glob.glob(os.path.join(self.path, "*" + OPEN_SUFFIX)))
        for name in left:
            os.unlink(name)
        return [os.path.basename(name) for name in left]

    def load(self) -> State:
        """The manifest and index, plus whatever closed WARCs they do not yet cover."""
        state = load_state(self.path)
        for name in closed_warcs(self.path):
            if name not in state.warcs:
                absorb(state, name, scan_warc(os.path.join(self.path, name)))
        return state

    def save(self, state: State) -> None:
        write_atomic(
            os.path.join(self.path, INDEX),
            "".join(entry.line() + "\n" for entry in sorted(state.index)),
        )
        write_atomic(
            os.path.join(self.path, MANIFEST),
            # no indent: json's C encoder only runs without it, five times faster
            json.dumps(manifest(state), ensure_ascii=False) + "\n",
        )


def closed_warcs(path: str) -> list[str]:
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(path, "*.warc.gz")))


def absorb(state: State, name: str, found: tuple[list[IndexEntry], list[Entry]]) -> None:
    state.index.update(found[0])
    for entry in found[1]:
        state.add(entry)
    if name not in state.warcs:
        state.warcs.append(name)
        state.warcs.sort()


def manifest(state: State) -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for document, notes in sorted(state.citations.items()):
        documents[document] = {
            label: {
                url: state.urls.get(url, {"captures": [], "assets": [], "wayback": None})
                for url in urls
            }
            for label, urls in notes.items()
        }
    return {"format": FORMAT, "warcs": state.warcs, "index": INDEX, "documents": documents}


def load_state(path: str) -> State:
    state = State()
    manifest_path = os.path.join(path, MANIFEST)
    if os.path.exists(manifest_path):
        try:
            with open(manifest_path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise ArchiveError(f"unreadable manifest: {error}", manifest_path) from error
        state.warcs = [w for w in data.get("warcs", []) if os.path.exists(os.path.join(path, w))]
        for document, notes in data.get("documents", {}).items():
            for label, urls in notes.items():
                for url, record in urls.items():
                    state.urls.setdefault(url, record)
                    state.cite(url, [(document, label)])
    try:
        state.index.update(
            e for e in read_index(os.path.join(path, INDEX)) if e.filename in state.warcs
        )
    except (OSError, ValueError, KeyError) as error:
        raise ArchiveError(f"unreadable index: {error}", os.path.join(path, INDEX)) from error
    return state


# -- reading a closed WARC back ---------------------------------------------------------


def scan_warc(path: str) -> tuple[list[IndexEntry], list[Entry]]:
    """Index lines and manifest entries recovered from a closed WARC's own records."""
    name = os.path.basename(path)
    entries: list[IndexEntry] = []
    found: list[Entry] = []
    by_id: dict[str, dict[str, Any]] = {}
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            kind = record.rec_type
            if kind in ("response", "revisit"):
                item = _record_capture(record, name, records)
                by_id[record.rec_headers.get_header("WARC-Record-ID")] = item
                entries.append(index_entry(item, kind))
            elif kind == "metadata":
                fields = _fields(record.content_stream().read())
                target = by_id.get(record.rec_headers.get_header("WARC-Concurrent-To") or "")
                if target is not None:
                    found.append(_entry(target, fields))
            records.read_to_end(record)
    return entries, found


def _record_capture(record: Any, name: str, records: Any) -> dict[str, Any]:
    headers = record.http_headers
    records.read_to_end(record)
    date = record.rec_headers.get_header("WARC-Date")
    return {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "timestamp": date[:19] + "Z",
        "status": int(headers.get_statuscode() or 0) if headers else 0,
        "digest": record.rec_headers.get_header("WARC-Payload-Digest") or "",
        "warc_file": name,
        "offset": records.get_record_offset(),
        "length": records.get_record_length(),
        "content_type": headers.get_header("Content-Type") if headers else None,
        "revisit": record.rec_type == "revisit",
        "truncated": bool(record.rec_headers.get_header("WARC-Truncated")),
    }


def _fields(payload: bytes) -> list[tuple[str, str]]:
    pairs = []
    for line in payload.decode("utf-8", "replace").split("\r\n"):
        if ": " in line:
            name, value = line.split(": ", 1)
            pairs.append((name, value))
    return pairs


def _entry(item: dict[str, Any], fields: list[tuple[str, str]]) -> Entry:
    values = dict(fields)
    documents = [v for n, v in fields if n == "document"]
    notes = [v for n, v in fields if n == "note"]
    capture = {**item, "hop": int(values.get("hop", "0"))}
    return Entry(
        capture,
        values.get("cited-url", item["url"]),
        tuple(zip(documents, notes, strict=False)),
        values.get("asset-of"),
    )


def index_entry(item: dict[str, Any], kind: str) -> IndexEntry:
    stamp = item["timestamp"].replace("-", "").replace(":", "").replace("T", "")[:14]
    mime = "warc/revisit" if kind == "revisit" else (item.get("content_type") or "unk")
    return IndexEntry(
        surt(item["url"]),
        stamp,
        item["url"],
        mime.split(";")[0].strip(),
        item["status"],
        item["digest"],
        item["length"],
        item["offset"],
        item["warc_file"],
    )


def iter_captures(state: State) -> Iterator[Capture]:
    for record in state.urls.values():
        for item in record["captures"]:
            yield as_capture(item)
