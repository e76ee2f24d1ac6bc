"""Text -> Document: one module per input format, chosen by :mod:`citecheck.parse.detect`.

A text parser module exposes ``parse(text: str, path: str) -> Document``; a binary one
(.docx, .odt) exposes ``parse_bytes(data: bytes, path: str) -> Document``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.parse.decode import decode
from citecheck.parse.detect import FORMATS, detect_format

_MODULES = {
    "text": "citecheck.parse.plaintext",
    "markdown": "citecheck.parse.markdown",
    "html": "citecheck.parse.html",
    "docx": "citecheck.parse.docx",
    "odt": "citecheck.parse.odt",
    "latex": "citecheck.parse.latex",
}
_BINARY = {"docx", "odt"}


def parse_file(path: str | Path, input_format: str | None = None) -> Document:
    """Read and parse one file; raise InputError naming it when that is impossible."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a directory", name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", name) from None
    fmt = _format(data, name, input_format)
    module = importlib.import_module(_MODULES[fmt])
    if fmt in _BINARY:
        return module.parse_bytes(data, name)  # type: ignore[no-any-return]
    text = decode(data, name)
    del data  # the text is parsed without its bytes held beside it
    return module.parse(text, name)  # type: ignore[no-any-return]


def parse_bytes(data: bytes, path: str, input_format: str | None = None) -> Document:
    """Parse the bytes of a file named ``path``."""
    fmt = _format(data, path, input_format)
    module = importlib.import_module(_MODULES[fmt])
    if fmt in _BINARY:
        return module.parse_bytes(data, path)  # type: ignore[no-any-return]
    return module.parse(decode(data, path), path)  # type: ignore[no-any-return]


def _format(data: bytes, path: str, input_format: str | None) -> str:
    fmt = input_format or detect_format(path, data if data[:2] == b"PK" else data[:65536])
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r} (known: {', '.join(FORMATS)})", path)
    return fmt


def parse_text(text: str, path: str = "<string>", input_format: str = "text") -> Document:
    """Parse text already in memory (tests, notebooks)."""
    module = importlib.import_module(_MODULES[input_format])
    return module.parse(text, path)  # type: ignore[no-any-return]
