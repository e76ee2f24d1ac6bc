"""SARIF 2.1.0, as GitHub code scanning and other viewers read it.

The rule catalogue becomes ``tool.driver.rules``; each finding a result with a
location and a position-free fingerprint, so that a finding keeps its identity when
the lines above it change.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from citecheck.model import Finding, Report, Severity
from citecheck.report.fingerprint import FINGERPRINT_KEY, occurrence_fingerprints
from citecheck.validate.rules import RULES, Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/citecheck/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_EXTRA_FIELDS = ("label", "suggestion", "url", "field", "expected", "found", "source", "location")


def tool_version() -> str:
    """citecheck's version: ``citecheck.__version__`` or the installed distribution's."""
    try:
        version = getattr(importlib.import_module("citecheck"), "__version__", None)
        if isinstance(version, str):
            return version
        return importlib.metadata.version("citecheck")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def render(report: Report) -> str:
    """The report as a SARIF 2.1.0 log with one run."""
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    index = {name: position for position, name in enumerate(RULES)}
    prints = occurrence_fingerprints(report.findings)
    run: dict[str, Any] = {
        "tool": {"driver": _driver()},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(item, index, key) for item, key in zip(report.findings, prints, strict=True)
        ],
    }
    if report.notices:
        run["invocations"] = [_invocation(report)]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _driver() -> dict[str, Any]:
    return {
        "name": "citecheck",
        "version": tool_version(),
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule) for rule in RULES.values()],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.name,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": rule.explanation},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }


def _result(item: Finding, index: dict[str, int], key: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": item.rule,
        "level": LEVELS[item.severity],
        "message": {"text": _message(item)},
        "locations": [_location(item)],
        "partialFingerprints": {FINGERPRINT_KEY: key},
    }
    if item.rule in index:
        result["ruleIndex"] = index[item.rule]
    properties = {name: getattr(item, name) for name in _EXTRA_FIELDS if getattr(item, name)}
    if properties:
        result["properties"] = properties
    return result


def _message(item: Finding) -> str:
    message = f"{item.location}: {item.message}" if item.location else item.message
    if item.suggestion:
        return f"{message} (suggestion: {item.suggestion})"
    return message


def _location(item: Finding) -> dict[str, Any]:
    """The file and region; where lines mean little (Word) also the words a person looks for."""
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(item.path)},
            "region": {"startLine": max(1, item.line), "startColumn": max(1, item.column)},
        }
    }
    if item.location:
        location["message"] = {"text": item.location}
    return location


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference; an absolute one as a file: URI."""
    if PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_uri()
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return posix.as_uri()
    return quote(str(posix), safe="/")


def _invocation(report: Report) -> dict[str, Any]:
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [
            {"level": "note", "message": {"text": notice}} for notice in report.notices
        ],
    }
