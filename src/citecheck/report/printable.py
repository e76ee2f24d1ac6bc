"""Control characters from a document, written out so that no output passes them on.

A document's text reaches reports in messages, note labels, URLs and file names. Raw,
its control characters would act on the terminal that shows a report (``ESC [2J`` clears
it) or make an XML report unreadable (XML 1.0 forbids most of them). Reports write them
as Python writes them in a string: ESC as ``\\x1b``, U+FFFF as ``\\uffff``.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
"""C0 controls but the tab (a newline too: a finding is one line), DEL and C1 controls."""
_CONTROL_BUT_NEWLINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters outside XML 1.0's ``Char`` production."""


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with its control characters but the tab written out, for people to read;
    with ``newlines``, line feeds and carriage returns stay (the output escapes them)."""
    return (_CONTROL_BUT_NEWLINES if newlines else _CONTROL).sub(_written_out, text)


def xml_legal(text: str) -> str:
    """``text`` with the characters XML 1.0 does not allow written out."""
    return _NOT_XML.sub(_written_out, text)


def _written_out(match: re.Match[str]) -> str:
    code = ord(match.group())
    short = {0x0A: "\\n", 0x0D: "\\r"}.get(code)
    return short or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
