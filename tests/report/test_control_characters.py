"""Control characters from a document never reach an output raw."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from citecheck import pipeline
from citecheck.model import Report
from citecheck.report import render, text_format
from citecheck.report.extract_text import render as render_extract

DOCUMENT = (
    "He said “this\x1b[2J is a long quotation with more than ten words inside it for sure” here."
    "\n\nA claim.[^a\x01] Another.[^a\x01]\n\n"
    "[^a\x01]: See \x1b]0;pwned\x07 https://example.org/\x1b[31mred\n"
    "[^a\x01]: Again \x9b2J.\n"
)
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline."""


@pytest.fixture
def report(tmp_path: Path) -> Report:
    path = tmp_path / "esc.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    found = pipeline.check([path], offline=True, cache=None)
    assert {f.rule for f in found.findings} >= {"unattributed-quote", "duplicate-note"}
    return found


@pytest.mark.parametrize("output_format", ["markdown", "github", "junit"])
def test_formats_for_people_and_ci_write_control_characters_out(
    report: Report, output_format: str
) -> None:
    output = render(report, output_format)
    assert not RAW.search(output)
    shown = re.sub(r"\\([\\`*_\[\]|~#])", r"\1", output)  # Markdown's escapes undone
    assert "“this\\x1b[2J is a long" in shown
    assert "a\\x01" in shown


@pytest.mark.parametrize("color", [False, True])
def test_text_output_cannot_send_escape_sequences(report: Report, color: bool) -> None:
    output = text_format.render(report, color=color)
    without_colours = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert not RAW.search(without_colours)
    assert "“this\\x1b[2J is a long" in without_colours
    assert "note [a\\x01] repeats" in without_colours


def test_extract_cannot_send_escape_sequences(tmp_path: Path) -> None:
    path = tmp_path / "esc.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    output = render_extract(pipeline.extract([path]))
    assert not RAW.search(output)
    assert "  note [a\\x01] at 5:1: See \\x1b]0;pwned\\x07 https://example.org/\\x1b[31mred" in (
        output.splitlines()
    )
    assert "Again \\x9b2J." in output


def test_junit_is_well_formed_xml_with_the_characters_written_out(report: Report) -> None:
    root = ET.fromstring(render(report, "junit"))
    names = {case.get("name") for case in root.iter("testcase")}
    assert "note a\\x01" in names
    texts = " ".join(element.text or "" for element in root.iter())
    assert "“this\\x1b[2J is a long" in texts


def test_json_keeps_the_characters_as_json_escapes(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert any(f["label"] == "a\x01" for f in data["findings"])
