"""Shared fixtures: the read-only real-world corpus beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def _corpus_dir() -> Path:
    override = os.environ.get("CITECHECK_CORPUS")
    return Path(override) if override else ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus folder.

    In a clone elsewhere, where the folder is absent, the tests that need it are skipped with a
    message naming the folder; CI sets CITECHECK_REQUIRE_CORPUS so that they fail there instead
    of silently not running.
    """
    folder = _corpus_dir()
    if not folder.is_dir():
        message = f"corpus folder {folder} not found (set CITECHECK_CORPUS)"
        if os.environ.get("CITECHECK_REQUIRE_CORPUS"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def essay() -> Path:
    """The example essay shipped in examples/."""
    return ROOT / "examples" / "learning-for-freedom.txt"


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA
