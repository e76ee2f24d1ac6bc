"""Words for people and for comparing: counts in messages ("1 link", "2 links"), and the
letters Unicode does not take apart."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, in the plural (``noun + "s"`` unless given) when not 1."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


SEPARATE_LETTERS = str.maketrans("øłđðħŧıŋƀƶ", "olddhtinbz") | str.maketrans(
    {"æ": "ae", "œ": "oe", "þ": "th"}
)
"""Lower-case letters with a stroke, ligatures and the like: Unicode does not decompose
them, so they are mapped to the plain letters they are written with in ASCII."""
