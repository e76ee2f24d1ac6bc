"""Configuration files: ``[tool.citecheck]`` in pyproject.toml, or a citecheck.toml.

The nearest file from a start directory upward wins; within it, every key is checked
against :data:`KEYS` and its value converted to what :class:`~citecheck.options.Options`
holds. Flags that set the same values are checked by the same readers (:func:`read_flag`).
Precedence is flag > file > default (:func:`merge`), and :func:`describe` prints the
effective configuration with the origin of each value (``citecheck config``).

Paths in a file (cache, archive, baseline, bibliographies) are relative to its folder.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from citecheck.errors import ConfigError
from citecheck.model import Severity
from citecheck.options import HostPolicy, Options
from citecheck.parse.detect import FORMATS
from citecheck.resolve.links import remap_problem
from citecheck.validate.rules import RULES
from citecheck.validate.suppress import LEVELS

CONFIG_FILE = "citecheck.toml"
PYPROJECT = "pyproject.toml"
DEFAULT = "default"
FLAG = "command line"
_FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
PAIRED_FIELDS = ("severities", "remap", "hosts")
"""Options fields made of (key, value) pairs: a flag overrides a file entry by entry."""
_JOINED = ("exclude",)
"""Options fields whose flag values are added to the file's."""


@dataclass(frozen=True)
class ConfigResult:
    """What a configuration file says, in Options' terms, and where each value came from."""

    path: Path | None
    """The file read, or None when no file was found."""
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Options field name -> value, only for what the file sets."""
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Options field name -> ``"<file>: <key>"``."""


@dataclass(frozen=True)
class _Place:
    """A key in a file, or a flag, for error messages and sources."""

    path: Path | None
    """The file, or None for a flag (``key`` is then the flag: ``--timeout``)."""
    key: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}" if self.path else self.key

    def fail(self, problem: str) -> ConfigError:
        return ConfigError(f"{self.key}: {problem}", path=str(self.path) if self.path else None)

    def relative(self, path: str) -> str:
        """``path`` as relative to the file's folder (a flag's: to the current folder)."""
        return str(self.path.parent / path) if self.path else path


Reader = Callable[[Any, _Place], Any]


def _positive_int(value: Any, place: _Place) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise place.fail(f"expected a positive integer, got {value!r}")
    return value


def _count(value: Any, place: _Place) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise place.fail(f"expected an integer >= 0, got {value!r}")
    return value


def _seconds(value: Any, place: _Place) -> float:
    if not _is_finite(value) or value < 0:
        raise place.fail(f"expected a number of seconds >= 0, got {value!r}")
    return float(value)


def _timeout(value: Any, place: _Place) -> float:
    if not _is_finite(value) or value <= 0:
        raise place.fail(f"expected a number of seconds > 0, got {value!r}")
    return float(value)


def _is_finite(value: Any) -> bool:
    """An int or a float that is a real number (TOML's ``inf`` and ``nan`` are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _flag(value: Any, place: _Place) -> bool:
    if not isinstance(value, bool):
        raise place.fail(f"expected true or false, got {value!r}")
    return value


def _text(value: Any, place: _Place) -> str:
    if not isinstance(value, str) or not value:
        raise place.fail(f"expected a non-empty string, got {value!r}")
    return value


def _url(value: Any, place: _Place) -> str:
    text = _text(value, place)
    if not text.startswith(("http://", "https://")):
        raise place.fail(f"expected an http(s) URL, got {text!r}")
    return text.rstrip("/")


def _email(value: Any, place: _Place) -> str:
    text = _text(value, place)
    if "@" not in text.strip("@") or " " in text:
        raise place.fail(f"expected an email address, got {text!r}")
    return text


def _input_format(value: Any, place: _Place) -> str:
    if value not in FORMATS:
        raise place.fail(f"expected one of {', '.join(FORMATS)}, got {value!r}")
    return str(value)


def _path(value: Any, place: _Place) -> str:
    return place.relative(_text(value, place))


def _cache(value: Any, place: _Place) -> str | None:
    if value is False:
        return None
    if not isinstance(value, str) or not value:
        raise place.fail(f"expected a file name or false, got {value!r}")
    return place.relative(value)


def _fail_on(value: Any, place: _Place) -> Severity | None:
    if value == "never":
        return None
    if value not in _FAIL_ON:
        raise place.fail(f"expected error, warning, info or never, got {value!r}")
    return _FAIL_ON[value]


def _strings(value: Any, place: _Place) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise place.fail(f"expected a list of strings, got {value!r}")
    return tuple(
        _text(item, _Place(place.path, f"{place.key}[{i}]")) for i, item in enumerate(value)
    )


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a regular expression Python can use, or None."""
    try:
        re.compile(pattern)
    except re.error as error:
        return f"bad regular expression {pattern!r}: {error}"
    return None


def _patterns(value: Any, place: _Place) -> tuple[str, ...]:
    patterns = _strings(value, place)
    for i, pattern in enumerate(patterns):
        problem = pattern_problem(pattern)
        if problem:
            raise _Place(place.path, f"{place.key}[{i}]").fail(problem)
    return patterns


def _paths(value: Any, place: _Place) -> tuple[str, ...]:
    return tuple(place.relative(item) for item in _strings(value, place))


def _table(value: Any, place: _Place) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise place.fail(f"expected a table, got {value!r}")
    return value


def severity_problem(rule: str, level: object) -> str | None:
    """What is wrong with setting ``rule`` to ``level``, or None."""
    if rule not in RULES:
        return "unknown rule (see docs/rules.md)"
    if level not in LEVELS:
        return f"expected one of {', '.join(LEVELS)}, got {level!r}"
    return None


def _rules(value: Any, place: _Place) -> tuple[tuple[str, str], ...]:
    pairs = []
    for rule, level in _table(value, place).items():
        problem = severity_problem(rule, level)
        if problem:
            raise _Place(place.path, f"{place.key}.{rule}").fail(problem)
        pairs.append((rule, level))
    return tuple(pairs)


def _remap(value: Any, place: _Place) -> tuple[tuple[str, str], ...]:
    pairs = []
    for pattern, target in _table(value, place).items():
        where = _Place(place.path, f'{place.key}."{pattern}"')
        text = _text(target, where)
        problem = pattern_problem(pattern) or remap_problem(pattern, text)
        if problem:
            raise where.fail(problem)
        pairs.append((pattern, text))
    return tuple(pairs)


def _headers(value: Any, place: _Place) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, _text(text, _Place(place.path, f"{place.key}.{name}")))
        for name, text in _table(value, place).items()
    )


HOST_KEYS: dict[str, tuple[str, Reader]] = {
    "concurrency": ("max_concurrency", _positive_int),
    "interval": ("min_interval", _seconds),
    "headers": ("headers", _headers),
}


def _host(value: Any, place: _Place) -> HostPolicy:
    settings = {}
    for key, item in _table(value, place).items():
        where = _Place(place.path, f"{place.key}.{key}")
        if key not in HOST_KEYS:
            raise where.fail(f"unknown key (expected one of {', '.join(HOST_KEYS)})")
        name, reader = HOST_KEYS[key]
        settings[name] = reader(item, where)
    return HostPolicy(**settings)


def _hosts(value: Any, place: _Place) -> tuple[tuple[str, HostPolicy], ...]:
    return tuple(
        (host.lower(), _host(policy, _Place(place.path, f'{place.key}."{host}"')))
        for host, policy in _table(value, place).items()
    )


KEYS: dict[str, tuple[str, Reader]] = {
    "fail_on": ("fail_on", _fail_on),
    "input_format": ("input_format", _input_format),
    "bibliographies": ("bibliographies", _paths),
    "rules": ("severities", _rules),
    "check_links": ("check_links", _flag),
    "offline": ("offline", _flag),
    "all_links": ("all_links", _flag),
    "allow_private": ("allow_private", _flag),
    "concurrency": ("concurrency", _positive_int),
    "per_host": ("per_host", _positive_int),
    "workers": ("workers", _positive_int),
    "interval": ("min_interval", _seconds),
    "timeout": ("timeout", _timeout),
    "max_redirects": ("max_redirects", _count),
    "max_retries": ("max_retries", _count),
    "exclude": ("exclude", _patterns),
    "remap": ("remap", _remap),
    "hosts": ("hosts", _hosts),
    "cache": ("cache", _cache),
    "max_cache_age": ("max_cache_age", _seconds),
    "archive": ("archive", _path),
    "mailto": ("mailto", _email),
    "baseline": ("baseline", _path),
    "crossref_url": ("crossref_url", _url),
    "doi_url": ("doi_url", _url),
    "openlibrary_url": ("openlibrary_url", _url),
    "wayback_url": ("wayback_url", _url),
}
"""Configuration key -> (Options field, reader that checks and converts the value)."""


def read_flag(flag: str, key: str, value: Any) -> Any:
    """The value of ``flag`` checked and converted as configuration ``key`` is, or a
    ConfigError naming the flag: ``--timeout: expected a number of seconds > 0, got -1``."""
    return KEYS[key][1](value, _Place(None, flag))


def find_config(start: Path) -> tuple[Path, dict[str, Any], str] | None:
    """The nearest configuration from ``start`` upward: (file, its table, key prefix)."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own, _read_toml(own), ""
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if isinstance(tool, dict) and "citecheck" in tool:
                return (
                    pyproject,
                    _table(tool["citecheck"], _Place(pyproject, "tool.citecheck")),
                    ("tool.citecheck."),
                )
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", path=str(path)) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", path=str(path)) from error


def load_config(start: Path) -> ConfigResult:
    """The nearest configuration from ``start`` (a folder or file) upward, checked."""
    found = find_config(start)
    if found is None:
        return ConfigResult(path=None)
    return _convert(*found)


def load_file(path: Path) -> ConfigResult:
    """A configuration file named explicitly (``--config``): citecheck.toml or pyproject."""
    table = _read_toml(path)
    if path.name != PYPROJECT:
        return _convert(path, table, "")
    tool = table.get("tool", {})
    citecheck = tool.get("citecheck", {}) if isinstance(tool, dict) else {}
    return _convert(path, _table(citecheck, _Place(path, "tool.citecheck")), "tool.citecheck.")


def _convert(path: Path, table: Mapping[str, Any], prefix: str) -> ConfigResult:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in table.items():
        place = _Place(path, prefix + key)
        if key not in KEYS:
            raise place.fail("unknown key (see docs/configuration.md)")
        name, reader = KEYS[key]
        values[name] = reader(value, place)
        sources[name] = str(place)
    return ConfigResult(path, MappingProxyType(values), MappingProxyType(sources))


def merge(options: Options, config: ConfigResult, flags: Mapping[str, Any]) -> Options:
    """``options`` (the defaults) overlaid by the file's values, then by the flags.

    ``flags`` holds only what was given on the command line, keyed by Options field
    name, already converted (``fail_on=None`` means never fail). Pair fields
    (severities, remap, hosts) are overridden entry by entry; exclude patterns add up.
    """
    _check_fields(flags)
    merged = dataclasses.replace(options, **_overlay(options, config.values))
    return dataclasses.replace(merged, **_overlay(merged, flags))


def _check_fields(flags: Mapping[str, Any]) -> None:
    known = {item.name for item in dataclasses.fields(Options)}
    unknown = sorted(set(flags) - known)
    if unknown:
        raise ConfigError(f"unknown option {', '.join(unknown)}")


def _overlay(base: Options, values: Mapping[str, Any]) -> dict[str, Any]:
    changes = dict(values)
    for name in PAIRED_FIELDS:
        if name in values:
            combined = dict(getattr(base, name))
            combined.update(dict(values[name]))
            changes[name] = tuple(combined.items())
    for name in _JOINED:
        if name in values:
            changes[name] = tuple(dict.fromkeys((*getattr(base, name), *values[name])))
    return changes


def sources(config: ConfigResult, flags: Mapping[str, Any]) -> dict[str, str]:
    """Options field -> where its effective value came from (flag, file key, default)."""
    result = {}
    for item in dataclasses.fields(Options):
        origins = []
        if item.name in flags:
            origins.append(FLAG)
        if item.name in config.sources and (
            item.name not in flags or item.name in PAIRED_FIELDS or item.name in _JOINED
        ):
            origins.append(config.sources[item.name])
        result[item.name] = " + ".join(origins) or DEFAULT
    return result
