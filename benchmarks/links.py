"""Link checking on a simulated web: citecheck against the peers that install here.

A server process answers on 127.0.0.2 ... 127.0.0.(hosts+1), one port, every request after
``--latency`` seconds, keep-alive, HEAD and GET. Link i goes to host i % hosts; its kind is
fixed by (i + i // hosts) % 100: 90 ok, 5 404, 3 301 to an ok page, 2 500, so exactly 7 % are
broken. Each tool is timed as a subprocess under /usr/bin/time -v (wall and peak RSS).

    python benchmarks/links.py                       # 10,000 links, every tool found
    python benchmarks/links.py --links 1000 --tools citecheck
    python benchmarks/links.py --tools markdown-link-check --links 1000

Peers are looked for in --peers (default /tmp/peers): a venv lcvenv/ with linkchecker and
node_modules/ with linkinator and markdown-link-check (npm install there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kind(i: int, hosts: int) -> str:
    slot = (i + i // hosts) % 100
    return "ok" if slot < 90 else "404" if slot < 95 else "301" if slot < 98 else "500"


def link(i: int, hosts: int, port: int) -> str:
    return f"http://127.0.0.{2 + i % hosts}:{port}/{kind(i, hosts)}/page-{i}"


class SimulatedHost(asyncio.Protocol):
    """HTTP/1.1 keep-alive; each request answered ``latency`` seconds after it arrived."""

    latency = 0.05
    server_header = b"simulated"

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            line = head.split(b"\r\n", 1)[0].split(b" ")
            method, path = line[0], line[1].decode()
            asyncio.get_running_loop().call_later(self.latency, self.answer, method, path)

    def answer(self, method: bytes, path: str) -> None:
        if self.transport.is_closing():
            return
        status, extra = 200, b""
        if not path.startswith(("/ok/", "/301/", "/500/")):
            status = 404
        elif path.startswith("/500/"):
            status = 500
        elif path.startswith("/301/"):
            status, extra = 301, f"Location: /ok{path[4:]}\r\n".encode()
        body = b"<html><head><title>page</title></head><body>text</body></html>"
        reason = {200: b"OK", 404: b"Not Found", 500: b"Server Error", 301: b"Moved"}[status]
        head = (
            b"HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
            b"Server: %s\r\nLinkChecker: allow\r\n%s\r\n"
            % (status, reason, len(body), self.server_header, extra)
        )
        self.transport.write(head + (body if method != b"HEAD" else b""))


def serve(port: int, latency: float, ready: multiprocessing.synchronize.Event) -> None:
    SimulatedHost.latency = latency

    async def main() -> None:
        loop = asyncio.get_running_loop()
        await loop.create_server(SimulatedHost, "0.0.0.0", port, backlog=4096, reuse_address=True)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_documents(folder: Path, links: int, hosts: int, port: int) -> tuple[Path, Path]:
    urls = [link(i, hosts, port) for i in range(links)]
    markdown = folder / "links.md"
    body = "".join(f"Claim {i}.[^{i}]\n" for i in range(links))
    notes = "".join(f"[^{i}]: Source {i}, {url}\n" for i, url in enumerate(urls))
    markdown.write_text(f"# Essay\n\n{body}\n{notes}", encoding="utf-8")
    page = folder / "links.html"
    items = "".join(f'<li id="n{i}"><a href="{url}">{url}</a></li>\n' for i, url in enumerate(urls))
    page.write_text(f"<html><body><ol>{items}</ol></body></html>", encoding="utf-8")
    for path in (folder, markdown, page):
        path.chmod(0o755 if path.is_dir() else 0o644)  # LinkChecker runs as nobody under root
    return markdown, page


CITECHECK_SCRIPT = """
import sys
from citecheck.model import Document, Note, LinkStatus
from citecheck.options import Options
from citecheck.parse.identifiers import find_links
from citecheck.model import Position
from citecheck.resolve.links import check_links
text = open(sys.argv[1], encoding="utf-8").read()
links = tuple(find_links(text, lambda i: Position(1, i + 1)))
doc = Document(path=sys.argv[1], format="markdown", text=text,
               notes=(Note("1", 1, 1, text, links=links),))
options = Options(allow_private=True, cache=None, quiet=True,
                  concurrency=int(sys.argv[2]), per_host=int(sys.argv[3]))
run = check_links([doc], options)
bad = sum(1 for c in run.checks.values() if c.status.is_error)
print("BROKEN", bad, "CHECKED", len(run.checks))
"""


def run_timed(
    command: list[str], cwd: Path | None = None, timeout: float = 3600
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout+stderr of ``command``."""
    timed = ["/usr/bin/time", "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(
        timed, capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False
    )
    wall = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    rss = int(match.group(1)) / 1024 if match else float("nan")
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    )
    return wall, rss, f"CPU {cpu:.2f}\n" + done.stdout + done.stderr


def citecheck(markdown: Path, args: argparse.Namespace) -> tuple[list[str], int]:
    command = [
        sys.executable,
        "-c",
        CITECHECK_SCRIPT,
        str(markdown),
        str(args.concurrency),
        str(args.per_host),
    ]
    return command, -1


def count_citecheck(output: str) -> int:
    match = re.search(r"BROKEN (\d+)", output)
    return int(match.group(1)) if match else -1


def count_linkinator(output: str) -> int:
    start = output.find("{")
    try:
        data = json.loads(output[start : output.rfind("}") + 1])
    except ValueError:
        return -1
    return sum(1 for item in data.get("links", []) if item.get("state") == "BROKEN")


def count_mlc(output: str) -> int:
    return len(re.findall(r"\[✖\]", output))


def count_linkchecker(output: str) -> int:
    match = re.search(r"(\d+) errors? found", output)
    return int(match.group(1)) if match else -1


def tools(
    markdown: Path, page: Path, args: argparse.Namespace
) -> dict[str, tuple[list[str], object]]:
    peers = Path(args.peers)
    bin_ = peers / "node_modules" / ".bin"
    return {
        "citecheck": (citecheck(markdown, args)[0], count_citecheck),
        "linkinator": (
            [
                str(bin_ / "linkinator"),
                str(markdown),
                "--markdown",
                "--format",
                "json",
                "--concurrency",
                str(args.concurrency),
            ],
            count_linkinator,
        ),
        "markdown-link-check": (
            [str(bin_ / "markdown-link-check"), "-q", str(markdown)],
            count_mlc,
        ),
        "linkchecker": (
            [
                str(peers / "lcvenv" / "bin" / "linkchecker"),
                "--check-extern",
                "--no-robots",
                "-r",
                "1",
                "-t",
                str(args.concurrency),
                "--no-status",
                str(page),
            ],
            count_linkchecker,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=128, help="global limit")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--tools", default="citecheck,linkinator,linkchecker,markdown-link-check")
    parser.add_argument("--peers", default="/tmp/peers")
    args = parser.parse_args()
    port = free_port()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, args.latency, ready), daemon=True
    )
    server.start()
    ready.wait(10)
    expected = sum(1 for i in range(args.links) if kind(i, args.hosts) in ("404", "500"))
    floor = args.links * args.latency / min(args.concurrency, args.hosts * args.per_host)
    print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(
        f"{args.links} links over {args.hosts} hosts, {args.latency * 1000:g} ms latency, "
        f"global {args.concurrency}, per host {args.per_host}: floor {floor:.2f} s, "
        f"{expected} broken expected"
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.chmod(folder, 0o755)
            markdown, page = write_documents(Path(folder), args.links, args.hosts, port)
            table = tools(markdown, page, args)
            for name in args.tools.split(","):
                command, count = table[name]
                if not Path(command[0]).exists():
                    print(f"{name:20} not installed ({command[0]})")
                    continue
                wall, rss, output = run_timed(command, cwd=Path(folder))
                found = count(output)  # type: ignore[operator]
                cpu = output.split("\n", 1)[0]
                print(
                    f"{name:20} wall {wall:7.2f} s  ({wall / floor:5.2f}x floor)  {cpu} s  "
                    f"peak RSS {rss:6.1f} MB  broken found {found} of {expected}",
                    flush=True,
                )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
