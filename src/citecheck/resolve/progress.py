"""A progress bar for link runs on a terminal: done/total, rate, failures."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from citecheck.model import LinkCheck

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

# rich is imported only when a bar is drawn: a run in CI or with --quiet starts without it.

REDRAW = 0.1
"""Seconds between bar updates; rich redraws ten times a second anyway."""


def terminal_bar(label: str, *fields: str, console: Console) -> Progress:
    """A transient bar: label, bar, done/total, the given field columns, time elapsed."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        *(TextColumn(field) for field in fields),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class LinkProgress:
    """Pass as ``progress`` to check_links; draws only when ``stream`` is a terminal.

    Use as a context manager so the bar is cleared when the run ends.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        stream = stream if stream is not None else sys.stdout
        self.enabled = not quiet and stream.isatty()
        self.done = 0
        self.failures = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._shown = 0
        self._last = 0.0
        if self.enabled:
            from rich.console import Console

            self._bar = terminal_bar(
                "links",
                "{task.fields[rate]:.0f}/s",
                "[red]{task.fields[failures]} failing",
                console=Console(file=stream),
            )

    def start(self, total: int) -> None:
        """Called by the engine once it knows how many URLs it will check."""
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("links", total=total, rate=0.0, failures=0)

    def __call__(self, check: LinkCheck) -> None:
        self.done += 1
        self.failures += check.status.is_error
        if self._bar is not None and time.monotonic() - self._last >= REDRAW:
            self._draw()

    def _draw(self) -> None:
        if self._bar is None or self._task is None:
            return
        self._last = time.monotonic()
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        advance, self._shown = self.done - self._shown, self.done
        self._bar.update(self._task, advance=advance, rate=rate, failures=self.failures)

    def __enter__(self) -> LinkProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._draw()
            self._bar.stop()
