"""Command-line flags as Options fields, each checked by the rule its configuration key has."""

from __future__ import annotations

import argparse
from typing import Any

from citecheck.config import KEYS, pattern_problem, read_flag, severity_problem
from citecheck.errors import ConfigError
from citecheck.model import Severity
from citecheck.options import CHECKED_AS_CONFIG
from citecheck.resolve.links import remap_problem


def flags_given(args: argparse.Namespace) -> dict[str, Any]:
    """Options fields for the flags that were given, converted."""
    given = vars(args)
    flags: dict[str, Any] = {field: given[name] for name, field in _SAME.items() if name in given}
    for name, key in _CHECKED.items():
        if name in given:
            flags[KEYS[key][0]] = _checked(name, key, given[name])
    if "fail_on" in given:
        flags["fail_on"] = None if args.fail_on == "never" else Severity(args.fail_on)
    if "bib" in given:
        flags["bibliographies"] = tuple(args.bib)
    if "severity" in given:
        flags["severities"] = tuple(_severity(text) for text in args.severity)
    if "exclude" in given:
        flags["exclude"] = tuple(_pattern(text, "--exclude") for text in args.exclude)
    if "remap" in given:
        flags["remap"] = tuple(_remap(rule) for rule in args.remap)
    if "no_cache" in given:
        flags["cache"] = None
    if "no_links" in given:
        flags["check_links"] = False
    return flags


_SAME = {
    name: name
    for name in (
        "input_format",
        "offline",
        "all_links",
        "allow_private",
        "cache",
        "quiet",
        "archive",
        "baseline",
    )
}
_CHECKED = CHECKED_AS_CONFIG
"""Flags (argparse names, the same as the fields) checked as their configuration key is."""
_NUMBERS = ("concurrency", "per_host", "workers", "min_interval", "timeout", "max_cache_age")


def _checked(name: str, key: str, text: str) -> Any:
    flag = "--" + name.replace("_", "-")
    return read_flag(flag, key, _number(text) if name in _NUMBERS else text)


def _number(text: str) -> int | float | str:
    """``text`` as an int or a float as it is written; as it is when it is neither."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _severity(text: str) -> tuple[str, str]:
    rule, level = _pair(text, "=", "--severity")
    problem = severity_problem(rule, level)
    if problem:
        raise ConfigError(f"--severity {text}: {problem}")
    return rule, level


def _pattern(text: str, flag: str) -> str:
    problem = pattern_problem(text)
    if problem:
        raise ConfigError(f"{flag}: {problem}")
    return text


def _remap(rule: str) -> tuple[str, str]:
    pattern, target = _pair(rule.strip(), " ", "--remap")
    problem = remap_problem(_pattern(pattern, "--remap"), target)
    if problem:
        raise ConfigError(f"--remap {rule!r}: {problem}")
    return pattern, target


def _pair(text: str, separator: str, flag: str) -> tuple[str, str]:
    left, _, right = text.partition(separator)
    if not left or not right.strip():
        raise ConfigError(f"{flag} needs LEFT{separator}RIGHT, got {text!r}")
    return left, right.strip()
