"""The unattributed-quote rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.parse import parse_file, parse_text
from citecheck.validate import quotes
from tests.docx_parts import HEAD, part, run, zip_parts

LONG = "one two three four five six seven eight nine ten"


def findings(text: str) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in quotes.check(parse_text(text))]


def test_long_quote_without_marker_fires_at_the_quote() -> None:
    assert findings(f"He wrote “{LONG}.” Then nothing. More.") == [(1, 10)]


def test_marker_in_the_same_sentence_attributes_it() -> None:
    assert findings(f"He wrote “{LONG}”.1 Then more.") == []


def test_marker_in_the_next_sentence_attributes_it() -> None:
    assert findings(f"He wrote “{LONG}.” This is shown,2 clearly. Later.") == []


def test_marker_two_sentences_later_does_not() -> None:
    assert findings(f"He wrote “{LONG}.” Next sentence. Then shows,3 this.") == [(1, 10)]


@pytest.mark.parametrize(
    "text",
    [
        f"Under Federal Law No. 44-FZ «{LONG}» the contract is void.",
        f"Welds follow ГОСТ 5264-80* «{LONG}» in full.",
        f"See Decree № «{LONG}» for details.",
    ],
)
def test_the_title_of_a_numbered_law_or_standard_is_no_quotation(text: str) -> None:
    assert findings(text) == []


def test_a_quotation_after_a_year_and_a_comma_still_counts() -> None:
    assert findings(f"As the ministry admitted in 2009, “{LONG}.” Nothing more.") == [(1, 35)]


def test_short_quotes_are_fine() -> None:
    assert findings("They said “any nation deserves its government.” Fine.") == []


def test_essay_has_exactly_the_emigrants_quote(essay) -> None:  # type: ignore[no-untyped-def]
    from citecheck.parse import parse_file

    found = quotes.check(parse_file(essay))
    assert [(f.line, f.label) for f in found] == [(21, None)]
    assert "emigrants represent" in found[0].message


def test_in_a_word_file_the_quote_is_placed_by_paragraph(tmp_path: Path) -> None:
    body = f"<w:p>{run('Intro.')}</w:p><w:p>{run(f'She wrote “{LONG}” once.')}</w:p>"
    path = tmp_path / "q.docx"
    path.write_bytes(
        zip_parts(
            {
                "[Content_Types].xml": f"{HEAD}<Types/>",
                "word/document.xml": part("document", f"<w:body>{body}</w:body>"),
            }
        )
    )
    (found,) = quotes.check(parse_file(path))
    assert (found.line, found.column, found.location) == (2, 11, "body, paragraph 2")
