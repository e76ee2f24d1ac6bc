"""Text for people: grouped by file, ``path:line:col: severity rule: message``.

What comes from a document is shown with its control characters written out, so that it
cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.text import Text

from citecheck.model import Finding, Report, Severity
from citecheck.report.printable import visible
from citecheck.words import counted

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, color: bool = False) -> str:
    """The report as lines of text; ANSI colour only when ``color``."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=10_000,
        highlight=False,
        soft_wrap=True,
    )
    for path, items in groupby(report.findings, key=lambda f: f.path):
        console.print(Text(visible(path), style="bold underline"))
        for item in items:
            console.print(_line(item))
    for notice in report.notices:
        console.print(Text(f"note: {visible(notice)}", style="dim"))
    console.print(_summary(report))
    return buffer.getvalue()


def _line(item: Finding) -> Text:
    line = Text(visible(f"{item.path}:{item.place}: "))
    line.append(f"{item.severity.value} {item.rule}", style=_STYLES[item.severity])
    line.append(f": {visible(item.message)}")
    if item.suggestion:
        line.append(f"\n    fix: {visible(item.suggestion)}", style="green")
    return line


def _summary(report: Report) -> Text:
    counts = report.summary()
    documents = len(report.documents)
    notes = sum(len(d.notes) for d in report.documents)
    markers = sum(len(d.markers) for d in report.documents)
    text = Text(
        f"{counted(documents, 'document')}, {counted(markers, 'marker')}, "
        f"{counted(notes, 'note')}: "
    )
    parts = [counted(counts[s.value], s.value) for s in Severity]
    text.append(", ".join(parts), style="bold" if report.failed else "")
    return text
