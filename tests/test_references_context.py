"""Segment kinds and the label repairs around the reference model."""

from __future__ import annotations

import pytest

from citecheck.model import Person
from citecheck.references import parse_note, parse_reference
from citecheck.references_context import context_features, segment_kind
from citecheck.references_fields import people
from citecheck.references_tokens import segments, tokenize


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (["https://doi.org/10.1/x"], "url"),
        (["In", "Handbook"], "in"),
        (["(", "Eds.", ")"], "eds"),
        (["2016"], "year"),
        (["vol", "41"], "num"),
        (["“", "Title"], "quote"),
        (["Cambridge", "University", "Press"], "pub"),
        (["New", "York", ":"], "place"),
        (["Smith", ",", "J.", "A."], "name"),
        (["the", "collapse", "of", "community"], "words"),
        (["-"], "mark"),
    ],
)
def test_segment_kinds(texts: list[str], kind: str) -> None:
    assert segment_kind(texts) == kind


def test_every_token_sees_its_neighbour_segments() -> None:
    tokens = tokenize("Smith, J. A. (2001). Growth of towns. Urban Studies, 4(2), 1-9.")
    found = segments(tokens)
    flags = context_features(tokens, found)
    assert len(flags) == len(tokens)
    title = next(i for i, t in enumerate(tokens) if t.text == "Growth")
    assert {"ks=words", "kp=year", "kn=words", "ky=1", "segi=0"} <= set(flags[title])
    issue = next(i for i, t in enumerate(tokens) if t.text == "2")
    assert {"ks=num", "kp=num", "segi=1"} <= set(flags[issue])


def test_a_lower_case_given_name_is_no_person() -> None:
    assert people("section S-suppsec") == ()
    assert people("Ludwig van Beethoven") == (Person("van Beethoven", "Ludwig"),)
    assert people("김철수") == (Person("김철수", ""),)


def test_a_cross_reference_note_has_no_author() -> None:
    (reference,) = parse_note(
        "See section S-suppsec:Logic of the supplementary material for more information "
        "on the sympy.logic submodule."
    )
    assert reference.authors == ()


@pytest.mark.parametrize(
    ("text", "last"),
    [
        (
            "Levitsky, Steven, and Lucan A. Way. Competitive Authoritarianism: Hybrid Regimes "
            "after the Cold War. Cambridge: Cambridge University Press, 2010.",
            Person("Way", "Lucan A."),
        ),
        (
            "Hale, Henry E., and Timothy J. Colton. Who Defects? Unpacking a Defection "
            "Cascade. Post-Soviet Affairs 33, no. 5 (2017): 322-337.",
            Person("Colton", "Timothy J."),
        ),
    ],
)
def test_the_last_name_in_natural_order_keeps_its_family_name(text: str, last: Person) -> None:
    reference = parse_reference(text)
    assert reference.authors[-1] == last
    assert reference.title and not reference.title.startswith(last.family)
