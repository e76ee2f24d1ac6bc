"""The plain-text parser on the example essay and on the numbers it must not take for markers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.parse import parse_file, parse_text


def labels(text: str) -> list[str]:
    return [marker.label for marker in parse_text(text).markers]


def test_essay_markers_are_the_six_flattened_superscripts(essay: Path) -> None:
    document = parse_file(essay)
    assert document.format == "text"
    assert [(m.label, m.line) for m in document.markers] == [
        ("1", 5),
        ("2", 5),
        ("3", 9),
        ("4", 11),
        ("5", 19),
        ("6", 21),
    ]
    line5 = essay.read_text(encoding="utf-8").split("\n")[4]
    first = document.markers[0]
    assert line5[first.column - 1 :].startswith("1 This statement")


def test_essay_notes_with_links_and_the_duplicate_five(essay: Path) -> None:
    document = parse_file(essay)
    assert [(n.label, n.line, n.column) for n in document.notes] == [
        ("1", 26, 1),
        ("2", 28, 1),
        ("3", 30, 1),
        ("4", 32, 1),
        ("5", 34, 1),
        ("5", 36, 1),
    ]
    assert document.notes[0].urls == (
        "https://www.instagram.com/tv/CZSXfrpBv7a/?utm_source=ig_web_copy_link",
    )
    assert document.notes[3].urls == ("https://theins.ru/opinions/sergei-erofeev/247593",)
    assert document.notes[5].text.startswith("Ahmadov, A. K. and Sasse, G.")
    link = document.notes[3].links[0]
    source_line = essay.read_text(encoding="utf-8").split("\n")[link.line - 1]
    assert source_line[link.column - 1 :].startswith("https://theins.ru/")


def test_navigation_crumbs_and_title_are_body_not_notes(essay: Path) -> None:
    document = parse_file(essay)
    assert all(note.line > 20 for note in document.notes)
    assert document.paragraphs[0].text.startswith("Home Publications")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “it is so”.1 Then", ["1"]),
        ("It came out.2\n", ["2"]),
        ("political philosophy),5 I would", ["5"]),
        ("as modern research shows,6 as the world", ["6"]),
        ("superscripts like this¹ and that²³ here", ["1", "23"]),
        ("bracketed [7] and ranges [8-10]", ["7", "8", "9", "10"]),
        ("a caret^4 marker", ["4"]),
        ('as he put it, "it is so"1 and', ["1"]),
    ],
)
def test_marker_forms(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2012, the pivotal year, and 2014 (the annexation).",
        "the 19th century and the 21st century",
        "Comparative Political Studies, 41(1), August 2015, pp. 1-37.",
        "a decimal 3.5 and 10.25 and version 2.0.1",
        "at 10:30 or 9:45 tomorrow",
        "grew by 45% and 3‰ at 20°C",
        "see Section 3.2 and chapter 4",
        "1. A numbered list item\n2. Another item",
        "COVID-19 and CO2 and H2O and MP3 and G7",
        "see p.12 and pp.13 and vol.3 and no.5",
        "link https://example.org/page2, and mail me@example2.org.",
        "In the years 1999–2001 and 1990s",
        '{"type":"integer-not-valid","value":"200","message":"less"}',
        "set limit='3' and count=\"4\" in the file",
    ],
)
def test_numbers_that_are_not_markers(text: str) -> None:
    assert labels(text) == []


def test_notes_under_a_heading_in_several_forms() -> None:
    text = (
        "Body one.1 Body two.2 Body three.3\n\nNotes\n\n1. First note.\n2 Second note\n[3] Third\n"
    )
    document = parse_text(text)
    assert [n.label for n in document.notes] == ["1", "2", "3"]
    assert [n.text for n in document.notes] == ["First note.", "Second note", "Third"]
    assert [m.label for m in document.markers] == ["1", "2", "3"]


def test_note_spanning_lines_keeps_positions_of_its_links() -> None:
    text = "Claim.1\n\nReferences\n[1] Smith, J. (2020) A title,\n    online at https://example.org/a.\n"
    note = parse_text(text).notes[0]
    assert note.text == "Smith, J. (2020) A title,\nonline at https://example.org/a."
    assert note.urls == ("https://example.org/a",)
    assert (note.links[0].line, note.links[0].column) == (5, 15)


def test_list_numbers_without_a_notes_heading_are_not_notes() -> None:
    document = parse_text("Steps:\n\n1. Open the file\n2. Read it\n")
    assert document.notes == ()


NUMBERED_NOTES = (
    "The gallerist said “it is so”.1 The report came out.2 Research shows,3 as we see.\n"
    "\n"
    "1. Gelman, M. (2022) Interview, TV Rain. https://example.org/rain\n"
    "2. Herbst, J. E., Erofeev, S. (2019) The Putin Exodus,\n"
    "   The Atlantic Council. doi:10.1000/exodus\n"
    "3. Ahmadov, A. K. and Sasse, G., Comparative Political Studies, 2015, pp. 1-37.\n"
)


def test_trailing_numbered_lines_that_markers_point_to_are_notes() -> None:
    document = parse_text(NUMBERED_NOTES)
    assert [(n.label, n.line, n.column) for n in document.notes] == [
        ("1", 3, 1),
        ("2", 4, 1),
        ("3", 6, 1),
    ]
    assert document.notes[1].text == (
        "Herbst, J. E., Erofeev, S. (2019) The Putin Exodus,\nThe Atlantic Council. "
        "doi:10.1000/exodus"
    )
    assert [m.label for m in document.markers] == ["1", "2", "3"]
    assert [p.line for p in document.paragraphs] == [1]
    link = document.notes[0].links[0]
    source_line = NUMBERED_NOTES.split("\n")[link.line - 1]
    assert source_line[link.column - 1 :].startswith("https://example.org/rain")


@pytest.mark.parametrize(
    "text",
    [
        # Steps at the end: markers point elsewhere, and nothing in them reads as a reference.
        "He said so.1 Then more.2\n\nTo apply:\n\n1. Open the form\n2. Fill it in\n",
        # Points that mention years, but not as citations write them.
        "Claim.1 Claim.2\n\n1. Emigration rose after 2012.\n2. Protests grew in 2019.\n",
        # References, but no marker points to them: a reading list.
        "An essay with no markers.\n\n1. Smith, J. (2019) A book.\n2. Jones, K. (2020) Two.\n",
        # A numbered list in the body, with prose after it.
        "Claim.1 Claim.2\n\n1. Smith, J. (2019) A book.\n2. Jones, K. (2020) Two.\n\nMore.\n",
    ],
)
def test_numbered_lists_that_are_not_notes(text: str) -> None:
    document = parse_text(text)
    assert document.notes == ()
    assert document.paragraphs[-1].text == text.rstrip("\n").split("\n\n")[-1]


def test_a_numbered_list_taken_for_body_keeps_its_markers() -> None:
    text = "He said so.1 Then more.2\n\n1. Smith, J. (2019) A book.\n2. Jones, K. (2020) Two.\n"
    unmarked = text.replace(".1", ".").replace(".2", ".")
    assert len(parse_text(text).notes) == 2
    assert parse_text(unmarked).notes == ()
    assert parse_text(unmarked).markers == ()


@pytest.mark.parametrize(
    "text",
    [
        "Claim one.1 Claim two.2\n\n[1]\n\n[2] Jones, K. (2020) Another title.\n",
        "Claim one.1 Claim two.2\n\nNotes\n\n[1]\n[2] Jones, K. (2020) Another title.\n",
        "Claim one.1 Claim two.2\n\nNotes\n\n[1]\n",
    ],
)
def test_a_label_whose_text_was_lost_is_an_empty_note(text: str) -> None:
    document = parse_text(text)
    assert [m.label for m in document.markers] == ["1", "2"]
    first = document.notes[0]
    assert (first.label, first.text, first.links) == ("1", "", ())
    assert text.split("\n")[first.line - 1] == "[1]"


def test_empty_labels_within_and_after_a_run_of_notes() -> None:
    text = "A,1 B,2 C,3 D,4\n\n[1] Smith.\n[2]\n[3] Brown.\n[4]\n"
    document = parse_text(text)
    assert [(n.label, n.text) for n in document.notes] == [
        ("1", "Smith."),
        ("2", ""),
        ("3", "Brown."),
        ("4", ""),
    ]


def test_a_label_alone_takes_its_text_from_the_lines_below() -> None:
    text = "Claim.1 Claim.2\n\n[1]\n  Smith, J. (2019) https://example.org/a\n[2] Jones.\n"
    note = parse_text(text).notes[0]
    assert (note.label, note.line, note.text) == ("1", 3, "Smith, J. (2019) https://example.org/a")
    assert (note.links[0].line, note.links[0].column) == (4, 20)


@pytest.mark.parametrize(
    ("text", "marker_line"),
    [
        # A marker on a line of its own in the middle of the body.
        ("The city was founded in 1200.\n[1]\nIt grew.2\n\nMore text.\n", 2),
        # The same at the very end: no note line with text, so no notes section.
        ("It grew quickly.\n[1]\n", 2),
        # Just above the notes, where it does not count up to the first of them.
        ("It grew quickly.\n[3]\n\n[1] Smith.\n[2] Jones.\n[3] Brown.\n", 2),
    ],
)
def test_a_label_alone_in_the_body_stays_a_marker(text: str, marker_line: int) -> None:
    document = parse_text(text)
    assert all(note.text for note in document.notes)
    assert marker_line in [m.line for m in document.markers]


def test_suppression_comment_is_recorded() -> None:
    document = parse_text("Text.1\n<!-- citecheck: ignore missing-note -->\n")
    assert [(s.line, s.rules) for s in document.suppressions] == [(2, ("missing-note",))]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"ab .,”“[]^1234567890\n¹²", "Notes\n", "[1] ", "\n2. ", "(2019)"])
    ).map("".join)
)
def test_random_text_never_crashes_and_positions_lie_inside(text: str) -> None:
    document = parse_text(text)
    lines = text.split("\n")
    for item in [*document.markers, *document.notes]:
        assert 1 <= item.line <= len(lines)
        assert 1 <= item.column <= len(lines[item.line - 1]) + 1


def test_a_fifty_megabyte_essay_parses_completely(tmp_path: Path) -> None:
    paragraph = "The diaspora grew in 2012, by 45% (pp. 78-114), as “sources say”.{n} " * 4
    blocks = [paragraph.replace("{n}", str(n % 200 + 1)) for n in range(175_000)]
    notes = "\n".join(
        f"[{n}] Author, A. (2019) Title {n}. https://example.org/{n}" for n in range(1, 201)
    )
    path = tmp_path / "large.txt"
    path.write_text("\n\n".join(blocks) + "\n\nNotes\n\n" + notes + "\n", encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    document = parse_file(path)
    assert len(document.markers) == 4 * 175_000
    assert len(document.notes) == 200
    assert document.notes[-1].urls == ("https://example.org/200",)
