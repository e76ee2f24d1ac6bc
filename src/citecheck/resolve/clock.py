"""The time stamps link checks carry."""

from __future__ import annotations

import time
from datetime import UTC, datetime

_stamp: tuple[int, str] = (0, "")


def now() -> str:
    """The current UTC time to the second, as checked_at (formatted once per second)."""
    global _stamp
    second = int(time.time())
    if _stamp[0] != second:
        _stamp = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _stamp[1]
