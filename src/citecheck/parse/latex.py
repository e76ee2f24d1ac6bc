"""LaTeX -> Document: footnotes, citation commands, URLs, bibliography files, suppressions.

Footnote labels are the numbers LaTeX assigns: ``\\footnote`` and ``\\footnotemark`` step the
counter, ``[n]`` sets the label without stepping it, ``\\footnotetext`` takes the current value.
``\\footcite`` (and ``\\autocite`` under a biblatex note style: verbose*, authortitle*, or
``autocite=footnote``) makes a note of its own, which holds the citation.

Files named by ``\\input``/``\\include`` (``\\input name`` too) are read (relative to the main
file, ``.tex`` tried first) and scanned in place, so footnote numbering runs on through them.
Everything found in an included file (markers, notes, citations, links, suppression comments)
carries that file's ``path``, as it was opened next to the main file ("paper/chapters/one.tex"),
and its line and column in that file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePath

from citecheck.errors import InputError
from citecheck.model import Document, Link, Note
from citecheck.parse.decode import decode
from citecheck.parse.identifiers import extract
from citecheck.parse.latex_scan import Found, OpenNote, Reader, Scanner
from citecheck.parse.latex_text import plain_text, uncommented, unescaped

FORMAT = "latex"


def parse(text: str, path: str) -> Document:
    """Parse the LaTeX source ``text`` of the file ``path``."""
    found = Found()
    Scanner(text, path, found, reader=_reader(path)).scan()
    return Document(
        path=path,
        format=FORMAT,
        text=text,
        markers=tuple(found.markers),
        notes=tuple(_note(n) for n in sorted(found.notes, key=lambda n: n.order)),
        citations=tuple(found.citations),
        body_links=tuple(found.body_links),
        bibliography_paths=tuple(_bibliography(path, found.bibliography)),
        suppressions=tuple(found.suppressions),
        notices=tuple(f"{place}: no such file to include" for place in found.unread)
        if Path(path).is_file()
        else (),
        included_paths=tuple(dict.fromkeys(found.included)),
    )


def _note(note: OpenNote) -> Note:
    links, identifiers = extract(*unescaped(uncommented(note.source), note.locate))
    return Note(
        label=note.label,
        line=note.position.line,
        column=note.position.column,
        text=note.source.strip() if note.generated else plain_text(note.source),
        links=tuple(_in_order([*note.links, *_unwritten(note, links)])),
        identifiers=identifiers,
        citations=tuple(note.citations),
        path=note.path,
    )


def _unwritten(note: OpenNote, links: Iterable[Link]) -> list[Link]:
    """The links of the note's text that no ``\\url`` or ``\\href`` wrote, in the note's file."""
    written = {(link.line, link.column) for link in note.links}
    urls = {link.url for link in note.links}
    extra = [
        link for link in links if (link.line, link.column) not in written and link.url not in urls
    ]
    if note.path is None:
        return extra
    return [replace(link, path=note.path) for link in extra]


def _in_order(links: Iterable[Link]) -> list[Link]:
    return sorted(links, key=lambda link: (link.line, link.column))


def _bibliography(path: str, names: list[str]) -> Iterable[str]:
    folder = PurePath(path).parent
    for name in names:
        bib = name if PurePath(name).suffix.lower() == ".bib" else name + ".bib"
        yield str(folder / bib)


def _reader(path: str) -> Reader:
    folder = Path(path).parent
    follow = Path(path).is_file()

    def read(name: str) -> tuple[str, str] | None:
        if not follow:
            return None
        for candidate in (folder / f"{name}.tex", folder / name):
            if candidate.is_file():
                return _decoded(candidate), str(candidate)
        return None

    return read


def _decoded(candidate: Path) -> str:
    try:
        return decode(candidate.read_bytes(), str(candidate))
    except OSError as error:
        raise InputError(f"cannot read included file: {error.strerror}", str(candidate)) from None
