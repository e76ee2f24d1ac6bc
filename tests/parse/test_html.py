"""The HTML parser on real pages from the corpus and on small pages written for the tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.model import Document, IdentifierScheme, Suppression
from citecheck.parse.html import parse
from citecheck.parse.html_text import collapse
from citecheck.parse.positions import LineIndex
from citecheck.validate import numbering

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


def _rules(document: Document) -> list[tuple[str, str | None]]:
    return [(item.rule, item.label) for item in numbering.check(document)]


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


# Markers and notes pair through href -> id, not through the order of the list ------------


def _pandoc(markers: list[int], notes: list[int]) -> str:
    """A pandoc page: markers link to ``#fnN``; the list holds ``<li id="fnN">`` in order."""
    refs = "".join(
        f'Claim {n}.<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref">'
        f"<sup>{n}</sup></a>\n"
        for n in markers
    )
    items = "".join(
        f'<li id="fn{n}"><p>Note number {n}.<a href="#fnref{n}" class="footnote-back" '
        'role="doc-backlink">↩︎</a></p></li>\n'
        for n in notes
    )
    return (
        f"<html><body>\n<p>{refs}</p>\n"
        '<section class="footnotes footnotes-end-of-document" role="doc-endnotes">\n'
        f"<hr />\n<ol>\n{items}</ol>\n</section>\n</body></html>\n"
    )


def test_pandoc_note_missing_in_the_middle_leaves_later_notes_their_own_text() -> None:
    document = parse(_pandoc([1, 2, 3], [1, 3]), "middle.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "Note number 1."),
        ("3", "Note number 3."),
    ]
    assert ("missing-note", "2") in _rules(document)
    assert ("missing-note", "3") not in _rules(document)


def test_pandoc_marker_to_an_absent_note_is_dangling_and_an_unlinked_note_unused() -> None:
    document = parse(_pandoc([1, 2, 3], [1, 2, 4]), "dangling.html")
    assert _labels(document.notes) == ["1", "2", "4"]
    assert document.notes[2].text == "Note number 4."
    rules = _rules(document)
    assert ("missing-note", "3") in rules
    assert ("unused-note", "4") in rules
    assert not [rule for rule in rules if rule[0] == "duplicate-note"]


def test_pandoc_last_note_missing() -> None:
    document = parse(_pandoc([1, 2, 3], [1, 2]), "last.html")
    assert [rule for rule in _rules(document) if rule[0] == "missing-note"] == [
        ("missing-note", "3")
    ]


def test_notes_listed_out_of_order_keep_their_numbers() -> None:
    document = parse(_pandoc([1, 2, 3], [2, 1, 3]), "shuffled.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("2", "Note number 2."),
        ("1", "Note number 1."),
        ("3", "Note number 3."),
    ]
    assert _rules(document) == []


def _mediawiki(refs: list[tuple[str, str, str]], notes: list[tuple[str, str]]) -> str:
    """``refs``: (cite_ref id, cite_note id, marker text); ``notes``: (cite_note id, text)."""
    markers = "".join(
        f'Text.<sup id="{ref}" class="reference"><a href="#{note}">[{label}]</a></sup>\n'
        for ref, note, label in refs
    )
    items = "".join(
        f'<li id="{note}"><span class="mw-cite-backlink"><b><a href="#cite_ref-x">^</a></b>'
        f'</span> <span class="reference-text">{text}</span></li>\n'
        for note, text in notes
    )
    return f'<p>{markers}</p>\n<div class="reflist"><ol class="references">\n{items}</ol></div>\n'


def test_mediawiki_pairs_by_cite_note_id_and_reuses_named_notes() -> None:
    page = _mediawiki(
        [
            ("cite_ref-1", "cite_note-1", "1"),
            ("cite_ref-smith_2-0", "cite_note-smith-2", "2"),
            ("cite_ref-4", "cite_note-4", "4"),
            ("cite_ref-smith_2-1", "cite_note-smith-2", "2"),
            ("cite_ref-3", "cite_note-3", "3"),
        ],
        [
            ("cite_note-1", "Jones 2001."),
            ("cite_note-smith-2", "Smith 2002."),
            ("cite_note-4", "Brown 2004."),
        ],
    )
    document = parse(page, "wiki.html")
    assert document.shared_notes
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "Jones 2001."),
        ("2", "Smith 2002."),
        ("4", "Brown 2004."),
    ]
    assert _labels(document.markers) == ["1", "2", "4", "2", "3"]
    missing = [rule for rule in _rules(document) if rule[0] in ("missing-note", "unused-note")]
    assert missing == [("missing-note", "3")]


def test_mediawiki_note_groups_keep_their_own_labels() -> None:
    page = _mediawiki(
        [("cite_ref-1", "cite_note-1", "1"), ("cite_ref-2", "cite_note-2", "nb 1")],
        [("cite_note-1", "A source."), ("cite_note-2", "An explanatory note.")],
    )
    document = parse(page, "groups.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "A source."),
        ("nb 1", "An explanatory note."),
    ]
    assert _rules(document) == []


def test_mediawiki_unreferenced_note_keeps_the_number_of_its_id() -> None:
    page = _mediawiki(
        [("cite_ref-1", "cite_note-1", "1"), ("cite_ref-4", "cite_note-4", "4")],
        [("cite_note-1", "One."), ("cite_note-3", "Three."), ("cite_note-4", "Four.")],
    )
    document = parse(page, "unused.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "One."),
        ("3", "Three."),
        ("4", "Four."),
    ]
    assert ("unused-note", "3") in _rules(document)


def test_generic_list_items_with_note_ids_beside_linked_ones_are_notes() -> None:
    page = (
        '<p>One<sup><a href="#fn1" id="r1">1</a></sup> two<sup><a href="#fn2" id="r2">2</a>'
        '</sup> three<sup><a href="#fn3" id="r3">3</a></sup></p>\n'
        '<ol>\n<li id="fn1">First.</li>\n<li id="fn3">Third.</li>\n<li id="fn4">Fourth.</li>\n'
        "</ol>\n"
    )
    document = parse(page, "generic.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "First."),
        ("3", "Third."),
        ("4", "Fourth."),
    ]
    rules = _rules(document)
    assert ("missing-note", "2") in rules
    assert ("unused-note", "4") in rules


def test_ids_holding_two_numbers_leave_the_label_to_the_list() -> None:
    # WP Footnotes: footnote_<index from 0>_<post id>; an unlinked item is numbered by the list.
    page = (
        '<p>Zeit.<a href="#footnote_0_110" id="identifier_0_110" '
        'class="footnote-link footnote-identifier-link">1</a></p>\n'
        '<ol class="footnotes"><li id="footnote_0_110">Seneca.</li>'
        '<li id="footnote_1_110">Cicero.</li></ol>\n'
    )
    document = parse(page, "wp.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "Seneca."),
        ("2", "Cicero."),
    ]


def test_plain_sup_markers_without_ids_still_pair_by_list_position() -> None:
    page = "<p>One<sup>1</sup> two<sup>2</sup> three<sup>3</sup></p>\n<h2>Notes</h2>\n"
    page += '<ol start="1"><li>First.</li><li>Second.</li></ol>\n'
    document = parse(page, "plain.html")
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "First."),
        ("2", "Second."),
    ]
    assert _rules(document) == [("missing-note", "3")]


def test_notes_as_paragraphs_opening_with_their_sup_after_a_heading() -> None:
    page = (
        "<p>First.<sup>1</sup> Second “claim”<sup>2</sup> and E = mc<sup>2</sup>.<sup>3</sup></p>\n"
    )
    page += (
        "<h3>Notes</h3>\n<p><sup>1</sup> Smith, <em>Book</em>, <a href='one.html'>online</a>.</p>\n"
    )
    page += "<p> <sup>2</sup> Jones, 2002.</p>\n<p>3. Doe, 2003.</p>\n"
    document = parse(page, "sup-notes.html")
    assert _labels(document.markers) == ["1", "2", "3"]
    assert [(m.line, m.column) for m in document.markers] == [(1, 10), (1, 37), (1, 73)]
    assert {_source_at(document, m.line, m.column)[:5] for m in document.markers} == {"<sup>"}
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "Smith, Book, online."),
        ("2", "Jones, 2002."),
        ("3", "Doe, 2003."),
    ]
    assert [(note.line, note.column) for note in document.notes] == [(3, 1), (4, 1), (5, 1)]
    assert document.notes[0].urls == ("one.html",)
    assert document.body_links == ()
    assert _rules(document) == []


def test_numbered_paragraphs_after_a_rule_are_notes() -> None:
    page = "<p>One.<sup>1</sup> Two.<sup>2</sup> Three.<sup>3</sup></p>\n<hr>\n"
    page += "<p>1. Smith, <em>Book</em> (2001).</p><p>[2] Jones, 2002.</p>\n"
    document = parse(page, "rule.html")
    assert _labels(document.markers) == ["1", "2", "3"]
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "Smith, Book (2001)."),
        ("2", "Jones, 2002."),
    ]
    assert _rules(document) == [("missing-note", "3")]


def test_paragraphs_opening_with_their_sup_at_the_end_are_notes() -> None:
    page = "<div><p>One.<sup>1</sup> Two.<sup>2</sup></p><p>More prose.</p>\n"
    page += "<div><p><sup>1</sup> First.</p><div><sup>2</sup> Second.</div></div></div>\n"
    page += "<footer><p>Copyright.</p></footer>\n"
    document = parse(page, "closing.html")
    assert _labels(document.markers) == ["1", "2"]
    assert [(note.label, note.text) for note in document.notes] == [
        ("1", "First."),
        ("2", "Second."),
    ]
    assert [p.text for p in document.paragraphs] == ["One. Two.", "More prose."]


@pytest.mark.parametrize(
    "exponent",
    ["E = mc<sup>2</sup>", "x<sup>2</sup>", "3 m<sup>3</sup>", "10<sup>3</sup>", "10<sup>-3</sup>"],
)
def test_exponents_are_not_markers(exponent: str) -> None:
    page = f"<p>Said.<sup>1</sup> Also {exponent} here.</p>\n<h2>Notes</h2>\n<ol><li>A.</li></ol>\n"
    document = parse(page, "exponent.html")
    assert _labels(document.markers) == ["1"]
    assert _rules(document) == []


@pytest.mark.parametrize(
    "marker",
    [
        "word<sup>2</sup>",
        "word.<sup>2</sup>",
        "“quoted”<sup>2</sup>",
        "UK<sup>2</sup>",
        "see it<sup>2</sup>",
        "(1998)<sup>2</sup>",
        "word <sup>2</sup>",
        "<i>Title</i><sup>2</sup>",
    ],
)
def test_sup_after_a_word_punctuation_or_quote_is_a_marker(marker: str) -> None:
    page = f"<p>Said.<sup>1</sup> Then {marker} here.</p>\n<h2>Notes</h2>\n"
    page += "<p><sup>1</sup> A.</p><p><sup>2</sup> B.</p>\n"
    document = parse(page, "marker.html")
    assert _labels(document.markers) == ["1", "2"]
    assert _labels(document.notes) == ["1", "2"]


def test_numbered_paragraphs_need_a_heading_or_a_rule_before_them() -> None:
    steps = "<p>Do this.<sup>1</sup></p>\n<p>1. Open the box.</p><p>2. Close it.</p>\n"
    assert parse(steps, "steps.html").notes == ()
    after_prose = "<p>Do this.<sup>1</sup></p>\n<hr>\n<p>Prose.</p><p>1. Open the box.</p>\n"
    assert parse(after_prose, "steps.html").notes == ()


def test_a_paragraph_opening_with_a_sup_in_the_body_is_no_note() -> None:
    page = "<p>Said.<sup>1</sup></p>\n<p><sup>2</sup> Squared, said the text.</p>\n"
    page += "<p>The essay goes on.</p>\n"
    document = parse(page, "body.html")
    assert document.notes == ()


# Robustness -----------------------------------------------------------------------------


def test_empty_and_comment_only_pages() -> None:
    for text in ("", "   \n", "<!-- only a comment -->", "\x00"):
        document = parse(text, "empty.html")
        assert document.markers == ()
        assert document.notes == ()


def _nested(depth: int) -> str:
    body = "<div>\n" * depth + '<p>Deep<sup><a href="#fn1" id="r1">1</a></sup></p>'
    return f'<html><body>\n{body}\n<ol><li id="fn1">Note. <a href="#r1">↩</a></li></ol>\n'


def test_deep_nesting_below_the_limit_is_read() -> None:
    document = parse(_nested(2_000), "deep.html")
    assert _labels(document.markers) == ["1"]
    assert [(note.label, note.text) for note in document.notes] == [("1", "Note.")]


def test_nesting_past_the_limit_is_an_input_error_naming_the_place() -> None:
    page = _nested(3_000)
    with pytest.raises(InputError) as raised:
        parse(page, "deep.html")
    message = str(raised.value)
    found = re.fullmatch(
        r"deep\.html:(\d+): elements nested more than (\d+) deep from column 1 on; .*", message
    )
    assert found is not None and "\n" not in message
    line, depth = int(found.group(1)), int(found.group(2))
    # Line 1 opens <html><body>, line N the (N-1)th <div>: the deepest read is at depth N + 1.
    assert raised.value.line == line
    assert page.split("\n")[line - 1] == "<div>"
    assert depth == line + 1 < 3_000


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
