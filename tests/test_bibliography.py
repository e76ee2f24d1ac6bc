"""Loading BibTeX, biblatex and CSL-JSON bibliographies: real files and small broken ones."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pybtex.errors
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import split_name_list

from citecheck.bibliography import Bibliography, load_bibliographies
from citecheck.bibliography_bibtex import BibtexReader, _plain_name, _tex_name
from citecheck.bibliography_csl import read_csl_json
from citecheck.bibliography_fields import latex_to_text
from citecheck.errors import BibliographyError
from citecheck.model import Person, Severity

ROOT = Path(__file__).resolve().parent.parent


def load(*paths: Path) -> Bibliography:
    return load_bibliographies([str(path) for path in paths])


def rules(bibliography: Bibliography) -> Counter[str]:
    return Counter(item.rule for item in bibliography.findings)


# The corpus: exact entry counts and findings, checked against the files by hand.

CORPUS_COUNTS = [
    ("latex/sympy-paper.paper.bib", 301),
    ("latex/biblatex-examples.bib", 92),
    ("latex/astropy-v2.0-paper.bibliography.bib", 93),
    ("bib/bbt-import-issue2660-apa-examples.bib", 283),
    ("bib/bbt-import-issue664-bibdesk-strings.bib", 1),
    ("bib/d2l-en.d2l.bib", 488),
    ("bib/mmd6-bibdesk-bibtex.bib", 3),
    ("bib/pandoc-averroes.bib", 4),
    ("bib/the-turing-way.references.bib", 82),
    ("footnotes-md/decretist-dissertation-merged.bib", 156),
    ("footnotes-md/pandoc-command-biblio.bib", 3),
    ("footnotes-html/distill-research-debt.bibliography.bib", 22),
]


@pytest.mark.parametrize(("name", "count"), CORPUS_COUNTS)
def test_corpus_entry_counts(corpus: Path, name: str, count: int) -> None:
    bibliography = load(corpus / name)
    assert len(bibliography) == count
    assert bibliography.paths == (str(corpus / name),)
    if "sympy" not in name:
        assert bibliography.findings == ()


def test_sympy_keyless_entry_and_undefined_macros(corpus: Path) -> None:
    path = str(corpus / "latex/sympy-paper.paper.bib")
    bibliography = load_bibliographies([path])
    # 302 entries in the file: the keyless @Manual on line 2 cannot load.
    found = [(f.rule, f.line, f.label) for f in bibliography.findings]
    assert found == [
        ("bib-syntax-error", 2, None),
        ("bib-syntax-error", 154, "Bosma:1997:MAS"),
        ("bib-syntax-error", 167, "Bosma:1997:MAS"),
    ]
    assert "entry key expected" in bibliography.findings[0].message
    assert "j-J-SYMBOLIC-COMP" in bibliography.findings[1].message
    assert all(f.path == path and f.severity is Severity.ERROR for f in bibliography.findings)
    # An undefined macro leaves its field empty, as BibTeX does; the entry still loads.
    bosma = bibliography.get("Bosma:1997:MAS")
    assert bosma is not None and bosma.reference.container is None
    assert bosma.reference.issue == "3–4"


def test_sympy_string_macros_expand(corpus: Path) -> None:
    bibliography = load(corpus / "latex/sympy-paper.paper.bib")
    journals = {entry.reference.container for entry in bibliography}
    assert "Journal of Symbolic Computation" in journals


def test_biblatex_crossref_inherits_from_collection(corpus: Path) -> None:
    bibliography = load(corpus / "latex/biblatex-examples.bib")
    entry = bibliography.get("westfahl:space")
    assert entry is not None and entry.kind == "incollection" and entry.line == 10
    assert entry.crossref == "westfahl:frontier"
    reference = entry.reference
    assert reference.title.startswith("The True Frontier: Confronting and Avoiding")
    assert reference.container == "Space and Beyond: The Frontier Theme in Science Fiction"
    assert reference.editors == (Person("Westfahl", "Gary"),)
    assert reference.authors == (Person("Westfahl", "Gary"),)
    assert (reference.publisher, reference.place) == ("Greenwood", "Westport, Conn. and London")
    assert (reference.year, reference.pages, reference.kind) == ("2000", "55-65", "chapter")


def test_biblatex_accents_and_strings(corpus: Path) -> None:
    bibliography = load(corpus / "latex/biblatex-examples.bib")
    aksin = bibliography.get("aksin")
    assert aksin is not None
    assert aksin.reference.authors[:2] == (Person("Aksın", "Özge"), Person("Türkmen", "Hayati"))
    parga = bibliography.get("vazques-de-parga")
    assert parga is not None and parga.kind == "mvbook"
    assert parga.reference.authors[1] == Person("Lacarra", "José María")
    # @string{cup = ...}
    publishers = Counter(entry.reference.publisher for entry in bibliography)
    assert publishers["Cambridge University Press"] >= 1


def test_astropy_braced_names_and_journal_macros(corpus: Path) -> None:
    bibliography = load(corpus / "latex/astropy-v2.0-paper.bibliography.bib")
    authors = {person for entry in bibliography for person in entry.reference.authors}
    assert Person("Ivezić", "Ž.") in authors
    assert Person("Kürster", "M.") in authors
    containers = Counter(entry.reference.container for entry in bibliography)
    assert containers["ApJ"] >= 5


def test_bbt_plus_field_names_and_commented_entry(corpus: Path) -> None:
    bibliography = load(corpus / "bib/bbt-import-issue2660-apa-examples.bib")
    # AUTHOR+an:username is a biblatex data annotation, a legal field name.
    assert bibliography.get("10.1:18") is not None
    # The second 10.1:18 sits in a %-comment: no duplicate, as biber reads it.
    assert rules(bibliography) == Counter()
    assert {entry.kind for entry in bibliography} >= {"nameonly", "online", "video"}


def test_bibdesk_strings_and_capitalised_fields(corpus: Path) -> None:
    bibliography = load(corpus / "bib/bbt-import-issue664-bibdesk-strings.bib")
    entry = bibliography.get("Acemoglu2003Whynotpolitical")
    assert entry is not None
    reference = entry.reference
    assert reference.authors == (Person("Acemoglu", "Daron"),)
    assert (reference.container, reference.volume, reference.issue, reference.pages) == (
        "Journal of Comparative Economics",
        "31",
        "4",
        "620 - 652",
    )
    assert reference.doi == "10.1016/j.jce.2003.09.003"


def test_decretist_kinds(corpus: Path) -> None:
    bibliography = load(corpus / "footnotes-md/decretist-dissertation-merged.bib")
    assert Counter(entry.kind for entry in bibliography) == Counter(
        {"book": 65, "article": 46, "incollection": 33, **_other_kinds(bibliography)}
    )


def _other_kinds(bibliography: Bibliography) -> dict[str, int]:
    counts = Counter(entry.kind for entry in bibliography)
    return {k: v for k, v in counts.items() if k not in {"book", "article", "incollection"}}


def test_non_ascii_key(corpus: Path) -> None:
    bibliography = load(corpus / "footnotes-md/pandoc-command-biblio.bib")
    assert list(bibliography.keys()) == ["item1", "item2", "пункт3"]


@pytest.mark.parametrize("name", ["latex/sympy-paper.paper.bib", "bib/d2l-en.d2l.bib"])
def test_large_files_load_quickly(corpus: Path, name: str) -> None:
    best = min(_seconds(corpus / name) for _ in range(3))
    assert best < 1.5


def _seconds(path: Path) -> float:
    start = time.perf_counter()
    load(path)
    return time.perf_counter() - start


def test_all_corpus_files_together(corpus: Path) -> None:
    paths = [corpus / name for name, _ in CORPUS_COUNTS]
    bibliography = load(*paths)
    # Keys shared by files (pandoc's item1 ...) are duplicates across files.
    duplicates = [f for f in bibliography.findings if f.rule == "duplicate-bib-key"]
    total = sum(count for _, count in CORPUS_COUNTS)
    assert len(bibliography) == total - len(duplicates)


# Small files written for these tests.


def test_broken_entries_cost_only_themselves(data: Path) -> None:
    path = str(data / "bib/broken.bib")
    bibliography = load_bibliographies([path])
    assert list(bibliography.keys()) == ["good-before", "good-after"]
    found = [(f.rule, f.path, f.line, f.label) for f in bibliography.findings]
    assert found == [
        ("bib-syntax-error", path, 9, "unclosed"),
        ("bib-syntax-error", path, 18, "bad-field-name"),
        ("bib-syntax-error", path, 22, None),
    ]
    assert "never closed" in bibliography.findings[0].message
    assert "entry key expected" in bibliography.findings[2].message


def test_fields_map_to_reference(data: Path) -> None:
    entry = load(data / "bib/broken.bib").get("good-after")
    assert entry is not None and entry.line == 27 and entry.kind == "article"
    reference = entry.reference
    assert reference.authors == (
        Person("Müller", "Jörg"),
        Person("de la Fontaine", "Jean"),
        Person("World Health Organization", ""),
    )
    assert reference.title == "Über die Unicode-Dekodierung – ein Test"
    assert reference.container == "Zeitschrift für Beispiele"
    assert (reference.volume, reference.issue, reference.pages) == ("12", "3", "101--120")
    assert (reference.year, reference.date) == ("2020", "2020-08")
    assert reference.doi == "10.1234/ex_ample"
    assert reference.url == "https://example.org/a_b?c=1"
    assert (reference.kind, reference.key) == ("article-journal", "good-after")
    assert reference.raw.startswith("@article{good-after,") and reference.raw.endswith("}")


def test_strings_crossref_and_duplicates_across_files(data: Path) -> None:
    works = str(data / "bib/works.bib")
    bibliography = load(data / "bib/strings.bib", data / "bib/works.bib")
    assert list(bibliography.keys()) == ["Parent2000", "child2000", "journal2001"]
    child = bibliography.get("child2000")
    assert child is not None
    # crossref keys match regardless of case; a parent book lends its title as booktitle.
    assert child.reference.container == "The Frontier: Essays"
    assert child.reference.title == "A Chapter"
    assert child.reference.publisher == "Princeton University Press"
    assert child.reference.editors == (Person("Turner", "Frederick Jackson"),)
    journal = bibliography.get("journal2001")
    assert journal is not None and journal.reference.container == "Journal of the Frontier"
    assert bibliography.get("jones-article") is journal
    assert "jones-article" in bibliography and "Jones-Article" not in bibliography
    found = [(f.rule, f.path, f.line, f.label) for f in bibliography.findings]
    assert found == [
        ("duplicate-bib-key", works, 25, "Journal2001"),
        ("duplicate-bib-key", works, 31, "child2000"),
    ]
    assert "differing in case" in bibliography.findings[0].message
    assert f"{works}:17" in bibliography.findings[0].message
    assert bibliography.findings[1].details == {"first_path": works, "first_line": 10}
    assert bibliography.findings[0].severity is Severity.WARNING


def test_csl_json(data: Path) -> None:
    path = str(data / "bib/items.json")
    bibliography = load_bibliographies([path])
    assert list(bibliography.keys()) == ["doe2019", "roe2020"]
    doe, roe = bibliography
    assert (doe.line, doe.kind, roe.line, roe.kind) == (3, "article-journal", 19, "report")
    assert doe.reference.authors == (Person("Doe", "Jane"), Person("Example Consortium", ""))
    assert (doe.reference.year, doe.reference.date) == ("2019", "2019-03-05")
    assert (doe.reference.container, doe.reference.pages) == ("Journal of Examples", "11-19")
    assert doe.reference.doi == "10.5555/12345678"
    assert roe.reference.authors == (Person("van Roe", "Richard"),)
    assert (roe.reference.report_number, roe.reference.year) == ("TR-42", "2020")
    assert [(f.rule, f.label, f.line, f.column) for f in bibliography.findings] == [
        ("bib-syntax-error", None, 14, 3)
    ]
    assert "item 2" in bibliography.findings[0].message


def test_broken_csl_json_is_a_finding(data: Path) -> None:
    bibliography = load(data / "bib/truncated.json")
    assert len(bibliography) == 0
    assert [(f.rule, f.line) for f in bibliography.findings] == [("bib-syntax-error", 3)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"items": [{"id": "a", "title": "A"}]}', "an object"),
        ('{"id": "a", "title": "A"}', "an object"),
        ('"a"', "a string"),
        ("12", "a number"),
        ("null", "null"),
    ],
)
def test_csl_json_that_is_no_array_is_a_finding(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "refs.json"
    path.write_text(f"\n{text}\n", encoding="utf-8")
    bibliography = load(path)
    assert len(bibliography) == 0
    found = [(f.rule, f.path, f.line, f.column, f.message) for f in bibliography.findings]
    message = f"CSL-JSON must be an array of items, got {kind}"
    assert found == [("bib-syntax-error", str(path), 1, 1, message)]


def test_csl_json_items_are_located(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    items = [{"id": "a"}, {"id": "b", "note": '"id": "c"'}, {"title": "x"}, {"id": "c"}]
    items += [{"type": "book", "author": [{"id": "z"}], "id": "a"}, 7, {"id": " "}]
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    bibliography = load(path)
    assert [(entry.key, entry.line) for entry in bibliography] == [("a", 3), ("b", 6), ("c", 13)]
    found = [(f.rule, f.line, f.column, f.message) for f in bibliography.findings]
    assert found == [
        ("bib-syntax-error", 9, 3, "CSL-JSON item 3 ignored: it has no id"),
        ("bib-syntax-error", 24, 3, "CSL-JSON item 6 ignored: it has no id"),
        ("bib-syntax-error", 25, 3, "CSL-JSON item 7 ignored: it has no id"),
        ("duplicate-bib-key", 22, 1, found[3][3]),
    ]


@pytest.mark.parametrize("text", ["[1,]", '[{"id": "a"}\n {"id": "b"}]', "[] x", "[", ""])
def test_broken_csl_json_is_located_as_json_locates_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "refs.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(text)
    error = raised.value
    found = [(f.rule, f.line, f.column, f.message) for f in load(path).findings]
    assert found == [
        ("bib-syntax-error", error.lineno, error.colno, f"not valid CSL-JSON: {error.msg}")
    ]


def test_missing_file_raises_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.bib"
    with pytest.raises(BibliographyError, match=r"nowhere\.bib") as raised:
        load(missing)
    assert raised.value.path == str(missing)


def test_binary_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "binary.bib"
    path.write_bytes(b"\x00\x01\x02@article{x,}\xff\xfe" * 10)
    with pytest.raises(BibliographyError, match=r"binary\.bib"):
        load(path)


def test_file_with_only_errors_gives_findings(tmp_path: Path) -> None:
    path = tmp_path / "bad.bib"
    path.write_text("@article{,\n title={x}}\n@book{y, title = {unclosed\n", encoding="utf-8")
    bibliography = load(path)
    assert len(bibliography) == 0
    assert [(f.rule, f.line) for f in bibliography.findings] == [
        ("bib-syntax-error", 1),
        ("bib-syntax-error", 3),
    ]


def test_strict_mode_is_left_alone(data: Path) -> None:
    before = pybtex.errors.strict
    load(data / "bib/broken.bib")
    assert pybtex.errors.strict is before
    pybtex.errors.set_strict_mode(False)
    try:
        assert len(load(data / "bib/broken.bib")) == 2
        assert pybtex.errors.strict is False
    finally:
        pybtex.errors.set_strict_mode(before)


def test_paren_entries_and_too_many_commas() -> None:
    text = "@article(paren, author = {A, B, C, D}, title = {Has (parens) inside})\n"
    records, findings = BibtexReader().read(text, "x.bib")
    assert findings == [] and [r.key for r in records] == ["paren"]
    assert records[0].fields["title"] == "Has (parens) inside"


def test_example_essay_bibliography() -> None:
    bibliography = load(ROOT / "bibliographies/learning-for-freedom.bib")
    assert bibliography.findings == ()
    assert len(bibliography) == 6
    article = bibliography.get("ahmadov2016voice")
    assert article is not None
    reference = article.reference
    assert reference.authors == (Person("Ahmadov", "A. K."), Person("Sasse", "G."))
    assert (reference.container, reference.volume, reference.issue, reference.pages) == (
        "Comparative Political Studies",
        "49",
        "1",
        "78--114",
    )
    assert (reference.year, reference.doi) == ("2016", "10.1177/0010414015600468")
    report = bibliography.get("herbst2019putin")
    assert report is not None
    assert (report.reference.isbn, report.reference.date) == ("978-1-61977-581-7", "2019-02")
    assert report.reference.publisher == "Atlantic Council"
    insider = bibliography.get("erofeev2022regime")
    assert insider is not None
    assert insider.reference.url == "https://theins.ru/opinions/sergei-erofeev/247593"
    assert insider.reference.title.startswith("С новым строем!")
    assert insider.reference.translated_title.startswith("The Regime Change is Done")


# Properties: no input crashes the loader, every position points inside the file.


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('@{}(),=#"%\\ \nabcé0ß,')), max_size=200))
def test_any_text_loads_without_exceptions(text: str) -> None:
    records, findings = BibtexReader().read(text, "fuzz.bib")
    lines = text.count("\n") + 1
    assert all(1 <= item.line <= lines for item in [*records, *findings])
    assert all(item.rule == "bib-syntax-error" for item in findings)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["id", "title", "type"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_JSON, max_size=6), st.sampled_from([None, 0, 2]))
def test_any_csl_json_array_gives_each_item_once(items: list[object], indent: int | None) -> None:
    text = json.dumps(items, indent=indent)
    references, findings = read_csl_json(text, "fuzz.json")
    lines = text.count("\n") + 1
    assert len(references) + len(findings) == len(items)
    assert all(1 <= line <= lines for _, line in references)
    assert all(1 <= finding.line <= lines for finding in findings)


def test_plain_names_split_as_pybtex_does(corpus: Path) -> None:
    names = [
        "Jean de la Fontaine",
        "de la Fontaine, Jean",
        "King, Jr, Martin Luther",
        "Ludwig van Beethoven",
        "Plato",
        "von Neumann, John",
        "Donald E. Knuth",
        "Last,",
    ]
    for name in names:
        assert _plain_name(name) == _tex_name(name), name
    checked = 0
    for path in corpus.glob("*/*.bib"):
        records, _ = BibtexReader().read(path.read_text(encoding="utf-8"), str(path))
        for record in records:
            for name in split_name_list(record.fields.get("author", "")):
                plain = _plain_name(name)
                if plain is not None:
                    checked += 1
                    assert plain == _tex_name(name), name
    assert checked > 3000


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}ber", "über"),
        (r"\'{e}t\'e", "été"),
        (r"{\v{S}}koda", "Škoda"),
        (r"A \& B --- C -- D", "A & B — C – D"),
        (r"{AFM} in {{NASA}}", "AFM in NASA"),
        (r"\textit{Gratian}", "Gratian"),
        (r"50\% of", "50% of"),
        (r"$\alpha$-decay", "α-decay"),
        (r"{\aa}ngstr{\o}m", "ångstrøm"),
        (r"Erd\H{o}s", "Erdős"),
        (r"\'{\i}", "í"),
        (r"Stra{\ss}e", "Straße"),
        (r"\l{}\'od\'z", "łódź"),
        ("Knuth~D.", "Knuth D."),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text
