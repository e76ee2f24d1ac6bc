"""A note's text -> structured :class:`Reference` fields.

:func:`parse_reference` labels the tokens of one reference with a CRF (python-crfsuite, as
AnyStyle does; the model ships in ``data/references.crfsuite`` and is opened once), then turns
the labelled spans into fields: persons split into family and given names, pages as ``1-37``,
DOI, ISBN and URL found by :mod:`citecheck.parse.identifiers`, a translated title in brackets
after a title, the access date, the title's language when its script tells it.

:func:`parse_note` splits a note that cites several works (``A ...; B ...``), and
:func:`resolve_back_references` replaces ``Ibid.``, ``op. cit.`` and short forms
(``Gel'man, Недостойное правление, 12``) by the earlier full reference they point to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from citecheck.model import Position, Reference
from citecheck.parse.identifiers import find_dois, find_isbns, find_links
from citecheck.references_fields import build_reference, iso_date, trim
from citecheck.references_model import label
from citecheck.references_tokens import tokenize
from citecheck.words import SEPARATE_LETTERS

__all__ = [
    "parse_note",
    "parse_notes",
    "parse_reference",
    "resolve_back_references",
    "split_note",
]

_MAX_CHARS = 2000
_LEAD = re.compile(
    r"^\s*(?:\[\w{1,5}\]|\(\w{1,5}\))?\s*(?:(?:see\s+also|see|cf\.|compare)\s+)?", re.I
)
_TRANSLATION = re.compile(
    r"(?P<open>[(\[])\s*[“\"'‘«]?(?P<text>[^()\[\]“”\"«»]{3,}?)[”\"'’»]?\s*[)\]]"
)
_ACCESSED = re.compile(
    r"\b(?:accessed|retrieved|viewed|consulted|last\s+visited|abgerufen\s+am|дата\s+обращения)"
    r"(?:\s+on)?\s*:?\s*(?P<date>\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\s+\w+\.?,?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}|\w+\s+\d{4})",
    re.I,
)
_BACK = re.compile(
    r"^(?:(?P<who>[^,]{2,60}?),?\s+)?(?P<kind>ibid(?:em)?|ib\.|op\.\s*cit|loc\.\s*cit|idem|id\.)"
    r"\.?\s*,?\s*(?P<locator>.*)$",
    re.I,
)
_SHORT = re.compile(r"^(?P<who>[^,()]{2,60}),\s*(?P<title>[^,()]{2,120}?)(?:,\s*(?P<loc>.*))?$")
_NOTE_SPLIT = re.compile(r";\s+(?=\D)")
_NAME_ONLY = re.compile(r"^[^\W\d_][\w'’-]*,\s*(?:[^\W\d_]\.\s*)+$")
_SCRIPT_LANGUAGE = (
    (re.compile(r"[іїєґІЇЄҐ]"), "uk"),
    (re.compile(r"[ўЎ]"), "be"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
)
_LATIN_STOPWORDS = {
    "de": {"der", "die", "das", "und", "zur", "zum", "des", "einer", "mit", "für", "über"},
    "fr": {"le", "la", "les", "des", "du", "et", "une", "pour", "dans", "sur"},
    "es": {"el", "los", "las", "del", "y", "una", "para", "en", "sobre", "con"},
    "en": {"the", "of", "and", "in", "a", "an", "for", "on", "to", "with"},
}


def parse_reference(text: str, *, model: Path | None = None) -> Reference:
    """Structured fields of one reference; fields not found are ``None`` (or empty).

    ``model`` is another CRF model file to label with (the shipped one by default).
    """
    raw = text
    text = unicodedata.normalize("NFC", _LEAD.sub("", text[:_MAX_CHARS], count=1))
    masked, translated = _mask_translation(text)
    tokens = tokenize(masked)
    reference = _publisher_after_title(
        masked, build_reference(masked, tokens, label(tokens, model))
    )
    title = reference.title
    reference = replace(
        _with_identifiers(text, reference),
        translated_title=translated,
        language=_language(title) if title else None,
        accessed=_accessed(text),
        raw=raw,
    )
    return replace(reference, kind=_kind(reference))


def parse_note(text: str) -> tuple[Reference, ...]:
    """Every reference in one note; several are separated by ``;``."""
    return tuple(parse_reference(piece) for piece in split_note(text))


def parse_notes(texts: Iterable[str]) -> tuple[tuple[Reference, ...], ...]:
    """The references of a sequence of notes, back references resolved."""
    return resolve_back_references([parse_note(text) for text in texts])


def split_note(text: str) -> list[str]:
    """The pieces of a note that cite different works (split at ``;`` outside brackets)."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for match in re.finditer(r"[()\[\]]|;\s+(?=\D)", text):
        token = match.group()
        if token in "([":
            depth += 1
        elif token in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    merged: list[str] = []
    for piece in (p.strip() for p in pieces):
        if merged and _NAME_ONLY.match(merged[-1]):
            merged[-1] = f"{merged[-1]}; {piece}"
        elif piece:
            merged.append(piece)
    return merged or [text.strip()]


def resolve_back_references(
    notes_refs: Sequence[Sequence[Reference]],
) -> tuple[tuple[Reference, ...], ...]:
    """Each note's references with back references replaced by the full reference they name.

    ``Ibid.`` (``ibidem``, ``id.``) is the last reference before it; ``Smith, op. cit.`` is the
    last earlier reference whose first author is Smith (``op. cit.`` alone: the last reference);
    a short form ``Family, Short title, 12`` is the last earlier reference with that first
    author whose title starts with the short title. The replacement keeps every field of the
    earlier reference and takes the ``raw`` text of the back reference; a page locator is not
    kept. A back reference with nothing to point to stays as parsed.
    """
    seen: list[Reference] = []
    result: list[tuple[Reference, ...]] = []
    for refs in notes_refs:
        resolved: list[Reference] = []
        for ref in refs:
            target = _target(ref.raw, seen)
            final = replace(target, raw=ref.raw) if target is not None else ref
            resolved.append(final)
            seen.append(final)
        result.append(tuple(resolved))
    return tuple(result)


def _target(raw: str, seen: list[Reference]) -> Reference | None:
    if not seen:
        return None
    text = _LEAD.sub("", raw, count=1).strip()
    back = _BACK.match(text)
    if back:
        who = back.group("who")
        if back.group("kind").lower().startswith(("ibid", "ib.", "id")) and not who:
            return seen[-1]
        if not who:
            return seen[-1]
        return next((r for r in reversed(seen) if _same_author(r, who)), None)
    short = _SHORT.match(text)
    if short and len(text) < 160:
        title = _fold(short.group("title"))
        for ref in reversed(seen):
            if (
                _same_author(ref, short.group("who"))
                and ref.title
                and title
                and (_fold(ref.title).startswith(title))
            ):
                return ref
    return None


def _same_author(ref: Reference, who: str) -> bool:
    if not ref.authors:
        return False
    first = re.split(r"\s+(?:and|&|et|und|и)\s+|,", who.strip())[0].split()
    return bool(first) and _fold(ref.authors[0].family) in {_fold(w) for w in first}


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = re.sub(r"[’ʼ'`´]", "'", value).casefold().translate(SEPARATE_LETTERS)
    return " ".join(re.sub(r"[^\w' ]+", " ", value).split())


def _publisher_after_title(text: str, ref: Reference) -> Reference:
    """ "Title. Publisher." at the very end, labelled as one field (all title, or all
    publisher): the last sentence is the publisher, what comes before it the title."""
    if ref.container or (ref.title and ref.publisher):
        return ref
    joined = ref.title or ref.publisher
    if not joined or not text.rstrip(" .").endswith(joined):
        return ref
    head, _, tail = joined.rpartition(". ")
    words = tail.split()
    if head and 0 < len(words) <= 6 and words[0][:1].isupper() and len(head.split()) >= 2:
        return replace(ref, title=head, publisher=tail)
    return ref


def _mask_translation(text: str) -> tuple[str, str | None]:
    """Blank out a translated title in brackets that follows a title; return it."""
    for match in _TRANSLATION.finditer(text):
        inside = match.group("text").strip()
        before = text[: match.start()].rstrip()
        if not before or not _mostly_latin(inside) or len(inside.split()) < 2:
            continue
        quoted_before = before[-1] in '”"’»'
        if quoted_before or not _mostly_latin(before[-40:]):
            masked = (
                text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
            )
            return masked, trim(inside)
    return text, None


def _mostly_latin(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    latin = sum(ord(c) < 0x250 for c in letters)
    return bool(letters) and latin / len(letters) > 0.8


def _language(title: str) -> str | None:
    for pattern, language in _SCRIPT_LANGUAGE:
        if pattern.search(title):
            return language
    words = set(re.findall(r"\w+", title.casefold()))
    scores = {lang: len(words & stop) for lang, stop in _LATIN_STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    return best if ranked[0] >= 2 and ranked[0] > ranked[1] else None


def _accessed(text: str) -> str | None:
    match = _ACCESSED.search(text)
    return iso_date(match.group("date")) if match else None


def _with_identifiers(text: str, reference: Reference) -> Reference:
    links = find_links(text, _nowhere)
    dois = [d.value for d in find_dois(text, _nowhere) if d.valid]
    isbns = [i.value for i in find_isbns(text, _nowhere)]
    url = next((link.url for link in links if "doi.org/" not in link.url), None)
    return replace(
        reference,
        doi=dois[0] if dois else reference.doi,
        isbn=isbns[0] if isbns else reference.isbn,
        url=url or reference.url,
    )


def _nowhere(index: int) -> Position:
    return Position(1, index + 1)


def _kind(ref: Reference) -> str | None:
    if ref.report_number:
        return "report"
    if ref.container and (ref.volume or ref.issue):
        return "article-journal"
    if ref.container and (ref.editors or ref.publisher):
        return "chapter"
    if ref.container:
        return "article"
    if ref.url and not ref.publisher:
        return "webpage"
    if ref.publisher:
        return "book"
    return None
