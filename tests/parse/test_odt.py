"""The .odt parser on a document built here: mimetype, content.xml and manifest."""

from __future__ import annotations

import io
import zipfile

import pytest

from citecheck.errors import InputError
from citecheck.parse.odt import parse_bytes

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _note(kind: str, note_id: str, citation: str, body: str, label: str = "") -> str:
    attr = f' text:label="{label}"' if label else ""
    return (
        f'<text:note text:id="{note_id}" text:note-class="{kind}">'
        f"<text:note-citation{attr}>{citation}</text:note-citation>"
        f"<text:note-body>{body}</text:note-body></text:note>"
    )


BODY = (
    "<text:h>Heading</text:h>"
    "<text:p>First claim."
    + _note(
        "footnote",
        "ftn1",
        "1",
        '<text:p>See <text:a xlink:href="https://Example.org/source">the source</text:a>,'
        "<text:s/>doi:10.1234/abc.</text:p><text:p>Second paragraph.</text:p>",
    )
    + " Second"
    + _note("footnote", "ftn2", "2", "<text:p>Plain http://plain.example.net/x note.</text:p>")
    + "</text:p>"
    "<text:p/>"
    "<table:table><table:table-row><table:table-cell><text:p>In a cell"
    + _note("endnote", "edn1", "i", "<text:p>An endnote.</text:p>")
    + _note("footnote", "ftn3", "*", "<text:p>Custom.</text:p>", label="*")
    + "</text:p></table:table-cell></table:table-row></table:table>"
    '<text:p>Body <text:a xlink:href="http://body.example.com/">link</text:a>'
    '<text:a xlink:href="#bookmark">inner</text:a>.</text:p>'
)


def _odt(content: str, mimetype: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _content(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )


def test_notes_markers_and_labels() -> None:
    doc = parse_bytes(_odt(_content(BODY)), "essay.odt")
    assert doc.format == "odt"
    assert [(m.label, m.line, m.location) for m in doc.markers] == [
        ("1", 2, "body, paragraph 2"),
        ("2", 2, "body, paragraph 2"),
        ("ei", 4, "body, paragraph 4"),
        ("*", 4, "body, paragraph 4"),
    ]
    assert [(n.kind, n.label, n.line, n.text) for n in doc.notes] == [
        ("footnote", "1", 2, "See the source, doi:10.1234/abc.\nSecond paragraph."),
        ("footnote", "2", 2, "Plain http://plain.example.net/x note."),
        ("endnote", "ei", 4, "An endnote."),
        ("footnote", "*", 4, "Custom."),
    ]


def test_links_and_identifiers() -> None:
    doc = parse_bytes(_odt(_content(BODY)), "essay.odt")
    first, second = doc.notes[:2]
    assert [(link.url, link.column, link.in_note) for link in first.links] == [
        ("https://example.org/source", 5, True)
    ]
    assert first.ids(first.identifiers[0].scheme) == ("10.1234/abc",)
    assert second.urls == ("http://plain.example.net/x",)
    assert [(link.url, link.line, link.in_note) for link in doc.body_links] == [
        ("http://body.example.com/", 5, False)
    ]


def test_body_text_and_paragraphs() -> None:
    doc = parse_bytes(_odt(_content(BODY)), "essay.odt")
    assert doc.text.split("\n") == [
        "Heading",
        "First claim. Second",
        "",
        "In a cell",
        "Body linkinner.",
    ]
    second = doc.paragraphs[1]
    assert (second.line, second.marker_offsets) == (2, (12, 19))


def test_not_a_zip_and_missing_content() -> None:
    with pytest.raises(InputError, match=r"not a \.odt \(not a zip archive\)"):
        parse_bytes(b"plain text", "x.odt")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(InputError, match=r"no content\.xml"):
        parse_bytes(buffer.getvalue(), "x.odt")


def test_tracked_changes_are_not_body_text() -> None:
    tracked = (
        '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
        "<office:change-info/><text:p>deleted http://deleted.example.org/</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
    )
    doc = parse_bytes(_odt(_content(tracked + BODY)), "essay.odt")
    assert "deleted" not in doc.text
    assert [(m.label, m.line) for m in doc.markers][:1] == [("1", 2)]
    assert [link.url for link in doc.body_links] == ["http://body.example.com/"]


def test_note_links_are_located_in_their_own_paragraph() -> None:
    note = _note(
        "endnote",
        "edn1",
        "i",
        "<text:p>First.</text:p><text:p>See http://two.example.org/ here.</text:p>"
        "<text:p>And doi:10.1234/xyz too.</text:p>",
    )
    doc = parse_bytes(_odt(_content(f"<text:p>Claim.{note}</text:p>")), "essay.odt")
    assert [(link.url, link.location) for link in doc.notes[0].links] == [
        ("http://two.example.org/", "endnote i, paragraph 2")
    ]
    assert [(i.value, i.location) for i in doc.notes[0].identifiers] == [
        ("10.1234/xyz", "endnote i, paragraph 3")
    ]
