"""``citecheck config``: the effective configuration written as a citecheck.toml."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from citecheck.config import HOST_KEYS, KEYS, PAIRED_FIELDS, ConfigResult, sources
from citecheck.model import Severity
from citecheck.options import HostPolicy, Options


def describe(options: Options, config: ConfigResult, flags: Mapping[str, Any]) -> str:
    """The effective configuration as a citecheck.toml, each key followed by its source.

    Only what a file can set is shown, under the file's names. A key without a value (no
    archive, no forced input format) is a comment, as TOML has no null; the rest of the
    lines may be copied into a configuration file as they stand.
    """
    origin = sources(config, flags)
    lines = [f"# configuration file: {config.path or 'none found'}"]
    for key, (name, _) in KEYS.items():
        value = getattr(options, name)
        if value is None and name not in _NONE:
            lines.append(f"# {key}: not set ({origin[name]})")
        else:
            shown = _NONE[name] if value is None else _toml(value, table=name in PAIRED_FIELDS)
            lines.append(f"{key} = {shown}  # {origin[name]}")
    return "\n".join(lines) + "\n"


_NONE = {"fail_on": '"never"', "cache": "false"}
"""How a file says None, for the fields where it can."""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _toml(value: Any, table: bool = False) -> str:
    """``value`` as a TOML value; ``table``: pairs as an inline table."""
    if table:
        return _inline_table((key, _toml(item)) for key, item in value)
    if isinstance(value, HostPolicy):
        return _host_table(value)
    if isinstance(value, Severity):
        return _toml(value.value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    return repr(value)


def _host_table(policy: HostPolicy) -> str:
    pairs = [(key, getattr(policy, name)) for key, (name, _) in HOST_KEYS.items()]
    return _inline_table(
        (key, _toml(value, table=key == "headers"))
        for key, value in pairs
        if value not in (None, ())
    )


def _inline_table(pairs: Iterable[tuple[str, str]]) -> str:
    """``{key = value, ...}`` from keys and values already written as TOML."""
    keys_and_values = (f"{_toml_key(key)} = {value}" for key, value in pairs)
    return "{" + ", ".join(keys_and_values) + "}"


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    return f'"{_TOML_ESCAPE.sub(_toml_escape, text)}"'


def _toml_escape(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\{char}" if char in '"\\' else f"\\u{ord(char):04X}"
