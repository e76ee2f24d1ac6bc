"""Checking an archive folder: every record re-read and its digests recomputed, and the
index and manifest checked against the records they point to.

Every problem is one readable line naming the file, the place in it (a byte offset, a line)
and what is wrong; the bytes of a damaged record are never shown.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from citecheck.resolve.archive_store import INDEX, MANIFEST, closed_warcs
from citecheck.resolve.archive_warc import IndexEntry

_READ = 1 << 20
_LONGEST = 120
_UNPRINTABLE = re.compile(r"[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]")
_REQUIRED = ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length")
_TYPES = frozenset(
    "warcinfo response resource request metadata revisit conversion continuation".split()
)
_WARCIO = (
    ("Invalid WARC record", "no WARC header where the record should start"),
    ("Unknown archive format", "no WARC header where the record should start"),
    ("non-chunked gzip", "one gzip member holds more than one record"),
)


@dataclass(frozen=True)
class _Record:
    kind: str
    url: str
    digest: str
    length: int


def verify_archive(path: str) -> list[str]:
    """Problems found in the archive folder ``path``; an empty list means it is sound."""
    if not os.path.isdir(path):
        return [f"{path}: not a folder"]
    problems: list[str] = []
    records: dict[tuple[str, int], _Record] = {}
    for name in closed_warcs(path):
        problems += _check_members(os.path.join(path, name), name)
        records.update(_check_warc(path, name, problems))
    problems += _check_index(path, records)
    problems += _check_manifest(path, records)
    # URLs and types read back from damaged records may hold anything: one plain line each
    return [_UNPRINTABLE.sub("?", problem) for problem in problems]


def _check_warc(path: str, name: str, problems: list[str]) -> dict[tuple[str, int], _Record]:
    found: dict[tuple[str, int], _Record] = {}
    size = os.path.getsize(os.path.join(path, name))
    offset = 0
    try:
        with open(os.path.join(path, name), "rb") as handle:
            records = ArchiveIterator(handle, check_digests=True)
            for record in records:
                _drain(record)
                records.read_to_end(record)
                offset = records.get_record_offset()
                problems += [f"{name} offset {offset}: {p}" for p in _record_problems(record)]
                headers = record.rec_headers
                found[(name, offset)] = _Record(
                    record.rec_type,
                    headers.get_header("WARC-Target-URI") or "",
                    headers.get_header("WARC-Payload-Digest") or "",
                    records.get_record_length(),
                )
                offset += records.get_record_length()
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as error:
        problems.append(f"{name} offset {offset}: unreadable record: {readable(error)}")
        return found
    if offset != size:
        problems.append(f"{name} offset {offset}: {size - offset} bytes after the last record")
    return found


def _record_problems(record: Any) -> list[str]:
    """Digests that do not match, WARC headers that must be there and are not, an unknown type."""
    problems = [_plain(problem) for problem in record.digest_checker.problems]
    headers = record.rec_headers
    missing = [name for name in _REQUIRED if not headers.get_header(name)]
    if missing:
        problems.append(f"no {', '.join(missing)} header")
    if record.rec_type and record.rec_type not in _TYPES:
        problems.append(f"unknown record type {_plain(record.rec_type)!r}")
    return problems


def _check_members(path: str, name: str) -> list[str]:
    """Each gzip member must end with its trailer: a cut-off member is a damaged record."""
    offset, inflater = 0, zlib.decompressobj(31)
    with open(path, "rb") as handle:
        while chunk := handle.read(_READ):
            while chunk:
                try:
                    inflater.decompress(chunk)
                except zlib.error as error:
                    return [f"{name} offset {offset}: bad gzip data: {readable(error)}"]
                if not inflater.eof:
                    break
                chunk = inflater.unused_data
                offset = handle.tell() - len(chunk)
                inflater = zlib.decompressobj(31)
    if os.path.getsize(path) > offset:
        return [f"{name} offset {offset}: the gzip member is cut short"]
    return []


def readable(error: BaseException) -> str:
    """What went wrong, in one line of plain text: never the bytes that could not be read."""
    if isinstance(error, EOFError):
        return "the file ends inside the record"
    text = str(error)
    for start, meaning in _WARCIO:
        if start in text:
            return meaning
    if isinstance(error, zlib.error):
        text = text.split("while decompressing data: ", 1)[-1]
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    return _plain(text)


def _plain(text: str) -> str:
    """``text`` on one line, unprintable characters shown as ``?``, cut to a readable length."""
    flat = " ".join(_UNPRINTABLE.sub("?", text).split())
    return flat if len(flat) <= _LONGEST else flat[: _LONGEST - 1] + "…"


def _drain(record: Any) -> None:
    while record.raw_stream.read(_READ):
        pass


def _check_index(path: str, records: dict[tuple[str, int], _Record]) -> list[str]:
    entries, problems = _index_entries(os.path.join(path, INDEX))
    keys = [(e.key, e.timestamp) for e in entries]
    if keys != sorted(keys):
        problems.append(f"{INDEX}: lines are not sorted")
    for entry in entries:
        record = records.get((entry.filename, entry.offset))
        where = f"{INDEX}: {entry.url} at {entry.filename}:{entry.offset}"
        if record is None:
            problems.append(f"{where}: no record there")
        elif record.url != entry.url or record.length != entry.length:
            problems.append(f"{where}: the record there is {record.kind} {record.url}")
        elif record.digest != entry.digest:
            problems.append(f"{where}: digest {entry.digest} but the record has {record.digest}")
    return problems


def _index_entries(path: str) -> tuple[list[IndexEntry], list[str]]:
    """The index's entries, and a problem for each line that is not a CDXJ line of ours."""
    entries: list[IndexEntry] = []
    problems: list[str] = []
    if not os.path.exists(path):
        return entries, problems
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    _parse_line(line, number, entries, problems)
    except OSError as error:
        problems.append(f"{INDEX}: unreadable: {readable(error)}")
    return entries, problems


def _parse_line(line: str, number: int, entries: list[IndexEntry], problems: list[str]) -> None:
    try:
        entries.append(IndexEntry.parse(line))
    except (ValueError, KeyError, TypeError, AttributeError):
        problems.append(f"{INDEX} line {number}: not a CDXJ line with url, offset and length")


def _check_manifest(path: str, records: dict[tuple[str, int], _Record]) -> list[str]:
    manifest_path = os.path.join(path, MANIFEST)
    if not os.path.exists(manifest_path):
        return []  # a run killed before its first manifest: the next run writes it
    try:
        with open(manifest_path, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as error:
        return [f"{MANIFEST} line {error.lineno} column {error.colno}: not JSON: {error.msg}"]
    except (OSError, ValueError) as error:
        return [f"{MANIFEST}: unreadable: {readable(error)}"]
    problems = [
        f"{MANIFEST}: lists {w}, which is missing"
        for w in data.get("warcs", [])
        if not os.path.exists(os.path.join(path, w))
    ]
    for document, notes in data.get("documents", {}).items():
        for label, urls in notes.items():
            for url, entry in urls.items():
                for item in entry.get("captures", []) + entry.get("assets", []):
                    problem = _check_capture(item, records)
                    if problem:
                        problems.append(f"{MANIFEST}: {document} note {label} {url}: {problem}")
    return problems


def _check_capture(item: dict[str, Any], records: dict[tuple[str, int], _Record]) -> str | None:
    record = records.get((item.get("warc_file", ""), item.get("offset", -1)))
    where = f"capture of {item.get('url')} at {item.get('warc_file')}:{item.get('offset')}"
    if record is None:
        return f"{where}: no record there"
    if record.kind not in ("response", "revisit") or record.url != item.get("url"):
        return f"{where}: the record there is {record.kind} {record.url}"
    if record.length != item.get("length") or record.digest != item.get("digest"):
        return f"{where}: length or digest differs from the record"
    return None
