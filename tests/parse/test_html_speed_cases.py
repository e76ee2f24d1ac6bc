"""Cases guarding the HTML parser's shortcuts: each must give what the long way gives."""

from __future__ import annotations

import re
import sys

import pytest
from lxml import etree

from citecheck.parse.html import parse
from citecheck.parse.html_text import collapse, text_of
from citecheck.parse.positions import LineIndex

WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_every_whitespace_character_but_the_space_is_unprintable() -> None:
    # collapse() skips its work for printable pieces without double spaces
    assert [c for c in WHITESPACE if c.isprintable()] == [" "]


@pytest.mark.parametrize("space", WHITESPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_collapse_folds_each_whitespace_character(space: str) -> None:
    for piece in (f"a{space}b", f"{space}a", f"a{space}", f"a {space}b", space):
        assert collapse(piece) == re.sub(r"\s+", " ", piece)


def test_collapse_keeps_a_piece_already_collapsed() -> None:
    for piece in ("", " ", "a", " a b ", "“quoted” – text", "a  b"):
        assert collapse(piece) == re.sub(r"\s+", " ", piece)


def test_text_of_is_itertext_joined() -> None:
    html = b"<p>x<a>1</a>t<b></b>u<i>i<!--c-->j<em>k</em>l</i>m<br/>n</p>"
    root = etree.fromstring(html, etree.HTMLParser())
    for element in root.iter():
        if isinstance(element.tag, str):
            assert text_of(element) == "".join(element.itertext())


# Start tags the position search must find where a short cut could miss them:
# '>' and '<' inside quotes, a tag or a quote running into the next line, a '>' that
# closes a tag on the next line, fake tags in comments and scripts, upper case, and a
# '<' in the text before a line.
START_TAGS = {
    "quoted angles": '<p>x<a title="a>b<i" href="http://e.org/1">l</a> y</p>\n',
    "tag across lines": '<p>x <a\n href="http://e.org/2">l</a></p>\n',
    "quote across lines": '<p>x <a title="one\ntwo" href="http://e.org/3">l</a></p>\n',
    "commented tag": '<p><!-- <a href="http://e.org/0"> --><a href="http://e.org/4">l</a></p>\n',
    "tag in a script": '<p><script>var s = "<a href=x>";</script><a href="http://e.org/5">l</a></p>\n',
    "upper case": '<P><A HREF="http://e.org/6">l</A> <a href="http://e.org/7">m</a></P>\n',
    "closed on the next line": (
        '<p><a href="http://e.org/8"\n>l</a> <a href="http://e.org/9">m</a></p>\n'
    ),
    "angle in the text": '<p>1 < 2\n<a href="http://e.org/10">l</a></p>\n',
}
EXPECTED = {
    "quoted angles": [(1, 5)],
    "tag across lines": [(1, 6)],
    "quote across lines": [(1, 6)],
    "commented tag": [(1, 38)],
    "tag in a script": [(1, 42)],
    "upper case": [(1, 4), (1, 35)],
    "closed on the next line": [(1, 4), (2, 8)],
    "angle in the text": [(2, 1)],
}


@pytest.mark.parametrize("name", list(START_TAGS))
def test_links_are_placed_at_their_start_tags(name: str) -> None:
    html = START_TAGS[name]
    document = parse(html, "tags.html")
    where = [(link.line, link.column) for link in document.body_links]
    assert where == EXPECTED[name]
    lines = LineIndex(html)
    for link in document.body_links:
        start = lines.offset(link.line, link.column)
        assert html[start : start + 2].lower() == "<a"
        assert link.raw in html[start : html.index(">", html.index(link.raw))]
