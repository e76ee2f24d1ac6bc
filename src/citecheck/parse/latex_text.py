"""LaTeX source of a note -> readable text (for people and the reference parser)."""

from __future__ import annotations

import re
import unicodedata

_COMMENT = re.compile(r"(?<!\\)%[^\n]*\n?")
_URL = re.compile(r"\\(?:url|nolinkurl)\*?\s*\{([^}]*)\}")
_HREF = re.compile(r"\\href\s*\{[^}]*\}")
_CITE = re.compile(r"\\[a-zA-Z]*[cC]ite[a-zA-Z]*\*?(?:\s*\[[^\]]*\]){0,2}\s*\{[^}]*\}")
_ACCENT = re.compile(r"\\(?:[`'^\"~=.]\s*|[uvHcdbkr](?:\s+|(?=\{)))\{?([a-zA-Z])\}?")
_ESCAPED = re.compile(r"\\([%&#$_{}])")
_COMMAND = re.compile(r"\\[a-zA-Z@]+\*?\s*|\\\\|\\,|\\ ")
_SPACES = re.compile(r"[ \t\n]+")
_SHIFT = 0xE000
_SHIFTED = re.compile("[\ue000-\ue07f]")
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
    text = _COMMENT.sub("", source)
    text = _URL.sub(lambda m: m.group(1), text)
    text = _HREF.sub("", text)
    text = _CITE.sub("", text)
    text = _ACCENT.sub(_accented, text)
    text = _ESCAPED.sub(lambda m: chr(_SHIFT + ord(m.group(1))), text)
    text = _COMMAND.sub(lambda m: "" if m.group()[1].isalpha() else " ", text)
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = _SPACES.sub(" ", text).strip()
    return _SHIFTED.sub(lambda m: chr(ord(m.group()) - _SHIFT), text)


def _accented(match: re.Match[str]) -> str:
    mark = _COMBINING.get(match.group()[1], "")
    return unicodedata.normalize("NFC", match.group(1) + mark)
