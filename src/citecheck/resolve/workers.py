"""Sharing a large link run between processes, host by host, so that it uses every core.

One process checks about 1,200 links a second on this kind of machine: past that, a run is
bound by the CPU that each request costs in Python, not by the network. A large run is
therefore cut into shares of whole hosts (so each host's limits and pauses stay with one
process), one share is checked in this process and each other share in a child process
started for it. Children send their results back in batches as they go, so the progress
bar moves for every share; a child that dies leaves its unreported URLs to this process.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from citecheck.model import LinkCheck
from citecheck.options import Options
from citecheck.resolve.collector import lean_collector
from citecheck.resolve.schedule import drain

if TYPE_CHECKING:  # the HTTP stack; a parent starts its children before importing it
    from citecheck.resolve.fetch import Fetcher

AUTO_THRESHOLD = 1000
"""URLs to fetch from which a run is shared out automatically (below it, start-up costs more
than a second process saves)."""
BATCH_SECONDS = 0.1
"""How often a child sends what it has checked."""
HEAD_START = 450
"""URLs more for this process's share than for a child's: a child spends about 0.45 s starting
(importing the HTTP stack) before its first request, and each process checks about 1,000
links a second, so moving half of that to this process makes both finish together."""

Pair = tuple[str, str]
"""(URL as cited, URL to request after remapping)."""
Record = Callable[[str, LinkCheck], None]


@dataclass
class Counters:
    """What tells a dead network from dead links: answers and host look-ups."""

    responses: int = 0
    lookups_ok: int = 0
    lookups_failed: int = 0

    def add(self, other: Counters) -> None:
        self.responses += other.responses
        self.lookups_ok += other.lookups_ok
        self.lookups_failed += other.lookups_failed


def counters_of(fetcher: Fetcher) -> Counters:
    policy = fetcher.policy
    return Counters(fetcher.responses, policy.lookups_ok, policy.lookups_failed)


def worker_count(requested: int | None, urls: int, hosts: int) -> int:
    """Processes for a run: as requested, else every usable core for a large run."""
    if requested is not None:
        return max(1, min(requested, hosts))
    if urls < AUTO_THRESHOLD:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), hosts))


def shares(
    pairs: Iterable[tuple[str, Pair]], count: int, head_start: int = 0
) -> list[list[tuple[str, Pair]]]:
    """(host, pair) items cut into ``count`` shares of whole hosts, about equal in URLs.

    The first share gets about ``head_start`` URLs more than the others: it is checked in
    this process, which need not start up.
    """
    by_host: dict[str, list[tuple[str, Pair]]] = {}
    for host, pair in pairs:
        by_host.setdefault(host, []).append((host, pair))
    result: list[list[tuple[str, Pair]]] = [[] for _ in range(count)]
    loads = [-head_start if count > 1 else 0] + [0] * (count - 1)
    for items in sorted(by_host.values(), key=len, reverse=True):
        lightest = min(range(count), key=loads.__getitem__)
        result[lightest].extend(items)
        loads[lightest] += len(items)
    return [share for share in result if share]


async def check_share(
    fetcher: Fetcher, share: Sequence[tuple[str, Pair]], workers: int, record: Record
) -> None:
    """Check one share in this process with ``fetcher``."""

    async def one(pair: Pair) -> None:
        cited, requested = pair
        check = await fetcher.check(requested)
        record(cited, check if check.url == cited else replace(check, url=cited))

    await drain(share, fetcher.host_limit, workers, one)


class Children:
    """Child processes checking the other shares; ``async with`` starts and collects them.

    Each child is ``python -m citecheck.resolve.workers``: its share arrives pickled on its
    standard input, and length-prefixed pickled batches of results leave on its standard
    output. (A plain subprocess, not multiprocessing: nothing re-imports the caller's main
    module, which a script without a ``__main__`` guard would not survive.)
    """

    def __init__(
        self,
        others: Sequence[Sequence[tuple[str, Pair]]],
        options: Options,
        allowed: Collection[str],
        record: Record,
    ) -> None:
        self.counters = Counters()
        self.unreported: list[tuple[str, Pair]] = []
        """Items of children that died before reporting them."""
        self._record = record
        self._others = others
        self._options = options
        self._allowed = tuple(allowed)
        self._processes: list[asyncio.subprocess.Process] = []
        self._readers: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Children:
        for share in self._others:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                __name__,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=_child_environment(),
            )
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(pickle.dumps((list(share), self._options, self._allowed)))
            process.stdin.close()
            self._processes.append(process)
            pending = {pair[0]: (host, pair) for host, pair in share}
            self._readers.append(asyncio.create_task(self._read(process.stdout, pending)))
        return self

    async def _read(
        self, stream: asyncio.StreamReader, pending: dict[str, tuple[str, Pair]]
    ) -> None:
        try:
            while True:
                size = int.from_bytes(await stream.readexactly(4), "big")
                kind, payload = pickle.loads(await stream.readexactly(size))
                if kind == "counters":
                    self.counters.add(Counters(*payload))
                    continue
                for check in payload:
                    if pending.pop(check.url, None) is not None:
                        self._record(check.url, check)
        except (asyncio.IncompleteReadError, pickle.UnpicklingError, AttributeError, ValueError):
            self.unreported.extend(pending.values())

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                await asyncio.gather(*self._readers)
        finally:
            for process in self._processes:
                if process.returncode is None and error is not None:
                    process.kill()
                await process.wait()
            for reader in self._readers:
                reader.cancel()


def _child_environment() -> dict[str, str]:
    """This environment, with citecheck's own folder first on the path (a source tree)."""
    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, path]))}


def _send(stream: BinaryIO, kind: str, payload: object) -> None:
    data = pickle.dumps((kind, payload))
    stream.write(len(data).to_bytes(4, "big") + data)
    stream.flush()


def run_child() -> None:
    """A child process: read a share, check it, send results in batches, then the counters."""
    share, options, allowed = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the results channel
    batch: list[LinkCheck] = []
    sent = time.monotonic()

    def record(cited: str, check: LinkCheck) -> None:
        nonlocal sent
        batch.append(check)
        if time.monotonic() - sent >= BATCH_SECONDS:
            _send(out, "checks", batch)
            batch.clear()
            sent = time.monotonic()

    async def run() -> Counters:
        from citecheck.resolve.fetch import Fetcher

        async with Fetcher(options, "aiohttp", allowed) as fetcher:
            await check_share(fetcher, share, options.concurrency, record)
        return counters_of(fetcher)

    try:
        with lean_collector():
            counters = asyncio.run(run())
    except KeyboardInterrupt:
        return
    _send(out, "checks", batch)
    _send(out, "counters", (counters.responses, counters.lookups_ok, counters.lookups_failed))


def child_options(options: Options, count: int) -> Options:
    """Each of ``count`` processes gets its part of the global concurrency limit."""
    return replace(options, concurrency=max(1, options.concurrency // count))


if __name__ == "__main__":
    run_child()
