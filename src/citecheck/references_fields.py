"""Labelled token spans -> :class:`Reference` fields: names split into persons, pages normalised."""

from __future__ import annotations

import re
from collections.abc import Sequence

from citecheck.model import Person, Position, Reference
from citecheck.parse.identifiers import find_dois, find_isbns, normalise_url, trim_url
from citecheck.references_corpus import spans
from citecheck.references_tokens import MONTHS, Token

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_TRIM = " ,;:.·/-–—"
_PAIRS = {"(": ")", "[": "]", "“": "”", "‘": "’", "«": "»", "„": "“", '"': '"', "'": "'"}
_NAME_SPLIT = re.compile(
    r"\s*(?:,\s*(?:and|&|und|et|y|и)\s|,|;|\s(?:and|&|und|et|y|e|и|та)\s|&)\s*", re.I
)
_ET_AL = re.compile(r"(?:,?\s*(?:et\s*al\.?|and\s+others|и\s+др\.?|u\.\s*a\.))\s*$", re.I)
_INITIAL = re.compile(r"^(?:[^\W\d_][^\W\d_]?\.|[^\W\d_])$")
_BARE_INITIALS = re.compile(r"^[A-ZА-ЯЁ]{1,3}\.?$")
_PARTICLES = frozenset(
    "de da di del della der den du la le van von ter ten dos das st. al el".split()
)
_EDITOR_WORDS = re.compile(
    r"^\s*(?:in:?\s+)?(?:edited\s+by\s+|ed\.\s+by\s+|hrsg\.\s+v\.\s+|под\s+ред\.\s*)?"
    r"|\s*\(?\b(?:eds?|editors?|edd|hrsg|hg|coord|dir)\b\.?\)?[\s.,]*$",
    re.I,
)
_PAGES = re.compile(r"([A-Za-z]?\d+[A-Za-z]?)\s*(?:[-‐‑‒–—−]+|to)\s*([A-Za-z]?\d+[A-Za-z]?)")
_NUMBER = re.compile(r"[A-Za-z]?\d+[A-Za-z]?(?:[/-]\d+)?|\b[IVXLCDM]+\b|\b[ivxlcdm]+\b")
_VOLUME_ISSUE = re.compile(  # "41(1)", "39, No. 9", "36, 3": the issue inside a volume span
    r"^\D*?(\w+)\s*(?:\(|,?\s*(?:no|nr|issue|n°|№|heft|number)\b\.?\s*|[,/]\s*)"
    r"(\w+(?:[-/]\w+)?)\)?\W*$",
    re.I,
)
_CONTAINER_START = re.compile(
    r"(?<=[.?!])\s+(?:In:?\s+)?(?=(?:Proceedings|Proc\.|Journal|Transactions|Annals|Bulletin"
    r"|Abstracts|Conference|Symposium|Workshop)\b)|[.?!,]\s+In:?\s+(?=[A-Z])"
)
_CONTAINER_WORD = re.compile(
    r"\b(?:Proc|Proceedings|Journal|J|Transactions|Trans|Annals|Bulletin|Conference|Conf"
    r"|Symposium|Workshop|Review|Rev|Letters|Lett|Acta|Quarterly|Magazine|Zeitschrift)\b"
)
_IN_LEAD = re.compile(r"^\s*(?:In|in|IN|Dans|Im):?\s+(?=\S)")
_EDITORS_BEFORE = re.compile(r"^.{2,120}?\((?:eds?|editors?|hrsg|hg|dir)\.?\)[\s.,:]*", re.I)
_MONTH_NUMBER = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")
_DATE_MDY = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DATE_MY = re.compile(r"\b([A-Za-z]+)\.?,?\s+(\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def span_texts(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> dict[str, list[str]]:
    """The source text of every labelled span, by label, in order."""
    found: dict[str, list[str]] = {}
    for label, start, end in _joined(tokens, labels):
        if label != "other":
            found.setdefault(label, []).append(text[tokens[start].start : tokens[end - 1].end])
    return found


def _joined(tokens: Sequence[Token], labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """Spans, with two of one label joined across a gap of one or two punctuation marks."""
    joined: list[tuple[str, int, int]] = []
    for label, start, end in spans(labels):
        if len(joined) >= 2 and joined[-2][0] == label and label != "other":
            gap_label, gap_start, gap_end = joined[-1]
            gap = tokens[gap_start:gap_end]
            if (
                gap_label == "other"
                and len(gap) <= 2
                and not any(c.isalnum() for t in gap for c in t.text)
            ):
                joined[-2:] = [(label, joined[-2][1], end)]
                continue
        joined.append((label, start, end))
    return joined


def build_reference(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> Reference:
    """A Reference from the labelled spans alone (no guessing from unlabelled text)."""
    found = span_texts(text, tokens, labels)

    def first(label: str) -> str | None:
        values = found.get(label)
        return trim(values[0]) or None if values else None

    date_text = first("date")
    volume, issue = _volume_issue(first("volume"), first("issue"))
    title, container = _title_container(first("title"), first("container") or first("collection"))
    return Reference(
        authors=people(found["author"][0]) if "author" in found else (),
        editors=people(_EDITOR_WORDS.sub("", found["editor"][0])) if "editor" in found else (),
        year=_first_year(found.get("date", [])),
        date=iso_date(date_text) if date_text else None,
        title=title,
        container=container,
        volume=volume,
        issue=issue,
        pages=pages(first("pages")),
        publisher=first("publisher"),
        place=first("place"),
        edition=first("edition"),
        report_number=first("report"),
        doi=_doi(first("doi")),
        isbn=_isbn(first("isbn")),
        url=normalise_url(trim_url(found["url"][0].strip(" <>[]()"))) if "url" in found else None,
        raw=text,
    )


def _title_container(title: str | None, container: str | None) -> tuple[str | None, str | None]:
    """Split "Title. Proceedings of ..." or "Title. In Book" when no container was labelled."""
    if container and title is None and not _CONTAINER_WORD.search(container):
        return _container(container), None  # a book's title, labelled as a container
    if container:
        return title, _container(container)
    start = _CONTAINER_START.search(title) if title else None
    if title is None or start is None:
        return title, None
    return trim(title[: start.start()]) or None, trim(title[start.end() :]) or None


def _container(value: str) -> str | None:
    """A container without "In" before it or the editors' names ("A. B. (Ed.), ...") in it."""
    value = _IN_LEAD.sub("", value)
    editors = _EDITORS_BEFORE.search(value)
    return trim(value[editors.end() :] if editors else value) or None


def _doi(value: str | None) -> str | None:
    if not value:
        return None
    found = find_dois(value, lambda i: Position(1, i + 1))
    return found[0].value if found else value.lower()


def _isbn(value: str | None) -> str | None:
    if not value:
        return None
    found = find_isbns(
        "ISBN " + re.sub(r"(?i)^isbn(?:-1[03])?:?\s*", "", value), lambda i: Position(1, i + 1)
    )
    return found[0].value if found else value


def trim(value: str) -> str:
    """Drop punctuation at the ends, and brackets or quotes left without their partner."""
    value = value.strip(_TRIM)
    changed = True
    while changed and value:
        changed = False
        head, tail = value[0], value[-1]
        if head in _PAIRS and (_PAIRS[head] == tail or _PAIRS[head] not in value[1:]):
            value = value[1:-1] if _PAIRS[head] == tail and len(value) > 1 else value[1:]
            changed = True
        elif tail in _PAIRS.values() and not any(
            o in value[:-1] for o, c in _PAIRS.items() if c == tail
        ):
            value = value[:-1]
            changed = True
        value = value.strip(_TRIM)
    return value


def _first_year(dates: list[str]) -> str | None:
    for value in dates:
        match = _YEAR.search(value)
        if match:
            return match.group(1)
    return None


def iso_date(value: str) -> str:
    """``2015-08`` for "August 2015", ``2022-01-18`` for "January 18, 2022"; else as written."""
    value = trim(value)
    iso = _DATE_ISO.search(value)
    if iso:
        return "-".join(part for part in iso.groups() if part)
    for pattern, order in ((_DATE_DMY, "dmy"), (_DATE_MDY, "mdy"), (_DATE_MY, "my")):
        match = pattern.search(value)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTH_NUMBER.get(parts["m"][:3].lower())
        if month is None or parts["m"].lower().rstrip(".") not in MONTHS:
            continue
        day = f"-{int(parts['d']):02d}" if "d" in parts else ""
        return f"{parts['y']}-{month:02d}{day}"
    return value


def pages(value: str | None) -> str | None:
    """``1-37`` for "pp. 1–37"; a single page as its number."""
    if not value:
        return None
    match = _PAGES.search(value)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    number = _NUMBER.search(value)
    return number.group() if number else trim(value) or None


def _volume_issue(volume: str | None, issue: str | None) -> tuple[str | None, str | None]:
    if volume and issue is None:
        inner = _VOLUME_ISSUE.match(volume)
        if inner:
            return inner.group(1), inner.group(2)
    return _number(volume), _number(issue)


def _number(value: str | None) -> str | None:
    if not value:
        return None
    match = _NUMBER.search(value)
    return match.group() if match else trim(value) or None


def people(value: str) -> tuple[Person, ...]:
    """Persons in a name list: "Herbst, J. E., Erofeev, S.", "A. Cau and W.-P. de Roever" ..."""
    value = _ET_AL.sub("", value.strip(" ,;:&"))
    chunks = [_strip_name(c) for c in _NAME_SPLIT.split(value)]
    chunks = [c for c in chunks if c and any(ch.isalpha() for ch in c)]
    persons: list[Person] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        after = chunks[i + 1] if i + 1 < len(chunks) else None
        if after is not None and _is_family_only(chunk) and _is_given(after, chunk, persons):
            persons.append(Person(chunk, after.strip()))
            i += 2
            continue
        persons.append(_one_name(chunk))
        i += 1
    return tuple(person for person in persons if _given_looks_like_a_name(person.given))


def _given_looks_like_a_name(given: str | None) -> bool:
    """False for a lower-case word that is no name particle: "section S-suppsec" is no person.

    Words in scripts without letter case pass.
    """
    return not given or not any(
        word[:1].islower() and word.lower() not in _PARTICLES for word in given.split()
    )


def _strip_name(chunk: str) -> str:
    """Drop a full stop that ends a name, not one that ends an initial."""
    chunk = chunk.strip()
    last = chunk.split()[-1] if chunk.split() else ""
    if _is_initials(chunk) or _INITIAL.match(last) or _is_initials(last):
        return chunk
    return chunk.rstrip(" .")


def _is_family_only(chunk: str) -> bool:
    words = chunk.split()
    return not _is_initials(chunk) and (
        len(words) == 1 or all(w.lower() in _PARTICLES for w in words[:-1])
    )


def _is_given(chunk: str, family: str, persons: list[Person]) -> bool:
    if _is_initials(chunk):
        return True
    words = chunk.split()
    inverted_so_far = not persons or all(p.given for p in persons)
    return len(words) <= 3 and inverted_so_far and all(w[:1].isupper() for w in words)


def _one_name(chunk: str) -> Person:
    chunk = chunk.strip()
    bracketed = re.match(r"^(.+?)\s*\((.+)\)$", chunk)
    if bracketed:
        return Person(bracketed.group(1).strip(), bracketed.group(2).strip())
    words = chunk.split()
    if len(words) == 1:
        return Person(chunk)
    if _is_initials(words[-1]) or _is_initials(words[-1]):
        family_end = len(words) - 1
        while family_end > 1 and _is_initials(words[family_end - 1]):
            family_end -= 1
        return Person(" ".join(words[:family_end]), " ".join(words[family_end:]))
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in _PARTICLES:
        family_start -= 1
    return Person(" ".join(words[family_start:]), " ".join(words[:family_start]))


def _is_initials(chunk: str) -> bool:
    """ "J. E.", "W.-P.", "A.K.", "JJ": given names reduced to letters."""
    if _BARE_INITIALS.match(chunk):
        return True
    parts = [p for p in re.split(r"[\s‐-]+|(?<=\.)", chunk) if p]
    return bool(parts) and all(_INITIAL.match(p) and p[0].isupper() for p in parts)
