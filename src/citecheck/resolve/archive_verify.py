"""Checking an archive folder: every record re-read and its digests recomputed, and the
index and manifest checked against the records they point to."""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from citecheck.resolve.archive_store import INDEX, MANIFEST, closed_warcs
from citecheck.resolve.archive_warc import read_index

_READ = 1 << 20


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
    return problems


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
                where = f"{name} offset {offset}"
                problems += [f"{where}: {p}" for p in record.digest_checker.problems]
                headers = record.rec_headers
                found[(name, offset)] = _Record(
                    record.rec_type,
                    headers.get_header("WARC-Target-URI") or "",
                    headers.get_header("WARC-Payload-Digest") or "",
                    records.get_record_length(),
                )
                offset += records.get_record_length()
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as error:
        problems.append(f"{name}: unreadable after offset {offset}: {error}")
        return found
    if offset != size:
        problems.append(f"{name}: {size - offset} bytes after the last complete record")
    return found


def _check_members(path: str, name: str) -> list[str]:
    """Each gzip member must end with its trailer: a cut-off member is a damaged record."""
    offset, inflater = 0, zlib.decompressobj(31)
    with open(path, "rb") as handle:
        while chunk := handle.read(_READ):
            while chunk:
                try:
                    inflater.decompress(chunk)
                except zlib.error as error:
                    return [f"{name}: bad gzip data in the member at offset {offset}: {error}"]
                if not inflater.eof:
                    break
                chunk = inflater.unused_data
                offset = handle.tell() - len(chunk)
                inflater = zlib.decompressobj(31)
    if os.path.getsize(path) > offset:
        return [f"{name}: the gzip member at offset {offset} is truncated"]
    return []


def _drain(record: Any) -> None:
    while record.raw_stream.read(_READ):
        pass


def _check_index(path: str, records: dict[tuple[str, int], _Record]) -> list[str]:
    problems = []
    try:
        entries = list(read_index(os.path.join(path, INDEX)))
    except (OSError, ValueError, KeyError) as error:
        return [f"{INDEX}: unreadable: {error}"]
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


def _check_manifest(path: str, records: dict[tuple[str, int], _Record]) -> list[str]:
    manifest_path = os.path.join(path, MANIFEST)
    if not os.path.exists(manifest_path):
        return []  # a run killed before its first manifest: the next run writes it
    try:
        with open(manifest_path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        return [f"{MANIFEST}: unreadable: {error}"]
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
