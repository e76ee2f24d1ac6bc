"""Stable identities for findings, shared by SARIF output and baselines.

A fingerprint hashes what a finding is about (rule, file, note label, message) and
leaves out where it stands, so that it survives edits that move lines around.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from citecheck.model import Finding

FINGERPRINT_KEY = "citecheck/v1"
"""The key of the fingerprint in SARIF ``partialFingerprints``; bump it if the recipe changes."""

_POSITIONS = re.compile(
    r"\b(?:on |at )?(?:lines?|columns?|col\.?)\s+\d+(?:\s*[-–,:]\s*\d+)?"
    r"|\b\d+:\d+\b"
    r"|\(\s*\)",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def message_without_positions(message: str) -> str:
    """``message`` with line and column mentions removed and spacing normalised."""
    stripped = _POSITIONS.sub(" ", message)
    return _SPACES.sub(" ", stripped).strip(" ,;")


def fingerprint(finding: Finding) -> str:
    """A hex digest of rule, path, label and position-free message."""
    parts = (
        finding.rule,
        finding.path.replace("\\", "/"),
        finding.label or "",
        message_without_positions(finding.message),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def occurrence_fingerprints(findings: Iterable[Finding]) -> list[str]:
    """Fingerprints made unique by a ``:n`` occurrence suffix, in the findings' order.

    Two findings with the same identity (the same message twice in one file) get
    ``abc...:1`` and ``abc...:2``, so a baseline can tell "one more of the same" apart.
    """
    seen: Counter[str] = Counter()
    result = []
    for item in findings:
        base = fingerprint(item)
        seen[base] += 1
        result.append(f"{base}:{seen[base]}")
    return result
