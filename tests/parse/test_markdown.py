"""The Markdown parser on real corpus files and on small inputs of our own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Document, IdentifierScheme, Suppression
from citecheck.parse import markdown_blocks
from citecheck.parse.markdown import parse
from citecheck.parse.markdown_candidates import Candidates
from citecheck.validate import numbering

MD = "footnotes-md"


def _read(folder: Path, name: str) -> Document:
    path = folder / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def _labels(document: Document) -> tuple[list[str], list[str]]:
    return [m.label for m in document.markers], [n.label for n in document.notes]


def _undefined(document: Document) -> set[str]:
    return {m.label for m in document.markers} - {n.label for n in document.notes}


def _unused(document: Document) -> set[str]:
    return {n.label for n in document.notes} - {m.label for m in document.markers}


def _spec_example(text: str, section: str) -> str:
    """The Markdown input of the first spec example after a ``## section`` heading."""
    after = text[text.index(f"## {section}\n") :]
    match = re.search(r"^`{32} example\n(.*?)^\.\n", after, re.MULTILINE | re.DOTALL)
    assert match is not None
    return match.group(1)


def _pandoc_command_input(text: str) -> str:
    """The input of a pandoc command test: between the ``% pandoc`` line and ``^D``."""
    match = re.search(r"^% pandoc[^\n]*\n(.*?)^\^D$", text, re.MULTILINE | re.DOTALL)
    assert match is not None
    return match.group(1)


# -- the corpus ---------------------------------------------------------------------------


def test_cmark_gfm_file_is_all_code_fences(corpus: Path) -> None:
    document = _read(corpus / MD, "cmark-gfm-extensions.txt")
    assert document.markers == ()
    assert document.notes == ()


def test_cmark_gfm_footnote_example(corpus: Path) -> None:
    text = (corpus / MD / "cmark-gfm-extensions.txt").read_text(encoding="utf-8")
    document = parse(_spec_example(text, "Footnotes"), "example.md")
    markers, notes = _labels(document)
    assert markers == ["1", "footnote", "other-note", "codeblock-note", "nope"]
    assert notes == ["other-note", "codeblock-note", "1", "footnote", "unused"]
    assert _undefined(document) == {"nope"}
    assert _unused(document) == {"unused"}
    other = document.notes[0]
    assert other.text == "no code block here (spaces are stripped away)"
    assert (other.line, other.column) == (10, 1)


def test_niplav_transfer_out_of_order(corpus: Path) -> None:
    document = _read(corpus / MD, "niplav-transfer.md")
    markers, notes = _labels(document)
    assert markers == ["6", "4", "2", "1", "3", "5"]
    assert notes == ["6", "1", "2", "3", "5", "4"]
    assert [(m.line, m.column) for m in document.markers][:2] == [(71, 99), (77, 75)]
    assert (document.notes[-1].line, document.notes[-1].column) == (508, 1)
    assert document.notes[1].urls == (
        "https://www.wku.edu/senate/documents/improving_student_learning_dunlosky_2013.pdf",
    )
    assert document.citations == ()


def test_pandoc_11362_one_note_referenced_twice(corpus: Path) -> None:
    text = (corpus / MD / "pandoc-command-11362.md").read_text(encoding="utf-8")
    assert parse(text, "whole.md").markers == ()  # the whole test sits in a code fence
    document = parse(_pandoc_command_input(text), "input.md")
    markers, notes = _labels(document)
    assert markers == ["1", "1"]
    assert notes == ["1"]
    assert document.notes[0].text == "Test footnote."


def test_pandoc_1718_unused_note(corpus: Path) -> None:
    text = (corpus / MD / "pandoc-command-1718.md").read_text(encoding="utf-8")
    document = parse(_pandoc_command_input(text), "input.md")
    assert _labels(document) == (["1"], ["1", "2"])
    assert _unused(document) == {"2"}
    assert (document.notes[1].line, document.notes[1].column) == (5, 1)


def test_pandoc_testsuite_notes(corpus: Path) -> None:
    document = _read(corpus / MD, "pandoc-testsuite.txt")
    markers, notes = _labels(document)
    assert markers == ["1", "longnote", "^1", "^2", "^3"]
    assert sorted(notes) == ["1", "^1", "^2", "^3", "longnote"]
    assert "my note" not in markers
    assert _undefined(document) == set() and _unused(document) == set()
    inline = {n.label: n for n in document.notes}
    assert inline["^1"].urls == ("http://google.com/",)
    assert (inline["^1"].line, inline["^1"].column) == (701, 53)
    assert inline["^2"].text == "In quote."
    assert (inline["^3"].line, inline["^3"].column) == (708, 23)
    longnote = inline["longnote"]
    assert longnote.text.endswith("lazy and just indent the first line of each block.")
    assert "{ <code> }" in longnote.text
    assert (inline["1"].line, inline["1"].column) == (723, 3)


def test_decretist_chapter(corpus: Path) -> None:
    path = corpus / MD / "decretist-dissertation-chapter0.md"
    document = _read(corpus / MD, "decretist-dissertation-chapter0.md")
    assert len(document.markers) == 18
    assert len(document.notes) == 18
    assert _undefined(document) == set() and _unused(document) == set()
    assert len(document.citations) == 25
    keys = {c.key for c in document.citations}
    # The description counts 22 keys; @moretti_distant_2013 sits in an HTML comment.
    assert len(keys) == 21
    assert "moretti_distant_2013" not in keys
    assert document.bibliography_paths == (str(path.parent / "../bib/merged.bib"),)
    in_notes = [c for c in document.citations if c.note_label is not None]
    assert len(in_notes) == 19
    hockey = next(c for c in document.citations if c.key == "hockey_history_2004")
    assert (hockey.line, hockey.note_label, hockey.locator) == (425, "9", "4, 8")
    noonan = next(c for c in document.citations if c.key == "noonan_gratian_1979")
    assert (noonan.line, noonan.column, noonan.locator) == (305, 9, "171-172")
    note9 = next(n for n in document.notes if n.label == "9")
    assert [c.key for c in note9.citations] == ["reuter_wortkonkordanz_1990", "hockey_history_2004"]


def test_mmd_reference_footnotes(corpus: Path) -> None:
    document = _read(corpus / MD, "mmd6-Reference-Footnotes.text")
    assert _labels(document) == (["bar", "bar2", "bar3", "bar3"], ["bar", "bar2", "bar3"])
    bar3 = document.notes[2]
    assert bar3.text == "foo\n\n*bar*\n\n* bat"
    assert document.notes[1].text == "*foo\nbar*"


def test_pandoc_markdown_citations(corpus: Path) -> None:
    document = _read(corpus / MD, "pandoc-markdown-citations.txt")
    assert _labels(document) == (["1", "2", "3"], ["1", "2", "3"])
    assert len(document.citations) == 21
    assert sum(c.note_label is None for c in document.citations) == 14
    assert {c.key for c in document.citations} == {"nonexistent", "item1", "item2", "пункт3"}
    cites = [(c.key, c.prefix, c.locator) for c in document.citations]
    assert ("item1", "see", "chap. 3") in cites
    assert ("item1", "", "p. 30, with suffix") in cites
    assert ("пункт3", "see also", "") in cites
    note3 = document.notes[2]
    assert [(c.key, c.locator, c.note_label) for c in note3.citations] == [
        ("item1", "", "3"),
        ("item2", "p. 44", "3"),
    ]
    assert len(document.paragraphs) == 14


def test_mmd_citations(corpus: Path) -> None:
    document = _read(corpus / MD, "mmd6-Citations.text")
    cites = document.citations
    assert len(cites) == 15
    assert [c.key for c in cites].count("foo1") == 12
    assert {c.locator for c in cites} == {"", "p. 123", "foo][bar", "Not Cited"}
    assert (cites[2].line, cites[2].column, cites[2].locator) == (10, 10, "p. 123")


# -- small inputs ---------------------------------------------------------------------------


def test_edge_cases(data: Path) -> None:
    path = data / "markdown" / "edge-cases.md"
    document = parse(path.read_text(encoding="utf-8"), str(path))
    assert document.format == "markdown"
    assert [(m.label, m.line, m.column) for m in document.markers] == [
        ("a", 7, 22),
        ("missing", 7, 47),
        ("^1", 15, 23),
    ]
    assert [(n.label, n.line) for n in document.notes] == [("^1", 15), ("a", 23), ("a", 28)]
    assert _undefined(document) == {"missing"}
    first = document.notes[1]
    assert first.urls == ("https://example.com/note",)
    assert first.ids(IdentifierScheme.DOI) == ("10.1000/xyz123",)
    assert first.text.startswith("First definition, citing")
    assert "\nSecond paragraph of the note" in first.text
    assert [(c.key, c.locator, c.note_label) for c in document.citations] == [
        ("smith2020", "p. 4", None),
        ("doe_99", "", None),
        ("inlinekey", "", "^1"),
        ("jones2019", "", "a"),
    ]
    assert [(link.raw, link.line, link.in_note) for link in document.body_links] == [
        ("https://example.com/auto", 18, False),
        ("https://example.com/inline", 18, False),
        ("www.example.net/page", 19, False),
        ("https://example.com/reference", 19, False),
    ]
    assert document.suppressions == (Suppression(17, ("dead-link",)),)
    assert document.bibliography_paths == (
        str(path.parent / "refs.bib"),
        str(path.parent / "../shared/more.json"),
    )


def test_paragraphs_and_marker_offsets(data: Path) -> None:
    document = parse((data / "markdown" / "edge-cases.md").read_text(encoding="utf-8"), "e.md")
    assert len(document.paragraphs) == 3
    first = document.paragraphs[0]
    assert (first.line, first.column) == (7, 1)
    assert first.marker_offsets == (21, 46)
    assert first.text[21:25] == "[^a]"
    assert first.position(46).line == 7
    second = document.paragraphs[1]
    assert second.text[second.marker_offsets[0] :].startswith("^[With")
    assert second.position(second.marker_offsets[0]).column == 23


def test_multimarkdown_citations(data: Path) -> None:
    path = data / "markdown" / "multimarkdown.text"
    document = parse(path.read_text(encoding="utf-8"), str(path))
    assert [(c.key, c.line, c.column, c.locator) for c in document.citations] == [
        ("knuth1968", 3, 6, ""),
        ("knuth1981", 3, 30, "p. 12"),
    ]


def test_duplicate_definitions_in_one_block() -> None:
    document = parse("Text[^1].\n\n[^1]: one\n[^1]: two\n", "dup.md")
    assert [(n.label, n.line, n.text) for n in document.notes] == [
        ("1", 3, "one"),
        ("1", 4, "two"),
    ]


def test_inline_note_labels_are_not_numbers() -> None:
    document = parse("One^[first] and two^[second].\n", "inline.md")
    assert [m.label for m in document.markers] == ["^1", "^2"]
    assert not any(n.label.isdigit() for n in document.notes)


def test_notes_in_lists_and_quotes() -> None:
    text = "- item[^a]\n- > quoted[^b]\n\n> [^a]: In a quote, see <https://example.org>.\n\n"
    text += "[^b]: b\n"
    document = parse(text, "nested.md")
    assert [(m.label, m.line, m.column) for m in document.markers] == [
        ("a", 1, 7),
        ("b", 2, 11),
    ]
    quoted = document.notes[0]
    assert (quoted.label, quoted.line, quoted.column) == ("a", 4, 3)
    assert quoted.urls == ("https://example.org/",)


def test_code_is_ignored() -> None:
    text = "    indented [^x] @code\n\n~~~\n[^y] @fence\n\n[^z]\n~~~\n\nReal[^r].\n\n[^r]: note\n"
    document = parse(text, "code.md")
    assert _labels(document) == (["r"], ["r"])
    assert document.citations == ()


def test_email_and_url_are_not_citations() -> None:
    text = "Mail me@example.org or see https://medium.com/@author/post, but @real counts.\n"
    document = parse(text, "mail.md")
    assert [c.key for c in document.citations] == ["real"]
    assert document.body_links[0].raw == "https://medium.com/@author/post"


def test_table_cells() -> None:
    text = "| a | b |\n|---|---|\n| x[^1] | y [@key] |\n\n[^1]: note\n"
    document = parse(text, "table.md")
    assert [(m.label, m.line, m.column) for m in document.markers] == [("1", 3, 4)]
    assert [(c.key, c.line, c.column) for c in document.citations] == [("key", 3, 14)]


def test_suppression_without_rules() -> None:
    document = parse("Text <!-- citecheck: ignore --> here.\n", "s.md")
    assert document.suppressions == (Suppression(1, ()),)


def test_bibliography_string_and_crlf() -> None:
    document = parse("---\r\nbibliography: refs.bib\r\n---\r\nText[^1].\r\n", "dir/doc.md")
    assert document.bibliography_paths == (str(Path("dir") / "refs.bib"),)
    assert [(m.line, m.column) for m in document.markers] == [(4, 5)]


def _rules(document: Document) -> list[tuple[str, int, int, str | None]]:
    return [(f.rule, f.line, f.column, f.label) for f in numbering.check(document)]


def test_note_labels_match_regardless_of_letter_case() -> None:
    text = (
        "Case test.[^Note] Again[^NOTE], inline^[see @k] and Greek[^ΑΓΩ].\n\n"
        "[^note]: Defined in lower case [@doe, p. 3].\n\n"
        "[^αγω]: Greek\n"
    )
    document = parse(text, "case.md")
    assert [(m.label, m.line, m.column) for m in document.markers] == [
        ("note", 1, 11),
        ("note", 1, 24),
        ("^1", 1, 39),
        ("αγω", 1, 58),
    ]
    assert [(n.label, n.line, n.column) for n in document.notes] == [
        ("^1", 1, 39),
        ("note", 3, 1),
        ("αγω", 5, 1),
    ]
    assert [(c.key, c.note_label) for c in document.citations] == [("k", "^1"), ("doe", "note")]
    assert document.notes[1].citations == document.citations[1:]
    assert _rules(document) == []


def test_definitions_differing_only_in_case_are_one_label(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Text[^a] and[^X].\n\n[^A]: first, see @k\n[^a]: second, see @j\n"
    document = parse(text, "doc.md")
    assert [m.label for m in document.markers] == ["A", "X"]
    assert [(n.label, n.line, n.text) for n in document.notes] == [
        ("A", 3, "first, see @k"),
        ("A", 4, "second, see @j"),
    ]
    assert [(c.key, c.note_label) for c in document.citations] == [("k", "A"), ("j", "A")]
    assert _rules(document) == [("duplicate-note", 4, 1, "A"), ("missing-note", 1, 13, "X")]
    # A marker without a note still pairs with another marker in the other case.
    assert [m.label for m in parse("One[^x] two[^X].\n", "m.md").markers] == ["x", "x"]
    assert _through_markdown_it(text, monkeypatch) == document


def test_nocite_front_matter_cites_without_a_citation_in_the_text() -> None:
    text = "---\ntitle: T\nnocite: |\n  @b, @{c.d}\n  and @*\n---\n\nText [@a].\n"
    document = parse(text, "nocite.md")
    assert [(c.key, c.line, c.column, c.note_label) for c in document.citations] == [
        ("b", 4, 3, None),
        ("c.d", 4, 7, None),
        ("*", 5, 7, None),
        ("a", 8, 7, None),
    ]
    listed = parse('---\nnocite:\n- "@x"\n- >-\n    @y\nother: "@z"\n---\nText.\n', "l.md")
    assert [(c.key, c.line, c.column) for c in listed.citations] == [("x", 3, 4), ("y", 5, 5)]
    commented = parse("---\nnocite: '@x' # @w\n---\n", "c.md")
    assert [(c.key, c.line, c.column) for c in commented.citations] == [("x", 2, 10)]
    assert parse("---\nnocite: 'none'\n---\nmail@x.org\n", "n.md").citations == ()
    escaped = parse('---\nx: 1\n"nocite": "@\\x71, @r"\n---\n', "e.md")
    assert [(c.key, c.line, c.column) for c in escaped.citations] == [("q", 3, 1), ("r", 3, 19)]


# -- properties ---------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "[^1]",
        "[^A]",
        "[^a]: ",
        "^[",
        "]",
        "[",
        "@key",
        "[@k, p. 1]",
        "`",
        "```\n",
        "\n",
        "\n\n",
        "    ",
        "> ",
        "- ",
        "1. ",
        "<!--",
        "-->",
        "http://x.org/",
        "[t](u)",
        "#",
        "---\n",
        "|",
        "\t",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_random_text_never_crashes_and_positions_are_inside(text: str) -> None:
    document = parse(text, "random.md")
    lines = document.text.split("\n")
    for item in (*document.markers, *document.notes, *document.citations):
        assert 1 <= item.line <= len(lines)
        assert 1 <= item.column <= len(lines[item.line - 1]) + 1


# -- lists, quotes, note runs and setext headings read without markdown-it -------------------

_SIMPLE = (
    "Title with [^1]\n===\n\n"
    "- first item [^1], see @smith2020\n  continued <http://x.org>\n- second ^[inline @k]\n"
    "lazy line [t](http://l.com)\n\n"
    "1. one\n2. two [@doe, p. 3]\n\n"
    "> quoted [^2] text  \nlazy [^3]\n> more\n\n"
    "[^1]: First note https://example.com/a\n"
    "[^2]: Second note, 10.1000/xyz\n    indented continuation\n"
    "[^3]:\tThird @key note\n"
)


_LONG_NOTE = (
    "Text[^long] and more[^b].\n\n"
    "[^long]: First paragraph, see @smith2020\ncontinued [t](http://l.com)\n\n"
    "    Second paragraph [@doe, p. 3] with ^[an inline note]\n"
    "    and https://example.com/x, 10.1000/xyz.\n  \n\n"
    "    Third `code [^no]` paragraph\nlazy line\n\n"
    "[^b]: b\n"
)


def _through_markdown_it(text: str, monkeypatch: pytest.MonkeyPatch) -> Document:
    with monkeypatch.context() as patch:
        patch.setattr(markdown_blocks, "_read_simple", lambda *_: False)
        return parse(text, "doc.md")


def test_simple_blocks_read_as_markdown_it_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    document = parse(_SIMPLE, "doc.md")
    assert document == _through_markdown_it(_SIMPLE, monkeypatch)
    assert [(m.label, m.line, m.column) for m in document.markers][:2] == [
        ("1", 1, 12),
        ("1", 4, 14),
    ]
    assert [n.label for n in document.notes] == ["^1", "1", "2", "3"]
    assert document.notes[2].text == "Second note, 10.1000/xyz\nindented continuation"


def test_long_note_read_as_markdown_it_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    document = parse(_LONG_NOTE, "doc.md")
    assert document == _through_markdown_it(_LONG_NOTE, monkeypatch)
    long = next(note for note in document.notes if note.label == "long")
    assert long.text.endswith("Third `code [^no]` paragraph\nlazy line")
    assert [c.key for c in long.citations] == ["smith2020", "doe"]
    assert long.urls == ("http://l.com/", "https://example.com/x")


def test_simple_blocks_in_the_corpus(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("niplav-transfer.md", "niplav-logical.md", "decretist-dissertation-chapter0.md"):
        text = (corpus / MD / name).read_text(encoding="utf-8")
        assert parse(text, "doc.md") == _through_markdown_it(text, monkeypatch), name


# The last four open indented paragraphs, which belong to a note above them.
_BLOCK_PIECES = st.sampled_from(
    [
        "- ",
        "* ",
        "1. ",
        "2) ",
        "> ",
        ">",
        "[^a]: ",
        "[^b]:",
        "===",
        "---",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\n\n    ",
        "\n    ",
        "\n\n     ",
        "\n \n   ",
    ]
)
_WORDS = st.sampled_from(["word", "[^a]", "@key", "[@k, p. 3]", "http://x.org", "`c`", "^[n]"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_BLOCK_PIECES, _WORDS, st.just(" ")), max_size=40).map("".join))
def test_simple_blocks_agree_with_markdown_it(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        document = _through_markdown_it(text, patch)
    assert parse(text, "random.md").markers == document.markers
    assert parse(text, "random.md").paragraphs == document.paragraphs


# -- blocks read without inline scanning -------------------------------------------------------

_INLINE_PIECES = st.sampled_from(
    ["[^1]", "[^a.b]", "[^x]:", "[^1](", "[^1][", "](", "^", "www.x.org", "Http://", "@", "`", "\\"]
)


def _all_scanned(text: str) -> Document:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Candidates, "quiet", lambda *_: False)
        return parse(text, "doc.md")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_INLINE_PIECES, _PIECES, _WORDS), max_size=40).map("".join))
def test_unscanned_blocks_read_as_scanned_ones(text: str) -> None:
    assert parse(text, "doc.md") == _all_scanned(text)


def test_unscanned_blocks_in_the_corpus(corpus: Path) -> None:
    for name in (
        "niplav-transfer.md",
        "decretist-dissertation-chapter0.md",
        "pandoc-testsuite.txt",
    ):
        text = (corpus / MD / name).read_text(encoding="utf-8")
        assert parse(text, "doc.md") == _all_scanned(text), name
