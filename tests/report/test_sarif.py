"""SARIF output: valid against the official 2.1.0 schema, with stable fingerprints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from citecheck.model import Document, Finding, Report, Severity
from citecheck.report import render
from citecheck.report.fingerprint import FINGERPRINT_KEY, fingerprint
from citecheck.report.sarif_format import artifact_uri
from citecheck.validate.rules import RULES

PATH = "essays/learning for freedom.txt"


def _report() -> Report:
    findings = (
        Finding(
            "missing-note",
            Severity.ERROR,
            PATH,
            21,
            297,
            "6",
            "Marker 6 points to no note.",
            suggestion="6",
        ),
        Finding(
            "duplicate-note", Severity.ERROR, PATH, 36, 1, "5", "Note 5 repeats note 5 on line 34."
        ),
        Finding("unused-bib-entry", Severity.INFO, "refs.bib", 0, 0, None, "Entry x is unused."),
        Finding(
            "blocked-link",
            Severity.WARNING,
            PATH,
            26,
            60,
            "1",
            "HTTP 429.",
            url="https://www.instagram.com/tv/CZSXfrpBv7a/",
        ),
    )
    return Report((Document(PATH, "text", "text\n"),), findings, notices=("12 links offline",))


@pytest.fixture
def log() -> dict[str, Any]:
    return json.loads(render(_report(), "sarif"))  # type: ignore[no-any-return]


def test_output_is_valid_against_the_official_schema(log: dict[str, Any], data: Path) -> None:
    schema = json.loads((data / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"


def test_driver_lists_the_rule_catalogue(log: dict[str, Any]) -> None:
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "citecheck"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert by_id["unused-bib-entry"]["defaultConfiguration"]["level"] == "note"
    assert by_id["missing-note"]["shortDescription"]["text"] == RULES["missing-note"].summary
    assert by_id["missing-note"]["fullDescription"]["text"] == RULES["missing-note"].explanation


def test_results_carry_rule_level_and_location(log: dict[str, Any]) -> None:
    results = log["runs"][0]["results"]
    first = results[0]
    assert first["ruleId"] == "missing-note"
    assert first["level"] == "error"
    assert log["runs"][0]["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "missing-note"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "essays/learning%20for%20freedom.txt"
    assert location["region"] == {"startLine": 21, "startColumn": 297}
    assert "suggestion: 6" in first["message"]["text"]
    assert results[2]["level"] == "note"
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }
    assert results[3]["properties"]["url"] == "https://www.instagram.com/tv/CZSXfrpBv7a/"


def test_fingerprint_survives_moved_lines(log: dict[str, Any]) -> None:
    report = _report()
    moved = tuple(
        dataclasses.replace(item, line=item.line + 7, message=item.message.replace("34", "41"))
        for item in report.findings
    )
    again = json.loads(render(dataclasses.replace(report, findings=moved), "sarif"))
    before = [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]
    after = [r["partialFingerprints"][FINGERPRINT_KEY] for r in again["runs"][0]["results"]]
    assert before == after
    assert len(set(before)) == len(before)


def test_fingerprint_changes_with_what_the_finding_is_about() -> None:
    item = _report().findings[0]
    assert fingerprint(item) != fingerprint(dataclasses.replace(item, label="7"))
    assert fingerprint(item) != fingerprint(dataclasses.replace(item, rule="unused-note"))
    assert fingerprint(item) != fingerprint(dataclasses.replace(item, path="other.txt"))
    assert fingerprint(item) == fingerprint(dataclasses.replace(item, column=3, line=2))


def test_identical_findings_get_distinct_fingerprints() -> None:
    item = _report().findings[0]
    log = json.loads(render(Report((), (item, item)), "sarif"))
    keys = [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]
    assert keys[0].endswith(":1") and keys[1].endswith(":2")
    assert keys[0].split(":")[0] == keys[1].split(":")[0]


def test_notices_become_tool_notifications(log: dict[str, Any]) -> None:
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {"text": "12 links offline"}}]


def test_absolute_paths_become_file_uris() -> None:
    assert artifact_uri("/home/ed/essay #2.md") == "file:///home/ed/essay%20%232.md"
    assert artifact_uri("docs\\essay.md") == "docs/essay.md"
