"""The LaTeX parser on the corpus, on small sources, and on random text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.parse.latex import parse
from citecheck.parse.latex_scan import DEFINITIONS, TOKEN
from citecheck.parse.latex_text import plain_text
from citecheck.parse.positions import LineIndex

LATEX = Path(__file__).resolve().parent.parent / "data" / "latex"


def _corpus(corpus: Path, name: str) -> Document:
    path = corpus / "latex" / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def test_footnotes_with_nested_braces_and_numbering() -> None:
    source = (
        "Text.\\footnote{A {nested \\emph{group}} here.}\n"
        "More\\footnote[7]{Set by hand.} and\\footnote{Third}.\n"
        "Mark\\footnotemark{} and \\footnotetext{Text of four.}\n"
        "Again\\footnotemark[9]\\footnotetext[9]{Nine.}\n"
    )
    doc = parse(source, "n.tex")
    assert [(m.label, m.line, m.column) for m in doc.markers] == [
        ("1", 1, 6),
        ("7", 2, 5),
        ("2", 2, 35),
        ("3", 3, 5),
        ("9", 4, 6),
    ]
    assert [(n.label, n.line, n.text) for n in doc.notes] == [
        ("1", 1, "A nested group here."),
        ("7", 2, "Set by hand."),
        ("2", 2, "Third"),
        ("3", 3, "Text of four."),
        ("9", 4, "Nine."),
    ]


def test_citation_commands_with_notes_and_several_keys() -> None:
    source = (
        "See \\citep[see][p.~12]{alpha, beta} and \\citet*{gamma}.\n"
        "\\parencite[chap. 3]{delta} \\textcite{eps} \\Cite{zeta} \\citeauthor{eta}\n"
        "\\citeyear{theta} \\nocite{iota,*} \\autocite{kappa} \\cites[a][b]{mu}[c]{nu}\n"
    )
    doc = parse(source, "c.tex")
    got = [(c.key, c.line, c.column, c.prefix, c.locator, c.note_label) for c in doc.citations]
    assert got == [
        ("alpha", 1, 24, "see", "p.~12", None),
        ("beta", 1, 31, "see", "p.~12", None),
        ("gamma", 1, 49, "", "", None),
        ("delta", 2, 21, "", "chap. 3", None),
        ("eps", 2, 38, "", "", None),
        ("zeta", 2, 49, "", "", None),
        ("eta", 2, 67, "", "", None),
        ("theta", 3, 11, "", "", None),
        ("iota", 3, 26, "", "", None),
        ("*", 3, 31, "", "", None),
        ("kappa", 3, 44, "", "", None),
        ("mu", 3, 64, "a", "b", None),
        ("nu", 3, 71, "", "c", None),
    ]
    assert doc.notes == ()


def test_nocite_star_is_the_key_that_cites_every_entry() -> None:
    source = (
        "\\cite{a}\\nocite{*}\n\\nocite{ b , c }\\cite{*} \\parencite{d,*}\\footnote{\\nocite{*}}"
    )
    doc = parse(source, "n.tex")
    assert [(c.key, c.line, c.column, c.note_label) for c in doc.citations] == [
        ("a", 1, 7, None),
        ("*", 1, 17, None),
        ("b", 2, 10, None),
        ("c", 2, 14, None),
        ("d", 2, 37, None),
        ("*", 2, 59, "1"),
    ]


def test_nocite_star_leaves_no_entry_unused(tmp_path: Path) -> None:
    from citecheck import check

    (tmp_path / "refs.bib").write_text(
        "@book{a, title={A}, year=2000}\n@book{b, title={B}, year=2000}\n", encoding="utf-8"
    )
    main = tmp_path / "main.tex"
    main.write_text("\\cite{a}\\nocite{*}\n\\bibliography{refs}\n", encoding="utf-8")
    assert check(main, offline=True).findings == ()
    main.write_text("\\cite{a}\\nocite{}\n\\bibliography{refs}\n", encoding="utf-8")
    assert [(f.rule, f.label) for f in check(main, offline=True).findings] == [
        ("unused-bib-entry", "b")
    ]


def test_footcite_makes_a_note_and_cites_inside_notes_belong_to_it() -> None:
    source = "One.\\footcite[12]{k1} Two.\\footnote{As \\cite[see][]{k2} says.}"
    doc = parse(source, "f.tex")
    assert [m.label for m in doc.markers] == ["1", "2"]
    first, second = doc.notes
    assert first.text == "\\footcite[12]{k1}"
    assert [(c.key, c.locator, c.note_label) for c in first.citations] == [("k1", "12", "1")]
    assert [(c.key, c.prefix, c.note_label) for c in second.citations] == [("k2", "see", "2")]
    assert second.text == "As says."
    assert doc.citations == (*first.citations, *second.citations)


def test_autocite_is_a_footnote_under_a_note_style() -> None:
    source = "\\usepackage[style=verbose-trad1]{biblatex}\nText\\autocite{k}."
    doc = parse(source, "a.tex")
    assert [(n.label, [c.key for c in n.citations]) for n in doc.notes] == [("1", ["k"])]
    inline = parse(source.replace("verbose-trad1", "authoryear"), "a.tex")
    assert inline.notes == () and [c.key for c in inline.citations] == ["k"]


def test_links_in_notes_and_body() -> None:
    source = (
        "Body \\url{https://Example.org/a%20b} and \\href{http://x.org/\\#frag}{text}.\n"
        "Note\\footnote{At \\url{https://n.org/p?q=1} or http://plain.org/x.}\n"
    )
    doc = parse(source, "l.tex")
    body = [(link.raw, link.url, link.line, link.column, link.in_note) for link in doc.body_links]
    assert body == [
        ("https://Example.org/a%20b", "https://example.org/a%20b", 1, 11, False),
        ("http://x.org/\\#frag", "http://x.org/#frag", 1, 48, False),
    ]
    (note,) = doc.notes
    assert [(link.url, link.line, link.column) for link in note.links] == [
        ("https://n.org/p?q=1", 2, 23),
        ("http://plain.org/x", 2, 47),
    ]
    assert note.text == "At https://n.org/p?q=1 or http://plain.org/x."


def test_comments_verbatim_and_code_are_not_read() -> None:
    source = (
        "% \\footnote{commented} \\cite{commented}\n"
        "Ten 10\\% done\\footnote{real}. \\verb|\\cite{verb}| \\verb*+\\footnote{x}+\n"
        "\\begin{verbatim}\n\\cite{inverbatim}\\footnote{inverbatim}\n\\end{verbatim}\n"
        "\\texttt{\\cite{a1}} \\code{\\cite[26]{b1}} \\lstinline{\\cite{c}}\n"
        "\\def\\footcite#1{\\item\\Cite{#1}} \\newcommand*{\\footnote}{x}\n"
        "\\cite{real}\n"
    )
    doc = parse(source, "v.tex")
    assert [n.text for n in doc.notes] == ["real"]
    assert [c.key for c in doc.citations] == ["real"]
    assert doc.citations[0].line == 8


def test_definitions_are_not_content() -> None:
    source = (
        "\\newcommand{\\seefn}[1]{see\\footnote{#1 \\cite{d1}}}\n"
        "\\renewcommand*\\thanks[2][x]{\\footnotemark\\footnotetext{#2}}\n"
        "\\def\\plain#1.{\\footnote{#1}\\cite{d2}} \\long\\gdef\\other{\\footnote{g}}\n"
        "\\DeclareRobustCommand{\\robust}{\\footcite{d3}}\n"
        "\\newenvironment{aside}[1]{\\footnote{begin}}{\\footnote{end \\cite{d4}}}\n"
        "\\NewDocumentCommand{\\xp}{m o}{\\footnote{#1}}\n"
        "\\let\\oldfootnote\\footnote \\let\\bgroup={\n"
        "\\newcommand{\\docs}[1]{\\href{https://docs.org/#1/}{#1}\\url{https://whole.org/a}}\n"
        "Real.\\footnote{Real \\cite{real}.} \\seefn{used, not expanded}\n"
    )
    doc = parse(source, "d.tex")
    assert [(m.label, m.line) for m in doc.markers] == [("1", 9)]
    assert [(n.label, n.text) for n in doc.notes] == [("1", "Real .")]
    assert [c.key for c in doc.citations] == ["real"]
    assert [link.url for link in doc.body_links] == ["https://whole.org/a"]


def test_every_defining_command_is_one_the_scan_stops_at() -> None:
    assert all(TOKEN.fullmatch(f"\\{name}") for name in DEFINITIONS)


def test_a_definition_left_open_does_not_stop_the_scan() -> None:
    doc = parse("\\def\\open{\\iffalse}\n\\edef\\x{{ A\\footnote{one}", "o.tex")
    assert [n.text for n in doc.notes] == ["one"]


def test_percent_in_a_url_is_a_character_and_escaped_percent_no_comment() -> None:
    source = (
        "A\\footnote{See \\url{https://example.org/a%20b} for more, p. 4.}\n"
        "B\\footnote{Also \\href{https://example.org/c%2Fd#top}{the page} here.}\n"
        "C\\footnote{Ten \\% of \\nolinkurl{http://x.org/~me%21} and 5 \\\\% a comment\n"
        "   after it.}\n"
    )
    first, second, third = parse(source, "p.tex").notes
    assert first.text == "See https://example.org/a%20b for more, p. 4."
    assert first.urls == ("https://example.org/a%20b",)
    assert second.text == "Also the page here."
    assert second.urls == ("https://example.org/c%2Fd#top",)
    assert third.text == "Ten % of http://x.org/~me%21 and 5 after it."
    assert third.urls == ("http://x.org/~me%21",)


def test_comments_in_a_note_hold_no_links_or_citations() -> None:
    source = "A\\footnote{Seen % http://hidden.org \\cite{hidden} 10.1000/hidden\nhttp://seen.org}"
    (note,) = parse(source, "c.tex").notes
    assert note.text == "Seen http://seen.org"
    assert note.urls == ("http://seen.org/",)
    assert note.identifiers == ()
    assert note.citations == ()


def test_verbatim_environments_and_verb_hold_no_markers_or_citations() -> None:
    source = (
        "\\begin{lstlisting}[language=TeX]\n\\footnote{l}\\cite{l}\n\\end{lstlisting}\n"
        "\\begin{minted}[linenos]{latex}\n\\footnote{m}\\cite{m}\n\\end{minted}\n"
        "\\begin{Verbatim}\n\\footnotemark\\footcite{v}\n\\end{Verbatim}\n"
        "A\\footnote{Real.}\n"
    )
    doc = parse(source, "v.tex")
    assert [(m.label, m.line) for m in doc.markers] == [("1", 10)]
    assert [n.text for n in doc.notes] == ["Real."]
    assert doc.citations == ()


def test_verb_in_a_note_is_shown_as_written() -> None:
    (note,) = parse("A\\footnote{Type \\verb|\\cite{k}| or \\verb+%}+ here.}", "v.tex").notes
    assert note.text == "Type \\cite{k} or %} here."
    assert note.citations == ()


def test_suppression_comments() -> None:
    source = "a\n% citecheck: ignore\nb % citecheck: ignore reused-marker, link-broken\n"
    doc = parse(source, "s.tex")
    assert [(s.line, s.rules) for s in doc.suppressions] == [
        (2, ()),
        (3, ("reused-marker", "link-broken")),
    ]


def test_bibliography_paths_are_resolved_next_to_the_main_file() -> None:
    source = "\\bibliography{refs, more.bib}\n\\addbibresource[datatype=bibtex]{other.bib}"
    doc = parse(source, "papers/main.tex")
    assert doc.bibliography_paths == ("papers/refs.bib", "papers/more.bib", "papers/other.bib")


def test_input_is_followed_and_located(tmp_path: Path) -> None:
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    one = str(chapters / "one.tex")
    (chapters / "one.tex").write_text(
        "Included.\\footnote{From one \\url{http://one.org}.}\n\\cite{inc}\n", encoding="utf-8"
    )
    main = tmp_path / "main.tex"
    main.write_text(
        "Start.\\footnote{Main.}\n\\input{chapters/one}\nEnd.\\footnote{Last.}\n"
        "\\include{missing}\\input{main}\n",
        encoding="utf-8",
    )
    doc = parse(main.read_text(encoding="utf-8"), str(main))
    assert [(m.label, m.path, m.line, m.column, m.location) for m in doc.markers] == [
        ("1", None, 1, 7, None),
        ("2", one, 1, 10, None),
        ("3", None, 3, 5, None),
    ]
    assert [(n.label, n.text, n.urls, n.path, n.line, n.location) for n in doc.notes] == [
        ("1", "Main.", (), None, 1, None),
        ("2", "From one http://one.org.", ("http://one.org/",), one, 1, None),
        ("3", "Last.", (), None, 3, None),
    ]
    assert [(k.path, k.line, k.column) for k in doc.notes[1].links] == [(one, 1, 34)]
    assert [(c.key, c.path, c.line, c.column) for c in doc.citations] == [("inc", one, 2, 7)]
    assert doc.included_paths == (one,)
    assert doc.notices == (f"{main}:4: \\include{{missing}}: no such file to include",)


def test_input_without_braces_and_notes_of_included_files_are_located(tmp_path: Path) -> None:
    (tmp_path / "part.tex").write_text("First line.\n\nIn part.\\footnote{Part.}\n", "utf-8")
    main = tmp_path / "main.tex"
    main.write_text("Main.\\footnote{One.}\n\\input part\n", encoding="utf-8")
    doc = parse(main.read_text(encoding="utf-8"), str(main))
    assert [(n.label, n.text, n.path, n.line, n.column) for n in doc.notes] == [
        ("1", "One.", None, 1, 6),
        ("2", "Part.", str(tmp_path / "part.tex"), 3, 9),
    ]
    assert doc.notices == ()


def test_included_items_name_their_file_as_opened_from_the_main_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "paper" / "ch").mkdir(parents=True)
    (tmp_path / "paper" / "ch" / "two.tex").write_text(
        "Two.\n\\input{ch/deep}\n% citecheck: ignore empty-note\nSee \\url{https://b.org}.\n",
        encoding="utf-8",
    )
    (tmp_path / "paper" / "ch" / "deep.tex").write_text(
        "\n  Deep.\\footnote{Plain https://a.org/x and doi:10.1000/abc.}\n", encoding="utf-8"
    )
    (tmp_path / "paper" / "main.tex").write_text("% citecheck: ignore\n\\input{ch/two}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    doc = parse((tmp_path / "paper" / "main.tex").read_text("utf-8"), "paper/main.tex")
    two, deep = "paper/ch/two.tex", "paper/ch/deep.tex"
    (note,) = doc.notes
    assert (note.path, note.line, note.column) == (deep, 2, 8)
    assert [(k.url, k.path, k.line, k.column) for k in note.links] == [
        ("https://a.org/x", deep, 2, 24)
    ]
    assert [(i.value, i.line, i.column) for i in note.identifiers] == [("10.1000/abc", 2, 44)]
    assert [(k.path, k.line, k.column) for k in doc.body_links] == [(two, 4, 10)]
    assert [(s.path, s.line, s.rules) for s in doc.suppressions] == [
        (None, 1, ()),
        (two, 3, ("empty-note",)),
    ]
    assert doc.included_paths == (two, deep)


def test_input_is_not_followed_for_text_without_a_file() -> None:
    doc = parse("\\input{conftest}\\footnote{x}", "<string>")
    assert [m.label for m in doc.markers] == ["1"]
    assert doc.notices == ()


def test_unbalanced_brace_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"^broken\.tex:2: unbalanced braces"):
        parse("fine\nBad\\footnote{never closed\n\nmore", "broken.tex")


def test_unbalanced_brace_outside_an_argument_is_harmless() -> None:
    doc = parse("a } b { c\\footnote{ok}", "x.tex")
    assert [n.text for n in doc.notes] == ["ok"]


def test_plain_text_of_a_note() -> None:
    source = "Erd\\H{o}s, caf\\'e: 10\\% \\{x\\}~y \\emph{T} \\citep[p.~2]{k}. % gone\nnext"
    assert plain_text(source) == "Erdős, café: 10% {x} y T . next"


def test_data_file_with_everything(data: Path) -> None:
    path = data / "latex" / "essay.tex"
    doc = parse(path.read_text(encoding="utf-8"), str(path))
    assert [m.label for m in doc.markers] == ["1", "2", "3", "3"]
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert [c.key for c in doc.citations] == ["smith2020", "doe2019", "roe2018"]
    assert doc.notes[1].urls == ("https://example.org/report.pdf",)
    assert doc.bibliography_paths == (str(LATEX / "essay.bib"),)


# The corpus: counts checked against the files by hand (see the assertion comments).


def test_corpus_astropy(corpus: Path) -> None:
    doc = _corpus(corpus, "astropy-v2.0-paper.main.tex")
    assert [m.label for m in doc.markers] == [str(i) for i in range(1, 30)]
    assert len(doc.notes) == 29
    assert sum(1 for note in doc.notes if note.links) == 26
    keys = [c.key for c in doc.citations]
    assert (len(keys), len(set(keys))) == (78, 53)
    assert Counter(keys).most_common(2) == [("astropy", 8), ("scipy", 4)]
    assert doc.bibliography_paths == (str(corpus / "latex" / "bibliography.bib"),)


def test_corpus_biblatex_verbose_note(corpus: Path) -> None:
    doc = _corpus(corpus, "biblatex-examples.72-style-verbose-note.tex")
    assert len(doc.notes) == 15
    assert all(len(note.citations) == 1 for note in doc.notes)
    assert [(c.key, c.locator) for c in doc.notes[8].citations] == [("kant:kpv", "24")]


def test_corpus_biblatex_verbose_trad1(corpus: Path) -> None:
    doc = _corpus(corpus, "biblatex-examples.74-style-verbose-trad1.tex")
    # 34 \footcite/\autocite and 4 \footnote are written; 6 and 2 of them stand in verbatim.
    assert len(doc.notes) == 30
    assert sum(1 for note in doc.notes if note.citations) == 28
    keys = {c.key for c in doc.citations}
    assert not keys & {"a1", "a2", "b1", "key"}
    assert keys == {
        "aristotle:anima",
        "aristotle:physics",
        "aristotle:rhetoric",
        "averroes/bland",
        "kant:kpv",
        "kant:ku",
    }


def test_endinput_ends_the_file_at_the_end_of_its_line(tmp_path: Path) -> None:
    (tmp_path / "two.tex").write_text(
        "Two.\\footnote{Read \\url{http://two.org}.}\n"
        "\\endinput Still read.\\footnote{Same line.}\n"
        "\\footnote{After http://after.org} \\cite{late}\n",
        encoding="utf-8",
    )
    main = tmp_path / "main.tex"
    main.write_text("\\input{two}\nBack.\\footnote{Main again.}\n", encoding="utf-8")
    doc = parse(main.read_text(encoding="utf-8"), str(main))
    assert [n.text for n in doc.notes] == ["Read http://two.org.", "Same line.", "Main again."]
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert doc.citations == ()


def test_nothing_after_end_document_counts(tmp_path: Path) -> None:
    (tmp_path / "one.tex").write_text("One.\\footnote{In one.}\n", encoding="utf-8")
    source = (
        "\\begin{document}\nA.\\footnote{Kept.}\n\\input{one}\n\\end{document}\n"
        "B.\\footnote{Gone http://gone.org} \\cite{gone}\n\\input{one}\n"
    )
    main = tmp_path / "main.tex"
    main.write_text(source, encoding="utf-8")
    doc = parse(source, str(main))
    assert [n.text for n in doc.notes] == ["Kept.", "In one."]
    assert len(doc.markers) == 2 and doc.citations == () and doc.body_links == ()


def test_identifiers_and_urls_are_read_from_the_unescaped_text() -> None:
    source = (
        "Claim.\\footnote{Smith, \\doi{10.1175/JCLI\\_D-12-00123.1}; also\n"
        "doi:10.1175/JCLI\\_D-12-00124.1 at http://x.org/a\\_b\\%20c\\#d and\n"
        "\\url{http://y.org/p\\_q} and http://z.org/\\~{}me.}\n"
    )
    note = parse(source, "d.tex").notes[0]
    assert [(i.value, i.line, i.column) for i in note.identifiers] == [
        ("10.1175/jcli_d-12-00123.1", 1, 29),
        ("10.1175/jcli_d-12-00124.1", 2, 1),
    ]
    assert [(k.url, k.line, k.column) for k in note.links] == [
        ("http://x.org/a_b%20c#d", 2, 35),
        ("http://y.org/p_q", 3, 6),
        ("http://z.org/~me", 3, 29),
    ]


@pytest.mark.parametrize(
    ("name", "footnotes", "citations"),
    [("sympy-paper.introduction.tex", 3, 12), ("sympy-paper.architecture.tex", 4, 2)],
)
def test_corpus_sympy(corpus: Path, name: str, footnotes: int, citations: int) -> None:
    doc = _corpus(corpus, name)
    assert len(doc.notes) == len(doc.markers) == footnotes
    assert len(doc.citations) == citations


PIECES = [*"ab {}[]%\\\n,*~#|=", "\\footnote", "\\cite", "\\url", "\\begin{verbatim}", "\\verb"]
PIECES += ["\\href", "\\def", "\\let", "\\newcommand", "\\newenvironment", "\\input"]
PIECES += ["\\endinput", "\\end{document}", "\\_", "\\~{}", "doi:10.1000/x", "http://a.org/"]
LATEXISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(LATEXISH)
def test_random_source_never_crashes_and_positions_are_inside(source: str) -> None:
    try:
        doc = parse(source, "r.tex")
    except InputError as error:
        assert error.path == "r.tex" and error.line is not None
        return
    lines = LineIndex(source)
    items = [*doc.markers, *doc.notes, *doc.citations, *doc.body_links]
    items += [link for note in doc.notes for link in note.links]
    items += [identifier for note in doc.notes for identifier in note.identifiers]
    for item in items:
        assert 1 <= item.line <= lines.line_count
        assert 1 <= item.column <= len(source.split("\n")[item.line - 1]) + 1
