"""The link run: which URLs to check, the cache, the engine, and what to tell the reader.

Entry points: :func:`check_links` (documents in, :class:`LinkRun` out, synchronous) and
:func:`check_urls` (the engine on a list of URLs, asynchronous).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from citecheck.errors import ConfigError
from citecheck.model import Document, IdentifierScheme, LinkCheck, LinkStatus
from citecheck.options import Options
from citecheck.resolve import loop, workers
from citecheck.resolve.cache import LinkCache
from citecheck.resolve.classify import DOI_RESOLVER, doi_url
from citecheck.resolve.clock import now
from citecheck.resolve.collector import lean_collector
from citecheck.resolve.urls import host_key, url_problem
from citecheck.words import counted

if TYPE_CHECKING:  # the HTTP stack is imported when something is fetched, not before
    from citecheck.resolve.fetch import Transport

Progress = Callable[[LinkCheck], None]
Remap = tuple[re.Pattern[str], str]
"""A compiled remap rule: the pattern, and the replacement in ``re.sub``'s own syntax."""
IGNORE_FILE = ".citecheckignore"
_UNRESOLVED = "host not found"
_DOLLAR_GROUP = re.compile(r"\$(\d+)")
"""``$1`` in a remap replacement, as lychee writes it, is the group ``\\1``."""
_GROUP_REFERENCE = re.compile(r"(?:invalid group reference|unknown group name) (.+)")
_NO_SUCH_GROUP = "which the pattern does not have"


@dataclass(frozen=True)
class LinkRun:
    """Every checked URL (keyed by the normalised URL as cited) and run-level notices."""

    checks: Mapping[str, LinkCheck]
    notices: tuple[str, ...] = ()
    doi_resolver: str = DOI_RESOLVER
    """Where the run looked DOIs up (``Options.doi_url``)."""


def check_links(
    documents: Sequence[Document],
    options: Options,
    progress: Progress | None = None,
    *,
    transport: Transport = "aiohttp",
    allowed_addresses: Collection[str] = (),
    ignore_file: str | Path = IGNORE_FILE,
    standby: workers.Standby | None = None,
) -> LinkRun:
    """Check the note links (all links with ``options.all_links``) and DOIs of ``documents``.

    ``standby``: child processes started while the documents were read, to share the run with
    (see :func:`citecheck.resolve.workers.standby_for`)."""
    urls = collect_urls(documents, options.all_links, options.doi_url)
    patterns = (*options.exclude, *read_ignore_file(Path(ignore_file)))
    options = replace(options, exclude=patterns)
    with lean_collector():
        run = loop.run(
            check_urls(
                urls,
                options,
                progress,
                transport=transport,
                allowed_addresses=allowed_addresses,
                standby=standby,
            )
        )
    return replace(run, doi_resolver=options.doi_url)


def collect_urls(
    documents: Iterable[Document], all_links: bool = False, doi_resolver: str = DOI_RESOLVER
) -> list[str]:
    """The URLs to check, each once, in document order; DOIs as <doi_resolver>/<doi>."""
    found: dict[str, None] = {}
    for document in documents:
        for note in document.notes:
            for link in note.links:
                found[link.url] = None
            for identifier in note.identifiers:
                if identifier.scheme is IdentifierScheme.DOI and identifier.valid:
                    found[doi_url(identifier.value, doi_resolver)] = None
        if all_links:
            for link in document.body_links:
                found[link.url] = None
    return list(found)


def read_ignore_file(path: Path) -> tuple[str, ...]:
    """Regular expressions from a .citecheckignore file, one a line; # starts a comment.

    A line that is no regular expression is a ConfigError naming the file and line.
    """
    if not path.is_file():
        return ()
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        try:
            re.compile(pattern)
        except re.error as error:
            problem = f"{path}:{number}: bad regular expression {pattern!r}: {error}"
            raise ConfigError(problem) from error
        patterns.append(pattern)
    return tuple(patterns)


async def check_urls(
    urls: Sequence[str],
    options: Options,
    progress: Progress | None = None,
    *,
    transport: Transport = "aiohttp",
    allowed_addresses: Collection[str] = (),
    standby: workers.Standby | None = None,
) -> LinkRun:
    """Check ``urls`` (each once) under ``options``: exclusions, remaps, cache, network.

    Bad exclude or remap rules are a ConfigError before anything is fetched. A URL that
    cannot be requested as written (after remapping) is ``invalid``, offline too.
    """
    unique = list(dict.fromkeys(urls))
    excluded = _compile(options.exclude, "exclude")
    remaps = compile_remaps(options.remap)
    start = getattr(progress, "start", None)
    if callable(start):
        start(len(unique))
    checks: dict[str, LinkCheck] = {}
    pending: dict[str, str] = {}
    for url in unique:
        fetched = _remap(url, remaps)
        known = _without_network(url, fetched, excluded, options.offline)
        if known is not None:
            checks[url] = _report(progress, known)
        else:
            pending[url] = fetched
    notices: list[str] = []
    skipped = sum(1 for check in checks.values() if check.status is LinkStatus.OFFLINE)
    if skipped:
        notices.append(f"offline: {counted(skipped, 'link')} not checked")
    if pending:
        fetched_checks, notice = await _fetch_all(
            pending, options, progress, transport, allowed_addresses, standby
        )
        checks.update(fetched_checks)
        notices.extend(notice)
    return LinkRun(MappingProxyType({url: checks[url] for url in unique}), tuple(notices))


def _without_network(
    url: str, fetched: str, excluded: list[re.Pattern[str]], offline: bool
) -> LinkCheck | None:
    """What can be said of ``url`` (fetched as ``fetched``) without fetching it, if anything."""
    if any(p.search(url) for p in excluded):
        return LinkCheck(url, LinkStatus.EXCLUDED, detail="excluded", checked_at=now())
    problem = url_problem(fetched)
    if problem:
        detail = problem if fetched == url else f"remapped to {fetched}: {problem}"
        return LinkCheck(url, LinkStatus.INVALID, detail=detail, checked_at=now())
    if offline:
        return LinkCheck(url, LinkStatus.OFFLINE, detail="offline run", checked_at=now())
    return None


async def _fetch_all(
    pending: dict[str, str],
    options: Options,
    progress: Progress | None,
    transport: Transport,
    allowed: Collection[str],
    standby: workers.Standby | None,
) -> tuple[dict[str, LinkCheck], list[str]]:
    """Check ``pending`` (URL as cited -> URL to fetch), through the cache when there is one."""
    cache = (
        LinkCache(
            options.cache,
            options.max_cache_age,
            allow_private=options.allow_private,
            allowed_addresses=allowed,
        )
        if options.cache
        else None
    )
    try:
        results: dict[str, LinkCheck] = {}
        todo: dict[str, str] = {}
        for url, fetched in pending.items():
            hit = cache.fresh(fetched) if cache else None
            if hit is not None:
                results[url] = _report(progress, replace(hit, url=url))
            else:
                todo[url] = fetched

        def record(url: str, check: LinkCheck) -> None:
            results[url] = _report(progress, check)

        counters = await _fetch(todo, options, transport, allowed, record, standby)
        offline = (
            counters.responses == 0 and counters.lookups_ok == 0 and counters.lookups_failed > 0
        )
        notices = _mark_offline(results, todo) if offline else []
        if cache:
            _add_history(cache, results, todo)
            cache.record({f: replace(results[url], url=f) for url, f in todo.items()}.values())
        return results, notices
    finally:
        if cache:
            cache.close()


async def _fetch(
    todo: dict[str, str],
    options: Options,
    transport: Transport,
    allowed: Collection[str],
    record: workers.Record,
    standby: workers.Standby | None = None,
) -> workers.Counters:
    """Fetch ``todo``: in this process, or shared with child processes when large."""
    items = [(host_key(fetched), (url, fetched)) for url, fetched in todo.items()]
    count = 1
    if transport == "aiohttp":
        hosts = len({host for host, _ in items})
        count = workers.worker_count(options.workers, len(items), hosts)
    lead = workers.head_start(standby.since if standby else None)
    own, *others = workers.shares(items, count, lead) if items else [[]]
    share_options = workers.child_options(options, 1 + len(others))
    counters = workers.Counters()
    async with workers.Children(others, share_options, allowed, record, standby) as children:
        from citecheck.resolve.fetch import Fetcher  # while the children import it too

        async with Fetcher(share_options, transport, allowed) as fetcher:
            await workers.check_share(fetcher, own, share_options.concurrency, record)
            counters.add(workers.counters_of(fetcher))
    if children.unreported:  # a child died: check what it left in this process
        async with Fetcher(options, transport, allowed) as fetcher:
            await workers.check_share(fetcher, children.unreported, options.concurrency, record)
            counters.add(workers.counters_of(fetcher))
    counters.add(children.counters)
    return counters


def _mark_offline(results: dict[str, LinkCheck], todo: Iterable[str]) -> list[str]:
    """No host resolved and nothing answered: the network is down, not the links."""
    down = [url for url in todo if results[url].detail.startswith(_UNRESOLVED)]
    for url in down:
        results[url] = replace(
            results[url], status=LinkStatus.OFFLINE, detail="network unavailable"
        )
    return [f"network unavailable: {counted(len(down), 'link')} not checked"] if down else []


def _add_history(cache: LinkCache, results: dict[str, LinkCheck], todo: dict[str, str]) -> None:
    for url, fetched in todo.items():
        history = cache.history(fetched)
        if history:
            results[url] = replace(results[url], history=history)


def remap_problem(pattern: str, replacement: str) -> str | None:
    """Why the remap rule ``pattern`` -> ``replacement`` cannot be used, or None.

    The pattern must be a regular expression, and the replacement (``$1`` or ``\\1`` for a
    group) may name only groups the pattern has.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        return f"bad regular expression {pattern!r}: {error}"
    return _replacement_problem(compiled, replacement)


def compile_remaps(rules: Sequence[tuple[str, str]]) -> list[Remap]:
    """The remap rules, compiled; a bad one is a ConfigError naming it."""
    patterns = _compile([pattern for pattern, _ in rules], "remap")
    remaps = []
    for (pattern, replacement), compiled in zip(rules, patterns, strict=True):
        problem = _replacement_problem(compiled, replacement)
        if problem:
            raise ConfigError(f"remap {pattern!r}: {problem}")
        remaps.append((compiled, _template(replacement)))
    return remaps


def _replacement_problem(pattern: re.Pattern[str], replacement: str) -> str | None:
    try:
        pattern.sub(_template(replacement), "")  # the replacement is parsed even with no match
    except (re.error, IndexError) as error:  # IndexError: an unknown group name
        message = error.msg if isinstance(error, re.error) else str(error)
        reference = _GROUP_REFERENCE.fullmatch(message)
        if reference:
            group = reference.group(1)
            return f"replacement {replacement!r} refers to group {group}, {_NO_SUCH_GROUP}"
        return f"bad replacement {replacement!r}: {message}"
    return None


def _template(replacement: str) -> str:
    return _DOLLAR_GROUP.sub(r"\\g<\1>", replacement)


def _remap(url: str, remaps: list[Remap]) -> str:
    for pattern, template in remaps:
        if pattern.search(url):
            return pattern.sub(template, url)
    return url


def _compile(patterns: Iterable[str], what: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ConfigError(f"bad {what} pattern {pattern!r}: {error}") from error
    return compiled


def _report(progress: Progress | None, check: LinkCheck) -> LinkCheck:
    if progress is not None:
        progress(check)
    return check
