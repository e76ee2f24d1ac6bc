"""Where a link run's CPU goes: the same links through three stacks, in one process each.

The simulated web of links.py (a server process, --latency per request); each stack checks
the same links with a global limit of 128 and 4 per host, HEAD then GET for 4xx/5xx:

- ``aiohttp``: a plain aiohttp session, nothing else;
- ``httpx``: httpx's AsyncClient over the same aiohttp connector (citecheck's
  AiohttpTransport), nothing else;
- ``citecheck``: citecheck's whole engine (``check_urls``: redirects by hand, address
  checks, per-host politeness, classification), without cache.

Each stack runs in a fresh process (imports outside the timing); rounds alternate the stacks.
Printed: wall and CPU seconds of the fetching alone, and CPU per request.

    python benchmarks/http_stacks.py --links 5000 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from links import free_port, link, serve

STACKS = ("aiohttp", "httpx", "citecheck")


async def _plain(urls: list[str]) -> int:
    import aiohttp

    gate = asyncio.Semaphore(128)
    connector = aiohttp.TCPConnector(limit=128, limit_per_host=4)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> int:
            async with gate:
                async with session.head(url) as response:
                    status = response.status
                if status >= 400:
                    async with session.get(url) as response:
                        await response.read()
                        status = response.status
                return status

        return len(await asyncio.gather(*(one(url) for url in urls)))


async def _httpx(urls: list[str]) -> int:
    import aiohttp
    import httpx

    from citecheck.resolve.transport import AiohttpTransport

    gate = asyncio.Semaphore(128)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128, limit_per_host=4))
    async with httpx.AsyncClient(transport=AiohttpTransport(session)) as client:

        async def one(url: str) -> int:
            async with gate:
                response = await client.head(url)
                if response.status_code >= 400:
                    response = await client.get(url)
                return response.status_code

        return len(await asyncio.gather(*(one(url) for url in urls)))


async def _citecheck(urls: list[str]) -> int:
    from citecheck.options import Options
    from citecheck.resolve.links import check_urls

    options = Options(allow_private=True, cache=None, workers=1, quiet=True)
    return len((await check_urls(urls, options)).checks)


def run_one(stack: str, links: int, port: int) -> None:
    """In a child process: time ``stack`` over ``links`` links and print one line."""
    import aiohttp  # noqa: F401  imports outside the timing
    import httpx  # noqa: F401

    import citecheck.resolve.links  # noqa: F401

    urls = [link(i, 100, port) for i in range(links)]
    checker = {"aiohttp": _plain, "httpx": _httpx, "citecheck": _citecheck}[stack]
    wall, cpu = time.perf_counter(), time.process_time()
    done = asyncio.run(checker(urls))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    requests = links * 1.07  # 7 % of the links are 4xx/5xx: HEAD, then GET
    print(f"{stack:<10} {done:>7} {wall:>8.2f} {cpu:>7.2f} {cpu / requests * 1000:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--stack", choices=STACKS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stack:
        run_one(args.stack, args.links, args.port)
        return
    port = free_port()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, args.latency, ready), daemon=True
    )
    server.start()
    ready.wait()
    latency = f"{args.latency * 1000:.0f} ms"
    print(f"{args.links} links over 100 hosts, {latency}, global 128, 4 per host")
    print(f"{'stack':<10} {'links':>7} {'wall s':>8} {'CPU s':>7} {'ms/req':>8}")
    try:
        for _ in range(args.rounds):
            for stack in STACKS:
                command = [sys.executable, __file__, "--stack", stack, "--port", str(port)]
                command += ["--links", str(args.links)]
                subprocess.run(command, check=True)
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
