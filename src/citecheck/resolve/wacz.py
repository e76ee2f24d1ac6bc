"""Packaging an archive folder as WACZ 1.1.1: one zip that replay tools open directly.

archive/*.warc.gz      the closed WARCs, stored (not deflated) so offsets stay valid
indexes/index.cdxj     the CDXJ index
pages/pages.jsonl      one page per cited URL
datapackage.json       every file with its size and sha256
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from citecheck.resolve.archive_store import INDEX, MANIFEST, closed_warcs
from citecheck.resolve.archive_warc import Clock, utc_now

WACZ_VERSION = "1.1.1"
WACZ_NAME = "archive.wacz"
_CHUNK = 1 << 20


def write_wacz(folder: str, *, clock: Clock | None = None, name: str = WACZ_NAME) -> str:
    """Write ``folder/name`` (replaced atomically) from the folder's WARCs, index and manifest."""
    moment = (clock or utc_now)()
    target = os.path.join(folder, name)
    temporary = f"{target}.tmp-{os.getpid()}"
    resources: list[dict[str, Any]] = []
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for warc in closed_warcs(folder):
            resources.append(
                _add_file(archive, os.path.join(folder, warc), f"archive/{warc}", moment)
            )
        index = _read(os.path.join(folder, INDEX))
        resources.append(_add_bytes(archive, "indexes/index.cdxj", index, moment))
        pages = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in _pages(folder))
        resources.append(_add_bytes(archive, "pages/pages.jsonl", pages.encode(), moment))
        package = _datapackage(resources, moment)
        package_bytes = json.dumps(package, indent=1).encode()
        _add_bytes(archive, "datapackage.json", package_bytes, moment)
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
        }
        _add_bytes(archive, "datapackage-digest.json", json.dumps(digest).encode(), moment)
    os.replace(temporary, target)
    return target


def _read(path: str) -> bytes:
    if not os.path.exists(path):
        return b""
    with open(path, "rb") as handle:
        return handle.read()


def _info(path: str, moment: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    return info


def _resource(path: str, size: int, digest: str) -> dict[str, Any]:
    return {
        "name": os.path.basename(path).lower(),
        "path": path,
        "hash": f"sha256:{digest}",
        "bytes": size,
    }


def _add_file(archive: zipfile.ZipFile, source: str, path: str, moment: datetime) -> dict[str, Any]:
    hasher = hashlib.sha256()
    size = 0
    with (
        open(source, "rb") as handle,
        archive.open(_info(path, moment), "w", force_zip64=True) as out,
    ):
        while chunk := handle.read(_CHUNK):
            hasher.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return _resource(path, size, hasher.hexdigest())


def _add_bytes(
    archive: zipfile.ZipFile, path: str, data: bytes, moment: datetime
) -> dict[str, Any]:
    archive.writestr(_info(path, moment), data)
    return _resource(path, len(data), hashlib.sha256(data).hexdigest())


def _pages(folder: str) -> Iterator[dict[str, Any]]:
    yield {"format": "json-pages-1.0", "id": "pages", "title": "Cited sources"}
    manifest_path = os.path.join(folder, MANIFEST)
    if not os.path.exists(manifest_path):
        return
    with open(manifest_path, encoding="utf-8") as handle:
        documents = json.load(handle).get("documents", {})
    seen: set[str] = set()
    for notes in documents.values():
        for label, urls in notes.items():
            for url, record in urls.items():
                captures = record.get("captures") or []
                if url in seen or not captures:
                    continue
                seen.add(url)
                starts = [c for c in captures if c.get("hop", 0) == 0] or captures
                first = starts[-1]
                yield {
                    "id": hashlib.sha1(url.encode()).hexdigest()[:16],
                    "url": url,
                    "ts": first["timestamp"],
                    "title": f"note {label}",
                }


def _datapackage(resources: list[dict[str, Any]], moment: datetime) -> dict[str, Any]:
    from citecheck.resolve.archive import software

    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": "citecheck archive of cited sources",
        "software": software(),
        "created": stamp,
        "modified": stamp,
        "resources": resources,
    }
