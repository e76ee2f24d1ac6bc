"""The reference parser: essay notes, common citation styles, back references, held-out accuracy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Person, Reference
from citecheck.references import (
    parse_note,
    parse_notes,
    parse_reference,
    resolve_back_references,
    split_note,
)
from citecheck.references_corpus import Score, is_held_out, read_labelled
from citecheck.references_fields import build_reference, people
from citecheck.references_lexicon import (
    MIXED,
    build,
    entries,
    key,
    lexicon_features,
    load,
    path_for,
    save,
)
from citecheck.references_model import model_path
from citecheck.references_tokens import Token, features, segments, tokenize

HERBST = (
    "Herbst, J. E., Erofeev, S. (2019) The Putin Exodus: The New Russian Brain Drain. "
    "The Atlantic Council."
)
AHMADOV = (
    "Ahmadov, A. K. and Sasse, G., “A Voice Despite Exit: The Role of Assimilation, Emigrant "
    "Networks, and Destination in Emigrants’ Transnational Political Engagement”, Comparative "
    "Political Studies, 41(1), August 2015, pp. 1-37."
)
EROFEEV_DE = (
    "Erofeev S. (2021) “Aufruhr und Frust: Die Mobilisierung der russischen Diaspora” (“Uproar "
    "and Frustration: The Mobilization of the Russian diaspora”), Religion & Gesellschaft in Ost "
    "und West, 2021, no. 10."
)
EROFEEV_RU = (
    "Erofeev, S. (2022) “С новым строем! В 2021 году Россия перешла от электорального "
    "авторитаризма к полноценной диктатуре” (“The Regime Change is Done: in 2021 Russia shifted "
    "from electoral authoritarianism to full-fledged dictatorship”), The Insider, January 18, "
    "2022 (https://theins.ru/opinions/sergei-erofeev/247593)."
)
GELMAN = "Gel’man, V. (2019) Недостойное правление. EUSPb Press."


def families(ref: Reference) -> list[str]:
    return [person.family for person in ref.authors]


def test_essay_note_journal_article() -> None:
    ref = parse_reference(AHMADOV)
    assert families(ref) == ["Ahmadov", "Sasse"]
    assert ref.authors[0] == Person("Ahmadov", "A. K.")
    assert ref.title is not None and ref.title.startswith("A Voice Despite Exit: The Role")
    assert ref.title.endswith("Transnational Political Engagement")
    assert ref.container == "Comparative Political Studies"
    assert (ref.volume, ref.issue, ref.pages) == ("41", "1", "1-37")
    assert (ref.year, ref.date) == ("2015", "2015-08")
    assert ref.kind == "article-journal"


def test_essay_note_report_with_publisher() -> None:
    ref = parse_reference(HERBST)
    assert families(ref) == ["Herbst", "Erofeev"]
    assert ref.authors[1] == Person("Erofeev", "S.")
    assert ref.year == "2019"
    assert ref.title == "The Putin Exodus: The New Russian Brain Drain"
    assert ref.publisher == "The Atlantic Council"


def test_essay_note_with_translated_title() -> None:
    ref = parse_reference(EROFEEV_RU)
    assert families(ref) == ["Erofeev"]
    assert ref.year == "2022"
    assert ref.title is not None and ref.title.startswith("С новым строем!")
    assert ref.translated_title is not None
    assert ref.translated_title.startswith("The Regime Change is Done")
    assert ref.language == "ru"
    assert ref.container == "The Insider"
    assert ref.url == "https://theins.ru/opinions/sergei-erofeev/247593"


def test_essay_note_german_title_with_english_translation() -> None:
    ref = parse_reference(EROFEEV_DE)
    assert families(ref) == ["Erofeev"]
    assert ref.title == "Aufruhr und Frust: Die Mobilisierung der russischen Diaspora"
    assert ref.translated_title == (
        "Uproar and Frustration: The Mobilization of the Russian diaspora"
    )
    assert ref.language == "de"
    assert ref.container == "Religion & Gesellschaft in Ost und West"
    assert ref.issue == "10"


def test_essay_note_cyrillic_book() -> None:
    ref = parse_reference(GELMAN)
    assert ref.authors == (Person("Gel’man", "V."),)
    assert ref.year == "2019"
    assert ref.title == "Недостойное правление"
    assert ref.publisher == "EUSPb Press"
    assert ref.language == "ru"


def test_essay_notes_from_the_example_file(essay: Path) -> None:
    notes = [
        line.split("] ", 1)[1] for line in essay.read_text().splitlines() if line.startswith("[")
    ]
    parsed = parse_notes(notes)
    assert len(parsed) == len(notes) == 6
    assert families(parsed[1][0]) == ["Herbst", "Erofeev"]
    assert families(parsed[5][0]) == ["Ahmadov", "Sasse"]
    assert (
        parsed[0][0].url == "https://www.instagram.com/tv/CZSXfrpBv7a/?utm_source=ig_web_copy_link"
    )


def test_apa_journal_article_with_doi() -> None:
    ref = parse_reference(
        "Smith, J. A., & Jones, B. (2018). Reading habits of adolescents. Journal of Youth "
        "Studies, 21(4), 512-530. https://doi.org/10.1080/13676261.2017.1389123"
    )
    assert families(ref) == ["Smith", "Jones"]
    assert ref.year == "2018"
    assert ref.title == "Reading habits of adolescents"
    assert ref.container == "Journal of Youth Studies"
    assert (ref.volume, ref.issue, ref.pages) == ("21", "4", "512-530")
    assert ref.doi == "10.1080/13676261.2017.1389123"


def test_apa_book() -> None:
    ref = parse_reference(
        "Putnam, R. D. (2000). Bowling alone: The collapse and revival of American community. "
        "New York, NY: Simon & Schuster."
    )
    assert ref.authors == (Person("Putnam", "R. D."),)
    assert ref.year == "2000"
    assert ref.title == "Bowling alone: The collapse and revival of American community"
    assert ref.place == "New York, NY"
    assert ref.publisher == "Simon & Schuster"


def test_chicago_bibliography_entry() -> None:
    ref = parse_reference(
        "Levitsky, Steven, and Lucan A. Way. Competitive Authoritarianism: Hybrid Regimes after "
        "the Cold War. Cambridge: Cambridge University Press, 2010."
    )
    assert ref.authors == (Person("Levitsky", "Steven"), Person("Way", "Lucan A."))
    assert ref.title == "Competitive Authoritarianism: Hybrid Regimes after the Cold War"
    assert (ref.place, ref.publisher, ref.year) == (
        "Cambridge",
        "Cambridge University Press",
        "2010",
    )
    assert ref.kind == "book"


def test_chicago_full_note_keeps_the_cited_page() -> None:
    ref = parse_reference(
        "Robert D. Putnam, Bowling Alone: The Collapse and Revival of American Community "
        "(New York: Simon & Schuster, 2000), 45."
    )
    assert ref.authors == (Person("Putnam", "Robert D."),)
    assert ref.title == "Bowling Alone: The Collapse and Revival of American Community"
    assert (ref.place, ref.publisher, ref.year, ref.pages) == (
        "New York",
        "Simon & Schuster",
        "2000",
        "45",
    )


def test_chicago_author_date_and_harvard() -> None:
    ref = parse_reference(
        "Hirschman, A. O. 1970. Exit, Voice, and Loyalty. Cambridge, MA: Harvard University Press."
    )
    assert ref.authors == (Person("Hirschman", "A. O."),)
    assert (ref.year, ref.title) == ("1970", "Exit, Voice, and Loyalty")
    assert (ref.place, ref.publisher) == ("Cambridge, MA", "Harvard University Press")
    harvard = parse_reference("Putnam, R. D. (2000) Bowling Alone. New York: Simon & Schuster.")
    assert (harvard.year, harvard.title, harvard.publisher) == (
        "2000",
        "Bowling Alone",
        "Simon & Schuster",
    )


def test_chicago_journal_article() -> None:
    ref = parse_reference(
        "Levitsky, Steven, and Lucan A. Way. “The Rise of Competitive Authoritarianism.” "
        "Journal of Democracy 13, no. 2 (2002): 51–65."
    )
    assert ref.authors == (Person("Levitsky", "Steven"), Person("Way", "Lucan A."))
    assert ref.title == "The Rise of Competitive Authoritarianism"
    assert ref.container == "Journal of Democracy"
    assert (ref.volume, ref.issue, ref.year, ref.pages) == ("13", "2", "2002", "51-65")


def test_mla_article() -> None:
    ref = parse_reference(
        "Gelman, Andrew. “The Problems with P-Values.” Significance, vol. 14, no. 3, 2017, "
        "pp. 36-39."
    )
    assert ref.authors == (Person("Gelman", "Andrew"),)
    assert ref.title == "The Problems with P-Values"
    assert ref.container == "Significance"
    assert (ref.volume, ref.issue, ref.year, ref.pages) == ("14", "3", "2017", "36-39")


def test_vancouver_article() -> None:
    ref = parse_reference(
        "Hughes E, Collins J, Vandekerckhove P. Clomiphene citrate for unexplained subfertility "
        "in women. Cochrane Database Syst Rev. 2000;(3):CD000057."
    )
    assert families(ref) == ["Hughes", "Collins", "Vandekerckhove"]
    assert ref.authors[0].given == "E"
    assert ref.title == "Clomiphene citrate for unexplained subfertility in women"
    assert ref.year == "2000"


def test_vancouver_volume_issue_pages() -> None:
    ref = parse_reference(
        "Creed PA, Hicks RE, Machin MA. Behavioural plasticity and mental health outcomes. "
        "J Occup Org Psychol. 1998;71(2):171-91."
    )
    assert families(ref) == ["Creed", "Hicks", "Machin"]
    assert ref.container == "J Occup Org Psychol"
    assert (ref.year, ref.volume, ref.issue, ref.pages) == ("1998", "71", "2", "171-91")


def test_access_date_and_isbn() -> None:
    ref = parse_reference(
        "Smith, J. (2010). A history of reading. London: Verso. ISBN 978-0-306-40615-7. "
        "Retrieved March 3, 2021, from https://example.org/reading"
    )
    assert ref.isbn == "9780306406157"
    assert ref.accessed == "2021-03-03"
    assert ref.url == "https://example.org/reading"


def test_people_forms() -> None:
    assert people("A. Cau, R. Kuiper, and W.-P. de Roever") == (
        Person("Cau", "A."),
        Person("Kuiper", "R."),
        Person("de Roever", "W.-P."),
    )
    assert people("Lee, L. L., W. E. Howard, and R. E. Marsh") == (
        Person("Lee", "L. L."),
        Person("Howard", "W. E."),
        Person("Marsh", "R. E."),
    )
    assert people("Pérez-Higueras JJ, de la Macorra JC") == (
        Person("Pérez-Higueras", "JJ"),
        Person("de la Macorra", "JC"),
    )
    assert people("Bugnon (A.-L.)") == (Person("Bugnon", "A.-L."),)
    assert people("Smith, J., et al.") == (Person("Smith", "J."),)


def _fields(text: str, spans: list[tuple[str, str]]) -> Reference:
    """A Reference built from hand-labelled spans of ``text`` (each span's text, in order)."""
    tokens = tokenize(text)
    labels = ["other"] * len(tokens)
    for label, piece in spans:
        start = text.index(piece)
        for i, token in enumerate(tokens):
            if start <= token.start and token.end <= start + len(piece):
                labels[i] = label
    return build_reference(text, tokens, labels)


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ("41(1)", ("41", "1")),
        ("39, No. 9", ("39", "9")),
        ("36, 3", ("36", "3")),
        ("12", ("12", None)),
    ],
)
def test_issue_inside_a_volume_span_is_split_off(volume: str, expected: tuple[str, str]) -> None:
    ref = _fields(f"Journal of Things, {volume}, 1-9.", [("volume", volume)])
    assert (ref.volume, ref.issue) == expected


def test_proceedings_after_a_title_become_the_container() -> None:
    text = "A Method for Tasks. Proceedings of the Workshop on Tasks, June 1988."
    ref = _fields(text, [("title", "A Method for Tasks. Proceedings of the Workshop on Tasks")])
    assert (ref.title, ref.container) == (
        "A Method for Tasks",
        "Proceedings of the Workshop on Tasks",
    )


def test_container_loses_in_and_the_editors() -> None:
    text = "Prospect theory. In D. Kahneman (Eds.), Choices, Values, and Frames. 288-300."
    ref = _fields(
        text,
        [
            ("title", "Prospect theory"),
            ("container", "In D. Kahneman (Eds.), Choices, Values, and Frames."),
        ],
    )
    assert ref.container == "Choices, Values, and Frames"


def test_segments_run_between_punctuation_marks() -> None:
    tokens = tokenize("Aha, D. (1987). Learning exemplars. In Proc. Workshop")
    texts = [" ".join(t.text for t in tokens[a:b]) for a, b in segments(tokens)]
    assert texts == ["Aha ,", "D.", "( 1987 ) .", "Learning exemplars.", "In Proc. Workshop"]


def test_several_references_in_one_note() -> None:
    refs = parse_note(f"See {HERBST}; {GELMAN}")
    assert [families(r) for r in refs] == [["Herbst", "Erofeev"], ["Gel’man"]]
    assert refs[1].title == "Недостойное правление"


def test_semicolons_inside_a_reference_do_not_split_it() -> None:
    assert len(split_note("Creed PA, Hicks RE. Title here. J Occup Psychol. 1998;71:171-91.")) == 1
    assert len(split_note("Smith, J.; Jones, K. (2001). A title. Publisher.")) == 1
    assert len(split_note("Ibid., p. 4; Gel’man, Недостойное правление, 12")) == 2


def test_ibid_and_op_cit_point_back() -> None:
    notes = [HERBST, "Ibid., p. 4.", AHMADOV, "Ibid.", "Herbst, op. cit., p. 7.", "Op. cit."]
    parsed = parse_notes(notes)
    herbst, ahmadov = parsed[0][0], parsed[2][0]
    assert parsed[1][0].title == herbst.title and parsed[1][0].raw == "Ibid., p. 4."
    assert parsed[3][0].container == ahmadov.container
    assert parsed[4][0].title == herbst.title and families(parsed[4][0]) == families(herbst)
    assert parsed[5][0].title == herbst.title


def test_short_form_points_back_to_the_full_reference() -> None:
    parsed = parse_notes([GELMAN, AHMADOV, "Gel'man, Недостойное правление, 12"])
    assert parsed[2][0].title == "Недостойное правление"
    assert parsed[2][0].publisher == "EUSPb Press"
    assert parsed[2][0].raw == "Gel'man, Недостойное правление, 12"


def test_a_short_form_without_a_stroked_letter_finds_its_reference() -> None:
    full = "Wałęsa, L. (1987) Droga nadziei. Kraków: Znak."
    parsed = parse_notes([full, AHMADOV, "Walesa, Droga nadziei, 12"])
    assert parsed[2][0].title == "Droga nadziei"
    assert parsed[2][0].publisher == parse_notes([full])[0][0].publisher


def test_back_reference_without_a_target_stays_as_parsed() -> None:
    alone = parse_note("Ibid., p. 4.")
    assert resolve_back_references([alone]) == (alone,)
    unknown = parse_note("Nobody, op. cit., p. 2.")
    assert resolve_back_references([parse_note(HERBST), unknown])[1] == unknown


def _labelled_tokens(pairs: list[tuple[str, str]]) -> tuple[list[Token], list[str]]:
    tokens: list[Token] = []
    labels: list[str] = []
    for text, label in pairs:
        tokens.extend(Token(word, 0, 0) for word in text.split())
        labels.extend(label for _ in text.split())
    return tokens, labels


TRAVIS = _labelled_tokens(
    [("Travis J.", "author"), ("Common cold", "title"), ("Journal of Medicine", "container")]
)


def test_dictionary_keys_and_entries() -> None:
    assert [key(w) for w in ("Journal", "(Eds.)", ",", "1998", "J.")] == [
        "journal",
        "eds",
        "",
        "",
        "j",
    ]
    found = set(entries(*TRAVIS))
    assert ("journal of", "container") in found
    assert ("cold journal", MIXED) in found and ("j common cold", MIXED) in found


def test_dictionary_leaves_a_reference_out_of_its_own_counts() -> None:
    words = build([TRAVIS, TRAVIS])
    assert words.lookup("journal") == {"container": 2}
    alone = words.without(*TRAVIS)
    assert alone.lookup("journal") == {"container": 1}
    assert alone.summary("journal") is None  # seen once: too rare to tell


def test_dictionary_features_and_round_trip(tmp_path: Path) -> None:
    words = build([TRAVIS, TRAVIS, TRAVIS])
    tokens = tokenize("Smith A. Common cold Journal of Medicine, 12")
    flags = lexicon_features(tokens, words)
    assert "lx=container" in flags[4] and "lx2s=container" in flags[4] and "-1lx=title" in flags[4]
    assert "lx2e=container" in flags[5]
    assert flags[0] == ["lx=unk", "+1lx=unk"] and flags[-2] == flags[-1] == []
    model = tmp_path / "fold.crfsuite"
    save(words, path_for(model))
    assert path_for(model).name == "fold.lexicon.json.gz"
    assert load(path_for(model)) == words
    assert load(tmp_path / "none.json.gz") is None


def test_runs_of_abbreviations_are_marked() -> None:
    tokens = tokenize("Smith, J. R., J. Am. Chem. Soc. 12; Am J Respir Crit Care Med")
    marked = [t.text for t, f in zip(tokens, features(tokens), strict=True) if "abbr." in f]
    assert marked == ["J.", "Am.", "Chem.", "Soc."]
    bare = [t.text for t, f in zip(tokens, features(tokens), strict=True) if "abbr" in f]
    assert bare == ["Crit", "Care", "Med"]  # "Respir" is too long to count


def test_shipped_model_is_small_and_present() -> None:
    assert model_path().is_file()
    assert model_path().stat().st_size < 5_000_000
    assert path_for(model_path()).is_file()
    assert path_for(model_path()).stat().st_size < 2_000_000


def _score(path: Path) -> Score:
    score = Score()
    for ref in read_labelled(path):
        assert is_held_out(ref.text)
        score.add(build_reference(ref.text, ref.tokens, ref.labels), parse_reference(ref.text))
    return score


def test_held_out_sample_accuracy(tmp_path: Path) -> None:
    anystyle = tmp_path / "anystyle.xml"
    grobid = tmp_path / "grobid.xml"
    anystyle.write_text(ANYSTYLE_SAMPLE, encoding="utf-8")
    grobid.write_text(GROBID_SAMPLE, encoding="utf-8")
    for path, threshold in ((anystyle, ANYSTYLE_MIN_F1), (grobid, GROBID_MIN_F1)):
        assert _score(path).micro().f1 >= threshold, path.name


def test_parsing_is_fast() -> None:
    parse_reference(HERBST)
    started = time.perf_counter()
    for _ in range(50):
        parse_reference(AHMADOV)
    assert (time.perf_counter() - started) / 50 < 0.02


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    ref = parse_reference(text)
    assert ref.raw == text
    assert isinstance(parse_note(text), tuple)


@pytest.mark.parametrize("text", ["", "   ", ";", "Ibid.", "((((", "10.1000/x", "pp. 1-"])
def test_degenerate_inputs(text: str) -> None:
    assert parse_reference(text).raw == text


# Core-field micro-F1 of the shipped model on the samples below was 0.893 (AnyStyle) and
# 0.986 (GROBID); the thresholds leave a margin for retraining noise.
ANYSTYLE_MIN_F1 = 0.87
GROBID_MIN_F1 = 0.95

# Held-out references (every 10th / 30th of the held-out part) of two labelled corpus files:
# inukshuk/anystyle res/parser/core.xml (BSD-2-Clause) and kermitt2/grobid citations.xml
# (Apache-2.0), copied unchanged; see ../shared/corpus/SOURCES.md.
ANYSTYLE_SAMPLE = r"""<?xml version="1.0" encoding="UTF-8"?>
<dataset>
  <sequence>
    <author>Solon, G.</author>
    <date>(1999).</date>
    <title>Chapter 29. Intergenerational mobility in the labor market.</title>
    <editor>In O. C. A. and D. Card (Ed.),</editor>
    <container-title>Handbook of labor economics</container-title>
    <volume>(Vol. 3, Part A,</volume>
    <pages>pp. 1761–1800).</pages>
    <location>London:</location>
    <publisher>Elsevier.</publisher>
    <note>Retrieved from</note>
    <url>http://www.sciencedirect.com/science/article/pii/S1573446399030102</url>
  </sequence>
  <sequence>
    <author>T. E. Anderson, H. M. Levy, B. N. Bershad, and E. D. Lazowska.</author>
    <title>"The interaction of architecture and operating system design".</title>
    <container-title>In ASPLOS IV,</container-title>
    <pages>pages 108-122,</pages>
    <date>1991.</date>
  </sequence>
  <sequence>
    <author>Albert R. Meyer and Mitchell Wand.</author>
    <title>Continuation semantics in typed lambda calculi (summary).</title>
    <editor>In Rohit Parikh, editor,</editor>
    <container-title>Logics of Programs,</container-title>
    <volume>volume 193,</volume>
    <collection-title>of Lecture Notes in Computer Science,</collection-title>
    <pages>pages 219-224.</pages>
    <publisher>Springer-Verlag,</publisher>
    <date>1985.</date>
  </sequence>
  <sequence>
    <editor>D. Borman, Editor,</editor>
    <title>``Telnet Encryption Option,''</title>
    <genre>Internet-Draft,</genre>
    <publisher>Internet Engineering Task Force, Telnet Working Group</publisher>
    <date>(July 1991).</date>
  </sequence>
  <sequence>
    <author>Lamaire, R. O, and D. N. Serpanos,</author>
    <title>Two Dimensional Round Robin Schedulers for Packet Switches with Multiple Input Queues,</title>
    <journal>IEEE/ACM Tr ans. on Networking,</journal>
    <pages>pp. 471-482.</pages>
    <date>(October 94).</date>
  </sequence>
  <sequence>
    <author>Gertz M., Lipeck U. W.</author>
    <title>Deriving Integrity Maintaining Triggers from Transition Graphs.</title>
    <container-title>In International Conference on Data Engineering,</container-title>
    <date>1993.</date>
  </sequence>
  <sequence>
    <author>Reichman, R.</author>
    <date>(1985).</date>
    <title>Getting Computers to Talk Like You and Me: Discourse Context, Focus, and Semantics.</title>
    <location>Cambridge, MA:</location>
    <publisher>MIT Press.</publisher>
  </sequence>
  <sequence>
    <author>J. Choi, R. Cytron, and J. Ferrante.</author>
    <title>Automatic construction of sparse data flow evaluation graphs.</title>
    <container-title>In Proceedings of the Eighteenth Annual ACM Symposium on the Principles of Programming Languages,</container-title>
    <pages>pages 55-66,</pages>
    <location>Orlando, FL,</location>
    <date>January 1991.</date>
  </sequence>
  <sequence>
    <author>T. E. Hull and M. S. Cohen.</author>
    <title>Toward an ideal computer arithmetic.</title>
    <editor>In M. J. Irwin and R. Stafanelli, editors,</editor>
    <container-title>Proceedings of the 8th Symposium on Computer Arithmetic,</container-title>
    <pages>pages 131-138.</pages>
    <publisher>IEEE Computer Society,</publisher>
    <location>Los Angeles,</location>
    <date>1987.</date>
  </sequence>
  <sequence>
    <author>Angus, L., &amp; Korman, Y.</author>
    <date>(2002).</date>
    <title>Conflict, coherence and change in brief psychotherapy: A metaphor theme analysis.</title>
    <editor>In S. R. Fussell (Ed),</editor>
    <container-title>The verbal communication of emotions</container-title>
    <pages>(pp. 151-165).</pages>
    <location>Mahwah, NJ:</location>
    <publisher>Lawrence Erlbaum.</publisher>
  </sequence>
  <sequence>
    <author>Bordman, Gerald Martin, and Tomas S. Hischak.</author>
    <title>The Oxford Companion to American Theatre.</title>
    <edition>3rd ed.</edition>
    <location>New York:</location>
    <publisher>Oxford University Press,</publisher>
    <date>2004.</date>
  </sequence>
  <sequence>
    <author>Colclough, B., &amp; Colclough, J.</author>
    <date>(1999).</date>
    <title>A challenge to change.</title>
    <location>London, England:</location>
    <publisher>Thorsons.</publisher>
  </sequence>
  <sequence>
    <citation-number>[85]</citation-number>
    <author>Minker, W. and Bennacef, S.,</author>
    <title>Speech and human-machine dialog,</title>
    <volume>Vol. 770,</volume>
    <publisher>Springer,</publisher>
    <date>2004.</date>
  </sequence>
  <sequence>
    <author>Puente, Lucas and Linus Wilson.</author>
    <date>2013.</date>
    <title>“Minority Ownership and TARP Invest- ments.”</title>
    <note>Available at SSRN 2247043 .</note>
  </sequence>
  <sequence>
    <author>McCrum, Robert,</author>
    <title>‘So, what’s this Globish Revolution?’,</title>
    <journal>Observer,</journal>
    <date>3 December 2006.</date>
  </sequence>
  <sequence>
    <author>Jordan, S. L., Indares, A. , Dunning, G.,</author>
    <title>Partial melting of metapelites in the Gagnon terrane below the high-pressure belt in the Manicouagan area (Grenville Province): pressure-temperature (P-T) and U-Pb age constraints and implications,</title>
    <journal>Canadian Journal of Earth Sciences,</journal>
    <volume>38.</volume>
    <pages>P. 1309 - 1329.</pages>
    <date>2006.</date>
  </sequence>
  <sequence>
    <citation-number>82.</citation-number>
    <title>Microscopic Evaluation of Cleaning Efficiency of Three Different Nickel-Titanium Rotary Instruments.</title>
    <author>Bidar Myryam, Saeed Moadi, Maryam Forghani, Salma Bidad, Mahtab Azghadi, Shahrzad Rezvani, and Shirin Khoynezhad.</author>
    <date>2010,</date>
    <journal>Iran Endod J.,</journal>
    <volume>Vol. 5(4),</volume>
    <pages>pp. 174–178.</pages>
  </sequence>
  <sequence>
    <author>Habermas, Juergen</author>
    <date>(1995),</date>
    <title>Between Facts and Norms: Contributions to a Discourse Theory of Law and Democracy,</title>
    <translator>tr. W. Rehg</translator>
    <location>(Cambridge, Mass.:</location>
    <publisher>MIT Press).</publisher>
  </sequence>
  <sequence>
    <author>Sandilands, Roger J.</author>
    <date>2004.</date>
    <title>“The relation of government to monetary control [1] March 29, 1935.”</title>
    <journal>Journal of Economic Studies</journal>
    <volume>31(3/4):</volume>
    <pages>270–279.</pages>
  </sequence>
  <sequence>
    <author>Cissé B, Sokhna C, Boulanger D, Milet J, Bâ el H, Richardson K, Hallett R,Sutherland C, Simondon K, Simondon F, Alexander N, Gaye O, Targett G,Lines J, Greenwood B, Trape JF:</author>
    <title>Seasonal intermittent preventive treatment with artesunate and sulfadoxine-pyrimethamine for prevention of malaria in Senegalese children: a randomized, placebocontrolled,double-blind trial.</title>
    <journal>Lancet</journal>
    <date>2006,</date>
    <volume>367:</volume>
    <pages>659-667.</pages>
  </sequence>
  <sequence>
    <author>Weber, Eugen.</author>
    <title>Movements, Currents, Trends: Aspects of European Thought in the Nineteenth and Twentieth Centuries.</title>
    <location>Lexington, MA:</location>
    <publisher>D. C. Heath,</publisher>
    <date>1992.</date>
  </sequence>
  <sequence>
    <citation-number>[145]</citation-number>
    <author>S. Groblacher, J. T. Hill, A. H. Safavi-Naeini, J. Chan, and O. Painter,</author>
    <title>“Highly efficient coupling from an optical fiber to a nanoscale silicon optomechanical cavity,”</title>
    <genre>Tech. Rep.</genre>
    <volume>18</volume>
    <date>(2013).</date>
  </sequence>
  <sequence>
    <author>Shmayenok, A. I., Tikhomirov, S. V.,</author>
    <title>The Mishina Gora cryptoexplosion structure near Lake Chudskoye (Peipus) (in Russian).</title>
    <journal>Doklady Akademii Nauk SSSR,</journal>
    <volume>v. 219,</volume>
    <pages>pp. 701-703.</pages>
    <date>1974.</date>
  </sequence>
  <sequence>
    <editor>Adamson, Joni, Mei Mei Evans, and Rachel Stein, eds.</editor>
    <title>The Environmental Justice Reader: Politics, Poetics, and Pedagogy.</title>
    <location>Tucson:</location>
    <publisher>University of Arizona Press,</publisher>
    <date>2002.</date>
  </sequence>
  <sequence>
    <author>He Huanhuan:</author>
    <title>On Dignāga’s Names.</title>
    <journal>Journal of the International College for Postgraduate Buddhist Studies,</journal>
    <volume>Vol. 21</volume>
    <date>March, 2017,</date>
    <pages>214-254</pages>
  </sequence>
  <sequence>
    <author>COLLECTIF.</author>
    <title>Prévenir la dénutrition (dossier).</title>
    <journal>Soins Aides-soignantes,</journal>
    <date>mai 2014,</date>
    <volume>n°58.</volume>
    <pages>p. 11-19.</pages>
  </sequence>
  <sequence>
    <citation-number>[83]</citation-number>
    <author>Kathryn Harriman, Paul Houston, Bill Senior, and Endre Suli.</author>
    <title>hp-version discontinuous Galerkin methods with interior penalty for partial differential equations with nonnegative characteristic form.</title>
    <genre>Technical report,</genre>
    <date>2002.</date>
  </sequence>
  <sequence>
    <title>Central European university literature in the late middle ages.</title>
    <container-title>In: Rediscover: final conference proceedings: Prague 15th September 2010.</container-title>
    <location>Prague:</location>
    <publisher>National Library of the Czech Republic,</publisher>
    <date>2010,</date>
    <pages>s. 33–43.</pages>
    <isbn>ISBN 978-80-7050-587-8.</isbn>
  </sequence>
  <sequence>
    <author>G. Romano,</author>
    <title>“Gli indesiderabili”. L’Italia e l’immigrazione clandestina ebraica in Palestina 1945-1948,</title>
    <journal>“La Nuova Storia Contemporanea”,</journal>
    <volume>4/6</volume>
    <date>(novembre-dicembre 2000),.</date>
    <pages>81-96.</pages>
  </sequence>
  <sequence>
    <author>Devitt, Terry.</author>
    <title>"Lightning injures four at music festival."</title>
    <container-title>The Why? Files.</container-title>
    <date>2 Aug. 2001.</date>
    <note>23 Jan. 2002</note>
    <url>&lt;http://whyfiles.org/137lightning/index.html&gt;.</url>
  </sequence>
</dataset>
"""  # noqa: E501

GROBID_SAMPLE = r"""<?xml version="1.0" encoding="UTF-8"?>
<tei xmlns="http://www.tei-c.org/ns/1.0">
<listBibl>
<bibl> <author>W. H. Enright</author>. <title level="a">Improving the efficiency of matrix operations in the numerical solution of stiff ordinary differential equations</title>. <title level="j">ACM Trans. Math. Softw.</title>, <biblScope type="vol">4</biblScope>(<biblScope type="issue">2</biblScope>), <biblScope type="pp">127-136</biblScope>, <date>June 1978</date>. </bibl>
<bibl> <author>L. Lovasz and N. Young</author>. <title level="a">Lecture notes on evasiveness of graph properties</title>. <note type="report">Technical Report</note> <idno>CS-TR-317-91</idno>, <orgName>Computer Science Department, Princeton University</orgName>, <date>1991</date>. </bibl>
<bibl> <author>Alon Y. Levy, Divesh Srivastava, and Thomas Kirk</author>. <title level="a">Data model and query evaluation in global information systems</title>. <title level="j">Journal of Intelligent Information Systems</title>, <date>1995</date>. <note>Special Issue on Networked Information Discovery and Retrieval (to appear)</note>. </bibl>
<bibl> <author>I. Lee, P. Bremond-Gregoire, and R. Gerber</author>. <title level="a">A Process Algebraic Approach to the Specification and Analysis of Resource-Bound Real-Time Systems</title>. <title level="m">IEEE Proceedings</title>, <biblScope type="vol">82</biblScope>(<biblScope type="issue">1</biblScope>), <date>January 1994</date>. </bibl>
<bibl> <title level="j">Macromol. Rapid Commun.</title> <biblScope type="pp">139-143</biblScope> (<date>1999</date>) </bibl>
<bibl> <author>Irma Becerra-Fernandez and David W. Aha</author>. <title level="a">Case-based problem solving for knowledge management systems</title>. In <title level="m">Proceedings of FLAIRS-99</title>. <publisher>AAAI Press</publisher>, <date>1999</date>. <note>To Appear</note>. </bibl>
<bibl> <author>G.M. Calhoun</author>, ‘<title level="a">Homeric Repetitions</title>’, <title level="j">University of California Publications in Classical Philology </title> <biblScope type="vol">12</biblScope> (<date>1933</date>), pp. <biblScope type="pp">1-25</biblScope>. </bibl>
<bibl> <author>A. Michail</author>. <title level="a">Data mining library reuse patterns using generalized association rules</title>. In <title level="m">Proceedings of the 22nd International Conference on Software Engineering</title>, <date>2000</date>. <lb/></bibl>
<bibl> <author>J. Reif and L. G. Valiant</author>. "<title level="a">A Logarithmic Time Sort on Linear Size Networks</title>," <title level="j">Journal of the ACM</title> <biblScope type="vol">34</biblScope> (<date>January 1987</date>), <biblScope type="pp">60-76</biblScope>, <title level="m">Proceedings of the 15th Annual ACM Symposium on Theory of Computing</title>, <pubPlace>Boston</pubPlace> (<date>April 1983</date>), <biblScope type="pp">10-16</biblScope>. <lb/></bibl>
<bibl> <author>Kohonen, T.</author> <title level="a">Self-Organizing Maps</title> <date>2001</date> <title level="m">Series in Information Sciences</title> <biblScope type="vol">3</biblScope> <publisher>Springer</publisher> </bibl>
<bibl> <author>Monteiro J, Batliwalla F, Ostrer H, Gregersen PK</author>. <title level="a">Shortened telomeres in clonally expanded CD28- CD8+ T cells imply a replicative history that is distinct from their CD28+ CD8+ counterparts</title>. <title level="j">J Immunol</title> <date>1996</date>; <biblScope type="vol">156</biblScope>:<biblScope type="pp">3587-3590</biblScope>. </bibl>
<bibl> <author>Thackray AM, Field HJ</author>. <title level="a">Differential effects of famciclovir and valaciclovir on the pathogenesis of herpes simplex virus in a murine infection model including reactivation from latency</title>. <title level="j">J Infect Dis </title> <date>1996</date>; <biblScope type="vol">173</biblScope>: <biblScope type="pp">291-299</biblScope>. </bibl>
<bibl> <author>Alizadeh AA, Eisen MB, Davis RE, Ma C, Lossos IS, Rosenwald A, Boldrick JC, Sabet H, Tran T, Yu X</author>. <title level="a">Distinct types of diffuse large B-cell lymphoma identified by gene expression profiling</title>. <title level="j">Nature</title> <date>2000</date>; <biblScope type="vol">403</biblScope>:<biblScope type="pp">503-511</biblScope>. </bibl>
<bibl> <author>Fang DC, Jass JR, Wang DX</author>. <title level="a">Loss of heterozygosity and loss of expression of the DCC gene in gastric cancer</title>. <title level="j">J Clin Pathol</title> <date>1998</date>; <biblScope type="vol">51</biblScope>:<biblScope type="pp">593-596</biblScope>. </bibl>
<bibl> <author>Epstein AE, Carlson MD, Fogoros RN, Higgins SL, Venditti FJ Jr</author>. "<title level="a">Classification of death in antiarrhythmia trials</title>." <title level="j">J Am Coll Cardiol</title> <date>1996</date>; <biblScope type="vol">27</biblScope>:<biblScope type="pp">433-442</biblScope>. </bibl>
<bibl> <author>Murphy CR</author>. <title level="a">Understanding the apical surface markers of uterine receptivity: pinopods-or uterodomes ?</title> <title level="j">Human Reproduction </title> <date>2000</date>; <biblScope type="vol">15</biblScope>:<biblScope type="pp">2451-2454</biblScope>. </bibl>
<bibl> <author>Sharp PM, Devine KM</author>. <title level="a">Codon usage and gene expression level in Dictyostelium discoideum: highly expressed genes do 'prefer' optimal codons</title>. <title level="j">Nucleic Acids Res </title> (<date>1989</date>) <biblScope type="vol">17</biblScope>:<biblScope type="pp">5029-5039</biblScope>. </bibl>
<bibl> <author>Nakajima S, O'Regan NB</author>. <title level="a">The effects of dopaminergic agonists and antagonists on the frequency-response function for hypothalamic self-stimulation in the rat</title>. <title level="j">Pharmacol Biochem Behav </title> <date>1991</date>; <biblScope type="vol">39</biblScope>:<biblScope type="pp">465-468</biblScope>. </bibl>
<bibl> <author>Sakaguchi K, Herrera JE, Saito S, Miki T, Bustin M, Vassilev A, Anderson CW, Appella E</author>. <title level="a">DNA damage activates p53 through a phosphorylation-acetylation cascade</title>. <title level="j">Gene Dev</title> (<date>1998</date>) <biblScope type="vol">12</biblScope>:<biblScope type="pp">2831-2841</biblScope>. </bibl>
<bibl> <author>Gazdar AF, Dammin GJ</author>. <title level="a">Neural degeneration and regeneration in human renal transplants</title>. <title level="j">N Engl J Med</title> <biblScope type="vol">283</biblScope>:<biblScope type="pp">222-224</biblScope>, <date>1970</date>. </bibl>
</listBibl>
</tei>
"""  # noqa: E501
