"""Word and phrase dictionaries learnt from labelled references, and the features read from them.

For every word (lower-cased, punctuation trimmed) and every run of two or three
words, the dictionary counts the labels it carried in the training references: ``pharmacotherapy``
is mostly container, ``smith`` author, ``journal of`` container, ``cold pharmacotherapy`` (a
pair that crosses a boundary) ``mixed``. The labeller then sees, per token, the label its word
is mostly seen with, in what share and how often, and the same for the phrases around it.

While training, each reference is featurised with a dictionary that leaves its own counts out
(:meth:`Lexicon.without`), so the model learns how far a dictionary built from *other*
references can be trusted, which is what it meets when parsing new text.

The dictionary ships beside the model (``references.lexicon.json.gz``); a model with no
dictionary beside it is read without these features.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citecheck.references_tokens import Token

MIXED = "mixed"
_MIN_COUNT = 2  # a word seen once tells more about that one reference than about words
_EDGE = ".,;:!?()[]{}\"'“”‘’«»<>*"
_FORMAT = 1


def key(text: str) -> str:
    """The dictionary form of a word: lower-cased, trimmed; "" for marks and numbers."""
    word = text.lower().strip(_EDGE)
    if not word or word[0].isdigit() or not any(c.isalpha() for c in word):
        return ""
    return word


Counts = Mapping[str, Mapping[str, int]]
_EMPTY: Mapping[str, int] = {}


def entries(tokens: Sequence[Token], labels: Sequence[str]) -> Iterable[tuple[str, str]]:
    """(word or phrase, label) for every word and every run of two or three words in a reference.

    Marks and numbers are skipped, so phrases run across them; a phrase whose words differ in
    label counts as :data:`MIXED`.
    """
    words = [(k, lab) for t, lab in zip(tokens, labels, strict=True) if (k := key(t.text))]
    for i, (word, label) in enumerate(words):
        yield word, label
        for n in (2, 3):
            if i + 1 >= n:
                run = words[i + 1 - n : i + 1]
                kinds = {lab for _w, lab in run}
                yield " ".join(w for w, _l in run), label if len(kinds) == 1 else MIXED


@dataclass(frozen=True)
class Lexicon:
    """Label counts per word and phrase; ``less`` holds counts to leave out (one reference's)."""

    counts: Counts
    less: Counts = field(default_factory=dict)
    _seen: dict[str, Summary | None] = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, entry: str) -> Mapping[str, int]:
        found = self.counts.get(entry, _EMPTY)
        less = self.less.get(entry)
        if not less:
            return found
        found = dict(found)
        for label, n in less.items():
            found[label] = found.get(label, 0) - n
        return {label: n for label, n in found.items() if n > 0}

    def summary(self, entry: str) -> Summary | None:
        """(majority label, its share in quarters, log2 of the count), or None when too rare."""
        if entry not in self.counts:  # keeps the cache to the dictionary's own entries
            return None
        if self.less:  # a dictionary less one reference is used for that reference alone
            return _summary(self.lookup(entry))
        if entry not in self._seen:
            self._seen[entry] = _summary(self.lookup(entry))
        return self._seen[entry]

    def without(self, tokens: Sequence[Token], labels: Sequence[str]) -> Lexicon:
        """This dictionary less the counts of one labelled reference."""
        return Lexicon(self.counts, tally(entries(tokens, labels)))


def tally(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    for entry, label in pairs:
        counts.setdefault(entry, Counter())[label] += 1
    return {entry: dict(c) for entry, c in counts.items()}


def build(refs: Iterable[tuple[Sequence[Token], Sequence[str]]]) -> Lexicon:
    """A dictionary of the words and phrases of labelled references, rare ones dropped."""
    counts = tally(pair for tokens, labels in refs for pair in entries(tokens, labels))
    kept = {e: c for e, c in counts.items() if sum(c.values()) >= _MIN_COUNT}
    return Lexicon(kept)


def save(lexicon: Lexicon, path: Path) -> None:
    payload = {"format": _FORMAT, "counts": lexicon.counts}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_bytes(gzip.compress(data.encode(), compresslevel=9, mtime=0))


def load(path: Path) -> Lexicon | None:
    """The dictionary at ``path``, or None when there is none."""
    if not path.exists():
        return None
    payload = json.loads(gzip.decompress(path.read_bytes()))
    return Lexicon(payload["counts"])


def path_for(model: Path) -> Path:
    """Where the dictionary of the model at ``model`` lives: beside it, named after it."""
    return model.with_name(model.stem + ".lexicon.json.gz")


Summary = tuple[str, int, int]


def _summary(counts: Mapping[str, int]) -> Summary | None:
    """(majority label, its share in quarters, log2 of the count) or None when too rare."""
    total = sum(counts.values())
    if total < _MIN_COUNT:
        return None
    label, top = max(counts.items(), key=lambda item: (item[1], item[0]))
    return label, min(4 * top // total, 3), min(total.bit_length() - 1, 6)


def _word_flags(lexicon: Lexicon, word: str) -> tuple[str, list[str]]:
    summary = lexicon.summary(word)
    if summary is None:
        return "unk", ["lx=unk"]
    label, share, size = summary
    flags = [f"lx={label}", f"lx={label}:{share}", f"lxn={size}"]
    counts = lexicon.lookup(word)
    total = sum(counts.values())
    flags.extend(f"lx~{other}" for other, n in counts.items() if other != label and 5 * n >= total)
    return label, flags


def lexicon_features(tokens: Sequence[Token], lexicon: Lexicon) -> list[list[str]]:
    """Per token: the labels its word and the phrases around it were seen with."""
    words = [key(t.text) for t in tokens]
    order = [i for i, w in enumerate(words) if w]
    flags: list[list[str]] = [[] for _ in tokens]
    majority = ["" for _ in tokens]
    for i in order:
        majority[i], flags[i] = _word_flags(lexicon, words[i])
    for place, i in enumerate(order):
        if place:
            flags[i].append(f"-1lx={majority[order[place - 1]]}")
        if place + 1 < len(order):
            flags[i].append(f"+1lx={majority[order[place + 1]]}")
        for n in (2, 3):
            _phrase_flags(flags, lexicon, words, order, place, n)
    return flags


def _phrase_flags(
    flags: list[list[str]],
    lexicon: Lexicon,
    words: Sequence[str],
    order: Sequence[int],
    place: int,
    n: int,
) -> None:
    """Mark the phrase of ``n`` words that ends at word ``place`` on its first and last token."""
    if place + 1 < n:
        return
    run = order[place + 1 - n : place + 1]
    summary = lexicon.summary(" ".join(words[i] for i in run))
    if summary is None:
        return
    label, share, _size = summary
    if share >= 2:
        flags[run[-1]].append(f"lx{n}e={label}")
        flags[run[0]].append(f"lx{n}s={label}")
