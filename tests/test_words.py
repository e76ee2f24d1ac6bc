"""Counts in messages for people."""

from __future__ import annotations

import pytest

from citecheck.words import counted


@pytest.mark.parametrize(
    ("count", "noun", "plural", "expected"),
    [
        (0, "link", None, "0 links"),
        (1, "link", None, "1 link"),
        (2, "WARC file", None, "2 WARC files"),
        (1, "citation key", None, "1 citation key"),
        (3, "entry", "entries", "3 entries"),
    ],
)
def test_counted(count: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(count, noun, plural) == expected
