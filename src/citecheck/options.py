"""Everything a run can be told, with its defaults. Flags and config files fill it in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from citecheck.model import Severity


@dataclass(frozen=True)
class HostPolicy:
    """Per-host overrides (from configuration)."""

    max_concurrency: int | None = None
    min_interval: float | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Options:
    """Options of one check run."""

    input_format: str | None = None
    fail_on: Severity | None = Severity.ERROR
    """None means never fail."""
    bibliographies: tuple[str, ...] = ()
    severities: tuple[tuple[str, str], ...] = ()
    """Per-rule severity overrides: (rule, error|warning|info|off)."""
    # link checking
    check_links: bool = True
    offline: bool = False
    all_links: bool = False
    allow_private: bool = False
    concurrency: int = 128
    per_host: int = 4
    workers: int | None = None
    """Processes sharing a link run; None: every usable core for 1,000 URLs or more."""
    min_interval: float = 0.0
    timeout: float = 20.0
    max_redirects: int = 10
    max_retries: int = 2
    get_cap: int = 1_000_000
    exclude: tuple[str, ...] = ()
    remap: tuple[tuple[str, str], ...] = ()
    hosts: tuple[tuple[str, HostPolicy], ...] = ()
    cache: str | None = ".citecheck/cache.sqlite"
    max_cache_age: float = 86400.0
    quiet: bool = False
    # archive and metadata
    archive: str | None = None
    mailto: str | None = None
    crossref_url: str = "https://api.crossref.org"
    doi_url: str = "https://doi.org"
    openlibrary_url: str = "https://openlibrary.org"
    wayback_url: str = "https://web.archive.org"
    # reporting
    baseline: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())


def with_fields(options: Options, values: Mapping[str, Any]) -> Options:
    """``options`` with the fields named in ``values`` set, as the Python API takes them.

    Plain values are accepted where a field holds tuples or a Severity: lists become tuples,
    a mapping such as ``severities={"unused-note": "off"}`` becomes its pairs, and ``fail_on``
    may be ``"error"``, ``"warning"``, ``"info"`` or ``"never"``. An unknown option is a
    TypeError; an unknown rule or level in ``severities``, or a value the configuration
    file would refuse (``timeout=-1``), a ValueError.
    """
    known = {item.name for item in fields(Options)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unknown option {', '.join(unknown)} (see citecheck.Options)")
    converted = {name: _plain(name, value) for name, value in values.items()}
    for rule, level in converted.get("severities", ()):
        _check_severity(rule, level)
    for name, key in CHECKED_AS_CONFIG.items():
        if name in converted and converted[name] is not None:
            converted[name] = _checked(name, key, converted[name])
    return replace(options, **converted)


CHECKED_AS_CONFIG = {
    "concurrency": "concurrency",
    "per_host": "per_host",
    "workers": "workers",
    "min_interval": "interval",
    "timeout": "timeout",
    "max_cache_age": "max_cache_age",
    "mailto": "mailto",
}
"""Fields checked as the configuration key they are read from (``timeout=-1`` is refused)."""


def _checked(name: str, key: str, value: Any) -> Any:
    from citecheck.config import read_flag
    from citecheck.errors import ConfigError

    try:
        return read_flag(name, key, value)
    except ConfigError as error:
        raise ValueError(str(error)) from None


def _check_severity(rule: str, level: str) -> None:
    from citecheck.validate.rules import RULES
    from citecheck.validate.suppress import LEVELS

    if rule not in RULES:
        raise ValueError(f"severities: unknown rule {rule!r} (see citecheck rules)")
    if level not in LEVELS:
        raise ValueError(f"severities: {rule} expected one of {', '.join(LEVELS)}, got {level!r}")


def _plain(name: str, value: Any) -> Any:
    if name == "fail_on" and isinstance(value, str):
        return None if value == "never" else Severity(value)
    if isinstance(value, Mapping):
        return tuple(value.items())
    if isinstance(value, list):
        return tuple(tuple(item) if isinstance(item, list) else item for item in value)
    return value
