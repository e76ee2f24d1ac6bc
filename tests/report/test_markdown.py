"""The Markdown report."""

from __future__ import annotations

from citecheck.model import Document, Finding, Report, Severity
from citecheck.report import render
from citecheck.report.markdown_format import escape


def _report() -> Report:
    documents = (Document("b.md", "markdown", ""), Document("a.txt", "text", ""))
    findings = (
        Finding("unused-note", Severity.WARNING, "b.md", 9, 1, "3", "Note 3 is unused."),
        Finding(
            "missing-note",
            Severity.ERROR,
            "a.txt",
            21,
            5,
            "6",
            "Marker 6 | <b>*x*</b>",
            suggestion="5",
        ),
        Finding("unused-note", Severity.WARNING, "a.txt", 2, 1, "1", "Note 1 is unused."),
        Finding(
            "metadata-mismatch",
            Severity.ERROR,
            "a.docx",
            0,
            0,
            "2",
            "Year.",
            location="footnotes, note 2",
        ),
    )
    return Report(documents, findings)


def test_findings_are_grouped_by_file_in_line_order() -> None:
    text = render(_report(), "markdown")
    assert text.index("## a.docx") < text.index("## a.txt") < text.index("## b.md")
    section = text.split("## a.txt", 1)[1].split("## b.md", 1)[0]
    assert section.index("Note 1 is unused.") < section.index("Marker 6")
    assert "| footnotes, note 2 | error | `metadata-mismatch` | 2 | Year. |" in text


def test_all_findings_are_listed_with_summary() -> None:
    text = render(_report(), "markdown")
    assert "**failed**: 2 error, 2 warning, 0 info in 2 files (fail on: error)" in text
    assert "| error | 2 |" in text
    assert "| `unused-note` | 2 | A note that no marker references. |" in text
    assert text.count("`unused-note`") == 3


def test_cell_text_is_escaped() -> None:
    text = render(_report(), "markdown")
    assert r"Marker 6 \| &lt;b&gt;\*x\*&lt;/b&gt; — suggestion: 5" in text
    assert escape("a_b [c](d)\nnext") == r"a\_b \[c\](d) next"


def test_a_clean_report_says_so() -> None:
    text = render(Report((Document("a.txt", "text", ""),), (), fail_on=None), "markdown")
    assert (
        text
        == "# citecheck report\n\npassed: 0 error, 0 warning, 0 info in 1 file (fail on: never)\n"
    )
