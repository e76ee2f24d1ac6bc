"""undefined-citation and unused-bib-entry, on documents built from model objects."""

from __future__ import annotations

from pathlib import Path

from citecheck.bibliography import Bibliography, load_bibliographies
from citecheck.model import Citation, Document, Note, Person, Reference, Severity
from citecheck.validate.citations import check, near_key


def bibliography(*paths: Path) -> Bibliography:
    return load_bibliographies([str(path) for path in paths])


def document(*keys: str, path: str = "essay.md", names: tuple[str, ...] = ()) -> Document:
    citations = tuple(Citation(key, line, 5) for line, key in enumerate(keys, start=1))
    return Document(
        path=path, format="markdown", text="", citations=citations, bibliography_paths=names
    )


def test_every_key_defined_and_cited_gives_nothing(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    assert check(document("good-before", "good-after", "good-after"), bib) == []


def test_undefined_citation_at_the_citation(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    findings = check(document("good-before", "good-after", "nonexistent"), bib)
    assert [(f.rule, f.severity, f.path, f.line, f.column, f.label) for f in findings] == [
        ("undefined-citation", Severity.ERROR, "essay.md", 3, 5, "nonexistent")
    ]
    assert findings[0].suggestion is None
    assert "broken.bib" in findings[0].message


def test_undefined_citation_in_an_included_file_is_reported_there(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    cited = Citation("nonexistent", 4, 7, path="ch/two.tex")
    findings = check(Document("main.tex", "latex", "", citations=(cited,)), bib)
    undefined = [f for f in findings if f.rule == "undefined-citation"]
    assert [(f.path, f.line, f.column) for f in undefined] == [("ch/two.tex", 4, 7)]


def test_suggestion_for_a_key_differing_in_case(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    findings = check(document("Good-Before", "good-after"), bib)
    assert [(f.rule, f.label, f.suggestion) for f in findings] == [
        ("undefined-citation", "Good-Before", "good-before")
    ]
    assert "did you mean 'good-before'" in findings[0].message


def test_suggestion_for_a_near_miss(corpus: Path) -> None:
    bib = bibliography(corpus / "footnotes-md/decretist-dissertation-merged.bib")
    findings = check(document("barthes_death_1978", "barthes_death_1977"), bib)
    assert findings[0].rule == "undefined-citation" and findings[0].line == 1
    assert findings[0].suggestion == "barthes_death_1977"


def test_near_key_thresholds() -> None:
    keys = ["smith2020", "item1", "knuth1984texbook"]
    assert near_key("smith2002", keys) == "smith2020"
    assert near_key("SMITH2020", keys) == "smith2020"
    assert near_key("item2", keys) == "item1"
    assert near_key("itm", keys) is None
    assert near_key("knuth1984texbok", keys) == "knuth1984texbook"
    assert near_key("jones1999", keys) is None
    assert near_key("anything", []) is None


def test_unused_entries_located_in_the_bib(data: Path) -> None:
    path = str(data / "bib/broken.bib")
    bib = load_bibliographies([path])
    findings = check(document("good-after"), bib)
    assert [(f.rule, f.severity, f.path, f.line, f.label) for f in findings] == [
        ("unused-bib-entry", Severity.INFO, path, 2, "good-before")
    ]


def test_no_unused_report_without_citations(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    assert check(document(), bib) == []


def test_nocite_star_uses_everything(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    assert check(document("*"), bib) == []


def test_crossref_parent_and_alias_count_as_cited(data: Path) -> None:
    bib = bibliography(data / "bib/strings.bib", data / "bib/works.bib")
    assert check(document("child2000", "jones-article"), bib) == []


def test_case_mismatch_is_not_also_unused(data: Path) -> None:
    bib = bibliography(data / "bib/broken.bib")
    findings = check(document("GOOD-BEFORE", "good-after"), bib)
    assert [f.rule for f in findings] == ["undefined-citation"]


def test_only_the_documents_own_bibliography_counts(data: Path, tmp_path: Path) -> None:
    bib = bibliography(data / "bib/broken.bib", data / "bib/items.json")
    essay = str(data / "essay.md")
    findings = check(document("doe2019", path=essay, names=("bib/items.json",)), bib)
    assert [(f.rule, f.label) for f in findings] == [("unused-bib-entry", "roe2020")]
    # Named without extension, as \bibliography{bib/broken} does.
    findings = check(document("good-after", path=essay, names=("bib/broken",)), bib)
    assert [(f.rule, f.label) for f in findings] == [("unused-bib-entry", "good-before")]
    # A bibliography named but not loaded: every loaded entry counts.
    findings = check(document("good-after", path=essay, names=("other.bib",)), bib)
    assert {f.label for f in findings} == {"good-before", "doe2019", "roe2020"}


def test_decretist_chapter_keys_resolve(corpus: Path) -> None:
    bib = bibliography(corpus / "footnotes-md/decretist-dissertation-merged.bib")
    cited = sorted(bib.keys())[:22]
    findings = check(document(*cited), bib)
    assert {f.rule for f in findings} == {"unused-bib-entry"}
    assert len(findings) == 156 - 22


def test_empty_bibliography_names_none() -> None:
    empty = Bibliography(entries={})
    findings = check(document("anything"), empty)
    assert [(f.rule, f.suggestion) for f in findings] == [("undefined-citation", None)]
    assert "no bibliography loaded" in findings[0].message


def _field_document(tmp_path: Path, *, in_note: bool) -> tuple[Document, Bibliography]:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{herbst2019putin, author={Herbst, John E.}, title={The Putin Exodus}, year={2019}}\n"
        "@book{roe2020, author={Roe, Anna}, title={Something Else Entirely}, year={2020}}\n",
        encoding="utf-8",
    )
    uri = "http://zotero.org/users/1/items/WXYZ"
    herbst = Reference(
        authors=(Person("Herbst", "John E."),), year="2019", title="The Putin Exodus", key=uri
    )
    cited = Citation(uri, 1, 2, note_label="1" if in_note else None)
    notes = (Note("1", 1, 1, "Herbst 2019.", citations=(cited,), references=(herbst,)),)
    document = Document(
        str(tmp_path / "chapter.docx"),
        "docx",
        "",
        notes=notes if in_note else (),
        citations=(cited,),
    )
    return document, bibliography(bib)


def test_a_citation_field_is_no_key_and_cites_the_entry_its_reference_matches(
    tmp_path: Path,
) -> None:
    findings = check(*_field_document(tmp_path, in_note=True))
    assert [(f.rule, f.label) for f in findings] == [("unused-bib-entry", "roe2020")]


def test_a_citation_field_with_no_reference_to_match_leaves_every_entry_cited(
    tmp_path: Path,
) -> None:
    assert check(*_field_document(tmp_path, in_note=False)) == []
