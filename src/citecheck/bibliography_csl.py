"""CSL-JSON (Zotero, pandoc, Crossref exports) -> references located by the line of their id."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from citecheck.model import Finding, Person, Reference
from citecheck.parse.positions import LineIndex
from citecheck.validate.rules import finding

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_KINDS = {dict: "an object", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def read_csl_json(text: str, path: str) -> tuple[list[tuple[Reference, int]], list[Finding]]:
    """Each item with an id as a Reference (``key`` = id) and the line of its ``"id"``."""
    try:
        located = _located_items(text)
        top = None if located is not None else json.loads(text)
    except json.JSONDecodeError as error:
        message = f"not valid CSL-JSON: {error.msg}"
        return [], [_syntax_error(path, error.lineno, error.colno, message)]
    if located is None:
        message = f"CSL-JSON must be an array of items, got {_KINDS.get(type(top), 'null')}"
        return [], [_syntax_error(path, 1, 1, message)]
    return _references(text, path, located)


def _references(
    text: str, path: str, located: list[tuple[Any, int, int]]
) -> tuple[list[tuple[Reference, int]], list[Finding]]:
    index = LineIndex(text)
    references: list[tuple[Reference, int]] = []
    findings: list[Finding] = []
    for number, (item, start, end) in enumerate(located, start=1):
        key = item.get("id") if isinstance(item, dict) else None
        if key is None or str(key).strip() == "":
            where = index.position(start)
            message = f"CSL-JSON item {number} ignored: it has no id"
            findings.append(_syntax_error(path, where.line, where.column, message))
            continue
        line = index.position(_id_offset(text, key, start, end)).line
        references.append((to_reference(item, str(key)), line))
    return references, findings


def _located_items(text: str) -> list[tuple[Any, int, int]] | None:
    """The items of the array ``text`` holds, each with the offsets where it begins and
    ends; None when ``text`` holds some other JSON value.

    Raises JSONDecodeError, located in ``text``, where the array is broken.
    """
    pos = _skip_space(text, 0)
    if not text.startswith("[", pos):
        return None
    items: list[tuple[Any, int, int]] = []
    pos = _skip_space(text, pos + 1)
    while not text.startswith("]", pos):
        if items:
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip_space(text, pos + 1)
        item, end = _DECODER.raw_decode(text, pos)
        items.append((item, pos, end))
        pos = _skip_space(text, end)
    after = _skip_space(text, pos + 1)
    if after != len(text):
        raise json.JSONDecodeError("Extra data", text, after)
    return items


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _id_offset(text: str, key: object, start: int, end: int) -> int:
    """Where the item ``text[start:end]`` gives its id, or the item's start."""
    pattern = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(key, ensure_ascii=False)))
    match = pattern.search(text, start, end)
    return match.start() if match else start


def _syntax_error(path: str, line: int, column: int, message: str) -> Finding:
    return finding("bib-syntax-error", path, line, column, None, message)


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
