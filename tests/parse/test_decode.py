"""Bytes that are not UTF-8, binary files, and format detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.parse import parse_file
from citecheck.parse.decode import decode
from citecheck.parse.detect import detect_format


def test_latin1_file_is_decoded_by_the_detector(tmp_path: Path) -> None:
    path = tmp_path / "essay.txt"
    text = "Le café était fermé, dit-il.1 Très étrange.\n\n[1] Éditions du Seuil, Paris.\n"
    path.write_bytes(text.encode("latin-1"))
    document = parse_file(path)
    assert "Éditions du Seuil" in document.notes[0].text
    assert document.notes[0].text == "Éditions du Seuil, Paris."
    assert [m.label for m in document.markers] == ["1"]


def test_binary_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match=r"image\.txt"):
        parse_file(path)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeE\x00s\x00s\x00a\x00y\x00\x01",  # UTF-16 mark, odd number of bytes
        b"\xef\xbb\xbfEssay \xff\xfe\xfd",  # UTF-8 mark, then bytes that are not UTF-8
        b"\xfe\xff\xd8\x00",  # UTF-16 mark, then half a surrogate pair
    ],
)
def test_a_byte_order_mark_that_lies_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "essay.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"essay\.txt.*byte-order mark"):
        parse_file(path)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.tuples(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]), st.binary()).map(
            b"".join
        ),
    )
)
def test_any_bytes_decode_or_raise_an_input_error(data: bytes) -> None:
    try:
        text = decode(data, "essay.txt")
    except InputError as error:
        assert "essay.txt" in str(error)
    else:
        assert isinstance(text, str) and "\r" not in text


def test_empty_file_parses_to_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    document = parse_file(path)
    assert (document.markers, document.notes) == ((), ())


def test_crlf_line_endings_count_as_one_line(tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(b"Claim.1\r\n\r\n[1] Note\r\n")
    document = parse_file(path)
    assert (document.notes[0].line, document.markers[0].line) == (3, 1)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.md", b"text", "markdown"),
        ("a.txt", b"Some text[^1].\n\n[^1]: A note.\n", "markdown"),
        ("a.txt", b"Plain text.1\n", "text"),
        ("a", b"<!DOCTYPE html><html>", "html"),
        ("a", b"\\documentclass{article}", "latex"),
        ("a.htm", b"", "html"),
    ],
)
def test_detection(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, head) == expected
