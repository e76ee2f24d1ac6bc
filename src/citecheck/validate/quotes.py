"""Quotation rules: long quoted passages in the body must say where they come from."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.model import Document, Finding, Paragraph
from citecheck.validate.rules import finding

MIN_WORDS = 10

_QUOTE = re.compile(r"“([^“”]+)”|„([^“”„]+)[“”]|«([^«»]+)»|\"([^\"\n]+)\"")
_SENTENCE_END = re.compile(r"[.!?…]+[”’\"'»)\]]*\d{0,3}(?=\s|$)")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_NUMBERED_DOCUMENT = re.compile(r"(?:\d[\w./-]*\*?|№)\s*$")
"""Just before a quote: the number of the law or standard whose title it is (``№ 44-ФЗ «О
контрактной системе …»``, ``ГОСТ 5264-80* «Ручная дуговая сварка …»``)."""


def check(document: Document) -> list[Finding]:
    return list(unattributed_quote(document))


def unattributed_quote(document: Document) -> Iterator[Finding]:
    for paragraph in document.paragraphs:
        for match in _QUOTE.finditer(paragraph.text):
            quoted = next(group for group in match.groups() if group is not None)
            if len(_WORD.findall(quoted)) < MIN_WORDS or _attributed(paragraph, match):
                continue
            if _NUMBERED_DOCUMENT.search(paragraph.text, max(0, match.start() - 40), match.start()):
                continue  # a title, not a quotation
            where = paragraph.position(match.start())
            words = " ".join(quoted.split()[:6])
            yield finding(
                "unattributed-quote",
                document.path,
                where.line,
                where.column,
                None,
                f"quotation of {len(_WORD.findall(quoted))} words (“{words} …”) has no "
                "marker in its sentence or the next",
                suggestion="add a note giving the source of the quotation",
                location=paragraph.location,
            )


def _attributed(paragraph: Paragraph, quote: re.Match[str]) -> bool:
    """True when a marker stands between the quote's sentence start and the next sentence's end."""
    text = paragraph.text
    start = _sentence_start(text, quote.start())
    end = _sentence_end(text, _end_of_quote_sentence(text, quote))
    return any(start <= offset <= end for offset in paragraph.marker_offsets)


def _sentence_start(text: str, index: int) -> int:
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, index):
        start = match.end()
    return start


def _end_of_quote_sentence(text: str, quote: re.Match[str]) -> int:
    """Where the quote's sentence ends: at the quote when its words end the sentence."""
    inner = quote.group().rstrip('”»"“')
    if inner.endswith((".", "!", "?", "…")):
        tail = re.match(r"[.!?]*\d{0,3}", text[quote.end() :])
        return quote.end() + (tail.end() if tail else 0)
    return _sentence_end(text, quote.end())


def _sentence_end(text: str, index: int) -> int:
    match = _SENTENCE_END.search(text, index)
    return match.end() if match else len(text)
