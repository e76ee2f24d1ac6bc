"""Zip packages (.docx and .odt) read with bounds, and their XML parts parsed safely.

A part is refused when it would inflate beyond :data:`MAX_PART_SIZE` or when it inflates
far more than real XML does (a zip bomb). No parser here resolves entities, loads a DTD
or touches the network.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from citecheck.errors import InputError

MAX_PART_SIZE = 200 * 1024 * 1024
"""The largest part, uncompressed, that is read (bytes)."""
MAX_TOTAL_SIZE = 400 * 1024 * 1024
"""The largest sum of uncompressed sizes of all members (bytes)."""
MAX_RATIO = 200
"""Real XML deflates about 5-30 to 1; beyond this ratio (for parts over 1 MB) it is a bomb."""
_RATIO_FLOOR = 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


def open_package(data: bytes, path: str, kind: str) -> zipfile.ZipFile:
    """The zip archive in ``data``; ``kind`` (".docx") names the format in errors."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"not a {kind} (not a zip archive)", path) from None
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_TOTAL_SIZE:
        raise InputError(f"refusing {kind}: members inflate to {total} bytes", path)
    return archive


def read_part(archive: zipfile.ZipFile, name: str, path: str) -> bytes | None:
    """The bytes of member ``name``, or None when it is absent; bounded against bombs."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    _check_size(info, path)
    try:
        with archive.open(info) as stream:
            content = stream.read(MAX_PART_SIZE + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise InputError(f"cannot read {name}: {error}", path) from None
    if len(content) > MAX_PART_SIZE:
        raise InputError(f"refusing {name}: larger than {MAX_PART_SIZE} bytes", path)
    return content


def _check_size(info: zipfile.ZipInfo, path: str) -> None:
    size = info.file_size
    if size > MAX_PART_SIZE:
        raise InputError(f"refusing {info.filename}: inflates to {size} bytes", path)
    if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        ratio = size // max(info.compress_size, 1)
        raise InputError(
            f"refusing {info.filename}: compression ratio {ratio}:1 looks like a zip bomb", path
        )


def parse_xml(content: bytes, name: str, path: str) -> etree._Element:
    """The root element of a part; malformed XML is an InputError naming the part."""
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as error:
        raise InputError(f"malformed XML in {name}: {error.msg}", path) from None


def read_xml(archive: zipfile.ZipFile, name: str, path: str) -> etree._Element | None:
    """The parsed part ``name``, or None when the package has no such part."""
    content = read_part(archive, name, path)
    return None if content is None else parse_xml(content, name, path)
