"""A Word file's findings say where in Word to look, in every format, not only its paragraph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import citecheck
from citecheck.model import Report
from citecheck.report import render
from tests.docx_parts import HEAD, part, ref, rels, run, zip_parts


@pytest.fixture(scope="module")
def word_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    body = (
        f"<w:p>{run('Claim.')}{ref('footnote', 1)}</w:p>"
        f"<w:p>{run('Said again.')}{ref('footnote', 1)}</w:p>"
    )
    note = '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>' + run("A note.") + "</w:p>"
    path = tmp_path_factory.mktemp("word") / "essay.docx"
    path.write_bytes(
        zip_parts(
            {
                "[Content_Types].xml": f"{HEAD}<Types/>",
                "word/document.xml": part("document", f"<w:body>{body}</w:body>"),
                "word/_rels/document.xml.rels": rels(("rId1", "footnotes", "footnotes.xml", False)),
                "word/footnotes.xml": part("footnotes", note + "</w:footnote>"),
            }
        )
    )
    return citecheck.check(path, offline=True)


def test_messages_name_paragraphs_not_lines(word_report: Report) -> None:
    (reused,) = [f for f in word_report.findings if f.rule == "reused-marker"]
    assert reused.place == "body, paragraph 2"
    assert "(first in body, paragraph 1)" in reused.message


def test_github_annotation_says_where_in_word(word_report: Report) -> None:
    (line,) = [x for x in render(word_report, "github").splitlines() if "reused-marker" in x]
    assert ",line=2," in line
    assert line.split("::")[2].startswith("body, paragraph 2: marker 1 is used again")


def test_sarif_location_carries_the_word_location(word_report: Report, data: Path) -> None:
    log: dict[str, Any] = json.loads(render(word_report, "sarif"))
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "reused-marker"]
    (location,) = result["locations"]
    assert location["message"] == {"text": "body, paragraph 2"}
    assert location["physicalLocation"]["region"]["startLine"] == 2
    assert result["message"]["text"].startswith("body, paragraph 2: ")
    schema = json.loads((data / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)


def test_junit_and_markdown_use_the_word_location(word_report: Report) -> None:
    assert "essay.docx:body, paragraph 2: warning [reused-marker]" in render(word_report, "junit")
    assert "| body, paragraph 2 | warning | `reused-marker` |" in render(word_report, "markdown")
