"""Normalised forms of reference fields, so that only real differences count.

Case, diacritics (and letters Unicode does not decompose: ø, ł, æ), Cyrillic
transliteration, quotes and punctuation, ``{Braces}``, ``&`` and ``and``, ``pp.``, en dash
or hyphen, abbreviated page ranges (``78–14`` is 78–114), journal abbreviations
(``Comp. Polit. Stud.``) and initials against full given names.
Everything here is a pure function of strings.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from citecheck.model import Person
from citecheck.words import SEPARATE_LETTERS

# ъ and ь have no Latin letter: the two empty places in _LATIN
_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e iu ia i i ie g u"
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", _LATIN.split(" "), strict=True))
_DASHES = re.compile(r"[\u2010-\u2015\u2212]|--+")
_STOPWORDS = frozenset(
    "a an the of and for in on at to de des du la le les der die das und für zur zum "
    "di del della e et y".split()
)
_PAGE_PREFIX = re.compile(r"^\s*(?:pp?\.|pages?|s\.|с\.)\s*", re.I)
_ETAL = frozenset({"et al", "al", "others", "et al.", "u a", "и др"})


def fold(text: str) -> str:
    """Lower-case words: no accents, braces, quotes or punctuation; ø as o, æ as ae;
    Cyrillic transliterated."""
    text = unicodedata.normalize("NFKD", text.replace("{", "").replace("}", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.translate(SEPARATE_LETTERS)
    text = "".join(_CYRILLIC.get(c, c) for c in text)
    text = re.sub(r"[’‘ʼ'`´]", "", text).replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def words(text: str) -> list[str]:
    """The significant words of a title or name: folded, without articles and particles."""
    return [w for w in fold(text).split() if w not in _STOPWORDS]


def title_similarity(a: str, b: str) -> float:
    """0..1: 1 when equal after folding or when one is the other's main title."""
    x, y = fold(a), fold(b)
    if not x or not y:
        return 0.0
    if x == y or _is_main_title(x, y) or _is_main_title(y, x):
        return 1.0
    return max(fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y)) / 100


def _is_main_title(short: str, full: str) -> bool:
    """``short`` is ``full`` without its subtitle, or a short title of three words or more."""
    return len(short.split()) >= 2 and full.startswith(short + " ")


def same_title(a: str, b: str) -> bool:
    return title_similarity(a, b) >= 0.92


def same_container(a: str, b: str) -> bool:
    """Journal names agree, one perhaps abbreviated (ISO 4 style) or with a leading "The"."""
    x, y = words(a), words(b)
    if x == y:
        return True
    if not x or not y:
        return False
    short, full = (x, y) if len("".join(x)) <= len("".join(y)) else (y, x)
    if len(short) == len(full):
        return all(_abbreviates(s, f) for s, f in zip(short, full, strict=True))
    return len(short) == 1 and short[0] == "".join(w[0] for w in full)


def _abbreviates(short: str, full: str) -> bool:
    """``natl`` abbreviates ``national``: same first letter, the rest in order."""
    if short == full:
        return True
    if short[0] != full[0] or len(short) > len(full):
        return False
    rest = iter(full[1:])
    return all(letter in rest for letter in short[1:])


def page_range(text: str) -> tuple[int, int] | None:
    """First and last page as numbers, an abbreviated end expanded: ``78-14`` -> (78, 114)."""
    text = _DASHES.sub("-", _PAGE_PREFIX.sub("", text.strip())).strip(" .")
    match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", text)
    if match is None:
        return None
    first = int(match.group(1))
    if match.group(2) is None:
        return first, first
    end_text = match.group(2)
    last = int(end_text)
    if last < first and len(end_text) < len(match.group(1)):
        last = int(match.group(1)[: -len(end_text)] + end_text)
    return first, last


def same_pages(found: str, expected: str, *, pinpoint: bool) -> bool:
    """Equal ranges; with ``pinpoint`` a cited page or range inside the expected range agrees."""
    a, b = page_range(found), page_range(expected)
    if a is None or b is None:
        return fold(found) == fold(expected)
    if pinpoint:
        return b[0] <= a[0] <= a[1] <= b[1]
    return a == b


def display_pages(pages: str) -> str:
    """A page range as printed: an en dash between the pages."""
    return _DASHES.sub("–", pages).replace("-", "–")


def same_number(a: str, b: str) -> bool:
    """Volume or issue numbers: ``no. 10`` and ``10`` agree."""
    x = re.sub(r"^(?:vol|no|nr|issue|heft|t|n)\s+", "", fold(a))
    y = re.sub(r"^(?:vol|no|nr|issue|heft|t|n)\s+", "", fold(b))
    return x == y


def year_of(text: str | None) -> str | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text or "")
    return match.group(1) if match else None


def is_et_al(person: Person) -> bool:
    return fold(f"{person.given} {person.family}") in _ETAL or fold(person.family) in _ETAL


def same_person(a: Person, b: Person) -> bool:
    """Family names agree (folded) and given names agree, initials standing for full names."""
    if fold(a.family) != fold(b.family):
        return False
    x, y = _given_parts(a.given), _given_parts(b.given)
    return all(_abbreviates_name(p, q) for p, q in zip(x, y, strict=False))


def _given_parts(given: str) -> list[str]:
    given = re.sub(r"(?<=\w)\.(?=\w)", ". ", given)
    return fold(given.replace("-", " ")).split()


def _abbreviates_name(p: str, q: str) -> bool:
    if len(p) == 1 or len(q) == 1:
        return p[0] == q[0]
    return p == q


def same_authors(found: tuple[Person, ...], expected: tuple[Person, ...]) -> bool:
    """The same people in the same order; ``et al.`` stands for the rest."""
    cut = next((i for i, p in enumerate(found) if is_et_al(p)), None)
    names = found[:cut] if cut is not None else found
    if cut is None and len(names) != len(expected):
        return False
    if len(names) > len(expected) or not names:
        return False
    return all(same_person(a, b) for a, b in zip(names, expected, strict=False))


def same_doi(a: str, b: str) -> bool:
    return canonical_doi(a) == canonical_doi(b)


def canonical_doi(doi: str) -> str:
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    return doi.casefold()


def isbn_digits(isbn: str) -> str:
    """ISBN-13 digits, an ISBN-10 converted."""
    digits = re.sub(r"[^0-9Xx]", "", isbn).upper()
    if len(digits) != 10:
        return digits
    core = "978" + digits[:9]
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(core)) % 10) % 10
    return core + str(check)


def format_people(people: tuple[Person, ...]) -> str:
    return "; ".join(f"{p.family}, {p.given}" if p.given else p.family for p in people)
