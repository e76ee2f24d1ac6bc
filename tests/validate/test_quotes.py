"""The unattributed-quote rule."""

from __future__ import annotations

from citecheck.parse import parse_text
from citecheck.validate import quotes

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


def test_short_quotes_are_fine() -> None:
    assert findings("They said “any nation deserves its government.” Fine.") == []


def test_essay_has_exactly_the_emigrants_quote(essay) -> None:  # type: ignore[no-untyped-def]
    from citecheck.parse import parse_file

    found = quotes.check(parse_file(essay))
    assert [(f.line, f.label) for f in found] == [(21, None)]
    assert "emigrants represent" in found[0].message
