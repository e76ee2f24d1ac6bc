"""parse -> resolve -> validate -> Report, for one run over some paths."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.errors import InputError
from citecheck.model import Document, Finding, LinkCheck, Report
from citecheck.options import Options, with_fields
from citecheck.parse import parse_file
from citecheck.parse.detect import known_extension
from citecheck.resolve.links import LinkRun, check_links
from citecheck.resolve.workers import standby_for
from citecheck.validate import check_document, links, suppress
from citecheck.validate.metadata_scope import any_comparable
from citecheck.words import counted

if TYPE_CHECKING:
    from collections.abc import Callable

    from citecheck.bibliography import Bibliography

# The bibliography (pybtex), metadata (the reference model) and archive (trafilatura,
# warcio) stages are imported where they run: a plain link check should start fast.


def check(
    paths: Sequence[str | Path] | str | Path,
    options: Options | None = None,
    progress: Callable[[LinkCheck], None] | None = None,
    **fields: Any,
) -> Report:
    """Check every document under ``paths`` and return what was found.

    ``fields`` set Options fields for this run (``check("essay.md", offline=True)``), over
    ``options`` when both are given. ``progress`` is called with each link's result as the
    link checker goes.
    """
    options = with_fields(options or Options(), fields) if fields else options or Options()
    files = collect_files(paths)
    with standby_for(files, options) as standby:  # a large link run's children start now
        documents = extract(files, options.input_format)
        notices = [notice for document in documents for notice in document.notices]
        bibliography = _bibliography(documents, options, notices)
        own = _own_bibliographies(documents, options, bibliography)
        notices.extend(_unchecked_keys(d for d in documents if own[d.path] is None))
        run = LinkRun({})
        if options.check_links:
            run = check_links(documents, options, progress, standby=standby)
    notices.extend(run.notices)
    findings: list[Finding] = list(bibliography.findings) if bibliography is not None else []
    for document in documents:
        findings.extend(check_document(document))
        findings.extend(links.check(document, run))
    findings.extend(_citations(documents, own))
    findings.extend(_metadata(documents, own, bibliography, options))
    if options.archive:
        findings = _with_archive(findings, documents, options.archive, options)
    kept = suppress.apply(findings, documents, options)
    return Report(
        tuple(documents),
        tuple(_ordered(kept)),
        link_checks=tuple(run.checks.values()),
        notices=tuple(notices),
        fail_on=options.fail_on,
    )


_DEAD = frozenset({"broken-link", "unreachable-link", "soft-404", "blocked-link"})


def _citations(
    documents: Sequence[Document], own: Mapping[str, Bibliography | None]
) -> list[Finding]:
    """Each document's keys against its own bibliography (even an empty one: given is given);
    an entry is unused only when no document that reads its file cites it."""
    readers = [(d, b) for d in documents if d.citations and (b := own[d.path]) is not None]
    if not readers:
        return []  # and the matcher (rapidfuzz, the bibliography readers) stays unimported
    from citecheck.validate import citations

    return citations.check_all(readers)


def _own_bibliographies(
    documents: Sequence[Document], options: Options, every: Bibliography | None
) -> dict[str, Bibliography | None]:
    """Per document: the files given with --bib and those it names itself, loaded once per
    distinct set. Another document's bibliography never counts for this one."""
    if every is None:
        return {document.path: None for document in documents}
    from citecheck.bibliography import load_bibliographies

    loaded: dict[tuple[str, ...], Bibliography] = {tuple(every.paths): every}
    own: dict[str, Bibliography | None] = {}
    for document in documents:
        named = [path for path in document.bibliography_paths if os.path.isfile(path)]
        paths = tuple(dict.fromkeys([*options.bibliographies, *named]))
        if paths and paths not in loaded:
            loaded[paths] = load_bibliographies(list(paths))
        own[document.path] = loaded[paths] if paths else None
    return own


def _with_archive(
    findings: list[Finding], documents: Sequence[Document], archive: str, options: Options
) -> list[Finding]:
    """Dead-link findings offer the archived copy; drifted sources are reported."""
    from citecheck.resolve.archive_drift import archived_copy, drift_findings

    result = []
    for item in findings:
        copy = archived_copy(item.url, archive) if item.rule in _DEAD and item.url else None
        if copy:
            item = replace(item, suggestion=f"cite the archived copy: {copy}")
        result.append(item)
    return result + drift_findings(documents, archive, options)


def _metadata(
    documents: Sequence[Document],
    own: Mapping[str, Bibliography | None],
    every: Bibliography | None,
    options: Options,
) -> list[Finding]:
    """Each document's notes against its own bibliography and the authority; every
    bibliography loaded against the authority."""
    known = {path: b for path, b in own.items() if b is not None and len(b)}
    if not any(any_comparable([d], d.path in known) for d in documents):
        return []
    from citecheck.resolve.authority import Authority
    from citecheck.validate import metadata

    with Authority(options) as authority:
        found = metadata.check_bibliography(every, authority) if every else []
        for document in documents:
            found.extend(metadata.check(document, known.get(document.path), authority))
    return found


def _unchecked_keys(documents: Iterable[Document]) -> Iterator[str]:
    """A notice per document that cites by key when no bibliography is there to check.

    Word and OpenDocument files are left out: their citation fields carry the reference.
    """
    for document in documents:
        if document.format in ("docx", "odt"):
            continue
        keys = {citation.key for citation in document.citations} - {"*"}
        if keys:
            count = counted(len(keys), "citation key")
            yield f"{document.path}: {count} not checked: no bibliography (give one with --bib)"


def _bibliography(
    documents: Sequence[Document], options: Options, notices: list[str]
) -> Bibliography | None:
    """The bibliographies given, and those the documents name that exist; None if none."""

    paths = list(options.bibliographies)
    for document in documents:
        for named in document.bibliography_paths:
            if os.path.isfile(named):
                paths.append(named)
            else:
                notices.append(f"{document.path}: bibliography {named} not found")
    if not paths:
        return None
    from citecheck.bibliography import load_bibliographies

    return load_bibliographies(list(dict.fromkeys(paths)))


def extract(
    paths: Sequence[str | Path] | str | Path, input_format: str | None = None
) -> list[Document]:
    """Parse every document under ``paths``, but a file another one reads in (a LaTeX
    chapter ``\\input`` by the main file) only as part of that one."""
    documents = [parse_file(path, input_format) for path in collect_files(paths)]
    return _without_included(documents)


def _without_included(documents: list[Document]) -> list[Document]:
    """``documents`` less those another of them reads in (two that read each other stay)."""
    real = {d.path: os.path.realpath(d.path) for d in documents}
    reads = {real[d.path]: {os.path.realpath(p) for p in d.included_paths} for d in documents}
    readers: dict[str, list[str]] = {}
    for reader, included in reads.items():
        for path in included - {reader}:
            readers.setdefault(path, []).append(reader)
    return [
        d
        for d in documents
        if not any(r not in reads[real[d.path]] for r in readers.get(real[d.path], ()))
    ]


def collect_files(paths: Sequence[str | Path] | str | Path) -> list[str]:
    """Files as given, and files with a known extension under directories (sorted).

    A file reached twice (named twice, or also inside a folder given) is read once, under
    the name it was first reached by.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: dict[str, str] = {}
    for path in paths:
        name = str(path)
        if os.path.isdir(name):
            found: Iterable[str] = _walk(name)
        elif os.path.exists(name):
            found = [name]
        else:
            raise InputError("no such file or directory", name)
        for file in found:
            files.setdefault(os.path.realpath(file), file)
    return list(files.values())


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(root, name)
            if known_extension(name) and not name.startswith(".") and os.path.isfile(path):
                yield path  # a dangling link is no file to check


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule))
