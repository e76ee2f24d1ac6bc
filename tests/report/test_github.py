"""GitHub Actions annotations and the step summary."""

from __future__ import annotations

import re

from citecheck.model import Document, Finding, Report, Severity
from citecheck.report import render
from citecheck.report.github_format import (
    annotation,
    escape_data,
    escape_property,
    render_summary,
)


def _unescape_data(text: str) -> str:
    """What the runner does to a command's message (actions/runner CommandStringConvertor)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def test_severities_map_to_commands() -> None:
    findings = (
        Finding("missing-note", Severity.ERROR, "essay.txt", 21, 297, "6", "No note 6."),
        Finding("unused-note", Severity.WARNING, "essay.txt", 36, 1, "5", "Unused."),
        Finding("redirected-link", Severity.INFO, "essay.txt", 32, 40, None, "Moved."),
    )
    lines = render(Report((), findings, notices=("offline: 3 links",)), "github").splitlines()
    assert lines == [
        "::error file=essay.txt,line=21,col=297,title=missing-note (note 6)::No note 6.",
        "::warning file=essay.txt,line=36,col=1,title=unused-note (note 5)::Unused.",
        "::notice file=essay.txt,line=32,col=40,title=redirected-link::Moved.",
        "::notice::offline: 3 links",
    ]


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("%0A") == "%250A"


def test_hostile_values_round_trip_through_the_runner() -> None:
    item = Finding(
        "broken-link",
        Severity.ERROR,
        "dir,a/b:c%.md",
        0,
        0,
        "1,2",
        "50% gone\n::error::fake",
        suggestion="use https://x.org/a,b",
    )
    line = annotation(item)
    assert line.count("\n") == 0
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<data>.*)", line)
    assert match is not None
    props = dict(part.split("=", 1) for part in match["props"].split(","))
    assert _unescape_property(props["file"]) == "dir,a/b:c%.md"
    assert props["line"] == "1" and props["col"] == "1"
    assert _unescape_property(props["title"]) == "broken-link (note 1,2)"
    assert _unescape_data(match["data"]) == (
        "50% gone\n::error::fake\nSuggestion: use https://x.org/a,b"
    )


def test_summary_counts_and_lists_findings() -> None:
    findings = tuple(
        Finding("missing-note", Severity.ERROR, "essay.txt", n, 1, str(n), f"No note {n}.")
        for n in range(1, 251)
    )
    summary = render_summary(Report((Document("essay.txt", "text", ""),), findings))
    assert summary.startswith("# citecheck report\n\n**failed**: 250 error, 0 warning, 0 info")
    assert "| `missing-note` | 250 | A marker points to no note. |" in summary
    assert "| 200:1 | error | `missing-note` | 200 | No note 200. |" in summary
    assert "No note 201." not in summary
    assert "… and 50 more findings not shown." in summary


def test_other_control_characters_are_written_out() -> None:
    assert escape_data("a\x1b[2Jb\x07\r\n") == "a\\x1b[2Jb\\x07%0D%0A"
    assert escape_property("note\x01") == "note\\x01"


def test_a_citation_finding_names_its_key() -> None:
    item = Finding("undefined-citation", Severity.ERROR, "p.tex", 2, 3, "smith", "Undefined.")
    assert "title=undefined-citation (key smith)::" in annotation(item)
