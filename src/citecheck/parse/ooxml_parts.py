"""Where the parts of a .docx are: the main document and what its relationships name."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from citecheck.parse.ooxml_package import read_xml

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
DEFAULT_MAIN = "word/document.xml"


@dataclass(frozen=True)
class Relationships:
    """The relationships of one part: external targets by id, internal parts by type."""

    external: dict[str, str]
    parts: dict[str, str]
    """Part names by the last segment of the relationship type (footnotes, comments ...)."""


def relationships(archive: zipfile.ZipFile, part: str, path: str) -> Relationships:
    """The relationships of ``part``, read from its ``_rels/<name>.rels`` sibling."""
    folder, name = posixpath.split(part)
    root = read_xml(archive, posixpath.join(folder, "_rels", name + ".rels"), path)
    external: dict[str, str] = {}
    parts: dict[str, str] = {}
    for item in () if root is None else root.iter(_RELS):
        target = item.get("Target", "")
        if item.get("TargetMode", "").lower() == "external":
            external[item.get("Id", "")] = target
        else:
            kind = item.get("Type", "").rsplit("/", 1)[-1]
            parts.setdefault(kind, resolve(folder, target))
    return Relationships(external, parts)


def resolve(folder: str, target: str) -> str:
    """A relationship target as a member name of the zip."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def main_part(archive: zipfile.ZipFile, path: str) -> str | None:
    """The main document part named by the package relationships, or word/document.xml."""
    package = relationships(archive, "", path)
    named = package.parts.get(_OFFICE_DOCUMENT.lstrip("/"))
    names = set(archive.namelist())
    for candidate in (named, DEFAULT_MAIN):
        if candidate and candidate in names:
            return candidate
    return None
