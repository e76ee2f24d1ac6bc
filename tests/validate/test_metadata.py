"""Matching notes to the bibliography and the authority: the essay, the corpus, the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import vcr
from pytest_httpserver import HTTPServer

from citecheck.bibliography import load_bibliographies
from citecheck.model import Document, Finding, Note, Severity
from citecheck.options import Options
from citecheck.parse import parse_file
from citecheck.resolve.authority import Authority
from citecheck.validate.metadata import check, check_bibliography

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
ESSAY_BIB = str(ROOT / "bibliographies" / "learning-for-freedom.bib")


def _fields(
    findings: list[Finding],
) -> list[tuple[str, Severity, str | None, str | None, str | None]]:
    return [(f.rule, f.severity, f.field, f.expected, f.found) for f in findings]


def test_essay_against_its_bibliography(essay: Path) -> None:
    document = parse_file(essay)
    findings = check(document, load_bibliographies([ESSAY_BIB]), None)
    assert _fields(findings) == [
        ("metadata-mismatch", Severity.ERROR, "volume", "49", "41"),
        ("metadata-mismatch", Severity.ERROR, "pages", "78–114", "1-37"),
        ("metadata-mismatch", Severity.INFO, "year", "2016", "2015"),
    ]
    last = document.notes[-1]
    assert {(f.path, f.line, f.column, f.label, f.source) for f in findings} == {
        (document.path, last.line, last.column, "5", "bibliography")
    }
    assert "online" in findings[2].message


def test_essay_with_crossref(essay: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/books").respond_with_json({})  # Open Library lacks the ISBN
    options = Options(cache=None, openlibrary_url=httpserver.url_for("").rstrip("/"))
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES), record_mode="none", ignore_localhost=True
    )
    bibliography = load_bibliographies([ESSAY_BIB])
    with (
        recorder.use_cassette("crossref-works-ahmadov-sasse-2016.handwritten.yaml"),
        Authority(options) as authority,
    ):
        findings = check(parse_file(essay), bibliography, authority)
        outdated = check_bibliography(bibliography, authority)
    assert _fields(findings) == [
        ("metadata-mismatch", Severity.ERROR, "volume", "49", "41"),
        ("metadata-mismatch", Severity.ERROR, "pages", "78–114", "1-37"),
        ("metadata-mismatch", Severity.INFO, "year", "2016", "2015"),
    ]
    assert {f.source for f in findings} == {"bibliography, Crossref"}
    assert outdated == []


@pytest.mark.parametrize(
    ("document", "bibliography"),
    [
        (
            "footnotes-md/decretist-dissertation-chapter0.md",
            "footnotes-md/decretist-dissertation-merged.bib",
        ),
        ("latex/sympy-paper.introduction.tex", "latex/sympy-paper.paper.bib"),
        ("latex/sympy-paper.architecture.tex", "latex/sympy-paper.paper.bib"),
        ("latex/astropy-v2.0-paper.main.tex", "latex/astropy-v2.0-paper.bibliography.bib"),
    ],
)
def test_corpus_documents_give_no_false_findings(
    corpus: Path, document: str, bibliography: str
) -> None:
    parsed = parse_file(corpus / document)
    assert parsed.notes
    assert check(parsed, load_bibliographies([str(corpus / bibliography)]), None) == []


def _note_document(*texts: str) -> Document:
    notes = tuple(Note(str(i), i, 1, text) for i, text in enumerate(texts, 1))
    return Document("essay.txt", "plaintext", "\n".join(texts), notes=notes)


BIB = """@article{smith2020,
  author = {Smith, John and Jones, Mary},
  title = {Reading {Footnotes} in the Archive},
  journal = {Journal of Modern History},
  volume = {12}, number = {3}, pages = {201--230}, year = {2020},
  doi = {10.1000/JMH.2020.12},
}
@book{smith2019a,
  author = {Smith, John},
  title = {Archives of the North},
  publisher = {Oxford University Press}, year = {2019},
}
@book{smith2019b,
  author = {Smith, John},
  title = {Archives of the North},
  publisher = {Oxford University Press}, year = {2019}, edition = {2},
}
"""


ARTICLE = (
    "Smith, J. and Jones, M. (2020) Reading Footnotes in the Archive. Journal of Modern History, "
)


@pytest.fixture()
def bib(tmp_path: Path) -> str:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return str(path)


def test_normalised_differences_are_not_flagged(bib: str) -> None:
    note = (
        "J. Smith & M. Jones, “Reading footnotes in the archive”, J. Mod. Hist., vol. 12, "
        "no. 3 (2020), pp. 201–30, doi:10.1000/JMH.2020.12."
    )
    findings = check(_note_document(note), load_bibliographies([bib]), None)
    assert [(f.field, f.severity) for f in findings] == []


def test_pinpoint_page_inside_the_range_agrees_and_outside_does_not(bib: str) -> None:
    inside = ARTICLE + "12(3), p. 215."
    outside = ARTICLE + "12(3), pp. 301-330."
    findings = check(_note_document(inside, outside), load_bibliographies([bib]), None)
    assert _fields(findings) == [
        ("metadata-mismatch", Severity.ERROR, "pages", "201–230", "301-330")
    ]
    assert findings[0].label == "2"


def test_ambiguous_match_names_both_candidates(bib: str) -> None:
    findings = check(
        _note_document("Smith, J. (2019) Archives of the North. Oxford: Oxford University Press."),
        load_bibliographies([bib]),
        None,
    )
    assert [f.rule for f in findings] == ["unmatched-reference"]
    assert "smith2019a" in findings[0].message and "smith2019b" in findings[0].message


def test_unmatched_work_but_not_url_notes_or_commentary(bib: str) -> None:
    findings = check(
        _note_document(
            "Brown, A. (2001) A History of Ink. Cambridge University Press.",
            "The interview is online: https://example.org/interview",
            "This point is made more fully in the next chapter.",
        ),
        load_bibliographies([bib]),
        None,
    )
    assert [(f.rule, f.label) for f in findings] == [("unmatched-reference", "1")]


def test_without_bibliography_nothing_is_unmatched() -> None:
    findings = check(
        _note_document("Brown, A. (2001) A History of Ink. Cambridge University Press."), None, None
    )
    assert findings == []


def test_short_form_matches_its_full_reference(essay: Path) -> None:
    document = _note_document(
        "Gel’man, V. (2019) Недостойное правление. EUSPb Press.",
        "Gel’man, Недостойное правление, 12",
    )
    assert check(document, load_bibliographies([ESSAY_BIB]), None) == []


def test_wrong_author_and_title_are_flagged(bib: str) -> None:
    note = ARTICLE.replace("Jones", "Brown") + "12(3), 201-230. https://doi.org/10.1000/JMH.2020.12"
    findings = check(_note_document(note), load_bibliographies([bib]), None)
    assert _fields(findings) == [
        (
            "metadata-mismatch",
            Severity.ERROR,
            "authors",
            "Smith, John; Jones, Mary",
            "Smith, J.; Brown, M.",
        )
    ]


def test_doi_letter_case_is_info(bib: str) -> None:
    note = ARTICLE + "12(3), 201-230. doi:10.1000/jmh.2020.12"
    findings = check(_note_document(note), load_bibliographies([bib]), None)
    assert _fields(findings) == [
        ("metadata-mismatch", Severity.INFO, "doi", "10.1000/JMH.2020.12", "10.1000/jmh.2020.12")
    ]


def test_retracted_work_is_reported_at_note_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "lancet.bib"
    path.write_text(
        "@article{wakefield1998,\n author = {Wakefield, A. J. and Murch, S. H. and others},\n"
        " title = {Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
        "developmental disorder in children},\n journal = {The Lancet}, volume = {351},"
        " number = {9103}, pages = {637--641}, year = {1998},\n"
        " doi = {10.1016/S0140-6736(97)11096-0},\n}\n",
        encoding="utf-8",
    )
    bibliography = load_bibliographies([str(path)])
    note = (
        "Wakefield, A. J. et al. (1998) Ileal-lymphoid-nodular hyperplasia, non-specific colitis, "
        "and pervasive developmental disorder in children. The Lancet, 351(9103), 637-641."
    )
    recorder = vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")
    with (
        recorder.use_cassette("crossref-retraction-lancet-1998.handwritten.yaml"),
        Authority(Options(cache=None)) as authority,
    ):
        at_note = check(_note_document(note), bibliography, authority)
        at_entry = check_bibliography(bibliography, authority)
    assert [(f.rule, f.severity, f.line) for f in at_note] == [
        ("retracted-source", Severity.ERROR, 1)
    ]
    assert [(f.rule, f.path, f.line, f.label) for f in at_entry] == [
        ("retracted-source", str(path), 1, "wakefield1998")
    ]
    assert "10.1016/s0140-6736(10)60175-4" in at_entry[0].message


FOLDED_BIB = r"""@article{ostergaard2001,
  author = {{\O}stergaard, S{\o}ren and Wa{\l}{\k{e}}sa, Lech and M{\"u}ller, Anna},
  title = {Harbours of the Baltic},
  journal = {Scandinavian Journal of History},
  volume = {26}, pages = {1--20}, year = {2001},
}
@book{thorsson1999,
  author = {{\TH}{\'o}rsson, {\DH}{\'o}ra and Strau{\ss}, Karl},
  title = {{\O}resund, {\AE}r{\o} and the {\OE}uvre of {\L}{\'o}d{\'z}},
  publisher = {Gyldendal}, year = {1999},
}
"""


@pytest.mark.parametrize(
    "note",
    [
        "Ostergaard, S., Walesa, L. and Muller, A. (2001) Harbours of the Baltic. "
        "Scandinavian Journal of History, 26, 1-20.",
        "Thorsson, D. and Strauss, K. (1999) Oresund, Aero and the Oeuvre of Lodz. Gyldendal.",
    ],
)
def test_letters_without_a_decomposition_fold_to_plain_latin(tmp_path: Path, note: str) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(FOLDED_BIB, encoding="utf-8")
    assert check(_note_document(note), load_bibliographies([str(path)]), None) == []
