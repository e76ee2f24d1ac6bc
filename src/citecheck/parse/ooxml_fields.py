"""Word field codes: HYPERLINK targets and Zotero/Mendeley CSL_CITATION payloads.

A citation field's instruction is ``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` (Zotero) or
``ADDIN CSL_CITATION {json}`` (Mendeley); its ``citationItems`` carry CSL-JSON ``itemData``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from citecheck.model import Person, Reference

_HYPERLINK = re.compile(r"^\s*HYPERLINK\b(.*)$", re.IGNORECASE | re.DOTALL)
_ARGUMENT = re.compile(r'\\[a-zA-Z]\s+"[^"]*"|\\[a-zA-Z]|"([^"]*)"|(\S+)')
_CSL_FIELD = re.compile(r"^\s*ADDIN\s+(?:ZOTERO_ITEM\b|(?:[\w.]+\s+)?CSL_CITATION\b)", re.I)


@dataclass(frozen=True)
class CitedItem:
    """One item of a citation field: its key, what stands around it, its CSL-JSON data."""

    key: str
    prefix: str
    locator: str
    reference: Reference


def hyperlink_target(instruction: str) -> str | None:
    """The URL of a ``HYPERLINK "url"`` field; None for other fields and bookmark links."""
    match = _HYPERLINK.match(instruction)
    if match is None:
        return None
    for argument in _ARGUMENT.finditer(match.group(1)):
        target = argument.group(1) if argument.group(1) is not None else argument.group(2)
        if target:
            return target
    return None


def is_citation_field(instruction: str) -> bool:
    return _CSL_FIELD.match(instruction) is not None


def citation_field_problem(instruction: str) -> str | None:
    """Why a citation field's JSON cannot be read ("a Zotero citation field ..."); else None."""
    start = instruction.find("{")
    try:
        if start < 0:
            raise ValueError("no JSON data")
        json.JSONDecoder().raw_decode(instruction, start)
    except ValueError as error:
        maker = "Zotero" if "ZOTERO_ITEM" in instruction.upper() else "Mendeley"
        return f"a {maker} citation field could not be read: {error}"
    return None


def cited_items(instruction: str) -> tuple[CitedItem, ...]:
    """The items of a Zotero/Mendeley citation field; () when its JSON is unreadable."""
    payload = _payload(instruction)
    items = payload.get("citationItems") if payload else None
    if not isinstance(items, list):
        return ()
    return tuple(_cited_item(item) for item in items if isinstance(item, dict))


def _payload(instruction: str) -> dict[str, Any] | None:
    start = instruction.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(instruction, start)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _cited_item(item: dict[str, Any]) -> CitedItem:
    data = item.get("itemData")
    data = data if isinstance(data, dict) else {}
    key = _item_key(item, data)
    reference = csl_reference(data, key)
    return CitedItem(key, _text(item.get("prefix")) or "", _locator(item), reference)


def _item_key(item: dict[str, Any], data: dict[str, Any]) -> str:
    uris = item.get("uris") or item.get("uri")
    if isinstance(uris, list) and uris:
        return str(uris[0])
    if isinstance(uris, str) and uris:
        return uris
    return str(item.get("id", data.get("id", "")))


def _locator(item: dict[str, Any]) -> str:
    locator = _text(item.get("locator")) or ""
    label = _text(item.get("label")) or ""
    if locator and label and label != "page":
        return f"{label} {locator}"
    return locator


def csl_reference(data: dict[str, Any], key: str | None = None) -> Reference:
    """A :class:`Reference` from one CSL-JSON item."""
    return Reference(
        authors=_people(data.get("author")),
        editors=_people(data.get("editor")),
        year=_year(data.get("issued")),
        date=_date(data.get("issued")),
        title=_text(data.get("title")),
        container=_text(data.get("container-title")),
        volume=_text(data.get("volume")),
        issue=_text(data.get("issue")),
        pages=_text(data.get("page")),
        publisher=_text(data.get("publisher")),
        place=_text(data.get("publisher-place")),
        edition=_text(data.get("edition")),
        report_number=_text(data.get("number")),
        doi=_text(data.get("DOI")),
        isbn=_text(data.get("ISBN")),
        url=_text(data.get("URL")),
        accessed=_date(data.get("accessed")),
        language=_text(data.get("language")),
        kind=_text(data.get("type")),
        key=key,
        raw=json.dumps(data, ensure_ascii=False, sort_keys=True),
    )


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        text = str(value).strip()
        return text or None
    return None


def _people(value: Any) -> tuple[Person, ...]:
    if not isinstance(value, list):
        return ()
    people = (_person(entry) for entry in value if isinstance(entry, dict))
    return tuple(person for person in people if person is not None)


def _person(entry: dict[str, Any]) -> Person | None:
    family = _text(entry.get("family")) or _text(entry.get("literal"))
    if family is None:
        return None
    particle = _text(entry.get("non-dropping-particle"))
    if particle:
        family = f"{particle} {family}"
    return Person(family, _text(entry.get("given")) or "")


def _date_parts(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        return [str(part) for part in parts[0] if _text(part)]
    raw = _text(value.get("raw")) or _text(value.get("literal")) or ""
    year = re.search(r"\d{4}", raw)
    return [year.group()] if year else []


def _year(value: Any) -> str | None:
    parts = _date_parts(value)
    return parts[0] if parts else None


def _date(value: Any) -> str | None:
    parts = _date_parts(value)
    if not parts:
        return None
    return "-".join([parts[0], *(part.zfill(2) for part in parts[1:3])])
