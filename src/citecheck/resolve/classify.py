"""Reading an HTTP answer: soft 404s, bot walls, anchors. Pure functions, no network.

A :class:`~citecheck.model.LinkCheck` carries secondary observations (a missing anchor,
an https twin) in its ``detail`` as ``; ``-separated items; :func:`flags` reads them back.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

MISSING_ANCHOR = "missing-anchor"
HTTPS_TWIN = "https-twin"
CACHED = "cached"

BLOCKED_STATUSES = frozenset({401, 402, 403, 429, 999})
_NOT_FOUND = re.compile(
    r"\b(?:404|not\s+found|page\s+(?:does\s+not|doesn'?t)\s+exist|no\s+longer\s+available|"
    r"page\s+(?:cannot|can'?t)\s+be\s+found|nicht\s+gefunden|introuvable)\b",
    re.IGNORECASE,
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_CHALLENGE = (
    b"cf-chl-",
    b"challenge-platform",
    b"<title>Just a moment...</title>",
    b"cf_chl_opt",
    b"Attention Required! | Cloudflare",
    b"px-captcha",
    b"_Incapsula_Resource",
    b"captcha-delivery.com",
)
_LOGIN_PATH = re.compile(
    r"/(?:accounts/login|login|signin|sign-in|auth/login|authwall|uas/login|checkpoint)\b",
    re.IGNORECASE,
)
_LOGIN_HOSTS = ("login.", "accounts.", "signin.", "auth.", "sso.", "consent.")
_ANCHOR_DEF = r"""(?:\bid|\bname)\s*=\s*(?:"{0}"|'{0}'|{0}(?=[\s/>]))"""


DOI_RESOLVER = "https://doi.org"


def doi_url(doi: str, resolver: str = DOI_RESOLVER) -> str:
    """The resolver URL checked for a DOI (canonical lower-case form); ``resolver`` is the
    configured ``doi_url`` (a mirror, or a local server in tests)."""
    return resolver.rstrip("/") + "/" + quote(doi, safe="/:;()._-<>[]+")


def is_bot_wall(status: int, headers_server: str, mitigated: str, body: bytes) -> bool:
    """A challenge page (Cloudflare, PerimeterX, Imperva, DataDome) rather than the content."""
    if mitigated.lower() == "challenge":
        return True
    if status in (403, 429, 503) and "cloudflare" in headers_server.lower() and not body:
        return True
    if not body:
        return False
    head = body[:65536]
    return any(marker in head for marker in _CHALLENGE)


def is_login_redirect(original: str, final: str) -> bool:
    """The chain ended on a login form the original URL did not name."""
    if original == final:
        return False
    parts = urlsplit(final)
    host = parts.hostname or ""
    if _LOGIN_PATH.search(parts.path) and not _LOGIN_PATH.search(urlsplit(original).path):
        return True
    return host.startswith(_LOGIN_HOSTS) and (urlsplit(original).hostname or "") != host


def is_home_redirect(original: str, final: str) -> bool:
    """A deep URL that ended on the site's home page."""
    before, after = urlsplit(original), urlsplit(final)
    deep = before.path.strip("/") != "" or bool(before.query)
    return deep and after.path.strip("/") == "" and not after.query


def says_not_found(body: bytes) -> bool:
    """The page's <title> or first <h1> says the page is not there."""
    for pattern in (_TITLE, _H1):
        match = pattern.search(body[:262144])
        if match:
            text = html.unescape(_TAG.sub(" ", match.group(1).decode("utf-8", "replace")))
            if _NOT_FOUND.search(text):
                return True
    return False


def defines_anchor(body: bytes, fragment: str) -> bool:
    """True when the HTML defines ``fragment`` as an id or name (or it is a text fragment)."""
    if fragment in ("", "top") or fragment.startswith((":~:", "!")):
        return True
    text = body.decode("utf-8", "replace")
    names = {fragment, html.escape(fragment, quote=True)}
    try:
        from urllib.parse import unquote

        names.add(unquote(fragment))
    except ValueError:
        pass
    return any(re.search(_ANCHOR_DEF.format(re.escape(name)), text) for name in names)


def same_page(body: bytes, probe: bytes, path: str, probe_path: str) -> bool:
    """The page is what the host answers for a path that cannot exist."""
    if not body or not probe:
        return False
    page = body.replace(path.encode(), b"").replace(quote(path).encode(), b"")
    other = probe.replace(probe_path.encode(), b"")
    return page == other


def flags(detail: str) -> dict[str, str]:
    """The flagged observations in a LinkCheck's detail: {flag: value}."""
    found: dict[str, str] = {}
    for item in detail.split("; "):
        name, _, value = item.partition(" ")
        if name in (MISSING_ANCHOR, HTTPS_TWIN, CACHED):
            found[name] = value
    return found


def add_flag(detail: str, name: str, value: str) -> str:
    item = f"{name} {value}".strip()
    return f"{detail}; {item}" if detail else item
