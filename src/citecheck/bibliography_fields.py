"""BibTeX/biblatex fields -> a Reference: crossref and xdata inheritance, LaTeX to Unicode."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from pylatexenc.latex2text import LatexNodes2Text

from citecheck.bibliography_bibtex import BibtexRecord, split_names
from citecheck.model import Person, Reference

_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
# The accents and letters that make up most of real .bib files, decoded without pylatexenc
# (about a millisecond a field) so that large files load quickly.
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
}
_ACCENT = re.compile(
    r"\\([`'^~=.\"]|[uvHrdckb](?=[\s{]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))"
)
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "&": "&",
    "%": "%",
    "_": "_",
    "#": "#",
    # AASTeX journal macros, as ADS exports them.
    "aj": "AJ",
    "apj": "ApJ",
    "apjl": "ApJL",
    "apjs": "ApJS",
    "aap": "A&A",
    "aaps": "A&AS",
    "aapr": "A&A Rv",
    "mnras": "MNRAS",
    "pasp": "PASP",
    "pasj": "PASJ",
    "araa": "ARA&A",
    "apss": "Ap&SS",
    "qjras": "QJRAS",
    "icarus": "Icarus",
    "nat": "Nature",
    "procspie": "Proc. SPIE",
    "baas": "BAAS",
    "solphys": "Sol. Phys.",
}
_LETTER = re.compile(r"\\(?:([A-Za-z]+)(?![A-Za-z])(?:\{\}|\s)?|([&%_#]))")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~])")
_YEAR = re.compile(r"\d{4}")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

KINDS: Mapping[str, str] = {
    "article": "article-journal",
    "periodical": "article-journal",
    "suppperiodical": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "software": "software",
}
"""Entry type -> CSL type, as pandoc maps them; ``misc`` is decided by its fields."""

_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}

# biblatex's default inheritance: a book-like parent's title becomes the child's booktitle.
_BOOK_PARTS = frozenset(
    {
        "inbook",
        "bookinbook",
        "suppbook",
        "incollection",
        "suppcollection",
        "inreference",
        "inproceedings",
        "conference",
    }
)
_BOOKS = frozenset({"book", "collection", "reference", "proceedings"})
_ARTICLES = frozenset({"article", "suppperiodical"})
_NOT_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)
_TITLE_PARTS = ("title", "subtitle", "titleaddon")


def inherit(record: BibtexRecord, index: Mapping[str, BibtexRecord]) -> dict[str, str]:
    """The record's fields completed from its ``crossref`` and ``xdata`` parents.

    ``index`` maps case-folded keys to records. Child fields win; a parent book, collection
    or proceedings lends its title as ``booktitle``, a multi-volume parent as ``maintitle``.
    """
    return _inherit(record, index, frozenset({record.key.casefold()}))


def _inherit(
    record: BibtexRecord, index: Mapping[str, BibtexRecord], seen: frozenset[str]
) -> dict[str, str]:
    fields = dict(record.fields)
    parents = [k.strip() for k in fields.get("xdata", "").split(",") if k.strip()]
    if fields.get("crossref", "").strip():
        parents.append(fields["crossref"].strip())
    for parent_key in parents:
        parent = index.get(parent_key.casefold())
        if parent is None or parent_key.casefold() in seen:
            continue
        parent_fields = _inherit(parent, index, seen | {parent_key.casefold()})
        _merge(fields, parent_fields, record.entry_type, parent.entry_type)
    return fields


def _merge(
    fields: dict[str, str], parent: Mapping[str, str], child_type: str, parent_type: str
) -> None:
    prefix = _title_prefix(child_type, parent_type)
    for name, value in parent.items():
        if name in _NOT_INHERITED:
            continue
        target = f"{prefix}{name}" if prefix and name in _TITLE_PARTS else name
        fields.setdefault(target, value)


def _title_prefix(child_type: str, parent_type: str) -> str | None:
    if parent_type.startswith("mv") and child_type != parent_type:
        return "main"
    if child_type in _BOOK_PARTS and parent_type in _BOOKS:
        return "book"
    if child_type in _ARTICLES and parent_type == "periodical":
        return "journal"
    return None


def to_reference(record: BibtexRecord, fields: Mapping[str, str]) -> Reference:
    """The structured reference of one entry, its text decoded from LaTeX to Unicode."""

    def text(*names: str) -> str | None:
        for name in names:
            if fields.get(name):
                return latex_to_text(fields[name]) or None
        return None

    year, date = _year_and_date(fields)
    title = text("title")
    if title and (subtitle := text("subtitle")):
        title = f"{title}: {subtitle}"
    container = text("journaltitle", "journal", "booktitle")
    if container and (subtitle := text("journalsubtitle", "booksubtitle")):
        container = f"{container}: {subtitle}"
    is_report = record.entry_type in {"report", "techreport"}
    return Reference(
        authors=persons(fields.get("author", "")),
        editors=persons(fields.get("editor", "")),
        year=year,
        date=date,
        title=title,
        translated_title=text("translatedtitle"),
        container=container,
        volume=text("volume"),
        issue=text("issue") if is_report else text("number", "issue"),
        pages=_strip_braces(fields.get("pages")),
        publisher=text("publisher", "institution", "school", "organization"),
        place=text("location", "address"),
        edition=text("edition"),
        report_number=text("number") if is_report else None,
        doi=verbatim(fields.get("doi")),
        isbn=verbatim(fields.get("isbn")),
        url=verbatim(fields.get("url")),
        accessed=verbatim(fields.get("urldate")),
        language=text("langid", "language"),
        kind=_kind(record.entry_type, fields),
        key=record.key,
        raw=record.text,
    )


def persons(value: str) -> tuple[Person, ...]:
    """Names of an ``author`` or ``editor`` field; ``and others`` is left out."""
    people = []
    for family, given in split_names(value):
        person = Person(latex_to_text(family), latex_to_text(given))
        if person.family.lower() != "others" or person.given:
            people.append(person)
    return tuple(people)


def latex_to_text(value: str) -> str:
    """LaTeX markup -> plain Unicode: accents decoded, braces and commands dropped."""
    if "\\" in value:
        value = _LETTER.sub(_letter, _ACCENT.sub(_accent, value))
    if "\\" in value or "$" in value:
        value = _LATEX.latex_to_text(_BARE_PERCENT.sub(r"\\%", value))
    else:
        value = value.replace("{", "").replace("}", "")
        value = value.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _accent(match: re.Match[str]) -> str:
    base = match.group(2) or match.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return base + _ACCENTS[match.group(1)] if len(base) == 1 else match.group()


def _letter(match: re.Match[str]) -> str:
    return _LETTERS.get(match.group(1) or match.group(2), match.group())


def verbatim(value: str | None) -> str | None:
    """A URL, DOI or ISBN as written, without braces and TeX escapes."""
    if value is None:
        return None
    value = _VERBATIM_ESCAPE.sub(r"\1", _strip_braces(value) or "")
    if value.startswith("\\url"):
        value = value[4:]
    return value.strip() or None


def _strip_braces(value: str | None) -> str | None:
    if value is None:
        return None
    return value.replace("{", "").replace("}", "").strip() or None


def _year_and_date(fields: Mapping[str, str]) -> tuple[str | None, str | None]:
    date = _strip_braces(fields.get("date"))
    year = _strip_braces(fields.get("year"))
    if year is None and date and (match := _YEAR.match(date)):
        year = match.group()
    if date is None and year and _YEAR.fullmatch(year):
        month = _MONTHS.get((_strip_braces(fields.get("month")) or "").lower().rstrip("."))
        month_number = month or _number(fields.get("month"))
        if month_number:
            date = f"{year}-{month_number:02d}"
    return year, date


def _number(value: str | None) -> int | None:
    value = _strip_braces(value)
    if value and value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return None


def _kind(entry_type: str, fields: Mapping[str, str]) -> str | None:
    if entry_type == "article":
        subtype = fields.get("entrysubtype", "").strip().lower()
        return _SUBTYPES.get(subtype, "article-journal")
    if entry_type == "misc":
        has_container = any(fields.get(n) for n in ("journal", "journaltitle", "booktitle"))
        return "webpage" if fields.get("url") and not has_container else "document"
    return KINDS.get(entry_type)
