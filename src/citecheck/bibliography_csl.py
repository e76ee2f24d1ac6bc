"""CSL-JSON (Zotero, pandoc, Crossref exports) -> references located by the line of their id."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from citecheck.model import Finding, Person, Reference
from citecheck.parse.positions import LineIndex
from citecheck.validate.rules import finding


def read_csl_json(text: str, path: str) -> tuple[list[tuple[Reference, int]], list[Finding]]:
    """Each item with an id as a Reference (``key`` = id) and the line of its ``"id"``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [
            finding(
                "bib-syntax-error",
                path,
                error.lineno,
                error.colno,
                None,
                f"not valid CSL-JSON: {error.msg}",
            )
        ]
    items = data if isinstance(data, list) else data.get("items", [data])
    if not isinstance(items, list):
        items = []
    index = LineIndex(text)
    references: list[tuple[Reference, int]] = []
    findings: list[Finding] = []
    search_from = 0
    for number, item in enumerate(items, start=1):
        key = item.get("id") if isinstance(item, dict) else None
        if key is None or str(key).strip() == "":
            findings.append(
                finding(
                    "bib-syntax-error",
                    path,
                    1,
                    1,
                    None,
                    f"CSL-JSON item {number} ignored: it has no id",
                )
            )
            continue
        offset = _id_offset(text, key, search_from)
        key = str(key)
        if offset is not None:
            search_from = offset + 1
        line = index.position(offset).line if offset is not None else 1
        references.append((to_reference(item, key), line))
    return references, findings


def _id_offset(text: str, key: object, start: int) -> int | None:
    pattern = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(key, ensure_ascii=False)))
    match = pattern.search(text, start) or pattern.search(text)
    return match.start() if match else None


def to_reference(item: Mapping[str, Any], key: str) -> Reference:
    """One CSL-JSON item as a Reference."""

    def text(name: str) -> str | None:
        value = item.get(name)
        if value is None or isinstance(value, (dict, list)):
            return None
        return " ".join(str(value).split()) or None

    year, date = _issued(item.get("issued"))
    kind = text("type")
    return Reference(
        authors=_names(item.get("author")),
        editors=_names(item.get("editor")),
        year=year,
        date=date,
        title=text("title"),
        translated_title=text("translated-title"),
        container=text("container-title"),
        volume=text("volume"),
        issue=text("issue"),
        pages=text("page"),
        publisher=text("publisher"),
        place=text("publisher-place"),
        edition=text("edition"),
        report_number=text("number") if kind == "report" else None,
        doi=text("DOI"),
        isbn=text("ISBN"),
        url=text("URL"),
        accessed=_issued(item.get("accessed"))[1],
        language=text("language"),
        kind=kind,
        key=key,
        raw=json.dumps(item, ensure_ascii=False),
    )


def _names(value: Any) -> tuple[Person, ...]:
    if not isinstance(value, list):
        return ()
    people = []
    for name in value:
        if not isinstance(name, dict):
            continue
        family = name.get("family") or name.get("literal") or ""
        particle = name.get("non-dropping-particle")
        if particle:
            family = f"{particle} {family}"
        given = name.get("given") or ""
        if family or given:
            people.append(Person(str(family), str(given)))
    return tuple(people)


def _issued(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(part) for part in parts[0][:3]]
        date = "-".join([numbers[0], *(n.zfill(2) for n in numbers[1:])])
        return numbers[0], date
    raw = value.get("raw") or value.get("literal")
    if isinstance(raw, str) and (match := re.search(r"\d{4}", raw)):
        return match.group(), raw
    return None, None
