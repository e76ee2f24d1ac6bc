"""BibTeX and biblatex text -> records, one entry at a time, through pybtex's scanner.

The file is cut into entries here (an ``@type{`` outside any entry starts one; a line
that starts with ``@type{`` inside an unclosed entry starts the next), so a broken entry
costs only itself. Each piece goes to pybtex's low-level parser with an error handler of
our own: pybtex's global strict mode is never read or changed. ``%`` starts a comment
between entries, as biber and pandoc read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field

from pybtex.bibtex.utils import split_name_list, split_tex_string
from pybtex.database import Person as PybtexPerson
from pybtex.database.input.bibtex import LowLevelParser, UndefinedMacro, month_names
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from citecheck.model import Finding
from citecheck.parse.positions import LineIndex
from citecheck.validate.rules import finding

_HEADER = re.compile(r"@[ \t\n]*([A-Za-z][^\s{(\"#%'),=]*)[ \t\n]*([{(])")
_OUTSIDE = re.compile(r"[@%]")
_NEXT_ENTRY = r"\n[ \t]*@[A-Za-z]+[ \t]*[{(]"
_BRACE_BODY = re.compile(r"[{}]|" + _NEXT_ENTRY)
_PAREN_BODY = re.compile(r"[{})]|" + _NEXT_ENTRY)
_SKIPPED = frozenset({"comment", "preamble"})


@dataclass(frozen=True)
class BibtexRecord:
    """One entry as written: its type, key and fields with @string macros expanded."""

    key: str
    entry_type: str
    """Lower-cased: article, book, incollection ..."""
    fields: Mapping[str, str]
    """Lower-cased field name -> value in LaTeX, whitespace normalised."""
    line: int
    column: int
    text: str
    """The entry's source text."""


@dataclass(frozen=True)
class _Piece:
    command: str
    start: int
    end: int
    closed: bool


@dataclass
class BibtexReader:
    """Reads BibTeX files in turn; @string macros defined in one serve the next, as in BibTeX."""

    macros: MutableMapping[str, str] = field(
        default_factory=lambda: CaseInsensitiveDict(month_names)
    )

    def read(self, text: str, path: str) -> tuple[list[BibtexRecord], list[Finding]]:
        """The entries of one file and a ``bib-syntax-error`` finding per broken entry.

        An undefined @string macro is reported too, but its entry loads with the field
        empty, as BibTeX does.
        """
        records: list[BibtexRecord] = []
        findings: list[Finding] = []
        index = LineIndex(text)
        for piece in _pieces(text):
            if piece.command in _SKIPPED:
                continue
            start = index.position(piece.start)
            key = _key_of(piece, text)
            if not piece.closed:
                findings.append(
                    finding(
                        "bib-syntax-error",
                        path,
                        start.line,
                        start.column,
                        key,
                        f"@{piece.command} entry ignored: it is never closed (unbalanced braces)",
                    )
                )
                continue
            record, problems = self._parse(piece, text, start.line, start.column)
            for offset, message in problems:
                at = index.position(min(piece.start + offset, len(text)))
                findings.append(finding("bib-syntax-error", path, at.line, at.column, key, message))
            if record is not None:
                records.append(record)
        return records, findings

    def _parse(
        self, piece: _Piece, text: str, line: int, column: int
    ) -> tuple[BibtexRecord | None, list[tuple[int, str]]]:
        source = text[piece.start : piece.end]
        errors: list[tuple[int, str]] = []
        undefined: list[tuple[int, str]] = []

        def collect(error: PybtexSyntaxError) -> None:
            offset = error.error_context_info[2]
            if isinstance(error, UndefinedMacro):
                undefined.append(
                    (offset, f"undefined @string macro {error.args[0]!r}: the field is left empty")
                )
            else:
                errors.append((offset, f"@{piece.command} entry ignored: {_describe(error)}"))

        parser = LowLevelParser(source, macros=self.macros, handle_error=collect)
        record = None
        try:
            for command, payload in parser:
                if command.lower() != "string":
                    record = _record(command, payload, line, column, source)
        except (PybtexError, ValueError, IndexError, RecursionError) as error:
            errors.append((parser.pos, f"@{piece.command} entry ignored: {error}"))
        if errors:
            return None, errors[:1]
        return record, undefined


def _key_of(piece: _Piece, text: str) -> str | None:
    header = _HEADER.match(text, piece.start)
    if header is None or piece.command == "string":
        return None
    key = re.match(r"\s*([^\s,{}()]+)\s*,", text[header.end() : piece.end])
    return key.group(1) if key else None


def _record(
    command: str,
    payload: tuple[str | None, list[tuple[str, list[str]]]],
    line: int,
    column: int,
    source: str,
) -> BibtexRecord | None:
    key, raw_fields = payload
    if not key:
        return None
    fields: dict[str, str] = {}
    for name, parts in raw_fields:
        # BibTeX keeps the first of two same-named fields.
        fields.setdefault(name.lower(), normalize_whitespace("".join(parts)))
    return BibtexRecord(key, command.lower(), fields, line, column, source)


def _describe(error: PybtexSyntaxError) -> str:
    message = error.args[0] if error.args else type(error).__name__
    return f"{error.error_type}: {message}"


def _pieces(text: str) -> Iterator[_Piece]:
    pos = 0
    while True:
        mark = _OUTSIDE.search(text, pos)
        if mark is None:
            return
        if mark.group() == "%":
            newline = text.find("\n", mark.end())
            pos = len(text) if newline == -1 else newline + 1
            continue
        header = _HEADER.match(text, mark.start())
        if header is None:
            pos = mark.end()
            continue
        end, closed = _body_end(text, header.end(), header.group(2) == "(")
        yield _Piece(header.group(1).lower(), mark.start(), end, closed)
        pos = end


def _body_end(text: str, start: int, paren: bool) -> tuple[int, bool]:
    depth = 0
    for token in (_PAREN_BODY if paren else _BRACE_BODY).finditer(text, start):
        char = token.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and not paren:
                return token.end(), True
            depth -= 1
        elif char == ")":
            if depth == 0:
                return token.end(), True
        else:
            return token.start() + 1, False
    return len(text), False


def split_names(value: str) -> list[tuple[str, str]]:
    """``author``/``editor`` value -> (family, given) in LaTeX, as BibTeX splits names.

    First and middle names make the given name, von and last parts the family name, and
    a Jr part follows the given name; ``{Braced Org}`` stays one family name.
    """
    return [_plain_name(name) or _tex_name(name) for name in split_name_list(value)]


def _plain_name(name: str) -> tuple[str, str] | None:
    # pybtex's name parser costs a tenth of a millisecond; most names need none of it.
    if any(char in name for char in "{}\\~-"):
        return None
    parts = [part.strip() for part in name.split(",")]
    words = parts[0].split()
    if len(parts) > 3 or not words or not all(word[0].isalpha() for word in words):
        return None
    if len(parts) == 3:
        return parts[0], ", ".join(filter(None, [parts[2], parts[1]]))
    if len(parts) == 2:
        return parts[0], parts[1]
    von = next((i for i, word in enumerate(words[:-1]) if word[0].islower()), len(words) - 1)
    return " ".join(words[von:]), " ".join(words[:von])


def _tex_name(name: str) -> tuple[str, str]:
    parts = split_tex_string(name, ",")
    if len(parts) > 3:
        # pybtex would report this through its global error handler.
        name = ", ".join([parts[0], parts[1], " ".join(parts[2:])])
    person = PybtexPerson(name)
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    if person.lineage_names:
        given = ", ".join(filter(None, [given, " ".join(person.lineage_names)]))
    return family, given
