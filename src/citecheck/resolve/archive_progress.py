"""A progress bar for archive runs on a terminal: captures done/planned, MB fetched, rate."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import Progress, TaskID

from citecheck.resolve.progress import terminal_bar


class ArchiveProgress:
    """Pass ``update`` as ``progress`` to archive_documents; draws only when ``console`` is a
    terminal (stderr by default) and not ``quiet``. Use as a context manager: the bar is
    cleared when the run ends."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        console = console if console is not None else Console(stderr=True)
        self.enabled = not quiet and console.is_terminal
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if self.enabled:
            self._bar = terminal_bar(
                "archive",
                "{task.fields[megabytes]:.1f} MB",
                "{task.fields[rate]:.1f} MB/s",
                console=console,
            )

    def update(self, done: int, planned: int, nbytes: int) -> None:
        """The archive's progress callback: captures done, captures planned, bytes fetched."""
        if self._bar is None or self._task is None:
            return
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = nbytes / elapsed / 1e6 if elapsed > 0 else 0.0
        self._bar.update(
            self._task, completed=done, total=planned, megabytes=nbytes / 1e6, rate=rate
        )

    def __enter__(self) -> ArchiveProgress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("archive", total=None, megabytes=0.0, rate=0.0)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
