"""The HTML parser on real pages from the corpus and on small pages written for the tests."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Document, IdentifierScheme, Suppression
from citecheck.parse.html import parse
from citecheck.parse.html_text import collapse
from citecheck.parse.positions import LineIndex

HTML = Path(__file__).resolve().parent.parent / "data" / "html"


def _corpus_file(corpus: Path, name: str) -> Document:
    path = corpus / "footnotes-html" / name
    return parse(path.read_bytes().decode("utf-8"), str(path))


def _local(name: str) -> Document:
    path = HTML / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def _source_at(document: Document, line: int, column: int) -> str:
    index = LineIndex(document.text)
    start = index.offset(line, column)
    return document.text[start : start + 40]


def _labels(items: object) -> list[str]:
    return [item.label for item in items]  # type: ignore[attr-defined]


# pandoc -----------------------------------------------------------------------------------


def test_pandoc_markers_and_notes(corpus: Path) -> None:
    document = _corpus_file(corpus, "pandoc-writer.html5.html")
    # SOURCES.md says "10 notes": that counts the 5 fnrefN and 5 fnN anchors; there are 5 notes.
    assert _labels(document.markers) == ["1", "2", "3", "4", "5"]
    assert _labels(document.notes) == ["1", "2", "3", "4", "5"]
    assert document.format == "html"
    assert not document.shared_notes


def test_pandoc_positions_are_start_tags(corpus: Path) -> None:
    document = _corpus_file(corpus, "pandoc-writer.html5.html")
    first, second = document.markers[:2]
    assert (first.line, first.column) == (731, 33)
    # The second marker's start tag begins on line 732 and ends on 733.
    assert (second.line, second.column) == (732, 49)
    for marker in document.markers:
        assert _source_at(document, marker.line, marker.column).startswith('<a href="#fn')
    for note in document.notes:
        assert _source_at(document, note.line, note.column).startswith('<li id="fn')


def test_pandoc_note_text_and_link(corpus: Path) -> None:
    document = _corpus_file(corpus, "pandoc-writer.html5.html")
    third = document.notes[2]
    assert third.text.startswith("This is easier to type. Inline notes may contain links")
    assert "↩" not in third.text
    assert [(link.raw, link.url, link.line) for link in third.links] == [
        ("http://google.com", "http://google.com/", 760)
    ]
    assert document.notes[3].text == "In quote."
    assert all(link.in_note for note in document.notes for link in note.links)


# MediaWiki -------------------------------------------------------------------------------


def test_wikipedia_counts(corpus: Path) -> None:
    document = _corpus_file(corpus, "wikipedia-Mozilla.readability-source.html")
    assert len(document.markers) == 76
    assert len(document.notes) == 72
    assert _labels(document.notes) == [str(n) for n in range(1, 73)]
    assert document.shared_notes
    assert {marker.label for marker in document.markers} == {str(n) for n in range(1, 73)}


def test_wikipedia_marker_label_drops_brackets(corpus: Path) -> None:
    document = _corpus_file(corpus, "wikipedia-Mozilla.readability-source.html")
    first = document.markers[0]
    assert first.label == "1"
    assert (first.line, first.column) == (205, 375)
    assert _source_at(document, first.line, first.column).startswith('<sup id="cite_ref-1"')


def test_wikipedia_note_links_and_isbn(corpus: Path) -> None:
    document = _corpus_file(corpus, "wikipedia-Mozilla.readability-source.html")
    notes = {note.label: note for note in document.notes}
    assert notes["1"].text == 'For exceptions, see "Values" section below'
    assert notes["2"].urls == ("https://www.mozilla.org/foundation/moco/",)
    assert notes["2"].links[0].line == 505
    assert "https://books.google.co.uk/books?id=zyIvOn7sKCsC" in notes["5"].urls
    assert notes["5"].ids(IdentifierScheme.ISBN) == ("9781404207196",)
    assert not notes["5"].text.startswith("^")


def test_fandom_named_refs_are_shared(corpus: Path) -> None:
    document = _corpus_file(corpus, "trafilatura-harrypotter.fandom.com-spell.mediawiki-refs.html")
    assert len(document.markers) == 30
    assert len(document.notes) == 11
    assert document.shared_notes
    assert [m.label for m in document.markers].count("1") == 6
    assert document.notes[0].text == "Wonderbook: Book of Spells"
    assert document.notes[1].urls == (
        "http://www.youtube.com/watch?annotation_id=annotation_518140&feature=iv"
        "&src_vid=2n5prI9L6G8&v=m9LNQV7cGIA",
    )
    for marker in document.markers:
        assert _source_at(document, marker.line, marker.column).startswith('<sup id="cite_ref-')


# WordPress ------------------------------------------------------------------------------


def test_wordpress_footnote_cites_seneca(corpus: Path) -> None:
    document = _corpus_file(
        corpus, "trafilatura-alexander-klier.net-zeitphilosophie.wp-footnotes.html"
    )
    assert len(document.markers) == 1
    assert len(document.notes) == 1
    (marker,) = document.markers
    (note,) = document.notes
    assert marker.label == note.label == "1"
    assert marker.line == 274
    assert note.text == (
        "Lucius Annaeus Seneca, röm. Philosoph, Dramatiker und Staatsmann. Quelle: www.zitate.net"
    )
    assert note.urls == ("http://de.wikipedia.org/wiki/Seneca", "http://www.zitate.net/")
    assert _source_at(document, note.line, note.column).startswith('<li id="footnote_0_110"')


def test_wordpress_title_stands_in_for_a_missing_list() -> None:
    page = (
        '<p>Zeit.<a href="#footnote_0_1" id="identifier_0_1" '
        'class="footnote-link footnote-identifier-link" title="Seneca, Briefe">1</a></p>'
    )
    document = parse(page, "wp.html")
    assert [(note.label, note.text) for note in document.notes] == [("1", "Seneca, Briefe")]


def test_navigation_links_are_not_body_links(corpus: Path) -> None:
    document = _corpus_file(
        corpus, "trafilatura-alexander-klier.net-zeitphilosophie.wp-footnotes.html"
    )
    assert all(not link.in_note for link in document.body_links)
    assert "https://www.alexander-klier.net/" not in {
        link.url for link in document.body_links if link.line < 200
    }


# Distill --------------------------------------------------------------------------------


def test_distill_footnotes_and_citations(corpus: Path) -> None:
    document = _corpus_file(corpus, "distill-research-debt.html")
    # 11 <d-footnote> tags in the file, 4 of them inside HTML comments.
    assert len(document.markers) == 7
    assert len(document.notes) == 7
    assert _labels(document.notes) == [str(n) for n in range(1, 8)]
    assert [(m.line, m.column) for m in document.markers] == [
        (note.line, note.column) for note in document.notes
    ]
    assert document.notes[0].text == (
        "That is, really outstanding tutorials, reviews, textbooks, and so on."
    )
    assert len(document.citations) == 22
    keys = [citation.key for citation in document.citations]
    assert keys[:3] == ["hartl2013tau", "nostrand2015interpretive", "graeber2015utopia"]
    assert document.bibliography_paths == ("bibliography.bib",)


def test_distill_paragraph_leaves_out_inline_note(corpus: Path) -> None:
    document = _corpus_file(corpus, "distill-research-debt.html")
    paragraph = next(p for p in document.paragraphs if "The climb isn" in p.text)
    assert "outstanding tutorials" not in paragraph.text
    assert len(paragraph.marker_offsets) == 1


# cmark-gfm and GitHub -------------------------------------------------------------------


def test_cmark_gfm_expected_output(corpus: Path) -> None:
    spec = (corpus / "footnotes-md" / "cmark-gfm-extensions.txt").read_text(encoding="utf-8")
    section = spec[spec.index("## Footnotes") :]
    example = section.split("\n.\n", 1)[1].split("````````", 1)[0]
    document = parse(example, "cmark-gfm.html")
    assert _labels(document.markers) == ["1", "2", "3", "4"]
    assert _labels(document.notes) == ["1", "2", "3", "4"]
    assert document.notes[0].text == "Some bolded footnote definition."
    assert "[^nope]" in document.paragraphs[3].text


def test_github_footnotes() -> None:
    document = _local("gfm.html")
    assert _labels(document.markers) == ["1", "2"]
    assert _labels(document.notes) == ["1", "2", "3"]
    assert document.notes[0].text == "See cmark-gfm."
    assert document.notes[0].urls == ("https://github.com/github/cmark-gfm",)
    assert document.notes[1].urls == ("https://example.org/named",)
    assert document.notes[2].text == "Never referenced."


# Plain <sup>N</sup> essay ---------------------------------------------------------------


def test_sup_essay_markers() -> None:
    document = _local("sup-essay.html")
    # The <sup> in the navigation and the ones inside scripts are not markers.
    assert _labels(document.markers) == ["1", "2", "3", "2", "5"]
    assert [(m.line, m.column) for m in document.markers[:2]] == [(12, 40), (12, 84)]


def test_sup_essay_notes_with_duplicate_and_missing() -> None:
    document = _local("sup-essay.html")
    assert _labels(document.notes) == ["1", "2", "2", "3"]
    assert "5" not in {note.label for note in document.notes}
    assert [(n.line, n.column) for n in document.notes] == [(18, 1), (19, 1), (20, 1), (21, 1)]


def test_sup_essay_note_links() -> None:
    document = _local("sup-essay.html")
    first, second, third, fourth = document.notes
    assert first.urls == ("https://example.com/brown-memory",)
    assert [(link.raw, link.line, link.column) for link in second.links] == [
        ("https://www.example.net/report.pdf", 19, 9)
    ]
    assert second.text == "See the 2004 report."
    assert third.ids(IdentifierScheme.DOI) == ("10.1000/xyz123",)
    assert fourth.links == ()


def test_script_in_note_is_neither_text_nor_marker() -> None:
    document = _local("sup-essay.html")
    fourth = document.notes[3]
    assert fourth.text == "Script text is never a marker; <script> stays text."
    assert "alert" not in fourth.text
    assert "7" not in {marker.label for marker in document.markers}
    assert "9" not in {marker.label for marker in document.markers}


def test_sup_essay_body_links_resolve_against_base() -> None:
    document = _local("sup-essay.html")
    assert [(link.raw, link.url, link.in_note) for link in document.body_links] == [
        ("sources.html", "https://essays.example.org/archives/sources.html", False)
    ]


def test_sup_essay_paragraphs_and_marker_offsets() -> None:
    document = _local("sup-essay.html")
    first, second, third = document.paragraphs
    assert first.text == "Archivists keep what others discard. The record outlives its makers."
    assert first.marker_offsets == (36, 68)
    assert (first.line, first.column) == (12, 1)
    assert second.text.startswith("Brown called it “the long memory")
    assert second.text[: second.marker_offsets[0]].endswith("in 1998.")
    assert third.marker_offsets == (27, 54)


def test_suppression_comment() -> None:
    document = _local("sup-essay.html")
    assert document.suppressions == (Suppression(15, ("missing-note", "unused-note")),)
    bare = parse("<p>x</p>\n<!-- citecheck: ignore -->\n", "s.html")
    assert bare.suppressions == (Suppression(2, ()),)


# Generic #fnN -> id=fnN -----------------------------------------------------------------


def test_generic_fn_pairs() -> None:
    document = _local("generic-fn.html")
    assert _labels(document.markers) == ["1", "2", "3"]
    assert _labels(document.notes) == ["1", "2"]
    first, second = document.notes
    assert first.text == "A note with a scheme-relative link."
    assert first.urls == ("https://cdn.example.org/paper",)
    assert second.ids(IdentifierScheme.ISBN) == ("9780306406157",)
    assert (document.markers[1].line, document.markers[1].column) == (2, 69)


def test_word_export_anchors_by_name() -> None:
    page = (
        "<html><body>\n"
        '<p>Text<a href="#_ftn1" name="_ftnref1"><sup>[1]</sup></a>.</p>\n'
        '<div id="ftn1"><p><a href="#_ftnref1" name="_ftn1">[1]</a> Smith, '
        '<a href="https://example.org/smith">Report</a>.</p></div>\n'
        "</body></html>"
    )
    document = parse(page, "word.html")
    assert _labels(document.markers) == ["1"]
    assert [(note.label, note.text, note.urls) for note in document.notes] == [
        ("1", "Smith, Report.", ("https://example.org/smith",))
    ]


# Robustness -----------------------------------------------------------------------------


def test_empty_and_comment_only_pages() -> None:
    for text in ("", "   \n", "<!-- only a comment -->", "\x00"):
        document = parse(text, "empty.html")
        assert document.markers == ()
        assert document.notes == ()


def test_carriage_returns_count_as_line_breaks() -> None:
    page = (
        '<p>a</p>\r\n<p>b<a href="#fn1" class="footnote-ref">1</a></p>\r'
        '<ol><li id="fn1">n</li></ol>'
    )
    document = parse(page, "crlf.html")
    assert [(m.line, m.column) for m in document.markers] == [(2, 5)]
    assert [(n.line, n.column) for n in document.notes] == [(3, 5)]


def test_lines_past_65535_keep_exact_positions() -> None:
    filler = "<p>filler</p>\n" * 70_000
    page = (
        filler + '<p>end<a href="#fn1" class="footnote-ref">1</a></p>\n<ol><li id="fn1">n</li></ol>'
    )
    document = parse(page, "long.html")
    assert [(m.line, m.column) for m in document.markers] == [(70_001, 7)]
    assert [(n.line, n.column) for n in document.notes] == [(70_002, 5)]


_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<sup>",
        "</sup>",
        "<sup>1</sup>",
        '<a href="#fn1">',
        "</a>",
        "<a href='#cite_note-2'>[2]</a>",
        '<li id="fn1">',
        "</li>",
        "<ol>",
        "</ol>",
        '<section class="footnotes">',
        "<d-footnote>",
        "</d-footnote>",
        '<d-cite key="a,b">',
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<!-- citecheck: ignore x -->",
        "\n",
        "\r",
        '<base href="http://x/">',
        "https://example.org/a",
        '<a href="http://e.com/">',
        "<nav>",
        "</nav>",
        "<h2>Notes</h2>",
        "&amp;",
        "<",
        ">",
        '"',
        "é",
        "\x00",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=40))
def test_random_html_never_crashes_and_positions_are_inside(parts: list[str]) -> None:
    text = "".join(parts)
    document = parse(text, "random.html")
    lines = re.split(r"\r\n|\r|\n", text)
    positions = [(m.line, m.column) for m in document.markers]
    positions += [(n.line, n.column) for n in document.notes]
    positions += [(link.line, link.column) for note in document.notes for link in note.links]
    positions += [(link.line, link.column) for link in document.body_links]
    positions += [(p.line, p.column) for p in document.paragraphs]
    positions += [(c.line, c.column) for c in document.citations]
    positions += [(s.line, 1) for s in document.suppressions]
    for line, column in positions:
        assert 1 <= line <= len(lines)
        assert 1 <= column <= len(lines[line - 1]) + 1


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u2028\u3000\u200bab"),
        max_size=12,
    )
)
def test_whitespace_collapses_as_the_regular_expression_does(piece: str) -> None:
    assert collapse(piece) == re.sub(r"\s+", " ", piece)


def test_many_lines_with_two_links_each_keep_their_columns() -> None:
    lines = [
        f'<p><a href="http://a.org/{n}">a</a> <a href="http://b.org/{n}">b</a></p>'
        for n in range(40_000)
    ]
    document = parse("\n".join(lines), "many.html")
    assert len(document.body_links) == 80_000
    assert [(link.line, link.column) for link in document.body_links[-2:]] == [
        (40_000, 4),
        (40_000, 39),
    ]
