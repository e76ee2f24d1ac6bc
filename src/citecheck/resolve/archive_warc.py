"""Writing WARC 1.1 files record by record, one gzip member per record, and their CDXJ lines.

A file is written as ``NAME.warc.gz.open`` and renamed to ``NAME.warc.gz`` only once it is
complete and synced, so a closed WARC is always whole. Dates and record ids come from an
injected clock and id factory, and gzip members carry no mtime, so output can be compared
byte for byte.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

Clock = Callable[[], datetime]
RecordIds = Callable[[], str]
OPEN_SUFFIX = ".open"
COMPRESS_LEVEL = 2
"""zlib level 2: a third of level 6's CPU on text, output about 15% larger."""
STORED = 0
_SAMPLE = 16384


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_record_id() -> str:
    return str(StatusAndHeadersParser.make_warc_id())


def warc_date(moment: datetime) -> str:
    """WARC 1.1 date with microseconds: 2024-05-01T12:00:00.000000Z."""
    return str(datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def timestamp14(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


class RawHeaders(StatusAndHeaders):  # type: ignore[misc]
    """HTTP headers whose serialised form is the bytes seen on the wire, not a re-encoding."""

    def __init__(
        self, statusline: str, headers: list[tuple[str, str]], protocol: str, raw: bytes
    ) -> None:
        super().__init__(statusline, headers, protocol)
        self.raw = raw

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self.raw


class _GzipMember:
    """A file-like sink that writes one gzip member (mtime 0) into ``out``."""

    def __init__(self, out: IO[bytes], level: int = COMPRESS_LEVEL) -> None:
        # wbits 31: gzip container; zlib writes mtime 0 and no file name: deterministic
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
        self._out = out

    def write(self, data: bytes) -> int:
        self._out.write(self._compressor.compress(data))
        return len(data)

    def flush(self) -> None:
        self._out.write(self._compressor.flush())


class _Builder(WARCWriter):  # type: ignore[misc]
    """warcio's writer with an injected clock, record ids and digest algorithm."""

    def __init__(self, clock: Clock, record_ids: RecordIds, digest: str) -> None:
        super().__init__(None, gzip=False, warc_version="1.1")
        self._clock = clock
        self._record_ids = record_ids
        self._digest = digest

    def _make_warc_id(self) -> str:
        return self._record_ids()

    def curr_warc_date(self) -> str:
        return warc_date(self._clock())

    def _create_digester(self) -> Digester:
        return Digester(self._digest)


@dataclass(frozen=True)
class Written:
    """Where a record landed: its file, offset and compressed length."""

    record_id: str
    warc_file: str
    offset: int
    length: int


@dataclass(frozen=True)
class HttpMessage:
    """One request or response as exchanged: raw header block and a seekable body."""

    headers: RawHeaders
    body: IO[bytes]
    length: int
    payload_digest: str | None = None
    block_digest: str | None = None


class WarcFile:
    """An open WARC being written; :meth:`close` syncs it and drops the ``.open`` suffix."""

    def __init__(
        self, folder: str, name: str, clock: Clock, record_ids: RecordIds, digest: str = "sha256"
    ) -> None:
        self.folder = folder
        self.name = name
        self.digest = digest
        self._path = os.path.join(folder, name + OPEN_SUFFIX)
        self._file: IO[bytes] = open(self._path, "xb")  # noqa: SIM115
        self._builder = _Builder(clock, record_ids, digest)
        self.records = 0
        self.size = 0

    def write(self, record: Any, level: int = COMPRESS_LEVEL) -> Written:
        offset = self._file.tell()
        self._builder.out = _GzipMember(self._file, level)
        self._builder.write_record(record)
        self.records += 1
        self.size = self._file.tell()
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        return Written(record_id, self.name, offset, self.size - offset)

    def warcinfo(self, fields: Iterable[tuple[str, str]]) -> Written:
        payload = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
        headers = StatusAndHeaders("", [], protocol="WARC/1.1")
        headers.add_header("WARC-Type", "warcinfo")
        headers.add_header("WARC-Record-ID", self._builder._make_warc_id())
        headers.add_header("WARC-Filename", self.name)
        headers.add_header("WARC-Date", self._builder.curr_warc_date())
        record = self._builder.create_warc_record(
            "", "warcinfo", warc_headers=headers, payload=BytesIO(payload), length=len(payload)
        )
        return self.write(record)

    def exchange(
        self,
        uri: str,
        date: str,
        request: HttpMessage,
        response: HttpMessage,
        extra: dict[str, str],
    ) -> tuple[Written, Written]:
        """A response record and its request record, linked by WARC-Concurrent-To."""
        headers = {"WARC-Date": date, **extra}
        if response.payload_digest and response.block_digest:
            headers["WARC-Payload-Digest"] = response.payload_digest
            headers["WARC-Block-Digest"] = response.block_digest
        resp = self._builder.create_warc_record(
            uri,
            "response",
            payload=response.body,
            length=response.length,
            warc_headers_dict=headers,
            http_headers=response.headers,
        )
        written = self.write(resp, compress_level(response.body, response.length))
        return written, self.request(uri, date, request, written.record_id)

    def request(self, uri: str, date: str, request: HttpMessage, concurrent_to: str) -> Written:
        record = self._builder.create_warc_record(
            uri,
            "request",
            payload=request.body,
            length=request.length,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
            http_headers=request.headers,
        )
        return self.write(record)

    def revisit(
        self,
        uri: str,
        date: str,
        response: HttpMessage,
        refers_to: tuple[str, str],
        extra: dict[str, str],
    ) -> Written:
        """A revisit record (identical-payload-digest profile): headers only, no body."""
        assert response.payload_digest
        record = self._builder.create_revisit_record(
            uri,
            response.payload_digest,
            refers_to[0],
            refers_to[1],
            http_headers=response.headers,
            warc_headers_dict={"WARC-Date": date, **extra},
        )
        return self.write(record)

    def metadata(
        self, uri: str, date: str, concurrent_to: str, fields: Iterable[tuple[str, str]]
    ) -> Written:
        payload = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
        record = self._builder.create_warc_record(
            uri,
            "metadata",
            payload=BytesIO(payload),
            length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )
        return self.write(record)

    def close(self) -> str:
        """Sync, rename to the final name, sync the folder; returns the final path."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        final = os.path.join(self.folder, self.name)
        os.link(self._path, final)  # unlike a rename, never replaces an existing WARC
        os.unlink(self._path)
        sync_folder(self.folder)
        return final

    def abandon(self) -> None:
        self._file.close()
        os.unlink(self._path)


def compress_level(body: IO[bytes], length: int) -> int:
    """COMPRESS_LEVEL, or stored blocks for a body that does not deflate (images, video, most
    PDFs, gzip-encoded pages): deflating it again costs CPU and saves nothing."""
    if length < _SAMPLE:
        return COMPRESS_LEVEL
    start = body.tell()
    sample = body.read(_SAMPLE)
    body.seek(start)
    return STORED if len(zlib.compress(sample, 1)) > 0.97 * len(sample) else COMPRESS_LEVEL


def sync_folder(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def revisit_profile() -> str:
    return str(RecordBuilder.REVISIT_PROFILE_1_1)


# -- CDXJ -------------------------------------------------------------------------------


def surt(url: str) -> str:
    """Sort-friendly URI Reordering Transform, as pywb and the Wayback Machine key indexes.

    ``https://www.Example.org:443/a/B?z=1&a=2#f`` becomes ``org,example)/a/b?a=2&z=1``.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().strip(".")
    first, _, rest = host.partition(".")
    if first.startswith("www") and rest and (first[3:] == "" or first[3:].isdigit()):
        host = rest
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = None
    key = ",".join(reversed(host.split("."))) if host else ""
    if port is not None and port != default:
        key += f":{port}"
    path = parts.path or "/"
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    result = f"{key}){path}" + (f"?{query}" if query else "")
    return result.lower()


@dataclass(frozen=True, order=True)
class IndexEntry:
    """One line of the CDXJ index: a response or revisit record."""

    key: str
    timestamp: str
    url: str
    mime: str
    status: int
    digest: str
    length: int
    offset: int
    filename: str

    def line(self) -> str:
        fields = {
            "url": self.url,
            "mime": self.mime,
            "status": str(self.status),
            "digest": self.digest,
            "length": str(self.length),
            "offset": str(self.offset),
            "filename": self.filename,
        }
        return f"{self.key} {self.timestamp} {json.dumps(fields, ensure_ascii=False)}"

    @classmethod
    def parse(cls, line: str) -> IndexEntry:
        key, timestamp, rest = line.rstrip("\n").split(" ", 2)
        data = json.loads(rest)
        return cls(
            key,
            timestamp,
            data["url"],
            data.get("mime", "-"),
            int(data.get("status") or 0),
            data.get("digest", ""),
            int(data["length"]),
            int(data["offset"]),
            data["filename"],
        )


def read_index(path: str) -> Iterator[IndexEntry]:
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield IndexEntry.parse(line)
