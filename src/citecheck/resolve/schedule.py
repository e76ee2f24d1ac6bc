"""Handing URLs to a bounded set of workers, host by host, so a busy host cannot starve others.

Each host has its own queue and takes at most its limit of workers at once; hosts with a
waiting URL and a free slot take turns. A run of 10,000 URLs thus holds a few hundred
coroutines, not 10,000, and the workers spread over all hosts instead of queueing behind
the first host's slots.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class HostQueues(Generic[Item]):
    """Items waiting per host; ``limit(host)`` is how many may be worked on at once."""

    def __init__(self, limit: Callable[[str], int]) -> None:
        self._limit = limit
        self._limits: dict[str, int] = {}
        self._queues: dict[str, deque[Item]] = {}
        self._active: dict[str, int] = {}
        self._ready: deque[str] = deque()
        """Hosts with a waiting item and a free slot, each at most once, in turn order."""
        self._waiters: deque[asyncio.Future[None]] = deque()
        self.waiting = 0
        """Items not yet taken."""

    def put(self, host: str, item: Item) -> None:
        queue = self._queues.get(host)
        if queue is None:
            queue = self._queues[host] = deque()
            self._active[host] = 0
            self._limits[host] = max(1, self._limit(host))
        if not queue and self._active[host] < self._limits[host]:
            self._ready.append(host)
        queue.append(item)
        self.waiting += 1

    async def take(self) -> tuple[str, Item] | None:
        """The next item of the next host with a free slot; None once every item is taken."""
        while not self._ready:
            if not self.waiting:
                return None
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter
        host = self._ready.popleft()
        queue = self._queues[host]
        item = queue.popleft()
        self.waiting -= 1
        self._active[host] += 1
        if queue and self._active[host] < self._limits[host]:
            self._ready.append(host)
            self._wake_one()
        if not self.waiting:
            self._wake_all()  # idle workers may stop now
        return host, item

    def done(self, host: str) -> None:
        """The item taken for ``host`` is finished: its slot is free again."""
        self._active[host] -= 1
        queue = self._queues[host]
        if queue and self._active[host] == self._limits[host] - 1:
            self._ready.append(host)
            self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _wake_all(self) -> None:
        while self._waiters:
            self._wake_one()


async def drain(
    items: Iterable[tuple[str, Item]],
    limit: Callable[[str], int],
    workers: int,
    work: Callable[[Item], Awaitable[None]],
) -> None:
    """Run ``work`` on every (host, item), at most ``workers`` at once and ``limit(host)``
    per host."""
    queues: HostQueues[Item] = HostQueues(limit)
    for host, item in items:
        queues.put(host, item)

    async def worker() -> None:
        while (taken := await queues.take()) is not None:
            host, item = taken
            try:
                await work(item)
            finally:
                queues.done(host)

    count = max(1, min(workers, queues.waiting))
    await asyncio.gather(*(worker() for _ in range(count)))
