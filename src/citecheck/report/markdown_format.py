"""A Markdown report: a summary by severity and rule, then every finding by file."""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby

from citecheck.model import Finding, Report, Severity
from citecheck.report.printable import visible
from citecheck.validate.rules import RULES

SUMMARY_LIMIT = 200
"""At most this many findings in a step summary; the rest are counted."""
_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def escape(text: str) -> str:
    """``text`` as literal Markdown inline text, safe inside a table cell, on one line, with
    control characters written out (``\\x1b``)."""
    text = visible(" ".join(text.split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def render(report: Report) -> str:
    """Every finding, grouped by file."""
    return summary_markdown(report, limit=None)


def summary_markdown(report: Report, limit: int | None = SUMMARY_LIMIT) -> str:
    """The report in Markdown, listing at most ``limit`` findings (None: all)."""
    parts = ["# citecheck report", _verdict(report)]
    if report.findings:
        parts += [_severity_table(report), _rule_table(report.findings)]
    shown = report.findings if limit is None else report.findings[:limit]
    for path, items in groupby(sorted(shown, key=_place), key=lambda item: item.path):
        parts.append(f"## {escape(path)}\n\n{_findings_table(list(items))}")
    if len(shown) < len(report.findings):
        parts.append(f"… and {len(report.findings) - len(shown)} more findings not shown.")
    if report.notices:
        parts.append("## Notices\n\n" + "\n".join(f"- {escape(n)}" for n in report.notices))
    return "\n\n".join(parts) + "\n"


def _place(item: Finding) -> tuple[str, int, int]:
    return item.path, item.line, item.column


def _verdict(report: Report) -> str:
    counts = report.summary()
    files = len({document.path for document in report.documents})
    tally = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)
    threshold = report.fail_on.value if report.fail_on else "never"
    outcome = "**failed**" if report.failed else "passed"
    noun = "file" if files == 1 else "files"
    return f"{outcome}: {tally} in {files} {noun} (fail on: {threshold})"


def _severity_table(report: Report) -> str:
    counts = report.summary()
    rows = [f"| {s.value} | {counts[s.value]} |" for s in Severity]
    return "\n".join(["| Severity | Findings |", "| --- | ---: |", *rows])


def _rule_table(findings: tuple[Finding, ...]) -> str:
    counts = Counter(item.rule for item in findings)
    rows = []
    for rule, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        summary = RULES[rule].summary if rule in RULES else ""
        rows.append(f"| `{rule}` | {count} | {escape(summary)} |")
    return "\n".join(["| Rule | Findings | What it means |", "| --- | ---: | --- |", *rows])


def _findings_table(items: list[Finding]) -> str:
    header = ["| Line | Severity | Rule | Note | Message |", "| ---: | --- | --- | --- | --- |"]
    return "\n".join([*header, *(_finding_row(item) for item in items)])


def _finding_row(item: Finding) -> str:
    message = escape(item.message)
    if item.suggestion:
        message += f" — suggestion: {escape(item.suggestion)}"
    label = escape(item.label) if item.label else ""
    return f"| {escape(item.place)} | {item.severity.value} | `{item.rule}` | {label} | {message} |"
