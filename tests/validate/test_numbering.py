"""Each numbering rule firing and not firing."""

from __future__ import annotations

from dataclasses import replace

from citecheck.model import Document, Link, Marker, Note
from citecheck.parse import parse_text
from citecheck.validate import numbering


def doc(markers: list[str], notes: list[str], shared: bool = False) -> Document:
    return Document(
        path="essay.txt",
        format="text",
        text="",
        markers=tuple(Marker(label, 1, i + 1) for i, label in enumerate(markers)),
        notes=tuple(Note(label, 10 + i, 1, f"note {label}") for i, label in enumerate(notes)),
        shared_notes=shared,
    )


def rules(document: Document) -> list[tuple[str, str | None]]:
    return [(f.rule, f.label) for f in numbering.check(document)]


def test_clean_document_has_no_findings() -> None:
    assert rules(doc(["1", "2", "3"], ["1", "2", "3"])) == []


def test_duplicate_note_and_missing_note_with_renumbering_suggestion() -> None:
    findings = numbering.check(doc(["1", "2", "3"], ["1", "2", "2"]))
    assert [(f.rule, f.label) for f in findings] == [("duplicate-note", "2"), ("missing-note", "3")]
    assert findings[0].suggestion == "renumber this note [2] to [3]"
    assert findings[0].line == 12
    assert "line 11" in findings[0].message
    assert findings[1].suggestion == "renumber the second note [2] (line 12) to [3]"


def test_findings_about_items_in_an_included_file_name_that_file() -> None:
    chapter = "ch/two.tex"
    document = replace(
        doc(["1", "2", "3", "3"], ["1", "2", "2"]),
        markers=(
            Marker("1", 1, 1),
            Marker("2", 1, 2),
            Marker("3", 4, 6, path=chapter),
            Marker("3", 5, 7),
        ),
        notes=(Note("1", 10, 1, "a"), Note("2", 11, 1, "b"), Note("2", 3, 9, "c", path=chapter)),
    )
    found = {f.rule: f for f in numbering.check(document)}
    where = {rule: (f.path, f.line, f.column) for rule, f in found.items()}
    assert where == {
        "duplicate-note": (chapter, 3, 9),
        "missing-note": (chapter, 4, 6),
        "reused-marker": ("essay.txt", 5, 7),
    }
    assert found["duplicate-note"].message.endswith("the note on line 11 of essay.txt")
    assert found["missing-note"].suggestion == "renumber the second note [2] (line 3) to [3]"
    assert "(first on line 4 of ch/two.tex)" in found["reused-marker"].message


def test_duplicate_without_evident_fix_has_no_suggestion() -> None:
    findings = numbering.check(doc(["1", "2"], ["1", "2", "2"]))
    assert [(f.rule, f.suggestion) for f in findings] == [("duplicate-note", None)]


def test_unused_note() -> None:
    assert rules(doc(["1"], ["1", "2"])) == [("unused-note", "2")]


def test_empty_note_fires_only_for_a_note_with_nothing_in_it() -> None:
    document = doc(["1", "2", "3"], ["1", "2", "3"])
    emptied = Note("2", 11, 1, "  \n")
    only_a_link = Note(
        "3", 12, 1, "", links=(Link("https://a.example/", 12, 5, "https://a.example/"),)
    )
    document = replace(document, notes=(document.notes[0], emptied, only_a_link))
    assert rules(document) == [("empty-note", "2")]


def test_an_empty_note_in_plain_text_is_reported_as_empty_not_missing() -> None:
    document = parse_text("A claim.1 Another.2\n\nNotes\n\n[1] Smith, J. (2019) Title.\n[2]\n")
    assert rules(document) == [("empty-note", "2")]


def test_numbering_gap_names_the_missing_number() -> None:
    assert rules(doc(["1", "2", "4"], ["1", "2", "4"])) == [("numbering-gap", "3")]


def test_a_number_a_marker_points_to_is_one_missing_note_not_also_a_gap() -> None:
    assert rules(doc(["1", "2", "3"], ["1", "3"])) == [("missing-note", "2")]


def test_named_labels_have_no_gaps() -> None:
    assert rules(doc(["a", "b"], ["a", "b"])) == []


def test_out_of_order_reports_the_fewest_markers() -> None:
    assert rules(doc(["1", "2", "5", "3", "4", "6"], ["1", "2", "3", "4", "5", "6"])) == [
        ("out-of-order", "5")
    ]
    findings = rules(doc(["6", "4", "2", "1", "3", "5"], ["1", "2", "3", "4", "5", "6"]))
    assert len(findings) == 3
    assert {rule for rule, _ in findings} == {"out-of-order"}


def test_reused_marker_fires_unless_notes_are_shared() -> None:
    assert rules(doc(["1", "2", "1"], ["1", "2"])) == [("reused-marker", "1")]
    assert rules(doc(["1", "2", "1"], ["1", "2"], shared=True)) == []
