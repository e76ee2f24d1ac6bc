"""Whether a URL can be requested as written: read from the URL alone, no network.

Light to import (httpx is loaded only for the rare URL the quick pattern does not settle),
so a run that fetches nothing never loads the HTTP stack.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

FETCHED_SCHEMES = frozenset({"http", "https"})
MAX_LABEL = 63
"""Longest label of a host name (RFC 1035); DNS look-ups refuse longer ones."""
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_URL = re.compile(
    r"https?://((?![^/?#]*xn--)(?:[a-z0-9-]{1,63}\.)*[a-z][a-z0-9-]{0,62}\.?"
    rf"|{_OCTET}(?:\.{_OCTET}){{3}})(?::([0-9]{{1,5}}))?(?:[/?#][!-~]*)?"
)
"""A URL httpx takes as it is: a lower-case host of short labels ending in a letter label
(no IDNA) or a dotted IPv4 address (group 1), a port of digits (group 2), printable ASCII
after it."""
_PLAIN_LENGTH = 65536
"""httpx's longest URL."""


@functools.lru_cache(maxsize=4096)
def split_url(url: str) -> SplitResult:
    """``urlsplit(url)``, remembered: one URL is split for its validity, its check, its request,
    its host and its https twin."""
    return urlsplit(url)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be requested as written, or None; reads the URL only, no network.

    A URL that does not parse (an unclosed ``[``, a bad IP literal or IDNA name), has an
    impossible port, or (http and https) names no host is malformed. A scheme that is not
    fetched is no problem here: such links are excluded, not invalid.
    """
    plain = _plain(url)
    if plain is not None:  # the common case, without splitting the URL
        return None if 0 < _port(url, plain) <= 65535 else "impossible port"
    try:
        parts = split_url(url)
        port = parts.port
    except ValueError as error:
        return "impossible port" if "port" in str(error).lower() else f"cannot be parsed: {error}"
    if parts.scheme.lower() not in FETCHED_SCHEMES:
        return None
    if not parts.hostname:
        return "no host"
    if port == 0:
        return "impossible port"
    import httpx  # what requests the URL decides the rest

    try:
        parsed = httpx.URL(url)
        _ = parsed.host  # decodes an xn-- name, which may fail
    except (httpx.InvalidURL, ValueError) as error:  # IDNA errors are ValueErrors
        return f"cannot be parsed: {error}"
    return None if is_ip_literal(parts.hostname) else _host_name_problem(parsed.raw_host)


def _host_name_problem(host: bytes) -> str | None:
    labels = host.removesuffix(b".").split(b".")
    if any(not label or len(label) > MAX_LABEL for label in labels):
        return f"bad host name {host.decode('ascii', 'replace')!r}"
    return None


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def host_key(url: str) -> str:
    """``host:port`` of an http(s) URL (the unit of politeness); "" for a malformed one."""
    plain = _plain(url)
    if plain is not None:
        return f"{plain.group(1)}:{_port(url, plain)}"
    try:
        parts = split_url(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ""
    return f"{parts.hostname or ''}:{port}"


def _plain(url: str) -> re.Match[str] | None:
    """The match of ``url`` against the plain pattern: a URL httpx takes as it is, in a tenth
    of the time httpx takes to parse it."""
    return _PLAIN_URL.fullmatch(url) if len(url) <= _PLAIN_LENGTH else None


def _port(url: str, plain: re.Match[str]) -> int:
    """The port of a plain URL, its scheme's default when it names none."""
    written = plain.group(2)
    if written is not None:
        return int(written)
    return 443 if url.startswith("https") else 80
