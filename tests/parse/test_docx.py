"""The .docx parser on the corpus and on documents built here part by part."""

from __future__ import annotations

import json
from pathlib import Path

import docx as python_docx
import pytest

from citecheck.errors import InputError
from citecheck.model import Document, Person
from citecheck.parse.docx import parse_bytes
from tests.docx_parts import HEAD, W_NS, field, note, part, ref, rels, run, zip_parts

CSL = {
    "citationID": "a1b2",
    "properties": {"formattedCitation": "Smith 2020, 12", "noteIndex": 1},
    "citationItems": [
        {
            "id": 42,
            "uris": ["http://zotero.org/users/1/items/ABCD1234"],
            "locator": "12",
            "prefix": "see",
            "itemData": {
                "id": 42,
                "type": "article-journal",
                "title": "On Footnotes",
                "container-title": "Journal of Notes",
                "volume": "7",
                "issue": 2,
                "page": "10-20",
                "DOI": "10.1234/notes.7",
                "URL": "https://example.org/notes",
                "author": [{"family": "Smith", "given": "Ann"}, {"family": "Doe", "given": "J."}],
                "issued": {"date-parts": [["2020", 3, 1]]},
            },
        }
    ],
}


def _built() -> bytes:
    zotero = "ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(CSL).replace("&", "&amp;")
    body = (
        f"<w:p>{run('Title')}</w:p>"
        f"<w:p>{run('First claim.')}{ref('footnote', 3)}{run(' Second.')}"
        f"{ref('footnote', 2)}</w:p>"
        "<w:p/>"
        f'<w:p><w:commentRangeStart w:id="0"/>{run("Again")}{ref("footnote", 3)}'
        f'{run(" and ")}<w:hyperlink r:id="rId9">{run("a site")}</w:hyperlink>'
        f'{run(" starred")}{ref("footnote", 5, "*")}<w:commentRangeEnd w:id="0"/></w:p>'
        f"<w:p>{field('HYPERLINK &quot;https://Example.COM/field&quot;', 'field link')}"
        f"{ref('endnote', 1)}</w:p>"
    )
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        + note("footnote", 2, run(" Plain note, see www.example.net/page."))
        + note("footnote", 3, run(" ") + field(zotero, "Smith 2020, 12."))
        + note("footnote", 4, run(" Never referenced."))
        + '<w:footnote w:id="5"><w:p>'
        + run("* Starred note with ")
        + '<w:hyperlink r:id="rId1">'
        + run("a link")
        + "</w:hyperlink></w:p><w:p>"
        + run("Second paragraph.")
        + "</w:p></w:footnote>"
    )
    comments = (
        '<w:comment w:id="0" w:author="Ed"><w:p>'
        + run("citecheck: ignore reused-marker, link-broken")
        + "</w:p></w:comment>"
    )
    return zip_parts(
        {
            "[Content_Types].xml": f"{HEAD}<Types/>",
            "_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml", False)),
            "word/document.xml": part("document", f"<w:body>{body}</w:body>"),
            "word/_rels/document.xml.rels": rels(
                ("rId1", "footnotes", "footnotes.xml", False),
                ("rId2", "endnotes", "endnotes.xml", False),
                ("rId3", "comments", "comments.xml", False),
                ("rId9", "hyperlink", "https://body.example.org/x", True),
            ),
            "word/footnotes.xml": part("footnotes", footnotes),
            "word/_rels/footnotes.xml.rels": rels(
                ("rId1", "hyperlink", "http://notes.example.org/a?b=1&amp;c=2", True)
            ),
            "word/endnotes.xml": part("endnotes", note("endnote", 1, run(" An endnote."))),
            "word/comments.xml": part("comments", comments),
        }
    )


@pytest.fixture(scope="module")
def built() -> Document:
    return parse_bytes(_built(), "built.docx")


def test_labels_follow_first_reference_and_reuse_repeats_the_label(built: Document) -> None:
    doc = built
    assert doc.format == "docx"
    markers = [(m.label, m.line, m.column, m.location) for m in doc.markers]
    assert markers == [
        ("1", 2, 1, "body, paragraph 2"),
        ("2", 2, 1, "body, paragraph 2"),
        ("1", 4, 1, "body, paragraph 4"),
        ("*", 4, 1, "body, paragraph 4"),
        ("e1", 5, 1, "body, paragraph 5"),
    ]


def test_notes_keep_unused_ones_and_separate_endnotes(built: Document) -> None:
    notes = [(n.kind, n.label, n.line, n.location, n.text) for n in built.notes]
    assert notes == [
        ("footnote", "1", 2, "footnote 1, paragraph 1", "Smith 2020, 12."),
        ("footnote", "2", 1, "footnote 2, paragraph 1", "Plain note, see www.example.net/page."),
        (
            "footnote",
            "*",
            4,
            "footnote *, paragraph 1",
            "* Starred note with a link\nSecond paragraph.",
        ),
        ("footnote", "3", 3, "footnote 3, paragraph 1", "Never referenced."),
        ("endnote", "e1", 1, "endnote 1, paragraph 1", "An endnote."),
    ]


def test_links_come_from_relationships_fields_and_text(built: Document) -> None:
    by_label = {n.label: n for n in built.notes}
    assert by_label["*"].urls == ("http://notes.example.org/a?b=1&c=2",)
    assert by_label["*"].links[0].line == 4
    assert by_label["*"].links[0].column == len("* Starred note with ") + 1
    assert by_label["2"].urls == ("http://www.example.net/page",)
    body = [(link.url, link.line, link.column, link.in_note) for link in built.body_links]
    assert body == [
        ("https://body.example.org/x", 4, len("Again and ") + 1, False),
        ("https://example.com/field", 5, 1, False),
    ]


def test_zotero_field_becomes_citation_and_reference(built: Document) -> None:
    note = next(n for n in built.notes if n.label == "1")
    (citation,) = note.citations
    assert citation.key == "http://zotero.org/users/1/items/ABCD1234"
    assert (citation.prefix, citation.locator, citation.note_label) == ("see", "12", "1")
    assert (citation.line, citation.column) == (2, 2)
    (reference,) = note.references
    assert reference.authors == (Person("Smith", "Ann"), Person("Doe", "J."))
    assert reference.title == "On Footnotes"
    assert reference.container == "Journal of Notes"
    assert (reference.volume, reference.issue, reference.pages) == ("7", "2", "10-20")
    assert (reference.year, reference.date) == ("2020", "2020-03-01")
    assert reference.doi == "10.1234/notes.7"
    assert reference.url == "https://example.org/notes"
    assert reference.kind == "article-journal"
    assert reference.key == citation.key
    assert built.citations == (citation,)


def test_body_paragraphs_and_suppression_from_comment(built: Document) -> None:
    doc = built
    lines = doc.text.split("\n")
    assert lines[1] == "First claim. Second."
    assert lines[4] == "field link"
    second = doc.paragraphs[1]
    assert (second.line, second.marker_offsets) == (2, (12, 20))
    assert [p.line for p in doc.paragraphs] == [1, 2, 4, 5]
    (suppression,) = doc.suppressions
    assert (suppression.line, suppression.rules) == (4, ("reused-marker", "link-broken"))


def test_mendeley_field_in_body_is_a_body_citation() -> None:
    payload = {"citationItems": [{"id": "ITEM-1", "itemData": {"id": "ITEM-1", "title": "T"}}]}
    instruction = "ADDIN CSL_CITATION " + json.dumps(payload)
    body = f"<w:body><w:p>{run('Claim ')}{field(instruction, '(T)')}</w:p></w:body>"
    data = zip_parts({"word/document.xml": part("document", body)})
    doc = parse_bytes(data, "m.docx")
    assert [(c.key, c.line, c.column, c.note_label) for c in doc.citations] == [
        ("ITEM-1", 1, 7, None)
    ]


def test_document_written_by_python_docx_has_its_paragraphs(tmp_path: Path) -> None:
    made = python_docx.Document()
    made.add_paragraph("Hello footnote world.")
    made.add_paragraph("")
    made.add_paragraph("Third paragraph.")
    target = tmp_path / "plain.docx"
    made.save(str(target))
    doc = parse_bytes(target.read_bytes(), str(target))
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (1, "Hello footnote world."),
        (3, "Third paragraph."),
    ]
    assert doc.notes == () and doc.markers == ()


def test_not_a_zip_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"not a \.docx \(not a zip archive\)"):
        parse_bytes(b"%PDF-1.4 not a zip", "x.docx")


def test_zip_without_document_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"no word/document\.xml"):
        parse_bytes(zip_parts({"content.xml": "<x/>"}), "x.docx")


def test_malformed_xml_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"malformed XML in word/document\.xml"):
        parse_bytes(zip_parts({"word/document.xml": "<w:document"}), "x.docx")


def test_zip_bomb_is_refused() -> None:
    padding = b" " * (30 * 1024 * 1024)
    bomb = part("document", "<w:body/>").encode().replace(b"<w:body/>", padding + b"<w:body/>")
    with pytest.raises(InputError, match="zip bomb"):
        parse_bytes(zip_parts({"word/document.xml": bomb}), "bomb.docx")


def test_entities_are_not_expanded() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    doc = parse_bytes(zip_parts({"word/document.xml": laughs}), "e.docx")
    assert "haha" not in doc.text


CORPUS = {
    "mammoth-footnotes.docx": (2, 0, ["1", "2"]),
    "mammoth-endnotes.docx": (0, 2, ["e1", "e2"]),
    "mammoth-footnote-hyperlink.docx": (1, 0, ["1"]),
    "pandoc-link_in_notes.docx": (1, 0, ["1"]),
    "pandoc-notes.docx": (1, 1, ["1", "e1"]),
    "openxmlsdk-TableFntEdnt.docx": (3, 3, ["e1", "1", "2", "e2", "e3", "3"]),
    "docx2python-example.docx": (2, 2, ["1", "2", "e1", "e2"]),
    "poi-bug65649-ru-contract.docx": (6, 0, ["1", "2", "3", "4", "5", "6"]),
    "poi-stress018-es-politicas-suelo.docx": (7, 0, ["1", "2", "3", "4", "5", "6", "7"]),
    "tika-testWORD_various.docx": (1, 0, ["1"]),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_counts(corpus: Path, name: str) -> None:
    footnotes, endnotes, markers = CORPUS[name]
    path = corpus / "footnotes-docx" / name
    doc = parse_bytes(path.read_bytes(), str(path))
    kinds = [note.kind for note in doc.notes]
    assert kinds.count("footnote") == footnotes
    assert kinds.count("endnote") == endnotes
    assert [m.label for m in doc.markers] == markers
    assert sorted(m.label for m in doc.markers) == sorted(n.label for n in doc.notes)


def test_corpus_footnote_hyperlinks(corpus: Path) -> None:
    folder = corpus / "footnotes-docx"
    mammoth = parse_bytes((folder / "mammoth-footnote-hyperlink.docx").read_bytes(), "m.docx")
    assert [(n.text, n.urls) for n in mammoth.notes] == [("Example", ("http://www.example.com/",))]
    pandoc = parse_bytes((folder / "pandoc-link_in_notes.docx").read_bytes(), "p.docx")
    assert [n.urls for n in pandoc.notes] == [("http://wikipedia.org/",)]


def test_corpus_body_links_and_note_text(corpus: Path) -> None:
    folder = corpus / "footnotes-docx"
    tika = parse_bytes((folder / "tika-testWORD_various.docx").read_bytes(), "t.docx")
    assert [link.url for link in tika.body_links] == ["http://tika.apache.org/"]
    assert [n.text for n in tika.notes] == ["This is a footnote."]
    table = parse_bytes((folder / "openxmlsdk-TableFntEdnt.docx").read_bytes(), "t.docx")
    assert [(n.label, n.text) for n in table.notes] == [
        ("1", "Footnote 1"),
        ("2", "Footnote 2"),
        ("3", "Footnote 3"),
        ("e1", "Endnote 1"),
        ("e2", "Endnote 2"),
        ("e3", "Endnote 3"),
    ]


def _docx(body: str, footnotes: str, note_rels: str = "") -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": f"{HEAD}<Types/>",
        "_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml", False)),
        "word/document.xml": part("document", f"<w:body>{body}</w:body>"),
        "word/_rels/document.xml.rels": rels(("rId1", "footnotes", "footnotes.xml", False)),
        "word/footnotes.xml": part("footnotes", footnotes),
    }
    if note_rels:
        parts["word/_rels/footnotes.xml.rels"] = note_rels
    return zip_parts(parts)


def _tracked(tag: str, content: str) -> str:
    return f'<w:{tag} w:id="90" w:author="Ed">{content}</w:{tag}>'


def test_tracked_deletions_and_moves_away_are_left_out() -> None:
    gone = '<w:r><w:delText>old claim</w:delText></w:r><w:r><w:footnoteReference w:id="2"/></w:r>'
    body = (
        f"<w:p>{run('One.')}{ref('footnote', 1)}{_tracked('del', gone)}"
        f"{_tracked('moveFrom', run('Moved.') + ref('footnote', 4))}"
        f"{_tracked('ins', run('Two.') + ref('footnote', 3))}"
        f"{_tracked('moveTo', run('Moved.') + ref('footnote', 4))}</w:p>"
        f"<w:p>{_tracked('moveFrom', run('Moved.') + ref('footnote', 5))}</w:p>"
    )
    first = (
        run(" See ")
        + _tracked("del", "<w:r><w:delText>http://old.example.org/</w:delText></w:r>")
        + _tracked("ins", run("http://new.example.org/"))
        + _tracked("moveFrom", run("http://moved.example.org/"))
    )
    footnotes = (
        note("footnote", 1, first)
        + note("footnote", 2, run(" Deleted http://deleted.example.org/"))
        + note("footnote", 3, run(" Inserted."))
        + note("footnote", 4, run(" Moved."))
        + note("footnote", 5, run(" Moved away only."))
    )
    doc = parse_bytes(_docx(body, footnotes), "tracked.docx")
    assert doc.text == "One.Two.Moved.\n"
    assert [m.label for m in doc.markers] == ["1", "2", "3"]
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "See http://new.example.org/"),
        ("2", "Inserted."),
        ("3", "Moved."),
    ]
    assert doc.notes[0].urls == ("http://new.example.org/",)


def test_note_links_are_located_in_their_own_paragraph() -> None:
    footnotes = (
        '<w:footnote w:id="1"><w:p>'
        + run(" First http://one.example.org/")
        + "</w:p><w:p>"
        + run("Second ")
        + '<w:hyperlink r:id="rId1">'
        + run("a link")
        + "</w:hyperlink>"
        + run(" doi:10.1234/xyz")
        + "</w:p></w:footnote>"
    )
    note_rels = rels(("rId1", "hyperlink", "https://two.example.org/", True))
    body = f"<w:p>{run('Claim.')}{ref('footnote', 1)}</w:p>"
    [only] = parse_bytes(_docx(body, footnotes, note_rels), "links.docx").notes
    assert [(link.url, link.location) for link in only.links] == [
        ("http://one.example.org/", "footnote 1, paragraph 1"),
        ("https://two.example.org/", "footnote 1, paragraph 2"),
    ]
    assert [(i.value, i.location) for i in only.identifiers] == [
        ("10.1234/xyz", "footnote 1, paragraph 2")
    ]


def test_unreadable_citation_field_is_a_notice() -> None:
    broken = 'ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems":[{"id":2,"itemData":{"title":"Broken'
    footnotes = note("footnote", 1, run(" Fine.")) + note(
        "footnote", 2, run(" ") + field(broken, "Broken citation.")
    )
    body = f"<w:p>{run('A.')}{ref('footnote', 1)}{run('B.')}{ref('footnote', 2)}</w:p>"
    doc = parse_bytes(_docx(body, footnotes), "zotero.docx")
    [notice] = doc.notices
    assert notice.startswith(
        "zotero.docx: footnote 2: a Zotero citation field could not be read: Unterminated string"
    )
    assert doc.citations == ()
