"""Politeness towards one host: concurrent requests, spacing, and pauses it asks for."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Mapping

from citecheck.options import HostPolicy, Options

SLOWED_INTERVAL = 1.0
"""Minimum spacing between requests to a host that answered 429, for the rest of the run."""


class HostGate:
    """Admits requests to one host: at most ``limit`` at once, ``interval`` seconds apart."""

    def __init__(self, limit: int, interval: float) -> None:
        self.limit = max(1, limit)
        self._slots = asyncio.Semaphore(self.limit)
        self.interval = interval
        self._next_start = 0.0
        self.slowed = False

    async def acquire(self) -> None:
        """Wait for a free slot and for this host's turn; pair with :meth:`release`."""
        await self._slots.acquire()
        if self.interval or self._next_start:
            try:
                await self._wait_turn()
            except BaseException:
                self._slots.release()
                raise

    def release(self) -> None:
        self._slots.release()

    async def _wait_turn(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self._next_start)
        self._next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        """No new request starts before ``seconds`` from now."""
        until = asyncio.get_running_loop().time() + seconds
        self._next_start = max(self._next_start, until)

    def slow_down(self) -> None:
        """The host said 429: space its requests out for the rest of the run."""
        self.slowed = True
        self.interval = max(self.interval, SLOWED_INTERVAL)


class HostGates:
    """One gate per host (host:port), built from the options and per-host policies."""

    def __init__(self, options: Options) -> None:
        self._options = options
        self._policies: Mapping[str, HostPolicy] = {h.lower(): p for h, p in options.hosts}
        self._gates: dict[str, HostGate] = {}

    def gate(self, key: str) -> HostGate:
        found = self._gates.get(key)
        if found is None:
            policy = self.policy(key.rsplit(":", 1)[0])
            limit = policy.max_concurrency if policy and policy.max_concurrency else None
            interval = policy.min_interval if policy and policy.min_interval is not None else None
            found = HostGate(
                limit or self._options.per_host,
                self._options.min_interval if interval is None else interval,
            )
            self._gates[key] = found
        return found

    def policy(self, host: str) -> HostPolicy | None:
        """The policy of ``host`` or of the nearest parent domain that has one."""
        labels = host.split(".")
        for i in range(len(labels)):
            policy = self._policies.get(".".join(labels[i:]))
            if policy is not None:
                return policy
        return None

    def max_limit(self) -> int:
        limits = [p.max_concurrency or 0 for p in self._policies.values()]
        return max([self._options.per_host, *limits])


def retry_after(value: str | None, cap: float) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or HTTP-date), capped at ``cap``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(0.0, when.timestamp() - time.time()), cap)


def rate_limit_pause(headers: Mapping[str, str], cap: float) -> float | None:
    """Seconds until an exhausted X-RateLimit window resets (epoch or delta), capped."""
    remaining = headers.get("x-ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset")
    if remaining is None or reset is None or remaining.strip() not in ("0", "0.0"):
        return None
    try:
        value = float(reset)
    except ValueError:
        return None
    seconds = value - time.time() if value > 1e9 else value
    return min(max(0.0, seconds), cap)
