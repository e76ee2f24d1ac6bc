"""Reading the arguments of a LaTeX command: ``[optional]`` and ``{required}``, by offsets.

Only arguments are brace-matched; the rest of a file may hold unbalanced braces freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citecheck.errors import InputError
from citecheck.parse.positions import LineIndex

# Inside a group: verbatim URL arguments and \verb, escaped characters, comments, braces.
_GROUP = re.compile(
    r"\\(?:url|nolinkurl|href)\*?\s*\{[^}\n]*\}|\\verb\*?([^a-zA-Z\s*])[^\n]*?\1|\\.|%[^\n]*|[{}]",
    re.DOTALL,
)
_BRACKET = re.compile(r"\\.|%[^\n]*|[{}\[\]]", re.DOTALL)
_SPECIAL = re.compile(r"[{\\%]")
_SPACE = re.compile(r"[ \t]*(?:\n[ \t]*)?")
_BARE = re.compile(r"\\[a-zA-Z@]+|\\.|[^\s{}%\\]", re.DOTALL)
_TOKEN = re.compile(r"\\[a-zA-Z@]+|\\.|\S", re.DOTALL)
_FILE_NAME = re.compile(r"[^\s{}%\\]+")
# \def's parameter text (#1#2, delimiters) up to the body's brace, on the name's line or the next.
_PARAMETERS = re.compile(r"[^{}%\n]*(?:%[^\n]*)?(?:\n[ \t]*)?(?=\{)")


@dataclass(frozen=True)
class Argument:
    """An argument's content ``text[start:end]``; ``after`` is the offset past its delimiter."""

    start: int
    end: int
    after: int


def skip_space(text: str, pos: int) -> int:
    """Past spaces and at most one line end (a blank line ends a command's arguments)."""
    if pos >= len(text) or text[pos] not in " \t\n":
        return pos
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def group_end(text: str, opening: int, path: str, lines: LineIndex) -> int:
    """The offset of the ``}`` that closes the ``{`` at ``opening``."""
    simple = text.find("}", opening)
    if simple >= 0 and not _SPECIAL.search(text, opening + 1, simple):
        return simple
    depth = 0
    for match in _GROUP.finditer(text, opening):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.start()
    raise InputError("unbalanced braces: '{' never closed", path, lines.position(opening).line)


def required(text: str, pos: int, path: str, lines: LineIndex) -> Argument | None:
    """The ``{...}`` (or single token) argument at ``pos``, after optional spaces."""
    start = skip_space(text, pos)
    if start < len(text) and text[start] == "{":
        end = group_end(text, start, path, lines)
        return Argument(start + 1, end, end + 1)
    match = _BARE.match(text, start)
    return Argument(match.start(), match.end(), match.end()) if match else None


def optional(text: str, pos: int) -> Argument | None:
    """The ``[...]`` argument at ``pos``, or None when there is none or it never closes."""
    start = skip_space(text, pos)
    if start >= len(text) or text[start] != "[":
        return None
    depth = 0
    for match in _BRACKET.finditer(text, start + 1):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if token == "]" and depth == 0:
            return Argument(start + 1, match.start(), match.end())
        if depth < 0:
            return None
    return None


def optionals(text: str, pos: int, limit: int = 2) -> tuple[list[str], int]:
    """Up to ``limit`` optional arguments at ``pos``: their contents and the offset after them."""
    found: list[str] = []
    while len(found) < limit:
        argument = optional(text, pos)
        if argument is None:
            break
        found.append(text[argument.start : argument.end])
        pos = argument.after
    return found, pos


def verbatim_group(text: str, pos: int) -> Argument | None:
    """A ``{...}`` argument read as verbatim (``\\url``): up to the first ``}``."""
    start = skip_space(text, pos)
    if start >= len(text) or text[start] != "{":
        return None
    end = text.find("}", start + 1)
    return None if end < 0 else Argument(start + 1, end, end + 1)


def token_end(text: str, pos: int) -> int:
    """The offset past the one token at ``pos`` (after spaces): a command name or a character.

    Braces are tokens here, not groups: ``\\let\\bgroup={`` is no argument.
    """
    start = skip_space(text, pos)
    match = _TOKEN.match(text, start)
    return match.end() if match else start


def file_name(text: str, pos: int, path: str, lines: LineIndex) -> Argument | None:
    """``\\input``'s file: a ``{...}`` argument or, as TeX reads it, the name up to a space."""
    start = skip_space(text, pos)
    if text.startswith("{", start):
        return required(text, start, path, lines)
    match = _FILE_NAME.match(text, start)
    return Argument(match.start(), match.end(), match.end()) if match else None


def arguments_end(text: str, pos: int, shape: str, path: str, lines: LineIndex) -> int:
    """The offset past the arguments ``shape`` spells, ``r`` required and ``o`` optional.

    Reading stops before a required argument that is missing.
    """
    for kind in shape:
        argument = required(text, pos, path, lines) if kind == "r" else optional(text, pos)
        if argument is not None:
            pos = argument.after
        elif kind == "r":
            break
    return pos


def def_end(text: str, pos: int, path: str, lines: LineIndex) -> int:
    """The offset past ``\\def``'s name, parameter text and body, ``pos`` being after ``\\def``."""
    name_end = token_end(text, pos)
    parameters = _PARAMETERS.match(text, name_end)
    if parameters is None:
        return name_end
    body = required(text, parameters.end(), path, lines)
    return body.after if body else name_end


def let_end(text: str, pos: int) -> int:
    """The offset past ``\\let``'s two tokens (``\\let\\new=\\old``); ``pos`` is after ``\\let``."""
    name_end = skip_space(text, token_end(text, pos))
    if text.startswith("=", name_end):
        name_end += 1
    return token_end(text, name_end)
