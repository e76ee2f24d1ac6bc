"""What stops a run. Findings are data; these are failures.

    CitecheckError
     +-- InputError          unreadable, undecodable or unknown input (names file and place)
     +-- BibliographyError   a bibliography that cannot be read at all
     +-- ConfigError         a bad configuration file, key or value
     +-- ArchiveError        an archive directory that cannot be written or read
     +-- OutputError         a report or summary file that cannot be written

The CLI maps every one of them to a one-line message and exit code 2.
"""

from __future__ import annotations


class CitecheckError(Exception):
    """Base of every error citecheck raises on purpose."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or ""
        if path and line is not None:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class InputError(CitecheckError):
    """An input file that cannot be read, decoded or parsed."""


class BibliographyError(CitecheckError):
    """A bibliography file that cannot be read at all."""


class ConfigError(CitecheckError):
    """A configuration file, key or value that is wrong."""


class OutputError(CitecheckError):
    """A report or summary file that cannot be written."""


class ArchiveError(CitecheckError):
    """An archive directory that cannot be written or read."""
