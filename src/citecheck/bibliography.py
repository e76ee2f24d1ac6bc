"""Bibliography files -> entries: BibTeX and biblatex (.bib) through pybtex, CSL-JSON (.json).

Only this module and its ``bibliography_*`` parts talk to pybtex; none of its errors
escapes them. A broken entry is a ``bib-syntax-error`` finding and the others still load;
only a file that cannot be read at all raises :class:`BibliographyError`.

Keys are compared without regard to letter case when looking for duplicates, as BibTeX
and pybtex do: ``Smith2020`` and ``smith2020`` cannot both be cited reliably. The first
definition wins. Lookups by :meth:`Bibliography.get` are exact, as biber and pandoc match
citations.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from citecheck.bibliography_bibtex import BibtexReader, BibtexRecord
from citecheck.bibliography_csl import read_csl_json
from citecheck.bibliography_fields import inherit, to_reference
from citecheck.errors import BibliographyError, InputError
from citecheck.model import Finding, Reference
from citecheck.parse.decode import decode
from citecheck.validate.rules import finding

_CSL_SUFFIXES = frozenset({".json", ".csljson"})
_NOT_CITABLE = frozenset({"xdata"})


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry and where it is defined."""

    key: str
    reference: Reference
    path: str
    line: int
    """1-based line of the entry's ``@`` (BibTeX) or of its ``"id"`` (CSL-JSON)."""
    kind: str
    """The entry type as written, lower-cased: article, book ... (CSL type for CSL-JSON)."""
    crossref: str | None = None
    """The key of the entry this one inherits from (BibTeX cites it along)."""


@dataclass(frozen=True)
class Bibliography:
    """The entries of one or more bibliography files, and what was wrong with them."""

    entries: Mapping[str, BibEntry]
    findings: tuple[Finding, ...] = ()
    paths: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """biblatex ``ids``: another key an entry may be cited by -> the entry's key."""

    def get(self, key: str) -> BibEntry | None:
        """The entry defined under ``key`` or one of its ``ids``, matching case exactly."""
        entry = self.entries.get(key)
        if entry is None and key in self.aliases:
            entry = self.entries.get(self.aliases[key])
        return entry

    def keys(self) -> KeysView[str]:
        return self.entries.keys()

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[BibEntry]:
        """The entries in file order."""
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def load_bibliographies(paths: Sequence[str]) -> Bibliography:
    """Load every file in order; @string macros and crossrefs reach across files."""
    paths = list(dict.fromkeys(paths))  # a file named twice is read once
    reader = BibtexReader()
    loaded: list[BibEntry] = []
    records: list[tuple[BibtexRecord, str]] = []
    findings: list[Finding] = []
    for path in paths:
        text = _read(path)
        if Path(path).suffix.lower() in _CSL_SUFFIXES or text.lstrip().startswith("["):
            references, found = read_csl_json(text, path)
            loaded.extend(
                BibEntry(r.key or "", r, path, line, r.kind or "") for r, line in references
            )
        else:
            file_records, found = reader.read(text, path)
            records.extend((record, path) for record in file_records)
        findings.extend(found)
    loaded.extend(_bibtex_entries(records))
    loaded.sort(key=lambda entry: paths.index(entry.path))
    entries, duplicates = _unique(loaded)
    return Bibliography(
        entries=MappingProxyType(entries),
        findings=tuple(findings + duplicates),
        paths=tuple(paths),
        aliases=MappingProxyType(_aliases(records, entries)),
    )


def _read(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise BibliographyError(f"cannot read bibliography: {reason}", path) from error
    try:
        return decode(data, path)
    except (InputError, UnicodeDecodeError) as error:
        raise BibliographyError(f"cannot decode bibliography: {error}", path) from error


def _bibtex_entries(records: Sequence[tuple[BibtexRecord, str]]) -> list[BibEntry]:
    index: dict[str, BibtexRecord] = {}
    for record, _ in records:
        index.setdefault(record.key.casefold(), record)
    return [
        BibEntry(
            record.key,
            to_reference(record, inherit(record, index)),
            path,
            record.line,
            record.entry_type,
            record.fields.get("crossref", "").strip() or None,
        )
        for record, path in records
        if record.entry_type not in _NOT_CITABLE
    ]


def _unique(loaded: Sequence[BibEntry]) -> tuple[dict[str, BibEntry], list[Finding]]:
    entries: dict[str, BibEntry] = {}
    first: dict[str, BibEntry] = {}
    findings: list[Finding] = []
    for entry in loaded:
        earlier = first.get(entry.key.casefold())
        if earlier is None:
            first[entry.key.casefold()] = entries[entry.key] = entry
            continue
        case = "" if earlier.key == entry.key else f" (as {earlier.key!r}, differing in case)"
        findings.append(
            finding(
                "duplicate-bib-key",
                entry.path,
                entry.line,
                1,
                entry.key,
                f"key {entry.key!r} is already defined{case} at {earlier.path}:{earlier.line}; "
                "this entry is ignored",
                details={"first_path": earlier.path, "first_line": earlier.line},
            )
        )
    return entries, findings


def _aliases(
    records: Sequence[tuple[BibtexRecord, str]], entries: Mapping[str, BibEntry]
) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for record, _ in records:
        if entries.get(record.key) is None or "ids" not in record.fields:
            continue
        for alias in record.fields["ids"].split(","):
            if alias.strip() and alias.strip() not in entries:
                aliases.setdefault(alias.strip(), record.key)
    return aliases
