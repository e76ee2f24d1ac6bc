"""What a run leaves out or re-grades: severity overrides, inline ignores and baselines.

Order: per-rule severity (``off`` drops the rule), then ``citecheck: ignore`` comments,
then the baseline, which keeps only findings that were not there when it was written.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from citecheck.errors import ConfigError
from citecheck.files import write_atomic
from citecheck.model import Document, Finding, Severity, Suppression
from citecheck.options import Options
from citecheck.report.fingerprint import fingerprint

BASELINE_VERSION = 1
OFF = "off"
LEVELS = (*(severity.value for severity in Severity), OFF)


def apply(
    findings: Iterable[Finding], documents: Sequence[Document], options: Options
) -> list[Finding]:
    """The findings that remain after overrides, inline suppressions and the baseline."""
    kept = override_severities(findings, options.severities)
    kept = drop_suppressed(kept, documents)
    if options.baseline is not None:
        kept = filter_baseline(kept, Path(options.baseline))
    return kept


def override_severities(
    findings: Iterable[Finding], severities: Iterable[tuple[str, str]]
) -> list[Finding]:
    """Findings re-graded by ``(rule, level)`` pairs; level ``off`` removes the rule."""
    levels = dict(severities)
    for rule, level in levels.items():
        if level not in LEVELS:
            raise ConfigError(f"severity of rule {rule!r} must be one of {', '.join(LEVELS)}")
    kept = []
    for item in findings:
        wanted = levels.get(item.rule)
        if wanted == OFF:
            continue
        if wanted is not None and wanted != item.severity.value:
            item = dataclasses.replace(item, severity=Severity(wanted))
        kept.append(item)
    return kept


def drop_suppressed(findings: Iterable[Finding], documents: Sequence[Document]) -> list[Finding]:
    """Findings not covered by a ``citecheck: ignore`` in their file, on their line or the
    line above."""
    by_file = _suppressions_by_file(documents)
    return [item for item in findings if not _suppressed(item, by_file.get(item.path, []))]


def _suppressions_by_file(documents: Iterable[Document]) -> dict[str, list[Suppression]]:
    """Each file's ignore comments: a document's own, and those of the files it reads in."""
    by_file: dict[str, list[Suppression]] = {}
    for document in documents:
        for suppression in document.suppressions:
            by_file.setdefault(suppression.path or document.path, []).append(suppression)
    return by_file


def _suppressed(item: Finding, suppressions: Iterable[Suppression]) -> bool:
    return any(
        item.line in (suppression.line, suppression.line + 1)
        and (not suppression.rules or item.rule in suppression.rules)
        for suppression in suppressions
    )


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    """Record the fingerprints of ``findings`` so later runs report only new ones."""
    counts = Counter(fingerprint(item) for item in findings)
    payload = {
        "version": BASELINE_VERSION,
        "tool": "citecheck",
        "fingerprints": dict(sorted(counts.items())),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(payload, indent=2) + "\n")
    except OSError as error:
        raise ConfigError(f"cannot write baseline: {error.strerror}", path=str(path)) from error


def read_baseline(path: Path) -> Counter[str]:
    """How many findings of each fingerprint the baseline at ``path`` accepts."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read baseline: {error.strerror}", path=str(path)) from error
    except json.JSONDecodeError as error:
        raise ConfigError(f"baseline is not JSON: {error.msg}", path=str(path)) from error
    if not isinstance(payload, dict) or payload.get("version") != BASELINE_VERSION:
        raise ConfigError("not a citecheck baseline (version 1)", path=str(path))
    entries = payload.get("fingerprints")
    if not isinstance(entries, dict):
        raise ConfigError("baseline has no fingerprints table", path=str(path))
    if not all(isinstance(count, int) and count > 0 for count in entries.values()):
        raise ConfigError("baseline counts must be positive integers", path=str(path))
    return Counter(entries)


def filter_baseline(findings: Iterable[Finding], path: Path) -> list[Finding]:
    """The findings the baseline at ``path`` does not already accept.

    A fingerprint recorded n times accepts n findings: one more of the same kind is new.
    """
    allowance = read_baseline(path)
    items = list(findings)
    order = sorted(range(len(items)), key=lambda i: (items[i].path, items[i].line, items[i].column))
    new = set()
    for index in order:
        key = fingerprint(items[index])
        if allowance[key] > 0:
            allowance[key] -= 1
        else:
            new.add(index)
    return [item for index, item in enumerate(items) if index in new]
