"""Sharing a large link run between processes, host by host, so that it uses every core.

One process checks about 1,200 links a second on this kind of machine: past that, a run is
bound by the CPU that each request costs in Python, not by the network. A large run is
therefore cut into shares of whole hosts (so each host's limits and pauses stay with one
process), one share is checked in this process and each other share in a child process.
Children send their results back in batches as they go, so the progress bar moves for every
share; a child that dies leaves its unreported URLs to this process. When the documents
promise a large run, the children are started before they are read (:class:`Standby`), so
they have loaded the HTTP stack by the time the URLs are known.
"""

from __future__ import annotations

import asyncio
import functools
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, BinaryIO

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
CHILD_START = 0.45
"""Seconds from starting a child to its first request (an interpreter, citecheck, the HTTP
stack), measured on a 2-core machine while this process was busy too."""
OWN_IMPORT = 0.3
"""Seconds this process spends importing the HTTP stack before its first request."""
RATE = 1200
"""URLs a process checks a second on that machine: turns a head start in time into URLs."""
HINT_CHUNK = 1 << 20
"""Bytes read at a time when guessing, before parsing, how many URLs a file holds."""

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


def head_start(child_started: float | None = None) -> int:
    """URLs more for this process's share than for a child's, so that both finish together:
    how much sooner this process sends its first request, in URLs (negative when the child
    is ready first). ``child_started``: when the child was started (``time.monotonic()``);
    None for a child started now."""
    now = time.monotonic()
    child_ready = max(now, (now if child_started is None else child_started) + CHILD_START)
    own_ready = now + (0.0 if "citecheck.resolve.fetch" in sys.modules else OWN_IMPORT)
    return round((child_ready - own_ready) * RATE)


def shares(
    pairs: Iterable[tuple[str, Pair]], count: int, head_start: int = 0
) -> list[list[tuple[str, Pair]]]:
    """(host, pair) items cut into ``count`` shares of whole hosts, about equal in URLs.

    The first share, checked in this process, gets about ``head_start`` URLs more than the
    others (:func:`head_start`: fewer when the children are ready first).
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


class Standby:
    """Children started before the documents are read, for a run that promises to be shared.

    Each loads citecheck and the HTTP stack, then waits for its share on its standard input;
    :class:`Children` hands them their shares. Leaving the ``with`` block ends the ones that
    got none: their input closes and they exit (killed instead when an error is leaving).
    """

    def __init__(self, count: int = 0) -> None:
        self.started = time.monotonic()
        self._processes = [_spawn() for _ in range(count)]

    @property
    def since(self) -> float | None:
        """When the waiting children were started; None when none waits."""
        return self.started if self._processes else None

    def take(self) -> subprocess.Popen[bytes] | None:
        return self._processes.pop() if self._processes else None

    def __enter__(self) -> Standby:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for process in self._processes:
            if error is None:
                assert process.stdin is not None
                process.stdin.close()  # no share: the child reads the end of its input
            else:
                process.kill()
        for process in self._processes:
            with process:  # closes its pipes and waits for it
                pass
        self._processes.clear()


def standby_for(files: Iterable[str], options: Options) -> Standby:
    """Children to start now for a check of ``files`` that will likely be shared: links are
    fetched, more than one process is allowed, and the files hold at least
    :data:`AUTO_THRESHOLD` ``://`` (a guess read before parsing; a child nobody needs
    exits when the run does)."""
    if not options.check_links or options.offline or options.workers == 1:
        return Standby()
    count = (options.workers or len(os.sched_getaffinity(0))) - 1
    return Standby(count if count > 0 and _many_urls(files) else 0)


def _many_urls(files: Iterable[str]) -> bool:
    """Do ``files`` hold at least :data:`AUTO_THRESHOLD` ``://``, read a chunk at a time?"""
    seen = 0
    for file in files:
        try:
            with open(file, "rb") as handle:
                while seen < AUTO_THRESHOLD and (chunk := handle.read(HINT_CHUNK)):
                    seen += chunk.count(b"://")
        except OSError:
            continue  # the parser says what is wrong with it
        if seen >= AUTO_THRESHOLD:
            return True
    return False


class Children:
    """Child processes checking the other shares; ``async with`` starts and collects them.

    Each child is ``python -m citecheck.resolve.workers`` (one from ``standby`` when it has
    one waiting): its share arrives pickled on its standard input, and length-prefixed
    pickled batches of results leave on its standard output. (A plain subprocess, not
    multiprocessing: nothing re-imports the caller's main module, which a script without a
    ``__main__`` guard would not survive.)
    """

    def __init__(
        self,
        others: Sequence[Sequence[tuple[str, Pair]]],
        options: Options,
        allowed: Collection[str],
        record: Record,
        standby: Standby | None = None,
    ) -> None:
        self.counters = Counters()
        self.unreported: list[tuple[str, Pair]] = []
        """Items of children that died before reporting them."""
        self._record = record
        self._others = others
        self._options = options
        self._allowed = tuple(allowed)
        self._standby = standby
        self._processes: list[subprocess.Popen[bytes]] = []
        self._pipes: list[asyncio.BaseTransport] = []
        self._writes: list[asyncio.Future[None]] = []
        self._readers: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Children:
        loop = asyncio.get_running_loop()
        for share in self._others:
            process = (self._standby.take() if self._standby else None) or _spawn()
            self._processes.append(process)
            assert process.stdin is not None and process.stdout is not None
            data = pickle.dumps((list(share), self._options, self._allowed))
            # written from a thread: the share (a few hundred KB) reaches a waiting child at
            # once, while this process goes on importing its own HTTP stack
            self._writes.append(loop.run_in_executor(None, _hand_over, process.stdin, data))
            stream = asyncio.StreamReader(limit=2**30)
            reader, _ = await loop.connect_read_pipe(
                functools.partial(asyncio.StreamReaderProtocol, stream), process.stdout
            )
            self._pipes.append(reader)
            pending = {pair[0]: (host, pair) for host, pair in share}
            self._readers.append(asyncio.create_task(self._read(stream, pending)))
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
                if process.poll() is None and error is not None:
                    process.kill()
            for reader in self._readers:
                reader.cancel()
            for pipe in self._pipes:
                pipe.close()
            await asyncio.gather(*self._writes)
            for process in self._processes:
                await asyncio.to_thread(process.wait)


def _hand_over(stream: IO[bytes], data: bytes) -> None:
    """Write ``data`` to a child's input and close it; a child that died reads nothing."""
    try:
        with stream:
            stream.write(data)
    except BrokenPipeError:
        pass  # its share is checked here: the child reported none of it


def _spawn() -> subprocess.Popen[bytes]:
    """A child, ``python -m citecheck.resolve.workers``, with pipes to its input and output."""
    return subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_child_environment(),
    )


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
    """A child process: load the HTTP stack, read a share, check it, send results in batches,
    then the counters. No share (the end of its input at once): nothing to do."""
    from citecheck.resolve.fetch import Fetcher  # before the share: a standby child is ready

    try:
        share, options, allowed = pickle.load(sys.stdin.buffer)
    except EOFError:
        return
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
        async with Fetcher(options, "aiohttp", allowed) as fetcher:
            await check_share(fetcher, share, options.concurrency, record)
        return counters_of(fetcher)

    with lean_collector():
        counters = asyncio.run(run())
    _send(out, "checks", batch)
    _send(out, "counters", (counters.responses, counters.lookups_ok, counters.lookups_failed))


def child_options(options: Options, count: int) -> Options:
    """Each of ``count`` processes gets its part of the global concurrency limit."""
    return replace(options, concurrency=max(1, options.concurrency // count))


if __name__ == "__main__":
    try:
        run_child()
    except (KeyboardInterrupt, BrokenPipeError):
        # interrupted with the whole run (Ctrl-C reaches every process), or the run that
        # reads the results is gone: nobody to tell, and no traceback to show
        os._exit(1)
    sys.stderr.flush()  # the results went out flushed, batch by batch
    # Leave without the interpreter's teardown, as multiprocessing's children do: this
    # process waits for it at the end of the run (0.05-0.1 s after a share of 5,000 URLs).
    os._exit(0)
