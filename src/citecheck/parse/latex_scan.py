"""The LaTeX scanner: one pass over a file, stopping only at the commands citecheck reads.

Comments, ``\\verb``, verbatim environments, the arguments of ``\\texttt``/``\\code`` and
definitions (``\\newcommand``, ``\\def``, ``\\newenvironment`` ...: name and body, which are no
content until used) are stepped over. A ``%`` in a URL argument is a character, not a comment.
Footnotes are not cut out: their extent is pushed on a stack and whatever the scan meets before
the closing brace belongs to the innermost open note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from citecheck.errors import InputError
from citecheck.model import Citation, Link, Marker, Position, Suppression
from citecheck.parse.identifiers import Locate, normalise_url
from citecheck.parse.latex_args import (
    Argument,
    arguments_end,
    def_end,
    file_name,
    let_end,
    optional,
    optionals,
    required,
    skip_space,
    token_end,
    verbatim_group,
)
from citecheck.parse.latex_text import unescape_url
from citecheck.parse.positions import LineIndex

_NAMES = (
    r"[a-zA-Z]*[cC]ite[a-zA-Z]*|footnote(?:mark|text)?|url|nolinkurl|href|bibliography"
    r"|addbibresource|input|include|endinput|begin|end|verb|lstinline|texttt|code|[gex]?def|let"
    r"|(?:re)?new(?:command|environment)|providecommand|DeclareRobustCommand"
    r"|(?:New|Renew|Provide|Declare)Document(?:Command|Environment)|usepackage"
)
TOKEN = re.compile(
    rf"\\[\\%{{}}]|%(?P<comment>[^\n]*)|\\(?P<name>{_NAMES})(?![a-zA-Z@])(?P<star>\*?)"
)
CITES = frozenset(
    "cite Cite citep Citep citet Citet citealt Citealt citealp Citealp citeauthor Citeauthor "
    "citeyear citeyearpar citenum citetitle Citetitle citeurl citedate parencite Parencite "
    "textcite Textcite autocite Autocite smartcite Smartcite supercite footcite footcitetext "
    "footfullcite fullcite nocite cites Cites parencites Parencites textcites Textcites "
    "autocites Autocites smartcites Smartcites supercites footcites footcitetexts "
    "citeA citeNP shortcite shortciteA shortciteNP".split()
)
FOOT_CITES = frozenset("footcite footcitetext footfullcite footcites footcitetexts".split())
AUTO_CITES = frozenset("autocite Autocite autocites Autocites smartcite Smartcite".split())
VERBATIM = frozenset(
    "verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment "
    "alltt filecontents filecontents*".split()
)
_XPARSE = ("New", "Renew", "Provide", "Declare")
DEFINITIONS = {
    **dict.fromkeys("newcommand renewcommand providecommand DeclareRobustCommand".split(), "roor"),
    **dict.fromkeys("newenvironment renewenvironment".split(), "roorr"),
    **{f"{verb}DocumentCommand": "rrr" for verb in _XPARSE},
    **{f"{verb}DocumentEnvironment": "rrrr" for verb in _XPARSE},
}
"""The arguments after each defining command (``r`` required, ``o`` optional): name, then
the number of parameters and a default, or xparse's argument list, then the body or bodies."""
MAX_DEPTH = 16
"""How deep \\input may nest before the scan stops following it."""
Reader = Callable[[str], tuple[str, str] | None]
"""Reads an \\input name: its text and the path to name it by, or None."""
_IGNORE = re.compile(r"^\s*citecheck:\s*ignore\b(.*)$", re.IGNORECASE)
_DEFINED_URL = re.compile(r"\\(?:url|nolinkurl|href)\*?\s*\{([^}]*)\}")
_PARAMETER = re.compile(r"(?<!\\)#")
_STYLE = re.compile(r"(?<![\w])(?:style|citestyle)\s*=\s*([\w-]+)")
_AUTOCITE = re.compile(r"autocite\s*=\s*(\w+)")


@dataclass
class OpenNote:
    """A note being read: its extent in the source and what was found inside it."""

    label: str
    start: int
    end: int
    position: Position
    path: str | None
    """The included file the note is in, or None in the main file."""
    source: str
    locate: Locate
    """Maps an index into ``source`` to the position reported for it."""
    order: int
    generated: bool = False
    """True for a note a citation command makes (``\\footcite``): its text is that command."""
    links: list[Link] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Found:
    """Everything the scan of a main file and its included files found, in order."""

    markers: list[Marker] = field(default_factory=list)
    notes: list[OpenNote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    body_links: list[Link] = field(default_factory=list)
    bibliography: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Each ``\\input`` or ``\\include`` that named no readable file, with its place."""
    included: list[str] = field(default_factory=list)
    """The files read in, by the path their items carry."""
    counter: int = 0
    opened: int = 0
    note_style: bool = False
    ended: bool = False
    """True once ``\\end{document}`` is read: TeX reads nothing after it."""


class Scanner:
    """Scans one file's text into ``found``; what an ``included`` file holds carries its path."""

    def __init__(
        self,
        text: str,
        path: str,
        found: Found,
        reader: Reader | None = None,
        chain: tuple[str, ...] = (),
        included: bool = False,
    ) -> None:
        self.text = text
        self.path = path
        self.found = found
        self.item_path = path if included else None
        """The ``path`` of every item found here: None for the main file's own."""
        self.reader: Reader = reader or _no_files
        self.chain = chain or (path,)
        self.lines = LineIndex(text)
        self.open: list[OpenNote] = []
        self.stop = len(text)
        """Where TeX stops reading this file: its end, or the end of the ``\\endinput`` line."""

    def scan(self) -> None:
        pos = 0
        search = TOKEN.search
        while not self.found.ended and (match := search(self.text, pos, self.stop)) is not None:
            self._close_notes(match.start())
            pos = self._dispatch(match)
        self._close_notes(len(self.text) + 1)

    def _dispatch(self, match: re.Match[str]) -> int:
        name = match.group("name")
        if name is None:
            if match.group("comment") is not None:
                self._comment(match)
            return match.end()
        handler = _HANDLERS.get(name)
        if handler is None:
            return self._cite(match, name) if name in CITES else match.end()
        return handler(self, match)

    def _locator(self, start: int) -> Locate:
        position = self.lines.position
        return lambda index: position(start + index)

    def _close_notes(self, offset: int) -> None:
        while self.open and offset >= self.open[-1].end:
            self.found.notes.append(self.open.pop())

    def _comment(self, match: re.Match[str]) -> None:
        ignore = _IGNORE.match(match.group("comment"))
        if ignore is not None:
            rules = tuple(r for r in re.split(r"[\s,\[\]]+", ignore.group(1)) if r)
            line = self.lines.position(match.start()).line
            self.found.suppressions.append(Suppression(line, rules, self.item_path))

    # Notes

    def _footnote(self, match: re.Match[str]) -> int:
        number = optional(self.text, match.end())
        after = number.after if number else match.end()
        body = required(self.text, after, self.path, self.lines)
        label = self._label(number, step=True)
        self._marker(label, match.start())
        if body is None:
            return after
        self._open_note(label, match.start(), body.start, body.after)
        return body.start

    def _label(self, number: Argument | None, step: bool) -> str:
        if number is not None:
            return self.text[number.start : number.end].strip()
        if step:
            self.found.counter += 1
        return str(self.found.counter)

    def _marker(self, label: str, offset: int) -> None:
        where = self.lines.position(offset)
        self.found.markers.append(Marker(label, where.line, where.column, path=self.item_path))

    def _open_note(self, label: str, offset: int, start: int, end: int) -> OpenNote:
        where = self.lines.position(offset)
        source = self.text[start : max(start, end - 1)]
        locate = self._locator(start)
        self.found.opened += 1
        note = OpenNote(label, start, end, where, self.item_path, source, locate, self.found.opened)
        self.open.append(note)
        return note

    def _footnotemark(self, match: re.Match[str]) -> int:
        number = optional(self.text, match.end())
        self._marker(self._label(number, step=True), match.start())
        return number.after if number else match.end()

    def _footnotetext(self, match: re.Match[str]) -> int:
        number = optional(self.text, match.end())
        after = number.after if number else match.end()
        body = required(self.text, after, self.path, self.lines)
        if body is None:
            return after
        self._open_note(self._label(number, step=False), match.start(), body.start, body.after)
        return body.start

    # Citations

    def _cite(self, match: re.Match[str], name: str) -> int:
        groups, after = self._cite_groups(match.end(), many=name.endswith("s"))
        if not groups:
            return match.end()
        note = self._citation_note(name, match.start(), after)
        for (prefix, locator), keys_at, keys in groups:
            self._keys(keys, keys_at, prefix, locator, note, every=name == "nocite")
        return after

    def _cite_groups(
        self, pos: int, many: bool
    ) -> tuple[list[tuple[tuple[str, str], int, str]], int]:
        groups: list[tuple[tuple[str, str], int, str]] = []
        while True:
            notes, after = optionals(self.text, pos)
            if not self.text.startswith("{", skip_space(self.text, after)):
                return groups, pos
            keys = required(self.text, after, self.path, self.lines)
            if keys is None:
                return groups, pos
            prefix, locator = (notes[0], notes[1]) if len(notes) == 2 else ("", "".join(notes))
            text = self.text[keys.start : keys.end]
            groups.append(((" ".join(prefix.split()), " ".join(locator.split())), keys.start, text))
            pos = keys.after
            if not many:
                return groups, pos

    def _citation_note(self, name: str, offset: int, end: int) -> OpenNote | None:
        if self.open:
            return self.open[-1]
        if name in FOOT_CITES or (name in AUTO_CITES and self.found.note_style):
            label = self._label(None, step=True)
            self._marker(label, offset)
            note = self._open_note(label, offset, offset, end + 1)
            note.generated = True
            return note
        return None

    def _keys(
        self, keys: str, at: int, prefix: str, locator: str, note: OpenNote | None, every: bool
    ) -> None:
        """Record each key; ``*`` only where it cites ``every`` entry (``\\nocite{*}``)."""
        for key_match in re.finditer(r"[^,\s]+", keys):
            key = key_match.group()
            if (key == "*" and not every) or "#" in key or "\\" in key:
                continue
            where = self.lines.position(at + key_match.start())
            label = note.label if note else None
            citation = Citation(
                key, where.line, where.column, prefix, locator, label, self.item_path
            )
            self.found.citations.append(citation)
            if note:
                note.citations.append(citation)

    # Links

    def _url(self, match: re.Match[str]) -> int:
        argument = verbatim_group(self.text, match.end())
        if argument is None:
            return match.end()
        self._link(argument.start, argument.end, self.open[-1] if self.open else None)
        return argument.after

    def _link(self, start: int, end: int, note: OpenNote | None) -> None:
        raw = self.text[start:end].strip()
        if not raw:
            return
        where = self.lines.position(start)
        url = normalise_url(unescape_url(raw))
        link = Link(raw, where.line, where.column, url, note is not None, self.item_path)
        if note is None:
            self.found.body_links.append(link)
        else:
            note.links.append(link)
            note.spans.append((start, end))

    # Files

    def _bibliography(self, match: re.Match[str]) -> int:
        argument = required(self.text, match.end(), self.path, self.lines)
        if argument is None:
            return match.end()
        names = self.text[argument.start : argument.end].split(",")
        self.found.bibliography.extend(n.strip() for n in names if n.strip())
        return argument.after

    def _addbibresource(self, match: re.Match[str]) -> int:
        _, after = optionals(self.text, match.end(), limit=1)
        argument = required(self.text, after, self.path, self.lines)
        if argument is None:
            return match.end()
        self.found.bibliography.append(self.text[argument.start : argument.end].strip())
        return argument.after

    def _input(self, match: re.Match[str]) -> int:
        argument = file_name(self.text, match.end(), self.path, self.lines)
        if argument is None:
            return match.end()
        name = self.text[argument.start : argument.end].strip()
        included = self.reader(name) if name and len(self.chain) < MAX_DEPTH else None
        if included is not None and included[1] not in self.chain:
            text, display = included
            self.found.included.append(display)
            chain = (*self.chain, display)
            Scanner(text, display, self.found, self.reader, chain, included=True).scan()
        elif name and included is None and len(self.chain) < MAX_DEPTH:
            where = self.lines.position(match.start())
            self.found.unread.append(f"{self.path}:{where.line}: {match.group()}{{{name}}}")
        return argument.after

    # Where reading stops

    def _endinput(self, match: re.Match[str]) -> int:
        """TeX reads on to the end of the line holding ``\\endinput``, then leaves the file."""
        line_end = self.text.find("\n", match.end())
        self.stop = len(self.text) if line_end < 0 else line_end
        return match.end()

    def _end(self, match: re.Match[str]) -> int:
        argument = required(self.text, match.end(), self.path, self.lines)
        if argument is None:
            return match.end()
        if self.text[argument.start : argument.end].strip() == "document":
            self.found.ended = True
        return argument.after

    # What is stepped over

    def _begin(self, match: re.Match[str]) -> int:
        argument = required(self.text, match.end(), self.path, self.lines)
        if argument is None:
            return match.end()
        environment = self.text[argument.start : argument.end].strip()
        if environment not in VERBATIM:
            return argument.after
        end = self.text.find(f"\\end{{{environment}}}", argument.after)
        return len(self.text) if end < 0 else end

    def _verb(self, match: re.Match[str]) -> int:
        pos = match.end()
        if pos >= len(self.text):
            return pos
        if self.text[pos] == "{" and match.group("name") == "lstinline":
            argument = verbatim_group(self.text, pos)
            return argument.after if argument else pos
        line_end = self.text.find("\n", pos + 1)
        line_end = len(self.text) if line_end < 0 else line_end
        end = self.text.find(self.text[pos], pos + 1, line_end)
        return line_end if end < 0 else end + 1

    def _code(self, match: re.Match[str]) -> int:
        argument = required(self.text, match.end(), self.path, self.lines)
        return argument.after if argument else match.end()

    def _definition(self, match: re.Match[str]) -> int:
        """A definition is not content: its name, parameters and body are stepped over."""
        name, pos = match.group("name"), match.end()
        try:
            end = self._definition_end(name, pos)
        except InputError:
            # A body left open (catcode tricks) is no reason to stop: step over the name alone.
            return token_end(self.text, pos)
        self._defined_links(pos, end)
        return end

    def _definition_end(self, name: str, pos: int) -> int:
        if name == "let":
            return let_end(self.text, pos)
        if name in DEFINITIONS:
            return arguments_end(self.text, pos, DEFINITIONS[name], self.path, self.lines)
        return def_end(self.text, pos, self.path, self.lines)

    def _defined_links(self, start: int, end: int) -> None:
        """A URL a definition writes out whole is shown wherever the command is used: a body
        link. One built from parameters (``#1``) is no URL."""
        for match in _DEFINED_URL.finditer(self.text, start, end):
            if _PARAMETER.search(match.group(1)) is None:
                self._link(match.start(1), match.end(1), None)

    def _usepackage(self, match: re.Match[str]) -> int:
        options = optional(self.text, match.end())
        after = options.after if options else match.end()
        package = required(self.text, after, self.path, self.lines)
        if package is None:
            return after
        if options and self.text[package.start : package.end].strip() == "biblatex":
            self.found.note_style = note_style(self.text[options.start : options.end])
        return package.after


def _no_files(_name: str) -> tuple[str, str] | None:
    return None


def note_style(options: str) -> bool:
    """Whether biblatex ``options`` make ``\\autocite`` a footnote (verbose, authortitle)."""
    autocite = _AUTOCITE.search(options)
    if autocite is not None:
        return autocite.group(1) == "footnote"
    style = _STYLE.search(options)
    return style is not None and style.group(1).startswith(("verbose", "authortitle"))


_HANDLERS = {
    "footnote": Scanner._footnote,
    "footnotemark": Scanner._footnotemark,
    "footnotetext": Scanner._footnotetext,
    "url": Scanner._url,
    "nolinkurl": Scanner._url,
    "href": Scanner._url,
    "bibliography": Scanner._bibliography,
    "addbibresource": Scanner._addbibresource,
    "input": Scanner._input,
    "include": Scanner._input,
    "endinput": Scanner._endinput,
    "end": Scanner._end,
    "begin": Scanner._begin,
    "verb": Scanner._verb,
    "lstinline": Scanner._verb,
    "texttt": Scanner._code,
    "code": Scanner._code,
    "usepackage": Scanner._usepackage,
    **dict.fromkeys(["let", "def", "gdef", "edef", "xdef", *DEFINITIONS], Scanner._definition),
}
