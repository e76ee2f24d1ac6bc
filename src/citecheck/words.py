"""Counts in messages for people: "1 link", "2 links"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, in the plural (``noun + "s"`` unless given) when not 1."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
