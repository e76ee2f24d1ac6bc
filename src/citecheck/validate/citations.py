"""Citations by key against the bibliography: undefined-citation, unused-bib-entry.

duplicate-bib-key and bib-syntax-error come with the loaded Bibliography's findings.
The citation fields of Word and OpenDocument files name their item by a reference manager's
id (a Zotero item URI), not by a bibliography key: the item carries the reference, so such a
citation is never undefined, and the entry its reference matches is the one it cites.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from citecheck.bibliography import BibEntry, Bibliography
from citecheck.model import Citation, Document, Finding
from citecheck.validate.metadata_match import match
from citecheck.validate.rules import finding

_CITE_ALL = "*"
"""``\\nocite{*}``: every entry counts as cited."""
_MIN_RATIO = 85
FIELD_FORMATS = frozenset({"docx", "odt"})
"""Formats whose citations come from citation fields, each with its item's reference."""


def check(document: Document, bibliography: Bibliography) -> list[Finding]:
    """Findings for cited keys no bibliography defines and entries nothing cites."""
    return check_all([(document, bibliography)])


def check_all(readers: Sequence[tuple[Document, Bibliography]]) -> list[Finding]:
    """Each document's keys against its own bibliography, and the entries none of them cites.

    Chapters that share a .bib are judged together: an entry cited by any document that
    reads its file is used, and an unused one is reported once, naming every reader.
    """
    findings = [
        undefined_citation(document, citation, bibliography)
        for document, bibliography in readers
        if document.format not in FIELD_FORMATS
        for citation in document.citations
        if citation.key != _CITE_ALL and citation.key not in bibliography
    ]
    return findings + unused_entries([(d, b) for d, b in readers if d.citations])


def undefined_citation(
    document: Document, citation: Citation, bibliography: Bibliography
) -> Finding:
    """The ``undefined-citation`` finding at ``citation`` (in its own file), naming a near key
    if there is one."""
    where = ", ".join(Path(p).name for p in bibliography.paths) or "no bibliography loaded"
    near = near_key(citation.key, list(bibliography.keys()))
    hint = f"; did you mean {near!r}?" if near else ""
    return finding(
        "undefined-citation",
        citation.path or document.path,
        citation.line,
        citation.column,
        citation.key,
        f"citation key {citation.key!r} is not defined ({where}){hint}",
        suggestion=near,
    )


def near_key(key: str, keys: Sequence[str]) -> str | None:
    """A key equal to ``key`` but for letter case, or else a near miss.

    A near miss is at most two edits away (one for keys under six characters) or has a
    similarity ratio of 85 or more; the closest wins.
    """
    folded = key.casefold()
    for candidate in keys:
        if candidate.casefold() == folded:
            return candidate
    limit = 1 if len(key) < 6 else 2
    close = process.extractOne(
        folded, keys, scorer=Levenshtein.distance, processor=str.casefold, score_cutoff=limit
    )
    if close is not None:
        return str(close[0])
    similar = process.extractOne(
        folded, keys, scorer=fuzz.ratio, processor=str.casefold, score_cutoff=_MIN_RATIO
    )
    return str(similar[0]) if similar is not None else None


def unused_entries(readers: Sequence[tuple[Document, Bibliography]]) -> list[Finding]:
    """``unused-bib-entry`` at each entry of the readers' bibliographies that none cites.

    An entry counts as cited when cited by its key in any letter case (the wrong case is an
    undefined-citation already), by one of its ``ids``, by the reference of a citation field
    that matches it, or as the crossref parent of a cited entry, which BibTeX includes with it.
    """
    entries: dict[tuple[Path, str], BibEntry] = {}
    read_by: dict[tuple[Path, str], list[str]] = {}
    cited: set[tuple[Path, str]] = set()
    for document, bibliography in readers:
        keys = _cited_keys(document, bibliography)
        used = _used_keys(keys, bibliography)
        for entry in _document_entries(document, bibliography):
            at = (_resolved(entry.path), entry.key.casefold())
            entries.setdefault(at, entry)
            read_by.setdefault(at, []).append(document.path)
            if _CITE_ALL in keys or entry.key.casefold() in used:
                cited.add(at)
    return [
        finding(
            "unused-bib-entry",
            entry.path,
            entry.line,
            1,
            entry.key,
            f"entry {entry.key!r} is never cited in {_either(read_by[at])}",
        )
        for at, entry in entries.items()
        if at not in cited
    ]


def _either(paths: list[str]) -> str:
    """``a.tex``, ``a.tex or b.tex``, ``a.tex, b.tex or c.tex``."""
    unique = list(dict.fromkeys(paths))
    return unique[0] if len(unique) == 1 else f"{', '.join(unique[:-1])} or {unique[-1]}"


def _cited_keys(document: Document, bibliography: Bibliography) -> set[str]:
    """The keys ``document`` cites: as written, or for citation fields those of the entries
    their references match. A field in the body keeps no reference to match, so a document
    with one whose key is no entry's might cite any entry."""
    keys = {citation.key for citation in document.citations}
    if document.format not in FIELD_FORMATS:
        return keys
    if any(c.note_label is None and c.key not in bibliography for c in document.citations):
        return {_CITE_ALL}
    references = [reference for note in document.notes for reference in note.references]
    entries = (match(reference, bibliography).entry for reference in references)
    return keys | {entry.key for entry in entries if entry is not None}


def _used_keys(cited: Iterable[str], bibliography: Bibliography) -> set[str]:
    by_folded = {entry.key.casefold(): entry for entry in bibliography}
    used: set[str] = set()
    for key in cited:
        used.add(key.casefold())
        entry = bibliography.get(key) or by_folded.get(key.casefold())
        while entry is not None:
            used.add(entry.key.casefold())
            parent = by_folded.get(entry.crossref.casefold()) if entry.crossref else None
            entry = parent if parent is not None and parent.key.casefold() not in used else None
    return used


def _document_entries(document: Document, bibliography: Bibliography) -> list[BibEntry]:
    """The entries of the bibliography files the document names, or all if none match."""
    named = _named_files(document)
    own = [entry for entry in bibliography if _resolved(entry.path) in named]
    return own if own else list(bibliography)


def _named_files(document: Document) -> set[Path]:
    folder = Path(document.path).parent
    files = set()
    for name in document.bibliography_paths:
        path = folder / name
        files.add(_resolved(str(path)))
        if not path.suffix:
            files.add(_resolved(f"{path}.bib"))
    return files


def _resolved(path: str) -> Path:
    return Path(path).resolve()
