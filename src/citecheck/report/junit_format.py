"""JUnit XML, as CI servers display test results.

One testsuite per document (with the files it reads in); one testcase per note ("note 3") and
per link (its URL).
A finding at or above ``fail_on`` is a failure of the testcase it concerns: the link it
names, else the note it names, else a testcase for its rule. A testcase has at most one
``<failure>`` (CI servers show only the first): its message sums up, its text lists every
finding. Findings below the threshold are listed in the testcase's system-out.
Characters XML does not allow (control characters from a document) are written out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from citecheck.model import Document, Finding, LinkCheck, Report
from citecheck.report.by_document import group
from citecheck.report.printable import xml_legal


@dataclass
class _Case:
    name: str
    failures: list[Finding] = field(default_factory=list)
    output: list[str] = field(default_factory=list)


def render(report: Report) -> str:
    """The report as a JUnit ``<testsuites>`` document."""
    checks = {check.url: check for check in report.link_checks}
    grouped = group(report)
    suites = [_suite(report, document, found, checks) for document, found in grouped.by_document]
    if grouped.others:
        others = _cases_for(report, grouped.others, {}, checks)
        suites.append(_suite_element("citecheck", others))
    root = ET.Element("testsuites", name="citecheck")
    root.extend(suites)
    _count(root, suites)
    _make_legal(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(
    report: Report,
    document: Document,
    findings: Sequence[Finding],
    checks: dict[str, LinkCheck],
) -> ET.Element:
    cases: dict[str, _Case] = {}
    for note in document.notes:
        cases.setdefault(f"note {note.label}", _Case(f"note {note.label}"))
    for url in _urls(document):
        cases.setdefault(url, _Case(url))
    return _suite_element(document.path, _cases_for(report, findings, cases, checks))


def _urls(document: Document) -> list[str]:
    links = [*(link for note in document.notes for link in note.links), *document.body_links]
    return list(dict.fromkeys(link.url for link in links))


def _cases_for(
    report: Report,
    findings: Sequence[Finding],
    cases: dict[str, _Case],
    checks: dict[str, LinkCheck],
) -> list[_Case]:
    for item in findings:
        case = cases.setdefault(_case_name(item, cases), _Case(_case_name(item, cases)))
        if report.fail_on is not None and item.severity.at_least(report.fail_on):
            case.failures.append(item)
        else:
            case.output.append(_line(item))
    for url, check in checks.items():
        if url in cases:
            cases[url].output.insert(0, _check_line(check))
    return list(cases.values())


def _case_name(item: Finding, cases: dict[str, _Case]) -> str:
    if item.url and item.url in cases:
        return item.url
    if item.label is not None and f"note {item.label}" in cases:
        return f"note {item.label}"
    return item.rule


def _line(item: Finding) -> str:
    return f"{item.path}:{item.place}: {item.severity.value} [{item.rule}] {item.message}"


def _check_line(check: LinkCheck) -> str:
    status = check.status.value + (f" (HTTP {check.http_status})" if check.http_status else "")
    return f"link status: {status}" + (f" -> {check.final_url}" if check.final_url else "")


def _suite_element(name: str, cases: list[_Case]) -> ET.Element:
    suite = ET.Element("testsuite", name=name)
    for case in cases:
        suite.append(_case_element(name, case))
    return suite


def _case_element(suite: str, case: _Case) -> ET.Element:
    element = ET.Element("testcase", classname=suite, name=case.name, time="0")
    if case.failures:
        element.append(_failure(case.failures))
    if case.output:
        ET.SubElement(element, "system-out").text = "\n".join(case.output)
    return element


def _failure(items: Sequence[Finding]) -> ET.Element:
    """One ``<failure>`` for all of a testcase's findings."""
    rules = ", ".join(dict.fromkeys(item.rule for item in items))
    message = items[0].message if len(items) == 1 else f"{len(items)} findings: {rules}"
    failure = ET.Element("failure", message=message, type=rules)
    failure.text = "\n".join(_failure_lines(item) for item in items)
    return failure


def _failure_lines(item: Finding) -> str:
    return _line(item) + (f"\n  suggestion: {item.suggestion}" if item.suggestion else "")


def _make_legal(root: ET.Element) -> None:
    for element in root.iter():
        element.attrib = {key: xml_legal(value) for key, value in element.attrib.items()}
        if element.text:
            element.text = xml_legal(element.text)


def _count(root: ET.Element, suites: list[ET.Element]) -> None:
    totals: defaultdict[str, int] = defaultdict(int)
    for suite in suites:
        cases = suite.findall("testcase")
        figures = {
            "tests": len(cases),
            "failures": sum(1 for case in cases if case.find("failure") is not None),
            "errors": 0,
            "skipped": 0,
        }
        for key, value in figures.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    root.set("time", "0")
