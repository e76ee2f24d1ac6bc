"""Bytes -> text: UTF-8 first, then a charset detector, else a clear InputError."""

from __future__ import annotations

import codecs

from citecheck.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_MARGIN = 0.05


def decode(data: bytes, path: str) -> str:
    """Decode a text file; raise InputError naming the file when no charset fits."""
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("binary file, not text (NUL bytes)", path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding, errors="strict"))
            except UnicodeDecodeError as error:
                message = f"starts with a {encoding} byte-order mark but is not {encoding}"
                raise InputError(f"{message} (byte {error.start})", path) from None
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    guessed = _guess(data)
    if guessed is None:
        line = data[:first_bad].count(b"\n") + 1
        raise InputError(f"not UTF-8 and no plausible charset (byte {first_bad})", path, line)
    return _normalise_newlines(data.decode(guessed, errors="replace"))


def _guess(data: bytes) -> str | None:
    """The detector's best charset; when close, the Western one editors most often send."""
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    matches = list(from_bytes(data[:1_000_000]))
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    # Short samples leave the detector unsure between code pages; Windows-1252 is the
    # usual non-UTF-8 editor encoding, so it wins within a small margin of the best.
    close = [match.encoding for match in matches if match.chaos <= least + _MARGIN]
    return next((name for name in _WESTERN if name in close), matches[0].encoding)


def _normalise_newlines(text: str) -> str:
    # CRLF and CR count as one line break, as editors show them.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
