"""Files replaced whole: a report, baseline or manifest is never seen half-written."""

from __future__ import annotations

import os


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then rename it
    over ``path``. A run killed at any point leaves the old file or the new one, never a
    mixture; the file gets the usual permissions (those of ``open``, after the umask)."""
    target = os.fspath(path)
    temporary = f"{target}.tmp-{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
