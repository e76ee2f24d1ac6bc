"""Handing URLs to workers host by host: limits, turns, and a slow host starving nobody."""

from __future__ import annotations

import asyncio
from collections import Counter

from citecheck.resolve.schedule import drain


def test_limits_per_host_and_overall() -> None:
    active: Counter[str] = Counter()
    peaks: Counter[str] = Counter()
    overall = [0, 0]

    async def work(item: tuple[str, int]) -> None:
        host = item[0]
        active[host] += 1
        overall[0] += 1
        peaks[host] = max(peaks[host], active[host])
        overall[1] = max(overall[1], overall[0])
        await asyncio.sleep(0.001)
        active[host] -= 1
        overall[0] -= 1

    items = [(f"h{i % 5}", (f"h{i % 5}", i)) for i in range(200)]
    asyncio.run(drain(items, lambda host: 3 if host == "h0" else 2, 8, work))
    assert peaks["h0"] == 3 and all(peaks[f"h{i}"] == 2 for i in range(1, 5))
    assert overall[1] == 8


def test_a_slow_host_does_not_hold_back_the_others() -> None:
    finished: list[str] = []

    async def work(host: str) -> None:
        await asyncio.sleep(0.2 if host == "slow" else 0.001)
        finished.append(host)

    items = [("slow", "slow")] * 20 + [("fast", "fast")] * 20
    asyncio.run(drain(items, lambda host: 2, 10, work))
    assert finished[:20] == ["fast"] * 20, "the fast host's URLs do not queue behind the slow one"


def test_every_item_once_and_empty_input() -> None:
    done: list[int] = []

    async def work(item: int) -> None:
        done.append(item)

    asyncio.run(drain([(str(i % 3), i) for i in range(50)], lambda host: 1, 4, work))
    assert sorted(done) == list(range(50))
    asyncio.run(drain([], lambda host: 1, 4, work))
