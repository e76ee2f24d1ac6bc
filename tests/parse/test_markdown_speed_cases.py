"""Inputs that the Markdown parser's shortcuts must read as its general path does: code and
HTML found from a line break, note text scanned as a verbatim span, text without markup
scanned for bare URLs only, candidates found kind by kind."""

from __future__ import annotations

from citecheck.model import Document, Link
from citecheck.parse.identifiers import url_matches
from citecheck.parse.markdown import parse
from citecheck.parse.positions import LineIndex


def _markers(document: Document) -> list[tuple[str, int, int]]:
    return [(m.label, m.line, m.column) for m in document.markers]


def _links(links: tuple[Link, ...]) -> list[tuple[str, int, int, str]]:
    return [(link.raw, link.line, link.column, link.url) for link in links]


def test_code_and_html_on_the_first_line_or_after_a_line_break() -> None:
    fenced = parse("```\n[^x] @k\n\n[^y]\n```\n\nText[^c].\n\n[^c]: note\n", "f.md")
    assert _markers(fenced) == [("c", 7, 5)]
    assert fenced.citations == ()
    after_front_matter = parse("---\ntitle: T\n---\n~~~\n[^x]\n\n[^y]\n~~~\n\nText[^c].\n", "m.md")
    assert _markers(after_front_matter) == [("c", 10, 5)]
    html = parse("Intro.\n<pre>\n[^a]\n\n[^b]\n</pre>\n\nText[^c].\n", "h.md")
    assert _markers(html) == [("c", 8, 5)]


def test_note_text_runs_to_the_end_of_its_source_lines() -> None:
    text = (
        "Text[^a][^b].\n\n"
        "[^a]: First http://a.org/x  \n  more https://b.org/y\n"
        "[^b]:  Second, doi:10.1000/XYZ.  \n"
    )
    first, second = parse(text, "n.md").notes
    assert (first.label, first.line, first.column) == ("a", 3, 1)
    assert first.text == "First http://a.org/x\nmore https://b.org/y"
    assert _links(first.links) == [
        ("http://a.org/x", 3, 13, "http://a.org/x"),
        ("https://b.org/y", 4, 8, "https://b.org/y"),
    ]
    assert second.text == "Second, doi:10.1000/XYZ."
    assert [(i.value, i.line, i.column) for i in second.identifiers] == [("10.1000/xyz", 5, 16)]


def test_text_without_markup_keeps_its_url_rules() -> None:
    # Body text is scanned for links only where it names http:, https:, www. or ftp: (in
    # lower or upper case); a note's text wherever "http" or "HTTP" appears.
    line = "HtTp://x.org/http and Http://y.org."
    document = parse(f"Body {line}\n\nNote[^n].\n\n[^n]: {line}\n", "u.md")
    assert document.body_links == ()
    assert _links(document.notes[0].links) == [
        ("HtTp://x.org/http", 5, 7, "http://x.org/http"),
        ("Http://y.org", 5, 29, "http://y.org/"),
    ]
    www = parse("See www.example.org/page, WWW.EXAMPLE.NET and http://a.org/www.b.\n", "w.md")
    assert _links(www.body_links) == [
        ("www.example.org/page", 1, 5, "http://www.example.org/page"),
        ("WWW.EXAMPLE.NET", 1, 27, "http://www.example.net/"),
        ("http://a.org/www.b", 1, 47, "http://a.org/www.b"),
    ]


def test_url_matches_in_text_order() -> None:
    text = "www.a.org http://b.org WWW.C.ORG ftp://d.org HTTPS://e.org"
    assert [(m.start(), m.group()) for m in url_matches(text)] == [
        (0, "www.a.org"),
        (10, "http://b.org"),
        (23, "WWW.C.ORG"),
        (33, "ftp://d.org"),
        (45, "HTTPS://e.org"),
    ]
    assert [m.group() for m in url_matches(text, 20)] == ["www.a.org", "http://b.org"]


def test_line_column_is_position_as_a_pair() -> None:
    index = LineIndex("ab\n\ncd\n")
    for offset in range(8):
        where = index.position(offset)
        assert index.line_column(offset) == (where.line, where.column)
