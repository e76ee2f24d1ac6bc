"""Labelled reference strings (AnyStyle XML, GROBID TEI), the development/held-out split, scoring.

Both formats become one label set (:data:`LABELS`), one label per token. Spans are cleaned the
same way in both: leading and trailing punctuation, and keywords such as ``pp.``, ``Vol.``,
``In`` or ``(eds.)``, are labelled ``other``; AnyStyle's ``<volume>41(1)</volume>`` is split into
volume ``41`` and issue ``1`` (AnyStyle has no issue label), as GROBID marks them; so is a
number after ``,`` or ``No.`` inside a volume span of either format (``39, No. 9``).

The split: a reference is held out when the first byte of the SHA-1 of its whitespace-collapsed
text is divisible by 5 (about one in five, whatever file it is in; identical strings always fall
on the same side). Training and tuning use only the development part.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.model import Person, Reference
from citecheck.references_tokens import Token, tokenize

LABELS = (
    "author", "editor", "date", "title", "container", "collection", "volume", "issue", "pages",
    "publisher", "place", "edition", "genre", "report", "url", "doi", "isbn", "note", "number",
    "other",
)  # fmt: skip
_ANYSTYLE = {
    "author": "author", "director": "author", "editor": "editor", "translator": "note",
    "producer": "note", "date": "date", "title": "title", "journal": "container",
    "container-title": "container", "collection-title": "collection", "volume": "volume",
    "pages": "pages", "publisher": "publisher", "location": "place", "edition": "edition",
    "genre": "genre", "medium": "genre", "url": "url", "doi": "doi", "isbn": "isbn",
    "note": "note", "source": "note", "dataset": "note", "citation-number": "number",
}  # fmt: skip
_TEI = {
    "author": "author", "authors": "author", "editor": "editor", "date": "date",
    "publisher": "publisher", "pubPlace": "place", "note": "note", "notes": "note",
    "ptr": "url", "orgName": "publisher",
}  # fmt: skip
_TEI_SCOPE = {"vol": "volume", "volume": "volume", "issue": "issue", "pp": "pages", "page": "pages"}
_TEI_IDNO = {"report": "report", "doi": "doi", "isbn": "isbn"}
_STRIP_WORDS = {
    "pages": {"pp.", "pp", "p.", "p", "pages", "page", "s.", "с."},
    "volume": {"vol.", "vol", "volume", "v.", "bd.", "band", "t.", "т.", "tome", "(vol."},
    "issue": {"no.", "no", "nr.", "nr", "issue", "n°", "№", "heft", "number", "n", "°"},
    "editor": {"in", "in:", "ed.", "eds.", "ed", "eds", "editor", "editors", "edited", "by",
               "hrsg.", "hg.", "(", ")", "(ed.)", "(eds.)", "под", "ред."},
    "container": {"in", "in:", "dans", "im"},
    "url": {"available", "at", "from", "retrieved", "url", "<", ">", "online", "access"},
}  # fmt: skip
_ISSUE_MARKS = {"(", ",", "no.", "no", "nr.", "nr", "n°", "№", "issue", "heft", "number"}
_HELD_OUT_MODULUS = 5


@dataclass(frozen=True)
class LabelledReference:
    text: str
    tokens: list[Token] = field(compare=False)
    labels: list[str] = field(compare=False)
    source: str = ""


def read_labelled(path: str | Path) -> list[LabelledReference]:
    """Every labelled reference in an AnyStyle ``<dataset>`` or a GROBID TEI file."""
    root = ET.parse(path).getroot()
    name = Path(path).name
    if root.tag == "dataset":
        pieces = (_anystyle_pieces(seq) for seq in root.iter("sequence"))
        return [_labelled(p, name, anystyle=True) for p in pieces]
    bibls = (el for el in root.iter() if _local(el.tag) == "bibl")
    return [_labelled(_tei_pieces(b), name, anystyle=False) for b in bibls]


def is_held_out(text: str) -> bool:
    """True for the references kept out of training (see the module docstring)."""
    digest = hashlib.sha1(" ".join(text.split()).encode()).digest()
    return digest[0] % _HELD_OUT_MODULUS == 0


def split(refs: Iterable[LabelledReference]) -> tuple[list[LabelledReference], ...]:
    """(development, held-out) parts of ``refs``."""
    dev: list[LabelledReference] = []
    held: list[LabelledReference] = []
    for ref in refs:
        (held if is_held_out(ref.text) else dev).append(ref)
    return dev, held


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _anystyle_pieces(sequence: ET.Element) -> list[tuple[str, str]]:
    pieces = []
    for child in sequence:
        pieces.append((child.text or "", _ANYSTYLE.get(child.tag, "note")))
        pieces.append((" ", "other"))
    return pieces


def _tei_pieces(bibl: ET.Element) -> list[tuple[str, str]]:
    has_article = any(_title_level(el) == "a" for el in bibl.iter() if _local(el.tag) == "title")
    has_author = any(_local(el.tag) == "author" for el in bibl.iter())
    pieces: list[tuple[str, str]] = []
    state = {"author": has_author, "title_seen": False}

    def walk(element: ET.Element, inherited: str) -> None:
        label = _tei_label(element, inherited, has_article, state)
        pieces.append((element.text or "", label))
        for child in element:
            walk(child, label)
            pieces.append((child.tail or "", label))

    walk(bibl, "other")
    return pieces


def _title_level(element: ET.Element) -> str:
    return element.get("level", "")


def _tei_label(
    element: ET.Element, inherited: str, has_article: bool, state: dict[str, bool]
) -> str:
    tag = _local(element.tag)
    kind = (element.get("type") or element.get("unit") or element.get("level") or "").lower()
    if tag == "title":
        state["title_seen"] = True
        return _TEI_TITLE.get((kind, has_article), "title")
    if tag == "orgName" and not state["author"] and not state["title_seen"]:
        return "author"
    if tag in ("biblScope", "biblStruct"):
        return _TEI_SCOPE.get(kind, "other")
    if tag == "idno":
        return _TEI_IDNO.get(kind, "note")
    if tag == "note" and kind == "report":
        return "genre"
    return _TEI.get(tag, inherited)


_TEI_TITLE = {
    ("a", True): "title", ("a", False): "title", ("m", True): "container",
    ("m", False): "title", ("j", True): "container", ("j", False): "container",
    ("s", True): "collection", ("s", False): "collection",
}  # fmt: skip


def _labelled(pieces: list[tuple[str, str]], source: str, anystyle: bool) -> LabelledReference:
    chars: list[str] = []
    char_labels: list[str] = []
    for text, label in pieces:
        for char in text:
            if char.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    char_labels.append(label)
            else:
                chars.append(char)
                char_labels.append(label)
    text = "".join(chars).strip()
    offset = len(chars) - len("".join(chars).lstrip())
    tokens = tokenize(text)
    labels = [_token_label(tok, char_labels, offset) for tok in tokens]
    _split_issue(tokens, labels)
    clean_spans(tokens, labels)
    return LabelledReference(text, tokens, labels, source)


def _token_label(token: Token, char_labels: list[str], offset: int) -> str:
    for i, char in enumerate(token.text):
        if char.isalnum():
            return char_labels[offset + token.start + i]
    return char_labels[offset + token.start]


def spans(labels: Sequence[str]) -> Iterator[tuple[str, int, int]]:
    """Maximal runs of one label: (label, first token index, index after the last)."""
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            yield labels[start], start, i
            start = i


def _split_issue(tokens: list[Token], labels: list[str]) -> None:
    for label, start, end in list(spans(labels)):
        if label != "volume":
            continue
        seen_number = False
        for i in range(start, end):
            word = tokens[i].text.lower()
            if word[0].isdigit() or word.rstrip(".") in {"xv", "xl", "xliii"}:
                if seen_number and i > start and tokens[i - 1].text.lower() in _ISSUE_MARKS:
                    labels[i] = "issue"
                seen_number = True
            if word == ":":
                break


def clean_spans(tokens: list[Token], labels: list[str]) -> None:
    """Label ``other`` the punctuation and keywords at either end of every span."""
    for label, start, end in list(spans(labels)):
        if label == "other":
            continue
        strip = _STRIP_WORDS.get(label, set())
        lo, hi = start, end
        while lo < hi and _strippable(tokens[lo].text, strip):
            labels[lo] = "other"
            lo += 1
        while hi > lo and _strippable(tokens[hi - 1].text, strip):
            hi -= 1
            labels[hi] = "other"


def _strippable(word: str, strip: set[str]) -> bool:
    return not any(c.isalnum() for c in word) or word.lower() in strip


# -- scoring ----------------------------------------------------------------------------------

FIELDS = (
    "author", "editor", "year", "title", "container", "volume", "issue", "pages", "publisher",
    "place", "edition", "report_number", "doi", "isbn", "url",
)  # fmt: skip
CORE_FIELDS = ("author", "year", "title", "container", "volume", "issue", "pages")
_EDGE_PUNCT = " .,;:!?()[]{}\"'“”‘’«»<>-–—/*"


def normalise(value: str) -> str:
    """The form fields are compared in: NFKC, case-folded, one space, no punctuation at the ends."""
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[‐‑‒–—−]", "-", value)
    return " ".join(value.split()).strip(_EDGE_PUNCT)


def _families(people: tuple[Person, ...]) -> str | None:
    return " | ".join(normalise(p.family) for p in people) if people else None


def field_value(ref: Reference, name: str) -> str | None:
    """The normalised value of one scored field; authors as their family names, in order."""
    if name == "author":
        return _families(ref.authors)
    if name == "editor":
        return _families(ref.editors)
    value = getattr(ref, name)
    return normalise(value) if value else None


@dataclass
class Tally:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: str | None, found: str | None) -> None:
        if gold is not None and gold == found:
            self.tp += 1
            return
        self.fp += found is not None
        self.fn += gold is not None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Field tallies over many references, and how many were right in every field."""

    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    references: int = 0
    exact: int = 0

    def add(self, gold: Reference, found: Reference) -> None:
        self.references += 1
        right = True
        for name, tally in self.fields.items():
            g, f = field_value(gold, name), field_value(found, name)
            tally.add(g, f)
            right = right and g == f
        self.exact += right

    def micro(self, names: Sequence[str] = CORE_FIELDS) -> Tally:
        total = Tally()
        for name in names:
            tally = self.fields[name]
            total.tp += tally.tp
            total.fp += tally.fp
            total.fn += tally.fn
        return total
