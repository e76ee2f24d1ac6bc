"""URLs, DOIs, ISBNs and arXiv ids in a piece of text, with their positions.

Every parser calls :func:`extract` on a note's text; the positions it returns are
source positions when the caller passes where the text starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from citecheck.model import Identifier, IdentifierScheme, Link, Position

Locate = Callable[[int], Position]

_URL = re.compile(r"""(?:https?://|ftp://|www\.)[^\s<>"'`“”‘’«»{}|\\^]+""", re.IGNORECASE)
_URL_HINTS = (("://", True), ("www.", False), ("WWW.", False))
_PLAIN_URL = re.compile(r"(https?|ftp)://[a-z0-9.-]+(?::([1-9][0-9]{0,4}))?(?=[/?#]|$)")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_TRAILING = ".,;:!?'\"*_~"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(.+)$", re.IGNORECASE)
_DOI_TEXT = re.compile(r"\bdoi\s*:\s*(\S+)|\b(10\.\d{4,9}/[^\s\"<>“”]+)", re.IGNORECASE)
_DOI_VALID = re.compile(r"^10\.\d{4,9}/\S+$")
_ISBN = re.compile(
    r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?\d{1,5}[\s-]?\d{1,7}[\s-]?\d{1,7}[\s-]?[\dXx])\b"
    r"|\b(97[89]-\d{1,5}-\d{1,7}-\d{1,7}-\d)\b",
    re.IGNORECASE,
)
_ARXIV = re.compile(
    r"\barxiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
    r"|arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}(?:v\d+)?)",
    re.IGNORECASE,
)


def extract(
    text: str, locate: Locate, in_note: bool = True
) -> tuple[tuple[Link, ...], tuple[Identifier, ...]]:
    """All links and identifiers in ``text``; ``locate`` maps an index to a source position."""
    return tuple(find_links(text, locate, in_note)), find_identifiers(text, locate)


def find_identifiers(text: str, locate: Locate) -> tuple[Identifier, ...]:
    """The DOIs, ISBNs and arXiv ids of :func:`extract`, without looking for links."""
    identifiers = [*find_dois(text, locate), *find_isbns(text, locate), *find_arxiv(text, locate)]
    identifiers.sort(key=lambda i: (i.line, i.column))
    return tuple(identifiers)


def find_links(
    text: str,
    locate: Locate,
    in_note: bool = True,
    matches: Iterable[re.Match[str]] | None = None,
) -> list[Link]:
    """Links in ``text``; ``matches`` are its url_matches when the caller has them already."""
    links = []
    for match in url_matches(text) if matches is None else matches:
        raw = trim_url(match.group())
        if len(raw) < 8:
            continue
        where = locate(match.start())
        links.append(Link(raw, where.line, where.column, normalise_url(raw), in_note))
    return links


def url_matches(text: str, end: int | None = None) -> Iterator[re.Match[str]]:
    """URLs in ``text`` (starting before ``end``), untrimmed.

    The search jumps between ``://`` and ``www.`` (a case-insensitive pattern would make
    the regex engine try every position of a long body) and reads each URL from there.
    """
    last = 0
    for at, scheme in _hits(text, len(text) if end is None else end):
        start = _url_start(text, at, scheme)
        if start < last:
            continue
        match = _URL.match(text, start)
        if match:
            last = match.end()
            yield match


def _hits(text: str, end: int) -> list[tuple[int, bool]]:
    """Offsets of ``://`` (True) and ``www.`` (False), in order; str.find runs at C speed."""
    found = []
    for needle, scheme in _URL_HINTS:
        at = text.find(needle, 0, end)
        while at != -1:
            found.append((at, scheme))
            at = text.find(needle, at + 1, end)
    found.sort()
    return found


def _url_start(text: str, at: int, scheme: bool) -> int:
    if not scheme:
        return at
    for name in ("https", "http", "ftp"):
        start = at - len(name)
        if start >= 0 and text[start:at].lower() == name:
            return start
    return at


def trim_url(raw: str) -> str:
    """Drop punctuation that ends the sentence, and closing brackets the URL did not open."""
    while raw:
        last = raw[-1]
        if last in _TRAILING or (last in _CLOSERS and raw.count(last) > raw.count(_CLOSERS[last])):
            raw = raw[:-1]
        else:
            break
    return raw


def normalise_url(raw: str) -> str:
    """Scheme and host lower-cased, default port dropped, www. given a scheme."""
    plain = _PLAIN_URL.match(raw)
    if plain and plain.group(2):  # a port: kept unless it is the scheme's default
        port = plain.group(2)
        if _DEFAULT_PORTS.get(plain.group(1)) == port or int(port) > 65535:
            plain = None
    if plain:
        # Already normal (lower-case scheme and host, no port or user): the common case,
        # and urlsplit/urlunsplit cost more than the rest of reading a note.
        rest = raw[plain.end() :]
        # urlsplit drops tabs and newlines, so only printable URLs take the fast path
        if rest.isprintable() and not rest.endswith(("?", "#")) and "?#" not in rest:
            return raw if rest[:1] == "/" else f"{raw[: plain.end()]}/{rest}"
    return normalise_split_url(raw)


def normalise_split_url(raw: str) -> str:
    """normalise_url the long way, through urlsplit: the reference for its fast path."""
    if raw.lower().startswith("www."):
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return raw
    scheme = parts.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    # port 0 is kept: dropping it would check another URL than the one cited
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def doi_from_url(url: str) -> str | None:
    match = _DOI_URL.match(url)
    return match.group(1) if match else None


def find_dois(text: str, locate: Locate) -> list[Identifier]:
    found = []
    seen: set[int] = set()
    for match in _DOI_TEXT.finditer(text):
        group = 1 if match.group(1) is not None else 2
        raw = trim_url(match.group(group))
        start = match.start(group)
        if start in seen or not raw:
            continue
        seen.add(start)
        value = _clean_doi(raw)
        where = locate(match.start())
        valid = bool(_DOI_VALID.match(value))
        found.append(
            Identifier(
                IdentifierScheme.DOI,
                value,
                match.group()[: len(match.group())],
                where.line,
                where.column,
                valid,
            )
        )
    return found


def _clean_doi(raw: str) -> str:
    value = raw.strip()
    lowered = value.lower()
    for prefix in (
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ):
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    return value.lower()


def find_isbns(text: str, locate: Locate) -> list[Identifier]:
    found = []
    for match in _ISBN.finditer(text):
        raw = match.group(1) or match.group(2)
        digits = re.sub(r"[\s-]", "", raw).upper()
        where = locate(match.start())
        valid = isbn_is_valid(digits)
        value = isbn13(digits) if valid else digits
        found.append(
            Identifier(IdentifierScheme.ISBN, value, match.group(), where.line, where.column, valid)
        )
    return found


def isbn_is_valid(digits: str) -> bool:
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def isbn13(digits: str) -> str:
    """The ISBN-13 form of a valid ISBN-10 or ISBN-13."""
    if len(digits) == 13:
        return digits
    core = "978" + digits[:9]
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


def find_arxiv(text: str, locate: Locate) -> list[Identifier]:
    found = []
    for match in _ARXIV.finditer(text):
        value = match.group(1) or match.group(2)
        where = locate(match.start())
        found.append(
            Identifier(IdentifierScheme.ARXIV, value, match.group(), where.line, where.column)
        )
    return found
