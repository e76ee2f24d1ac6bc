"""Severity overrides, inline suppressions and baselines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from citecheck.errors import ConfigError
from citecheck.model import Document, Finding, Severity, Suppression
from citecheck.options import Options
from citecheck.validate.suppress import apply, filter_baseline, write_baseline


def _finding(rule: str, line: int, label: str | None = None, path: str = "essay.txt") -> Finding:
    return Finding(rule, Severity.ERROR, path, line, 1, label, f"{rule} at note {label}")


FINDINGS = [
    _finding("missing-note", 21, "6"),
    _finding("duplicate-note", 36, "5"),
    _finding("broken-link", 26, "1"),
    _finding("unattributed-quote", 22),
]


def test_severity_overrides_and_off() -> None:
    options = Options(severities=(("broken-link", "warning"), ("unattributed-quote", "off")))
    kept = apply(FINDINGS, (), options)
    assert [item.rule for item in kept] == ["missing-note", "duplicate-note", "broken-link"]
    assert kept[2].severity is Severity.WARNING
    assert kept[0].severity is Severity.ERROR


def test_bad_severity_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="broken-link"):
        apply(FINDINGS, (), Options(severities=(("broken-link", "fatal"),)))


def test_inline_suppression_covers_its_line_and_the_next() -> None:
    document = Document(
        "essay.txt",
        "text",
        "",
        suppressions=(
            Suppression(20, ("missing-note",)),
            Suppression(35),
            Suppression(25, ("unused-note",)),
        ),
    )
    kept = apply(FINDINGS, (document,), Options())
    assert [item.rule for item in kept] == ["broken-link", "unattributed-quote"]


def test_suppressions_apply_only_to_their_own_file() -> None:
    other = Document("other.txt", "text", "", suppressions=(Suppression(21),))
    assert apply(FINDINGS, (other,), Options()) == FINDINGS


def test_a_suppression_in_an_included_file_covers_that_file_only() -> None:
    chapter = "ch/two.tex"
    in_chapter = [_finding("missing-note", 21, "6", chapter), _finding("unused-note", 40, "9")]
    main = Document(
        "essay.txt",
        "latex",
        "",
        suppressions=(Suppression(20, path=chapter), Suppression(39, path=chapter)),
    )
    kept = apply([*FINDINGS, *in_chapter], (main,), Options())
    assert kept == [*FINDINGS, in_chapter[1]]


def test_baseline_round_trip_reports_only_new_findings(tmp_path: Path) -> None:
    baseline = tmp_path / ".citecheck" / "baseline.json"
    write_baseline(baseline, FINDINGS)
    assert json.loads(baseline.read_text())["version"] == 1
    moved = [dataclasses.replace(item, line=item.line + 3) for item in FINDINGS]
    new = _finding("missing-note", 40, "7")
    kept = apply([*moved, new], (), Options(baseline=str(baseline)))
    assert kept == [new]
    report_failed = any(item.severity.at_least(Severity.ERROR) for item in kept)
    assert report_failed
    assert apply(moved, (), Options(baseline=str(baseline))) == []


def test_one_more_of_the_same_finding_is_new(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, FINDINGS[:1])
    twice = [FINDINGS[0], dataclasses.replace(FINDINGS[0], line=50)]
    assert filter_baseline(twice, baseline) == [twice[1]]


def test_unreadable_baselines_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read baseline"):
        filter_baseline(FINDINGS, tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 9, "fingerprints": {}}')
    with pytest.raises(ConfigError, match="not a citecheck baseline"):
        filter_baseline(FINDINGS, bad)
    bad.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="not a citecheck baseline"):
        filter_baseline(FINDINGS, bad)
    bad.write_text("[1, 2")
    with pytest.raises(ConfigError, match="not JSON"):
        filter_baseline(FINDINGS, bad)
