"""JUnit XML output, read back with junitparser."""

from __future__ import annotations

from pathlib import Path

from junitparser import Failure, JUnitXml, TestCase, TestSuite

from citecheck.model import (
    Document,
    Finding,
    Link,
    LinkCheck,
    LinkStatus,
    Marker,
    Note,
    Report,
    Severity,
)
from citecheck.report import render

URL = "https://theins.ru/opinions/sergei-erofeev/247593"
GONE = "https://example.org/gone"


def _report(fail_on: Severity | None = Severity.ERROR) -> Report:
    notes = (
        Note("1", 26, 1, "Interview", links=(Link(GONE, 26, 12, GONE),)),
        Note("4", 32, 1, "Erofeev", links=(Link(URL, 32, 40, URL),)),
        Note("5", 34, 1, "Gel'man"),
        Note("5", 36, 1, "Ahmadov"),
    )
    essay = Document("essay.txt", "text", "", markers=(Marker("6", 21, 297),), notes=notes)
    other = Document("clean.md", "markdown", "", notes=(Note("1", 3, 1, "Fine."),))
    findings = (
        Finding("broken-link", Severity.ERROR, "essay.txt", 26, 12, "1", "HTTP 404.", url=GONE),
        Finding("duplicate-note", Severity.ERROR, "essay.txt", 36, 1, "5", "Note 5 repeats."),
        Finding("missing-note", Severity.ERROR, "essay.txt", 21, 297, "6", "No note 6."),
        Finding("unattributed-quote", Severity.WARNING, "essay.txt", 21, 100, None, "Quote."),
        Finding("redirected-link", Severity.INFO, "essay.txt", 32, 40, "4", "Moved.", url=URL),
    )
    checks = (
        LinkCheck(URL, LinkStatus.REDIRECTED, 301, final_url=URL + "/"),
        LinkCheck(GONE, LinkStatus.BROKEN, 404),
    )
    return Report((essay, other), findings, checks, fail_on=fail_on)


def _read(tmp_path: Path, report: Report) -> JUnitXml:
    path = tmp_path / "citecheck.xml"
    path.write_text(render(report, "junit"), encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def _cases(suite: TestSuite) -> dict[str, TestCase]:
    return {case.name: case for case in suite}


def test_one_suite_per_document_and_a_case_per_note_and_link(tmp_path: Path) -> None:
    xml = _read(tmp_path, _report())
    suites = list(xml)
    assert [suite.name for suite in suites] == ["essay.txt", "clean.md"]
    essay = _cases(suites[0])
    assert {"note 1", "note 4", "note 5", GONE, URL} <= set(essay)
    assert list(_cases(suites[1])) == ["note 1"]
    assert suites[1].tests == 1 and suites[1].failures == 0


def test_failures_attach_to_the_case_they_concern(tmp_path: Path) -> None:
    essay = _cases(next(iter(_read(tmp_path, _report()))))
    link_failures = essay[GONE].result
    assert len(link_failures) == 1 and isinstance(link_failures[0], Failure)
    assert link_failures[0].type == "broken-link"
    assert link_failures[0].message == "HTTP 404."
    assert essay["note 5"].result[0].type == "duplicate-note"
    assert essay["missing-note"].result[0].message == "No note 6."
    assert essay["note 1"].is_passed and essay[URL].is_passed
    assert "unattributed-quote" in essay and essay["unattributed-quote"].is_passed
    assert "Quote." in (essay["unattributed-quote"].system_out or "")
    assert "redirected (HTTP 301)" in (essay[URL].system_out or "")


def test_counts_follow_fail_on(tmp_path: Path) -> None:
    strict = _read(tmp_path, _report(Severity.INFO))
    essay = next(iter(strict))
    assert essay.failures == 5
    assert essay.tests == len(_cases(essay))
    assert strict.failures == 5
    never = _read(tmp_path, _report(None))
    assert never.failures == 0
    assert all(case.is_passed for suite in never for case in suite)


def test_findings_in_files_without_a_document_get_their_own_suite(tmp_path: Path) -> None:
    orphan = Finding("bib-syntax-error", Severity.ERROR, "refs.bib", 3, 1, None, "Brace.")
    xml = _read(tmp_path, Report((), (orphan,)))
    suite = next(iter(xml))
    assert suite.name == "citecheck"
    assert _cases(suite)["bib-syntax-error"].result[0].type == "bib-syntax-error"


def test_findings_in_an_included_file_stand_in_the_including_documents_suite(
    tmp_path: Path,
) -> None:
    chapter = "ch/two.tex"
    note = Note("2", 3, 1, "", path=chapter)
    main = Document("main.tex", "latex", "", notes=(note,), included_paths=(chapter,))
    empty = Finding("empty-note", Severity.ERROR, chapter, 3, 1, "2", "note [2] is empty")
    (suite,) = _read(tmp_path, Report((main,), (empty,)))
    assert suite.name == "main.tex"
    (failure,) = _cases(suite)["note 2"].result
    assert isinstance(failure, Failure) and f"{chapter}:3:1:" in (failure.text or "")


def test_several_findings_of_a_case_make_one_failure_that_lists_them(tmp_path: Path) -> None:
    note = Note("3", 40, 1, "Smith, Archives (2019).")
    essay = Document("essay.txt", "text", "", notes=(note,))
    findings = (
        Finding("duplicate-note", Severity.ERROR, "essay.txt", 40, 1, "3", "Note 3 repeats."),
        Finding(
            "metadata-mismatch",
            Severity.ERROR,
            "essay.txt",
            40,
            1,
            "3",
            "Year 2019, not 2018.",
            suggestion="write 2018",
        ),
        Finding("metadata-mismatch", Severity.ERROR, "essay.txt", 40, 1, "3", "Pages 1-2."),
        Finding("unused-note", Severity.WARNING, "essay.txt", 40, 1, "3", "Unused."),
    )
    (suite,) = _read(tmp_path, Report((essay,), findings))
    case = _cases(suite)["note 3"]
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.message == "3 findings: duplicate-note, metadata-mismatch"
    assert failure.type == "duplicate-note, metadata-mismatch"
    assert (failure.text or "").splitlines() == [
        "essay.txt:40:1: error [duplicate-note] Note 3 repeats.",
        "essay.txt:40:1: error [metadata-mismatch] Year 2019, not 2018.",
        "  suggestion: write 2018",
        "essay.txt:40:1: error [metadata-mismatch] Pages 1-2.",
    ]
    assert "[unused-note] Unused." in (case.system_out or "")
    assert suite.failures == 1 and suite.tests == 1
