"""The authority: what Crossref, doi.org (DataCite ...) and Open Library say about a work.

A DOI is looked up in Crossref's REST API (``works/{doi}``); a DOI Crossref does not hold is
asked of its registration agency through doi.org content negotiation (CSL-JSON). An ISBN is
looked up in Open Library. A reference without identifiers can get a candidate from a
Crossref bibliographic query, accepted only when it clearly beats the runner-up and its
title, first author and year agree.

Crossref's polite pool is used when ``Options.mailto`` or ``CITECHECK_MAILTO`` is set. Its
``x-rate-limit-limit`` / ``x-rate-limit-interval`` headers space the requests, and
``Retry-After`` is honoured on 429 and 503 (each wait capped). Answers that describe the
work (200, 404) are stored in the cache file's ``authority`` table; an offline run reads
only the cache. No httpx error leaves this module: every failure is an answer.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from citecheck import __version__
from citecheck.model import Reference
from citecheck.options import Options
from citecheck.resolve.authority_cache import AuthorityCache, StoredAnswer
from citecheck.resolve.authority_records import AuthorityRecord, from_csl, from_openlibrary
from citecheck.validate.metadata_normalise import fold, title_similarity, year_of

__all__ = ["Authority", "AuthorityAnswer", "AuthorityRecord", "LookupStatus"]

CSL_JSON = "application/vnd.citationstyles.csl+json"
MAX_SLEEP = 60.0
"""The longest single wait for a rate limit; a longer Retry-After gives up instead."""
SEARCH_ROWS = 5
SCORE_LEAD = 1.2
"""How much the best candidate's Crossref score must exceed the runner-up's."""


class LookupStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not-found"
    ERROR = "error"
    OFFLINE = "offline"


@dataclass(frozen=True)
class AuthorityAnswer:
    """The outcome of one lookup: a record, or why there is none."""

    status: LookupStatus
    record: AuthorityRecord | None = None
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class _Reply:
    status: int
    body: str
    final_url: str
    headers: Mapping[str, str]


class Authority:
    """Looks works up, one HTTP client per run; ``close()`` when done (or use ``with``)."""

    def __init__(
        self,
        options: Options | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: float | None = None,
    ) -> None:
        self.options = options or Options()
        self._sleep = sleep
        self._clock = clock
        self.mailto = self.options.mailto or os.environ.get("CITECHECK_MAILTO") or None
        agent = f"citecheck/{__version__}" + (f" (mailto:{self.mailto})" if self.mailto else "")
        self._client = httpx.Client(
            headers={"User-Agent": agent},
            timeout=self.options.timeout,
            follow_redirects=True,
        )
        self._cache = (
            AuthorityCache(self.options.cache, self.options.max_cache_age, now)
            if self.options.cache
            else None
        )
        self._next_allowed: dict[str, float] = {}
        self._memo: dict[str, AuthorityAnswer] = {}

    def close(self) -> None:
        self._client.close()
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> Authority:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def lookup(self, reference: Reference) -> AuthorityAnswer:
        """The record for the reference's DOI, else its ISBN; not found without either."""
        if reference.doi:
            return self.by_doi(reference.doi)
        if reference.isbn:
            return self.by_isbn(reference.isbn)
        return AuthorityAnswer(LookupStatus.NOT_FOUND, detail="no DOI or ISBN")

    def by_doi(self, doi: str) -> AuthorityAnswer:
        """Crossref's record; for a DOI of another agency, doi.org content negotiation."""
        return self._memoised(f"doi:{doi.casefold()}", lambda: self._by_doi(doi))

    def by_isbn(self, isbn: str) -> AuthorityAnswer:
        """Open Library's record of the edition with this ISBN."""
        digits = re.sub(r"[^0-9Xx]", "", isbn).upper()
        return self._memoised(f"isbn:{digits}", lambda: self._by_isbn(digits))

    def csl(self, doi: str, source: str | None = None) -> AuthorityAnswer:
        """doi.org content negotiation (CSL-JSON), named after ``source`` or who answered."""
        return self._memoised(f"csl:{doi.casefold()}", lambda: self._csl(doi, source))

    def search(self, reference: Reference) -> AuthorityAnswer:
        """A Crossref candidate for a reference without a DOI, only when it is clear."""
        query = _query(reference)
        if not query:
            return AuthorityAnswer(LookupStatus.NOT_FOUND, detail="nothing to search for")
        return self._memoised(f"search:{query}", lambda: self._search(reference, query))

    def _memoised(self, key: str, ask: Callable[[], AuthorityAnswer]) -> AuthorityAnswer:
        if key not in self._memo:
            self._memo[key] = ask()
        return self._memo[key]

    def _by_doi(self, doi: str) -> AuthorityAnswer:
        url = f"{self.options.crossref_url}/works/{_quote_doi(doi)}"
        reply = self._get(url, self._polite())
        if isinstance(reply, AuthorityAnswer):
            return reply
        if reply.status == 200:
            return _parsed(reply, lambda data: from_csl(data["message"], "Crossref", url))
        if reply.status == 404:
            return self._elsewhere(doi, url)
        return _failed(reply, url)

    def _elsewhere(self, doi: str, works_url: str) -> AuthorityAnswer:
        """Crossref does not hold the DOI: ask which agency does, then doi.org."""
        url = f"{self.options.crossref_url}/works/{_quote_doi(doi)}/agency"
        reply = self._get(url, self._polite())
        not_found = AuthorityAnswer(LookupStatus.NOT_FOUND, detail="DOI not found", url=works_url)
        if isinstance(reply, AuthorityAnswer) or reply.status == 404:
            return not_found
        agency = _agency(reply.body) if reply.status == 200 else None
        if agency is not None and agency[0] == "crossref":
            return not_found
        return self.csl(doi, agency[1] if agency else None)

    def _csl(self, doi: str, source: str | None) -> AuthorityAnswer:
        url = f"{self.options.doi_url}/{_quote_doi(doi)}"
        reply = self._get(url, {}, accept=CSL_JSON)
        if isinstance(reply, AuthorityAnswer):
            return reply
        if reply.status == 404:
            return AuthorityAnswer(LookupStatus.NOT_FOUND, detail="DOI not found", url=url)
        if reply.status != 200:
            return _failed(reply, url)

        def record(data: Any) -> AuthorityRecord:
            item = data[0] if isinstance(data, list) else data
            name = source or item.get("source") or _source_of(reply.final_url)
            return from_csl(item, str(name), url)

        return _parsed(reply, record)

    def _by_isbn(self, isbn: str) -> AuthorityAnswer:
        url = f"{self.options.openlibrary_url}/api/books"
        key = f"ISBN:{isbn}"
        reply = self._get(url, {"bibkeys": key, "format": "json", "jscmd": "data"})
        if isinstance(reply, AuthorityAnswer):
            return reply
        if reply.status == 404 or (reply.status == 200 and reply.body.strip() in {"{}", ""}):
            return AuthorityAnswer(LookupStatus.NOT_FOUND, detail="ISBN not found", url=url)
        if reply.status != 200:
            return _failed(reply, url)
        return _parsed(reply, lambda data: from_openlibrary(data[key], isbn, url))

    def _search(self, reference: Reference, query: str) -> AuthorityAnswer:
        url = f"{self.options.crossref_url}/works"
        params = {"query.bibliographic": query, "rows": str(SEARCH_ROWS), **self._polite()}
        reply = self._get(url, params)
        if isinstance(reply, AuthorityAnswer):
            return reply
        if reply.status != 200:
            return _failed(reply, url)
        try:
            items = list(json.loads(reply.body)["message"]["items"])
        except (ValueError, KeyError, TypeError) as error:
            return _unreadable(error, url)
        return _best_candidate(reference, items, url)

    def _polite(self) -> dict[str, str]:
        return {"mailto": self.mailto} if self.mailto else {}

    def _get(
        self, url: str, params: Mapping[str, str], accept: str = "application/json"
    ) -> _Reply | AuthorityAnswer:
        """One answer: from the cache, or fetched (rate limits honoured) and stored."""
        key = _cache_key(url, params)
        stored = self._stored(key)
        if stored is not None:
            return _Reply(stored.status, stored.body, stored.final_url, {})
        if self.options.offline:
            return AuthorityAnswer(LookupStatus.OFFLINE, detail="offline and not cached", url=key)
        reply = self._fetch(url, params, accept)
        if isinstance(reply, _Reply) and self._cache is not None:
            self._cache.put(key, reply.status, reply.final_url, reply.body)
        return reply

    def _stored(self, key: str) -> StoredAnswer | None:
        if self._cache is None:
            return None
        return self._cache.get(key, any_age=self.options.offline)

    def _fetch(self, url: str, params: Mapping[str, str], accept: str) -> _Reply | AuthorityAnswer:
        host = urlsplit(url).netloc
        for attempt in range(self.options.max_retries + 1):
            self._wait(host)
            try:
                response = self._client.get(url, params=dict(params), headers={"Accept": accept})
            except httpx.HTTPError as error:
                return _network_error(error, url)
            self._note_rate_limit(host, response.headers)
            if response.status_code not in (429, 503) or attempt == self.options.max_retries:
                break
            delay = _retry_after(response.headers.get("retry-after"), attempt)
            if delay > MAX_SLEEP:
                break
            self._sleep(delay)
        reply = _Reply(response.status_code, response.text, str(response.url), response.headers)
        if reply.status in (429, 503):
            return AuthorityAnswer(
                LookupStatus.ERROR, detail=f"rate limited: HTTP {reply.status}", url=url
            )
        return reply

    def _wait(self, host: str) -> None:
        delay = self._next_allowed.get(host, 0.0) - self._clock()
        if delay > 0:
            self._sleep(min(delay, MAX_SLEEP))

    def _note_rate_limit(self, host: str, headers: Mapping[str, str]) -> None:
        """``x-rate-limit-limit: 50`` per ``x-rate-limit-interval: 1s``: one request per 20 ms."""
        limit = headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit")
        interval = headers.get("x-rate-limit-interval") or headers.get("x-ratelimit-interval")
        seconds = _seconds(interval) if interval else None
        if not limit or not limit.strip().isdigit() or int(limit) == 0 or seconds is None:
            return
        self._next_allowed[host] = self._clock() + seconds / int(limit)


def _best_candidate(reference: Reference, items: list[Any], url: str) -> AuthorityAnswer:
    ranked = sorted(
        (i for i in items if isinstance(i, dict)),
        key=lambda i: -float(i.get("score", 0)),
    )
    if not ranked:
        return AuthorityAnswer(LookupStatus.NOT_FOUND, detail="no candidate", url=url)
    best = float(ranked[0].get("score", 0))
    runner = float(ranked[1].get("score", 0)) if len(ranked) > 1 else 0.0
    record = from_csl(ranked[0], "Crossref", url)
    if best < runner * SCORE_LEAD:
        return AuthorityAnswer(
            LookupStatus.NOT_FOUND, detail="no candidate clearly ahead of the others", url=url
        )
    if not agrees(reference, record.reference):
        return AuthorityAnswer(
            LookupStatus.NOT_FOUND, detail="the best candidate is another work", url=url
        )
    return AuthorityAnswer(LookupStatus.FOUND, record, url=url)


def agrees(reference: Reference, candidate: Reference) -> bool:
    """Title, first author and year tell the same work (the year may be one apart)."""
    if not reference.title or not candidate.title:
        return False
    if title_similarity(reference.title, candidate.title) < 0.9:
        return False
    first, other = reference.authors[:1], candidate.authors[:1]
    if first and other and fold(first[0].family) != fold(other[0].family):
        return False
    mine, theirs = year_of(reference.year), year_of(candidate.year)
    return not (mine and theirs and abs(int(mine) - int(theirs)) > 1)


def _query(reference: Reference) -> str:
    parts = [p.family for p in reference.authors[:3]]
    parts += [reference.title or "", reference.container or "", reference.year or ""]
    return " ".join(" ".join(parts).split())


def _quote_doi(doi: str) -> str:
    """DOIs are case-insensitive: one spelling, lower case, keeps the cache and answers together."""
    return quote(doi.strip().casefold(), safe="/()._-;:<>")


def _cache_key(url: str, params: Mapping[str, str]) -> str:
    """The request URL without the contact address, so a new address keeps the cache."""
    kept = {k: v for k, v in sorted(params.items()) if k != "mailto"}
    return f"{url}?{urlencode(kept)}" if kept else url


def _parsed(reply: _Reply, build: Callable[[Any], AuthorityRecord]) -> AuthorityAnswer:
    try:
        record = build(json.loads(reply.body))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        return _unreadable(error, reply.final_url)
    return AuthorityAnswer(LookupStatus.FOUND, record, url=record.url or reply.final_url)


def _unreadable(error: Exception, url: str) -> AuthorityAnswer:
    return AuthorityAnswer(
        LookupStatus.ERROR, detail=f"unreadable answer: {type(error).__name__}", url=url
    )


def _failed(reply: _Reply, url: str) -> AuthorityAnswer:
    """A 400's validation messages (Crossref) or the status, as an error answer."""
    detail = f"HTTP {reply.status}"
    try:
        data = json.loads(reply.body)
        messages = data.get("message") if isinstance(data, dict) else None
        if isinstance(messages, list):
            texts = [str(m.get("message", "")).strip() for m in messages if isinstance(m, dict)]
            detail += ": " + "; ".join(t for t in texts if t)
    except ValueError:
        if reply.body.strip() and len(reply.body) < 200:
            detail += f": {reply.body.strip()}"
    return AuthorityAnswer(LookupStatus.ERROR, detail=detail, url=url)


def _network_error(error: httpx.HTTPError, url: str) -> AuthorityAnswer:
    kinds = (
        (httpx.TimeoutException, "timeout"),
        (httpx.ConnectError, "cannot connect"),
        (httpx.TooManyRedirects, "too many redirects"),
        (httpx.TransportError, "network error"),
    )
    kind = next((name for cls, name in kinds if isinstance(error, cls)), "HTTP error")
    return AuthorityAnswer(LookupStatus.ERROR, detail=f"{kind}: {error}", url=url)


def _agency(body: str) -> tuple[str, str] | None:
    """``works/{doi}/agency`` -> (id, label), e.g. ("datacite", "DataCite")."""
    try:
        agency = json.loads(body)["message"]["agency"]
        return str(agency["id"]).casefold(), str(agency.get("label") or agency["id"])
    except (ValueError, KeyError, TypeError):
        return None


def _source_of(url: str) -> str:
    host = urlsplit(url).netloc.casefold()
    for needle, name in (("crossref", "Crossref"), ("datacite", "DataCite"), ("medra", "mEDRA")):
        if needle in host:
            return name
    return "doi.org"


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: the header's number or date, else exponential backoff."""
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    return float(2**attempt)


def _seconds(interval: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", interval)
    if match is None:
        return None
    factor = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[match.group(2) or "s"]
    return float(match.group(1)) * factor
