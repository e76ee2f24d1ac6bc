"""Which parser reads a file: by extension, then by content."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

FORMATS = ("text", "markdown", "html", "docx", "odt", "latex")

_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".qmd": "markdown",
    ".rmd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".tex": "latex",
    ".latex": "latex",
    ".ltx": "latex",
}

_MARKDOWN_FOOTNOTE = re.compile(rb"^ {0,3}\[\^[^\]\s]+\]:", re.MULTILINE)
_HTML = re.compile(rb"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_LATEX = re.compile(rb"\\(documentclass|begin\{document\}|footnote\{|section\{)")


def known_extension(path: str) -> bool:
    return PurePath(path).suffix.lower() in _BY_EXTENSION


def detect_format(path: str, head: bytes) -> str:
    """The format of a file from its name and its first bytes."""
    by_name = _BY_EXTENSION.get(PurePath(path).suffix.lower())
    if by_name in ("docx", "odt", "html", "latex", "markdown"):
        return by_name
    sniffed = sniff(head)
    if by_name == "text" and sniffed != "markdown":
        return "text"
    return sniffed


def sniff(head: bytes) -> str:
    """Guess a format from content alone."""
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(head)
    if _HTML.match(head):
        return "html"
    if _LATEX.search(head):
        return "latex"
    if _MARKDOWN_FOOTNOTE.search(head):
        return "markdown"
    return "text"


def _zip_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "docx"  # the docx parser reports the damage with the file name
    if "content.xml" in names:
        return "odt"
    return "docx"
