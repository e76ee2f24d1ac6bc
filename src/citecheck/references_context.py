"""Features of a token's punctuation-delimited segment seen from its neighbours.

A field usually ends where the next segment starts to look like another field: a year, a
volume, issue or page number ("21(6)", "pp. 12-24"), "In", editors ("(Eds.)"), a place before
a publisher ("New York:"), a publisher, a URL or DOI. Each segment gets one such kind
(:func:`segment_kind`), and every token sees the kinds of the segments before and after its
own, its place inside its segment, how far its segment is from the one holding the year,
whether it comes right after a leading list of names (where a title usually starts), and
whether editors came before it ("In A. Smith (Ed.), Book": what follows is the container), and
whether its segment holds a plain lower-case word, which a list of names seldom does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citecheck.references_tokens import Token

_YEAR = re.compile(r"^(?:1[5-9]\d\d|20\d\d)[a-z]?$")
_NUMBER_WORDS = frozenset(
    "vol vols volume v no nos nr issue n° № pp p pages page s bd t heft number".split()
)
_EDITOR_WORDS = frozenset("ed eds editor editors edited edd hrsg hg ред".split())
_PUBLISHER_WORDS = frozenset(
    "press university verlag publishing publishers publisher books inc ltd gmbh "
    "wiley springer elsevier routledge sage kluwer academic".split()
)
_IN_WORDS = frozenset(("in", "in:", "dans", "im", "в"))
_QUOTES = frozenset('“”‘’«»„"`')
_MARKS = frozenset("-–—/(),:;.")


def segment_kind(texts: Sequence[str]) -> str:
    """What a segment looks like: year, num, in, eds, place, pub, url, quote, name or words."""
    words = [t for t in texts if t[0].isalpha()]
    lower = [w.lower().rstrip(".:") for w in words]
    if any(t.startswith(("http", "www.", "10.", "doi")) for t in texts):
        return "url"
    if lower and lower[0] in _IN_WORDS:
        return "in"
    if any(w in _EDITOR_WORDS for w in lower):
        return "eds"
    digits = [t for t in texts if t[0].isdigit()]
    if digits and any(_YEAR.match(t) for t in digits) and len(words) <= 2:
        return "year"
    if digits and all(w in _NUMBER_WORDS or len(w) == 1 for w in lower):
        return "num"
    if any(t in _QUOTES for t in texts[:2]):
        return "quote"
    if len(words) <= 4 and any(w in _PUBLISHER_WORDS for w in lower):
        return "pub"
    if texts and texts[-1] == ":" and 0 < len(words) <= 3 and all(w[0].isupper() for w in words):
        return "place"
    if _name_like(texts):
        return "name"
    return "words" if words else "mark"


def _name_like(texts: Sequence[str]) -> bool:
    """Initials and capitalised words only, with at least one initial ("Smith, J. A.")."""
    words = [t for t in texts if t not in _MARKS]
    initials = sum(len(t.rstrip(".")) == 1 and t[0].isupper() for t in words)
    return (
        texts[-1] != ":"
        and 0 < len(words) <= 6
        and initials > 0
        and all(t[0].isupper() or t.lower() in ("and", "&", "et", "und") for t in words)
    )


def context_features(tokens: Sequence[Token], found: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Per token: its neighbour segments' kinds, its place in its segment, its segment's
    distance from the year's segment, whether it opens the first segment after the names, and
    whether a segment naming editors (and one starting with "In") came before."""
    texts = [t.text for t in tokens]
    kinds = [segment_kind(texts[start:end]) for start, end in found]
    year_seg = next((k for k, kind in enumerate(kinds) if kind == "year"), -1)
    names_end = 0
    while names_end < len(kinds) and kinds[names_end] in ("name", "year"):
        names_end += 1
    flags: list[list[str]] = []
    count = len(found)
    seen: set[str] = set()
    for k, (start, end) in enumerate(found):
        shared = [
            f"ks={kinds[k]}",
            f"kp={kinds[k - 1] if k else '^'}",
            f"kn={kinds[k + 1] if k + 1 < count else '$'}",
            f"knn={kinds[k + 2] if k + 2 < count else '$'}",
            f"kpn={kinds[k - 1] if k else '^'}|{kinds[k + 1] if k + 1 < count else '$'}",
        ]
        if year_seg >= 0:
            shared.append(f"ky={max(-3, min(3, k - year_seg))}")
        if any(_plain_word(t) for t in texts[start:end]):
            shared.append("plainword")
        if names_end and k == names_end:
            shared.append("afternames")
        if "eds" in seen:
            shared.append("aftereds+in" if "in" in seen else "aftereds")
        seen.add(kinds[k])
        for i in range(start, end):
            flags.append([*shared, f"segi={min(i - start, 3)}"])
    return flags


_NAME_PARTICLES = frozenset("von van der den de del della di da dos das du la le ter ten".split())


def _plain_word(text: str) -> bool:
    """A lower-case word of four letters or more that is no name particle ("section")."""
    return len(text) >= 4 and text.isalpha() and text.islower() and text not in _NAME_PARTICLES
