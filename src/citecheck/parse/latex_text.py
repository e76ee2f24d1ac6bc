"""LaTeX source of a note -> readable text (for people and the reference parser)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from citecheck.parse.identifiers import Locate

# Read left to right, so that a URL argument and \verb stay literal (their % and # too), \% and
# \\ are escapes, and any other % starts a comment: it and the line end and indent after it go.
# (Each branch opens with its backslash or %: the regex engine then skips other text fast.)
_LITERAL = re.compile(
    r"\\(?:(?:url|nolinkurl)\*?\s*\{(?P<url>[^}]*)\}"
    r"|href\s*\{(?P<href>[^}]*)\}"
    r"|verb\*?(?P<delimiter>[^a-zA-Z\s*])(?P<verb>.*?)(?P=delimiter)"
    r"|[\\%])"
    r"|%(?P<comment>[^\n]*(?:\n[ \t]*)?)"
)
_URL_ESCAPE = re.compile(r"\\([#%&_~$])")
_CITE = re.compile(r"\\[a-zA-Z]*[cC]ite[a-zA-Z]*\*?(?:\s*\[[^\]]*\]){0,2}\s*\{[^}]*\}")
_TEXT_ESCAPE = re.compile(r"\\([#%&_$])|\\(~)\{\}|\\textasciitilde(?:\{\}|(?![a-zA-Z@]))")
"""The escapes of characters that identifiers and URLs are written with (``\\_``, ``\\~{}``)."""
_ACCENT = re.compile(r"\\(?:[`'^\"~=.]\s*|[uvHcdbkr](?:\s+|(?=\{)))\{?([a-zA-Z])\}?")
_ESCAPED = re.compile(r"\\([%&#$_{}])")
_COMMAND = re.compile(r"\\[a-zA-Z@]+\*?\s*|\\\\|\\,|\\ ")
_SPACES = re.compile(r"[ \t\n]+")
_SHIFT = 0xE000
_SHIFTED = re.compile("[\ue000-\ue07f]")
_SHIELDED = str.maketrans({c: chr(_SHIFT + ord(c)) for c in "\\{}~"})
"""What the passes after the first would read in a URL: kept as shifted characters."""
_UNSHIELDED = re.compile(r"[\\{}~]")
_COMBINING = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "k": "\u0328",
    "r": "\u030a",
}


def plain_text(source: str) -> str:
    """Commands dropped, their arguments kept, URLs and escaped characters written out."""
    text = _LITERAL.sub(_literal, source)
    text = _CITE.sub("", text)
    text = _ACCENT.sub(_accented, text)
    text = _ESCAPED.sub(lambda m: chr(_SHIFT + ord(m.group(1))), text)
    text = _COMMAND.sub(lambda m: "" if m.group()[1].isalpha() else " ", text)
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = _SPACES.sub(" ", text).strip()
    return _SHIFTED.sub(lambda m: chr(ord(m.group()) - _SHIFT), text)


def unescape_url(raw: str) -> str:
    """A URL as written in ``\\url`` or ``\\href`` -> the URL (``\\#`` is ``#``, ``\\%`` ``%``)."""
    return _URL_ESCAPE.sub(r"\1", raw)


def unescaped(source: str, locate: Locate) -> tuple[str, Locate]:
    """``source`` with its escaped characters written out (``\\_`` is ``_``), and ``locate``
    made to map an index into that text to the position of its character in ``source``."""
    if "\\" not in source:
        return source, locate
    pieces: list[str] = []
    starts, shifts = [0], [0]
    last = written = 0
    for match in _TEXT_ESCAPE.finditer(source):
        pieces += [source[last : match.start()], match.group(1) or "~"]
        written += match.start() - last + 1
        starts.append(written)
        shifts.append(match.end() - written)
        last = match.end()
    pieces.append(source[last:])
    return "".join(pieces), lambda index: locate(index + shifts[bisect_right(starts, index) - 1])


def uncommented(source: str) -> str:
    """``source`` with its comments blanked out, every other character where it was."""
    if "%" not in source:
        return source
    return _LITERAL.sub(_blank_comment, source)


def _blank_comment(match: re.Match[str]) -> str:
    if match.group("comment") is None:
        return match.group()
    return "\n".join(" " * len(part) for part in match.group().split("\n"))


def _literal(match: re.Match[str]) -> str:
    """Comments and ``\\href``'s URL dropped, URLs and ``\\verb`` shielded from later passes."""
    url, verb = match.group("url", "verb")
    if url is not None:
        return _shielded(unescape_url(url) if "\\" in url else url)
    if verb is not None:
        return _shielded(verb)
    if match.group("comment") is not None or match.group("href") is not None:
        return ""
    return match.group()


def _shielded(literal: str) -> str:
    return literal.translate(_SHIELDED) if _UNSHIELDED.search(literal) else literal


def _accented(match: re.Match[str]) -> str:
    mark = _COMBINING.get(match.group()[1], "")
    return unicodedata.normalize("NFC", match.group(1) + mark)
