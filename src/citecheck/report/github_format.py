"""GitHub Actions workflow commands (annotations) and a step summary in Markdown.

``render`` prints one ``::error``/``::warning``/``::notice`` line per finding, escaped
as the runner decodes them; ``render_summary`` is meant for ``$GITHUB_STEP_SUMMARY``.
Other control characters from a document are written out (``\\x1b``): the log would act
on them.
"""

from __future__ import annotations

from citecheck.model import Finding, Report, Severity
from citecheck.report.markdown_format import summary_markdown
from citecheck.report.printable import visible
from citecheck.validate.rules import label_text

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message, escaped as the runner unescapes it; other control characters
    written out."""
    text = visible(text, newlines=True)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property's value (file, title ...): data escaping plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Finding) -> str:
    """One workflow command for ``item``."""
    title = f"{item.rule} ({label_text(item.rule, item.label)})" if item.label else item.rule
    properties = {
        "file": item.path.replace("\\", "/"),
        "line": str(max(1, item.line)),
        "col": str(max(1, item.column)),
        "title": title,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = f"{item.location}: {item.message}" if item.location else item.message
    if item.suggestion:
        message += f"\nSuggestion: {item.suggestion}"
    return f"::{COMMANDS[item.severity]} {joined}::{escape_data(message)}"


def render(report: Report) -> str:
    """One annotation per finding, then the run's notices."""
    lines = [annotation(item) for item in report.findings]
    lines.extend(f"::notice::{escape_data(notice)}" for notice in report.notices)
    return "".join(f"{line}\n" for line in lines)


def render_summary(report: Report) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``."""
    return summary_markdown(report)
