"""Pandoc ``[@key]`` / ``@key`` and MultiMarkdown ``[#key]`` citations in masked inline text.

The finders read text in which code, raw HTML, escapes and URLs are already blanked out
with spaces, so every offset they return is an offset into the original text as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Pandoc: a key starts with a letter, digit or _, and punctuation inside it must be
# followed by another key character, so a trailing full stop is not part of the key.
_KEY = r"(?:\{[^{}\n]+\}|\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*)"
_GROUP = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?![(\[:])")
_PART = re.compile(rf"(?P<prefix>.*?)(?<![\w@])-?@(?P<key>{_KEY})(?P<rest>.*)", re.DOTALL)
# The @ comes first so that the search can skip to it; the lookbehind then rules out e-mail.
_IN_TEXT = re.compile(rf"@(?<![\w@]@)(?P<key>{_KEY})")
_SUFFIX = re.compile(r"[ \t]?\[([^\[\]@]*)\](?![(\[:])")
# pandoc's ``nocite:`` field: ``@*`` stands for every entry of the bibliography.
_NOCITE = re.compile(rf"(?<![\w@])@(?P<key>\*|{_KEY})")
_MMD = re.compile(r"\[#([^\[\]\s][^\[\]]*)\](?!:)")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class FoundCitation:
    """A citation key and the offset of its ``@`` or ``#`` sign in the scanned text."""

    key: str
    offset: int
    prefix: str = ""
    locator: str = ""


def find_citations(masked: str, original: str) -> list[FoundCitation]:
    """All pandoc and MultiMarkdown citations, in text order."""
    found = [*find_pandoc(masked, original), *find_mmd(masked, original)]
    found.sort(key=lambda item: item.offset)
    return found


def find_pandoc(masked: str, original: str) -> Iterator[FoundCitation]:
    """Bracketed groups ``[see @a, p. 3; @b]`` first, then ``@key`` in running text."""
    if "@" not in masked:
        return
    outside = masked
    for group in _GROUP.finditer(masked):
        start = group.start(1)
        yield from _group_parts(masked[start : group.end(1)], original, start)
        outside = outside[: group.start()] + " " * len(group.group()) + outside[group.end() :]
    yield from _in_text(outside, original)


def _group_parts(content: str, original: str, start: int) -> Iterator[FoundCitation]:
    offset = start
    for part in content.split(";"):
        match = _PART.match(part)
        if match is not None:
            at = offset + match.start("key") - 1
            prefix = _clean(original[offset : offset + match.end("prefix")])
            rest = _clean(original[offset + match.start("rest") : offset + len(part)])
            yield FoundCitation(_key(match.group("key")), at, prefix, rest.lstrip(", ").strip())
        offset += len(part) + 1


def _in_text(masked: str, original: str) -> Iterator[FoundCitation]:
    for match in _IN_TEXT.finditer(masked):
        suffix = _SUFFIX.match(masked, match.end())
        locator = _clean(original[suffix.start(1) : suffix.end(1)]) if suffix else ""
        yield FoundCitation(_key(match.group("key")), match.start("key") - 1, "", locator)


def find_nocite(text: str) -> Iterator[FoundCitation]:
    """``@key`` and ``@*`` as pandoc's ``nocite:`` field lists them (``@a, @b``)."""
    for match in _NOCITE.finditer(text):
        yield FoundCitation(_key(match.group("key")), match.start())


def find_mmd(masked: str, original: str) -> Iterator[FoundCitation]:
    """``[#key]``, ``[#a,b;]`` and ``[locator][#key]``; ``[#key]: ...`` lines are entries."""
    if "[#" not in masked:
        return
    for match in _MMD.finditer(masked):
        locator = _mmd_locator(masked, original, match.start())
        offset = match.start(1) - 1
        for key in match.group(1).split(","):
            cleaned = key.strip().rstrip(";").strip()
            if cleaned:
                yield FoundCitation(cleaned, offset, "", locator)


def _mmd_locator(masked: str, original: str, start: int) -> str:
    if start == 0 or masked[start - 1] != "]":
        return ""
    opening = masked.rfind("[", 0, start - 1)
    if opening == -1 or masked[opening + 1 : opening + 2] == "#":
        return ""
    return _clean(original[opening + 1 : start - 1])


def _key(raw: str) -> str:
    return raw[1:-1] if raw.startswith("{") else raw


def _clean(text: str) -> str:
    return " ".join(_UNESCAPE.sub(r"\1", text).split())
