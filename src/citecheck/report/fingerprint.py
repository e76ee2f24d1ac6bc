"""Stable identities for findings, shared by SARIF output and baselines.

A fingerprint hashes what a finding is about (rule, file, note label, message) and
leaves out where it stands, so that it survives edits that move lines around. The file is
named as from the current folder (:func:`portable_path`), however it was typed: run from the
repository root, ``./essay.md``, ``essay.md`` and ``/home/me/repo/essay.md`` are one file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable

from citecheck.model import Finding

FINGERPRINT_KEY = "citecheck/v1"
"""The key of the fingerprint in SARIF ``partialFingerprints``; bump it if the recipe changes.

Naming files by :func:`portable_path` kept v1: a path typed plainly from the current folder
(``essays/a.md``) hashes as before, so baselines and code-scanning alerts of earlier versions
still match; only the ``./`` and absolute spellings, which never matched each other, moved.
"""

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


def portable_path(path: str) -> str:
    """``path`` relative to the current folder, with ``/`` between parts and no ``./``.

    A path outside the current folder keeps its ``..`` steps; one that cannot be made
    relative (another drive) stays absolute. Symbolic links are followed only when the plain
    spelling leads outside the current folder (``/tmp`` that is ``/private/tmp``).
    """
    return _portable(path, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _portable(path: str, folder: str) -> str:
    typed = path.replace("\\", "/")
    relative = _relative(os.path.join(folder, typed), folder)
    if relative.startswith("../"):
        resolved = _relative(
            os.path.realpath(os.path.join(folder, typed)), os.path.realpath(folder)
        )
        relative = relative if resolved.startswith("../") else resolved
    return relative


def _relative(path: str, folder: str) -> str:
    try:
        relative = os.path.relpath(os.path.normpath(path), folder)
    except ValueError:  # another drive: no relative path exists
        relative = os.path.normpath(path)
    return relative.replace(os.sep, "/")


def fingerprint(finding: Finding) -> str:
    """A hex digest of rule, path (as :func:`portable_path` gives it), label and position-free
    message."""
    parts = (
        finding.rule,
        portable_path(finding.path),
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
